"""The round store: all-or-nothing imports, supersede with history, foreign files left alone."""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import INFOGRAPHIC_RUBRIC, ROOT_RUBRIC, RunCli
from officestar_cli.base.errors import StoreError
from officestar_cli.base.exit_codes import ExitCode
from officestar_cli.intake.batch import FileResult, read_all
from officestar_cli.intake.reader import ScoreRow, read_workbook
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.store.record import record_all
from officestar_cli.store.schema import APPLICATION_ID, SCHEMA_VERSION
from officestar_cli.store.store import Store
from returned import copy, expected_scores, make_filled, mutate, score_for, scores_of

ROUND = 2
FY = 2567
ANN, BEN = "นาย ก", "นาง ข"
ANN_ID = str(uuid.UUID(int=1, version=4))
TABLES = ("files", "scores", "file_offices", "rounds")  # what counts; attempts are listed apart


@dataclass(frozen=True)
class Books:
    ann: Path  # ANN, workbook ANN_ID
    ann_v2: Path  # the same workbook id, other scores: a corrected copy
    ann_other_id: Path  # ANN again, but a second workbook id
    ben: Path
    ben_bad: Path  # BEN with a score above the maximum
    infographic: Path  # a workbook of another rubric, same year and round


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Books:
    folder = tmp_path_factory.mktemp("store-books")
    ann = make_filled(rubric, ROUND, ANN, folder / "ann.xlsx", workbook_id=ANN_ID)
    ann_v2 = make_filled(
        rubric, ROUND, ANN, folder / "ann-v2.xlsx", workbook_id=ANN_ID, shift=Decimal("-0.05")
    )
    ann_other = make_filled(rubric, ROUND, "  นาย   ก ", folder / "ann-other.xlsx")
    ben = make_filled(rubric, ROUND, BEN, folder / "ben.xlsx")

    def too_high(workbook: object) -> None:
        workbook["เถิน"]["E7"].value = 11  # type: ignore[index]

    ben_bad = mutate(ben, folder / "ben-bad.xlsx", too_high)
    other = load_rubric(INFOGRAPHIC_RUBRIC)
    infographic = make_filled(other, ROUND, "นาง ค", folder / "infographic.xlsx")
    return Books(ann, ann_v2, ann_other, ben, ben_bad, infographic)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "officestar.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with Store(store_path, create=True) as opened:
        yield opened


def run(store: Store, rubric: Rubric, paths: Sequence[Path]) -> list[FileResult]:
    return record_all(store, read_all(list(paths), rubric, ROUND), rubric, ROUND)


def statuses(results: list[FileResult]) -> list[str]:
    return [r.status for r in results]


def codes(result: FileResult) -> list[str]:
    return [i.code for i in result.reading.issues]


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def dump(path: Path) -> list[tuple[object, ...]]:
    """Every row of every table, to show a store is unchanged."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [(t, *row) for t in TABLES for row in db.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]


# ---------------------------------------------------------------- recording


def test_record_a_round(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    results = run(store, rubric, [books.ann, books.ben])
    assert statuses(results) == ["recorded", "recorded"]
    assert all(r.supersedes is None for r in results)
    files = store.files(FY, ROUND, current_only=True)
    assert [f.member for f in files] == [BEN, ANN]  # ordered by member name (code points)
    by_member = {f.member: f for f in files}
    ann = by_member[ANN]
    assert ann.name == str(books.ann)
    assert ann.workbook_id == ANN_ID
    assert ann.fingerprint == rubric.fingerprint
    assert ann.size == books.ann.stat().st_size
    assert ann.imported_at
    assert (ann.fiscal_year, ann.round) == (FY, ROUND)
    stored = {(s.office_id, s.criterion_id): s.value for s in store.scores(ann.id)}
    assert stored == expected_scores(rubric, score_for(rubric))
    cells = {(s.office_id, s.criterion_id): (s.sheet, s.cell) for s in store.scores(ann.id)}
    assert cells[("lp-thoen", "1.2")] == ("เถิน", "E7")
    assert store.file_offices(ann.id) == {o.id: True for o in rubric.offices}
    assert store.round_fingerprint(FY, ROUND) == rubric.fingerprint
    assert counts(store_path) == {"files": 2, "scores": 2 * 14 * 15, "file_offices": 2 * 14, "rounds": 1}
    assert len(store.scores(ann.id)) == len(rubric.offices) * len(rubric.criteria)


def test_the_store_is_a_sound_sqlite_file(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    run(store, rubric, [books.ann, books.ben])
    store.close()
    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_an_older_store_is_migrated_keeping_every_score_in_order(
    books: Books, rubric: Rubric, tmp_path: Path, version: int
) -> None:
    """A store of schema 1 (one row per score, no indexes for the per-file checks), 2 (the
    indexes) or 3 (one row per file and office), stored as the code of its day wrote it
    (tests/fixtures/stores), becomes schema 5 with every score, cell and note."""
    fixtures = Path(__file__).parent / "fixtures" / "stores"
    expected = json.loads((fixtures / "expected.json").read_text(encoding="utf-8"))
    scores = {
        file_id: [(o, c, Decimal(v), sheet, cell, note) for f, o, c, v, sheet, cell, note in expected["scores"]
                  if f == file_id]
        for file_id, *_ in expected["files"]
    }
    old = tmp_path / f"version-{version}.sqlite3"
    old.write_bytes((fixtures / f"schema-{version}.sqlite3").read_bytes())
    with Store(old, create=False) as migrated:
        found = {f: [(s.office_id, s.criterion_id, s.value, s.sheet, s.cell, s.note) for s in migrated.scores(f)]
                 for f in scores}
        assert found == scores
        third = make_filled(rubric, ROUND, "นาง ง", tmp_path / "third.xlsx")
        assert statuses(run(migrated, rubric, [third])) == ["recorded"]
        assert statuses(run(migrated, rubric, [third])) == ["unchanged"]
        assert statuses(run(migrated, rubric, [books.ann_other_id])) == ["rejected"]  # same member, other workbook
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "scores" in tables and "office_scores" not in tables
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"files_member", "files_workbook"} <= indexes
        plan = " ".join(str(row) for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM files WHERE fiscal_year = 1 AND round = 1 AND member_key = 'x' "
            "AND superseded_by IS NULL"
        ))
        assert "files_member" in plan or "files_current" in plan
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_reimport_is_a_no_op(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    run(store, rubric, [books.ann, books.ben])
    before = dump(store_path)
    again = run(store, rubric, [books.ann, books.ben])
    assert statuses(again) == ["unchanged", "unchanged"]
    assert all(r.supersedes is None and codes(r) == [] for r in again)
    assert dump(store_path) == before


def test_a_renamed_copy_is_still_the_same_file(
    store: Store, store_path: Path, books: Books, rubric: Rubric, tmp_path: Path
) -> None:
    run(store, rubric, [books.ann])
    before = dump(store_path)
    renamed = copy(books.ann, tmp_path / "ส่งอีกครั้ง.xlsx")
    assert statuses(run(store, rubric, [renamed])) == ["unchanged"]
    assert dump(store_path) == before


def test_a_later_copy_supersedes_and_history_keeps_both(
    store: Store, store_path: Path, books: Books, rubric: Rubric
) -> None:
    (first,) = run(store, rubric, [books.ann])
    (second,) = run(store, rubric, [books.ann_v2])
    assert second.status == "recorded"
    assert second.supersedes == first.reading.sha256
    history = store.files(FY, ROUND, current_only=False)
    assert [f.sha256 for f in history] == [first.reading.sha256, second.reading.sha256]
    old, new = history
    assert old.superseded_by == new.id and new.superseded_by is None
    (current,) = store.files(FY, ROUND, current_only=True)
    assert current.id == new.id
    stored = {(s.office_id, s.criterion_id): s.value for s in store.scores(new.id)}
    assert stored == expected_scores(rubric, score_for(rubric, Decimal("-0.05")))
    assert store.scores(old.id), "the superseded file keeps its scores as history"
    # Sending the older copy again changes nothing: it is already in the store.
    assert statuses(run(store, rubric, [books.ann])) == ["unchanged"]
    (still,) = store.files(FY, ROUND, current_only=True)
    assert still.id == new.id


def test_history_command_lists_both(
    store: Store, store_path: Path, books: Books, rubric: Rubric, run_cli: RunCli
) -> None:
    run(store, rubric, [books.ann])
    run(store, rubric, [books.ann_v2])
    store.close()
    result = run_cli("history", "--store", store_path, "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)["files"]
    assert [(f["file"], f["current"]) for f in listed] == [(str(books.ann), False), (str(books.ann_v2), True)]
    human = run_cli("history", "--store", store_path, "--rubric", ROOT_RUBRIC, "--lang", "en")
    assert human.exit_code == 0
    assert "superseded" in human.stdout and "current" in human.stdout  # the listing is the result: stdout
    assert ANN in human.stdout


# ---------------------------------------------------------------- refusals


def test_duplicate_member_across_runs(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    run(store, rubric, [books.ann])
    before = dump(store_path)
    (result,) = run(store, rubric, [books.ann_other_id])
    assert result.status == "rejected"
    assert codes(result) == ["duplicate-member"]
    assert str(books.ann) in result.reading.issues[0].message("en")
    assert dump(store_path) == before


def test_duplicate_member_in_one_run(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    results = run(store, rubric, [books.ann, books.ann_other_id, books.ben])
    assert statuses(results) == ["rejected", "rejected", "recorded"]
    for result in results[:2]:
        assert codes(result) == ["duplicate-member"]
        message = result.reading.issues[0].message("en")
        assert str(books.ann) in message and str(books.ann_other_id) in message
    assert [f.member for f in store.files(FY, ROUND, current_only=False)] == [BEN]


def test_conflicting_copies(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    results = run(store, rubric, [books.ann, books.ann_v2, books.ben])
    assert statuses(results) == ["rejected", "rejected", "recorded"]
    assert codes(results[0]) == ["conflicting-copies"] == codes(results[1])
    assert results[0].reading.issues[0].value == ANN_ID
    assert [f.member for f in store.files(FY, ROUND, current_only=False)] == [BEN]


def test_same_file_twice_in_a_run(
    store: Store, store_path: Path, books: Books, rubric: Rubric, tmp_path: Path
) -> None:
    twin = copy(books.ann, tmp_path / "ann-again.xlsx")
    results = run(store, rubric, [books.ann, twin, books.ann])
    assert statuses(results) == ["recorded", "skipped", "skipped"]
    assert codes(results[1]) == ["same-file-twice"] == codes(results[2])
    assert results[1].reading.issues[0].severity == "warning"
    assert results[1].reading.issues[0].expected == str(books.ann)
    assert counts(store_path)["files"] == 1


def test_store_rubric_mismatch(store: Store, store_path: Path, books: Books, rubric: Rubric) -> None:
    run(store, rubric, [books.ann])
    before = dump(store_path)
    other = load_rubric(INFOGRAPHIC_RUBRIC)
    assert (other.fiscal_year, other.round) == (FY, ROUND)
    (result,) = run(store, other, [books.infographic])
    assert result.status == "rejected"
    assert codes(result) == ["store-rubric-mismatch"]
    problem = result.reading.issues[0]
    assert (problem.value, problem.expected) == (other.fingerprint[:12], rubric.fingerprint[:12])
    assert dump(store_path) == before


def test_rejected_files_leave_no_trace_and_good_ones_are_recorded(
    store: Store, store_path: Path, books: Books, rubric: Rubric
) -> None:
    results = run(store, rubric, [books.ben_bad, books.ann])
    assert statuses(results) == ["rejected", "recorded"]
    assert [(i.code, i.sheet, i.cell) for i in results[0].reading.issues] == [
        ("score-above-max", "เถิน", "E7")
    ]
    assert [f.member for f in store.files(FY, ROUND, current_only=False)] == [ANN]


def test_one_store_holds_many_rounds(store: Store, books: Books, rubric: Rubric, tmp_path: Path) -> None:
    round3 = make_filled(rubric, 3, ANN, tmp_path / "ann-3.xlsx")
    run(store, rubric, [books.ann])
    (result,) = record_all(store, read_all([round3], rubric, 3), rubric, 3)
    assert result.status == "recorded"
    assert [f.round for f in store.files(FY, None, current_only=True)] == [2, 3]


# ---------------------------------------------------------------- all or nothing


def test_a_file_failing_half_way_leaves_nothing(
    store: Store, store_path: Path, books: Books, rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Store._insert_scores

    def half_then_fail(self: Store, db: sqlite3.Connection, file_id: int | None, rows: list[ScoreRow]) -> None:
        original(self, db, file_id, rows[: len(rows) // 2])
        assert db.execute("SELECT count(*) FROM scores").fetchone()[0] > 0
        raise OSError("disk full")

    monkeypatch.setattr(Store, "_insert_scores", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run(store, rubric, [books.ann])
    assert not store.db.in_transaction
    assert counts(store_path) == dict.fromkeys(TABLES, 0)

    monkeypatch.undo()
    (result,) = run(store, rubric, [books.ann])
    assert result.status == "recorded"
    (stored,) = store.files(FY, ROUND, current_only=True)
    assert len(store.scores(stored.id)) == len(rubric.offices) * len(rubric.criteria)


def test_a_failed_supersede_keeps_the_earlier_copy_current(
    store: Store, store_path: Path, books: Books, rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(store, rubric, [books.ann])
    before = dump(store_path)

    def fail(self: Store, db: sqlite3.Connection, file_id: int | None, rows: list[ScoreRow]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "_insert_scores", fail)
    with pytest.raises(KeyboardInterrupt):
        run(store, rubric, [books.ann_v2])
    assert dump(store_path) == before


# ---------------------------------------------------------------- files that are not our store


def _garbage(path: Path) -> bytes:
    data = random.Random(4).randbytes(8192)
    path.write_bytes(data)
    return data


def _foreign(path: Path) -> bytes:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES ('สมชาย')")
    return path.read_bytes()


def _newer(path: Path) -> bytes:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE files (id INTEGER PRIMARY KEY)")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    return path.read_bytes()


def _short(path: Path) -> bytes:
    path.write_bytes(b"SQLite")
    return b"SQLite"


MAKERS = {"garbage": _garbage, "foreign": _foreign, "newer": _newer, "short": _short}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_file_that_is_not_our_store_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "officestar.sqlite3"
    data = MAKERS[kind](path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StoreError) as caught:
        Store(path, create=True)
    assert str(path) in caught.value.message("en") and str(path) in caught.value.message("th")
    if kind == "newer":
        assert "newer" in caught.value.message("en")
    assert caught.value.exit_code == ExitCode.USAGE
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal, no -journal left


@pytest.mark.parametrize("kind", sorted(MAKERS))
@pytest.mark.parametrize("command", ["score", "history"])
def test_cli_exits_2_on_a_file_that_is_not_our_store(
    tmp_path: Path, books: Books, run_cli: RunCli, kind: str, command: str
) -> None:
    path = tmp_path / "officestar.sqlite3"
    data = MAKERS[kind](path)
    args: list[str | Path] = [command]
    if command == "score":
        args += [books.ann, "--no-report", "--out", tmp_path / "reports"]
    result = run_cli(*args, "--store", path, "--rubric", ROOT_RUBRIC, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == data
    assert not (tmp_path / "reports").exists()


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path, create=True)


def test_no_store_for_history_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "none.sqlite3"
    result = run_cli("history", "--store", path, "--rubric", ROOT_RUBRIC)
    assert result.exit_code == 2
    assert not path.exists()


def test_reading_a_workbook_needs_no_store(books: Books, rubric: Rubric) -> None:
    reading = read_workbook(books.ann, rubric, ROUND)
    assert scores_of(reading) == expected_scores(rubric, score_for(rubric))


def test_store_rubric_mismatch_says_the_store_keeps_no_rubric_and_what_to_do(
    store: Store, books: Books, rubric: Rubric
) -> None:
    run(store, rubric, [books.ann])
    other = load_rubric(INFOGRAPHIC_RUBRIC)
    (result,) = run(store, other, [books.infographic])
    for lang in ("th", "en"):
        message = result.reading.issues[0].message(lang)
        assert rubric.fingerprint[:12] in message and other.fingerprint[:12] in message
        assert "--rubric" in message and "--store" in message
    assert "ไม่ได้เก็บเนื้อหาของเกณฑ์" in result.reading.issues[0].message("th")
    assert "keeps only the fingerprint" in result.reading.issues[0].message("en")


def test_rank_under_another_rubric_gives_both_fingerprints_and_what_to_do(
    store: Store, store_path: Path, books: Books, rubric: Rubric, run_cli: RunCli
) -> None:
    run(store, rubric, [books.ann])
    other = load_rubric(INFOGRAPHIC_RUBRIC)
    # The store keeps the round's rubric content, so the message says what differs.
    for lang, words in (("th", ("ที่ต่างกัน", "คะแนนเต็ม", "--store")),
                        ("en", ("what differs", "maximum", "--store"))):
        result = run_cli("rank", "--store", store_path, "--rubric", INFOGRAPHIC_RUBRIC, "--round", ROUND,
                         "--no-report", "--lang", lang)
        assert result.exit_code == 2, result.output
        message = " ".join(result.stderr.split())
        assert rubric.short_fingerprint in message and other.short_fingerprint in message
        assert "--rubric" in message and all(w in message for w in words), message
