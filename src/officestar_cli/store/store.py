"""The round store: an embedded SQLite file holding every workbook returned (docs/store.md).

One transaction per file: a workbook is recorded whole or not at all. A workbook is known
by (workbook id, member key): a later copy with the same pair supersedes the earlier one,
which stays as history; a copy of a blank workbook showing another name is another member's
workbook. Rejected attempts are kept too and never count. A store holds many rounds and
years; each (fiscal year, round) is bound to the rubric of the first workbook recorded for it.
"""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from officestar_cli.base.errors import StoreError
from officestar_cli.base.names import member_key
from officestar_cli.intake.changes import Change, changes
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.reader import Reading, Score, ScoreRow
from officestar_cli.store import corrections
from officestar_cli.store import reading as checked
from officestar_cli.store.corrections import ExcuseEvent, FileEvent, set_state
from officestar_cli.store.integrity import ATTEMPT_FIELDS, FILE_FIELDS, attempt_digest, damaged, file_digest
from officestar_cli.store.migrations import MIGRATIONS, create
from officestar_cli.store.opening import STORE_ENV as STORE_ENV
from officestar_cli.store.opening import not_a_store, now, storable_name
from officestar_cli.store.opening import resolve_store_path as resolve_store_path
from officestar_cli.store.opening import unusable_store as unusable_store
from officestar_cli.store.reading import StoredAttempt, StoredFile
from officestar_cli.store.schema import APPLICATION_ID, COLUMNS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"

@dataclass(frozen=True)
class Outcome:
    """What happened to one reading: recorded, unchanged or rejected (with issues)."""

    status: str
    supersedes: str | None = None
    issues: tuple[Issue, ...] = ()
    file_id: int | None = None  # recorded: the new file's id
    superseded_id: int | None = None  # recorded: the id of the copy it supersedes


class Store:
    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        self._rubrics: set[tuple[str, bool]] = set()  # (fingerprint, content unknown) rows made this run
        try:
            mode = path.stat().st_mode  # stat opens nothing: a FIFO or a device is never opened
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise StoreError(
                f"เปิดฐานข้อมูล {path} ไม่ได้ ({exc.strerror})", f"Cannot open the store {path} ({exc.strerror})"
            ) from None
        if mode is not None and stat.S_ISDIR(mode):
            raise not_a_store(path, "เพราะเป็นโฟลเดอร์ ", "because it is a folder ")
        if mode is not None and not stat.S_ISREG(mode):
            raise not_a_store(path, "เพราะไม่ใช่ไฟล์ธรรมดา (เช่น FIFO หรืออุปกรณ์) ",
                               "because it is not a regular file (a FIFO or a device, say) ")
        # An empty file is what a run killed before its first commit leaves: no store yet.
        exists = mode is not None and path.stat().st_size > 0
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
                raise not_a_store(path)
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
        except UnicodeDecodeError:  # SQLite's own message quotes text that is not UTF-8
            raise StoreError(
                f"ใช้ฐานข้อมูล {path} ไม่ได้ (โครงสร้างตารางเสียหาย)",
                f"Cannot use the store {path} (the store is damaged: its table definitions do not decode)",
            ) from None

    def _prepare(self, path: Path, existed: bool) -> None:
        db = self.db
        db.execute("PRAGMA busy_timeout = 60000")
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if existed and tables and application_id != APPLICATION_ID:
            db.close()
            raise not_a_store(path)
        if version > SCHEMA_VERSION:
            db.close()
            raise StoreError(
                f"ฐานข้อมูล {path} มาจาก officestar รุ่นใหม่กว่า (schema {version}) กรุณาปรับรุ่นโปรแกรม",
                f"{path} was written by a newer officestar (schema {version}); upgrade officestar",
            )
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = OFF")  # a migration rebuilds tables that others refer to
        while version < SCHEMA_VERSION:
            with self.transaction():
                current = db.execute("PRAGMA user_version").fetchone()[0]
                if current != version:  # another process migrated meanwhile
                    version = current
                    continue
                try:
                    if version == 0:
                        create(db)
                        reached = SCHEMA_VERSION
                    else:
                        MIGRATIONS[version](db)
                        reached = version + 1
                except sqlite3.Error as exc:  # a store whose tables are not what its version says
                    raise damaged("sqlite_master", version, f"ไม่ตรงกับ schema {version} ({exc})",
                                  f"its tables are not those of schema {version} ({exc})") from None
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {reached}")
            version = reached
        db.execute("PRAGMA foreign_keys = ON")
        self._check_tables()

    def _check_tables(self) -> None:
        """Every table and column officestar reads is there (a dropped table or a renamed
        column is a damaged store, named before anything is read)."""
        for table, columns in COLUMNS.items():
            found = {row[1] for row in self.db.execute(f'PRAGMA table_info("{table}")')}
            if not found:
                raise damaged(table, "-", "ไม่มีตารางนี้", "the table is missing")
            for column in columns:
                if column not in found:
                    raise damaged(table, "-", f"ไม่มีคอลัมน์ {column}", f"the column {column} is missing")

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
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the view starts here
            yield
        finally:
            self.db.execute("COMMIT")  # nothing was written: this only ends the read

    # -- writing

    def record(self, reading: Reading, fiscal_year: int, round_no: int, offices: list[str],
               rubric: str | None = None) -> Outcome:
        """Record one accepted reading, all or nothing; ``rubric`` is the canonical rubric
        content it was read under (kept once per round)."""
        try:
            with checked.decoding(self.db):
                return self._record(reading, fiscal_year, round_no, offices, rubric)
        except sqlite3.IntegrityError as exc:  # the checks above found nothing, the keys did
            raise damaged("files", reading.sha256, f"ขัดกับกุญแจของตาราง ({exc})",
                          f"its keys disagree with its rows ({exc})") from None

    def _record(self, reading: Reading, fiscal_year: int, round_no: int, offices: list[str],
                rubric: str | None) -> Outcome:
        assert reading.ok and reading.sha256 and reading.member and reading.workbook_id
        assert reading.fingerprint and reading.size is not None
        key = member_key(reading.member)
        with self.transaction() as db:
            bound = db.execute(
                "SELECT fingerprint FROM rounds WHERE fiscal_year = ? AND round = ?", (fiscal_year, round_no)
            ).fetchone()
            if bound is not None and bound[0] != reading.fingerprint:
                found = issue("store-rubric-mismatch", reading.file, value=reading.fingerprint[:12],
                              expected=str(bound[0])[:12])
                self._attempt(db, reading, fiscal_year, round_no, [found.code])
                return Outcome("rejected", issues=(found,))
            same = db.execute(
                "SELECT id FROM files WHERE fiscal_year = ? AND round = ? AND sha256 = ?",
                (fiscal_year, round_no, reading.sha256),
            ).fetchone()
            if same is not None:
                return self._again(int(same[0]), reading)
            others = db.execute(
                "SELECT name FROM files WHERE fiscal_year = ? AND round = ? AND member_key = ? "
                "AND superseded_by IS NULL AND withdrawn = 0 AND workbook_id != ?",
                (fiscal_year, round_no, key, reading.workbook_id),
            ).fetchall()
            if others:
                found = issue("duplicate-member", reading.file, value=reading.member,
                              expected=", ".join(str(row[0]) for row in others) + " (recorded)")
                self._attempt(db, reading, fiscal_year, round_no, [found.code])
                return Outcome("rejected", issues=(found,))
            # The same workbook returned by the same member: a newer copy.
            previous = db.execute(
                "SELECT id, sha256 FROM files WHERE fiscal_year = ? AND round = ? AND workbook_id = ? "
                "AND member_key = ? AND superseded_by IS NULL AND withdrawn = 0",
                (fiscal_year, round_no, reading.workbook_id, key),
            ).fetchone()
            if (reading.fingerprint, rubric is None) not in self._rubrics:
                db.execute("INSERT OR IGNORE INTO rubrics (fingerprint, content) VALUES (?, ?)",
                           (reading.fingerprint, rubric))
                if rubric is not None:  # a round migrated from an older store learns its rubric
                    db.execute("UPDATE rubrics SET content = ? WHERE fingerprint = ? AND content IS NULL",
                               (rubric, reading.fingerprint))
            if bound is None:
                db.execute("INSERT INTO rounds (fiscal_year, round, fingerprint, file_count) VALUES (?, ?, ?, 0)",
                           (fiscal_year, round_no, reading.fingerprint))
            file_id = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM files").fetchone()[0])
            identity = (file_id, fiscal_year, round_no, storable_name(reading.file), reading.sha256, reading.size,
                        reading.member, key, reading.workbook_id, reading.fingerprint, now(), None, 0)
            if previous is not None:  # first, so that one file of the member is current at any time
                self._supersede(int(previous[0]), file_id)
            scored = set(reading.offices_scored)
            office_rows = [(office, int(office in scored)) for office in offices]
            db.execute(
                f"INSERT INTO files ({FILE_FIELDS}, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*identity, file_digest(identity, office_rows, reading.rows)),
            )
            db.executemany("INSERT INTO file_offices (file_id, office_id, scored) VALUES (?, ?, ?)",
                           [(file_id, office, flag) for office, flag in office_rows])
            self._insert_scores(db, file_id, reading.rows)
            db.execute("UPDATE rounds SET file_count = file_count + 1 WHERE fiscal_year = ? AND round = ?",
                       (fiscal_year, round_no))
        self._rubrics.add((reading.fingerprint, rubric is None))  # committed: no need to ask again
        return Outcome("recorded", supersedes=str(previous[1]) if previous else None, file_id=file_id,
                       superseded_id=int(previous[0]) if previous else None)

    def _insert_scores(self, db: sqlite3.Connection, file_id: int, rows: list[ScoreRow]) -> None:
        db.executemany(
            "INSERT INTO scores (file_id, office_id, criterion_id, value, sheet, cell, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(file_id, *row) for row in rows],
        )

    def _supersede(self, old: int, new: int | None) -> None:
        """Mark ``old`` superseded by ``new`` (None: current again)."""
        set_state(self.db, old, superseded_by=new)

    def _again(self, file_id: int, reading: Reading) -> Outcome:
        """A file already recorded: unchanged when it counts; else say why it does not and how
        to count it again (docs/design.md, "Withdraw and restore")."""
        stored = checked.one_file(self.db, file_id)
        if stored.current:
            return Outcome("unchanged")
        code = "recorded-withdrawn" if stored.withdrawn else "recorded-superseded"
        return Outcome("unchanged", issues=(issue(code, reading.file, value=stored.sha256[:12]),))

    def record_attempt(self, reading: Reading, fiscal_year: int, round_no: int) -> None:
        """Keep a rejected file as an attempt: it never counts; ``history`` lists it."""
        codes = list(dict.fromkeys(i.code for i in reading.issues if i.is_error))
        with self.transaction() as db:
            self._attempt(db, reading, fiscal_year, round_no, codes)

    def _attempt(self, db: sqlite3.Connection, reading: Reading, fiscal_year: int, round_no: int,
                 codes: Sequence[str]) -> None:
        attempt = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM attempts").fetchone()[0])
        member, workbook_id = (None if text is None else storable_name(text)
                               for text in (reading.member, reading.workbook_id))
        identity = (attempt, fiscal_year, round_no, storable_name(reading.file), reading.sha256,
                    member, workbook_id, now())
        db.execute(f"INSERT INTO attempts ({ATTEMPT_FIELDS}, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (*identity, attempt_digest(identity, codes)))
        db.executemany("INSERT INTO attempt_issues (attempt_id, position, code) VALUES (?, ?, ?)",
                       [(attempt, n, code) for n, code in enumerate(codes)])

    # -- reading (each checked against its digest: store/reading.py)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One consistent view for the several reads a check needs (a file another run
        commits meanwhile is wholly in it or not at all), and no text that does not decode."""
        with checked.decoding(self.db):
            if self.db.in_transaction:
                yield
            else:
                with self.snapshot():
                    yield

    def files(self, fiscal_year: int, round_no: int | None, *, current_only: bool) -> list[StoredFile]:
        with self._reading():
            return checked.files(self.db, fiscal_year, round_no, current_only=current_only)

    def attempts(self, fiscal_year: int, round_no: int | None) -> list[StoredAttempt]:
        with self._reading():
            return checked.attempts(self.db, fiscal_year, round_no)

    def round_fingerprint(self, fiscal_year: int, round_no: int) -> str | None:
        with self._reading():
            return checked.round_fingerprint(self.db, fiscal_year, round_no)

    def round_rubric(self, fiscal_year: int, round_no: int) -> str | None:
        """The canonical rubric content the round was recorded under (None: recorded before
        the store kept it)."""
        with self._reading():
            return checked.round_rubric(self.db, fiscal_year, round_no)

    def file_offices(self, file_id: int) -> dict[str, bool]:
        with self._reading():
            checked.one_file(self.db, file_id)
            return {office: bool(flag) for office, flag in checked.office_rows(self.db, file_id)}

    def scores(self, file_id: int) -> list[Score]:
        """A file's scores, in the order they were read."""
        with self._reading():
            checked.one_file(self.db, file_id)
            return [Score(o, c, Decimal(v), s, cell, note)
                    for o, c, v, s, cell, note in checked.score_rows(self.db, file_id, in_order=True)]

    def changes(self, old_id: int, new_id: int, order: Sequence[str] = ()) -> list[Change]:
        """What file ``new_id`` changed from ``old_id`` (intake/changes.py)."""
        with self._reading():
            rows = []
            for file_id in (old_id, new_id):
                checked.one_file(self.db, file_id)
                offices = {office: bool(flag) for office, flag in checked.office_rows(self.db, file_id)}
                rows.append((checked.score_rows(self.db, file_id, in_order=True), offices))
        (old_rows, old_offices), (new_rows, new_offices) = rows
        return changes(old_rows, old_offices, new_rows, new_offices, order)

    def round_scores(self, fiscal_year: int, round_no: int, offices: dict[str, dict[str, Decimal]]
                     ) -> Iterator[checked.FileScores]:
        """Every file of the round, checked, with its offices and (current files only) its scores;
        ``offices`` maps each office id of the rubric to its criteria's maxima."""
        with self._reading():
            yield from checked.round_scores(self.db, fiscal_year, round_no, offices)


    # -- corrections (store/corrections.py): each one transaction, recorded with its time and reason

    def withdraw(self, file_id: int, reason: str) -> tuple[StoredFile, StoredFile | None]:
        """Withdraw a file; returns it as it was and the copy that counts again, if any. A file
        withdrawn meanwhile (by another run) is left as it is: no second withdrawal is recorded."""
        with checked.decoding(self.db), self.transaction() as db:
            stored = checked.one_file(db, file_id)
            if stored.withdrawn:
                return stored, None
            return stored, corrections.withdraw(db, stored, reason)

    def restore(self, file_id: int, reason: str) -> tuple[StoredFile, list[StoredFile], list[StoredFile]]:
        """Make a file current again, unless another workbook of its member counts (then nothing
        changes); returns it as it was, the copies it supersedes now, and the blocking files."""
        with checked.decoding(self.db), self.transaction() as db:
            stored = checked.one_file(db, file_id)
            if stored.current:  # restored meanwhile (by another run): nothing to record
                return stored, [], []
            blocking = corrections.current_of_member(db, stored)
            if blocking:
                return stored, [], blocking
            return stored, corrections.restore(db, stored, reason), []

    def excuse(self, fiscal_year: int, round_no: int, member: str, office_id: str, reason: str, *,
               undo: bool) -> None:
        with self.transaction() as db:
            corrections.excuse(db, fiscal_year, round_no, member, office_id, reason, undo=undo)

    def file_events(self, fiscal_year: int, round_no: int) -> list[FileEvent]:
        with self._reading():
            return corrections.file_events(self.db, fiscal_year, round_no)

    def excuse_events(self, fiscal_year: int, round_no: int) -> list[ExcuseEvent]:
        with self._reading():
            return corrections.excuse_events(self.db, fiscal_year, round_no)
