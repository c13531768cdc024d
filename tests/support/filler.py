"""Fill blank score workbooks as a committee member would, for examples, tests and benchmarks.

Rows and sheets are found the way the reader finds them (the office-id cell,
criterion ids in column A), so the filler assumes no positions either.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf

ScoreFor = Callable[[str, str], Any]


def fill_workbook(src: Path, dst: Path, rubric: Rubric, score_for: ScoreFor, member: str | None = None) -> Path:
    """Write ``score_for(office_id, criterion_id)`` into every score cell of ``src``.

    A Decimal is written as a number; None leaves the cell blank; anything else
    is written as it is (text, formulas, booleans: the hazards tests need).
    """
    import openpyxl
    from openpyxl.utils import column_index_from_string

    id_col = column_index_from_string(sf.ID_COLUMN)
    score_col = column_index_from_string(sf.SCORE_COLUMN)
    label_col = column_index_from_string(sf.OFFICE_ID_LABEL_COLUMN)
    office_col = column_index_from_string(sf.OFFICE_ID_COLUMN)
    workbook = openpyxl.load_workbook(src)
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        if member is not None and sheet[sf.COVER_CELLS["format"]].value == sf.FORMAT_VERSION:
            sheet[sf.COVER_CELLS["member"]].value = member
        office_id = None
        for row in range(1, sf.HEADER_SEARCH_ROWS + 1):
            if sheet.cell(row, label_col).value == "รหัสหน่วยงาน":
                office_id = sheet.cell(row, office_col).value
        if office_id is None:
            continue
        for row in range(1, sheet.max_row + 1):
            criterion_id = sheet.cell(row, id_col).value
            if isinstance(criterion_id, str) and criterion_id in rubric.criterion_by_id:
                value = score_for(str(office_id), criterion_id)
                sheet.cell(row, score_col).value = float(value) if isinstance(value, Decimal) else value
    dst.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(dst)
    return dst


def fraction_of_max(rubric: Rubric, fraction: Decimal = Decimal("0.8")) -> ScoreFor:
    """Every criterion at ``fraction`` of its maximum, to 2 decimals."""

    def score(office_id: str, criterion_id: str) -> Decimal:
        return (rubric.criterion_by_id[criterion_id].max * fraction).quantize(Decimal("0.01"))

    return score


def to_shared_strings(src: Path, dst: Path) -> None:
    """Re-save inline strings as a shared-strings table, as Excel does."""
    inline = re.compile(rb't="inlineStr"><is><t[^>]*>(.*?)</t></is>', re.S)
    strings: dict[bytes, int] = {}

    def index(match: re.Match[bytes]) -> bytes:
        text = match.group(1)
        number = strings.setdefault(text, len(strings))
        return b't="s"><v>' + str(number).encode() + b"</v>"

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
        for name, data in parts.items():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                parts[name] = inline.sub(index, data)
        sst = b"".join(b"<si><t xml:space=\"preserve\">" + s + b"</t></si>" for s in strings)
        parts["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
            + str(len(strings)).encode() + b'" uniqueCount="' + str(len(strings)).encode() + b'">'
            + sst + b"</sst>"
        )
        declarations = (  # the part's content type, and the workbook's link to it
            ("[Content_Types].xml", b"</Types>",
             b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
             b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'),
            ("xl/_rels/workbook.xml.rels", b"</Relationships>",
             b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
             b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'),
        )
        for part, end, declaration in declarations:
            if b"sharedStrings" not in parts[part]:
                parts[part] = parts[part].replace(end, declaration + end)
        for name, data in parts.items():
            zout.writestr(name, data)
