"""Read one returned score workbook into scores and Issues (no CLI here).

Sheets are found by the identity they carry, rows by criterion id, never by
sheet order, sheet name or row position. Totals and formula results in the
workbook are never read: everything is recomputed from the score cells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from officestar_cli.base.names import member_key
from officestar_cli.intake.cells import judge, raw_value
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.xlsx.container import Limits, XlsxFile
from officestar_cli.intake.xlsx.model import Cell, SheetCells, SheetInfo, XlsxError, column_index
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf

ID_COL = column_index(sf.ID_COLUMN)
SCORE_COL = column_index(sf.SCORE_COLUMN)
NOTES_COL = column_index(sf.NOTES_COLUMN)
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


def read_workbook(path: Path, rubric: Rubric, round_no: int, name: str | None = None) -> Reading:
    reading = Reading(name if name is not None else str(path))
    if path.name.startswith("~$"):
        reading.skipped = True
        reading.add("lock-file")
        return reading
    limits = limits_for(rubric)
    data = _read_bytes(path, reading, limits)
    if data is None:
        return reading
    reading.sha256 = hashlib.sha256(data).hexdigest()
    reading.size = len(data)
    try:
        with XlsxFile(data, limits) as book:
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
            size = path.stat().st_size
            data = handle.read(min(size, limits.max_file_bytes) + 1)
    except OSError as exc:
        reading.add("unreadable-file", reason=exc.strerror or type(exc).__name__)
        return None
    if len(data) > limits.max_file_bytes:
        reading.add("too-large", reason=f"> {limits.max_file_bytes} bytes")
        return None
    return data


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
    member = member_key(fields.get("member", ""))
    reading.member = member or None
    if reading.fingerprint != rubric.fingerprint:
        reading.add(
            "wrong-rubric", value=(reading.fingerprint or "")[:12], expected=rubric.short_fingerprint
        )
        return  # without the same rubric, no cell can be interpreted
    if reading.fiscal_year != rubric.fiscal_year:
        reading.add("wrong-fiscal-year", value=fields.get("fiscal_year"), expected=str(rubric.fiscal_year))
    if reading.round != round_no:
        reading.add("wrong-round", value=fields.get("round"), expected=str(round_no))
    if not member:
        where = cover.info.name if cover else None
        reading.add("missing-member-name", sheet=where, cell=sf.COVER_CELLS["member"])

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
            _read_office(found[0], office_id, rubric, reading)
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
    """The identity fields and the office list; warns or errs as CONTRACT.md section 3 says."""
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
    very_hidden = identity_sheet is not None and identity_sheet.info.state == "veryHidden"
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


def _read_office(sheet: _Sheet, office_id: str, rubric: Rubric, reading: Reading) -> None:
    name = sheet.info.name
    rows: dict[str, list[int]] = {}
    for (row, col), key in sheet.cells.cells.items():
        if col != ID_COL or key.text is None:
            continue
        text = _number_text(key.text) if key.kind == "n" else key.text.strip()
        if text in rubric.criterion_by_id:
            rows.setdefault(text, []).append(row)
    merged_into = _merged_lookup(sheet.cells.merged, (r for found in rows.values() for r in found))
    verdicts: list[tuple[str, int, Cell | None]] = []
    for criterion in rubric.criteria:
        found = rows.get(criterion.id, [])
        if not found:
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
    blanks: list[str] = []
    for criterion_id, row, cell in verdicts:
        ref = f"{sf.SCORE_COLUMN}{row}"
        anchor = merged_into.get((row, SCORE_COL))
        if anchor is not None:
            all_blank = False
            reading.add("merged-score", sheet=name, cell=ref, value=anchor)
            continue
        criterion = rubric.criterion_by_id[criterion_id]
        verdict = judge(cell, criterion.max, rubric.precision)
        if verdict.blank:
            blanks.append(ref)
            continue
        all_blank = False
        if verdict.code is not None:
            expected = {
                "score-above-max": _plain(criterion.max),
                "too-many-decimals": str(rubric.precision),
                "not-a-number": f"0–{_plain(criterion.max)}",
                "negative-score": f"0–{_plain(criterion.max)}",
                "formula-in-score": f"0–{_plain(criterion.max)}",
            }.get(verdict.code)
            reading.add(
                verdict.code, sheet=name, cell=ref, value=verdict.raw, expected=expected,
                hint_th=verdict.hint_th, hint_en=verdict.hint_en,
            )
            continue
        assert verdict.score is not None
        note_cell = sheet.cells.cells.get((row, NOTES_COL))
        note = "" if note_cell is None else str(raw_value(note_cell) or "")
        pending.append((office_id, criterion_id, verdict.text, name, ref, note))
    if all_blank and verdicts:
        reading.add("office-not-scored", sheet=name, value=rubric.office_by_id[office_id].th)
        reading.offices_not_scored.append(office_id)
        return
    for ref in blanks:
        reading.add("blank-score", sheet=name, cell=ref, expected="0–max")
    if not blanks and len(verdicts) == len(rubric.criteria):
        reading.rows.extend(pending)
        reading.offices_scored.append(office_id)


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


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
