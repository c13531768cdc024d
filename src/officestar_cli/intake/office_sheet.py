"""One office sheet: found by the office id it carries, its rows by criterion id, its score
and notes cells judged (docs/design.md, "Cell values")."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from officestar_cli.base.decimals import plain
from officestar_cli.intake.cells import Display, display, format_decimals, judge, raw_value
from officestar_cli.intake.sheet import Sheet, number_text
from officestar_cli.intake.xlsx.container import XlsxFile
from officestar_cli.intake.xlsx.model import Cell, SheetCells, SheetInfo, XlsxError, column_index, column_letter
from officestar_cli.intake.xlsx.styles import is_date_format
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf

if TYPE_CHECKING:
    from officestar_cli.intake.reader import Reading, ScoreRow

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
OFFICE_ID_LABELS = {"รหัสหน่วยงาน", "office id"}


def office_id_of(sheet: Sheet) -> str | None:
    row = _office_id_row(sheet)
    return (sheet.text(row, OFFICE_ID_COL) or None) if row is not None else None


def illegal_office_id(sheet: Sheet) -> str | None:
    """The office-id cell's reference, when it held a character XML cannot hold."""
    row = _office_id_row(sheet)
    if row is None or not sheet.illegal(row, OFFICE_ID_COL):
        return None
    return f"{sf.OFFICE_ID_COLUMN}{row}"


def _office_id_row(sheet: Sheet) -> int | None:
    for row in range(1, sf.HEADER_SEARCH_ROWS + 1):
        if sheet.text(row, LABEL_COL).casefold() in OFFICE_ID_LABELS:
            return row
    return None


class Formats:
    """The number formats of one workbook's score cells, looked up only when the workbook has
    a style that may show a score otherwise than it is recorded."""

    def __init__(self, book: XlsxFile, precision: int) -> None:
        self.book = book
        self.codes = book.number_formats()
        self.risky = frozenset(n for n, code in enumerate(self.codes) if may_differ(code, precision))

    def of(self, sheet: SheetInfo, refs: frozenset[str]) -> dict[str, str]:
        if not self.risky or not refs:
            return {}
        styles = self.book.cell_styles(sheet, refs)
        return {ref: self.codes[n] for ref, n in styles.items() if n in self.risky}


def may_differ(code: str, precision: int) -> bool:
    """Whether some score of ``precision`` decimals may show otherwise in format ``code``."""
    if is_date_format(-1, code):
        return False  # a date in a score cell is refused as a date (not-a-number)
    probe = Decimal(4) + Decimal(1).scaleb(-precision) if precision else Decimal(4)
    decimals = format_decimals(code)
    return display(probe, code) is not None or (decimals is not None and decimals < precision)


def read_office(
    sheet: Sheet, office_id: str, rubric: Rubric, reading: Reading, formats: Formats, book: XlsxFile
) -> None:
    name = sheet.info.name
    rows = criterion_rows(sheet.cells, rubric)
    merged_into = merged_lookup(sheet.cells.merged, (r for found in rows.values() for r in found))
    missing = [c.id for c in rubric.criteria if c.id not in rows]
    moved = moved_rows(sheet, rubric, book) if missing and sheet.cells.stray_count else {}
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
        if note_cell is not None and note_cell.illegal:
            reading.add("illegal-character", sheet=name, cell=f"{sf.NOTES_COLUMN}{row}", value=note)
        pending.append((office_id, criterion_id, verdict.text, name, ref, note))
    for ref, code in formats.of(sheet.info, frozenset(numbers)).items():
        seen = display(numbers[ref], code)
        if seen is not None:
            display_issue(reading, name, ref, numbers[ref], code, seen)
    beside = scores_beside(sheet, rubric, blanks)
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


def criterion_rows(cells: SheetCells, rubric: Rubric) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for (row, col), key in cells.cells.items():
        if col != ID_COL or key.text is None:
            continue
        text = number_text(key.text) if key.kind == "n" else key.text.strip()
        if text in rubric.criterion_by_id:
            rows.setdefault(text, []).append(row)
    return rows


# Where the reader looks for criterion rows that many inserted rows pushed below the area it
# reads: the sheet's every row, within the container's cap on cells.
_ANY_ROW = 1_048_576


def moved_rows(sheet: Sheet, rubric: Rubric, book: XlsxFile) -> dict[str, int]:
    """Criterion id → its row, for criteria found only below the rows the reader reads."""
    if not any(c.col == ID_COL for c in sheet.cells.stray) and len(sheet.cells.stray) >= sheet.cells.stray_count:
        return {}
    try:
        whole = book.sheet_cells(
            sheet.info, _ANY_ROW, MAX_COL, READ_COLUMNS, HEAD_COLUMNS, frozenset(rubric.criterion_by_id)
        )
    except XlsxError:
        return {}
    return {cid: min(found) for cid, found in criterion_rows(whole, rubric).items()}


def scores_beside(sheet: Sheet, rubric: Rubric, blanks: list[tuple[str, int]]) -> list[str]:
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


def display_issue(reading: Reading, sheet: str, ref: str, value: Decimal, code: str, seen: Display) -> None:
    if seen.differs:
        reading.add("display-differs", sheet=sheet, cell=ref, value=value, expected=code,
                    shown=seen.shown, kind_th=seen.kind_th, kind_en=seen.kind_en)
    else:
        reading.add("rounded-display", sheet=sheet, cell=ref, value=value, expected=code,
                    shown=seen.shown)


def merged_lookup(ranges: Iterable[tuple[int, int, int, int]], rows: Iterable[int]) -> dict[tuple[int, int], str]:
    """Score cells of ``rows`` covered by a merge (not its top-left) → the merge's range. Only
    the rows asked about are looked at, so a merge a million rows tall costs nothing."""
    wanted = sorted(set(rows))
    out: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in ranges:
        if not (c1 <= SCORE_COL <= c2):
            continue
        for row in wanted:
            if r1 <= row <= r2 and (row, SCORE_COL) != (r1, c1):
                out[(row, SCORE_COL)] = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
    return out
