"""A damaged store: every command gives exit 0 with unchanged results or exit 2 with the
store's message, never a traceback and never a silently changed total (docs/store.md)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, ROOT_RUBRIC, CliResult, invoke
from officestar_cli.store.integrity import FILE_FIELDS, file_digest

ROUND2 = ROOT / "examples" / "round-2"
ONE = sorted(ROUND2.glob("*.xlsx"))[0]
WITH_ERRORS = sorted((ROOT / "examples" / "round-2-with-errors").glob("*.xlsx"))
STORE_MESSAGES = ("The store is damaged", "The store cannot be used", "Cannot use the store",
                  "is not an officestar store", "recorded under another rubric", "newer officestar")
COMMANDS = {
    "rank": lambda store: ["rank", "--store", store, "--no-report", "--json"],
    "history": lambda store: ["history", "--store", store, "--json"],
    "score": lambda store: ["score", ONE, "--store", store, "--no-report", "--json"],
}


def run(args: list[object]) -> CliResult:
    return invoke([str(a) for a in [*args, "--rubric", ROOT_RUBRIC, "--lang", "en"]])


def flat(text: str) -> str:
    """A message as one line (the terminal wraps long ones)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by scoring examples/round-2/, with one rejected attempt beside."""
    store = tmp_path_factory.mktemp("round-2-store") / "store.sqlite3"
    assert run(["score", ROUND2, "--store", store, "--no-report", "--json"]).exit_code == 0
    rejected = next(p for p in WITH_ERRORS if run(["check", p]).exit_code == 1)
    assert run(["score", rejected, "--store", store, "--no-report"]).exit_code == 1
    assert not Path(f"{store}-wal").exists()
    return store


class Outputs(dict[str, str]):
    def __repr__(self) -> str:  # a failing example names the store, not every output
        return f"Outputs({sorted(self)})"


@pytest.fixture(scope="module")
def baseline(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    outputs = Outputs()
    for name, args in COMMANDS.items():
        copy = tmp_path_factory.mktemp("baseline") / "store.sqlite3"
        shutil.copyfile(pristine, copy)
        result = run(args(copy))
        assert result.exit_code == 0, result.stderr
        outputs[name] = result.stdout
    history = json.loads(outputs["history"])
    assert len(history["files"]) == 5 and len(history["rejected"]) == 1
    return outputs


def assert_sound(store: Path, baseline: dict[str, str]) -> None:
    """Every command: exit 0 with the results unchanged, or exit 2 with the store's message."""
    for name, args in COMMANDS.items():
        result = run(args(store))  # invoke() raises on a traceback
        if result.exit_code == 0:
            assert result.stdout == baseline[name], f"{name} changed its results silently"
        else:
            assert result.exit_code == 2, (name, result.exit_code, result.output)
            assert any(m in flat(result.stderr) for m in STORE_MESSAGES), (name, result.stderr)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=4))
def test_random_byte_flips(pristine: Path, baseline: dict[str, str], tmp_path: Path,
                           flips: list[tuple[float, int]]) -> None:
    store = tmp_path / "flipped.sqlite3"
    data = bytearray(pristine.read_bytes())
    for where, bit in flips:
        data[int(where * len(data))] ^= 1 << bit
    store.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    assert_sound(store, baseline)


VALUES = st.one_of(
    st.text(max_size=6), st.integers(-10, 10**6), st.floats(allow_nan=False, width=32), st.none(),
    st.binary(max_size=4), st.sampled_from(["4.0", "3.75", "0", "9", "-1", "1e1", "2.0 ", "นาย ก", "1.1"]),
)
COLUMNS = [(table, column) for table, columns in {
    "files": [*FILE_FIELDS.split(", "), "digest"],
    "scores": ["office_id", "criterion_id", "value", "sheet", "cell", "note"],
    "file_offices": ["office_id", "scored"],
    "rounds": ["fiscal_year", "round", "fingerprint", "file_count"],
    "attempts": ["name", "sha256", "member", "attempted_at", "digest"],
    "attempt_issues": ["code"],
}.items() for column in columns]


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(COLUMNS), st.integers(1, 10**4), VALUES)
def test_random_updates(pristine: Path, baseline: dict[str, str], tmp_path: Path,
                        column: tuple[str, str], row: int, value: object) -> None:
    store = tmp_path / "updated.sqlite3"
    shutil.copyfile(pristine, store)
    table, name = column
    with sqlite3.connect(store) as db:
        rows = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        try:
            db.execute(f"UPDATE {table} SET {name} = ? WHERE rowid = (SELECT rowid FROM {table} "
                       f"ORDER BY rowid LIMIT 1 OFFSET ?)", (value, row % rows))
        except sqlite3.IntegrityError:
            return  # the store's own constraints refused the edit
    assert_sound(store, baseline)


def _edited(pristine: Path, tmp_path: Path, *statements: str, reseal: bool = False) -> Path:
    store = tmp_path / "edited.sqlite3"
    shutil.copyfile(pristine, store)
    with sqlite3.connect(store) as db:
        for statement in statements:
            db.execute(statement)
        if reseal:  # as if the digest were made anew too: the other checks must still hold
            for file_id, *identity in db.execute(f"SELECT id, {FILE_FIELDS} FROM files").fetchall():
                offices = db.execute("SELECT office_id, scored FROM file_offices WHERE file_id = ?",
                                     (file_id,)).fetchall()
                scores = db.execute("SELECT office_id, criterion_id, value, sheet, cell, note FROM scores "
                                    "WHERE file_id = ?", (file_id,)).fetchall()
                db.execute("UPDATE files SET digest = ? WHERE id = ?",
                           (file_digest(identity, offices, scores), file_id))
    return store


def _damaged(store: Path, table: str, *commands: str) -> None:
    for command in commands or ("rank",):
        result = run(COMMANDS[command](store))
        assert result.exit_code == 2, result.output
        assert "The store is damaged" in flat(result.stderr) and f"table {table}" in flat(result.stderr), result.stderr
        thai = invoke([str(a) for a in [*COMMANDS[command](store), "--rubric", ROOT_RUBRIC, "--lang", "th"]])
        assert "ฐานข้อมูลเสียหาย" in flat(thai.stderr) and table in flat(thai.stderr)


def test_a_score_edited_by_hand_is_damage(pristine: Path, tmp_path: Path) -> None:
    store = _edited(pristine, tmp_path, "UPDATE scores SET value = '3.0' WHERE rowid = "
                    "(SELECT rowid FROM scores WHERE value != '3.0' LIMIT 1)")
    _damaged(store, "files", "rank", "history", "score")


def test_a_note_edited_by_hand_is_damage(pristine: Path, tmp_path: Path) -> None:
    _damaged(_edited(pristine, tmp_path, "UPDATE scores SET note = 'ok' WHERE rowid = 7"), "files")


@pytest.mark.parametrize(("edit", "table", "words"), [
    ("UPDATE scores SET value = 'abc' WHERE rowid = 3", "scores", "is not a number"),
    ("UPDATE scores SET value = '9' WHERE rowid = 3", "scores", "outside 0 to"),
    ("UPDATE scores SET value = '1' || substr('0000000000000000000', 1, 18) WHERE rowid = 3", "scores",
     "is not a number"),
    ("UPDATE scores SET criterion_id = '9.9' WHERE rowid = 3", "scores", "not in the rubric"),
    ("UPDATE scores SET office_id = 'nowhere' WHERE rowid = 3", "scores", "not in the rubric"),
    ("UPDATE file_offices SET office_id = 'nowhere' WHERE rowid = 3", "file_offices", "not in the rubric"),
])
def test_what_a_digest_made_anew_would_hide_is_found(pristine: Path, tmp_path: Path, edit: str, table: str,
                                                     words: str) -> None:
    store = _edited(pristine, tmp_path, edit, reseal=True)
    _damaged(store, table)
    assert words in flat(run(COMMANDS["rank"](store)).stderr)


@pytest.mark.parametrize(("edit", "table"), [
    ("UPDATE scores SET note = CAST(x'ff41' AS TEXT) WHERE rowid = 5", "scores"),
    ("UPDATE files SET member = CAST(x'c3' AS TEXT) WHERE rowid = 2", "files"),
    ("DROP TABLE attempt_issues", "attempt_issues"),
    ("ALTER TABLE scores RENAME COLUMN note TO remark", "scores"),
    ("DELETE FROM files WHERE id = (SELECT max(id) FROM files)", "rounds"),
    ("UPDATE rounds SET file_count = file_count + 1", "rounds"),
    ("UPDATE files SET superseded_by = 1 WHERE id = 2", "files"),
])
def test_other_damage_is_named(pristine: Path, tmp_path: Path, edit: str, table: str) -> None:
    _damaged(_edited(pristine, tmp_path, "PRAGMA foreign_keys = OFF", edit), table, "rank", "history", "score")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_never_opened(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "store.fifo"
    os.mkfifo(fifo)
    result = run(COMMANDS[command](fifo))  # opening it would block for ever
    assert result.exit_code == 2
    assert "not a regular file" in flat(result.stderr) and str(fifo) in flat(result.stderr)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_device_is_never_opened(command: str) -> None:
    result = run(COMMANDS[command](Path("/dev/zero")))
    assert result.exit_code == 2 and "not a regular file" in flat(result.stderr)
