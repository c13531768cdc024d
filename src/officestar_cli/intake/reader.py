"""Read one returned score workbook into scores and Issues (no CLI here).

Sheets are found by the identity they carry, rows by criterion id, never by
sheet order, sheet name or row position. Totals and formula results in the
workbook are never read: everything is recomputed from the score cells.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from officestar_cli.base.names import member_key
from officestar_cli.intake.identity import IDENTITY_COLUMNS, as_int, check_member, identity_fields, row_of
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.office_sheet import (
    HEAD_COLUMNS,
    ID_COL,
    MAX_COL,
    MAXIMUM_COL,
    OFFICE_ID_COL,
    READ_COLUMNS,
    Formats,
    illegal_office_id,
    office_id_of,
    read_office,
)
from officestar_cli.intake.paths import is_report, name_verdict, shown, small_part
from officestar_cli.intake.rubric_diff import differences
from officestar_cli.intake.sheet import Sheet
from officestar_cli.intake.xlsx.container import Limits, XlsxFile
from officestar_cli.intake.xlsx.model import XlsxError
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf


@dataclass(frozen=True, slots=True)
class Score:
    office_id: str
    criterion_id: str
    value: Decimal
    sheet: str
    cell: str
    note: str


# One accepted score as it travels from a worker process to the store: office id,
# criterion id, the value as text (str of its Decimal), sheet, cell, the member's note.
# Plain tuples, because a national round sends 200,000 of them between processes.
ScoreRow = tuple[str, str, str, str, str, str]


@dataclass
class Reading:
    """What one file holds, and every Issue found in it."""

    file: str
    sha256: str | None = None
    size: int | None = None
    member: str | None = None
    workbook_id: str | None = None
    round: int | None = None
    fiscal_year: int | None = None
    fingerprint: str | None = None
    rows: list[ScoreRow] = field(default_factory=list)
    offices_expected: list[str] = field(default_factory=list)
    offices_scored: list[str] = field(default_factory=list)
    offices_not_scored: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped: bool = False
    saved: str | None = None  # when the workbook says it was last saved (docProps/core.xml)
    mtime: float | None = None  # the file's modification time, when the workbook does not say

    @property
    def identity(self) -> tuple[str, str] | None:
        """Which workbook this is (docs/design.md, "Identity"): its workbook id and the
        member key, since copies of a blank workbook share an id."""
        if not self.workbook_id:
            return None
        return self.workbook_id, member_key(self.member or "")

    @property
    def scores(self) -> list[Score]:
        return [Score(o, c, Decimal(v), sheet, cell, note) for o, c, v, sheet, cell, note in self.rows]

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if not i.is_error)

    @property
    def ok(self) -> bool:
        return not self.skipped and self.errors == 0

    def add(self, code: str, **kwargs: object) -> None:
        self.issues.append(issue(code, self.file, **kwargs))


def limits_for(rubric: Rubric) -> Limits:
    return Limits.for_offices(len(rubric.offices))


def read_workbook(
    path: Path, rubric: Rubric, round_no: int, name: str | None = None, listed: bool = False
) -> Reading:
    """One file; ``listed`` when a folder listing gave it (the folder rule of paths.py)."""
    reading = Reading(name if name is not None else shown(path))
    verdict = name_verdict(path, listed)
    if verdict is not None:
        reading.skipped = verdict.note
        if verdict.code == "not-a-workbook":
            reading.add(verdict.code, reason=verdict.kind)
        else:
            reading.add(verdict.code, kind=verdict.kind)
        return reading
    limits = limits_for(rubric)
    data = _read_bytes(path, reading, limits)
    if data is None:
        return reading
    reading.sha256 = hashlib.sha256(data).hexdigest()
    reading.size = len(data)
    try:
        with XlsxFile(data, limits) as book:
            if is_report(book.zip):
                reading.skipped = True
                reading.add("report-file")
                return reading
            reading.saved = _saved_at(book)
            _read_book(book, rubric, round_no, reading)
    except XlsxError as exc:
        reading.rows.clear()
        kwargs: dict[str, object] = dict(exc.extra)
        if exc.reason:
            kwargs["reason"] = exc.reason
        reading.add(exc.code, **kwargs)
    return reading


def _read_bytes(path: Path, reading: Reading, limits: Limits) -> bytes | None:
    try:
        if path.is_dir():
            reading.add("not-a-file")
            return None
        if not path.exists():
            reading.add("unreadable-file", reason="ไม่พบไฟล์ / file not found")
            return None
        if not path.is_file():
            reading.add("not-a-file")
            return None
        with path.open("rb") as handle:
            status = path.stat()
            size = status.st_size
            reading.mtime = status.st_mtime
            data = handle.read(min(size, limits.max_file_bytes) + 1)
    except OSError as exc:
        reading.add("unreadable-file", reason=exc.strerror or type(exc).__name__)
        return None
    if len(data) > limits.max_file_bytes:
        reading.add("too-large", reason=f"> {limits.max_file_bytes} bytes")
        return None
    return data


_MODIFIED = re.compile(rb"<(?:\w+:)?modified\b[^>]*>\s*([0-9][0-9T:.+\-Z ]{9,34})\s*<")


def _saved_at(book: XlsxFile) -> str | None:
    """When the program that saved the workbook last saved it (core properties), as written."""
    data = small_part(book.zip, "docProps/core.xml")
    found = _MODIFIED.search(data) if data is not None else None
    return found.group(1).decode("ascii").strip() if found else None


def _read_book(book: XlsxFile, rubric: Rubric, round_no: int, reading: Reading) -> None:
    rows_limit = sf.office_rows_limit(len(rubric.criteria), len(rubric.dimensions))
    criterion_ids = frozenset(rubric.criterion_by_id)
    identity_sheet: Sheet | None = None
    cover: Sheet | None = None
    offices: dict[str, list[Sheet]] = {}
    unknown: list[Sheet] = []
    for info in book.sheets:
        if info.name == sf.IDENTITY_SHEET:
            identity_rows = len(sf.IDENTITY_KEYS) + len(rubric.offices) + sf.HEADER_SEARCH_ROWS
            identity_sheet = Sheet(info, book.sheet_cells(info, identity_rows, 3, IDENTITY_COLUMNS))
            continue
        sheet = Sheet(info, book.sheet_cells(info, rows_limit, MAX_COL, READ_COLUMNS, HEAD_COLUMNS, criterion_ids))
        if sheet.text(row_of(sf.COVER_CELLS["format"]), 2).startswith("officestar-score/"):
            cover = sheet
        elif (office_id := office_id_of(sheet)) is not None:
            offices.setdefault(office_id, []).append(sheet)
        else:
            unknown.append(sheet)

    fields, listed_offices = identity_fields(identity_sheet, cover, reading)
    if fields is None:
        reading.add("not-a-score-sheet")
        return
    for sheet in [s for group in offices.values() for s in group] + unknown:
        if (ref := illegal_office_id(sheet)) is not None:
            reading.add("illegal-identity-character", sheet=sheet.info.name, cell=ref,
                        value=sheet.text(row_of(ref), OFFICE_ID_COL), field=sf.IDENTITY_OFFICE_KEY)
    fmt = fields.get("format", "")
    if fmt != sf.FORMAT_VERSION:
        reading.add("unknown-format", value=fmt, expected=sf.FORMAT_VERSION)
        return
    reading.fingerprint = fields.get("fingerprint") or None
    reading.workbook_id = fields.get("workbook_id") or None
    reading.fiscal_year = as_int(fields.get("fiscal_year"))
    reading.round = as_int(fields.get("round"))
    typed_member = fields.get("member", "")
    member = member_key(typed_member)
    reading.member = member or None
    if reading.fingerprint != rubric.fingerprint:
        th, en = _rubric_differences(book, rubric, member, offices, listed_offices)
        reading.add(
            "wrong-rubric", value=(reading.fingerprint or "")[:12], expected=rubric.short_fingerprint,
            differences_th=th, differences_en=en,
        )
        return  # without the same rubric, no cell can be interpreted
    if reading.fiscal_year != rubric.fiscal_year:
        reading.add("wrong-fiscal-year", value=fields.get("fiscal_year"), expected=str(rubric.fiscal_year))
    if reading.round != round_no:
        reading.add("wrong-round", value=fields.get("round"), expected=str(round_no))
    check_member(reading, rubric, typed_member, member, cover)

    formats = Formats(book, rubric.precision)
    expected = [o for o in listed_offices if o in rubric.office_by_id] or [
        o.id for o in rubric.offices_for(member)
    ]
    reading.offices_expected = expected
    wanted = set(expected)
    for office_id, sheets in offices.items():
        if office_id not in wanted:
            unknown.extend(sheets)
    for sheet in unknown:
        reading.add("unknown-sheet", sheet=sheet.info.name)
    for office_id in expected:
        found = offices.get(office_id, [])
        title = rubric.office_by_id[office_id].th
        if not found:
            reading.add("missing-office", value=title)
        elif len(found) > 1:
            names = ", ".join(s.info.name for s in found)
            for sheet in found:
                reading.add("duplicate-office", sheet=sheet.info.name, value=title, expected=names)
        else:
            read_office(found[0], office_id, rubric, reading, formats, book)
    for sheet in [s for group in offices.values() for s in group] + ([cover] if cover else []):
        if sheet.cells.stray_count:
            refs = ", ".join(c.ref for c in sheet.cells.stray)
            more = sheet.cells.stray_count - len(sheet.cells.stray)
            reading.add(
                "stray-value",
                sheet=sheet.info.name,
                cell=sheet.cells.stray[0].ref,
                value=refs + (f" +{more}" if more > 0 else ""),
            )
    if reading.errors:
        reading.rows.clear()
        reading.offices_scored.clear()


def _rubric_differences(
    book: XlsxFile, rubric: Rubric, member: str, offices: dict[str, list[Sheet]], listed: list[str]
) -> tuple[str, str]:
    """What the office sheets show that the rubric does not: read again whole, rows and columns
    the contract otherwise skips (column D, headings), since the workbook's rubric is not this one."""
    rows: list[tuple[str, str]] | None = None
    if offices:
        info = next(iter(offices.values()))[0].info
        limit = sf.office_rows_limit(len(rubric.criteria), len(rubric.dimensions)) + 10 * sf.SPARE_ROWS
        sheet = Sheet(info, book.sheet_cells(info, limit, MAX_COL))
        rows = [
            (sheet.text(row, ID_COL), sheet.text(row, MAXIMUM_COL))
            for row in sorted({r for r, _ in sheet.cells.cells})
            if row >= sf.FIRST_DATA_ROW
        ]
    return differences(rubric, member, rows, [*offices, *listed])
