"""One numbered migration per schema: ``PRAGMA user_version`` N becomes N + 1.

docs/store.md, "Migrations". Every step keeps every score, cell and note in the order it
was read; tests/test_store_migrations.py migrates a stored fixture of each older schema.

- 1 → 2: the indexes for the checks made before each file is recorded.
- 2 → 3: schema 3 kept an office's scores in one row joined by U+001F; this step makes the
  (empty) table of such rows and leaves the one-row-per-score table as it is, since the next
  step turns both into schema 4's rows and a note holding U+001F would not survive the joining.
- 3 → 4: one row per score with keys SQL enforces, the per-file digest, member keys made by
  ``base.names.member_key``, the tables for round rubrics and rejected attempts. Keys that
  collide once made anew are never merged: the first file recorded stays current, each later
  one is listed as a ``duplicate-member`` attempt and kept as history (superseded by the first).
  It makes the tables of the current schema, which the later steps find already there.
- 4 → 5: ``files.withdrawn`` (covered by each file's digest, so every digest is made anew once
  the old one is found intact), the tables of withdrawals and restorations (``file_events``)
  and of excuses, and the one-current-file index made to leave withdrawn files out.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter

from officestar_cli.base.names import member_key
from officestar_cli.store.integrity import attempt_digest, damaged, file_digest
from officestar_cli.store.schema import SCHEMA, statements

_FILES_4 = ("id, fiscal_year, round, name, sha256, size, member, member_key, workbook_id, fingerprint, "
            "imported_at, superseded_by")

SEPARATOR = "\x1f"  # what schema 3 joined an office's lists with

_FILE_INDEXES = """
CREATE INDEX IF NOT EXISTS files_member ON files (fiscal_year, round, member_key, superseded_by);
CREATE INDEX IF NOT EXISTS files_workbook ON files (fiscal_year, round, workbook_id, superseded_by)
"""

_OFFICE_SCORES = """
CREATE TABLE office_scores (
    file_id   INTEGER NOT NULL REFERENCES files(id),
    office_id TEXT    NOT NULL,
    criteria  TEXT    NOT NULL,
    scores    TEXT    NOT NULL,
    sheets    TEXT    NOT NULL,
    cells     TEXT    NOT NULL,
    notes     TEXT    NOT NULL,
    PRIMARY KEY (file_id, office_id)
)
"""


def _run(db: sqlite3.Connection, script: str) -> None:
    for statement in statements(script):
        db.execute(statement)


def create(db: sqlite3.Connection) -> None:
    """An empty file: the current schema at once."""
    _run(db, SCHEMA)


def _to_2(db: sqlite3.Connection) -> None:
    _run(db, _FILE_INDEXES)


def _to_3(db: sqlite3.Connection) -> None:
    _run(db, _OFFICE_SCORES)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _old_scores(db: sqlite3.Connection) -> dict[int, list[tuple[str, str, str, str, str, str]]]:
    """Every score of a schema-3 store, per file, in the order it was recorded."""
    found: dict[int, list[tuple[str, str, str, str, str, str]]] = {}
    tables = _tables(db)
    if "scores" in tables:  # one row per score (schemas 1 and 2, kept by step 2 → 3)
        for file_id, *row in db.execute(
            "SELECT file_id, office_id, criterion_id, value, sheet, cell, note FROM scores ORDER BY rowid"
        ):
            found.setdefault(file_id, []).append(tuple(str(v) for v in row))  # type: ignore[arg-type]
    if "office_scores" in tables:
        for rowid, file_id, office, *columns in db.execute(
            "SELECT rowid, file_id, office_id, criteria, scores, sheets, cells, notes FROM office_scores ORDER BY rowid"
        ):
            lists = [str(column).split(SEPARATOR) for column in columns]
            if len({len(values) for values in lists}) != 1:
                raise damaged("office_scores", rowid, "มีรายการคะแนนที่จำนวนไม่ตรงกัน", "its lists differ in length")
            for criterion, value, sheet, cell, note in zip(*lists, strict=True):
                found.setdefault(file_id, []).append((office, criterion, value, sheet, cell, note))
    return found


def _to_4(db: sqlite3.Connection) -> None:
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    rounds = db.execute("SELECT fiscal_year, round, fingerprint FROM rounds ORDER BY rowid").fetchall()
    files = [list(row) for row in db.execute(
        "SELECT id, fiscal_year, round, name, sha256, size, member, member_key, workbook_id, fingerprint, "
        "imported_at, superseded_by FROM files ORDER BY id"
    )]
    offices: dict[int, list[tuple[str, int]]] = {}
    for file_id, office, scored in db.execute("SELECT file_id, office_id, scored FROM file_offices ORDER BY rowid"):
        offices.setdefault(file_id, []).append((office, int(scored)))
    scores = _old_scores(db)
    for index in ("files_round", "files_member", "files_workbook"):
        db.execute(f"DROP INDEX IF EXISTS {index}")
    for table in ("office_scores", "scores", "file_offices", "files", "rounds"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    create(db)

    # Member keys made anew; a key shared by two current files of one round is never merged.
    duplicates: list[tuple[list[object], list[object]]] = []
    for row in files:
        row[7] = member_key(str(row[6]))
    current = sorted((row for row in files if row[11] is None), key=itemgetter(1, 2, 7, 0))
    for _, group in groupby(current, key=itemgetter(1, 2, 7)):
        kept, *later = group
        for row in later:
            row[11] = kept[0]
            duplicates.append((kept, row))

    fingerprints = {str(r[2]) for r in rounds} | {str(f[9]) for f in files}
    db.executemany("INSERT INTO rubrics (fingerprint, content) VALUES (?, NULL)", [(f,) for f in sorted(fingerprints)])
    counts: dict[tuple[int, int], int] = {}
    for row in files:
        counts[(row[1], row[2])] = counts.get((row[1], row[2]), 0) + 1
    bound = {(r[0], r[1]) for r in rounds}
    for row in files:  # a round whose binding row went missing is bound to its first file's rubric
        if (row[1], row[2]) not in bound:
            rounds.append((row[1], row[2], row[9]))
            bound.add((row[1], row[2]))
    db.executemany(
        "INSERT INTO rounds (fiscal_year, round, fingerprint, file_count) VALUES (?, ?, ?, ?)",
        [(fy, rnd, fp, counts.get((fy, rnd), 0)) for fy, rnd, fp in rounds],
    )
    for row in files:
        file_id = int(row[0])
        kept_scores = scores.get(file_id, [])
        digest = file_digest(row, offices.get(file_id, []), kept_scores)
        db.execute(
            "INSERT INTO files (id, fiscal_year, round, name, sha256, size, member, member_key, workbook_id, "
            "fingerprint, imported_at, superseded_by, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*row, digest),
        )
        db.executemany("INSERT INTO file_offices (file_id, office_id, scored) VALUES (?, ?, ?)",
                       [(file_id, office, scored) for office, scored in offices.get(file_id, [])])
        try:
            db.executemany(
                "INSERT INTO scores (file_id, office_id, criterion_id, value, sheet, cell, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(file_id, *score) for score in kept_scores],
            )
        except sqlite3.IntegrityError:
            raise damaged("scores", file_id, "มีคะแนนข้อเดียวกันของหน่วยงานเดียวกันซ้ำ",
                          "a criterion of one office is recorded twice") from None
    for _kept, row in duplicates:
        cursor = db.execute(
            "INSERT INTO attempts (fiscal_year, round, name, sha256, member, workbook_id, attempted_at, digest) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '')",
            (row[1], row[2], row[3], row[4], row[6], row[8], now),
        )
        attempt = cursor.lastrowid
        db.execute("INSERT INTO attempt_issues (attempt_id, position, code) VALUES (?, 0, 'duplicate-member')",
                   (attempt,))
        identity = (attempt, row[1], row[2], row[3], row[4], row[6], row[8], now)
        digest = attempt_digest(identity, ["duplicate-member"])
        db.execute("UPDATE attempts SET digest = ? WHERE id = ?", (digest, attempt))
    if db.execute("PRAGMA foreign_key_check").fetchall():
        raise damaged("files", "?", "มีแถวที่อ้างถึงแถวที่ไม่มีอยู่", "a row refers to a row that does not exist")


def _to_5(db: sqlite3.Connection) -> None:
    columns = {row[1] for row in db.execute("PRAGMA table_info(files)")}
    if "withdrawn" not in columns:
        db.execute("ALTER TABLE files ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1))")
    for statement in statements(SCHEMA):
        statement = "\n".join(line for line in statement.splitlines() if not line.startswith("--"))
        if statement.startswith("CREATE TABLE file_events") or statement.startswith("CREATE TABLE excuses"):
            db.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
        elif statement.startswith(("CREATE INDEX file_events", "CREATE INDEX excuses",
                                   "CREATE UNIQUE INDEX files_current")):
            name = statement.split()[2 if statement.startswith("CREATE INDEX") else 3]
            db.execute(f"DROP INDEX IF EXISTS {name}")
            db.execute(statement)
    for row in db.execute(f"SELECT {_FILES_4}, withdrawn, digest FROM files ORDER BY id").fetchall():
        file_id, identity, withdrawn, digest = row[0], list(row[:12]), row[12], row[13]
        offices = db.execute("SELECT office_id, scored FROM file_offices WHERE file_id = ?", (file_id,)).fetchall()
        scores = db.execute("SELECT office_id, criterion_id, value, sheet, cell, note FROM scores WHERE file_id = ?",
                            (file_id,)).fetchall()
        try:
            intact = file_digest(identity, offices, scores) == digest
        except TypeError:  # values of mixed types cannot even be put in order
            intact = False
        if not intact:
            raise damaged("files", file_id, "ไม่ตรงกับลายนิ้วมือ (digest) ของแถวที่บันทึกไว้ (มีการแก้ไขฐานข้อมูลโดยตรง)",
                          "its rows (identity, offices, scores) do not match their digest: the store was edited")
        db.execute("UPDATE files SET digest = ? WHERE id = ?",
                   (file_digest([*identity, withdrawn], offices, scores), file_id))


# Migration from version N to N + 1, applied in order.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_2, 2: _to_3, 3: _to_4, 4: _to_5}
