"""The Excel report: ranking with a chart, criteria, members, coverage, sources, audit.

Numbers are stored as numbers (the shown value, with a number format of the
rubric's precision); every text that came from a user is stored as a shared
string, never as a formula, with Excel's text prefix when it starts like one.
The workbook carries no clock: its properties are dated from the report date
and its zip entries from 1980-01-31 (XlsxWriter sets its temporary files'
times), so the same round gives the same bytes.

XlsxWriter writes the package: styles, shared strings, merges, print setup,
the chart. The cells themselves are rendered here, straight to SpreadsheetML
(``_Worksheet``): XlsxWriter keeps an object per cell and writes each through
its XML writer, about 7 µs a cell, and a national round has 250,000 scores.
Each distinct format is made once, and each row of the long sources table
(one row per member and office) is rendered as one string.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from officestar_cli.reports import wording as w
from officestar_cli.reports.wording import tr
from officestar_cli.scoring.aggregate import MemberScores, OfficeResult, RoundResult
from officestar_cli.scoring.exact import shown

FONT = "TH SarabunPSK"
HEAD_FILL = "D9E2F3"
DIM_FILL = "EDEDED"
BANNER_FILL = "FFC7CE"
MISSING_COLOUR = "F8CBAD"
MISSING_FILL = MISSING_COLOUR
NONE_FILL = "F2F2F2"
TIER_COLOURS = ("FFD966", "A9D08E", "9DC3E6", "D9D2E9", "F4B183")
NO_TIER_COLOUR = "D9D9D9"
BORDER_COLOUR = "999999"
FORMULA_LEADS = ("=", "+", "-", "@")
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl: not allowed in XML
MAX_TEXT = 32767  # characters in one Excel cell
DEFAULT_WIDTH = 8.43  # Excel's default column width, in widths of "0"
CHARACTERS_PER_WIDTH = 1.0  # TH SarabunPSK 14 pt characters per unit of column width
WORD_WRAP_LOSS = 1.25
SHA_WIDTH = 82  # a SHA-256 in hex on one line
FILE_COLUMN = 5  # 0-based, in the sources sheet: file names (paths) get more room than other texts
AUDIT_COLUMNS = 6
LINE_SPACING = 1.7  # points of row height per point of font size: Thai marks stack above and below
BODY_HEIGHT = round(14 * LINE_SPACING, 1)
CHART_SIZE = (983, 416)  # pixels: 26 cm by 11 cm

# Alignments
WRAP = "wrap"  # wrapped, top
CENTRE = "centre"  # wrapped, centred both ways (headers)
TOP_CENTRE = "top-centre"
LINE = "line"  # one line, top: the long tables, whose rows all have one height

Value = str | int | float | Decimal | None


@dataclass(frozen=True)
class Font:
    size: int = 14
    bold: bool = False
    italic: bool = False
    colour: str | None = None


BODY = Font()
BOLD = Font(bold=True)
TITLE = Font(size=18, bold=True)
MUTED = Font(italic=True, colour="7F7F7F")
BANNER = Font(size=16, bold=True, colour="9C0006")


class Names:
    """Sheet names: Thai by default, English with ``lang="en"``."""

    def __init__(self, lang: str) -> None:
        self.ranking = tr(lang, "อันดับ", "Ranking")
        self.criteria = tr(lang, "รายเกณฑ์", "Criteria")
        self.members = tr(lang, "รายกรรมการ", "Members")
        self.coverage = tr(lang, "ความครบถ้วน", "Coverage")
        self.sources = tr(lang, "ที่มาของคะแนน", "Sources")
        self.audit = tr(lang, "ตรวจสอบ", "Audit")


def clean(text: str) -> str:
    """Text Excel can hold: no XML-illegal control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:MAX_TEXT]


class Styles:
    """Every cell format of the workbook, each made once: a format per distinct look."""

    def __init__(self, workbook: Any, number_format: str) -> None:
        self.workbook = workbook
        self.number_format = number_format
        self.cache: dict[tuple[Font, str | None, str, bool, bool, bool], Any] = {}
        self.indices: dict[tuple[Font, str | None, str, bool, bool, bool], int] = {}

    def get(
        self,
        font: Font = BODY,
        fill: str | None = None,
        align: str = WRAP,
        border: bool = True,
        number: bool = False,
        quote: bool = False,
    ) -> Any:
        key = (font, fill, align, border, number, quote)
        found = self.cache.get(key)
        if found is not None:
            return found
        properties: dict[str, Any] = {"font_name": FONT, "font_size": font.size, "valign": "top"}
        if font.bold:
            properties["bold"] = True
        if font.italic:
            properties["italic"] = True
        if font.colour:
            properties["font_color"] = "#" + font.colour
        if fill:
            properties.update(pattern=1, bg_color="#" + fill)
        if align != LINE:
            properties["text_wrap"] = True
        if align == CENTRE:
            properties.update(align="center", valign="vcenter")
        elif align == TOP_CENTRE:
            properties["align"] = "center"
        if border:
            properties.update(border=1, border_color="#" + BORDER_COLOUR)
        if number:
            properties["num_format"] = self.number_format
        if quote:
            properties["quote_prefix"] = True  # "=..." typed by a user shows as text, even when edited
        made = self.workbook.add_format(properties)
        self.cache[key] = made
        return made

    def xf(self, font: Font, fill: str | None, align: str, border: bool, number: bool, quote: bool) -> int:
        """The index of a format in the workbook's styles, for a rendered cell."""
        key = (font, fill, align, border, number, quote)
        found = self.indices.get(key)
        if found is None:
            found = self.indices[key] = int(self.get(font, fill, align, border, number, quote)._get_xf_index())
        return found


class _Worksheet(Worksheet):  # type: ignore[misc]
    """An XlsxWriter worksheet whose cells are rendered by ``Sheet``, not by XlsxWriter.

    ``cells`` holds each row's cells as SpreadsheetML by column (0-based);
    XlsxWriter still writes everything around them (dimension, panes, columns,
    merges, filter, print setup, drawing).
    """

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[int, dict[int, str]] = {}
        self.heights: dict[int, float] = {}

    def _write_rows(self) -> None:
        # Written once, at close: each row leaves memory as it goes to the temporary file.
        write = self.fh.write
        heights = self.heights
        for row in sorted(self.cells):
            height = heights.get(row)
            size = "" if height is None else f' ht="{height}" customHeight="1"'
            cells = self.cells.pop(row)
            write(f'<row r="{row + 1}"{size}>{"".join(cells[c] for c in sorted(cells))}</row>')


class Sheet:
    """One worksheet and what every writer into it needs: language, precision, styles.

    Rows and columns are 1-based, as Excel shows them.
    """

    def __init__(self, workbook: Any, styles: Styles, name: str, result: RoundResult, lang: str) -> None:
        self.ws: _Worksheet = workbook.add_worksheet(name, worksheet_class=_Worksheet)
        self.name = name
        self.styles = styles
        self.strings = workbook.str_table
        self.result = result
        self.lang = lang
        self.precision = result.rubric.precision
        self.number_format = styles.number_format
        self.column_widths: dict[int, float] = {}
        self.spans: dict[tuple[int, int], int] = {}  # merged (row, first column) -> last column
        self.texts: dict[int, list[tuple[int, str, Font]]] = {}  # for the row heights
        self.letters: list[str] = [""]
        self.last = (1, 1)  # bottom-right cell written
        self.ws.set_default_row(BODY_HEIGHT)

    def t(self, th: str, en: str) -> str:
        return tr(self.lang, th, en)

    def letter(self, column: int) -> str:
        letters = self.letters
        while len(letters) <= column:
            letters.append(xl_col_to_name(len(letters) - 1))
        return letters[column]

    def string(self, text: str) -> tuple[str, bool]:
        """A text's shared-string index, and whether it starts like a formula."""
        text = clean(text)
        return str(self.strings._get_shared_string_index(text)), text.startswith(FORMULA_LEADS)

    def put(
        self,
        row: int,
        column: int,
        value: Value,
        font: Font = BODY,
        fill: str | None = None,
        align: str = WRAP,
        border: bool = True,
    ) -> None:
        """Write one cell: text always as a shared string, numbers as numbers."""
        ref = f"{self.letter(column)}{row}"
        get = self.styles.xf
        if isinstance(value, str):
            text = clean(value)
            index = self.strings._get_shared_string_index(text)
            style = get(font, fill, align, border, False, text.startswith(FORMULA_LEADS))
            xml = f'<c r="{ref}" s="{style}" t="s"><v>{index}</v></c>'
            self.texts.setdefault(row, []).append((column, text, font))
        elif value is None:
            xml = f'<c r="{ref}" s="{get(font, fill, align, border, False, False)}"/>'
        else:
            # A shown Decimal (already half-up to the precision) gets the number format.
            if isinstance(value, Decimal):
                style, digits = get(font, fill, align, border, True, False), format(value, "f")
            else:
                style, digits = get(font, fill, align, border, False, False), repr(value)
            xml = f'<c r="{ref}" s="{style}"><v>{digits}</v></c>'
            # A number fits its line: no column narrower than 8 characters holds one.
        self.ws.cells.setdefault(row - 1, {})[column - 1] = xml
        if row > self.last[0] or column > self.last[1]:
            self.last = (max(row, self.last[0]), max(column, self.last[1]))

    def number(
        self, row: int, column: int, value: Fraction | Decimal | None, font: Font = BODY, fill: str | None = None
    ) -> None:
        """A computed value, stored as its shown (half-up) value; a dash when there is none."""
        if value is None:
            self.put(row, column, w.DASH, font, fill)
            return
        style = self.styles.xf(font, fill, WRAP, True, True, False)
        digits = shown_digits(value, self.precision)
        self.ws.cells.setdefault(row - 1, {})[column - 1] = (
            f'<c r="{self.letter(column)}{row}" s="{style}"><v>{digits}</v></c>'
        )
        if row > self.last[0] or column > self.last[1]:
            self.last = (max(row, self.last[0]), max(column, self.last[1]))

    def add_rows(self, first: int, numeric: Sequence[bool], rows: Iterable[Sequence[str | None]]) -> int:
        """Rows of one-line cells from row ``first`` on, each row one string; return the next row.

        ``numeric`` says which columns hold numbers; their values come as the
        shown digits (``"4.25"``). Other values are texts. ``None`` is no cell.
        """
        get = self.styles.xf
        text_style, quoted_style = get(BODY, None, LINE, True, False, False), get(BODY, None, LINE, True, False, True)
        number_style = get(BODY, None, LINE, True, True, False)
        letters = [self.letter(column) for column in range(1, len(numeric) + 1)]
        known: dict[str, str] = {}  # text -> its cell's attributes and value, without the reference
        cells = self.ws.cells
        row = first
        for values in rows:
            parts = []
            for index, value in enumerate(values):
                if value is None:
                    continue
                if numeric[index]:
                    parts.append(f'<c r="{letters[index]}{row}" s="{number_style}"><v>{value}</v></c>')
                    continue
                tail = known.get(value)
                if tail is None:
                    shared, quoted = self.string(value)
                    tail = known[value] = f'" s="{quoted_style if quoted else text_style}" t="s"><v>{shared}</v></c>'
                parts.append(f'<c r="{letters[index]}{row}{tail}')
            cells[row - 1] = {0: "".join(parts)}
            row += 1
        if row > first:
            self.last = (max(row - 1, self.last[0]), max(len(numeric), self.last[1]))
        return row

    def header(self, row: int, labels: Sequence[str], *, freeze_columns: int = 0) -> None:
        for column, label in enumerate(labels, start=1):
            self.put(row, column, label, BOLD, HEAD_FILL, CENTRE)
        self.ws.repeat_rows(row - 1)
        self.ws.freeze_panes(row, freeze_columns)

    def title(self, row: int, text: str, width: int, font: Font = TITLE, fill: str | None = None) -> None:
        if width > 1:
            self.ws.merge_range(row - 1, 0, row - 1, width - 1, "", self.styles.get(font, fill, border=False))
            self.spans[(row, 1)] = width
        self.put(row, 1, text, font, fill, border=False)

    def fact(self, row: int, label: str, value: str | int, width: int) -> None:
        """A label and a long value merged across ``width`` columns (the audit's facts)."""
        self.put(row, 1, label, BOLD, HEAD_FILL)
        self.ws.merge_range(row - 1, 1, row - 1, width - 1, "", self.styles.get())
        self.spans[(row, 2)] = width
        self.put(row, 2, value)

    def column_width(self, column: int) -> float:
        return self.column_widths.get(column, DEFAULT_WIDTH)

    def widths(self, widths: Sequence[float]) -> None:
        for column, width in enumerate(widths, start=1):
            self.column_widths[column] = width
            self.ws.set_column(column - 1, column - 1, width)

    def fit_rows(self) -> None:
        """Give every row the height its wrapped text needs: Excel does not grow rows itself."""
        per_line: dict[tuple[int, Font], int] = {}
        lengths: dict[str, int] = {}

        def characters(row: int, column: int, font: Font) -> int:
            last = self.spans.get((row, column))
            if last is None and (column, font) in per_line:
                return per_line[(column, font)]
            columns = range(column, (last or column) + 1)
            width = sum(self.column_width(c) for c in columns)
            fitted = max(1, int(width * CHARACTERS_PER_WIDTH * 14 / (font.size * (1.15 if font.bold else 1.0))))
            if last is None:
                per_line[(column, font)] = fitted
            return fitted

        for row, cells in self.texts.items():
            lines, size = 1, BODY.size
            for column, text, font in cells:
                fitted = characters(row, column, font)
                needed = 0
                for part in text.split("\n"):
                    length = lengths.get(part)
                    if length is None:
                        length = lengths[part] = display_length(part)
                    needed += wrapped_lines(length, fitted)
                lines = max(lines, needed)
                size = max(size, font.size)
            height = round(lines * size * LINE_SPACING, 1)
            if height != BODY_HEIGHT:
                self.ws.heights[row - 1] = height

    def close(self) -> None:
        """Row heights, print setup and the used range: what XlsxWriter needs before it writes."""
        self.fit_rows()
        self.print_setup()
        self.ws._check_dimensions(0, 0)
        self.ws._check_dimensions(self.last[0] - 1, self.last[1] - 1)

    def print_setup(self) -> None:
        """A4 landscape, fitted to the page width, header and page numbers in the footer."""
        ws = self.ws
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4)
        result = self.result
        font = f'&"{FONT},Regular"'
        # & starts a code; Excel keeps at most 255 characters of a header, XlsxWriter drops a longer one.
        contest = result.rubric.title(self.lang)[:60].replace("&", "&&")
        when = self.t(
            f"ปีงบประมาณ พ.ศ. {result.fiscal_year} รอบที่ {result.round}",
            f"Fiscal year {result.fiscal_year} (BE), round {result.round}",
        )
        ws.set_header(f"&L{font}{contest}&R{font}{when}")
        ws.set_footer(f"&C{font}{self.t('หน้า &P / &N', 'Page &P of &N')}&R{font}&A")


def display_length(text: str) -> int:
    """Characters that take width: Thai vowel and tone marks stack on their consonant."""
    if text.isascii():
        return len(text)
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def shown_digits(value: Fraction | Decimal, precision: int) -> str:
    """``exact.shown`` as text (``"4.25"``), by whole numbers alone: the criteria sheet has 23,000."""
    if isinstance(value, Decimal):
        return format(shown(value, precision), "f")
    whole, remainder = divmod(value.numerator * 10**precision, value.denominator)
    if 2 * remainder >= value.denominator:  # half-up on the exact rational, as exact.shown
        whole += 1
    sign, digits = ("-", str(-whole)) if whole < 0 else ("", str(whole))
    if precision == 0:
        return sign + digits
    digits = digits.rjust(precision + 1, "0")
    return f"{sign}{digits[:-precision]}.{digits[-precision:]}"


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


class Digits(dict[int | None, str | None]):
    """Scores of whole units of one scale (``units / scale``) as their shown digits.

    ``exact.shown`` as text, remembered: a round repeats the same few scores
    thousands of times. ``None`` (no score) stays ``None``.
    """

    def __init__(self, scale: int, precision: int) -> None:
        super().__init__()
        self.scale = scale
        self.precision = precision

    def __missing__(self, units: int | None) -> str | None:
        text = None if units is None else format(shown(Fraction(units, self.scale), self.precision), "f")
        self[units] = text
        return text


# --------------------------------------------------------------------------- the workbook


def build_report(result: RoundResult, *, lang: str, date: dt.date, provisional: bool, tool_version: str) -> bytes:
    """The report workbook's bytes (its parts pass through temporary files, not ``out``)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            # Parts go through temporary files: in memory, XlsxWriter would hold each
            # worksheet's XML three times (tens of MB for a national round). Either way
            # their zip entries are dated 1980, not from the clock.
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": 14},
        },
    )
    precision = result.rubric.precision
    styles = Styles(workbook, "0" if precision == 0 else "0." + "0" * precision)
    names = Names(lang)
    sheets = [
        Sheet(workbook, styles, name, result, lang)
        for name in (names.ranking, names.criteria, names.members, names.coverage, names.sources, names.audit)
    ]
    ranking, criteria, members, coverage, sources, audit = sheets
    _ranking(ranking, date, provisional)
    _criteria(criteria)
    _members(members)
    _coverage(coverage)
    _sources(sources)
    _audit(audit, date, provisional, tool_version)
    from officestar_cli.reports.agreement_sheet import agreement_sheet  # after the others: it links to sources

    sheets.append(agreement_sheet(workbook, styles, result, lang, names.sources))
    for sheet in sheets:
        sheet.close()
    workbook.set_properties(
        {
            "title": w.heading(result, lang),
            "author": f"officestar {tool_version}",
            "created": dt.datetime.combine(date, dt.time(0)),
        }
    )
    workbook.close()
    return buffer.getvalue()


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
    _chart(sheet, head, total_column, labels[total_column - 1], last + 3)


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


def _chart(sheet: Sheet, head: int, total_column: int, label: str, anchor_row: int) -> None:
    result = sheet.result
    ranked = [o for o in result.offices if o.rank is not None]
    if not ranked:
        return
    chart = sheet.styles.workbook.add_chart({"type": "column"})
    font = {"name": FONT}
    last = head + len(ranked)  # ranked offices come first; 0-based below
    chart.add_series(
        {
            "name": [sheet.name, head - 1, total_column - 1],
            "categories": [sheet.name, head, 1, last - 1, 1],
            "values": [sheet.name, head, total_column - 1, last - 1, total_column - 1],
            # The cached values Excel shows before it recalculates: the cells are not XlsxWriter's.
            "name_data": [label],
            "categories_data": [clean(office.office.title(sheet.lang)) for office in ranked],
            "values_data": [float(office.shown or 0) for office in ranked],
            "points": [{"fill": {"color": "#" + tier_colour(office, result)}} for office in ranked],
        }
    )
    chart.set_title({"name": sheet.t("คะแนนรวมของหน่วยงานที่จัดอันดับ", "Totals of the ranked offices"), "name_font": font})
    chart.set_y_axis(
        {
            "name": sheet.t("คะแนนรวม", "Total"),
            "name_font": font,
            "num_font": font,
            "min": 0,
            "max": float(result.rubric.total),
            "num_format": sheet.number_format,
        }
    )
    chart.set_x_axis({"num_font": font})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    sheet.ws.insert_chart(f"B{anchor_row}", chart)


# --------------------------------------------------------------------------- criteria


def _criteria(sheet: Sheet) -> None:
    result, t = sheet.result, sheet.t
    rubric = result.rubric
    offices = _rubric_order(result)
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
    for row, office in enumerate(_rubric_order(result), start=head + 1):
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
    sheet.widths([30, *([14] * len(members)), 12, 12, 36])
    sheet.title(1, t("กรรมการคนใดให้คะแนนหน่วยงานใดแล้ว", "Which member scored which office"), len(labels))
    head = 3
    sheet.header(head, labels, freeze_columns=1)
    for row, office in enumerate(_rubric_order(result), start=head + 1):
        sheet.put(row, 1, office.office.title(sheet.lang), BOLD)
        scored, missing = set(office.scored_by), set(office.missing)
        for column, member in enumerate(members, start=2):
            if member in scored:
                sheet.put(row, column, t("ให้คะแนนแล้ว", "scored"))
            elif member in missing:
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


# --------------------------------------------------------------------------- sources and audit


_CELL = re.compile(r"([A-Z]+)([0-9]+)")


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


def _sources(sheet: Sheet) -> None:
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
    first_score = 9  # 0-based: the first criterion's column
    numeric = [index == 4 or first_score <= index < first_score + len(criteria) for index in range(len(labels))]
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
    head = 3
    rows: list[list[str | None]] = []
    yes, no = t("นับ", "yes"), t("ไม่นับ", "no")
    digits: dict[int, Digits] = {}  # by scale
    places: dict[tuple[Any, ...], tuple[str, str]] = {}
    for office in _rubric_order(result):
        title, office_id, counted = office.office.title(lang), office.office.id, set(office.counted)
        for member in office.scored:
            units, notes = member.units, member.notes
            shown_as = digits.get(member.scale) or digits.setdefault(
                member.scale, Digits(member.scale, sheet.precision)
            )
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
                    "; ".join(f"{c}: {notes[c]}" for c in criteria if notes.get(c)) if notes else None,
                ]
            )
    sheet.widths(_fitted_widths(labels, rows, numeric))
    sheet.header(head, labels, freeze_columns=3)
    end = sheet.add_rows(head + 1, numeric, rows)
    sheet.ws.autofilter(head - 1, 0, end - 2, width - 1)


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


def _audit(sheet: Sheet, date: dt.date, provisional: bool, tool_version: str) -> None:
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
        sheet.put(row, column, label, BOLD, HEAD_FILL, CENTRE)
    ties = w.Ties(result)
    for office in _rubric_order(result):
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
