"""The ranking sheet's column chart: the totals of the ranked offices, coloured by tier.

The series points at the ranking sheet's cells; XlsxWriter takes the values
Excel shows before it recalculates from the cells written there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from officestar_cli.reports.excel.cells import BODY_HEIGHT, FONT, Sheet

CHART_SIZE = (983, 416)  # pixels: 26 cm by 11 cm


def add_chart(sheet: Sheet, head: int, total_column: int, colours: Sequence[str], anchor_row: int) -> int:
    """A chart of the ``len(colours)`` ranked offices below the header row ``head`` (1-based).

    Returns the first row below the chart (``anchor_row`` when there is none).
    """
    if not colours:
        return anchor_row
    chart = sheet.styles.workbook.add_chart({"type": "column"})
    font = {"name": FONT}
    last = head + len(colours)  # 0-based below
    chart.add_series(
        {
            "name": [sheet.name, head - 1, total_column - 1],
            "categories": [sheet.name, head, 1, last - 1, 1],
            "values": [sheet.name, head, total_column - 1, last - 1, total_column - 1],
            "points": [{"fill": {"color": "#" + colour}} for colour in colours],
        }
    )
    chart.set_title({"name": sheet.t("คะแนนรวมของหน่วยงานที่จัดอันดับ", "Totals of the ranked offices"), "name_font": font})
    chart.set_y_axis(
        {
            "name": sheet.t("คะแนนรวม", "Total"),
            "name_font": font,
            "num_font": font,
            "min": 0,
            "max": float(sheet.result.rubric.total),
            "num_format": sheet.number_format,
        }
    )
    chart.set_x_axis({"num_font": font})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    sheet.ws.insert_chart(f"B{anchor_row}", chart)
    row_pixels = BODY_HEIGHT * 4 / 3  # the rows below the table keep the default height
    return anchor_row + math.ceil(CHART_SIZE[1] / row_pixels)
