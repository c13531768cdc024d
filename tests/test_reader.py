"""read_workbook on returned workbooks, one hazard at a time.

Each workbook is made by the template code, filled like a member would fill it
(tests/fill.py), then changed in one way. Every test pins the Issue code, the
sheet and the cell, so that the officer can tell the member "sheet เถิน, cell E7".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import INFOGRAPHIC_RUBRIC
from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.intake.xlsx.container import ODS_MIME, OLE_MAGIC, Limits
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf
from officestar_cli.workbook.template import COVER_NAME
from returned import (
    copy,
    expected_scores,
    found,
    make_filled,
    mutate,
    rewrite_parts,
    score_for,
    scores_of,
    sheet_part,
)
from support.filler import to_shared_strings

MEMBER = "นาย ทดสอบ"
ROUND = 2
SHEET = "เถิน"  # office lp-thoen
OFFICE = "lp-thoen"
CRITERION = "1.2"  # maximum 10, on row 7 of every office sheet
ROW = 7
CELL = f"{sf.SCORE_COLUMN}{ROW}"
COVER = COVER_NAME
MEMBER_CELL = sf.COVER_CELLS["member"]


@dataclass(frozen=True)
class Books:
    filled: Path  # a member's workbook, every office scored
    blank_filled: Path  # a blank workbook filled without typing a name on the cover
    expected: dict[tuple[str, str], Decimal]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Books:
    folder = tmp_path_factory.mktemp("returned")
    filled = make_filled(rubric, ROUND, MEMBER, folder / "filled.xlsx")
    blank_filled = make_filled(rubric, ROUND, None, folder / "blank-filled.xlsx")
    return Books(filled, blank_filled, expected_scores(rubric, score_for(rubric)))


@pytest.fixture
def read(rubric: Rubric) -> Callable[[Path], Reading]:
    def run(path: Path) -> Reading:
        return read_workbook(path, rubric, ROUND)

    return run


def changed(books: Books, tmp_path: Path, change: Callable[[Workbook], object]) -> Path:
    return mutate(books.filled, tmp_path / "x.xlsx", change)


def set_score(value: object) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        workbook[SHEET][CELL].value = value

    return change


def assert_rejected_whole(reading: Reading) -> None:
    """A file with an error keeps no score at all (all or nothing)."""
    assert not reading.ok
    assert reading.scores == []
    assert reading.offices_scored == []


# ---------------------------------------------------------------- the good file


def test_the_template_layout_these_tests_rely_on(books: Books, rubric: Rubric) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(books.filled)[SHEET]
    assert sheet[f"{sf.ID_COLUMN}{ROW}"].value == CRITERION
    assert sheet[f"{sf.OFFICE_ID_COLUMN}{sf.OFFICE_ID_ROW}"].value == OFFICE
    assert rubric.criterion_by_id[CRITERION].max == 10


def test_a_filled_workbook_reads_every_score(books: Books, read: Callable[[Path], Reading]) -> None:
    reading = read(books.filled)
    assert found(reading) == []
    assert reading.ok
    assert reading.member == MEMBER
    assert reading.round == ROUND
    assert reading.fiscal_year == 2567
    assert reading.workbook_id and len(reading.workbook_id) == 36
    assert reading.sha256 and len(reading.sha256) == 64
    assert reading.size == books.filled.stat().st_size
    assert scores_of(reading) == books.expected
    where = {(s.office_id, s.criterion_id): (s.sheet, s.cell) for s in reading.scores}
    assert where[(OFFICE, CRITERION)] == (SHEET, CELL)


def test_reading_does_not_change_the_input(books: Books, read: Callable[[Path], Reading]) -> None:
    before = books.filled.read_bytes()
    read(books.filled)
    assert books.filled.read_bytes() == before


# ---------------------------------------------------------------- score cells


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        ("4,5", "4,5"),
        ("5 คะแนน", "5 คะแนน"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("-inf", "-inf"),
        ("4.5.1", "4.5.1"),
        (True, True),
        (False, False),
        (dt.datetime(2024, 5, 4), "2024-05-04"),
        (dt.date(2024, 5, 4), "2024-05-04"),
    ],
    ids=repr,
)
def test_not_a_number(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], value: object, raw: object
) -> None:
    reading = read(changed(books, tmp_path, set_score(value)))
    assert found(reading) == [("not-a-number", SHEET, CELL)]
    (problem,) = reading.issues
    assert problem.value == raw
    assert problem.as_json("en")["value"] == raw
    assert problem.expected == "0–10"
    assert_rejected_whole(reading)


def test_an_error_value_is_not_a_number(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def change(workbook: Workbook) -> None:
        cell = workbook[SHEET][CELL]
        cell.value = "#REF!"
        cell.data_type = "e"

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("not-a-number", SHEET, CELL)]
    assert reading.issues[0].value == "#REF!"
    assert "#REF!" in reading.issues[0].message("en")
    assert_rejected_whole(reading)


def test_a_decimal_comma_gets_a_hint(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(changed(books, tmp_path, set_score("4,5")))
    assert "4.5" in reading.issues[0].message("en")
    assert "4.5" in reading.issues[0].message("th")


def test_formula_in_score(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(changed(books, tmp_path, set_score("=1+2")))
    assert found(reading) == [("formula-in-score", SHEET, CELL)]
    assert reading.issues[0].value == "=1+2"
    assert_rejected_whole(reading)


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (11, "score-above-max", "10"),
        (10.01, "score-above-max", "10"),
        (-1, "negative-score", "0–10"),
        (-0.5, "negative-score", "0–10"),
        (1.234, "too-many-decimals", "2"),
        ("1.234", "too-many-decimals", "2"),
    ],
)
def test_score_out_of_bounds(
    books: Books,
    tmp_path: Path,
    read: Callable[[Path], Reading],
    value: object,
    code: str,
    expected: str,
) -> None:
    reading = read(changed(books, tmp_path, set_score(value)))
    assert found(reading) == [(code, SHEET, CELL)]
    assert reading.issues[0].value == value
    assert reading.issues[0].expected == expected
    assert_rejected_whole(reading)


@pytest.mark.parametrize(
    ("value", "score"),
    [
        ("\u00a0๔.๕\u00a0", Decimal("4.5")),
        (" ๔.๕ ", Decimal("4.5")),
        ("4.5", Decimal("4.5")),
        ("\u2007 7 \t", Decimal("7")),
        (0, Decimal("0")),
        ("0", Decimal("0")),
        (10, Decimal("10")),
        (9.99, Decimal("9.99")),
        ("๑๐", Decimal("10")),
    ],
    ids=repr,
)
def test_accepted_values(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], value: object, score: Decimal
) -> None:
    reading = read(changed(books, tmp_path, set_score(value)))
    # A number typed as text is accepted with a warning on its cell (the workbook's own
    # subtotals leave text out); a number is accepted without one.
    typed_as_text = [("number-as-text", reading.issues[0].sheet, "E7")] if isinstance(value, str) else []
    assert found(reading) == typed_as_text
    assert reading.ok
    expected = dict(books.expected)
    expected[(OFFICE, CRITERION)] = score
    assert scores_of(reading) == expected


def test_blank_score(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(changed(books, tmp_path, set_score(None)))
    assert found(reading) == [("blank-score", SHEET, CELL)]
    assert_rejected_whole(reading)


def test_spaces_only_is_blank(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(changed(books, tmp_path, set_score("\u00a0 ")))
    assert found(reading) == [("blank-score", SHEET, CELL)]


def test_every_blank_cell_is_named(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook[SHEET]["E6"].value = None
        workbook[SHEET]["E8"].value = None

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("blank-score", SHEET, "E6"), ("blank-score", SHEET, "E8")]


def test_every_bad_cell_of_a_file_is_reported(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[SHEET][CELL].value = "4,5"
        workbook["งาว"]["E6"].value = 99

    reading = read(changed(books, tmp_path, change))
    assert sorted(found(reading)) == sorted(
        [("not-a-number", SHEET, CELL), ("score-above-max", "งาว", "E6")]
    )


def test_office_not_scored_is_a_warning(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], rubric: Rubric
) -> None:
    def change(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        for row in range(1, sheet.max_row + 1):
            if sheet.cell(row, 1).value in rubric.criterion_by_id:
                sheet.cell(row, 5).value = None

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("office-not-scored", SHEET, None)]
    assert reading.issues[0].severity == "warning"
    assert reading.issues[0].value == SHEET
    assert reading.ok
    assert reading.offices_not_scored == [OFFICE]
    assert OFFICE not in reading.offices_scored
    assert OFFICE in reading.offices_expected
    expected = {k: v for k, v in books.expected.items() if k[0] != OFFICE}
    assert scores_of(reading) == expected


def test_a_note_is_read_with_its_score(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[SHEET][f"{sf.NOTES_COLUMN}{ROW}"].value = "มีแผนปฏิบัติงานครบ"

    reading = read(changed(books, tmp_path, change))
    (score,) = [s for s in reading.scores if (s.office_id, s.criterion_id) == (OFFICE, CRITERION)]
    assert score.note == "มีแผนปฏิบัติงานครบ"


def test_a_total_is_never_trusted(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    """A typed number over a total formula changes nothing: totals are recomputed."""

    def change(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        for row in range(1, sheet.max_row + 1):
            if sheet.cell(row, 2).value == "รวมทั้งสิ้น":
                sheet.cell(row, 5).value = 100

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == []
    assert scores_of(reading) == books.expected


# Values that only a broken or hostile file holds: written into the sheet XML.
@pytest.mark.parametrize(
    ("xml_value", "code", "score"),
    [
        ("NaN", "not-a-number", None),
        ("INF", "not-a-number", None),
        ("-inf", "not-a-number", None),
        ("1e400", "not-a-number", None),
        ("4.4999999999999996", None, Decimal("4.5")),  # how some programs write 4.5
        ("1E0", None, Decimal("1")),
    ],
)
def test_number_text_as_written_in_the_xml(
    books: Books,
    tmp_path: Path,
    read: Callable[[Path], Reading],
    xml_value: str,
    code: str | None,
    score: Decimal | None,
) -> None:
    marked = changed(books, tmp_path, set_score(7.77))
    part = sheet_part(marked, SHEET)

    def patch(data: bytes) -> bytes:
        assert data.count(b"<v>7.77</v>") == 1
        return data.replace(b"<v>7.77</v>", f"<v>{xml_value}</v>".encode())

    reading = read(rewrite_parts(marked, tmp_path / "patched.xlsx", {part: patch}))
    if code is None:
        assert found(reading) == []
        assert scores_of(reading)[(OFFICE, CRITERION)] == score
    else:
        assert found(reading) == [(code, SHEET, CELL)]
        assert reading.issues[0].as_json("en")["value"] is not None


def test_a_value_far_away_is_found_quickly(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[SHEET]["XFD1048576"].value = 5

    path = changed(books, tmp_path, change)
    started = time.perf_counter()
    reading = read(path)
    assert time.perf_counter() - started < 2
    assert found(reading) == [("stray-value", SHEET, "XFD1048576")]
    assert reading.issues[0].severity == "warning"
    assert reading.ok
    assert scores_of(reading) == books.expected


# ---------------------------------------------------------------- structure


def test_missing_office(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    # The template locks the workbook structure; openpyxl, like a determined member, ignores it.
    reading = read(changed(books, tmp_path, lambda wb: wb.remove(wb[SHEET])))
    assert found(reading) == [("missing-office", None, None)]
    assert reading.issues[0].value == SHEET
    assert_rejected_whole(reading)


def test_duplicate_office(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook.copy_worksheet(workbook[SHEET]).title = "สำเนา"

    reading = read(changed(books, tmp_path, change))
    assert sorted(found(reading)) == sorted(
        [("duplicate-office", SHEET, None), ("duplicate-office", "สำเนา", None)]
    )
    assert all(i.value == SHEET for i in reading.issues)
    assert SHEET in reading.issues[0].message("en") and "สำเนา" in reading.issues[0].message("en")
    assert_rejected_whole(reading)


def test_unknown_sheet_is_a_warning(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook.create_sheet("บันทึกของฉัน")["A1"] = "ร่างคะแนน 5"

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("unknown-sheet", "บันทึกของฉัน", None)]
    assert reading.ok
    assert scores_of(reading) == books.expected


def test_missing_criterion(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook[SHEET][f"{sf.ID_COLUMN}{ROW}"].value = None

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("missing-criterion", SHEET, None)]
    assert reading.issues[0].value == CRITERION
    assert_rejected_whole(reading)


def test_duplicate_criterion(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook[SHEET][f"{sf.ID_COLUMN}{ROW + 1}"].value = CRITERION

    reading = read(changed(books, tmp_path, change))
    # 1.3's row now says 1.2: 1.2 is on two rows and 1.3 on none.
    assert sorted(found(reading)) == [
        ("duplicate-criterion", SHEET, f"{sf.ID_COLUMN}{ROW + 1}"),
        ("missing-criterion", SHEET, None),
    ]
    assert_rejected_whole(reading)


def test_merged_score(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(changed(books, tmp_path, lambda wb: wb[SHEET].merge_cells(f"D{ROW}:E{ROW}")))
    assert found(reading) == [("merged-score", SHEET, CELL)]
    assert reading.issues[0].value == f"D{ROW}:E{ROW}"
    assert_rejected_whole(reading)


def test_too_many_sheets(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], rubric: Rubric
) -> None:
    def change(workbook: Workbook) -> None:
        for n in range(11):
            workbook.create_sheet(f"extra {n}")

    path = changed(books, tmp_path, change)
    limit = Limits.for_offices(len(rubric.offices)).max_sheets
    assert limit == len(rubric.offices) + 10
    reading = read(path)
    assert found(reading) == [("too-large", None, None)]
    assert str(limit) in reading.issues[0].message("en")


# ---------------------------------------------------------------- identity


def test_missing_member_name(books: Books, read: Callable[[Path], Reading]) -> None:
    reading = read(books.blank_filled)
    assert found(reading) == [("missing-member-name", COVER, MEMBER_CELL)]
    assert MEMBER_CELL in reading.issues[0].message("th")
    assert reading.member is None
    assert_rejected_whole(reading)


def test_a_blank_workbook_takes_the_name_typed_on_the_cover(
    tmp_path: Path, rubric: Rubric, read: Callable[[Path], Reading]
) -> None:
    path = make_filled(rubric, ROUND, None, tmp_path / "x.xlsx", typed_member="  นาง   พิมพ์ชื่อ ")
    reading = read(path)
    assert found(reading) == []
    assert reading.member == "นาง พิมพ์ชื่อ"  # NFC, trimmed, spaces collapsed
    assert scores_of(reading) == expected_scores(rubric, score_for(rubric))


def test_wrong_round(books: Books, rubric: Rubric) -> None:
    reading = read_workbook(books.filled, rubric, 3)
    assert found(reading) == [("wrong-round", None, None)]
    assert (reading.issues[0].value, reading.issues[0].expected) == ("2", "3")
    assert_rejected_whole(reading)


def test_wrong_fiscal_year(books: Books, rubric: Rubric) -> None:
    next_year = dataclasses.replace(rubric, fiscal_year=2568)
    assert next_year.fingerprint == rubric.fingerprint  # the year is not in the fingerprint
    reading = read_workbook(books.filled, next_year, ROUND)
    assert found(reading) == [("wrong-fiscal-year", None, None)]
    assert (reading.issues[0].value, reading.issues[0].expected) == ("2567", "2568")
    assert_rejected_whole(reading)


def test_identity_checks_come_in_the_contract_order(
    books: Books, tmp_path: Path, rubric: Rubric
) -> None:
    path = changed(books, tmp_path, set_score("4,5"))
    reading = read_workbook(path, dataclasses.replace(rubric, fiscal_year=2568), 3)
    assert [c for c, _, _ in found(reading)] == ["wrong-fiscal-year", "wrong-round", "not-a-number"]


def test_wrong_rubric(books: Books, rubric: Rubric) -> None:
    other = load_rubric(INFOGRAPHIC_RUBRIC)
    assert other.fingerprint != rubric.fingerprint
    reading = read_workbook(books.filled, other, ROUND)
    assert found(reading) == [("wrong-rubric", None, None)]
    problem = reading.issues[0]
    assert problem.value == rubric.fingerprint[:12]
    assert problem.expected == other.short_fingerprint
    assert "--rubric" in problem.message("en") and "--rubric" in problem.message("th")
    assert_rejected_whole(reading)


def test_a_changed_maximum_is_another_rubric(books: Books, rubric: Rubric) -> None:
    dimension = rubric.dimensions[0]
    criteria = list(dimension.criteria)
    criteria[1] = dataclasses.replace(criteria[1], max=Decimal(11))
    changed_rubric = dataclasses.replace(
        rubric, dimensions=(dataclasses.replace(dimension, criteria=tuple(criteria)), *rubric.dimensions[1:])
    )
    reading = read_workbook(books.filled, changed_rubric, ROUND)
    assert [c for c, _, _ in found(reading)] == ["wrong-rubric"]


def test_not_a_score_sheet(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    workbook = Workbook()
    workbook.active["A1"] = "คะแนน"  # type: ignore[index]
    workbook.save(tmp_path / "plain.xlsx")
    reading = read(tmp_path / "plain.xlsx")
    assert found(reading) == [("not-a-score-sheet", None, None)]
    assert_rejected_whole(reading)


def test_unknown_format(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook[COVER][sf.COVER_CELLS["format"]].value = "officestar-score/9"
        workbook[sf.IDENTITY_SHEET]["B1"].value = "officestar-score/9"

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("unknown-format", None, None)]
    assert reading.issues[0].value == "officestar-score/9"


def test_identity_sheet_deleted(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(changed(books, tmp_path, lambda wb: wb.remove(wb[sf.IDENTITY_SHEET])))
    assert found(reading) == [("identity-from-cells", COVER, None)]
    assert reading.issues[0].severity == "warning"
    assert reading.ok
    assert reading.member == MEMBER
    assert scores_of(reading) == books.expected


@pytest.mark.parametrize(
    ("state", "warned"),
    # merely hidden is what LibreOffice saves: the identity sheet is still there and agrees
    # with the cover, so there is nothing to warn about (docs/design.md, "Identity sheet")
    [("visible", [("identity-from-cells", COVER, None)]), ("hidden", [])],
)
def test_identity_sheet_no_longer_very_hidden(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], state: str,
    warned: list[tuple[str, str | None, str | None]],
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[sf.IDENTITY_SHEET].sheet_state = state

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == warned
    assert reading.ok
    assert scores_of(reading) == books.expected


def test_merely_hidden_identity_sheet_that_disagrees_is_an_error(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[sf.IDENTITY_SHEET].sheet_state = "hidden"
        workbook.worksheets[0]["B5"].value = 3  # the round on the cover

    reading = read(changed(books, tmp_path, change))
    assert ("identity-mismatch", COVER, "B5") in found(reading)
    assert not reading.ok


def _identity_row(workbook: Workbook, key: str) -> int:
    sheet: Worksheet = workbook[sf.IDENTITY_SHEET]
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value == key:
            return row
    raise KeyError(key)


@pytest.mark.parametrize(
    ("key", "value"),
    [("member", "นาง คนอื่น"), ("round", 3), ("workbook_id", "00000000-0000-4000-8000-000000000000")],
)
def test_identity_mismatch(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], key: str, value: object
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[sf.IDENTITY_SHEET].cell(_identity_row(workbook, key), 2).value = value

    reading = read(changed(books, tmp_path, change))
    mismatches = [i for i in reading.issues if i.code == "identity-mismatch"]
    assert [(i.sheet, i.cell) for i in mismatches] == [(COVER, sf.COVER_CELLS[key])]
    assert mismatches[0].expected == str(value)
    assert_rejected_whole(reading)


def test_a_member_name_changed_on_the_cover_is_a_mismatch(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def change(workbook: Workbook) -> None:
        workbook[COVER][MEMBER_CELL].value = "นาง คนอื่น"

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == [("identity-mismatch", COVER, MEMBER_CELL)]
    assert (reading.issues[0].value, reading.issues[0].expected) == ("นาง คนอื่น", MEMBER)


# ---------------------------------------------------------------- identity survives a member's edits


def test_sheets_reordered_and_renamed(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    def change(workbook: Workbook) -> None:
        workbook.move_sheet(SHEET, offset=-3)
        workbook.move_sheet(COVER, offset=len(workbook.sheetnames) - 1)
        workbook.move_sheet("งาว", offset=4)
        workbook[SHEET].title = "อำเภอของฉัน"
        workbook["งาว"].title = "Sheet1"
        workbook[COVER].title = "cover"

    path = changed(books, tmp_path, change)
    reading = read(path)
    assert found(reading) == []
    assert scores_of(reading) == books.expected
    where = {(s.office_id, s.criterion_id): (s.sheet, s.cell) for s in reading.scores}
    assert where[(OFFICE, CRITERION)] == ("อำเภอของฉัน", CELL)
    assert where[("lp-ngao", CRITERION)] == ("Sheet1", CELL)


def test_sheets_swap_names(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    """Two office sheets trade names: each is still read as the office its id cell says."""

    def change(workbook: Workbook) -> None:
        workbook[SHEET].title = "tmp"
        workbook["งาว"].title = SHEET
        workbook["tmp"].title = "งาว"

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == []
    assert scores_of(reading) == books.expected


def test_a_row_inserted(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    # openpyxl does not move data validations or merges with the rows: neither is read.
    def change(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        sheet.insert_rows(ROW)
        sheet[f"B{ROW}"] = "หมายเหตุของกรรมการ"
        sheet[f"F{ROW}"] = "ดูหลักฐานแนบ"

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == []
    assert scores_of(reading) == books.expected
    where = {(s.office_id, s.criterion_id): s.cell for s in reading.scores}
    assert where[(OFFICE, CRITERION)] == f"{sf.SCORE_COLUMN}{ROW + 1}"
    assert where[("lp-ngao", CRITERION)] == CELL


def test_rows_inserted_on_every_office_sheet(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], rubric: Rubric
) -> None:
    def change(workbook: Workbook) -> None:
        for sheet in workbook.worksheets:
            if sheet.title not in (COVER, sf.IDENTITY_SHEET):
                sheet.insert_rows(sf.FIRST_DATA_ROW, amount=3)

    reading = read(changed(books, tmp_path, change))
    assert found(reading) == []
    assert scores_of(reading) == books.expected


# ---------------------------------------------------------------- the container


def test_not_a_workbook_text(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("คะแนน 5, 4, 3\n", "utf-8")
    reading = read(path)
    assert found(reading) == [("not-a-workbook", None, None)]
    assert reading.sha256 is not None  # the file was read, and is named by its content


def test_not_a_workbook_empty(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert found(read(path)) == [("not-a-workbook", None, None)]


def test_not_a_workbook_other_zip(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert found(read(path)) == [("not-a-workbook", None, None)]


def test_legacy_xls(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_MAGIC + bytes(4096))
    assert bytes.fromhex("d0cf11e0a1b11ae1") == OLE_MAGIC
    reading = read(path)
    assert found(reading) == [("legacy-format", None, None)]
    assert ".xls" in reading.issues[0].message("en") and ".xlsx" in reading.issues[0].message("th")


def test_legacy_ods(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    path = tmp_path / "calc.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    assert ODS_MIME == b"application/vnd.oasis.opendocument.spreadsheet"
    reading = read(path)
    assert found(reading) == [("legacy-format", None, None)]
    assert ".ods" in reading.issues[0].message("en")


def test_encrypted_workbook(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    # Excel saves a password-protected .xlsx as an OLE container with these streams.
    path = tmp_path / "secret.xlsx"
    body = "EncryptionInfo".encode("utf-16-le") + bytes(64) + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE_MAGIC + bytes(504) + body + bytes(1024))
    assert found(read(path)) == [("encrypted-workbook", None, None)]


def test_corrupt_truncated(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    data = books.filled.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    reading = read(path)
    assert found(reading) == [("corrupt-workbook", None, None)]
    assert_rejected_whole(reading)


def test_corrupt_missing_sheet_part(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    part = sheet_part(books.filled, SHEET)
    reading = read(rewrite_parts(books.filled, tmp_path / "x.xlsx", {part: lambda _: None}))
    assert found(reading) == [("corrupt-workbook", None, None)]


def test_corrupt_xml(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(
        rewrite_parts(books.filled, tmp_path / "x.xlsx", {"xl/workbook.xml": lambda d: d[: len(d) // 2]})
    )
    assert found(reading) == [("corrupt-workbook", None, None)]


def test_xml_not_in_utf8_is_refused(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    part = sheet_part(books.filled, SHEET)

    def to_utf16(data: bytes) -> bytes:
        text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return text.encode("utf-16")

    reading = read(rewrite_parts(books.filled, tmp_path / "x.xlsx", {part: to_utf16}))
    assert found(reading) == [("corrupt-workbook", None, None)]


def test_not_a_file(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    assert found(read(folder)) == [("not-a-file", None, None)]


def test_a_missing_file_is_unreadable(tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    assert found(read(tmp_path / "gone.xlsx")) == [("unreadable-file", None, None)]


def test_lock_file_is_skipped_unread(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    lock = copy(books.filled, tmp_path / "~$x.xlsx")
    reading = read(lock)
    assert found(reading) == [("lock-file", None, None)]
    assert reading.skipped and not reading.ok
    assert reading.issues[0].severity == "warning"
    assert reading.sha256 is None and reading.scores == []


def test_unsafe_xml(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    part = sheet_part(books.filled, SHEET)

    def add_entities(data: bytes) -> bytes:
        # openpyxl writes no XML declaration: the DOCTYPE opens the part.
        bomb = (
            b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        )
        assert b"<v>" in data
        return bomb + data.replace(b"<v>", b"<v>&c;", 1)

    reading = read(rewrite_parts(books.filled, tmp_path / "x.xlsx", {part: add_entities}))
    assert found(reading) == [("unsafe-xml", None, None)]
    assert part in reading.issues[0].message("en")
    assert_rejected_whole(reading)


def _zeros_in_a_sheet(src: Path, dst: Path, part: str, megabytes: int) -> Path:
    """``src`` with ``part`` replaced by ``megabytes`` of zeros, deflated while streaming."""
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != part:
                new.writestr(info.filename, old.read(info))
                continue
            with new.open(part, "w") as handle:
                for _ in range(megabytes):
                    handle.write(chunk)
    return dst


@pytest.mark.parametrize("megabytes", [200, 4])
def test_too_large_when_inflated(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading], megabytes: int
) -> None:
    """200 MB over the per-part cap; 4 MB under it but compressed far beyond the ratio cap."""
    part = sheet_part(books.filled, SHEET)
    path = _zeros_in_a_sheet(books.filled, tmp_path / "bomb.xlsx", part, megabytes)
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        reading = read(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found(reading) == [("too-large", None, None)]
    assert part in reading.issues[0].message("en")
    assert elapsed < 3
    # Nothing was inflated. The bound allows for the reader's file buffer, which is
    # allocated at the file-size cap (64 MiB) whatever the file's size.
    assert peak < Limits.for_offices(14).max_file_bytes + 16 * 1024 * 1024
    assert_rejected_whole(reading)


def test_too_many_cells(books: Books, tmp_path: Path, read: Callable[[Path], Reading]) -> None:
    part = sheet_part(books.filled, SHEET)
    cells = 60_000
    rows = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (col, r) for col in (b"G", b"H"))
        + b"</row>"
        for r in range(1, cells // 2 + 1)
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )
    reading = read(rewrite_parts(books.filled, tmp_path / "x.xlsx", {part: lambda _: sheet}))
    assert found(reading) == [("too-large", None, None)]
    assert "50000" in reading.issues[0].message("en").replace(",", "")


# ---------------------------------------------------------------- the quick paths read what the slow ones do


@pytest.fixture(scope="module")
def shared(books: Books, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The filled workbook with its text in a shared-strings table, as Excel saves it."""
    path = tmp_path_factory.mktemp("shared") / "shared.xlsx"
    to_shared_strings(books.filled, path)
    with zipfile.ZipFile(path) as archive:
        assert b't="s"' in archive.read(sheet_part(path, SHEET))
    return path


def test_shared_strings_read_like_inline_ones(books: Books, shared: Path, read: Callable[[Path], Reading]) -> None:
    reading = read(shared)
    assert reading.ok and found(reading) == []
    assert scores_of(reading) == books.expected
    assert reading.member == MEMBER


def test_stored_members_read_like_deflated_ones(books: Books, shared: Path, tmp_path: Path,
                                                read: Callable[[Path], Reading]) -> None:
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(shared) as old, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
    reading = read(stored)
    assert reading.ok and scores_of(reading) == books.expected


def test_a_wrong_crc_in_the_directory_is_a_corrupt_workbook(
    shared: Path, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    part = sheet_part(shared, SHEET)
    data = bytearray(shared.read_bytes())
    with zipfile.ZipFile(shared) as archive:
        info = archive.getinfo(part)
    # The member's central directory entry: its CRC-32 is 16 bytes after the signature.
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(part)] != part.encode():
        entry = data.find(b"PK\x01\x02", entry + 4)
    assert data[entry + 16 : entry + 20] == info.CRC.to_bytes(4, "little")
    data[entry + 16 : entry + 20] = (info.CRC ^ 1).to_bytes(4, "little")
    damaged = tmp_path / "crc.xlsx"
    damaged.write_bytes(bytes(data))
    assert found(read(damaged)) == [("corrupt-workbook", None, None)]


def test_a_row_written_with_its_columns_out_of_order_still_reads(
    books: Books, shared: Path, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    """The quick path leaves out rows whose column A is not a criterion; a row whose column A
    comes after its score cell in the file must not be left out."""
    part = sheet_part(shared, SHEET)
    cell = re.compile(rb'<c r="[A-Z]+\d+"[^>]*?(?:/>|>.*?</c>)', re.S)

    def a_last(data: bytes) -> bytes:
        def move(match: re.Match[bytes]) -> bytes:
            cells = cell.findall(match.group(2))
            return match.group(1) + b"".join(cells[1:] + cells[:1]) + b"</row>"

        return re.sub(rb"(<row [^>]*>)(.*?)</row>", move, data, flags=re.S)

    moved = rewrite_parts(shared, tmp_path / "moved.xlsx", {part: a_last})
    with zipfile.ZipFile(moved) as archive:
        xml = archive.read(part)
    assert xml.index(b'<c r="E7"') < xml.index(b'<c r="A7"')
    reading = read(moved)
    assert reading.ok and scores_of(reading) == books.expected


def test_shared_strings_the_patterns_do_not_cover_are_parsed(
    books: Books, shared: Path, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    """Rich text in the shared strings takes the parser, and reads the same."""

    def rich(data: bytes) -> bytes:
        assert b'<si><t xml:space="preserve">' in data
        return data.replace(b'<si><t xml:space="preserve">', b'<si><r><t xml:space="preserve">', 1).replace(
            b"</t></si>", b"</t></r></si>", 1
        )

    patched = rewrite_parts(shared, tmp_path / "p.xlsx", {"xl/sharedStrings.xml": rich})
    reading = read(patched)
    assert reading.ok and scores_of(reading) == books.expected


def test_a_date_format_is_found_through_the_parser_as_through_the_patterns(
    books: Books, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    dated = changed(books, tmp_path, lambda wb: setattr(wb[SHEET][CELL], "number_format", "[$-th-TH]d/m/yyyy"))
    assert ("not-a-number", SHEET, CELL) in found(read(dated))

    def single_quotes(data: bytes) -> bytes:
        return re.sub(rb'(numFmtId|formatCode)="([^"]*)"', rb"\1='\2'", data)

    quoted = rewrite_parts(dated, tmp_path / "quoted.xlsx", {"xl/styles.xml": single_quotes})
    with zipfile.ZipFile(quoted) as archive:
        assert b"numFmtId='" in archive.read("xl/styles.xml")
    assert ("not-a-number", SHEET, CELL) in found(read(quoted))


def _with_criterion_max(rubric: Rubric, criterion_id: str, maximum: int) -> Rubric:
    dimensions = []
    for dimension in rubric.dimensions:
        criteria = tuple(
            dataclasses.replace(c, max=Decimal(maximum)) if c.id == criterion_id else c for c in dimension.criteria
        )
        total = sum((c.max for c in criteria), Decimal(0))
        dimensions.append(dataclasses.replace(dimension, criteria=criteria, max=total))
    return dataclasses.replace(rubric, dimensions=tuple(dimensions), total=sum((d.max for d in dimensions), Decimal(0)))


def test_wrong_rubric_names_the_changed_maximum(books: Books, rubric: Rubric) -> None:
    changed_rubric = _with_criterion_max(rubric, CRITERION, 12)
    reading = read_workbook(books.filled, changed_rubric, ROUND)
    assert [c for c, _, _ in found(reading)] == ["wrong-rubric"]
    th, en = reading.issues[0].message("th"), reading.issues[0].message("en")
    assert f"{CRITERION}: คะแนนเต็ม 10 → 12" in th and "ด้านที่ 1: คะแนนเต็ม 20 → 22" in th
    assert f"{CRITERION}: maximum 10 → 12" in en and "dimension 1: maximum 20 → 22" in en
    assert "หน่วยงาน" not in th.split("ที่ต่างกัน:")[1].split("ให้ใช้")[0]  # the offices are the same
    assert rubric.short_fingerprint in th and changed_rubric.short_fingerprint in th


def test_wrong_rubric_names_new_and_removed_offices_and_criteria(books: Books, rubric: Rubric) -> None:
    new_office = dataclasses.replace(rubric.offices[0], id="lp-new", th="หน่วยงานทดลอง", en="Trial office")
    kept = tuple(o for o in rubric.offices if o.id != OFFICE)
    dimension = rubric.dimensions[0]
    extra = dataclasses.replace(dimension.criteria[0], id="1.9")
    first = dataclasses.replace(dimension, criteria=(*dimension.criteria[:-1], extra))
    other = dataclasses.replace(rubric, offices=(*kept, new_office), dimensions=(first, *rubric.dimensions[1:]))
    reading = read_workbook(books.filled, other, ROUND)
    assert [c for c, _, _ in found(reading)] == ["wrong-rubric"]
    th, en = reading.issues[0].message("th"), reading.issues[0].message("en")
    gone = dimension.criteria[-1].id
    assert "หน่วยงานใหม่: หน่วยงานทดลอง (lp-new)" in th and f"หน่วยงานที่เกณฑ์นี้ไม่มี: {OFFICE}" in th
    assert "ข้อใหม่ในเกณฑ์: 1.9" in th and f"ข้อที่เกณฑ์นี้ไม่มี: {gone}" in th
    assert "new offices: Trial office (lp-new)" in en and f"offices this rubric lacks: {OFFICE}" in en
    assert "new criteria: 1.9" in en and f"criteria this rubric lacks: {gone}" in en


def test_wrong_rubric_with_the_same_sheets_points_at_the_precision(books: Books, rubric: Rubric) -> None:
    other = dataclasses.replace(rubric, precision=rubric.precision + 1)
    reading = read_workbook(books.filled, other, ROUND)
    assert [c for c, _, _ in found(reading)] == ["wrong-rubric"]
    assert "precision" in reading.issues[0].message("th") and "precision" in reading.issues[0].message("en")


def test_two_rubrics_compare_as_a_workbook_and_a_rubric_do(rubric: Rubric) -> None:
    from officestar_cli.intake.rubric_diff import between

    changed_rubric = _with_criterion_max(rubric, CRITERION, 12)
    th, en = between(rubric, changed_rubric)
    assert th == f"ที่ต่างกัน: ด้านที่ 1: คะแนนเต็ม 20 → 22; {CRITERION}: คะแนนเต็ม 10 → 12"
    assert en == f"— what differs: dimension 1: maximum 20 → 22; {CRITERION}: maximum 10 → 12"
    assert "precision" in between(rubric, rubric)[1]
