"""The sources sheet: one row per member and office, every score traced to its file, sheet and cell.

A member's notes for an office go into one cell as ``criterion: note; ...``.
When they do not fit Excel's 32,767 characters, they go on in continuation rows
below (marked in the "counted" column), whole notes packed into each cell; a
single note longer than a cell is cut into pieces, each cut marked with ``…``
at the end of one cell and the start of the next. No text is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from officestar_cli.reports import wording as w
from officestar_cli.reports.excel.cells import BODY, BOLD, CUT, MAX_TEXT, Digits, Sheet, display_length
from officestar_cli.reports.excel.grids import rubric_order
from officestar_cli.reports.text import safe_text, split_utf16, utf16_length
from officestar_cli.scoring.aggregate import MemberScores, RoundResult

SHA_WIDTH = 82  # a SHA-256 in hex on one line
FILE_COLUMN = 5  # 0-based: file names (paths) get more room than other texts
FIRST_SCORE = 9  # 0-based: the first criterion's column
_CELL = re.compile(r"([A-Z]+)([0-9]+)")


SOURCES_FIRST_ROW = 4  # the first data row, under the header of row 3


def cell_runs(cells: Sequence[str | None]) -> str:
    """Cells in order, consecutive ones in a column as a range: ``E8:E10, E12``; a dash for none."""
    parts: list[str] = []
    run: tuple[str, int, int] | None = None  # column, first row, last row

    def close() -> None:
        if run is not None:
            column, first, last = run
            parts.append(f"{column}{first}" if first == last else f"{column}{first}:{column}{last}")

    for cell in cells:
        match = _CELL.fullmatch(cell) if cell else None
        if match is None:
            close()
            run = None
            parts.append(cell or w.DASH)
            continue
        column, row = match.group(1), int(match.group(2))
        if run is not None and run[0] == column and run[2] + 1 == row:
            run = (column, run[1], row)
        else:
            close()
            run = (column, row, row)
    close()
    return ", ".join(parts)


def expand_runs(text: str) -> list[str]:
    """The cells of ``cell_runs`` one by one: the inverse, for an auditor or a test."""
    cells: list[str] = []
    for part in text.split(", "):
        first, _, last = part.partition(":")
        start, end = _CELL.fullmatch(first), _CELL.fullmatch(last) if last else None
        if start is None or end is None:
            cells.append(part)
            continue
        column = start.group(1)
        cells += [f"{column}{row}" for row in range(int(start.group(2)), int(end.group(2)) + 1)]
    return cells


def note_cells(notes: Sequence[str]) -> list[str]:
    """Notes (``"1.1: text"``) as cell texts of at most 32,767 characters, every character kept.

    Whole notes are joined with ``"; "`` while they fit; a note longer than a
    cell is cut, the cell ending with ``…`` and the next one starting with it.
    """
    cells: list[str] = []
    current = ""
    for note in map(safe_text, notes):
        candidate = f"{current}; {note}" if current else note
        if utf16_length(candidate) <= MAX_TEXT:
            current = candidate
            continue
        if current:
            cells.append(current)
        lead = ""
        while utf16_length(lead + note) > MAX_TEXT:
            head, note = split_utf16(note, MAX_TEXT - len(lead) - len(CUT))
            cells.append(lead + head + CUT)
            lead = CUT
        current = lead + note
    if current:
        cells.append(current)
    return cells


def _where(
    member: MemberScores, criteria: Sequence[str], cache: dict[tuple[Any, ...], tuple[str, str]]
) -> tuple[str, str]:
    """The sheet, and the cells of ``criteria`` in order (``cell_runs``), of one member's scores."""
    places = tuple(map(member.cells.get, criteria))
    found = cache.get(places)
    if found is None:
        sheets = {place[0] for place in places if place is not None}
        if len(sheets) <= 1:
            cells = [None if place is None else place[1] for place in places]
            found = (next(iter(sheets), w.DASH), cell_runs(cells))
        else:  # never from the template: one office, one sheet; kept exact all the same
            cells = [None if place is None else f"'{place[0]}'!{place[1]}" for place in places]
            found = (w.DASH, ", ".join(c or w.DASH for c in cells))
        cache[places] = found
    return found


def sources_sheet(sheet: Sheet) -> None:
    """One row per member and office: the file, its sheet and cells, and every criterion's score."""
    result, t, lang = sheet.result, sheet.t, sheet.lang
    criteria = [c.id for c in result.rubric.criteria]
    labels = [
        t("หน่วยงาน", "Office"),
        t("รหัสหน่วยงาน", "Office id"),
        t("กรรมการ", "Member"),
        t("นับในผลรวม", "Counted"),
        t("คะแนนรวมของกรรมการ", "Member total"),
        t("ไฟล์", "File"),
        "SHA-256",
        t("แผ่นงาน", "Sheet"),
        t("เซลล์ (ตามลำดับข้อ)", "Cells (in criterion order)"),
        *criteria,
        t("หมายเหตุ/หลักฐานของกรรมการ", "Member's notes / evidence"),
    ]
    numeric = [index == 4 or FIRST_SCORE <= index < FIRST_SCORE + len(criteria) for index in range(len(labels))]
    width = len(labels)
    sheet.title(1, w.traceability(lang), width, BOLD)
    if criteria:
        sheet.title(
            2,
            t(
                f"หนึ่งแถวต่อกรรมการหนึ่งคนต่อหน่วยงาน คอลัมน์ {criteria[0]} ถึง {criteria[-1]} คือคะแนนรายข้อ "
                "ซึ่งอยู่ในแผ่นงานและเซลล์ที่ระบุ ตามลำดับเดียวกัน",
                f"One row per member and office. Columns {criteria[0]} to {criteria[-1]} are the scores per "
                "criterion, read from the sheet and the cells listed, in the same order.",
            ),
            width,
            BODY,
        )
    head = SOURCES_FIRST_ROW - 1
    rows: list[list[str | None]] = []
    yes, no, continued = t("นับ", "yes"), t("ไม่นับ", "no"), t("(ต่อ) หมายเหตุ", "(continued) notes")
    blanks: list[str | None] = [None] * (width - 5)
    digits: dict[int, Digits] = {}  # by scale
    places: dict[tuple[Any, ...], tuple[str, str]] = {}
    for office in rubric_order(result):
        title, office_id, counted = office.office.title(lang), office.office.id, set(office.counted)
        for member in office.scored:
            units, notes = member.units, member.notes
            shown_as = digits.get(member.scale) or digits.setdefault(
                member.scale, Digits(member.scale, sheet.precision)
            )
            texts = note_cells([f"{c}: {notes[c]}" for c in criteria if notes.get(c)]) if notes else []
            rows.append(
                [
                    title,
                    office_id,
                    member.member,
                    yes if member.member in counted else no,
                    shown_as[sum(units.values())],
                    member.file.name,
                    member.file.sha256,
                    *_where(member, criteria, places),
                    *[shown_as[u] for u in map(units.get, criteria)],
                    texts[0] if texts else None,
                ]
            )
            rows += [[title, office_id, member.member, continued, *blanks, text] for text in texts[1:]]
    sheet.widths(_fitted_widths(labels, rows, numeric))
    sheet.header(head, labels, freeze_columns=3)
    end = sheet.add_rows(head + 1, numeric, rows)
    sheet.ws.autofilter(head - 1, 0, end - 2, width - 1)


def source_rows(result: RoundResult) -> dict[tuple[str, str], int]:
    """(office id, member) -> that member's first row for the office, as ``sources_sheet`` writes them."""
    criteria = [c.id for c in result.rubric.criteria]
    rows: dict[tuple[str, str], int] = {}
    row = SOURCES_FIRST_ROW
    for office in rubric_order(result):
        for member in office.scored:
            rows[(office.office.id, member.member)] = row
            notes = member.notes
            texts = note_cells([f"{c}: {notes[c]}" for c in criteria if notes.get(c)]) if notes else []
            row += max(1, len(texts))
    return rows


def _fitted_widths(labels: Sequence[str], rows: Sequence[Sequence[str | None]], numeric: Sequence[bool]) -> list[float]:
    """Column widths that fit each column's longest text on one line, within bounds."""
    widths: list[float] = []
    for index, label in enumerate(labels):
        if numeric[index]:
            widths.append(max(7.0, display_length(label) + 2.0))
        elif label == "SHA-256":
            widths.append(SHA_WIDTH)
        else:
            texts = {row[index] for row in rows}
            longest = max((display_length(text) for text in texts if text), default=0)
            upper = 80 if index == len(labels) - 1 else 70 if index == FILE_COLUMN else 40
            widths.append(min(max(10.0, longest * 1.1 + 2), upper))
    return widths
