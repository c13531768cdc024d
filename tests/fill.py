"""Fill template workbooks the way a committee member would (test helper)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from officestar_cli.rubric import Rubric

ScoreFor = Callable[[str, str], Any]


def fill_workbook(src: Path, dst: Path, rubric: Rubric, score_for: ScoreFor) -> Path:
    """Write ``score_for(office_id, criterion_id)`` into every score cell of ``src``.

    Rows and sheets are located the way the reader does (office id cell,
    criterion id in column A), so the helper itself does not assume positions.
    """
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        office_id = None
        for row in range(1, 11):
            if ws.cell(row, 5).value == "รหัสหน่วยงาน":
                office_id = ws.cell(row, 6).value
        if office_id is None:
            continue
        for row in range(1, ws.max_row + 1):
            cid = ws.cell(row, 1).value
            if isinstance(cid, str) and cid in rubric.criterion_by_id:
                value = score_for(office_id, cid)
                ws.cell(row, 5).value = float(value) if isinstance(value, Decimal) else value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def full_marks(rubric: Rubric, fraction: Decimal = Decimal("0.8")) -> ScoreFor:
    def score(office_id: str, criterion_id: str) -> Any:
        maximum = rubric.criterion_by_id[criterion_id].max
        return float((maximum * fraction).quantize(Decimal("0.01")))

    return score
