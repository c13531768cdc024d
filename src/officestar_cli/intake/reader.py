"""Read one returned score workbook into scores and Issues (no CLI here).

Sheets are found by the identity they carry, rows by criterion id, never by
sheet order, sheet name or row position. Totals and formula results in the
workbook are never read: everything is recomputed from the score cells.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from officestar_cli.base.decimals import plain
from officestar_cli.base.names import member_key
from officestar_cli.intake.cells import Display, display, format_decimals, judge, raw_value
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.paths import is_report, name_verdict, shown, small_part
from officestar_cli.intake.rubric_diff import differences
from officestar_cli.intake.xlsx.container import Limits, XlsxFile
from officestar_cli.intake.xlsx.model import Cell, SheetCells, SheetInfo, XlsxError, column_index
from officestar_cli.intake.xlsx.styles import is_date_format
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf

ID_COL = column_index(sf.ID_COLUMN)
SCORE_COL = column_index(sf.SCORE_COLUMN)
NOTES_COL = column_index(sf.NOTES_COLUMN)
MAXIMUM_COL = column_index(sf.MAX_COLUMN)  # read only to say what differs from another rubric
LABEL_COL = column_index(sf.OFFICE_ID_LABEL_COLUMN)
OFFICE_ID_COL = column_index(sf.OFFICE_ID_COLUMN)
MAX_COL = max(ID_COL, SCORE_COL, NOTES_COL, LABEL_COL, OFFICE_ID_COL)
# Identity keys (A) and values (B), cover values (B), criterion ids (A), office id (E, F),
# scores (E) and notes (F): the only columns the contract reads.
READ_COLUMNS = frozenset({ID_COL, SCORE_COL, NOTES_COL, LABEL_COL, OFFICE_ID_COL})
HEAD_COLUMNS = frozenset({2})  # the cover's values, rows 1..10
IDENTITY_COLUMNS = frozenset({1, 2})
OFFICE_ID_LABELS = {"รหัสหน่วยงาน", "office id"}


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


class _Formats:
    """The number formats of one workbook's score cells, looked up only when the workbook has
    a style that may show a score otherwise than it is recorded."""

    def __init__(self, book: XlsxFile, precision: int) -> None:
        self.book = book
        self.codes = book.number_formats()
        self.risky = frozenset(n for n, code in enumerate(self.codes) if _may_differ(code, precision))

    def of(self, sheet: SheetInfo, refs: frozenset[str]) -> dict[str, str]:
        if not self.risky or not refs:
            return {}
        styles = self.book.cell_styles(sheet, refs)
        return {ref: self.codes[n] for ref, n in styles.items() if n in self.risky}


def _may_differ(code: str, precision: int) -> bool:
    """Whether some score of ``precision`` decimals may show otherwise in format ``code``."""
    if is_date_format(-1, code):
        return False  # a date in a score cell is refused as a date (not-a-number)
    probe = Decimal(4) + Decimal(1).scaleb(-precision) if precision else Decimal(4)
    decimals = format_decimals(code)
    return display(probe, code) is not None or (decimals is not None and decimals < precision)


@dataclass
class _Sheet:
    info: SheetInfo
    cells: SheetCells

    def text(self, row: int, col: int) -> str:
        cell = self.cells.cells.get((row, col))
        if cell is None or cell.text is None:
            return ""
        if cell.kind == "n":
            return _number_text(cell.text)
        return cell.text.strip()


def _number_text(text: str) -> str:
    try:
        number = float(text)
    except ValueError:
        return text.strip()
    return str(int(number)) if number.is_integer() else repr(number)


def _read_book(book: XlsxFile, rubric: Rubric, round_no: int, reading: Reading) -> None:
    rows_limit = sf.office_rows_limit(len(rubric.criteria), len(rubric.dimensions))
    criterion_ids = frozenset(rubric.criterion_by_id)
    identity_sheet: _Sheet | None = None
    cover: _Sheet | None = None
    offices: dict[str, list[_Sheet]] = {}
    unknown: list[_Sheet] = []
    for info in book.sheets:
        if info.name == sf.IDENTITY_SHEET:
            identity_rows = len(sf.IDENTITY_KEYS) + len(rubric.offices) + sf.HEADER_SEARCH_ROWS
            identity_sheet = _Sheet(info, book.sheet_cells(info, identity_rows, 3, IDENTITY_COLUMNS))
            continue
        sheet = _Sheet(info, book.sheet_cells(info, rows_limit, MAX_COL, READ_COLUMNS, HEAD_COLUMNS, criterion_ids))
        if sheet.text(_row(sf.COVER_CELLS["format"]), 2).startswith("officestar-score/"):
            cover = sheet
        elif (office_id := _office_id(sheet)) is not None:
            offices.setdefault(office_id, []).append(sheet)
        else:
            unknown.append(sheet)

    fields, listed_offices = _identity(identity_sheet, cover, reading)
    if fields is None:
        reading.add("not-a-score-sheet")
        return
    fmt = fields.get("format", "")
    if fmt != sf.FORMAT_VERSION:
        reading.add("unknown-format", value=fmt, expected=sf.FORMAT_VERSION)
        return
    reading.fingerprint = fields.get("fingerprint") or None
    reading.workbook_id = fields.get("workbook_id") or None
    reading.fiscal_year = _as_int(fields.get("fiscal_year"))
    reading.round = _as_int(fields.get("round"))
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
    if not member:
        where = cover.info.name if cover else None
        if typed_member.strip():
            reading.add("invisible-member-name", sheet=where, cell=sf.COVER_CELLS["member"],
                        value=_escaped(typed_member))
        else:
            reading.add("missing-member-name", sheet=where, cell=sf.COVER_CELLS["member"])
    elif rubric.committee and member not in {member_key(m.name) for m in rubric.committee}:
        # docs/design.md, "Expected members and quorum": a stranger's workbook is never averaged in.
        committee = [m.name for m in rubric.committee]
        closest = difflib.get_close_matches(member, committee, n=3, cutoff=0.0)
        reading.add(
            "unknown-member", sheet=cover.info.name if cover else None, cell=sf.COVER_CELLS["member"],
            value=member, expected=", ".join(closest),
        )

    formats = _Formats(book, rubric.precision)
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
            _read_office(found[0], office_id, rubric, reading, formats, book)
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
    book: XlsxFile, rubric: Rubric, member: str, offices: dict[str, list[_Sheet]], listed: list[str]
) -> tuple[str, str]:
    """What the office sheets show that the rubric does not: read again whole, rows and columns
    the contract otherwise skips (column D, headings), since the workbook's rubric is not this one."""
    rows: list[tuple[str, str]] | None = None
    if offices:
        info = next(iter(offices.values()))[0].info
        limit = sf.office_rows_limit(len(rubric.criteria), len(rubric.dimensions)) + 10 * sf.SPARE_ROWS
        sheet = _Sheet(info, book.sheet_cells(info, limit, MAX_COL))
        rows = [
            (sheet.text(row, ID_COL), sheet.text(row, MAXIMUM_COL))
            for row in sorted({r for r, _ in sheet.cells.cells})
            if row >= sf.FIRST_DATA_ROW
        ]
    return differences(rubric, member, rows, [*offices, *listed])


def _escaped(text: str) -> str:
    """Invisible characters as code points, so that a message can show them."""
    import unicodedata

    return "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cf", "Zs", "Cc") or ch == "\u00ad" else ch
        for ch in text
    )


def _row(ref: str) -> int:
    return int("".join(ch for ch in ref if ch.isdigit()))


def _office_id(sheet: _Sheet) -> str | None:
    for row in range(1, sf.HEADER_SEARCH_ROWS + 1):
        if sheet.text(row, LABEL_COL).casefold() in OFFICE_ID_LABELS:
            value = sheet.text(row, OFFICE_ID_COL)
            return value or None
    return None


def _identity(
    identity_sheet: _Sheet | None, cover: _Sheet | None, reading: Reading
) -> tuple[dict[str, str] | None, list[str]]:
    """The identity fields and the office list; warns or errs as docs/design.md, "Identity", says."""
    hidden: dict[str, str] | None = None
    offices: list[str] = []
    if identity_sheet is not None:
        hidden = {}
        for row in range(1, len(sf.IDENTITY_KEYS) + len(identity_sheet.cells.cells) + 1):
            key = identity_sheet.text(row, 1)
            if key == sf.IDENTITY_OFFICE_KEY:
                offices.append(identity_sheet.text(row, 2))
            elif key in sf.IDENTITY_KEYS:
                hidden[key] = identity_sheet.text(row, 2)
        if not hidden.get("format"):
            hidden = None
    on_cover: dict[str, str] | None = None
    if cover is not None:
        on_cover = {}
        for key, ref in sf.COVER_CELLS.items():
            row, col = _row(ref), column_index(ref.rstrip("0123456789"))
            on_cover[key] = cover.text(row, col)
    if hidden is None and on_cover is None:
        return None, []
    # LibreOffice saves a very hidden sheet as merely hidden: still the identity sheet, checked
    # against the cover below; one a member made visible is weaker evidence.
    very_hidden = identity_sheet is not None and identity_sheet.info.state in ("veryHidden", "hidden")
    if hidden is None or not very_hidden:
        reading.add("identity-from-cells", sheet=cover.info.name if cover else None)
    if hidden is not None and on_cover is not None:
        for key in ("format", "fingerprint", "fiscal_year", "round", "workbook_id", "member"):
            mine, theirs = hidden.get(key, ""), on_cover.get(key, "")
            if key == "member":
                mine, theirs = member_key(mine), member_key(theirs)
                if not mine:
                    continue  # a blank workbook: the member types the name on the cover
            if mine != theirs:
                reading.add(
                    "identity-mismatch",
                    sheet=cover.info.name if cover else None,
                    cell=sf.COVER_CELLS[key],
                    value=theirs,
                    expected=mine,
                    field=key,
                )
    if hidden is not None and very_hidden:
        fields = dict(hidden)
        if not member_key(fields.get("member", "")) and on_cover is not None:
            fields["member"] = on_cover.get("member", "")
        return fields, offices
    assert on_cover is not None or hidden is not None
    return (on_cover if on_cover is not None else hidden), offices


def _as_int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _read_office(
    sheet: _Sheet, office_id: str, rubric: Rubric, reading: Reading, formats: _Formats, book: XlsxFile
) -> None:
    name = sheet.info.name
    rows = _criterion_rows(sheet.cells, rubric)
    merged_into = _merged_lookup(sheet.cells.merged, (r for found in rows.values() for r in found))
    missing = [c.id for c in rubric.criteria if c.id not in rows]
    moved = _moved_rows(sheet, rubric, book) if missing and sheet.cells.stray_count else {}
    verdicts: list[tuple[str, int, Cell | None]] = []
    for criterion in rubric.criteria:
        found = rows.get(criterion.id, [])
        if not found:
            if criterion.id in moved:
                reading.add("criterion-moved", sheet=name, cell=f"{sf.ID_COLUMN}{moved[criterion.id]}",
                            value=criterion.id)
            else:
                reading.add("missing-criterion", sheet=name, value=criterion.id)
            continue
        if len(found) > 1:
            where = ", ".join(f"{sf.ID_COLUMN}{r}" for r in sorted(found))
            reading.add(
                "duplicate-criterion", sheet=name, cell=f"{sf.ID_COLUMN}{found[1]}",
                value=criterion.id, expected=where,
            )
            continue
        verdicts.append((criterion.id, found[0], sheet.cells.cells.get((found[0], SCORE_COL))))
    all_blank = True
    pending: list[ScoreRow] = []
    numbers: dict[str, Decimal] = {}  # accepted scores stored as numbers, by cell: their format decides
    blanks: list[tuple[str, int]] = []
    date1904 = book.date1904
    for criterion_id, row, cell in verdicts:
        ref = f"{sf.SCORE_COLUMN}{row}"
        anchor = merged_into.get((row, SCORE_COL))
        if anchor is not None:
            all_blank = False
            reading.add("merged-score", sheet=name, cell=ref, value=anchor)
            continue
        criterion = rubric.criterion_by_id[criterion_id]
        verdict = judge(cell, criterion.max, rubric.precision, date1904)
        if verdict.blank:
            blanks.append((criterion_id, row))
            continue
        all_blank = False
        if verdict.code is not None:
            expected = {
                "score-above-max": plain(criterion.max),
                "too-many-decimals": str(rubric.precision),
                "not-a-number": f"0–{plain(criterion.max)}",
                "negative-score": f"0–{plain(criterion.max)}",
                "formula-in-score": f"0–{plain(criterion.max)}",
            }.get(verdict.code)
            reading.add(
                verdict.code, sheet=name, cell=ref, value=verdict.raw, expected=expected,
                hint_th=verdict.hint_th, hint_en=verdict.hint_en,
            )
            continue
        assert verdict.score is not None
        if verdict.typed_as_text:
            reading.add("number-as-text", sheet=name, cell=ref, value=verdict.raw, expected=verdict.text)
        else:
            numbers[ref] = verdict.score
        note_cell = sheet.cells.cells.get((row, NOTES_COL))
        note = "" if note_cell is None else str(raw_value(note_cell, date1904) or "")
        pending.append((office_id, criterion_id, verdict.text, name, ref, note))
    for ref, code in formats.of(sheet.info, frozenset(numbers)).items():
        seen = display(numbers[ref], code)
        if seen is not None:
            _display_issue(reading, name, ref, numbers[ref], code, seen)
    beside = _scores_beside(sheet, rubric, blanks)
    if beside:
        refs = ", ".join(beside)
        reading.add("scores-moved", sheet=name, cell=beside[0], value=refs, expected=sf.SCORE_COLUMN)
        return
    if all_blank and verdicts:
        reading.add("office-not-scored", sheet=name, value=rubric.office_by_id[office_id].th)
        reading.offices_not_scored.append(office_id)
        return
    for _, row in blanks:
        reading.add("blank-score", sheet=name, cell=f"{sf.SCORE_COLUMN}{row}", expected="0–max")
    if not blanks and len(verdicts) == len(rubric.criteria):
        reading.rows.extend(pending)
        reading.offices_scored.append(office_id)


def _criterion_rows(cells: SheetCells, rubric: Rubric) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for (row, col), key in cells.cells.items():
        if col != ID_COL or key.text is None:
            continue
        text = _number_text(key.text) if key.kind == "n" else key.text.strip()
        if text in rubric.criterion_by_id:
            rows.setdefault(text, []).append(row)
    return rows


# Where the reader looks for criterion rows that many inserted rows pushed below the area it
# reads: the sheet's every row, within the container's cap on cells.
_ANY_ROW = 1_048_576


def _moved_rows(sheet: _Sheet, rubric: Rubric, book: XlsxFile) -> dict[str, int]:
    """Criterion id → its row, for criteria found only below the rows the reader reads."""
    if not any(c.col == ID_COL for c in sheet.cells.stray) and len(sheet.cells.stray) >= sheet.cells.stray_count:
        return {}
    try:
        whole = book.sheet_cells(
            sheet.info, _ANY_ROW, MAX_COL, READ_COLUMNS, HEAD_COLUMNS, frozenset(rubric.criterion_by_id)
        )
    except XlsxError:
        return {}
    return {cid: min(found) for cid, found in _criterion_rows(whole, rubric).items()}


def _scores_beside(sheet: _Sheet, rubric: Rubric, blanks: list[tuple[str, int]]) -> list[str]:
    """Notes cells holding a score beside blank score cells (as "insert cells, shift right"
    leaves them): their references."""
    found = []
    for criterion_id, row in blanks:
        note = sheet.cells.cells.get((row, NOTES_COL))
        if note is None:
            continue
        verdict = judge(note, rubric.criterion_by_id[criterion_id].max, rubric.precision)
        if verdict.score is not None:
            found.append(f"{sf.NOTES_COLUMN}{row}")
    return found


def _display_issue(reading: Reading, sheet: str, ref: str, value: Decimal, code: str, seen: Display) -> None:
    if seen.differs:
        reading.add("display-differs", sheet=sheet, cell=ref, value=value, expected=code,
                    shown=seen.shown, kind_th=seen.kind_th, kind_en=seen.kind_en)
    else:
        reading.add("rounded-display", sheet=sheet, cell=ref, value=value, expected=code,
                    shown=seen.shown)


def _merged_lookup(ranges: Iterable[tuple[int, int, int, int]], rows: Iterable[int]) -> dict[tuple[int, int], str]:
    """Score cells of ``rows`` covered by a merge (not its top-left) → the merge's range. Only
    the rows asked about are looked at, so a merge a million rows tall costs nothing."""
    from officestar_cli.intake.xlsx.model import column_letter

    wanted = sorted(set(rows))
    out: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in ranges:
        if not (c1 <= SCORE_COL <= c2):
            continue
        for row in wanted:
            if r1 <= row <= r2 and (row, SCORE_COL) != (r1, c1):
                out[(row, SCORE_COL)] = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
    return out


