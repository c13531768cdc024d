"""A real client: the template opened and re-saved by LibreOffice headless.

Members fill the workbooks in Excel, LibreOffice Calc or Google Sheets. This is
what LibreOffice keeps of the contract when it saves a workbook as .xlsx.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import ROOT_RUBRIC, invoke
from helpers import soffice_convert
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf
from officestar_cli.workbook.template import COVER_NAME

MEMBER = "นาง ข"
# Scores typed into the template before LibreOffice saves it: sheet index → {row: value}.
TYPED = {1: {6: 4.5, 7: 10, 8: 0}, 14: {6: 3.25}}


@dataclass(frozen=True)
class RoundTrip:
    original: Workbook
    resaved: Workbook
    resaved_path: Path


@pytest.fixture(scope="session")
def round_trip(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    """One template, a few scores typed in, re-saved once by LibreOffice for every test."""
    out = tmp_path_factory.mktemp("lo-template")
    result = invoke(
        ["template", "--rubric", str(ROOT_RUBRIC), "--out", str(out), "--evaluator", MEMBER]
    )
    assert result.exit_code == 0, result.stderr
    (template,) = out.glob("*.xlsx")
    # Typing scores with openpyxl stands in for a member using Calc.
    filled = load_workbook(template)
    for index, scores in TYPED.items():
        for row, value in scores.items():
            filled.worksheets[index][f"{sf.SCORE_COLUMN}{row}"] = value
    filled_path = out / "filled" / template.name
    filled_path.parent.mkdir()
    filled.save(filled_path)
    resaved_path = soffice_convert(
        filled_path, tmp_path_factory.mktemp("lo-resaved"), "xlsx", soffice=soffice
    )
    return RoundTrip(load_workbook(filled_path), load_workbook(resaved_path), resaved_path)


def identity_rows(workbook: Workbook) -> list[tuple[Any, ...]]:
    sheet = workbook[sf.IDENTITY_SHEET]
    return [
        tuple(row)
        for row in sheet.iter_rows(min_col=1, max_col=3, values_only=True)
        if row[0] is not None
    ]


def validation_rules(
    sheet: Worksheet,
) -> list[tuple[str, str | None, str | None, Decimal, Decimal, bool]]:
    rules = []
    for v in sheet.data_validations.dataValidation:
        rules.append(
            (
                str(v.sqref),
                v.type,
                v.operator,
                Decimal(v.formula1),
                Decimal(v.formula2),
                bool(v.showErrorMessage),
            )
        )
    return sorted(rules)


def test_libreoffice_wrote_an_xlsx(round_trip: RoundTrip) -> None:
    assert round_trip.resaved_path.suffix == ".xlsx"
    assert round_trip.resaved_path.stat().st_size > 0
    # It really is LibreOffice's file, not a copy of ours.
    with zipfile.ZipFile(round_trip.resaved_path) as archive:
        application = archive.read("docProps/app.xml").decode("utf-8")
    assert "<Application>LibreOffice" in application


def test_identity_sheet_survives(round_trip: RoundTrip, rubric: Rubric) -> None:
    before, after = identity_rows(round_trip.original), identity_rows(round_trip.resaved)
    assert after == before
    keys = {row[0]: row[1] for row in after}
    assert keys["fingerprint"] == rubric.fingerprint
    assert keys["member"] == MEMBER
    assert [row[1] for row in after if row[0] == sf.IDENTITY_OFFICE_KEY] == [
        o.id for o in rubric.offices
    ]


def test_very_hidden_identity_sheet_comes_back_hidden(round_trip: RoundTrip) -> None:
    # What LibreOffice does, recorded: it has no "very hidden" state, so it saves
    # the identity sheet as merely hidden (LibreOffice 7.4; docs/design.md, "Identity", had
    # expected "visible"). A member could now unhide it from the sheet menu, so
    # the reader treats a sheet that is no longer very hidden as weaker evidence
    # (identity-from-cells). If this fails, LibreOffice changed: update
    # docs/sheet-format.md ("What other programs do") and this test.
    assert round_trip.original[sf.IDENTITY_SHEET].sheet_state == "veryHidden"
    assert round_trip.resaved[sf.IDENTITY_SHEET].sheet_state == "hidden"


def test_sheet_names_order_and_office_id_cells_survive(
    round_trip: RoundTrip, rubric: Rubric
) -> None:
    assert round_trip.resaved.sheetnames == round_trip.original.sheetnames
    visible = [ws for ws in round_trip.resaved.worksheets if ws.sheet_state == "visible"]
    assert len(visible) == 15
    assert visible[0].title == COVER_NAME
    for sheet, office in zip(visible[1:], rubric.offices, strict=True):
        assert sheet.title == office.th
        assert sheet[f"{sf.OFFICE_ID_COLUMN}{sf.OFFICE_ID_ROW}"].value == office.id
        assert sheet[f"{sf.OFFICE_ID_LABEL_COLUMN}{sf.OFFICE_ID_ROW}"].value == "รหัสหน่วยงาน"


def test_cover_identity_cells_survive(round_trip: RoundTrip) -> None:
    before, after = round_trip.original[COVER_NAME], round_trip.resaved[COVER_NAME]
    for key, ref in sf.COVER_CELLS.items():
        assert after[ref].value == before[ref].value, key
        assert after[ref].protection.locked, key


def test_validation_survives_on_every_score_cell(round_trip: RoundTrip) -> None:
    for index in range(1, 15):
        before = round_trip.original.worksheets[index]
        after = round_trip.resaved.worksheets[index]
        rules = validation_rules(after)
        assert rules == validation_rules(before), after.title
        assert len(rules) == 15
        assert all(rule[1:3] == ("decimal", "between") and rule[5] for rule in rules)
        prompts = {str(v.sqref): (v.prompt, v.error) for v in after.data_validations.dataValidation}
        assert prompts == {
            str(v.sqref): (v.prompt, v.error) for v in before.data_validations.dataValidation
        }


def test_score_cells_keep_their_values_and_stay_unlocked(round_trip: RoundTrip) -> None:
    for index in range(1, 15):
        before = round_trip.original.worksheets[index]
        after = round_trip.resaved.worksheets[index]
        assert after.protection.sheet, after.title
        for row in range(sf.FIRST_DATA_ROW, before.max_row + 1):
            score = f"{sf.SCORE_COLUMN}{row}"
            notes = f"{sf.NOTES_COLUMN}{row}"
            assert after[score].protection.locked == before[score].protection.locked, score
            assert after[notes].protection.locked == before[notes].protection.locked, notes
            if not before[score].protection.locked:
                expected = TYPED.get(index, {}).get(row)
                assert after[score].value == expected, f"{after.title}!{score}"
    assert round_trip.resaved.worksheets[1]["E6"].value == 4.5
    assert round_trip.resaved.worksheets[1]["E8"].value == 0, (
        "a typed zero stays a zero, not a blank"
    )
