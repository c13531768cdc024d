"""The round store: an embedded SQLite file holding every accepted workbook.

One transaction per file: a workbook is recorded whole or not at all. A later
copy of the same workbook id supersedes the earlier one, which stays as
history. A store holds many rounds and years; each (fiscal year, round) is
bound to the rubric fingerprint of the first workbook recorded for it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from officestar_cli.base.errors import StoreError
from officestar_cli.base.names import member_key
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.reader import Reading, Score, ScoreRow

STORE_ENV = "OFFICESTAR_STORE"
DEFAULT_STORE = "officestar.sqlite3"
APPLICATION_ID = 0x4F465354  # "OFST"
SCHEMA_VERSION = 3
# Joins a member's scores for one office into one stored row (schema 3): U+001F cannot occur in
# sheet XML (XML 1.0 forbids it), so no id, value, sheet name, cell or note read from a workbook
# holds it; recording refuses one all the same, and reading checks that the lists line up.
GROUP_SEPARATOR = "\x1f"
SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE rounds (
    fiscal_year INTEGER NOT NULL,
    round       INTEGER NOT NULL,
    fingerprint TEXT    NOT NULL,
    PRIMARY KEY (fiscal_year, round)
);
CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    fiscal_year   INTEGER NOT NULL,
    round         INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    member        TEXT    NOT NULL,
    member_key    TEXT    NOT NULL,
    workbook_id   TEXT    NOT NULL,
    fingerprint   TEXT    NOT NULL,
    imported_at   TEXT    NOT NULL,
    superseded_by INTEGER REFERENCES files(id),
    UNIQUE (fiscal_year, round, sha256)
);
CREATE INDEX files_round ON files (fiscal_year, round, superseded_by);
CREATE TABLE file_offices (
    file_id   INTEGER NOT NULL REFERENCES files(id),
    office_id TEXT    NOT NULL,
    scored    INTEGER NOT NULL,
    PRIMARY KEY (file_id, office_id)
);
CREATE TABLE scores (
    file_id      INTEGER NOT NULL REFERENCES files(id),
    office_id    TEXT    NOT NULL,
    criterion_id TEXT    NOT NULL,
    value        TEXT    NOT NULL,
    sheet        TEXT    NOT NULL,
    cell         TEXT    NOT NULL,
    note         TEXT    NOT NULL,
    PRIMARY KEY (file_id, office_id, criterion_id)
);
"""

# Version 2: the checks made before each file is recorded (same member, same workbook) look
# up an index instead of reading every file of the round (the same file already had one).
_FILE_INDEXES = """
CREATE INDEX files_member ON files (fiscal_year, round, member_key, superseded_by);
CREATE INDEX files_workbook ON files (fiscal_year, round, workbook_id, superseded_by);
"""

# Version 3: one row per file and office instead of one per score. A national round records
# 14,000 rows instead of 210,000 (0.1 s instead of 0.55 s) and reads them back ungrouped.
# Each column holds the office's list in the sheet's order, joined by GROUP_SEPARATOR.
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


def _pack_scores(db: sqlite3.Connection) -> None:
    """Version 2 to 3: every recorded score moves, in its order, into its office's row."""
    db.execute(_OFFICE_SCORES)
    rows = db.execute(
        "SELECT file_id, office_id, criterion_id, value, sheet, cell, note FROM scores ORDER BY file_id, rowid"
    )
    for file_id, group in groupby(rows, key=itemgetter(0)):
        _insert_packed(db, file_id, [row[1:] for row in group])
    db.execute("DROP TABLE scores")


def _insert_packed(db: sqlite3.Connection, file_id: int | None, rows: Sequence[Sequence[str]]) -> None:
    """Insert one file's scores ``(office, criterion, value, sheet, cell, note)``, each office's
    joined into one row in the order given (the reader gives an office's scores together)."""
    packed: dict[str, list[list[str]]] = {}
    for office, group in groupby(rows, key=itemgetter(0)):
        columns = [list(column) for column in zip(*group, strict=True)][1:]
        if office in packed:  # the same office again further on: one row all the same
            for kept, more in zip(packed[office], columns, strict=True):
                kept.extend(more)
        else:
            packed[office] = columns
    values = []
    for office, columns in packed.items():
        joined = [GROUP_SEPARATOR.join(column) for column in columns]
        if GROUP_SEPARATOR in office or any(
            text.count(GROUP_SEPARATOR) != len(column) - 1 for text, column in zip(joined, columns, strict=True)
        ):
            raise ValueError(f"a score of office {office!r} holds U+001F, which the store uses to join them")
        values.append((file_id, office, *joined))
    db.executemany(
        "INSERT INTO office_scores (file_id, office_id, criteria, scores, sheets, cells, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        values,
    )


# Migrations from version N to N+1, applied in order; version 0 is an empty file.
_MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {0: _SCHEMA, 1: _FILE_INDEXES, 2: _pack_scores}


# What SQLite says when the file or the disk, not officestar, is the problem.
_UNUSABLE = ("readonly", "malformed", "not a database", "disk i/o", "disk is full", "unable to open",
             "database is locked")


def unusable_store(exc: sqlite3.DatabaseError) -> StoreError | None:
    """The user-facing error for a store that broke while in use (read-only, damaged, locked,
    a full disk); None for anything else, which is a bug and keeps its traceback."""
    text = str(exc)
    if not any(marker in text.lower() for marker in _UNUSABLE):
        return None
    return StoreError(
        f"ใช้ฐานข้อมูลไม่ได้ ({text}) แต่ละแบบประเมินถูกบันทึกทั้งไฟล์หรือไม่บันทึกเลย ตรวจสิทธิ์การเขียนและพื้นที่ดิสก์ "
        "ถ้าไฟล์เสียให้ใช้สำเนาสำรอง หรือใช้ --store เลือกไฟล์อื่น",
        f"The store cannot be used ({text}); each workbook is recorded whole or not at all. Check "
        "write permission and disk space, restore a backup if the file is damaged, or choose another "
        "with --store",
    )


def resolve_store_path(option: Path | None) -> Path:
    if option is not None:
        return option
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else Path(DEFAULT_STORE)


@dataclass(frozen=True)
class StoredFile:
    id: int
    name: str
    sha256: str
    size: int
    member: str
    workbook_id: str
    fingerprint: str
    imported_at: str
    superseded_by: int | None
    fiscal_year: int
    round: int


@dataclass(frozen=True)
class Outcome:
    """What happened to one reading: recorded, unchanged or rejected (with issues)."""

    status: str
    supersedes: str | None = None
    issues: tuple[Issue, ...] = ()


def _unpack(columns: Sequence[str]) -> list[tuple[str, ...]]:
    """An office row's lists, as one tuple per score; a store whose lists do not line up is damaged."""
    lists = [column.split(GROUP_SEPARATOR) for column in columns]
    if len({len(values) for values in lists}) != 1:
        raise damaged_lists()
    return list(zip(*lists, strict=True))


def damaged_lists() -> StoreError:
    """The error for an office row whose joined lists do not line up (not written by officestar)."""
    return StoreError(
        "ฐานข้อมูลเสียหาย: รายการคะแนนของหน่วยงานหนึ่งมีจำนวนไม่ตรงกัน ใช้สำเนาสำรอง",
        "The store is damaged: an office's lists of scores differ in length; restore a backup",
    )


def _not_a_store(path: Path, th: str = "", en: str = "") -> StoreError:
    return StoreError(
        f"{path} ไม่ใช่ฐานข้อมูลของ officestar {th}(ไม่ได้แก้ไขไฟล์นี้) ใช้ --store เลือกไฟล์อื่น",
        f"{path} is not an officestar store {en}(it was left untouched); choose another with --store",
    )


class Store:
    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        if path.is_dir():
            raise _not_a_store(path, "เพราะเป็นโฟลเดอร์ ", "because it is a folder ")
        # An empty file is what a run killed before its first commit leaves: no store yet.
        exists = path.exists() and not (path.is_file() and path.stat().st_size == 0)
        if not exists and not create:
            raise StoreError(
                f"ไม่พบฐานข้อมูล {path} ให้รัน officestar score กับไฟล์แบบประเมินก่อน หรือใช้ --store",
                f"No store at {path}; run officestar score on the workbooks first, or pass --store",
            )
        if exists:
            try:
                with path.open("rb") as handle:
                    head = handle.read(16)
            except OSError as exc:
                raise StoreError(
                    f"เปิดฐานข้อมูล {path} ไม่ได้ ({exc.strerror})", f"Cannot open the store {path} ({exc.strerror})"
                ) from None
            if head != SQLITE_MAGIC:
                raise _not_a_store(path)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"สร้างฐานข้อมูล {path} ไม่ได้ ({exc.strerror})", f"Cannot create the store {path} ({exc.strerror})"
                ) from None
        try:
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self._prepare(path, exists)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"ใช้ฐานข้อมูล {path} ไม่ได้ ({exc})", f"Cannot use the store {path} ({exc})"
            ) from None

    def _prepare(self, path: Path, existed: bool) -> None:
        db = self.db
        db.execute("PRAGMA busy_timeout = 60000")
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if existed and tables and application_id != APPLICATION_ID:
            db.close()
            raise _not_a_store(path)
        if version > SCHEMA_VERSION:
            db.close()
            raise StoreError(
                f"ฐานข้อมูล {path} มาจาก officestar รุ่นใหม่กว่า (schema {version}) กรุณาปรับรุ่นโปรแกรม",
                f"{path} was written by a newer officestar (schema {version}); upgrade officestar",
            )
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        while version < SCHEMA_VERSION:
            with self.transaction():
                current = db.execute("PRAGMA user_version").fetchone()[0]
                if current != version:  # another process migrated meanwhile
                    version = current
                    continue
                step = _MIGRATIONS[version]
                if callable(step):
                    step(db)
                else:
                    for statement in step.split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent view for several reads: a file another run commits meanwhile is
        either wholly in it or not at all."""
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")  # nothing was written: this only ends the read

    # -- writing

    def record(self, reading: Reading, fiscal_year: int, round_no: int, offices: list[str]) -> Outcome:
        """Record one accepted reading, all or nothing."""
        assert reading.ok and reading.sha256 and reading.member and reading.workbook_id
        assert reading.fingerprint and reading.size is not None
        key = member_key(reading.member)
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self.transaction() as db:
            bound = db.execute(
                "SELECT fingerprint FROM rounds WHERE fiscal_year = ? AND round = ?", (fiscal_year, round_no)
            ).fetchone()
            if bound is not None and bound[0] != reading.fingerprint:
                return Outcome(
                    "rejected",
                    issues=(
                        issue(
                            "store-rubric-mismatch",
                            reading.file,
                            value=reading.fingerprint[:12],
                            expected=bound[0][:12],
                        ),
                    ),
                )
            same = db.execute(
                "SELECT id FROM files WHERE fiscal_year = ? AND round = ? AND sha256 = ?",
                (fiscal_year, round_no, reading.sha256),
            ).fetchone()
            if same is not None:
                return Outcome("unchanged")
            current = db.execute(
                "SELECT id, name, sha256, workbook_id FROM files WHERE fiscal_year = ? AND round = ? "
                "AND member_key = ? AND superseded_by IS NULL",
                (fiscal_year, round_no, key),
            ).fetchall()
            others = [row for row in current if row[3] != reading.workbook_id]
            if others:
                return Outcome(
                    "rejected",
                    issues=(
                        issue(
                            "duplicate-member",
                            reading.file,
                            value=reading.member,
                            expected=", ".join(row[1] for row in others) + " (recorded)",
                        ),
                    ),
                )
            previous = db.execute(
                "SELECT id, sha256 FROM files WHERE fiscal_year = ? AND round = ? AND workbook_id = ? "
                "AND superseded_by IS NULL",
                (fiscal_year, round_no, reading.workbook_id),
            ).fetchone()
            if bound is None:
                db.execute(
                    "INSERT INTO rounds (fiscal_year, round, fingerprint) VALUES (?, ?, ?)",
                    (fiscal_year, round_no, reading.fingerprint),
                )
            cursor = db.execute(
                "INSERT INTO files (fiscal_year, round, name, sha256, size, member, member_key, "
                "workbook_id, fingerprint, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    fiscal_year, round_no, reading.file, reading.sha256, reading.size, reading.member,
                    key, reading.workbook_id, reading.fingerprint, now,
                ),
            )
            file_id = cursor.lastrowid
            scored = set(reading.offices_scored)
            db.executemany(
                "INSERT INTO file_offices (file_id, office_id, scored) VALUES (?, ?, ?)",
                [(file_id, office, int(office in scored)) for office in offices],
            )
            self._insert_scores(db, file_id, reading.rows)
            if previous is not None:
                db.execute("UPDATE files SET superseded_by = ? WHERE id = ?", (file_id, previous[0]))
        return Outcome("recorded", supersedes=previous[1] if previous else None)

    def _insert_scores(self, db: sqlite3.Connection, file_id: int | None, rows: list[ScoreRow]) -> None:
        _insert_packed(db, file_id, rows)

    # -- reading

    def files(self, fiscal_year: int, round_no: int | None, *, current_only: bool) -> list[StoredFile]:
        sql = (
            "SELECT id, name, sha256, size, member, workbook_id, fingerprint, imported_at, superseded_by, "
            "fiscal_year, round FROM files WHERE fiscal_year = ?"
        )
        args: list[object] = [fiscal_year]
        if round_no is not None:
            sql += " AND round = ?"
            args.append(round_no)
        if current_only:
            sql += " AND superseded_by IS NULL"
        sql += " ORDER BY round, member_key, imported_at, id"
        return [StoredFile(*row) for row in self.db.execute(sql, args)]

    def round_fingerprint(self, fiscal_year: int, round_no: int) -> str | None:
        row = self.db.execute(
            "SELECT fingerprint FROM rounds WHERE fiscal_year = ? AND round = ?", (fiscal_year, round_no)
        ).fetchone()
        return None if row is None else str(row[0])

    def file_offices(self, file_id: int) -> dict[str, bool]:
        return {
            office: bool(scored)
            for office, scored in self.db.execute(
                "SELECT office_id, scored FROM file_offices WHERE file_id = ?", (file_id,)
            )
        }

    def scores(self, file_id: int) -> list[Score]:
        """A file's scores, in the order they were read."""
        found: list[Score] = []
        for office, *columns in self.db.execute(
            "SELECT office_id, criteria, scores, sheets, cells, notes FROM office_scores WHERE file_id = ? "
            "ORDER BY rowid",
            (file_id,),
        ):
            for criterion, value, sheet, cell, note in _unpack(columns):
                found.append(Score(office, criterion, Decimal(value), sheet, cell, note))
        return found

    def round_score_groups(self, fiscal_year: int, round_no: int) -> Iterator[tuple[int, str, str, str, str, str, str]]:
        """One row per current file and office: its criterion ids, values, sheets, cells and
        notes, each list joined by GROUP_SEPARATOR in one and the same order."""
        return self.db.execute(
            "SELECT file_id, office_id, criteria, scores, sheets, cells, notes FROM office_scores WHERE file_id IN "
            "(SELECT id FROM files WHERE fiscal_year = ? AND round = ? AND superseded_by IS NULL)",
            (fiscal_year, round_no),
        )

    def round_decimals(self, fiscal_year: int, round_no: int) -> int:
        """The most decimals any current score of the round was recorded with."""
        most = 0
        for _, _, _, values, *_ in self.round_score_groups(fiscal_year, round_no):
            for value in values.split(GROUP_SEPARATOR):
                most = max(most, len(value.partition(".")[2]))
        return most

    def round_coverage(self, fiscal_year: int, round_no: int) -> dict[int, dict[str, bool]]:
        """For each current file: the offices it was to score, and whether it did."""
        coverage: dict[int, dict[str, bool]] = {}
        for file_id, office_id, scored in self.db.execute(
            "SELECT o.file_id, o.office_id, o.scored FROM file_offices o JOIN files f ON f.id = o.file_id "
            "WHERE f.fiscal_year = ? AND f.round = ? AND f.superseded_by IS NULL ORDER BY o.rowid",
            (fiscal_year, round_no),
        ):
            coverage.setdefault(file_id, {})[office_id] = bool(scored)
        return coverage

    def sha_of(self, file_id: int) -> str:
        row = self.db.execute("SELECT sha256 FROM files WHERE id = ?", (file_id,)).fetchone()
        return str(row[0]) if row else ""
