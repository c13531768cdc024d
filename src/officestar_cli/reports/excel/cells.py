"""The cell layer of the Excel report: fonts, fills, formats, and one worksheet's writer.

Every cell goes through XlsxWriter's public writers (``write_string``,
``write_number``, ``write_blank``, ``merge_range``): texts are shared strings,
never formulas, with Excel's text prefix when they start like one; numbers are
numbers, the shown value with a number format of the rubric's precision. Each
distinct format is made once. Rows are 1-based and columns 1-based here, as
Excel shows them; XlsxWriter counts from 0.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from officestar_cli.reports import wording as w
from officestar_cli.reports.text import safe_text, split_utf16
from officestar_cli.reports.wording import tr
from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.scoring.exact import shown

FONT = "TH SarabunPSK"
HEAD_FILL = "D9E2F3"
DIM_FILL = "EDEDED"
BANNER_FILL = "FFC7CE"
MISSING_COLOUR = "F8CBAD"
MISSING_FILL = MISSING_COLOUR
NONE_FILL = "F2F2F2"
BORDER_COLOUR = "999999"
FORMULA_LEADS = ("=", "+", "-", "@")
MAX_TEXT = 32767  # UTF-16 units in one Excel cell
CUT = "…"  # ends a text cut at MAX_TEXT, and a notes cell whose note goes on in the next row
DEFAULT_WIDTH = 8.43  # Excel's default column width, in widths of "0"
CHARACTERS_PER_WIDTH = 1.0  # TH SarabunPSK 14 pt characters per unit of column width
WORD_WRAP_LOSS = 1.25
LINE_SPACING = 1.7  # points of row height per point of font size: Thai marks stack above and below
BODY_HEIGHT = round(14 * LINE_SPACING, 1)

# Alignments
WRAP = "wrap"  # wrapped, top
CENTRE = "centre"  # wrapped, centred both ways (headers)
TOP_CENTRE = "top-centre"
LINE = "line"  # one line, top: the long tables, whose rows all have one height

Value = str | int | float | Decimal | None


class Font(NamedTuple):  # a tuple: hashed in C, and every cell looks its format up by it
    size: int = 14
    bold: bool = False
    italic: bool = False
    colour: str | None = None


BODY = Font()
BOLD = Font(bold=True)
TITLE = Font(size=18, bold=True)
MUTED = Font(italic=True, colour="7F7F7F")
BANNER = Font(size=16, bold=True, colour="9C0006")


def clean(text: str) -> str:
    """Text a cell can hold: no control characters (U+FFFD instead), cut with ``…`` at Excel's limit."""
    text = safe_text(text)
    head, rest = split_utf16(text, MAX_TEXT)
    return head if not rest else split_utf16(text, MAX_TEXT - len(CUT))[0] + CUT


class Styles:
    """Every cell format of the workbook, each made once: a format per distinct look."""

    def __init__(self, workbook: Any, number_format: str) -> None:
        self.workbook = workbook
        self.number_format = number_format
        self.cache: dict[tuple[Font, str | None, str, bool, bool, bool], Any] = {}

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


class Sheet:
    """One worksheet and what every writer into it needs: language, precision, styles."""

    def __init__(self, workbook: Any, styles: Styles, name: str, result: RoundResult, lang: str) -> None:
        self.ws: Any = workbook.add_worksheet(name)
        self.name = name
        self.styles = styles
        self.result = result
        self.lang = lang
        self.precision = result.rubric.precision
        self.number_format = styles.number_format
        self.column_widths: dict[int, float] = {}
        self.spans: dict[tuple[int, int], int] = {}  # merged (row, first column) -> last column
        self.texts: dict[int, list[tuple[int, str, Font]]] = {}  # for the row heights
        self.ws.set_default_row(BODY_HEIGHT)

    def t(self, th: str, en: str) -> str:
        return tr(self.lang, th, en)

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
        """Write one cell: text always as a (shared) string, numbers as numbers, ``None`` blank."""
        get = self.styles.get
        if isinstance(value, str):
            text = clean(value)
            self.ws.write_string(row - 1, column - 1, text, get(font, fill, align, border, False, _quoted(text)))
            self.texts.setdefault(row, []).append((column, text, font))
        elif value is None:
            self.ws.write_blank(row - 1, column - 1, None, get(font, fill, align, border))
        elif isinstance(value, Decimal):  # a shown Decimal (already half-up) gets the number format
            self.ws.write_number(row - 1, column - 1, float(value), get(font, fill, align, border, True))
        else:  # a count or a rubric constant: a plain number, shown as it is
            self.ws.write_number(row - 1, column - 1, value, get(font, fill, align, border))

    def number(
        self, row: int, column: int, value: Fraction | Decimal | None, font: Font = BODY, fill: str | None = None
    ) -> None:
        """A computed value, stored as its shown (half-up) value; a dash when there is none."""
        if value is None:
            self.put(row, column, w.DASH, font, fill)
            return
        style = self.styles.get(font, fill, WRAP, True, True)
        self.ws.write_number(row - 1, column - 1, shown_float(value, self.precision), style)

    def add_rows(self, first: int, numeric: Sequence[bool], rows: Iterable[Sequence[str | None]]) -> int:
        """Rows of one-line cells from row ``first`` on; return the next row.

        ``numeric`` says which columns hold numbers; their values come as the
        shown digits (``"4.25"``). Other values are texts. ``None`` is no cell.
        """
        get = self.styles.get
        text_style, quoted_style = get(BODY, None, LINE, True, False, False), get(BODY, None, LINE, True, False, True)
        number_style = get(BODY, None, LINE, True, True, False)
        write_string, write_number = self.ws.write_string, self.ws.write_number
        known: dict[str, tuple[str, Any]] = {}  # a text as written, and its format
        row = first - 1  # 0-based from here
        for values in rows:
            for column, value in enumerate(values):
                if value is None:
                    continue
                if numeric[column]:
                    write_number(row, column, float(value), number_style)
                    continue
                found = known.get(value)
                if found is None:
                    text = clean(value)
                    found = known[value] = (text, quoted_style if _quoted(text) else text_style)
                write_string(row, column, *found)
            row += 1
        return row + 1

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

    def span(
        self, row: int, first: int, last: int, text: str, font: Font = BODY, align: str = WRAP, border: bool = False
    ) -> None:
        """A text across columns ``first`` to ``last`` (merged when more than one)."""
        if last > first:
            self.ws.merge_range(row - 1, first - 1, row - 1, last - 1, "", self.styles.get(font, None, align, border))
            self.spans[(row, first)] = last
        self.put(row, first, text, font, None, align, border)

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
                self.ws.set_row(row - 1, height)

    def close(self) -> None:
        """Row heights and print setup: what is known only once every cell is written."""
        self.fit_rows()
        self.print_setup()

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
        contest = safe_text(result.rubric.title(self.lang))[:60].replace("&", "&&")
        when = self.t(
            f"ปีงบประมาณ พ.ศ. {result.fiscal_year} รอบที่ {result.round}",
            f"Fiscal year {result.fiscal_year} (BE), round {result.round}",
        )
        ws.set_header(f"&L{font}{contest}&R{font}{when}")
        ws.set_footer(f"&C{font}{self.t('หน้า &P / &N', 'Page &P of &N')}&R{font}&A")


def _quoted(text: str) -> bool:
    return text.startswith(FORMULA_LEADS)


def display_length(text: str) -> int:
    """Characters that take width: Thai vowel and tone marks stack on their consonant."""
    if text.isascii():
        return len(text)
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def wrapped_lines(length: int, per_line: int) -> int:
    """Lines a wrapped text takes; wrapping at word ends wastes about a fifth of each line."""
    if length <= per_line:
        return 1
    return math.ceil(length * WORD_WRAP_LOSS / per_line)


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


def shown_float(value: Fraction | Decimal, precision: int) -> float:
    """``float(shown_digits(value, precision))``, without the text: both round the same exact rational."""
    if isinstance(value, Decimal):
        return float(shown(value, precision))
    scale: int = 10**precision
    whole, remainder = divmod(value.numerator * scale, value.denominator)
    if 2 * remainder >= value.denominator:  # half-up on the exact rational, as exact.shown
        whole += 1
    return whole / scale  # a correctly rounded division: the float nearest the shown value


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
