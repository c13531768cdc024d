"""The terminal: a command's result on stdout, messages on stderr, JSON alone on stdout.

The rule (docs/commands.md, "Where output goes"): the result of a command (the
ranking, the history listing, the rubric, check's per-file table) goes to
stdout; progress, per-file status lines while recording, warnings and errors go
to stderr; ``--json`` writes one object to stdout and nothing else there.

On a terminal, tables are drawn with rich and wrap to its width (Thai text,
which has no spaces, folds between characters, never inside one). On a pipe
or a file nothing wraps and nothing is cut: each row is one line, columns are
aligned by display width, so ``grep`` and ``more`` see whole names. rich is
imported only when a table is drawn on a terminal.

Works on terminals and pipes that are not UTF-8 (a Thai Windows console is
cp874): box lines and arrows fall back to plain ASCII there.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from officestar_cli.reports.documents.wrap import display_width

LANG_ENV = "OFFICESTAR_LANG"


def default_lang() -> str:
    lang = os.environ.get(LANG_ENV, "th").strip().lower()
    return "en" if lang.startswith("en") else "th"


def _is_utf(stream: Any) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _soften(stream: Any) -> None:
    # A character the console cannot show becomes '?', never a UnicodeEncodeError.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def escaped(text: str) -> str:
    """Control characters from a workbook or the rubric as visible escapes (\\x1b), never sent raw."""
    if text.isprintable():
        return text
    return "".join(
        c if c in "\n\t" or unicodedata.category(c) != "Cc" else f"\\x{ord(c):02x}" for c in text
    )


def _width(stream: Any) -> int | None:
    """The columns to wrap messages to: the terminal's, else $COLUMNS when set, else none (a file)."""
    if _is_terminal(stream):
        import shutil

        return max(20, shutil.get_terminal_size().columns)
    columns = os.environ.get("COLUMNS", "")
    return max(20, int(columns)) if columns.isdigit() else None


def _pieces(word: str, width: int) -> list[str]:
    """A word longer than the width in pieces, cut between characters, never before a mark."""
    pieces, current = [], ""
    for char in word:
        mark = display_width(char) == 0
        if current and not mark and display_width(current + char) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def wrap(text: str, width: int | None) -> str:
    """Wrap to ``width`` columns with the one Thai line breaker (reports/documents/wrap.py): between
    words, Thai ones included; a run still wider than a line is cut between characters."""
    if width is None:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if display_width(paragraph) <= width:
            lines.append(paragraph)
            continue
        from officestar_cli.reports.documents.wrap import fill_lines

        indent = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
        room = max(1, width - len(indent))
        for line in fill_lines(paragraph.strip(), room):
            pieces = _pieces(line, room) if display_width(line) > room else [line]
            lines.extend(indent + piece for piece in pieces)
    return "\n".join(lines)


def shown_path(name: str) -> str:
    """A file name whole: relative to the working folder when that is shorter, else as given."""
    try:
        relative = os.path.relpath(name)
    except ValueError:  # another drive (Windows)
        return name
    return relative if len(relative) < len(name) else name




class Ui:
    """Both streams of one command, in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        _soften(sys.stdout)
        _soften(sys.stderr)
        self.unicode = _is_utf(sys.stderr)
        self.sep = " › " if self.unicode else " > "
        self.arrow = " → " if self.unicode else " -> "
        self._consoles: dict[bool, Any] = {}

    def t(self, th: str, en: str) -> str:
        return th if self.lang == "th" else en

    # ---- streams

    @staticmethod
    def stream(out: bool) -> TextIO:
        return sys.stdout if out else sys.stderr

    def console(self, out: bool) -> Any:
        """A rich console on stdout (``out``) or stderr; only for terminals."""
        if out not in self._consoles:
            from rich.console import Console

            self._consoles[out] = Console(stderr=not out, highlight=False, safe_box=True)
        return self._consoles[out]

    @property
    def err(self) -> Any:
        return self.console(False)

    def line(self, text: str, *, out: bool = False, style: str | None = None) -> None:
        """One message, never cut: wrapped to the terminal's width (or $COLUMNS), else whole."""
        stream = self.stream(out)
        text = wrap(escaped(text), _width(stream))
        if _is_terminal(stream) and style:
            self.console(out).print(text, style=style, markup=False, highlight=False, soft_wrap=True)
            return
        stream.write(text + "\n")
        stream.flush()

    def say(self, th: str, en: str, style: str | None = None) -> None:
        """A message on stderr in the user's language."""
        self.line(self.t(th, en), style=style)

    # ---- tables

    def box(self) -> Any:
        """The box style of a rich table here: heavy lines, or plain ASCII where they cannot show."""
        from rich import box

        return box.SIMPLE_HEAVY if self.unicode else box.ASCII

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        out: bool,
        title: str | None = None,
        right: Sequence[int] = (),
    ) -> None:
        """Rows under headers: a rich table on a terminal, aligned whole lines elsewhere.

        A cell is text, or (text, style) for a colour on a terminal.
        """
        stream = self.stream(out)
        rows = [[(escaped(c[0]), c[1]) if isinstance(c, tuple) else escaped(c) for c in row] for row in rows]
        if _is_terminal(stream):
            self._rich_table(headers, rows, out=out, title=title, right=right)
            return
        texts = [[c[0] if isinstance(c, tuple) else c for c in row] for row in rows]
        widths = [display_width(h) for h in headers]
        for row in texts:
            for n, cell in enumerate(row):
                widths[n] = max(widths[n], display_width(cell))
        lines: list[str] = []
        if title:
            lines.append(title)

        def render(cells: Sequence[str]) -> str:
            parts = []
            for n, cell in enumerate(cells):
                pad = " " * (widths[n] - display_width(cell))
                parts.append(pad + cell if n in right else cell + pad)
            return "  ".join(parts).rstrip()

        lines.append(render(headers))
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(render(row) for row in texts)
        stream.write("\n".join(lines) + "\n")
        stream.flush()

    def _rich_table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, out: bool,
                    title: str | None, right: Sequence[int]) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, box=box.SIMPLE_HEAVY if self.unicode else box.ASCII)
        for n, header in enumerate(headers):
            table.add_column(header, justify="right" if n in right else "left", overflow="fold")
        for row in rows:
            table.add_row(*(Text(c[0], style=c[1] or "") if isinstance(c, tuple) else Text(c) for c in row))
        self.console(out).print(table)


def emit_json(data: Any) -> None:
    """One JSON object on stdout, nothing else there."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def progress(ui: Ui, total: int) -> Iterator[Callable[[], None] | None]:
    """A progress bar on stderr when reading more than a few files on a terminal."""
    if total <= 5 or not _is_terminal(sys.stderr):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(ui.t("อ่านแบบประเมิน", "Reading")), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=ui.err, transient=True,
    ) as bar:
        task = bar.add_task("read", total=total)
        yield lambda: bar.advance(task)
