"""The Excel report: ranking with a chart, criteria, members, coverage, sources, audit.

Numbers are stored as numbers (the shown Decimal as a float, with a number
format of the rubric's precision); every text that came from a user is stored
as a string cell, never as a formula. The workbook carries no clock: its
properties and its zip entries are dated from the report date, so the same
round gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import unicodedata
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from officestar_cli.aggregate import OfficeResult, RoundResult
from officestar_cli.exact import shown
from officestar_cli.reports import wording as w
from officestar_cli.reports.wording import tr

FONT = "TH SarabunPSK"
BODY = Font(name=FONT, size=14)
BOLD = Font(name=FONT, size=14, bold=True)
TITLE = Font(name=FONT, size=18, bold=True)
MUTED = Font(name=FONT, size=14, italic=True, color="7F7F7F")
BANNER = Font(name=FONT, size=16, bold=True, color="9C0006")
HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
DIM_FILL = PatternFill("solid", fgColor="EDEDED")
BANNER_FILL = PatternFill("solid", fgColor="FFC7CE")
MISSING_COLOUR = "F8CBAD"
MISSING_FILL = PatternFill("solid", fgColor=MISSING_COLOUR)
NONE_FILL = PatternFill("solid", fgColor="F2F2F2")
TIER_COLOURS = ("FFD966", "A9D08E", "9DC3E6", "D9D2E9", "F4B183")
NO_TIER_COLOUR = "D9D9D9"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
FORMULA_LEADS = ("=", "+", "-", "@")
DEFAULT_WIDTH = 8.43  # Excel's default column width, in widths of "0"
CHARACTERS_PER_WIDTH = 1.0  # TH SarabunPSK 14 pt characters per unit of column width
WORD_WRAP_LOSS = 1.25
SHA_WIDTH = 82  # a SHA-256 in hex on one line
AUDIT_COLUMNS = 6
LINE_SPACING = 1.7  # points of row height per point of font size: Thai marks stack above and below

Value = str | int | float | Decimal | None


class Names:
    """Sheet names: Thai by default, English with ``lang="en"``."""

    def __init__(self, lang: str) -> None:
        self.ranking = tr(lang, "อันดับ", "Ranking")
        self.criteria = tr(lang, "รายเกณฑ์", "Criteria")
        self.members = tr(lang, "รายกรรมการ", "Members")
        self.coverage = tr(lang, "ความครบถ้วน", "Coverage")
        self.sources = tr(lang, "ที่มาของคะแนน", "Sources")
        self.audit = tr(lang, "ตรวจสอบ", "Audit")


class Sheet:
    """One worksheet and what every writer into it needs: language, precision, styles."""

    def __init__(self, ws: Worksheet, result: RoundResult, lang: str) -> None:
        self.ws = ws
        self.result = result
        self.lang = lang
        self.precision = result.rubric.precision
        self.number_format = "0" if self.precision == 0 else "0." + "0" * self.precision

    def t(self, th: str, en: str) -> str:
        return tr(self.lang, th, en)

    def put(
        self,
        row: int,
        column: int,
        value: Value,
        font: Font = BODY,
        fill: PatternFill | None = None,
    ) -> Cell:
        """Write one cell: text always as a string, numbers as numbers."""
        cell = self.ws.cell(row=row, column=column)
        if not isinstance(cell, Cell):  # a merged cell's hidden part: a bug in the layout
            raise TypeError(f"{self.ws.title}!{cell.coordinate} is merged")
        if isinstance(value, str):
            text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            cell.value = text
            cell.data_type = "s"  # "=..." from a user stays text, never a formula
            if text.startswith(FORMULA_LEADS):
                cell.quotePrefix = True
        elif isinstance(value, Decimal):
            # A shown value (already half-up to the precision): float only for storage.
            cell.value = float(value)
            cell.number_format = self.number_format
        else:
            cell.value = value
        cell.font = font
        cell.alignment = WRAP
        cell.border = BOX
        if fill is not None:
            cell.fill = fill
        return cell

    def number(self, row: int, column: int, value: Fraction | Decimal | None, **style: Any) -> Cell:
        """A computed value, stored as its shown (half-up) value; a dash when there is none."""
        if value is None:
            return self.put(row, column, w.DASH, **style)
        return self.put(row, column, shown(value, self.precision), **style)

    def header(self, row: int, labels: Sequence[str]) -> None:
        for column, label in enumerate(labels, start=1):
            cell = self.put(row, column, label, BOLD, HEAD_FILL)
            cell.alignment = CENTRE
        self.ws.print_title_rows = f"{row}:{row}"
        self.ws.freeze_panes = self.ws.cell(row=row + 1, column=1).coordinate

    def title(self, row: int, text: str, width: int, font: Font = TITLE, fill: PatternFill | None = None) -> None:
        cell = self.put(row, 1, text, font, fill)
        cell.border = Border()
        if width > 1:
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)

    def fact(self, row: int, label: str, value: str | int, width: int) -> None:
        """A label and a long value merged across ``width`` columns (the audit's facts)."""
        self.put(row, 1, label, BOLD, HEAD_FILL)
        self.put(row, 2, value)
        self.ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)

    def column_width(self, column: int) -> float:
        width = self.ws.column_dimensions[get_column_letter(column)].width
        return float(width) if width else DEFAULT_WIDTH

    def fit_rows(self) -> None:
        """Give every row the height its wrapped text needs: Excel does not grow rows itself."""
        ws = self.ws
        spans: dict[tuple[int, int], float] = {}
        for merged in ws.merged_cells.ranges:
            columns = range(merged.min_col, merged.max_col + 1)
            spans[(merged.min_row, merged.min_col)] = sum(self.column_width(c) for c in columns)
        for row, cells in enumerate(ws.iter_rows(min_row=1), start=1):
            lines, size = 1, float(BODY.sz or 14)
            for cell in cells:
                if not isinstance(cell, Cell) or cell.value is None:
                    continue
                font_size = float(cell.font.sz or 14) * (1.15 if cell.font.b else 1.0)
                width = spans.get((cell.row, cell.column)) or self.column_width(cell.column)
                per_line = max(1, int(width * CHARACTERS_PER_WIDTH * 14 / font_size))
                text = cell.value if isinstance(cell.value, str) else "0" * 8
                needed = sum(wrapped_lines(display_length(part), per_line) for part in text.split("\n"))
                lines = max(lines, needed)
                size = max(size, float(cell.font.sz or 14))
            ws.row_dimensions[row].height = round(lines * size * LINE_SPACING, 1)

    def widths(self, widths: Sequence[float]) -> None:
        for column, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(column)].width = width

    def print_setup(self) -> None:
        """A4 landscape, fitted to the page width, header and page numbers in the footer."""
        from openpyxl.worksheet.properties import PageSetupProperties

        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        header, footer = ws.oddHeader, ws.oddFooter
        assert header is not None and footer is not None
        result = self.result
        parts = (
            (header.left, result.rubric.title(self.lang).replace("&", "&&")),  # & starts a code
            (
                header.right,
                self.t(
                    f"ปีงบประมาณ พ.ศ. {result.fiscal_year} รอบที่ {result.round}",
                    f"Fiscal year {result.fiscal_year} (BE), round {result.round}",
                ),
            ),
            (footer.center, self.t("หน้า &P / &N", "Page &P of &N")),
            (footer.right, "&A"),
        )
        for part, text in parts:
            part.text = text
            part.font = FONT


def display_length(text: str) -> int:
    """Characters that take width: Thai vowel and tone marks stack on their consonant."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def wrapped_lines(length: int, per_line: int) -> int:
    """Lines a wrapped text takes; wrapping at word ends wastes about a fifth of each line."""
    if length <= per_line:
        return 1
    return math.ceil(length * WORD_WRAP_LOSS / per_line)


def tier_colour(office: OfficeResult, result: RoundResult) -> str:
    index = w.tier_index(office, result.rubric)
    if index is None:
        return NO_TIER_COLOUR if office.complete else MISSING_COLOUR
    return TIER_COLOURS[min(index, len(TIER_COLOURS) - 1)]


def tier_fill(office: OfficeResult, result: RoundResult) -> PatternFill:
    return PatternFill("solid", fgColor=tier_colour(office, result))


# --------------------------------------------------------------------------- the workbook


def build_report(result: RoundResult, *, lang: str, date: dt.date, provisional: bool, tool_version: str) -> Workbook:
    workbook = Workbook()
    names = Names(lang)
    first = workbook.active
    assert first is not None
    first.title = names.ranking
    sheets = {
        names.ranking: first,
        **{
            name: workbook.create_sheet(name)
            for name in (names.criteria, names.members, names.coverage, names.sources, names.audit)
        },
    }
    _ranking(Sheet(sheets[names.ranking], result, lang), date, provisional)
    _criteria(Sheet(sheets[names.criteria], result, lang))
    _members(Sheet(sheets[names.members], result, lang))
    _coverage(Sheet(sheets[names.coverage], result, lang))
    _sources(Sheet(sheets[names.sources], result, lang))
    _audit(Sheet(sheets[names.audit], result, lang), date, provisional, tool_version)
    for ws in sheets.values():
        sheet = Sheet(ws, result, lang)
        sheet.fit_rows()
        sheet.print_setup()
    _properties(workbook, result, lang, date, tool_version)
    return workbook


def _properties(workbook: Workbook, result: RoundResult, lang: str, date: dt.date, tool_version: str) -> None:
    moment = dt.datetime.combine(date, dt.time(0))
    properties = workbook.properties
    properties.created = moment
    properties.modified = moment
    properties.creator = f"officestar {tool_version}"
    properties.lastModifiedBy = f"officestar {tool_version}"
    properties.title = w.heading(result, lang)
    properties.language = "th-TH" if lang == "th" else "en"


class _DatedZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed date instead of the clock's or a file's mtime."""

    def __init__(self, path: Path, date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.fixed_date_time = date_time

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed_date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl writes each worksheet to a temporary file first; its mtime is the clock.
        data = Path(filename).read_bytes()
        name = os.fspath(arcname if arcname is not None else filename)
        self.writestr(name, data, compress_type, compresslevel)


def save_report(workbook: Workbook, path: Path, date: dt.date) -> None:
    """Save without ``Workbook.save``, which stamps the clock into the properties."""
    from openpyxl.writer.excel import ExcelWriter

    archive = _DatedZip(path, (max(date.year, 1980), date.month, date.day, 0, 0, 0))
    ExcelWriter(workbook, archive).save()  # closes the archive


# --------------------------------------------------------------------------- ranking


def _has_zones(result: RoundResult) -> bool:
    return any(o.office.zone for o in result.offices)


def _zone_title(result: RoundResult, zone_id: str | None, lang: str) -> str:
    for zone in result.rubric.zones:
        if zone.id == zone_id:
            return zone.th if lang == "th" else zone.en
    return zone_id or w.DASH


def _ranking(sheet: Sheet, date: dt.date, provisional: bool) -> None:
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
    for row, office in enumerate(result.offices, start=head + 1):
        _ranking_row(sheet, row, office, zones)
    last = head + len(result.offices)
    total_column = 5 if zones else 3
    sheet.widths([8, 30, *([14, 10] if zones else []), 12, 14, *([16] * len(rubric.dimensions)), 26, 12, 30])
    sheet.ws.auto_filter.ref = f"A{head}:{get_column_letter(width)}{last}"
    _chart(sheet, head, total_column, last + 3)


def _ranking_row(sheet: Sheet, row: int, office: OfficeResult, zones: bool) -> None:
    result, lang = sheet.result, sheet.lang
    fill = tier_fill(office, result)
    column = 1
    sheet.put(row, column, w.DASH if office.rank is None else office.rank).alignment = TOP_CENTRE
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
    sheet.put(row, column + 2, w.office_tie(office, result, lang))


def _chart(sheet: Sheet, head: int, total_column: int, anchor_row: int) -> None:
    result = sheet.result
    ranked = [o for o in result.offices if o.rank is not None]
    if not ranked:
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = sheet.t("คะแนนรวมของหน่วยงานที่จัดอันดับ", "Totals of the ranked offices")
    chart.y_axis.title = sheet.t("คะแนนรวม", "Total")
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = float(result.rubric.total)
    chart.y_axis.numFmt = sheet.number_format
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    last = head + len(ranked)  # ranked offices come first
    data = Reference(sheet.ws, min_col=total_column, min_row=head, max_row=last)
    categories = Reference(sheet.ws, min_col=2, min_row=head + 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    series = chart.series[0]
    for index, office in enumerate(ranked):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = tier_colour(office, result)
        series.dPt.append(point)
    chart.width = 26
    chart.height = 11
    sheet.ws.add_chart(chart, f"B{anchor_row}")


# --------------------------------------------------------------------------- criteria


def _criteria(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    rubric = result.rubric
    offices = _rubric_order(result)
    labels = [t("ข้อ", "No."), t("ประเด็นการประเมิน", "Criterion"), t("คะแนนเต็ม", "Max")]
    labels += [o.office.title(sheet.lang) for o in offices]
    sheet.title(
        1,
        t(
            "คะแนนรายเกณฑ์ของแต่ละหน่วยงาน (ตามวิธีรวมคะแนน)",
            "Score per criterion per office (by the aggregation method)",
        ),
        len(labels),
    )
    head = 3
    sheet.header(head, labels)
    sheet.ws.freeze_panes = sheet.ws.cell(row=head + 1, column=4).coordinate
    sheet.ws.print_title_cols = "A:C"
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
    sheet.widths([7, 36, 10, *([13] * len(offices))])


def constant(value: Decimal) -> int | float:
    """A rubric constant (a maximum) as a plain number, shown as it is written."""
    return int(value) if value == value.to_integral_value() else float(value)


def _rubric_order(result: RoundResult) -> list[OfficeResult]:
    by_id = {o.office.id: o for o in result.offices}
    return [by_id[office.id] for office in result.rubric.offices if office.id in by_id]


# --------------------------------------------------------------------------- members and coverage


def _members(sheet: Sheet) -> None:
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
    sheet.header(head, labels)
    for row, office in enumerate(_rubric_order(result), start=head + 1):
        sheet.put(row, 1, office.office.title(sheet.lang), BOLD)
        totals = {m.member: m.total() for m in office.scored}
        for column, member in enumerate(members, start=2):
            if member in totals:
                sheet.number(row, column, totals[member], font=BODY if member in office.counted else MUTED)
            elif member in office.missing:
                sheet.put(row, column, t("ขาด", "MISSING"), BOLD, MISSING_FILL)
            else:
                sheet.put(row, column, w.DASH, MUTED, NONE_FILL)
        column = len(members) + 2
        low = min(totals.values(), default=None)
        high = max(totals.values(), default=None)
        sheet.number(row, column, low)
        sheet.number(row, column + 1, high)
        sheet.number(row, column + 2, None if low is None or high is None else high - low)
        sheet.put(row, column + 3, w.names(office.counted))
    sheet.widths([30, *([14] * len(members)), 11, 11, 11, 40])


def _coverage(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    members = result.members
    labels = [
        t("หน่วยงาน", "Office"),
        *members,
        t("ได้รับมอบหมาย", "Assigned"),
        t("ให้คะแนนแล้ว", "Scored"),
        t("สถานะ", "Status"),
    ]
    sheet.title(1, t("กรรมการคนใดให้คะแนนหน่วยงานใดแล้ว", "Which member scored which office"), len(labels))
    head = 3
    sheet.header(head, labels)
    for row, office in enumerate(_rubric_order(result), start=head + 1):
        sheet.put(row, 1, office.office.title(sheet.lang), BOLD)
        for column, member in enumerate(members, start=2):
            if member in office.scored_by:
                sheet.put(row, column, t("ให้คะแนนแล้ว", "scored"))
            elif member in office.missing:
                sheet.put(row, column, t("ขาด", "MISSING"), BOLD, MISSING_FILL)
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
    sheet.widths([30, *([14] * len(members)), 12, 12, 36])


# --------------------------------------------------------------------------- sources and audit


def _sources(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    labels = [
        t("หน่วยงาน", "Office"),
        t("รหัสหน่วยงาน", "Office id"),
        t("กรรมการ", "Member"),
        t("ข้อ", "No."),
        t("ประเด็นการประเมิน", "Criterion"),
        t("คะแนน", "Score"),
        t("นับในผลรวม", "Counted"),
        t("ไฟล์", "File"),
        "SHA-256",
        t("แผ่นงาน", "Sheet"),
        t("เซลล์", "Cell"),
    ]
    sheet.title(1, w.traceability(sheet.lang), len(labels), BOLD)
    head = 3
    sheet.header(head, labels)
    row = head + 1
    yes, no = t("นับ", "yes"), t("ไม่นับ", "no")
    for office in _rubric_order(result):
        for member in office.scored:
            for criterion in result.rubric.criteria:
                if criterion.id not in member.criteria:
                    continue
                where = member.cells.get(criterion.id, ("", ""))
                values: list[Value] = [
                    office.office.title(sheet.lang),
                    office.office.id,
                    member.member,
                    criterion.id,
                    criterion.title(sheet.lang),
                    None,
                    yes if member.member in office.counted else no,
                    member.file.name,
                    member.file.sha256,
                    where[0],
                    where[1],
                ]
                for column, value in enumerate(values, start=1):
                    sheet.put(row, column, value)
                sheet.number(row, 6, member.criteria[criterion.id])
                row += 1
    sheet.ws.auto_filter.ref = f"A{head}:{get_column_letter(len(labels))}{max(row - 1, head)}"
    sheet.widths([24, 16, 20, 7, 30, 9, 9, 40, SHA_WIDTH, 20, 8])


def _audit(sheet: Sheet, date: dt.date, provisional: bool, tool_version: str) -> None:
    result, t, lang = sheet.result, sheet.t, sheet.lang
    rubric = result.rubric
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
    sheet.widths([34, 20, SHA_WIDTH, 38, 30, 30])


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
        sheet.put(row, column, label, BOLD, HEAD_FILL).alignment = CENTRE
    sha_by_id = {f.id: f.sha256 for f in result.history}
    for stored in result.history:
        row += 1
        values: list[Value] = [
            stored.name,
            stored.member,
            stored.sha256,
            stored.workbook_id,
            w.imported(stored.imported_at, sheet.lang),
            w.file_status(stored.superseded_by, sha_by_id, sheet.lang),
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value, BODY if stored.superseded_by is None else MUTED)
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
        sheet.put(row, column, label, BOLD, HEAD_FILL).alignment = CENTRE
    for office in _rubric_order(result):
        row += 1
        left_out = [m for m in office.scored_by if m not in office.counted]
        values: list[Value] = [
            office.office.title(sheet.lang),
            office.office.id,
            w.office_method(office, sheet.lang),
            w.names(office.counted),
            w.names(left_out),
            w.office_tie(office, result, sheet.lang) or w.DASH,
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value)
