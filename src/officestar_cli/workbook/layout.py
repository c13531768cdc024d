"""Row heights that fit their text, for the blank workbook's printed and on-screen form.

Excel and LibreOffice do not grow a row for wrapped text written by a program,
and a row left at the default 15 pt under a 16 pt Thai font clips the marks
above and below the line. So every row gets an explicit height from an estimate
of the lines its cells need at their font size. The estimate is deliberately
generous (TH SarabunPSK and its metric twin Laksaman; docs/sheet-format.md,
"Printing"), and a LibreOffice rendering test checks that every word lands
inside its cell.
"""

from __future__ import annotations

import math
import unicodedata

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters of the default font
_POINTS_PER_WIDTH = 5.25  # one unit of column width, in points (7 pixels at 96 dpi is 5.25 pt)
_ADVANCE = 0.58  # the average advance of a Thai or Latin character, in em (measured 0.49–0.58)
_BOLD_ADVANCE = 0.62
LINE_SPACING = 1.75  # line pitch of TH SarabunPSK and Laksaman, in em (measured 1.67)
PADDING = 4.0  # points above and below the text


def shown_length(text: str) -> int:
    """Characters that take room on a line: Thai vowels and tone marks above or below do not."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def lines_needed(text: str, width_points: float, size: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width_points`` wide."""
    per_line = max(1, int((width_points - 4) / (size * (_BOLD_ADVANCE if bold else _ADVANCE))))
    return sum(max(1, math.ceil(shown_length(line) / per_line)) for line in text.split("\n"))


def _width_points(sheet: Worksheet, first: int, last: int) -> float:
    total = 0.0
    for index in range(first, last + 1):
        width = sheet.column_dimensions[get_column_letter(index)].width
        total += (width if width else DEFAULT_WIDTH) * _POINTS_PER_WIDTH
    return total


def fit_rows(sheet: Worksheet, minimum: float = 0.0) -> None:
    """Give every row that holds text an explicit height that fits it (never lower than ``minimum``)."""
    spans: dict[tuple[int, int], int] = {}
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = merged.max_col
    heights: dict[int, float] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value)
            if text.startswith("="):
                text = "0000.00"  # a formula shows a number
            font = cell.font
            size = float(font.sz or 11)
            column = column_index_from_string(cell.column_letter)
            width = _width_points(sheet, column, spans.get((cell.row, column), column))
            wraps = bool(cell.alignment.wrap_text)
            lines = lines_needed(text, width, size, bold=bool(font.b)) if wraps else text.count("\n") + 1
            needed = lines * size * LINE_SPACING + PADDING
            heights[cell.row] = max(heights.get(cell.row, minimum), needed)
    for number, height in heights.items():
        sheet.row_dimensions[number].height = round(height, 1)
