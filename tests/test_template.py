"""Blank score workbooks, opened with openpyxl and checked against the sheet contract."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import ROOT_RUBRIC, RunCli, invoke
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Criterion, Rubric
from officestar_cli.workbook import contract as sf
from officestar_cli.workbook.template import COVER_NAME, FONT

MEMBERS = ("นาย ก", "นาง ข")
BAD_SHEET_CHARS = set("[]:*?/\\")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The issue's own command, run once: two workbooks for two members."""
    out = tmp_path_factory.mktemp("sheets")
    args = ["template", "--round", "2", "--rubric", str(ROOT_RUBRIC), "--out", str(out)]
    for member in MEMBERS:
        args += ["--evaluator", member]
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    paths = sorted(out.glob("*.xlsx"))
    for path in paths:
        assert str(path) in result.stderr, "template lists what it wrote"
    return paths


@pytest.fixture(scope="session")
def workbooks(written: list[Path]) -> list[Workbook]:
    return [load_workbook(path) for path in written]


@pytest.fixture(scope="session")
def book(workbooks: list[Workbook]) -> Workbook:
    return workbooks[0]


def identity_of(workbook: Workbook) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The identity sheet as (keys → values, [(office id, sheet name)])."""
    sheet = workbook[sf.IDENTITY_SHEET]
    keys: dict[str, Any] = {}
    offices: list[tuple[str, str]] = []
    for key, value, name in sheet.iter_rows(min_col=1, max_col=3, values_only=True):
        if key == sf.IDENTITY_OFFICE_KEY:
            offices.append((str(value), str(name)))
        elif key is not None:
            keys[str(key)] = value
    return keys, offices


def office_sheets(workbook: Workbook) -> list[Worksheet]:
    return [ws for ws in workbook.worksheets if ws.sheet_state == "visible"][1:]


def criterion_rows(sheet: Worksheet, rubric: Rubric) -> dict[int, Criterion]:
    """Rows found by criterion id in column A, as the reader finds them."""
    rows: dict[int, Criterion] = {}
    for row in range(sf.FIRST_DATA_ROW, sheet.max_row + 1):
        value = sheet[f"{sf.ID_COLUMN}{row}"].value
        if isinstance(value, str) and value in rubric.criterion_by_id:
            rows[row] = rubric.criterion_by_id[value]
    return rows


def validations_by_cell(sheet: Worksheet) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                for column in range(cell_range.min_col, cell_range.max_col + 1):
                    ref = sheet.cell(row=row, column=column).coordinate
                    found.setdefault(ref, []).append(validation)
    return found


def write_rubric(tmp_path: Path, rubric_text: str, **changes: Any) -> Path:
    data = yaml.safe_load(rubric_text)
    data.update(changes)
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- files and sheets


def test_one_file_per_evaluator_sorted_in_member_order(written: list[Path]) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o666 & ~umask}  # as any new file
    assert [p.name for p in written] == [
        "officestar-2567-round-2-01-นาย-ก.xlsx",
        "officestar-2567-round-2-02-นาง-ข.xlsx",
    ]


def test_fifteen_visible_sheets_and_one_very_hidden_identity_sheet(
    workbooks: list[Workbook], rubric: Rubric
) -> None:
    for workbook in workbooks:
        states = [(ws.title, ws.sheet_state) for ws in workbook.worksheets]
        visible = [title for title, state in states if state == "visible"]
        assert len(visible) == 15
        assert visible[0] == COVER_NAME
        assert visible[1:] == [o.th for o in rubric.offices]
        assert [(t, s) for t, s in states if s != "visible"] == [(sf.IDENTITY_SHEET, "veryHidden")]
        assert workbook.active is not None and workbook.active.title == COVER_NAME


def test_identity_sheet_holds_the_identity(workbooks: list[Workbook], rubric: Rubric) -> None:
    ids = []
    for workbook, member in zip(workbooks, MEMBERS, strict=True):
        keys, offices = identity_of(workbook)
        assert list(keys) == list(sf.IDENTITY_KEYS)
        assert keys["format"] == sf.FORMAT_VERSION == "officestar-score/1"
        assert keys["fingerprint"] == rubric.fingerprint
        assert keys["fiscal_year"] == 2567
        assert keys["round"] == 2
        assert keys["member"] == member
        assert uuid.UUID(keys["workbook_id"]).version == 4
        ids.append(keys["workbook_id"])
        assert [office_id for office_id, _ in offices] == [o.id for o in rubric.offices]
        for office_id, name in offices:
            assert workbook[name][f"{sf.OFFICE_ID_COLUMN}{sf.OFFICE_ID_ROW}"].value == office_id
        assert workbook[sf.IDENTITY_SHEET].protection.sheet
    assert len(set(ids)) == len(ids), "each workbook has its own workbook id"


def test_cover_repeats_the_identity_in_its_fixed_cells(
    workbooks: list[Workbook], rubric: Rubric
) -> None:
    for workbook, member in zip(workbooks, MEMBERS, strict=True):
        cover = workbook[COVER_NAME]
        keys, _ = identity_of(workbook)
        cells = {key: cover[ref].value for key, ref in sf.COVER_CELLS.items()}
        assert cells == {
            "contest": rubric.contest.th,
            "fiscal_year": 2567,
            "round": 2,
            "member": member,
            "format": sf.FORMAT_VERSION,
            "fingerprint": rubric.fingerprint,
            "workbook_id": keys["workbook_id"],
        }
        for ref in sf.COVER_CELLS.values():
            assert cover[ref].protection.locked, f"{ref} must be locked when the member is named"
        text = "\n".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
        assert "ช่องว่าง" in text and "ไม่ใช่ศูนย์" in text, "the cover says a blank is not a zero"
        assert "ส่งกลับ" in text and "กลุ่มงานยุทธศาสตร์" in text, "the cover says where to send the file"


def test_office_sheets_carry_their_office_id_and_headers(book: Workbook, rubric: Rubric) -> None:
    for sheet, office in zip(office_sheets(book), rubric.offices, strict=True):
        assert sheet[f"{sf.OFFICE_ID_LABEL_COLUMN}{sf.OFFICE_ID_ROW}"].value == "รหัสหน่วยงาน"
        assert sheet[f"{sf.OFFICE_ID_COLUMN}{sf.OFFICE_ID_ROW}"].value == office.id
        assert sheet[f"B{sf.OFFICE_ID_ROW}"].value == office.th
        headers = [sheet[f"{c}{sf.HEADER_ROW}"].value for c in "ABCDEF"]
        assert headers[3:5] == ["คะแนนเต็ม", "คะแนนที่ได้"]
        rows = criterion_rows(sheet, rubric)
        assert [c.id for c in rows.values()] == [c.id for c in rubric.criteria]
        for row, criterion in rows.items():
            assert Decimal(str(sheet[f"{sf.MAX_COLUMN}{row}"].value)) == criterion.max
            assert sheet[f"{sf.TITLE_COLUMN}{row}"].value == criterion.th
            assert sheet[f"{sf.SCORE_COLUMN}{row}"].value is None, "score cells start blank"
        assert max(rows) < sf.office_rows_limit(len(rubric.criteria), len(rubric.dimensions))


def test_totals_are_formulas_over_the_score_cells(book: Workbook, rubric: Rubric) -> None:
    sheet = office_sheets(book)[0]
    formulas = [
        c.value
        for c in sheet[sf.SCORE_COLUMN]
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert len(formulas) == len(rubric.dimensions) + 1
    assert all(f.startswith("=SUM(E") for f in formulas[:-1])


# ---------------------------------------------------------------- validation and protection


def test_every_score_cell_has_decimal_validation_up_to_its_maximum(
    workbooks: list[Workbook], rubric: Rubric
) -> None:
    for workbook in workbooks:
        for sheet in office_sheets(workbook):
            by_cell = validations_by_cell(sheet)
            rows = criterion_rows(sheet, rubric)
            assert len(rows) == 15
            for row, criterion in rows.items():
                ref = f"{sf.SCORE_COLUMN}{row}"
                assert len(by_cell.get(ref, [])) == 1, f"{sheet.title}!{ref}"
                validation = by_cell[ref][0]
                assert validation.type == "decimal"
                assert validation.operator == "between"
                assert Decimal(validation.formula1) == 0
                assert Decimal(validation.formula2) == criterion.max
                assert validation.allow_blank
                assert validation.showErrorMessage and validation.errorStyle == "stop"
                assert validation.showInputMessage and validation.prompt
                assert criterion.id in validation.error
            # Nothing else is validated: the reader re-checks every value anyway.
            assert set(by_cell) == {f"{sf.SCORE_COLUMN}{row}" for row in rows}


def test_every_sheet_is_protected_without_a_password(workbooks: list[Workbook]) -> None:
    for workbook in workbooks:
        for sheet in workbook.worksheets:
            assert sheet.protection.sheet, sheet.title
            assert not sheet.protection.password, "docs/sheet-format.md promises no password"
        assert workbook.security is not None
        assert workbook.security.lockStructure
        assert not workbook.security.workbookPassword


def test_only_score_and_notes_cells_are_unlocked(workbooks: list[Workbook], rubric: Rubric) -> None:
    for workbook in workbooks:
        assert not [
            c.coordinate for c in workbook[COVER_NAME]._cells.values() if not c.protection.locked
        ], "a named member's cover has no input cell"
        for sheet in office_sheets(workbook):
            rows = criterion_rows(sheet, rubric)
            inputs = {f"{col}{row}" for row in rows for col in (sf.SCORE_COLUMN, sf.NOTES_COLUMN)}
            unlocked = {c.coordinate for c in sheet._cells.values() if not c.protection.locked}
            assert unlocked == inputs, sheet.title


def test_fonts_are_th_sarabunpsk_16(book: Workbook, rubric: Rubric) -> None:
    for sheet in book.worksheets[:-1]:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == FONT == "TH SarabunPSK", (
                        f"{sheet.title}!{cell.coordinate}"
                    )
    sheet = office_sheets(book)[0]
    for row in criterion_rows(sheet, rubric):
        for column in ("A", "B", "D", "E", "F"):
            assert sheet[f"{column}{row}"].font.sz == 16, f"{column}{row}"
    assert book[COVER_NAME][sf.COVER_CELLS["member"]].font.sz == 16


def test_a4_fit_to_width_print_titles_and_frozen_header(workbooks: list[Workbook]) -> None:
    for workbook in workbooks:
        for sheet in workbook.worksheets[:-1]:
            assert int(sheet.page_setup.paperSize or 0) == int(sheet.PAPERSIZE_A4) == 9
            assert str(sheet.page_setup.fitToWidth) == "1"
            assert str(sheet.page_setup.fitToHeight) == ("1" if sheet.title == COVER_NAME else "0")  # cover: 1 page
            assert sheet.sheet_properties.pageSetUpPr is not None
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
        for sheet in office_sheets(workbook):
            assert sheet.page_setup.orientation == "landscape"
            assert sheet.print_title_rows == f"${sf.HEADER_ROW}:${sf.HEADER_ROW}"
            assert sheet.freeze_panes == f"A{sf.HEADER_ROW + 1}"


def test_sheet_names_are_valid_unique_and_thai(workbooks: list[Workbook]) -> None:
    for workbook in workbooks:
        names = [ws.title for ws in workbook.worksheets]
        for name in names:
            assert 1 <= len(name) <= sf.SHEET_NAME_MAX, name
            assert not BAD_SHEET_CHARS & set(name), name
            assert not name.startswith("'") and not name.endswith("'"), name
        assert len({n.casefold() for n in names}) == len(names)
        for name in names[:-1]:
            assert re.search("[\u0e00-\u0e7f]", name), f"{name} is not Thai"


@pytest.mark.parametrize(
    ("wanted", "taken", "expected"),
    [
        ("เมืองลำปาง", set(), "เมืองลำปาง"),
        ("a/b\\c[d]e:f*g?h", set(), "a-b-c-d-e-f-g-h"),
        ("ก" * 40, set(), "ก" * 31),
        ("เถิน", {"เถิน"}, "เถิน (2)"),
        ("Thoen", {"thoen", "Thoen (2)"}, "Thoen (3)"),
        ("ข" * 40, {"ข" * 31}, "ข" * 27 + " (2)"),
        ("'quoted'", set(), "quoted"),
        ("???", set(), "---"),
        ("", set(), "sheet"),
    ],
)
def test_sheet_name_rules(wanted: str, taken: set[str], expected: str) -> None:
    taken = set(taken)
    name = sf.sheet_name(wanted, taken)
    assert name == expected
    assert len(name) <= 31 and not BAD_SHEET_CHARS & set(name)
    assert name in taken


# ---------------------------------------------------------------- the command


def test_refuses_to_overwrite_without_force(run_cli: RunCli, tmp_path: Path) -> None:
    args = [
        "template",
        "--rubric",
        str(ROOT_RUBRIC),
        "--out",
        str(tmp_path),
        "--evaluator",
        "นาย ก",
    ]
    first = run_cli(*args)
    assert first.exit_code == 0
    (path,) = tmp_path.glob("*.xlsx")
    before = sha256(path)
    refused = run_cli(*args, "--lang", "en")
    assert refused.exit_code == 2
    assert "--force" in refused.stderr and path.name in refused.stderr
    assert sha256(path) == before, "the existing workbook is left as it was"
    forced = run_cli(*args, "--force")
    assert forced.exit_code == 0
    assert sha256(path) != before, "--force wrote a new workbook (new workbook id)"
    assert [p.name for p in tmp_path.iterdir()] == [path.name], "no temporary file is left behind"


def test_refusal_writes_none_of_the_files(run_cli: RunCli, tmp_path: Path) -> None:
    base = ["template", "--rubric", str(ROOT_RUBRIC), "--out", str(tmp_path)]
    assert run_cli(*base, "--evaluator", "นาย ก").exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    # นาย ก's file exists, นาย ค's does not: neither is written.
    result = run_cli(*base, "--evaluator", "นาย ก", "--evaluator", "นาย ค")
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_no_evaluator_writes_one_blank_workbook_with_a_name_cell(
    run_cli: RunCli, tmp_path: Path, rubric: Rubric
) -> None:
    result = run_cli("template", "--rubric", ROOT_RUBRIC, "--out", tmp_path)
    assert result.exit_code == 0
    (path,) = tmp_path.glob("*.xlsx")
    assert path.name == "officestar-2567-round-2-blank.xlsx"
    workbook = load_workbook(path)
    cover = workbook[COVER_NAME]
    member = cover[sf.COVER_CELLS["member"]]
    assert member.value in (None, "")
    assert not member.protection.locked, "the member types a name on the cover"
    unlocked = [c.coordinate for c in cover._cells.values() if not c.protection.locked]
    assert unlocked == [sf.COVER_CELLS["member"]]
    keys, offices = identity_of(workbook)
    assert keys["member"] in (None, "")
    assert len(offices) == len(rubric.offices) == 14


def test_default_round_and_folder_come_from_the_rubric(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("template")
    assert result.exit_code == 0
    (path,) = (tmp_path / "sheets" / "round-2").glob("*.xlsx")
    keys, _ = identity_of(load_workbook(path))
    assert keys["round"] == 2
    third = run_cli("template", "--round", "3", "--evaluator", "นาย ก")
    assert third.exit_code == 0
    (path,) = (tmp_path / "sheets" / "round-3").glob("*.xlsx")
    assert path.name == "officestar-2567-round-3-01-นาย-ก.xlsx"
    workbook = load_workbook(path)
    keys, _ = identity_of(workbook)
    assert keys["round"] == 3
    assert workbook[COVER_NAME][sf.COVER_CELLS["round"]].value == 3


def test_member_names_are_normalised(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "template", "--rubric", ROOT_RUBRIC, "--out", tmp_path, "--evaluator", "  นาย   ก "
    )
    assert result.exit_code == 0
    (path,) = tmp_path.glob("*.xlsx")
    assert identity_of(load_workbook(path))[0]["member"] == "นาย ก"


def test_blank_evaluator_name_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("template", "--rubric", ROOT_RUBRIC, "--out", tmp_path, "--evaluator", "  ")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_evaluators_come_from_the_rubric_committee(
    run_cli: RunCli, tmp_path: Path, rubric_text: str
) -> None:
    committee = [{"name": "นางสาว ค"}, {"name": "นาย ง"}]
    path = write_rubric(tmp_path, rubric_text, committee=committee)
    out = tmp_path / "out"
    result = run_cli("template", "--rubric", path, "--out", out)
    assert result.exit_code == 0
    written = sorted(out.glob("*.xlsx"))
    assert [p.name for p in written] == [
        "officestar-2567-round-2-01-นางสาว-ค.xlsx",
        "officestar-2567-round-2-02-นาย-ง.xlsx",
    ]
    assert [identity_of(load_workbook(p))[0]["member"] for p in written] == ["นางสาว ค", "นาย ง"]
    # --evaluator picks members of a declared committee; a stranger is refused (docs/design.md,
    # "Expected members and quorum").
    other = run_cli(
        "template", "--rubric", path, "--out", tmp_path / "other", "--evaluator", "นาย ง"
    )
    assert other.exit_code == 0
    assert [p.name for p in (tmp_path / "other").glob("*.xlsx")] == [
        "officestar-2567-round-2-01-นาย-ง.xlsx"
    ]
    stranger = run_cli("template", "--rubric", path, "--out", tmp_path / "stranger", "--evaluator", "นาย จ")
    assert stranger.exit_code == 2 and "นาย จ" in stranger.stderr
    assert not (tmp_path / "stranger").exists()


def test_a_member_assigned_to_a_zone_gets_only_that_zones_offices(
    run_cli: RunCli, tmp_path: Path, rubric_text: str
) -> None:
    data = yaml.safe_load(rubric_text)
    north = {"lp-ngao", "lp-chae-hom", "lp-wang-nuea"}
    for office in data["offices"]:
        office["zone"] = "north" if office["id"] in north else "south"
    path = write_rubric(
        tmp_path,
        rubric_text,
        offices=data["offices"],
        zones=[
            {"id": "north", "th": "โซนเหนือ", "en": "North"},
            {"id": "south", "th": "โซนใต้", "en": "South"},
        ],
        committee=[
            {"name": "นาย เหนือ", "zones": ["north"]},
            {"name": "นาง ทั่วไป"},
            {"name": "นาง เจาะจง", "offices": ["lp-thoen", "lp-province"]},
            {"name": "นาย สองทาง", "zones": ["north"], "offices": ["lp-thoen"]},
        ],
    )
    rubric = load_rubric(path)
    out = tmp_path / "out"
    result = run_cli("template", "--rubric", path, "--out", out)
    assert result.exit_code == 0
    by_member = {}
    for file in sorted(out.glob("*.xlsx")):
        workbook = load_workbook(file)
        keys, offices = identity_of(workbook)
        visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
        assert visible == [COVER_NAME] + [name for _, name in offices]
        by_member[keys["member"]] = [office_id for office_id, _ in offices]
    in_order = [o.id for o in rubric.offices]
    assert by_member == {
        "นาย เหนือ": [i for i in in_order if i in north],
        "นาง ทั่วไป": in_order,
        "นาง เจาะจง": ["lp-province", "lp-thoen"],
        "นาย สองทาง": [i for i in in_order if i in north | {"lp-thoen"}],
    }


# ---------------------------------------------------------------- docs/sheet-format.md


def test_sheet_format_doc_names_every_contract_name_and_cell() -> None:
    doc = (ROOT_RUBRIC.parent / "docs" / "sheet-format.md").read_text("utf-8")
    names = [sf.FORMAT_VERSION, sf.IDENTITY_SHEET, sf.IDENTITY_OFFICE_KEY, *sf.IDENTITY_KEYS]
    names += list(sf.COVER_CELLS.values())
    names += [
        f"{sf.OFFICE_ID_LABEL_COLUMN}{sf.OFFICE_ID_ROW}",
        f"{sf.OFFICE_ID_COLUMN}{sf.OFFICE_ID_ROW}",
    ]
    names += ["รหัสหน่วยงาน", "veryHidden", "## Reading limits"]
    missing = [name for name in names if f"`{name}`" not in doc and name not in doc]
    assert not missing, f"docs/sheet-format.md does not mention {missing}"
    assert f"row {sf.HEADER_ROW}" in doc and f"rows 1–{sf.HEADER_SEARCH_ROWS}" in doc
    columns = {sf.ID_COLUMN, sf.TITLE_COLUMN, sf.DETAIL_COLUMN, sf.MAX_COLUMN}
    for column in columns | {sf.SCORE_COLUMN, sf.NOTES_COLUMN}:
        assert f"| `{column}` |" in doc, column
