"""Which cell styles show a date: the number formats of xl/styles.xml, read with patterns
when the part is written plainly and with the parser otherwise."""

from __future__ import annotations

import re

from officestar_cli.intake.xlsx.parse import tree_formats
from officestar_cli.intake.xlsx.safety import has_markup_declaration, parse_xml
from officestar_cli.intake.xlsx.text import ForTheParser, unescape

_DATE_BUILTIN = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59)) | set(
    range(71, 82)
)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_date_format(fmt_id: int, code: str | None) -> bool:
    if code is None:
        return fmt_id in _DATE_BUILTIN
    bare = _QUOTED.sub("", code).lower()
    if bare in ("general", "@"):
        return False
    return any(ch in bare for ch in "dmyhse") and not re.fullmatch(r"[0#.,%\s?/e+\-]*", bare)


def date_styles(data: bytes, quick: bool) -> set[int]:
    """Indexes of cell styles whose number format shows a date or a time."""
    formats = plain_formats(data) if quick else None
    if formats is None:
        formats = tree_formats(parse_xml(data, "xl/styles.xml"))
    custom, cell_formats = formats
    found: set[int] = set()
    judged: dict[int, bool] = {}  # a format code may be long, and used by thousands of styles
    for index, fmt_id in enumerate(cell_formats):
        if fmt_id not in judged:
            judged[fmt_id] = is_date_format(fmt_id, custom.get(fmt_id))
        if judged[fmt_id]:
            found.add(index)
    return found


# ">" may stand inside a quoted value, "<" may not: no scan runs past the next tag.
_TAG_ATTRIBUTES = rb"""([^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*)"""
_NUMFMT = re.compile(rb"<numFmt\b" + _TAG_ATTRIBUTES + rb">")
_XF = re.compile(rb"<xf\b" + _TAG_ATTRIBUTES + rb">")
_NUMFMT_ID = re.compile(rb"""\snumFmtId\s*=\s*["']([^"'<]*)["']""")
_FORMAT_CODE = re.compile(rb"""\sformatCode\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def plain_formats(data: bytes) -> tuple[dict[int, str], list[int]] | None:
    """Custom number formats and each cell style's format id, read with patterns; None when
    the part is written in a way they do not cover."""
    if b":numFmt" in data or b":xf" in data or b":cellXfs" in data or has_markup_declaration(data):
        return None
    custom: dict[int, str] = {}
    found = _NUMFMT.findall(data)
    if len(found) != data.count(b"<numFmt ") + data.count(b"<numFmt/"):
        return None
    for attributes in found:
        fmt_id, code = _plain_id(attributes), _FORMAT_CODE.search(attributes)
        if fmt_id is None:
            return None
        try:
            quoted = b"" if code is None else code.group(1) if code.group(1) is not None else code.group(2)
            custom[fmt_id] = unescape(quoted)
        except ForTheParser:
            return None
    if data.count(b"<cellXfs") == 0:
        return custom, []
    start, end = data.find(b"<cellXfs"), data.find(b"</cellXfs>")
    if data.count(b"<cellXfs") != 1 or end < start:
        return None
    block = data[start:end]
    xfs = _XF.findall(block)
    if len(xfs) != block.count(b"<xf"):
        return None
    ids = []
    for attributes in xfs:
        fmt_id = _plain_id(attributes) if b"numFmtId" in attributes else 0
        if fmt_id is None:
            return None
        ids.append(fmt_id)
    return custom, ids


def _plain_id(attributes: bytes) -> int | None:
    """A numFmtId written as plain digits; None for anything else ("+14", "&#49;4", none)."""
    found = _NUMFMT_ID.search(attributes)
    if found is None:
        return None
    text = found.group(1).strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 48: "##0.0E+0", 49: "@",
}
_ATTR_S = re.compile(rb'\bs="([0-9]{1,9})"')
_ATTR_R = re.compile(rb'\br="\$?([A-Za-z]{1,3}\$?[0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(\s[^<>]*)?>")


def number_formats(data: bytes, quick: bool) -> list[str]:
    """Each cell style's number format code, by style index (built-in formats by their code,
    "General" for one this reader does not know): what a score cell shows (intake/cells.py)."""
    formats = plain_formats(data) if quick else None
    if formats is None:
        formats = tree_formats(parse_xml(data, "xl/styles.xml"))
    custom, cell_formats = formats
    return [custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General")) for fmt_id in cell_formats]


def cell_styles(sheet: bytes, refs: frozenset[str]) -> dict[str, int]:
    """The style index of the cells at ``refs`` of a sheet part, for the cells written with a
    reference; a cell not found has style 0."""
    found: dict[str, int] = {}
    for attributes in _CELL_TAG.findall(sheet):
        ref = _ATTR_R.search(attributes)
        if ref is None:
            continue
        name = ref.group(1).decode("ascii").upper()
        if name in refs:
            style = _ATTR_S.search(attributes)
            found[name] = int(style.group(1)) if style else 0
    return found
