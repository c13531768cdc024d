"""An independent oracle for the example round (issue 5).

The raw scores are read from ``examples/round-2/*.xlsx`` with openpyxl (not with
officestar's reader): an office sheet is known by the office id in F2, a row by
the criterion id in column A, the score is in column E. A new spreadsheet is
built from them whose formulas do the arithmetic: SUM per member per office,
AVERAGE over the members, ROUND(…, 2), RANK and a COUNTIF competition rank, and
the tiers with IF. LibreOffice headless recalculates it; the values it computed
must equal what ``officestar score --json`` prints.

Needs LibreOffice: skipped with the reason when it is missing, failed when the
``CI`` environment variable is set (docs/design.md, "Tests on real programs").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from helpers import soffice_convert

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_PATH = ROOT / "rubric.yaml"
EXAMPLES = ROOT / "examples" / "round-2"


# ---------------------------------------------------------------- the raw scores, read apart from officestar


def _rubric_data() -> dict[str, Any]:
    data = yaml.safe_load(RUBRIC_PATH.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _raw_scores(
    workbooks: list[Path], offices: list[str], criteria: list[str]
) -> dict[str, dict[str, dict[str, float]]]:
    """workbook file name -> office id -> criterion id -> the number typed in column E."""
    raw: dict[str, dict[str, dict[str, float]]] = {}
    for path in workbooks:
        book = load_workbook(path, read_only=False, data_only=False)
        found: dict[str, dict[str, float]] = {}
        for sheet in book.worksheets:
            office_id = sheet["F2"].value
            if office_id not in offices:
                continue
            assert office_id not in found, f"{path.name}: {office_id} on two sheets"
            row_scores: dict[str, float] = {}
            for row in range(1, sheet.max_row + 1):
                criterion = sheet.cell(row, 1).value
                if isinstance(criterion, str) and criterion.strip() in criteria:
                    value = sheet.cell(row, 5).value
                    assert isinstance(value, (int, float)) and not isinstance(value, bool), (
                        f"{path.name} {sheet.title}!E{row}: {value!r}"
                    )
                    assert criterion not in row_scores
                    row_scores[criterion.strip()] = float(value)
            assert sorted(row_scores) == sorted(criteria), f"{path.name} {sheet.title}"
            found[office_id] = row_scores
        assert sorted(found) == sorted(offices), path.name
        raw[path.name] = found
        book.close()
    return raw


def _oracle_workbook(
    raw: dict[str, dict[str, dict[str, float]]],
    offices: list[str],
    criteria: list[str],
    dimensions: dict[str, list[str]],
) -> Workbook:
    """Sheet ``raw``: one row per (office, member) with SUMs; sheet ``result``: one row per office."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "raw"
    criterion_column = {c: 3 + i for i, c in enumerate(criteria)}
    total_column = 3 + len(criteria)
    dimension_column = {d: total_column + 1 + i for i, d in enumerate(dimensions)}
    sheet.cell(1, 1, "office")
    sheet.cell(1, 2, "workbook")
    for criterion, column in criterion_column.items():
        sheet.cell(1, column, criterion)
    sheet.cell(1, total_column, "total")
    for dimension, column in dimension_column.items():
        sheet.cell(1, column, f"dimension {dimension}")
    first_c = get_column_letter(criterion_column[criteria[0]])
    last_c = get_column_letter(criterion_column[criteria[-1]])
    blocks: dict[str, tuple[int, int]] = {}
    row = 2
    for office_id in offices:
        start = row
        for workbook in sorted(raw):
            sheet.cell(row, 1, office_id)
            sheet.cell(row, 2, workbook)
            for criterion, column in criterion_column.items():
                sheet.cell(row, column, raw[workbook][office_id][criterion])
            sheet.cell(row, total_column, f"=SUM({first_c}{row}:{last_c}{row})")
            for dimension, column in dimension_column.items():
                cells = ",".join(
                    f"{get_column_letter(criterion_column[c])}{row}" for c in dimensions[dimension]
                )
                sheet.cell(row, column, f"=SUM({cells})")
            row += 1
        blocks[office_id] = (start, row - 1)

    result = book.create_sheet("result")
    headers = ["office", "mean", "shown", "rank", "countif_rank", "tier", *[f"d{d}" for d in dimensions]]
    for column, header in enumerate(headers, start=1):
        result.cell(1, column, header)
    last = 1 + len(offices)
    total_letter = get_column_letter(total_column)
    for index, office_id in enumerate(offices):
        r = 2 + index
        start, end = blocks[office_id]
        result.cell(r, 1, office_id)
        result.cell(r, 2, f"=AVERAGE(raw!{total_letter}{start}:{total_letter}{end})")
        result.cell(r, 3, f"=ROUND(B{r},2)")
        result.cell(r, 4, f"=RANK(C{r},$C$2:$C${last},0)")
        result.cell(r, 5, f'=COUNTIF($C$2:$C${last},">"&C{r})+1')
        result.cell(r, 6, f'=IF(C{r}>=80,"ดีเด่น",IF(C{r}>=70,"ดีมาก",IF(C{r}>=60,"ดี","-")))')
        for offset, dimension in enumerate(dimensions):
            letter = get_column_letter(dimension_column[dimension])
            result.cell(r, 7 + offset, f"=ROUND(AVERAGE(raw!{letter}{start}:{letter}{end}),2)")
    return book


# ---------------------------------------------------------------- the test


def test_officestar_totals_and_ranks_equal_a_libreoffice_spreadsheet(tmp_path: Path, soffice: str) -> None:
    """LibreOffice recalculates the oracle's formulas when it saves it again."""
    data = _rubric_data()
    assert data["precision"] == 2  # the formulas round to 2 decimals
    offices = [o["id"] for o in data["offices"]]
    names = {o["id"]: o["th"] for o in data["offices"]}
    dimensions = {str(d["id"]): [str(c["id"]) for c in d["criteria"]] for d in data["dimensions"]}
    criteria = [c for ids in dimensions.values() for c in ids]
    workbooks = sorted(EXAMPLES.glob("*.xlsx"))
    assert len(workbooks) == 5

    raw = _raw_scores(workbooks, offices, criteria)
    oracle = tmp_path / "oracle.xlsx"
    _oracle_workbook(raw, offices, criteria, dimensions).save(oracle)
    computed = soffice_convert(oracle, tmp_path / "calc", "xlsx", soffice=soffice)

    book = load_workbook(computed, data_only=True)
    sheet = book["result"]
    expected: dict[str, dict[str, Any]] = {}
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(offices), values_only=True):
        office_id, mean, shown_total, rank, countif_rank, tier, *dims = row
        assert isinstance(mean, (int, float)), f"LibreOffice did not recalculate: {row}"
        assert isinstance(shown_total, (int, float)) and isinstance(rank, (int, float))
        assert rank == countif_rank, row  # RANK and the COUNTIF route agree
        expected[str(office_id)] = {
            "total": f"{shown_total:.2f}",
            "rank": int(rank),
            "tier": None if tier == "-" else tier,
            "dimensions": {d: f"{v:.2f}" for d, v in zip(dimensions, dims, strict=True)},
        }
    book.close()

    # The example's designed features, seen by the oracle too.
    assert expected["lp-ko-kha"]["total"] == expected["lp-mae-tha"]["total"] == "72.00"
    assert expected["lp-ko-kha"]["rank"] == expected["lp-mae-tha"]["rank"]
    assert expected["lp-wang-nuea"]["total"] == "80.00"
    assert expected["lp-wang-nuea"]["tier"] == "ดีเด่น"

    completed = subprocess.run(
        [
            sys.executable, "-m", "officestar_cli", "score", *map(str, workbooks),
            "--rubric", str(RUBRIC_PATH), "--store", str(tmp_path / "store.sqlite3"),
            "--no-report", "--json",
        ],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    got = {
        o["office_id"]: {
            "total": o["total"], "rank": o["rank"], "tier": o["tier"], "dimensions": o["dimensions"]
        }
        for o in result["offices"]
    }
    assert got == expected
    assert {o["office_id"]: o["office"] for o in result["offices"]} == names
    # Listed in rank order.
    ranks = [o["rank"] for o in result["offices"]]
    assert ranks == sorted(ranks)
