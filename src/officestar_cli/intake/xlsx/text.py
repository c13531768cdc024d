"""Text as the workbook means it, the same on the quick path and the parser.

- XML's own escapes: the five named entities and character references (what the parser
  resolves); line ends normalised to LF as XML says (a raw CR, or CR LF, is one LF).
- ST_Xstring escapes (ECMA-376 Part 1, 22.9.2.19): ``_xHHHH_`` is the UTF-16 code unit
  HHHH, so Excel stores a CR typed in a note as ``_x000D_`` and a literal ``_x0041_`` as
  ``_x005F_x0041_`` (``_x005F_`` is an underscore). Decoded in strings only: shared
  strings, inline strings and string cells.
- Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone
  surrogates), however written: each becomes U+FFFD and the cell says so
  (``Cell.illegal``); docs/reliability.md, "Illegal characters".
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"


class ForTheParser(Exception):
    """The quick path met something it does not read exactly as the XML parser does."""


def legal_code(code: int) -> bool:
    """Whether XML 1.0 allows the character ``code``."""
    return (
        code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
    )


_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));|&")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def xml_unescape(text: str) -> str:
    """Entities and character references as the parser resolves them; what the parser would
    refuse (a bare "&", an undefined entity, a reference to a character XML forbids) raises
    ForTheParser. Illegal references never get here: safety.mark_illegal has put the marker
    in their place."""

    def one(match: re.Match[str]) -> str:
        name, decimal, hexadecimal = match.groups()
        if name:
            return _NAMED[name]
        if decimal is None and hexadecimal is None:
            raise ForTheParser
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not legal_code(code):
            raise ForTheParser
        return chr(code)

    return _ENTITY.sub(one, text)


def unescape(raw: bytes) -> str:
    """The text of an element, as the XML parser gives it; bad UTF-8 raises ForTheParser."""
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ForTheParser from None
    return xml_unescape(text) if "&" in text else text


_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def decode_xstring(text: str) -> str:
    """``_xHHHH_`` escapes decoded (a surrogate pair of them is one character); whatever they
    name that XML forbids stays in the result for ``clean`` to replace."""
    decoded = _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE_PAIR.search(decoded):
        decoded = _SURROGATE_PAIR.sub(
            lambda m: chr(0x10000 + ((ord(m.group(0)[0]) - 0xD800) << 10) + ord(m.group(0)[1]) - 0xDC00), decoded
        )
    return decoded


def clean(text: str, marker: str | None, xstring: bool) -> tuple[str, bool]:
    """``text`` with ST_Xstring escapes decoded (when ``xstring``) and every illegal character
    (the part's ``marker`` included, which stands for one the parser could not have read)
    as U+FFFD; the flag says whether any was replaced."""
    illegal = False
    if marker is not None and marker in text:
        text = text.replace(marker, REPLACEMENT)
        illegal = True
    if xstring and "_x" in text:
        text = decode_xstring(text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(REPLACEMENT, text)
        illegal = True
    return text, illegal


def number_literal(text: str) -> bool:
    """Whether a numeric cell's value is written as a number literal (ASCII, no "_"): what
    else Python's float() takes ("4_0", Thai or Arabic digits) is no number in the file."""
    return text.isascii() and "_" not in text
