"""The report workbook put together: six sheets, the document properties and the report marker.

The workbook carries no clock: its properties are dated from the report date
and its zip entries from 1980-01-31 (XlsxWriter sets its temporary files' times), so the same
round gives the same bytes. Every report carries the custom document property
``REPORT_MARKER_PROPERTY``, by which a report saved into a folder of returned
workbooks is recognised and skipped (docs/design-reports.md, "Report marker").
"""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter  # type: ignore[import-untyped]

from officestar_cli.reports import wording as w
from officestar_cli.reports.agreement_sheet import agreement_sheet
from officestar_cli.reports.excel.audit import audit_sheet
from officestar_cli.reports.excel.cells import FONT, Sheet, Styles
from officestar_cli.reports.excel.grids import coverage_sheet, criteria_sheet, members_sheet
from officestar_cli.reports.excel.ranking import ranking_sheet
from officestar_cli.reports.excel.sources import sources_sheet
from officestar_cli.reports.text import safe_text
from officestar_cli.reports.wording import tr
from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.workbook.contract import REPORT_MARKER_PROPERTY


class Names:
    """Sheet names: Thai by default, English with ``lang="en"``."""

    def __init__(self, lang: str) -> None:
        self.ranking = tr(lang, "อันดับ", "Ranking")
        self.criteria = tr(lang, "รายเกณฑ์", "Criteria")
        self.members = tr(lang, "รายกรรมการ", "Members")
        self.coverage = tr(lang, "ความครบถ้วน", "Coverage")
        self.sources = tr(lang, "ที่มาของคะแนน", "Sources")
        self.audit = tr(lang, "ตรวจสอบ", "Audit")


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
    ranking_sheet(ranking, date, provisional)
    criteria_sheet(criteria)
    members_sheet(members)
    coverage_sheet(coverage)
    sources_sheet(sources)
    audit_sheet(audit, date, provisional, tool_version)
    sheets.append(agreement_sheet(workbook, styles, result, lang, names.sources))  # links into the sources
    for sheet in sheets:
        sheet.close()
    workbook.set_properties(
        {
            "title": safe_text(w.heading(result, lang)),
            "author": f"officestar {tool_version}",
            "created": dt.datetime.combine(date, dt.time(0)),
        }
    )
    workbook.set_custom_property(REPORT_MARKER_PROPERTY, f"officestar {tool_version}")
    workbook.close()
    return buffer.getvalue()
