"""The office grids: criteria by office, members by office, and coverage (who scored what)."""

from __future__ import annotations

from decimal import Decimal

from officestar_cli.reports import wording as w
from officestar_cli.reports.excel.cells import (
    BODY,
    BOLD,
    DIM_FILL,
    HEAD_FILL,
    MISSING_FILL,
    MUTED,
    NONE_FILL,
    Sheet,
)
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult


def rubric_order(result: RoundResult) -> list[OfficeResult]:
    """The offices in the rubric's order (the ranking sheet alone is in rank order)."""
    by_id = {o.office.id: o for o in result.offices}
    return [by_id[office.id] for office in result.rubric.offices if office.id in by_id]


def constant(value: Decimal) -> int | float:
    """A rubric constant (a maximum) as a plain number, shown as it is written."""
    return int(value) if value == value.to_integral_value() else float(value)


def criteria_sheet(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    rubric = result.rubric
    offices = rubric_order(result)
    labels = [t("ข้อ", "No."), t("ประเด็นการประเมิน", "Criterion"), t("คะแนนเต็ม", "Max")]
    labels += [o.office.title(sheet.lang) for o in offices]
    sheet.widths([7, 36, 10, *([13] * len(offices))])
    sheet.title(
        1,
        t(
            "คะแนนรายเกณฑ์ของแต่ละหน่วยงาน (ตามวิธีรวมคะแนน)",
            "Score per criterion per office (by the aggregation method)",
        ),
        len(labels),
    )
    head = 3
    sheet.header(head, labels, freeze_columns=3)
    sheet.ws.repeat_columns(0, 2)
    row = head + 1
    for dimension in rubric.dimensions:
        sheet.put(row, 1, dimension.id, BOLD, DIM_FILL)
        sheet.put(row, 2, dimension.title(sheet.lang), BOLD, DIM_FILL)
        sheet.put(row, 3, constant(dimension.max), BOLD, DIM_FILL)
        for column, office in enumerate(offices, start=4):
            sheet.number(row, column, office.dimensions.get(dimension.id), font=BOLD, fill=DIM_FILL)
        row += 1
        for criterion in dimension.criteria:
            sheet.put(row, 1, criterion.id)
            sheet.put(row, 2, criterion.title(sheet.lang))
            sheet.put(row, 3, constant(criterion.max))
            for column, office in enumerate(offices, start=4):
                sheet.number(row, column, office.criteria.get(criterion.id))
            row += 1
    sheet.put(row, 2, t("รวมทั้งสิ้น", "Total"), BOLD, HEAD_FILL)
    sheet.put(row, 3, constant(rubric.total), BOLD, HEAD_FILL)
    for column, office in enumerate(offices, start=4):
        sheet.number(row, column, office.total, font=BOLD, fill=HEAD_FILL)


def members_sheet(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    members = result.members
    labels = [
        t("หน่วยงาน", "Office"),
        *members,
        t("ต่ำสุด", "Min"),
        t("สูงสุด", "Max"),
        t("ส่วนต่าง", "Spread"),
        t("กรรมการที่นับ", "Counted"),
    ]
    sheet.widths([30, *([14] * len(members)), 11, 11, 11, 40])
    sheet.title(1, t("คะแนนรวมของกรรมการแต่ละคนต่อหน่วยงาน", "Each member's total per office"), len(labels))
    sheet.title(
        2,
        t(
            "ตัวเอียงสีเทา = ไม่ถูกนับตามวิธีรวมคะแนน · ขาด = ได้รับมอบหมายแต่ยังไม่ให้คะแนน",
            "Grey italics = not counted by the method · MISSING = assigned but not scored",
        ),
        len(labels),
        MUTED,
    )
    head = 3
    sheet.header(head, labels, freeze_columns=1)
    for row, office in enumerate(rubric_order(result), start=head + 1):
        sheet.put(row, 1, office.office.title(sheet.lang), BOLD)
        scored = {m.member: m.total() for m in office.scored}
        counted, missing = set(office.counted), set(office.missing)
        for column, member in enumerate(members, start=2):
            if member in scored:
                sheet.number(row, column, scored[member], font=BODY if member in counted else MUTED)
            elif member in missing:
                sheet.put(row, column, t("ขาด", "MISSING"), BOLD, MISSING_FILL)
            else:
                sheet.put(row, column, w.DASH, MUTED, NONE_FILL)
        column = len(members) + 2
        low = min(scored.values(), default=None)
        high = max(scored.values(), default=None)
        sheet.number(row, column, low)
        sheet.number(row, column + 1, high)
        sheet.number(row, column + 2, None if low is None or high is None else high - low)
        sheet.put(row, column + 3, w.names(office.counted))


def coverage_members(result: RoundResult) -> list[str]:
    """Everyone the coverage sheet has a column for: who returned a workbook, then the expected
    members who did not (docs/design.md, "Expected members and quorum")."""
    members = result.members
    absent = [m for m in result.not_returned if m not in members]
    excused = [m for o in result.offices for m in o.excused if m not in members and m not in absent]
    return [*members, *absent, *dict.fromkeys(excused)]


def coverage_sheet(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    members = coverage_members(result)
    labels = [
        t("หน่วยงาน", "Office"),
        *members,
        t("ได้รับมอบหมาย", "Assigned"),
        t("ให้คะแนนแล้ว", "Scored"),
        t("สถานะ", "Status"),
    ]
    sheet.widths([30, *([16] * len(members)), 12, 12, 36])
    sheet.title(1, t("กรรมการคนใดให้คะแนนหน่วยงานใดแล้ว", "Which member scored which office"), len(labels))
    absent = w.names(result.not_returned)
    sheet.title(2, t(f"ยังไม่ส่งแบบประเมิน: {absent}", f"Not returned: {absent}") if result.not_returned
                else t("กรรมการที่คาดว่าจะส่งได้ส่งแบบประเมินครบแล้ว", "Every expected member has returned a workbook"),
                len(labels), MUTED)
    head = 3
    sheet.header(head, labels, freeze_columns=1)
    not_returned = set(result.not_returned)
    for row, office in enumerate(rubric_order(result), start=head + 1):
        sheet.put(row, 1, office.office.title(sheet.lang), BOLD)
        scored, missing = set(office.scored_by), set(office.missing)
        for column, member in enumerate(members, start=2):
            if member in office.excused:
                reason = office.excused[member]
                sheet.put(row, column, t(f"งดเว้น: {reason}", f"excused: {reason}"), MUTED, NONE_FILL)
            elif member in scored:
                sheet.put(row, column, t("ให้คะแนนแล้ว", "scored"))
            elif member in missing:
                text = t("ขาด (ไม่ส่งแบบประเมิน)", "MISSING (not returned)") if member in not_returned else t(
                    "ขาด", "MISSING")
                if office.quorum_reached:
                    text = t("ขาด (ครบองค์ประชุม)", "absent (quorum reached)")
                sheet.put(row, column, text, BOLD, None if office.quorum_reached else MISSING_FILL)
            else:
                sheet.put(row, column, t("ไม่ได้รับมอบหมาย", "not assigned"), MUTED, NONE_FILL)
        column = len(members) + 2
        sheet.put(row, column, len(office.assigned))
        sheet.put(row, column + 1, len(office.scored))
        sheet.put(
            row,
            column + 2,
            w.status_text(office, sheet.lang),
            fill=None if office.complete else MISSING_FILL,
        )
