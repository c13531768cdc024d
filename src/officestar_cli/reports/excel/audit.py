"""The audit sheet: the facts of the round, every source file, and what the method did per office."""

from __future__ import annotations

import datetime as dt

from officestar_cli.intake.changes import Change
from officestar_cli.reports import wording as w
from officestar_cli.reports.changes import change_text, event_action, file_status, withdrawal_reasons
from officestar_cli.reports.excel.cells import BODY, BOLD, CENTRE, HEAD_FILL, MUTED, Sheet, Value
from officestar_cli.reports.excel.grids import rubric_order
from officestar_cli.reports.excel.sources import SHA_WIDTH

AUDIT_COLUMNS = 6


def audit_sheet(sheet: Sheet, date: dt.date, provisional: bool, tool_version: str) -> None:
    result, t, lang = sheet.result, sheet.t, sheet.lang
    rubric = result.rubric
    sheet.widths([34, 20, SHA_WIDTH, 38, 30, 30])
    sheet.title(1, t("ข้อมูลสำหรับการตรวจสอบ", "Audit"), AUDIT_COLUMNS)
    facts: list[tuple[str, str | int]] = [
        (t("การประกวด", "Contest"), rubric.title(lang)),
        (t("ปีงบประมาณ (พ.ศ.)", "Fiscal year (BE)"), result.fiscal_year),
        (t("รอบการประเมิน", "Round"), result.round),
        (t("วันที่จัดทำรายงาน", "Report date"), w.report_date(date, lang)),
        (
            t("สถานะของผล", "Status"),
            w.provisional_reason(result, lang)
            if provisional
            else t("ผลการประเมินครบทุกหน่วยงาน", "every office evaluated completely"),
        ),
        (t("วิธีรวมคะแนน", "Method"), f"{result.method}: {w.method_text(result.method, lang)}"),
        (t("กรรมการที่นับ", "Members counted"), w.method_detail(lang)),
        (t("การปัดเศษ", "Rounding"), w.rounding_text(rubric, lang)),
        (t("การตัดสินเมื่อคะแนนเท่ากัน", "Tie rule"), w.tie_rule(rubric, lang)),
        (
            t("รหัสเกณฑ์ที่บันทึกในรอบนี้ (fingerprint)", "Rubric fingerprint recorded for the round"),
            result.fingerprint or w.DASH,
        ),
        (t("รหัสเกณฑ์ของไฟล์เกณฑ์ที่ใช้", "Fingerprint of the rubric used"), rubric.fingerprint),
        (t("ไฟล์เกณฑ์", "Rubric file"), rubric.source),
        (t("โปรแกรม", "Tool"), f"officestar {tool_version}"),
        (t("การตรวจสอบย้อนกลับ", "Traceability"), w.traceability(lang)),
    ]
    row = 3
    for label, value in facts:
        sheet.fact(row, label, value, AUDIT_COLUMNS)
        row += 1
    row = _audit_files(sheet, row + 1)
    _audit_methods(sheet, row + 1)


def _audit_files(sheet: Sheet, row: int) -> int:
    result, t = sheet.result, sheet.t
    heading = t(
        "ไฟล์ต้นทางทั้งหมดของรอบนี้ (รวมไฟล์ที่ถูกแทนที่)",
        "Every source file of the round (superseded ones included)",
    )
    sheet.title(row, heading, AUDIT_COLUMNS, BOLD)
    row += 1
    labels = [
        t("ไฟล์", "File"),
        t("กรรมการ", "Member"),
        "SHA-256",
        t("รหัสไฟล์ (workbook id)", "Workbook id"),
        t("เวลานำเข้า", "Imported"),
        t("สถานะ", "Status"),
    ]
    for column, label in enumerate(labels, start=1):
        sheet.put(row, column, label, BOLD, HEAD_FILL, CENTRE)
    sha_by_id = {f.id: f.sha256 for f in result.history}
    reasons = withdrawal_reasons(result.events)
    for stored in result.history:
        row += 1
        values: list[Value] = [
            stored.name,
            stored.member,
            stored.sha256,
            stored.workbook_id,
            w.imported(stored.imported_at, sheet.lang),
            file_status(stored, sha_by_id, sheet.lang, reasons.get(stored.id, "")),
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value, BODY if stored.current else MUTED)
    return _audit_corrections(sheet, _audit_events(sheet, row + 2) + 1)


def _audit_events(sheet: Sheet, row: int) -> int:
    """Every withdrawal and restoration of the round, in order."""
    result, t = sheet.result, sheet.t
    sheet.title(row, t("การถอนไฟล์และการนำกลับมานับ", "Withdrawals and restorations"), AUDIT_COLUMNS, BOLD)
    row += 1
    labels = [t("ไฟล์", "File"), t("กรรมการ", "Member"), "SHA-256", t("การกระทำ", "Action"), t("เวลา", "Time"),
              t("เหตุผล", "Reason")]
    for column, label in enumerate(labels, start=1):
        sheet.put(row, column, label, BOLD, HEAD_FILL, CENTRE)
    by_id = {f.id: f for f in result.history}
    if not result.events:
        sheet.put(row + 1, 1, t("ไม่มี", "none"), MUTED)
        return row + 2
    for event in result.events:
        row += 1
        stored = by_id[event.file_id]
        values: list[Value] = [stored.name, stored.member, stored.sha256, event_action(event, sheet.lang),
                               w.imported(event.at, sheet.lang), event.reason or w.DASH]
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value)
    return row + 1


def _audit_corrections(sheet: Sheet, row: int) -> int:
    """Every superseding of the round and the cells it changed."""
    result, t = sheet.result, sheet.t
    sheet.title(row, t("การแก้ไข: ฉบับใหม่แทนฉบับเดิม และเซลล์ที่เปลี่ยน",
                       "Corrections: each later copy and the cells it changed"), AUDIT_COLUMNS, BOLD)
    row += 1
    labels = [t("ไฟล์ฉบับใหม่", "Later copy"), t("กรรมการ", "Member"), t("แทนฉบับ (SHA-256)", "Replaced (SHA-256)"),
              t("หน่วยงาน › ข้อ", "Office › criterion"), t("เซลล์", "Cell"), t("เดิม → ใหม่", "Old → new")]
    for column, label in enumerate(labels, start=1):
        sheet.put(row, column, label, BOLD, HEAD_FILL, CENTRE)
    if not result.corrections:
        sheet.put(row + 1, 1, t("ไม่มี", "none"), MUTED)
        return row + 2
    for old, new, found in result.corrections:
        listed: list[Change | None] = list(found) or [None]
        for change in listed:
            row += 1
            if change is None:
                what = [w.DASH, w.DASH, t("ไม่มีเซลล์ที่เปลี่ยน", "no cell changed")]
            else:
                what = [f"{change.office_id} › {change.criterion_id or w.DASH}",
                        f"{change.sheet}!{change.cell}" if change.cell else change.sheet,
                        change_text(change, sheet.lang)]
            for column, value in enumerate([new.name, new.member, old.sha256, *what], start=1):
                sheet.put(row, column, value)
    return row + 1


def _audit_methods(sheet: Sheet, row: int) -> None:
    result, t = sheet.result, sheet.t
    heading = t("วิธีรวมคะแนนทำอะไรกับแต่ละหน่วยงาน", "What the method did per office")
    sheet.title(row, heading, AUDIT_COLUMNS, BOLD)
    row += 1
    labels = [
        t("หน่วยงาน", "Office"),
        t("รหัสหน่วยงาน", "Office id"),
        t("วิธี", "Method"),
        t("กรรมการที่นับ", "Counted"),
        t("กรรมการที่ไม่นับ", "Not counted"),
        t("การตัดสินเมื่อคะแนนเท่ากัน", "Tie rule"),
    ]
    for column, label in enumerate(labels, start=1):
        sheet.put(row, column, label, BOLD, HEAD_FILL, CENTRE)
    ties = w.Ties(result)
    for office in rubric_order(result):
        row += 1
        counted = set(office.counted)
        left_out = [m for m in office.scored_by if m not in counted]
        values: list[Value] = [
            office.office.title(sheet.lang),
            office.office.id,
            w.office_method(office, sheet.lang),
            w.names(office.counted),
            w.names(left_out),
            ties.text(office, sheet.lang) or w.DASH,
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value)
