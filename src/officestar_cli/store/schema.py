"""The store's tables (schema 5): one row per score, that SQL can be asked directly.

docs/store.md describes every table and column and gives queries to paste into
the ``sqlite3`` shell. Every row of a file (its identity, its offices, its scores)
is covered by the file's digest (``store/integrity.py``), so an edit made by hand
is found the next time the file is read.
"""

from __future__ import annotations

APPLICATION_ID = 0x4F465354  # "OFST"
SCHEMA_VERSION = 5

# Plain tables (not STRICT), so that older SQLite builds (DB Browser for SQLite among them)
# open the store; the CHECK constraints hold the types instead.
SCHEMA = """
CREATE TABLE rubrics (
    fingerprint TEXT PRIMARY KEY CHECK (typeof(fingerprint) = 'text'),
    content     TEXT CHECK (content IS NULL OR typeof(content) = 'text')
);
CREATE TABLE rounds (
    fiscal_year INTEGER NOT NULL CHECK (typeof(fiscal_year) = 'integer'),
    round       INTEGER NOT NULL CHECK (typeof(round) = 'integer'),
    fingerprint TEXT    NOT NULL REFERENCES rubrics (fingerprint),
    file_count  INTEGER NOT NULL CHECK (typeof(file_count) = 'integer' AND file_count >= 0),
    PRIMARY KEY (fiscal_year, round)
);
CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    fiscal_year   INTEGER NOT NULL,
    round         INTEGER NOT NULL,
    name          TEXT    NOT NULL CHECK (typeof(name) = 'text'),
    sha256        TEXT    NOT NULL CHECK (typeof(sha256) = 'text' AND length(sha256) = 64),
    size          INTEGER NOT NULL CHECK (typeof(size) = 'integer'),
    member        TEXT    NOT NULL CHECK (typeof(member) = 'text'),
    member_key    TEXT    NOT NULL CHECK (typeof(member_key) = 'text'),
    workbook_id   TEXT    NOT NULL CHECK (typeof(workbook_id) = 'text'),
    fingerprint   TEXT    NOT NULL REFERENCES rubrics (fingerprint),
    imported_at   TEXT    NOT NULL CHECK (typeof(imported_at) = 'text'),
    superseded_by INTEGER REFERENCES files (id) DEFERRABLE INITIALLY DEFERRED,
    withdrawn     INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    digest        TEXT    NOT NULL CHECK (typeof(digest) = 'text'),
    UNIQUE (fiscal_year, round, sha256),
    FOREIGN KEY (fiscal_year, round) REFERENCES rounds (fiscal_year, round)
);
CREATE INDEX files_round ON files (fiscal_year, round, superseded_by);
-- One current file per member and round: a second workbook id of the same member is refused.
CREATE UNIQUE INDEX files_current ON files (fiscal_year, round, member_key)
    WHERE superseded_by IS NULL AND withdrawn = 0;
CREATE INDEX files_member ON files (fiscal_year, round, member_key, superseded_by);
CREATE INDEX files_workbook ON files (fiscal_year, round, workbook_id, member_key, superseded_by);
CREATE TABLE file_offices (
    file_id   INTEGER NOT NULL REFERENCES files (id),
    office_id TEXT    NOT NULL CHECK (typeof(office_id) = 'text'),
    scored    INTEGER NOT NULL CHECK (scored IN (0, 1)),
    PRIMARY KEY (file_id, office_id)
);
CREATE TABLE scores (
    file_id      INTEGER NOT NULL REFERENCES files (id),
    office_id    TEXT    NOT NULL CHECK (typeof(office_id) = 'text'),
    criterion_id TEXT    NOT NULL CHECK (typeof(criterion_id) = 'text'),
    value        TEXT    NOT NULL CHECK (typeof(value) = 'text'),
    sheet        TEXT    NOT NULL CHECK (typeof(sheet) = 'text'),
    cell         TEXT    NOT NULL CHECK (typeof(cell) = 'text'),
    note         TEXT    NOT NULL CHECK (typeof(note) = 'text'),
    PRIMARY KEY (file_id, office_id, criterion_id)
);
CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    fiscal_year  INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    name         TEXT    NOT NULL CHECK (typeof(name) = 'text'),
    sha256       TEXT,
    member       TEXT,
    workbook_id  TEXT,
    attempted_at TEXT    NOT NULL CHECK (typeof(attempted_at) = 'text'),
    digest       TEXT    NOT NULL CHECK (typeof(digest) = 'text')
);
CREATE INDEX attempts_round ON attempts (fiscal_year, round);
CREATE TABLE attempt_issues (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id),
    position   INTEGER NOT NULL,
    code       TEXT    NOT NULL CHECK (typeof(code) = 'text'),
    PRIMARY KEY (attempt_id, position)
);
""" + """
CREATE TABLE file_events (
    id      INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files (id),
    action  TEXT    NOT NULL CHECK (action IN ('withdraw', 'restore')),
    reason  TEXT    NOT NULL CHECK (typeof(reason) = 'text'),
    at      TEXT    NOT NULL CHECK (typeof(at) = 'text'),
    digest  TEXT    NOT NULL CHECK (typeof(digest) = 'text')
);
CREATE INDEX file_events_file ON file_events (file_id);
CREATE TABLE excuses (
    id          INTEGER PRIMARY KEY,
    fiscal_year INTEGER NOT NULL CHECK (typeof(fiscal_year) = 'integer'),
    round       INTEGER NOT NULL CHECK (typeof(round) = 'integer'),
    member      TEXT    NOT NULL CHECK (typeof(member) = 'text'),
    member_key  TEXT    NOT NULL CHECK (typeof(member_key) = 'text'),
    office_id   TEXT    NOT NULL CHECK (typeof(office_id) = 'text'),
    action      TEXT    NOT NULL CHECK (action IN ('excuse', 'undo')),
    reason      TEXT    NOT NULL CHECK (typeof(reason) = 'text'),
    at          TEXT    NOT NULL CHECK (typeof(at) = 'text'),
    digest      TEXT    NOT NULL CHECK (typeof(digest) = 'text')
);
CREATE INDEX excuses_round ON excuses (fiscal_year, round);
"""

# What each table must hold for officestar to read it: a store missing one of these (a table
# dropped, a column renamed) is damaged.
COLUMNS: dict[str, tuple[str, ...]] = {
    "rubrics": ("fingerprint", "content"),
    "rounds": ("fiscal_year", "round", "fingerprint", "file_count"),
    "files": (
        "id", "fiscal_year", "round", "name", "sha256", "size", "member", "member_key", "workbook_id",
        "fingerprint", "imported_at", "superseded_by", "withdrawn", "digest",
    ),
    "file_offices": ("file_id", "office_id", "scored"),
    "scores": ("file_id", "office_id", "criterion_id", "value", "sheet", "cell", "note"),
    "attempts": ("id", "fiscal_year", "round", "name", "sha256", "member", "workbook_id", "attempted_at", "digest"),
    "attempt_issues": ("attempt_id", "position", "code"),
    "file_events": ("id", "file_id", "action", "reason", "at", "digest"),
    "excuses": ("id", "fiscal_year", "round", "member", "member_key", "office_id", "action", "reason", "at", "digest"),
}
INDEXES = ("files_round", "files_current", "files_member", "files_workbook", "attempts_round", "file_events_file",
           "excuses_round")


def statements(script: str) -> list[str]:
    """The statements of a script, for ``execute`` one by one inside a transaction
    (``executescript`` would commit first)."""
    return [part.strip() for part in script.split(";") if part.strip()]
