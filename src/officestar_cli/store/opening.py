"""Finding and naming the store file before it is opened (docs/store.md)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from officestar_cli.base.errors import StoreError

STORE_ENV = "OFFICESTAR_STORE"
DEFAULT_STORE = "officestar.sqlite3"

# What SQLite says when the file or the disk, not officestar, is the problem.
_UNUSABLE = ("readonly", "malformed", "not a database", "disk i/o", "disk is full", "unable to open",
             "database is locked", "no such table", "no such column", "could not decode", "out of memory")


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


def storable_name(name: str) -> str:
    """A file name as the store keeps it: a byte that was not UTF-8 as ``\\xNN``."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that no byte became
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def not_a_store(path: Path, th: str = "", en: str = "") -> StoreError:
    return StoreError(
        f"{path} ไม่ใช่ฐานข้อมูลของ officestar {th}(ไม่ได้แก้ไขไฟล์นี้) ใช้ --store เลือกไฟล์อื่น",
        f"{path} is not an officestar store {en}(it was left untouched); choose another with --store",
    )


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
