"""What makes a stored row trustworthy: the per-file digest and the checks made on reading.

docs/store.md, "Digests": each file's digest is a SHA-256 over every row the file owns
(its identity, its offices, its scores) in one canonical order; it is written with the
file and checked whenever the file is read. Any row that fails (a digest that differs,
a value that is not a number, an unknown office or criterion, a score outside the
rubric's bounds, text that does not decode) is reported as "the store is damaged",
naming the table and the row, and nothing is counted from the store.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from decimal import Decimal

from officestar_cli.base.errors import StoreError

# A stored score is the text of an exact decimal, as the reader wrote it.
NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")
FILE_FIELDS = (
    "id, fiscal_year, round, name, sha256, size, member, member_key, workbook_id, fingerprint, imported_at, "
    "superseded_by, withdrawn"
)
EVENT_FIELDS = "id, file_id, action, reason, at"
EXCUSE_FIELDS = "id, fiscal_year, round, member, member_key, office_id, action, reason, at"
ATTEMPT_FIELDS = "id, fiscal_year, round, name, sha256, member, workbook_id, attempted_at"

ScoreKey = tuple[str, str, str, str, str, str]  # office, criterion, value, sheet, cell, note


def damaged(table: str, row: object, th: str, en: str) -> StoreError:
    """The one error for a store whose rows cannot be trusted."""
    return StoreError(
        f"ฐานข้อมูลเสียหาย: ตาราง {table} แถว {row} {th} จึงไม่นับคะแนนจากฐานข้อมูลนี้ ให้ใช้สำเนาสำรอง",
        f"The store is damaged: table {table}, row {row}: {en}; nothing was counted from it. Restore a backup",
    )


def _canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def file_digest(identity: Sequence[object], offices: Iterable[tuple[object, object]],
                scores: Iterable[Sequence[object]]) -> str:
    """The digest of one file's rows: its ``files`` row (``FILE_FIELDS``), its offices and its
    scores, each set in sorted order so that the order SQLite returns them in does not matter."""
    return hashlib.sha256(_canonical([list(identity), sorted(offices), sorted(scores)])).hexdigest()  # type: ignore[type-var]


def attempt_digest(identity: Sequence[object], codes: Sequence[object]) -> str:
    return hashlib.sha256(_canonical([list(identity), list(codes)])).hexdigest()


def row_digest(row: Sequence[object]) -> str:
    """The digest of one row that owns nothing else (a withdrawal, a restoration, an excuse)."""
    return hashlib.sha256(_canonical(list(row))).hexdigest()


def check_text(table: str, row: object, *values: object) -> None:
    for value in values:
        if not isinstance(value, str):
            raise damaged(table, row, "มีค่าที่ไม่ใช่ข้อความ", f"a value that should be text is {type(value).__name__}")


def check_value(row: object, value: object, maximum: Decimal) -> None:
    """A stored score: the text of a decimal within 0 and the criterion's maximum."""
    if not isinstance(value, str) or NUMBER.fullmatch(value) is None:
        raise damaged("scores", row, f"มีคะแนนที่ไม่ใช่ตัวเลข ({value!r})", f"the score {value!r} is not a number")
    if not Decimal(0) <= Decimal(value) <= maximum:
        raise damaged("scores", row, f"มีคะแนน {value} นอกช่วง 0 ถึง {maximum}",
                      f"the score {value} is outside 0 to {maximum}")


def locate_undecodable(db: sqlite3.Connection, tables: Iterable[str]) -> StoreError:
    """After SQLite could not decode a text: find the table and row that holds it."""
    previous = db.text_factory
    db.text_factory = bytes
    try:
        for table in tables:
            try:
                rows = db.execute(f'SELECT rowid, * FROM "{table}"').fetchall()
            except sqlite3.DatabaseError:
                continue
            for rowid, *values in rows:
                for value in values:
                    if isinstance(value, bytes):
                        try:
                            value.decode("utf-8")
                        except UnicodeDecodeError:
                            return damaged(table, rowid, "มีข้อความที่ถอดรหัสไม่ได้ (ไม่ใช่ UTF-8)",
                                           "a text does not decode (not UTF-8)")
    finally:
        db.text_factory = previous
    return damaged("?", "?", "มีข้อความที่ถอดรหัสไม่ได้ (ไม่ใช่ UTF-8)", "a text does not decode (not UTF-8)")
