"""Where a line of Thai may break: the one place every writer asks (docs/documents.md).

Thai is written without spaces between words, so a line may only break where a
word ends; a break inside a word splits it as a reader would never split it.
The words come from PyThaiNLP's dictionary segmenter (``newmm``), which is
deterministic: the same text always gives the same runs.

``breakable_runs`` is the one function; the rest are its uses:

- the PDF sets each run as an unbreakable box (so the engine breaks only there);
- the docx joins the runs with ZERO WIDTH SPACE, which Word and LibreOffice
  Writer both take as a break opportunity;
- ``fill_lines`` fills lines of a fixed width for a terminal or an SVG writer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

ZWSP = "\u200b"
# White space a line may break at; NO-BREAK SPACE (as in "พ.ศ.\u00a02567") is not one.
_SPACE = re.compile(r"((?:(?!\u00a0)\s)+)")
_THAI_LETTERS = re.compile(r"[\u0e01-\u0e4e\u0e50-\u0e59]+")


@lru_cache(maxsize=4096)
def _thai_words(chunk: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word for word in word_tokenize(chunk, engine="newmm", keep_whitespace=False) if word)


def breakable_runs(text: str) -> list[str]:
    """``text`` cut into runs between which a line may break; joined, they give ``text`` back.

    A run of white space is a run of its own (a writer may drop it at a line end);
    a stretch of Thai letters is cut between its words; nothing else is cut, so
    "พ.ศ.", "(นาย" and "ลำปาง)" stay whole.
    """
    runs: list[str] = []
    for token in _SPACE.split(unicodedata.normalize("NFC", text)):
        if not token:
            continue
        if token.isspace():
            runs.append(token)
            continue
        pieces: list[str] = []
        position = 0
        for match in _THAI_LETTERS.finditer(token):
            words = _thai_words(match.group(0))
            head = token[position:match.start()] + words[0]
            if pieces:
                pieces[-1] += head  # after punctuation, as before it: no break
            else:
                pieces.append(head)
            pieces.extend(words[1:])
            position = match.end()
        if pieces:
            pieces[-1] += token[position:]
        else:
            pieces.append(token)
        runs.extend(pieces)
    return runs


def with_break_marks(text: str) -> str:
    """``text`` with ZERO WIDTH SPACE between Thai words, for writers that break lines themselves."""
    runs = breakable_runs(text)
    out: list[str] = []
    for previous, run in zip(["", *runs], runs, strict=False):
        if previous and not previous.isspace() and not run.isspace():
            out.append(ZWSP)
        out.append(run)
    return "".join(out)


def display_width(text: str) -> int:
    """Columns on a terminal: Thai marks above and below take none, wide characters two."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fill_lines(text: str, width: int, measure: Callable[[str], float] = display_width) -> list[str]:
    """Fill lines no wider than ``width`` (as ``measure`` counts), breaking between runs only.

    A single run wider than a line is left whole on a line of its own: cutting a
    word would change what it says. Spaces at a line's ends are dropped.
    """
    lines: list[str] = []
    current = ""
    for run in breakable_runs(text):
        if "\n" in run:
            lines.append(current.rstrip())
            current = ""
            continue
        candidate = current + run
        if current and not run.isspace() and measure(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = run
        else:
            current = candidate if (current or not run.isspace()) else ""
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines
