"""Taking a file out of a round and back in, and excusing a member from an office.

docs/design.md, "Withdraw and restore" and "Excused members". Nothing is deleted: a
withdrawal, a restoration and an excuse (or its undoing) are each one row with its time
and reason, sealed by its own digest; a file's ``withdrawn`` and ``superseded_by`` are
covered by the file's digest, which is made anew whenever they change.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from officestar_cli.base.names import member_key
from officestar_cli.store import reading as checked
from officestar_cli.store.integrity import EVENT_FIELDS, EXCUSE_FIELDS, check_text, damaged, file_digest, row_digest
from officestar_cli.store.opening import now
from officestar_cli.store.reading import StoredFile

HEX = frozenset("0123456789abcdef")
SHORTEST_PREFIX = 4


@dataclass(frozen=True)
class FileEvent:
    """A withdrawal or a restoration of one file."""

    id: int
    file_id: int
    action: str  # withdraw | restore
    reason: str
    at: str


@dataclass(frozen=True)
class ExcuseEvent:
    """A member excused from an office, or such an excuse undone."""

    id: int
    fiscal_year: int
    round: int
    member: str
    member_key: str
    office_id: str
    action: str  # excuse | undo
    reason: str
    at: str


def set_state(db: sqlite3.Connection, file_id: int, **state: object) -> StoredFile:
    """Change a file's ``superseded_by`` or ``withdrawn``, once its rows are found intact."""
    stored = replace(checked.one_file(db, file_id), **state)  # type: ignore[arg-type]
    digest = file_digest(stored.identity, checked.office_rows(db, file_id), checked.score_rows(db, file_id))
    db.execute("UPDATE files SET superseded_by = ?, withdrawn = ?, digest = ? WHERE id = ?",
               (stored.superseded_by, int(stored.withdrawn), digest, file_id))
    return stored


def matching(files: list[StoredFile], reference: str, sha256: str | None) -> list[StoredFile]:
    """The round's files that ``reference`` names: the file's own bytes (``sha256``, when it is a
    file that can be read), a SHA-256 prefix of at least four hex digits, or the name it was
    recorded under (as given, or its last part). A file that can be read is named by its bytes
    alone: another file that happens to have been recorded under its name is not it."""
    if sha256 is not None:
        return [f for f in files if f.sha256 == sha256]
    text = reference.strip().lower()
    if len(text) >= SHORTEST_PREFIX and set(text) <= HEX:
        found = [f for f in files if f.sha256.startswith(text)]
        if found:
            return found
    named = [f for f in files if f.name == reference]
    if named:
        return named
    last = reference.replace("\\", "/").rsplit("/", 1)[-1]
    return [f for f in files if f.name.replace("\\", "/").rsplit("/", 1)[-1] == last]


def _event(db: sqlite3.Connection, file_id: int, action: str, reason: str) -> None:
    event = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM file_events").fetchone()[0])
    row = (event, file_id, action, reason, now())
    db.execute(f"INSERT INTO file_events ({EVENT_FIELDS}, digest) VALUES (?, ?, ?, ?, ?, ?)", (*row, row_digest(row)))


def _copies(db: sqlite3.Connection, stored: StoredFile) -> list[StoredFile]:
    """The other files of the same workbook (workbook id and member key), newest first."""
    ids = [int(i) for (i,) in db.execute(
        "SELECT id FROM files WHERE fiscal_year = ? AND round = ? AND workbook_id = ? AND member_key = ? AND id != ? "
        "ORDER BY id DESC", (stored.fiscal_year, stored.round, stored.workbook_id, stored.member_key, stored.id))]
    return [checked.one_file(db, i) for i in ids]


def withdraw(db: sqlite3.Connection, stored: StoredFile, reason: str) -> StoredFile | None:
    """Take ``stored`` out of its round; when it was the current copy, the newest other copy
    that is not withdrawn counts again (returned). Usually that is the newest earlier copy; after
    an older copy was restored over later ones, it is the newest of those, which was never taken
    out: a member's workbook stops counting only when every copy of it is withdrawn."""
    was_current = stored.current
    set_state(db, stored.id, withdrawn=True)
    _event(db, stored.id, "withdraw", reason)
    if not was_current:
        return None
    for copy in _copies(db, stored):  # newest first
        if not copy.withdrawn:
            return set_state(db, copy.id, superseded_by=None)
    return None


def current_of_member(db: sqlite3.Connection, stored: StoredFile) -> list[StoredFile]:
    """The member's current files of the round that belong to another workbook."""
    ids = [int(i) for (i,) in db.execute(
        "SELECT id FROM files WHERE fiscal_year = ? AND round = ? AND member_key = ? AND workbook_id != ? "
        "AND superseded_by IS NULL AND withdrawn = 0", (stored.fiscal_year, stored.round, stored.member_key,
                                                        stored.workbook_id))]
    return [checked.one_file(db, i) for i in ids]


def restore(db: sqlite3.Connection, stored: StoredFile, reason: str) -> list[StoredFile]:
    """Make ``stored`` the current copy of its workbook again; returns the copies it now supersedes.
    The caller has checked that no other workbook of the member counts (``current_of_member``)."""
    replaced = [c for c in _copies(db, stored) if c.current]
    for copy in replaced:  # first, so that one file of the member is current at any time
        set_state(db, copy.id, superseded_by=stored.id)
    set_state(db, stored.id, withdrawn=False, superseded_by=None)
    _event(db, stored.id, "restore", reason)
    return replaced


def file_events(db: sqlite3.Connection, fiscal_year: int, round_no: int) -> list[FileEvent]:
    rows = db.execute(
        f"SELECT {', '.join('e.' + f.strip() for f in EVENT_FIELDS.split(','))}, e.digest FROM file_events e "
        "JOIN files f ON f.id = e.file_id WHERE f.fiscal_year = ? AND f.round = ? ORDER BY e.id",
        (fiscal_year, round_no)).fetchall()
    found = []
    for *row, digest in rows:
        check_text("file_events", row[0], row[2], row[3], row[4])
        if row_digest(row) != digest or row[2] not in ("withdraw", "restore"):
            raise damaged("file_events", row[0], "ไม่ตรงกับลายนิ้วมือ (digest) ของแถวที่บันทึกไว้",
                          "its row does not match its digest: the store was edited")
        found.append(FileEvent(*row))
    return found


def excuse(db: sqlite3.Connection, fiscal_year: int, round_no: int, member: str, office_id: str, reason: str,
           *, undo: bool) -> None:
    event = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM excuses").fetchone()[0])
    row = (event, fiscal_year, round_no, member, member_key(member), office_id, "undo" if undo else "excuse",
           reason, now())
    db.execute(f"INSERT INTO excuses ({EXCUSE_FIELDS}, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (*row, row_digest(row)))


def excuse_events(db: sqlite3.Connection, fiscal_year: int, round_no: int) -> list[ExcuseEvent]:
    rows = db.execute(f"SELECT {EXCUSE_FIELDS}, digest FROM excuses WHERE fiscal_year = ? AND round = ? ORDER BY id",
                      (fiscal_year, round_no)).fetchall()
    found = []
    for *row, digest in rows:
        check_text("excuses", row[0], *row[3:])
        if row_digest(row) != digest or row[6] not in ("excuse", "undo"):
            raise damaged("excuses", row[0], "ไม่ตรงกับลายนิ้วมือ (digest) ของแถวที่บันทึกไว้",
                          "its row does not match its digest: the store was edited")
        found.append(ExcuseEvent(*row))
    return found


def standing_excuses(events: list[ExcuseEvent]) -> dict[tuple[str, str], ExcuseEvent]:
    """The excuses in force, by (member key, office id): the last word on each pair is an excuse."""
    last: dict[tuple[str, str], ExcuseEvent] = {}
    for event in events:
        last[(event.member_key, event.office_id)] = event
    return {key: event for key, event in last.items() if event.action == "excuse"}
