"""Stores of schemas 1 to 4, as the code of their day wrote them, migrate to schema 5
with every score, cell and note in its order (fixtures: tests/fixtures/stores/make.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT_RUBRIC, RunCli
from officestar_cli.base.errors import StoreError
from officestar_cli.base.names import member_key
from officestar_cli.intake.batch import read_all
from officestar_cli.rubric.model import Rubric, canonical_content
from officestar_cli.store.record import record_all
from officestar_cli.store.schema import SCHEMA_VERSION
from officestar_cli.store.store import Store
from returned import make_filled

FIXTURES = Path(__file__).parent / "fixtures" / "stores"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
FY, ROUND = 2567, 2
ANN_ID = str(uuid.UUID(int=1, version=4))


def migrated_copy(tmp_path: Path, version: int) -> Path:
    path = tmp_path / f"schema-{version}.sqlite3"
    shutil.copyfile(FIXTURES / f"schema-{version}.sqlite3", path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == version
    return path


def expected_scores(file_id: int) -> list[tuple[str, str, Decimal, str, str, str]]:
    return [(o, c, Decimal(v), s, cell, note) for f, o, c, v, s, cell, note in EXPECTED["scores"] if f == file_id]


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_every_score_cell_and_note_survives_in_order(tmp_path: Path, version: int) -> None:
    path = migrated_copy(tmp_path, version)
    with Store(path, create=False) as store:
        history = store.files(FY, ROUND, current_only=False)
        assert [f.id for f in sorted(history, key=lambda f: f.id)] == [f[0] for f in EXPECTED["files"]]
        for old in EXPECTED["files"]:
            stored = next(f for f in history if f.id == old[0])
            assert (stored.name, stored.sha256, stored.size, stored.member, stored.workbook_id) == (
                old[3], old[4], old[5], old[6], old[8])
            assert stored.member_key == member_key(old[6])
            found = [(s.office_id, s.criterion_id, s.value, s.sheet, s.cell, s.note) for s in store.scores(stored.id)]
            assert found == expected_scores(old[0])
            assert len(found) == 14 * 15
        notes = [s.note for f in history for s in store.scores(f.id) if s.note]
        assert notes.count("ข้อความ\nสองบรรทัด") == len(history)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "office_scores" not in tables and {"scores", "attempts", "rubrics"} <= tables


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_keys_that_collide_after_migration_are_listed_never_merged(tmp_path: Path, version: int) -> None:
    """"นาย ก" and "นาย ก" + U+200B were two members to the old name rule and are one now:
    the first recorded stays current, the other is a duplicate-member attempt and history."""
    path = migrated_copy(tmp_path, version)
    with Store(path, create=False) as store:
        current = store.files(FY, ROUND, current_only=True)
        assert sorted(f.name for f in current) == ["returned/ann-v2.xlsx", "returned/ben.xlsx"]
        (attempt,) = store.attempts(FY, ROUND)
        assert (attempt.name, attempt.codes) == ("returned/ann-zwsp.xlsx", ("duplicate-member",))
        zwsp = next(f for f in store.files(FY, ROUND, current_only=False) if f.name.endswith("zwsp.xlsx"))
        assert zwsp.superseded_by == next(f.id for f in current if f.name.endswith("v2.xlsx"))
        assert len(store.scores(zwsp.id)) == 14 * 15  # kept whole, as history


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_a_migrated_store_records_and_ranks(tmp_path: Path, version: int, rubric: Rubric, run_cli: RunCli) -> None:
    path = migrated_copy(tmp_path, version)
    newer = make_filled(rubric, ROUND, "นาย ก", tmp_path / "ann-v3.xlsx", workbook_id=ANN_ID, shift=Decimal("-0.1"))
    other = make_filled(rubric, ROUND, "นาย  ก", tmp_path / "ann-other.xlsx")
    with Store(path, create=False) as store:
        assert store.round_rubric(FY, ROUND) is None  # recorded before the store kept it
        (first,) = record_all(store, read_all([newer], rubric, ROUND), rubric, ROUND)
        assert first.status == "recorded" and first.supersedes == EXPECTED["files"][2][4]
        (second,) = record_all(store, read_all([other], rubric, ROUND), rubric, ROUND)
        assert second.status == "rejected"
        assert [i.code for i in second.reading.issues] == ["duplicate-member"]
        assert store.round_rubric(FY, ROUND) == canonical_content(rubric)
    result = run_cli("rank", "--store", path, "--rubric", ROOT_RUBRIC, "--no-report", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(f["member"] for f in data["files"]) == sorted(["นาย ก", "นาง ข"])
    assert all(sorted(o["scored_by"]) == sorted(["นาย ก", "นาง ข"]) for o in data["offices"])


@pytest.mark.parametrize("version", [1, 2])
def test_a_note_holding_the_old_separator_survives(tmp_path: Path, version: int) -> None:
    """Schema 3 joined lists with U+001F; a store of schema 1 or 2 whose note holds it goes
    to schema 4 without being joined."""
    path = migrated_copy(tmp_path, version)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE scores SET note = 'a' || char(31) || 'b' WHERE rowid = 5")
    with Store(path, create=False) as store:
        notes = [s.note for f in store.files(FY, ROUND, current_only=False) for s in store.scores(f.id)]
        assert "a\x1fb" in notes


def test_the_fixtures_are_the_old_schemas() -> None:
    for version, table in ((1, "scores"), (2, "scores"), (3, "office_scores"), (4, "attempts")):
        with sqlite3.connect(f"file:{FIXTURES / f'schema-{version}.sqlite3'}?mode=ro", uri=True) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == version
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0


def test_schema_5_adds_withdrawal_and_excuse_tables_and_keeps_digests(tmp_path: Path) -> None:
    path = migrated_copy(tmp_path, 4)
    with Store(path, create=False) as store:
        history = store.files(FY, ROUND, current_only=False)  # every digest checked, made anew
        assert not any(f.withdrawn for f in history)
        assert store.file_events(FY, ROUND) == [] and store.excuse_events(FY, ROUND) == []
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(files)")}
        assert "withdrawn" in columns
        index = db.execute("SELECT sql FROM sqlite_master WHERE name = 'files_current'").fetchone()[0]
        assert "withdrawn = 0" in index


def test_a_schema_4_store_edited_by_hand_is_not_migrated(tmp_path: Path) -> None:
    """The migration makes every digest anew: it first checks the old one, so an edit made by
    hand is refused, not sealed, and the store stays at schema 4."""
    path = migrated_copy(tmp_path, 4)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE scores SET value = '0.5' WHERE rowid = 7")
    with pytest.raises(StoreError) as caught:
        Store(path, create=False)
    assert "damaged" in caught.value.en and "files" in caught.value.en
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 4
