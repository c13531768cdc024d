"""Recording a run's readings: the store stage of ``score`` (docs/store.md).

Each accepted reading is first checked for values the store cannot hold (an Issue on the
cell, before anything is recorded), then recorded whole or not at all; a rejected reading
is kept as an attempt, which never counts and ``history`` lists.
"""

from __future__ import annotations

from operator import itemgetter

from officestar_cli.intake.batch import FileResult
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.reader import Reading
from officestar_cli.rubric.model import Rubric, canonical_content
from officestar_cli.store.integrity import NUMBER
from officestar_cli.store.store import Store


def _holds(text: str) -> bool:
    """Whether SQLite can keep ``text`` and give it back unchanged (a lone surrogate cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable(reading: Reading) -> list[Issue]:
    """An Issue for every value of an accepted reading that the store could not hold."""
    found: list[Issue] = []
    rows = reading.rows
    # The usual case, at the cost of one join: every text encodes and every value is a number.
    if _holds("\n".join(map("".join, rows))) and all(NUMBER.fullmatch(v) for v in set(map(itemgetter(2), rows))):
        rows = []
    for office, criterion, value, sheet, cell, note in rows:
        if not all(_holds(text) for text in (office, criterion, sheet, cell)):
            found.append(issue("store-cannot-hold", reading.file, sheet=sheet, cell=cell,
                               reason_th="ชื่อชีตหรือรหัสมีอักขระที่ไม่ใช่ข้อความ",
                               reason_en="a sheet name or id is not valid text"))
        elif NUMBER.fullmatch(value) is None:
            found.append(issue("store-cannot-hold", reading.file, sheet=sheet, cell=cell, value=value[:40],
                               reason_th="คะแนนยาวเกินไป",
                               reason_en="the score has too many digits"))
        elif not _holds(note):
            found.append(issue("store-cannot-hold", reading.file, sheet=sheet, cell=cell,
                               reason_th="หมายเหตุมีอักขระที่ไม่ใช่ข้อความ",
                               reason_en="the note is not valid text"))
    for text in (reading.member or "", reading.workbook_id or ""):
        if not _holds(text):
            found.append(issue("store-cannot-hold", reading.file,
                               reason_th="ชื่อกรรมการหรือรหัสไฟล์ไม่ใช่ข้อความ",
                               reason_en="the member name or workbook id is not valid text"))
    return found


def record_all(store: Store, readings: list[Reading], rubric: Rubric, round_no: int) -> list[FileResult]:
    content = canonical_content(rubric)
    if any(not reading.skipped for reading in readings):
        store.files(rubric.fiscal_year, round_no, current_only=False)  # nothing is added to a damaged round
    results = []
    for reading in readings:
        if reading.skipped:
            results.append(FileResult(reading, "skipped"))
            continue
        if reading.ok:
            reading.issues.extend(unstorable(reading))
        if not reading.ok:
            store.record_attempt(reading, rubric.fiscal_year, round_no)
            results.append(FileResult(reading, "rejected"))
            continue
        outcome = store.record(reading, rubric.fiscal_year, round_no, reading.offices_expected, content)
        reading.issues.extend(outcome.issues)
        reading.rows = []  # in the store now; a national round need not hold them twice
        found = []
        if outcome.superseded_id is not None and outcome.file_id is not None:
            found = store.changes(outcome.superseded_id, outcome.file_id, [o.id for o in rubric.offices])
        results.append(FileResult(reading, outcome.status, outcome.supersedes, found))
    return results
