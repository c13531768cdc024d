"""The parser path: ElementTree over a part that safety.check_xml has let through.

It reads every shape XML allows (namespace prefixes, CDATA, comments, cells without a
reference, attributes in any order); the quick path (quick.py) must read the same cells
on whatever it takes, and sends everything else here. What a cell means is values.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from officestar_cli.intake.xlsx.model import SheetCells, SheetInfo, XlsxError, int_or, local, place, split_ref
from officestar_cli.intake.xlsx.safety import parse_xml
from officestar_cli.intake.xlsx.values import inline_text, make_cell

if TYPE_CHECKING:
    from officestar_cli.intake.xlsx.container import XlsxFile


def runs_of(element: ET.Element) -> list[str]:
    """The <t> runs of a rich or plain string item, direct or in <r> runs; phonetic runs
    (<rPh>, with the <t> inside them) are not part of the value."""
    parts: list[str] = []
    for child in element:
        tag = local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(run.text or "" for run in child if local(run.tag) == "t")
    return parts


def tree_strings(data: bytes, marker: str | None, cap: int) -> tuple[list[str], frozenset[int]]:
    """The shared strings, and which of them held an illegal character."""
    strings: list[str] = []
    illegal: set[int] = set()
    for si in parse_xml(data, "xl/sharedStrings.xml"):
        if local(si.tag) != "si":
            continue
        text, flagged = inline_text(runs_of(si), marker)
        if flagged:
            illegal.add(len(strings))
        strings.append(text)
        if len(strings) > cap:
            raise XlsxError("too-large", "too many shared strings")
    return strings, frozenset(illegal)


def tree_formats(root: ET.Element) -> tuple[dict[int, str], list[int]]:
    custom: dict[int, str] = {}
    for element in root.iter():
        if local(element.tag) == "numFmt":
            try:
                custom[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
            except ValueError:
                continue
    ids: list[int] = []
    for element in root:
        if local(element.tag) == "cellXfs":
            for xf in element:
                if local(xf.tag) == "xf":
                    ids.append(int_or(xf.get("numFmtId", "0"), -1))
    return custom, ids


def tree_cells(
    book: XlsxFile, root: ET.Element, sheet: SheetInfo, max_row: int, max_col: int, marker: str | None
) -> SheetCells:
    out = SheetCells()
    dates = book.date_styles
    for element in root:
        if local(element.tag) == "sheetData":
            _tree_rows(book, element, sheet, dates, out, max_row, max_col, marker)
    return tree_merges(root, out)


def _tree_rows(
    book: XlsxFile, data: ET.Element, sheet: SheetInfo, dates: set[int], out: SheetCells, max_row: int,
    max_col: int, marker: str | None,
) -> None:
    row_no = 0
    for row in data:
        if local(row.tag) != "row":
            continue
        row_no = int_or(row.get("r"), row_no + 1)
        col_no = 0
        for c in row:
            if local(c.tag) != "c":
                continue
            ref = c.get("r")
            where = split_ref(ref) if ref else None
            row_here, col_no = where if where is not None else (row_no, col_no + 1)
            formula: str | None = None
            value: str | None = None
            inline: tuple[str, bool] | None = None
            seen_f = seen_v = False
            for child in c:
                tag = local(child.tag)
                if tag == "v" and not seen_v:
                    value, seen_v = child.text or "", True
                elif tag == "f" and not seen_f:
                    formula = child.text or ("(shared)" if child.get("t") == "shared" else "")
                    seen_f = True
                elif tag == "is" and inline is None:
                    inline = inline_text(runs_of(child), marker)
            if value is None and formula is None and inline is None:
                continue
            style = int_or(c.get("s"), 0)
            cell = make_cell(book, sheet.name, row_here, col_no, c.get("t", "n"), value, inline, formula,
                             style in dates, marker)
            if cell is not None:
                place(out, cell, max_row, max_col)


def tree_merges(root: ET.Element, out: SheetCells) -> SheetCells:
    for element in root:
        if local(element.tag) == "mergeCells":
            for merge in element:
                first, _, last = merge.get("ref", "").partition(":")
                a, b = split_ref(first), split_ref(last or first)
                if a and b:
                    out.merged.append((a[0], a[1], b[0], b[1]))
    return out
