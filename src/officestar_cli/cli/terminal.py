"""Terminal output: human text on stderr, machine JSON on stdout.

Works on terminals and pipes that are not UTF-8 (a Thai Windows console is
cp874): box lines and arrows fall back to plain ASCII there.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import sys
from typing import Any

from rich.console import Console

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


class Ui:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        _soften(sys.stdout)
        _soften(sys.stderr)
        self.unicode = _is_utf(sys.stderr)
        self.err = Console(stderr=True, highlight=False, safe_box=True)
        self.sep = " › " if self.unicode else " > "

    def t(self, th: str, en: str) -> str:
        return th if self.lang == "th" else en

    def say(self, th: str, en: str, style: str | None = None) -> None:
        self.err.print(self.t(th, en), style=style, markup=False)

    def box(self) -> Any:
        from rich import box

        return box.SIMPLE_HEAVY if self.unicode else box.ASCII


def emit_json(data: Any) -> None:
    """One JSON object on stdout, nothing else there."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
