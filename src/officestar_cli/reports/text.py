"""Text from workbooks and the rubric as a report may show it (docs/design-reports.md, "Text").

Both reports pass every text through ``safe_text`` first: control characters
(C0 and C1, except tab, line feed and carriage return), U+FFFE, U+FFFF and lone
surrogates become U+FFFD, so nothing a member typed can corrupt the workbook's
XML, drive a terminal showing the Markdown, or vanish without a trace.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """``text`` with every unsafe character replaced by U+FFFD (the text is kept otherwise)."""
    return _UNSAFE.sub(REPLACEMENT, text)


def utf16_length(text: str) -> int:
    """Length as Excel counts it: characters outside the BMP take two units."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split_utf16(text: str, limit: int) -> tuple[str, str]:
    """The longest head of ``text`` within ``limit`` UTF-16 units, and the rest."""
    if len(text) <= limit // 2 or utf16_length(text) <= limit:
        return text, ""
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return text[:index], text[index:]
    return text, ""  # pragma: no cover - the length check above returned already


__all__ = ["REPLACEMENT", "safe_text", "split_utf16", "utf16_length"]
