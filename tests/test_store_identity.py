"""Identity in the store is (workbook id, member key): copies of one blank workbook returned
by different members are different members' workbooks; the same name again supersedes."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT_RUBRIC, invoke
from fill import fill_workbook
from officestar_cli.base.names import member_key
from officestar_cli.intake.batch import read_all
from officestar_cli.intake.reader import Reading
from officestar_cli.rubric.model import Rubric
from officestar_cli.store.record import record_all, unstorable
from officestar_cli.store.store import Store
from returned import make_template, rewrite_parts, score_for, sheet_part

ROUND, FY = 2, 2567
BLANK_ID = str(uuid.UUID(int=77, version=4))
# Names typed on the cover of copies of one blank workbook: variants that are one member
# (a zero-width space, NIKHAHIT + SARA AA for SARA AM, doubled spaces) and different members.
NAMES = ("นาย ก", "นาย ก\u200b", "นาง ข", "นาง  ข", "นางสาว น้ำ", "นางสาว น\u0e49\u0e4d\u0e32", "นาย ง")


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> list[tuple[str, Path]]:
    """Copies of one blank workbook, each filled under one of NAMES; each name twice, with
    other scores the second time."""
    folder = tmp_path_factory.mktemp("blank-copies")
    blank = make_template(rubric, ROUND, None, folder / "blank.xlsx", BLANK_ID)
    made = []
    for n, name in enumerate(NAMES):
        for version, shift in enumerate((Decimal(0), Decimal("-0.05"))):
            path = folder / f"copy-{n}-{version}.xlsx"
            fill_workbook(blank, path, rubric, score_for(rubric, shift), name)
            made.append((name, path))
    return made


def record(store: Store, rubric: Rubric, path: Path) -> str:
    (result,) = record_all(store, read_all([path], rubric, ROUND), rubric, ROUND)
    return result.status


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 2 * len(NAMES) - 1), min_size=1, max_size=8))
def test_one_member_per_distinct_name(copies: list[tuple[str, Path]], rubric: Rubric, tmp_path_factory:
                                      pytest.TempPathFactory, runs: list[int]) -> None:
    with Store(tmp_path_factory.mktemp("identity") / "store.sqlite3", create=True) as store:
        seen: set[Path] = set()
        latest: dict[str, Path] = {}
        for index in runs:  # one score run per file
            name, path = copies[index]
            status = record(store, rubric, path)
            assert status == ("unchanged" if path in seen else "recorded"), (name, status)
            if path not in seen:
                latest[member_key(name)] = path
            seen.add(path)
        current = store.files(FY, ROUND, current_only=True)
        assert sorted(member_key(f.member) for f in current) == sorted(latest)
        assert {f.member_key: f.name for f in current} == {key: str(path) for key, path in latest.items()}


def test_copies_of_one_blank_workbook_in_one_run_are_each_members(copies: list[tuple[str, Path]],
                                                                  tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    paths = [copies[0][1], copies[4][1], copies[12][1]]  # นาย ก, นาง ข, นาย ง
    result = invoke(["score", *map(str, paths), "--store", str(store), "--rubric", str(ROOT_RUBRIC),
                     "--no-report", "--lang", "en"])
    assert result.exit_code == 0, result.output
    with Store(store, create=False) as opened:
        assert sorted(f.member for f in opened.files(FY, ROUND, current_only=True)) == sorted(
            ["นาย ก", "นาง ข", "นาย ง"])


def test_a_value_the_store_cannot_hold_is_an_issue_on_its_cell(rubric: Rubric, copies: list[tuple[str, Path]],
                                                               tmp_path: Path) -> None:
    (reading,) = read_all([copies[0][1]], rubric, ROUND)
    office, criterion, value, sheet, cell, _ = reading.rows[3]
    reading.rows[3] = (office, criterion, value, sheet, cell, "half a pair \ud800")
    reading.rows[5] = (*reading.rows[5][:2], "1" * 40, *reading.rows[5][3:])
    found = unstorable(reading)
    assert [(i.code, i.sheet, i.cell) for i in found] == [
        ("store-cannot-hold", sheet, cell), ("store-cannot-hold", reading.rows[5][3], reading.rows[5][4])]
    assert "cannot hold" in found[0].message("en") and "ฐานข้อมูล" in found[0].message("th")
    with Store(tmp_path / "store.sqlite3", create=True) as store:
        (result,) = record_all(store, [reading], rubric, ROUND)
        assert result.status == "rejected"
        assert store.files(FY, ROUND, current_only=False) == []
        (attempt,) = store.attempts(FY, ROUND)
        assert attempt.codes == ("store-cannot-hold",)


@pytest.mark.parametrize("text", ["a\x1fb", "_x001F_", "a\x01b", "_x0001_"])
def test_a_note_holding_a_control_character_gives_no_traceback(
    copies: list[tuple[str, Path]], tmp_path: Path, text: str
) -> None:
    source = copies[0][1]
    part = sheet_part(source, "เถิน")

    def with_note(data: bytes) -> bytes:  # an inline string in the notes column of the first row
        cell = f'<c r="F6" t="inlineStr"><is><t>{text}</t></is></c>'.encode()
        return data.replace(b"</row>", cell + b"</row>", 1) if b'r="F6"' not in data else data
    path = rewrite_parts(source, tmp_path / "note.xlsx", {part: with_note})
    for command in ("check", "score"):
        result = invoke([command, str(path), "--store", str(tmp_path / "s.sqlite3"), "--rubric", str(ROOT_RUBRIC),
                         "--no-report", "--lang", "en"] if command == "score" else
                        [command, str(path), "--rubric", str(ROOT_RUBRIC), "--lang", "en"])
        assert result.exit_code in (0, 1), result.output  # invoke() raises on a traceback


def test_a_reading_is_what_the_store_checks(rubric: Rubric) -> None:
    assert unstorable(Reading("x.xlsx", member="นาย ก", workbook_id="w")) == []
