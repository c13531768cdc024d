"""Every query in docs/store.md runs on a store made by scoring examples/round-2/, and the
ones whose answer the readings themselves give answer it."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, ROOT_RUBRIC, invoke
from officestar_cli.intake.reader import read_workbook
from officestar_cli.rubric.load import load_rubric

DOC = ROOT / "docs" / "store.md"
ROUND2 = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
QUERIES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "store.sqlite3"
    result = invoke(["score", str(ROOT / "examples" / "round-2"), "--store", str(path), "--rubric", str(ROOT_RUBRIC),
                     "--no-report"])
    assert result.exit_code == 0, result.stderr
    return path


def rows_of(store: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def readings() -> list[tuple[str, str, tuple[str, str, str, str, str, str]]]:
    rubric = load_rubric(ROOT_RUBRIC)
    found = []
    for path in ROUND2:
        reading = read_workbook(path, rubric, 2, str(path))
        assert reading.ok and reading.member
        found += [(reading.member, str(path), row) for row in reading.rows]
    return found


def test_the_doc_gives_queries() -> None:
    assert len(QUERIES) >= 3


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_each_query_runs(store: Path, number: int) -> None:
    rows_of(store, QUERIES[number])  # an error in the SQL or a table the doc misnames fails here


def test_scores_of_3_1_below_2(store: Path) -> None:
    (sql,) = [q for q in QUERIES if "'3.1'" in q and "< 2" in q]
    expected = sorted((member, name, office, value, sheet, cell)
                      for member, name, (office, criterion, value, sheet, cell, _) in readings()
                      if criterion == "3.1" and Decimal(value) < 2)
    assert expected, "the example round has such scores"
    assert sorted(rows_of(store, sql)) == expected


def test_who_gave_3_2_more_than_3_5(store: Path) -> None:
    (sql,) = [q for q in QUERIES if "'3.2'" in q]
    counts: dict[str, int] = {}
    for member, _, (_, criterion, value, *_) in readings():
        if criterion == "3.2" and Decimal(value) > Decimal("3.5"):
            counts[member] = counts.get(member, 0) + 1
    assert counts
    assert sorted(rows_of(store, sql)) == sorted(counts.items())


def test_every_file_with_its_scores(store: Path) -> None:
    (sql,) = [q for q in QUERIES if "superseded" in q and "CASE" in q]
    found = rows_of(store, sql)
    assert sorted((member, name, status, scores) for member, name, _, status, scores in found) == sorted(
        (member, name, "current", 14 * 15) for member, name in {(m, n) for m, n, _ in readings()})


def test_notes(store: Path) -> None:
    (sql,) = [q for q in QUERIES if "s.note != ''" in q]
    expected = sorted((member, office, criterion, sheet, cell, note)
                      for member, _, (office, criterion, _, sheet, cell, note) in readings() if note)
    assert sorted(rows_of(store, sql)) == expected
