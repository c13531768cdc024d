"""Which characters officestar refuses in text it writes into a workbook or shows.

A workbook is XML 1.0: C0 controls other than tab, line feed and carriage return,
U+FFFE, U+FFFF and lone surrogates (what Python makes of bytes that are not UTF-8)
cannot be written at all, and openpyxl stops with a traceback on them. DEL and the
C1 controls can be written, but on a terminal they are escape sequences; a carriage
return is a line break that Excel and a terminal each show differently. Text that
officestar writes (rubric titles, member names) is refused when it holds any of
these; docs/design.md, "Text".
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The position and a printable form (``U+0001``) of the first refused character."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    return match.start(), f"U+{ord(match.group()):04X}"


def escape_refused(text: str) -> str:
    """``text`` with every refused character written as an escape (``\\x01``, ``\\udc80``)."""

    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _FORBIDDEN.sub(escaped, text)
