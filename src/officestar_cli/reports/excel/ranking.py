"""The ranking sheet: every office with its rank, total, tier and dimensions, and the chart."""

from __future__ import annotations

import datetime as dt

from officestar_cli.reports import wording as w
from officestar_cli.reports.excel.cells import (
    BANNER,
    BANNER_FILL,
    BODY,
    BOLD,
    MISSING_COLOUR,
    MISSING_FILL,
    MUTED,
    TOP_CENTRE,
    Sheet,
)
from officestar_cli.reports.excel.chart import add_chart
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult

TIER_COLOURS = ("FFD966", "A9D08E", "9DC3E6", "D9D2E9", "F4B183")
NO_TIER_COLOUR = "D9D9D9"


def tier_colour(office: OfficeResult, result: RoundResult) -> str:
    index = w.tier_index(office, result.rubric)
    if index is None:
        return NO_TIER_COLOUR if office.complete else MISSING_COLOUR
    return TIER_COLOURS[min(index, len(TIER_COLOURS) - 1)]


def _has_zones(result: RoundResult) -> bool:
    return any(o.office.zone for o in result.offices)


def _zone_title(result: RoundResult, zone_id: str | None, lang: str) -> str:
    for zone in result.rubric.zones:
        if zone.id == zone_id:
            return zone.th if lang == "th" else zone.en
    return zone_id or w.DASH


def ranking_sheet(sheet: Sheet, date: dt.date, provisional: bool) -> None:
    result, t = sheet.result, sheet.t
    rubric = result.rubric
    zones = _has_zones(result)
    labels = [t("อันดับ", "Rank"), t("หน่วยงาน", "Office")]
    if zones:
        labels += [t("โซน", "Zone"), t("อันดับในโซน", "Zone rank")]
    labels += [t("คะแนนรวม", "Total") + f" ({w.plain(rubric.total)})", t("ระดับ", "Tier")]
    labels += [w.dimension_label(d, sheet.lang) for d in rubric.dimensions]
    labels += [
        t("ความครบถ้วน", "Coverage"),
        t("กรรมการที่นับ", "Members counted"),
        t("การตัดสินเมื่อคะแนนเท่ากัน", "Tie rule"),
    ]
    width = len(labels)
    sheet.widths([8, 30, *([14, 10] if zones else []), 12, 14, *([16] * len(rubric.dimensions)), 26, 12, 30])
    sheet.title(1, w.heading(result, sheet.lang), width)
    sheet.title(
        2,
        t("วันที่จัดทำรายงาน", "Report date")
        + f": {w.report_date(date, sheet.lang)} · "
        + t("วิธีรวมคะแนน", "Method")
        + f": {w.method_text(result.method, sheet.lang)}",
        width,
        BODY,
    )
    sheet.title(3, t("การตัดสินเมื่อคะแนนเท่ากัน", "Ties") + f": {w.tie_rule(rubric, sheet.lang)}", width, BODY)
    if provisional:
        sheet.title(
            4,
            t("ผลเบื้องต้น", "PROVISIONAL") + f": {w.provisional_reason(result, sheet.lang)}",
            width,
            BANNER,
            BANNER_FILL,
        )
    else:
        sheet.title(4, t("ผลการประเมินครบทุกหน่วยงาน", "Every office was evaluated completely"), width, BODY)
    head = 5
    sheet.header(head, labels)
    ties = w.Ties(result)
    for row, office in enumerate(result.offices, start=head + 1):
        _ranking_row(sheet, row, office, zones, ties)
    last = head + len(result.offices)
    total_column = 5 if zones else 3
    sheet.ws.autofilter(head - 1, 0, last - 1, width - 1)
    ranked = [o for o in result.offices if o.rank is not None]  # they come first
    below = add_chart(sheet, head, total_column, [tier_colour(o, result) for o in ranked], last + 3)
    end = signature_block(sheet, below + 1, date, width)
    sheet.ws.print_area(0, 0, end - 1, width - 1)  # the page ends with the signatures


def signature_block(sheet: Sheet, first: int, date: dt.date, width: int) -> int:
    """The committee's signatures from row ``first``: each name, a line to sign, the date.

    The same signers as the Markdown report (``wording.signers``). Returns the last row written.
    """
    t = sheet.t
    # Name, signature and date columns: three spans over the sheet's width (at least eight columns).
    name_end = 2
    line_end = max(name_end + 1, width - 3)
    sheet.span(first, 1, width, t("ลงนามคณะกรรมการ", "Committee signatures"), BOLD)
    head = first + 1
    sheet.span(head, 1, name_end, t("กรรมการ", "Member"), BOLD, TOP_CENTRE)
    sheet.span(head, name_end + 1, line_end, t("ลงชื่อ", "Signature"), BOLD, TOP_CENTRE)
    sheet.span(head, line_end + 1, width, t("วันที่", "Date"), BOLD, TOP_CENTRE)
    day = w.report_date(date, sheet.lang)
    row = head
    for row, name in enumerate(w.signers(sheet.result), start=head + 1):
        sheet.span(row, 1, name_end, f"({name})")
        sheet.span(row, name_end + 1, line_end, t("(ลงชื่อ) ", "(Signed) ") + w.SIGNATURE_LINE, align=TOP_CENTRE)
        sheet.span(row, line_end + 1, width, day, align=TOP_CENTRE)
    return row


def _ranking_row(sheet: Sheet, row: int, office: OfficeResult, zones: bool, ties: w.Ties) -> None:
    result, lang = sheet.result, sheet.lang
    fill = tier_colour(office, result)
    column = 1
    sheet.put(row, column, w.DASH if office.rank is None else office.rank, align=TOP_CENTRE)
    sheet.put(row, column + 1, office.office.title(lang), BOLD)
    column += 2
    if zones:
        sheet.put(row, column, _zone_title(result, office.office.zone, lang))
        sheet.put(row, column + 1, w.DASH if office.zone_rank is None else office.zone_rank)
        column += 2
    sheet.number(row, column, office.shown, font=BOLD if office.complete else MUTED, fill=fill)
    sheet.put(row, column + 1, w.tier_text(office, result.rubric, lang), BOLD, fill)
    column += 2
    for dimension in result.rubric.dimensions:
        sheet.number(row, column, office.dimensions.get(dimension.id))
        column += 1
    sheet.put(row, column, w.status_text(office, lang), fill=None if office.complete else MISSING_FILL)
    sheet.put(row, column + 1, len(office.counted))
    sheet.put(row, column + 2, ties.text(office, lang))
