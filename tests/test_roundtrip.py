"""Real spreadsheet programs: a filled workbook saved again by LibreOffice reads the same.

A member fills the workbook (openpyxl here, as in the filler), then LibreOffice
opens and saves it: as .xlsx, and through .ods back to .xlsx. The reader must
find the same member, workbook and scores; the only news allowed is the
``identity-from-cells`` warning, and only where the identity sheet is gone
(LibreOffice saves the very hidden identity sheet as merely hidden, which is no
news when it agrees with the cover). What does not survive says so: an .ods is
``legacy-format`` with what to do. Member mistakes survive the trip unchanged.

Needs LibreOffice: skipped with the reason when it is missing, failed under CI.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import soffice_convert_all as convert_all
from hostile.corpus import RUBRIC
from hostile.runner import officestar
from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook.template import build_workbook
from support.filler import fill_workbook

MEMBER = "นาง ทดสอบ ลิเบรออฟฟิศ"
ALLOWED_AFTER_A_PROGRAM = {"identity-from-cells"}
MISTAKES = {("lp-thoen", "1.1"): "4,5", ("lp-mae-mo", "2.1"): None, ("lp-ngao", "3.2"): "5 คะแนน"}
ACCEPTED_TEXT = {("lp-ngao", "1.2"): "๔.๕", ("lp-sop-prap", "4.1"): "\u00a07.25 "}


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric(RUBRIC)


def _varied(rubric: Rubric) -> Callable[[str, str], object]:
    """Every cell a different score, with 0, the maximum and two decimals among them."""
    offices = {o.id: n for n, o in enumerate(rubric.offices)}
    criteria = {c.id: n for n, c in enumerate(rubric.criteria)}

    def score(office_id: str, criterion_id: str) -> object:
        maximum = rubric.criterion_by_id[criterion_id].max
        step = (offices[office_id] * 7 + criteria[criterion_id] * 3) % 21
        return (maximum * Decimal(step) / 20).quantize(Decimal("0.01"))

    return score


@pytest.fixture(scope="module")
def trips(soffice: str, rubric: Rubric, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every workbook before and after LibreOffice, converted in as few LibreOffice runs as can be."""
    folder = tmp_path_factory.mktemp("roundtrip")
    varied = _varied(rubric)

    def make(name: str, member: str, special: dict[tuple[str, str], object]) -> Path:
        blank = folder / f"blank-{name}.xlsx"
        build_workbook(rubric, 2, member).save(blank)
        path = folder / "filled" / f"{name}.xlsx"

        def score(office_id: str, criterion_id: str) -> object:
            key = (office_id, criterion_id)
            return special[key] if key in special else varied(office_id, criterion_id)

        fill_workbook(blank, path, rubric, score)
        return path

    filled = make("scores", MEMBER, {})
    mistakes = make("mistakes", "นาย ผิดพลาด", {**MISTAKES, **ACCEPTED_TEXT})
    no_identity = make("no-identity", "นาย ไม่มีแผ่นงานซ่อน", {})
    workbook = load_workbook(no_identity)
    workbook.remove(workbook["_officestar"])
    workbook.save(no_identity)

    to_xlsx = convert_all([filled, mistakes, no_identity], folder / "lo-xlsx", "xlsx")
    (to_ods,) = convert_all([filled], folder / "lo-ods", "ods")
    (ods_to_xlsx,) = convert_all([to_ods], folder / "lo-ods-xlsx", "xlsx")
    (to_xls,) = convert_all([filled], folder / "lo-xls", "xls")
    return {
        "filled": filled, "mistakes": mistakes, "no-identity": no_identity,
        "xlsx": to_xlsx[0], "mistakes-xlsx": to_xlsx[1], "no-identity-xlsx": to_xlsx[2],
        "ods": to_ods, "ods-xlsx": ods_to_xlsx, "xls": to_xls,
    }


def _read(path: Path, rubric: Rubric) -> Reading:
    return read_workbook(path, rubric, 2)


def _scores(reading: Reading) -> dict[tuple[str, str], Decimal]:
    return {(s.office_id, s.criterion_id): s.value for s in reading.scores}


def _assert_same(before: Reading, after: Reading) -> None:
    assert before.ok, before.issues
    assert after.ok, after.issues
    assert {i.code for i in after.issues} <= ALLOWED_AFTER_A_PROGRAM, after.issues
    assert (after.member, after.workbook_id, after.round, after.fiscal_year, after.fingerprint) == (
        before.member, before.workbook_id, before.round, before.fiscal_year, before.fingerprint
    )
    assert _scores(after) == _scores(before)
    assert len(after.scores) == len(before.scores) > 0


def test_xlsx_saved_again_by_libreoffice_reads_the_same(trips: dict[str, Path], rubric: Rubric) -> None:
    _assert_same(_read(trips["filled"], rubric), _read(trips["xlsx"], rubric))


def test_xlsx_through_ods_and_back_reads_the_same(trips: dict[str, Path], rubric: Rubric) -> None:
    _assert_same(_read(trips["filled"], rubric), _read(trips["ods-xlsx"], rubric))


def test_libreoffice_hides_the_identity_sheet_and_the_reader_does_not_warn(
    trips: dict[str, Path], rubric: Rubric
) -> None:
    """LibreOffice saves the very hidden identity sheet as merely hidden; it still agrees with
    the cover, so the file checks with no warning at all (docs/design.md)."""
    after = _read(trips["xlsx"], rubric)
    assert after.ok
    assert after.issues == []


def test_identity_sheet_dropped_then_saved_by_libreoffice(trips: dict[str, Path], rubric: Rubric) -> None:
    """The fallback to the cover's cells and the office-id cells, through a real program."""
    before, after = _read(trips["no-identity"], rubric), _read(trips["no-identity-xlsx"], rubric)
    assert [i.code for i in before.issues] == ["identity-from-cells"]
    _assert_same(before, after)


def test_member_mistakes_survive_the_trip_unchanged(trips: dict[str, Path], rubric: Rubric) -> None:
    before, after = _read(trips["mistakes"], rubric), _read(trips["mistakes-xlsx"], rubric)

    def errors(reading: Reading) -> set[tuple[str, str | None, str | None]]:
        return {(i.code, i.sheet, i.cell) for i in reading.issues if i.is_error}

    assert errors(before) == errors(after)
    assert {code for code, _, _ in errors(after)} == {"not-a-number", "blank-score"}
    assert len(errors(after)) == len(MISTAKES)


def test_an_ods_says_what_to_do(trips: dict[str, Path], rubric: Rubric) -> None:
    for key in ("ods", "xls"):
        reading = _read(trips[key], rubric)
        assert [i.code for i in reading.issues] == ["legacy-format"], reading.issues
        assert ".xlsx" in reading.issues[0].message("en") and ".xlsx" in reading.issues[0].message("th")
    renamed = trips["ods"].with_name("renamed.xlsx")
    shutil.copyfile(trips["ods"], renamed)
    assert [i.code for i in _read(renamed, rubric).issues] == ["legacy-format"]


def test_score_records_the_libreoffice_copy_as_a_new_version(trips: dict[str, Path], tmp_path: Path) -> None:
    """The same workbook saved again by another program supersedes the first; nothing else moves."""
    store = tmp_path / "store.sqlite3"
    common = ["--json", "--lang", "en", "--rubric", str(RUBRIC), "--store", str(store)]
    first = officestar(["score", *common, "--no-report", str(trips["filled"])], cwd=tmp_path)
    second = officestar(["score", *common, "--out", str(tmp_path / "reports"), str(trips["xlsx"])],
                        cwd=tmp_path)
    for run in (first, second):
        assert run.exit_code == 0 and not run.crashed, run.describe()
    before, after = json.loads(first.stdout), json.loads(second.stdout)
    assert after["files"][0]["status"] == "recorded"
    assert after["files"][0]["supersedes"] == before["files"][0]["sha256"]
    assert [o["total"] for o in after["offices"]] == [o["total"] for o in before["offices"]]
    history = json.loads(officestar(["history", "--json", "--rubric", str(RUBRIC), "--store", str(store)],
                                    cwd=tmp_path).stdout)
    assert [f["current"] for f in history["files"]] == [False, True]
