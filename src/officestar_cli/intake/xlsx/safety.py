"""XML safety: what is refused before any part is parsed, and what is made parseable.

- A DOCTYPE or an entity declaration is refused (``unsafe-xml``): without one no entity
  can expand, so a part costs what its bytes cost.
- Only UTF-8 is read: a byte-order mark or a NUL in the first bytes (UTF-16, UTF-32),
  EBCDIC, or an encoding declared as anything else is a corrupt workbook. The other checks
  look at bytes, which is sound because only UTF-8 is accepted.
- Characters XML 1.0 forbids, written raw or as a character reference, would make the
  parser refuse the whole workbook while a spreadsheet program shows the rest; in the parts
  that hold cell text they are replaced by a marker character first, which both reading
  paths turn into U+FFFD on the cell (text.clean, docs/reliability.md).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from officestar_cli.intake.xlsx.model import XlsxError
from officestar_cli.intake.xlsx.text import legal_code

_FOREIGN_ENCODING = re.compile(rb"""encoding\s*=\s*["'](?!utf-?8["'])""", re.IGNORECASE)
_BYTE_ORDER_MARKS = (b"\xff\xfe", b"\xfe\xff")
_EBCDIC = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC


def parse_xml(data: bytes, part: str) -> ET.Element:
    """Parse one part; DOCTYPE/ENTITY and non-UTF-8 encodings are refused first."""
    check_xml(data, part)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise XlsxError("corrupt-workbook", f"{part}: {exc}") from None


def check_xml(data: bytes, part: str) -> None:
    """Refuse DOCTYPE/ENTITY and any encoding but UTF-8.

    Without a DOCTYPE there can be no entity declaration, so nothing can expand.
    """
    # UTF-16 and UTF-32 hold a NUL in every ASCII character, so one of the first four bytes
    # ("<?xm", "<sst", or spaces before them) is NUL, with a byte-order mark or without one;
    # expat reads anything else as UTF-8 or as the declared encoding, which must be UTF-8. The
    # declaration is read whole, however it is padded. A NUL further on is an illegal
    # character like any other (mark_illegal).
    declaration = data[: data.find(b"?>")] if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else b""
    if data[:4] == _EBCDIC or data[:2] in _BYTE_ORDER_MARKS or b"\x00" in data[:4] or (
        b"ncoding" in declaration and _FOREIGN_ENCODING.search(declaration)
    ):
        raise XlsxError("corrupt-workbook", f"{part}: not UTF-8 XML")
    if has_markup_declaration(data) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise XlsxError("unsafe-xml", part=part)


def has_markup_declaration(data: bytes) -> bool:
    """Whether ``<!`` (DOCTYPE, ENTITY, CDATA, a comment) occurs. '!' is rare in sheet XML, so
    looking at each '!' is far quicker than a search for the two bytes among many '<'."""
    at = data.find(b"!")
    for _ in range(64):
        if at < 0:
            return False
        if at > 0 and data[at - 1] == 0x3C:  # "<"
            return True
        at = data.find(b"!", at + 1)
    return b"<!" in data  # many '!': one search over the rest


# One byte each, so that each test below is a memchr over the part.
_CONTROL_BYTES = [bytes([code]) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
_ILLEGAL_RAW_OR_REFERENCE = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]|&#(?:([0-9]{1,12})|x([0-9A-Fa-f]{1,12}));"
)
# Private-use characters of plane 16: legal XML, never typed in a score workbook.
_MARKERS = [chr(code) for code in range(0x10FFFD, 0x10FF00, -1)]


def mark_illegal(data: bytes, part: str) -> tuple[bytes, str | None]:
    """``data`` with every character XML forbids (raw, or a character reference to one)
    replaced by a marker that does not occur in the part, and that marker; (data, None)
    when there is none, which the few checks below find without a Python step per byte."""
    if not _may_hold_illegal(data):
        return data, None
    marker = next((m for m in _MARKERS if m.encode("utf-8") not in data), None)
    if marker is None:
        raise XlsxError("corrupt-workbook", f"{part}: too many private-use characters")
    encoded = marker.encode("utf-8")
    found = False

    def one(match: re.Match[bytes]) -> bytes:
        nonlocal found
        decimal, hexadecimal = match.groups()
        if decimal is None and hexadecimal is None:
            found = True
            return encoded
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if legal_code(code):
            return match.group(0)
        found = True
        return encoded

    marked = _ILLEGAL_RAW_OR_REFERENCE.sub(one, data)
    return (marked, marker) if found else (data, None)


def _may_hold_illegal(data: bytes) -> bool:
    if any(byte in data for byte in _CONTROL_BYTES):
        return True
    if b"\xef" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):  # U+FFFE, U+FFFF
        return True
    return b"#" in data and b"&#" in data
