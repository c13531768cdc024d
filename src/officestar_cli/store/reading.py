"""Reading the store: every row checked before it is used (docs/store.md, "Digests").

Each file's rows are read with the file and compared with its digest; a round's files are
counted against the number its ``rounds`` row keeps, so a file that went missing is found
too. The reads scan ``files`` itself (``NOT INDEXED``): a damaged index cannot hide a file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from officestar_cli.store.integrity import (
    ATTEMPT_FIELDS,
    FILE_FIELDS,
    ScoreKey,
    attempt_digest,
    check_text,
    check_value,
    damaged,
    file_digest,
    locate_undecodable,
)
from officestar_cli.store.schema import COLUMNS


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
    member_key: str = ""
    withdrawn: bool = False

    @property
    def current(self) -> bool:
        """The copy of its workbook that counts: neither superseded nor withdrawn."""
        return self.superseded_by is None and not self.withdrawn

    @property
    def identity(self) -> tuple[object, ...]:
        """The ``files`` row in the digest's order (``FILE_FIELDS``)."""
        return (self.id, self.fiscal_year, self.round, self.name, self.sha256, self.size, self.member,
                self.member_key, self.workbook_id, self.fingerprint, self.imported_at, self.superseded_by,
                int(self.withdrawn))


@dataclass(frozen=True)
class StoredAttempt:
    """A rejected file: it never counts."""

    id: int
    fiscal_year: int
    round: int
    name: str
    sha256: str | None
    member: str | None
    workbook_id: str | None
    attempted_at: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class FileScores:
    file: StoredFile
    offices: dict[str, bool]  # the offices the file was to score, and whether it did
    scores: list[ScoreKey]  # (office, criterion, value, sheet, cell, note); empty when not current


@contextmanager
def decoding(db: sqlite3.Connection) -> Iterator[None]:
    """A text SQLite cannot decode becomes a damaged store naming its table and row."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc).lower():
            raise
        raise locate_undecodable(db, COLUMNS) from None
    except UnicodeDecodeError:  # SQLite's message itself quoted text that is not UTF-8
        raise locate_undecodable(db, COLUMNS) from None


_SELECT_FILES = f"SELECT {FILE_FIELDS}, digest FROM files NOT INDEXED"


def _stored(row: tuple[object, ...]) -> tuple[StoredFile, str]:
    (file_id, fiscal_year, round_no, name, sha256, size, member, key, workbook_id, fingerprint, imported_at,
     superseded_by, withdrawn, digest) = row
    if not all(isinstance(v, int) for v in (file_id, fiscal_year, round_no, size)) or not (
        superseded_by is None or isinstance(superseded_by, int)
    ) or withdrawn not in (0, 1):
        raise damaged("files", file_id, "มีค่าที่ไม่ใช่จำนวนเต็ม", "a value that should be a whole number is not")
    check_text("files", file_id, name, sha256, member, key, workbook_id, fingerprint, imported_at, digest)
    stored = StoredFile(file_id, name, sha256, size, member, workbook_id, fingerprint, imported_at,  # type: ignore[arg-type]
                        superseded_by, fiscal_year, round_no, key, bool(withdrawn))  # type: ignore[arg-type]
    return stored, str(digest)


def office_rows(db: sqlite3.Connection, file_id: int) -> list[tuple[str, int]]:
    return db.execute("SELECT office_id, scored FROM file_offices WHERE file_id = ? ORDER BY rowid",
                      (file_id,)).fetchall()


def score_rows(db: sqlite3.Connection, file_id: int, *, in_order: bool = False) -> list[ScoreKey]:
    sql = "SELECT office_id, criterion_id, value, sheet, cell, note FROM scores WHERE file_id = ?"
    return db.execute(sql + (" ORDER BY rowid" if in_order else ""), (file_id,)).fetchall()


def _verify(stored: StoredFile, digest: str, offices: list[tuple[str, int]], scores: list[ScoreKey]) -> None:
    try:
        found = file_digest(stored.identity, offices, scores)
    except TypeError:  # values of mixed types cannot even be put in order
        found = ""
    if found != digest:
        raise damaged("files", stored.id, "ไม่ตรงกับลายนิ้วมือ (digest) ของแถวที่บันทึกไว้ (มีการแก้ไขฐานข้อมูลโดยตรง)",
                      "its rows (identity, offices, scores) do not match their digest: the store was edited")
    for office, flag in offices:
        check_text("file_offices", f"file_id={stored.id}", office)
        if flag not in (0, 1):
            raise damaged("file_offices", f"file_id={stored.id}", "มีค่า scored ที่ไม่ใช่ 0 หรือ 1",
                          "scored is neither 0 nor 1")


def one_file(db: sqlite3.Connection, file_id: int) -> StoredFile:
    row = db.execute(f"{_SELECT_FILES} WHERE id = ?", (file_id,)).fetchone()
    if row is None:
        raise damaged("files", file_id, "ไม่มีแถวนี้", "the row is missing")
    stored, digest = _stored(row)
    _verify(stored, digest, office_rows(db, file_id), score_rows(db, file_id))
    return stored


def _check_counts(db: sqlite3.Connection, fiscal_year: int, round_no: int | None, found: list[StoredFile]) -> None:
    """Each round holds as many files as its ``rounds`` row says."""
    sql = "SELECT fiscal_year, round, file_count FROM rounds NOT INDEXED WHERE fiscal_year = ?"
    args: list[object] = [fiscal_year]
    if round_no is not None:
        sql += " AND round = ?"
        args.append(round_no)
    kept = {(fy, rnd): count for fy, rnd, count in db.execute(sql, args)}
    counted: dict[tuple[int, int], int] = {}
    for stored in found:
        counted[(stored.fiscal_year, stored.round)] = counted.get((stored.fiscal_year, stored.round), 0) + 1
    for key in sorted(set(kept) | set(counted), key=str):
        if kept.get(key) != counted.get(key, 0):
            raise damaged("rounds", f"fiscal_year={key[0]}, round={key[1]}",
                          f"บันทึกว่ามี {kept.get(key)} ไฟล์ แต่พบ {counted.get(key, 0)} ไฟล์",
                          f"it holds {kept.get(key)} files but {counted.get(key, 0)} were found")


def files(db: sqlite3.Connection, fiscal_year: int, round_no: int | None, *, current_only: bool) -> list[StoredFile]:
    sql = f"{_SELECT_FILES} WHERE fiscal_year = ?"
    args: list[object] = [fiscal_year]
    if round_no is not None:
        sql += " AND round = ?"
        args.append(round_no)
    found = []
    for row in db.execute(sql, args).fetchall():
        stored, digest = _stored(row)
        _verify(stored, digest, office_rows(db, stored.id), score_rows(db, stored.id))
        found.append(stored)
    _check_counts(db, fiscal_year, round_no, found)
    found.sort(key=lambda f: (f.round, f.member_key, f.imported_at, f.id))
    return [f for f in found if f.current] if current_only else found


def attempts(db: sqlite3.Connection, fiscal_year: int, round_no: int | None) -> list[StoredAttempt]:
    sql = f"SELECT {ATTEMPT_FIELDS}, digest FROM attempts WHERE fiscal_year = ?"
    args: list[object] = [fiscal_year]
    if round_no is not None:
        sql += " AND round = ?"
        args.append(round_no)
    found = []
    for *identity, digest in db.execute(sql + " ORDER BY id", args).fetchall():
        codes = [c for (c,) in db.execute(
            "SELECT code FROM attempt_issues WHERE attempt_id = ? ORDER BY position", (identity[0],))]
        if attempt_digest(identity, codes) != digest:
            raise damaged("attempts", identity[0], "ไม่ตรงกับลายนิ้วมือ (digest) ของแถวที่บันทึกไว้",
                          "its rows do not match their digest: the store was edited")
        found.append(StoredAttempt(*identity, tuple(codes)))  # type: ignore[call-arg]
    return found


def round_fingerprint(db: sqlite3.Connection, fiscal_year: int, round_no: int) -> str | None:
    row = db.execute("SELECT fingerprint FROM rounds NOT INDEXED WHERE fiscal_year = ? AND round = ?",
                     (fiscal_year, round_no)).fetchone()
    if row is None:
        return None
    check_text("rounds", f"fiscal_year={fiscal_year}, round={round_no}", row[0])
    return str(row[0])


def round_rubric(db: sqlite3.Connection, fiscal_year: int, round_no: int) -> str | None:
    fingerprint = round_fingerprint(db, fiscal_year, round_no)
    row = db.execute("SELECT content FROM rubrics WHERE fingerprint = ?", (fingerprint,)).fetchone()
    if row is None or row[0] is None:
        return None
    content = row[0]
    check_text("rubrics", fingerprint, content)
    if hashlib.sha256(str(content).encode("utf-8", "surrogatepass")).hexdigest() != fingerprint:
        raise damaged("rubrics", fingerprint, "มีเนื้อหาเกณฑ์ที่ไม่ตรงกับลายนิ้วมือ", "its content does not match its fingerprint")
    return str(content)


def round_scores(db: sqlite3.Connection, fiscal_year: int, round_no: int,
                 offices: dict[str, dict[str, Decimal]]) -> Iterator[FileScores]:
    """Every file of the round in id order, each checked against its digest; the scores of
    current files checked against the rubric (known office and criterion, a number within the
    criterion's bounds)."""
    round_files = [_stored(row) for row in db.execute(
        f"{_SELECT_FILES} WHERE fiscal_year = ? AND round = ? ORDER BY id", (fiscal_year, round_no)).fetchall()]
    _check_counts(db, fiscal_year, round_no, [f for f, _ in round_files])
    good: set[tuple[str, str]] = set()  # (criterion, value) pairs already found within bounds
    for stored, digest in round_files:
        office_list = office_rows(db, stored.id)
        scores = score_rows(db, stored.id)
        _verify(stored, digest, office_list, scores)
        for office, _ in office_list:
            if office not in offices:
                raise damaged("file_offices", f"file_id={stored.id}, office_id={office}",
                              "มีหน่วยงานที่ไม่อยู่ในเกณฑ์", "the office is not in the rubric")
        if not stored.current:
            yield FileScores(stored, {o: bool(flag) for o, flag in office_list}, [])
            continue
        for office, criterion, value, sheet, cell, note in scores:
            if (criterion, value) in good and office in offices:
                continue
            where = f"file_id={stored.id}, office_id={office}, criterion_id={criterion}"
            maxima = offices.get(office)
            if maxima is None or criterion not in maxima:
                raise damaged("scores", where, "มีหน่วยงานหรือข้อเกณฑ์ที่ไม่อยู่ในเกณฑ์",
                              "the office or the criterion is not in the rubric")
            check_text("scores", where, sheet, cell, note)
            check_value(where, value, maxima[criterion])
            good.add((criterion, value))
        yield FileScores(stored, {o: bool(flag) for o, flag in office_list}, scores)
