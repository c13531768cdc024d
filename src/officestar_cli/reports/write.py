"""The round's reports: ``officestar-<FY>-round-<N>.xlsx``, ``.md`` and ``.html``, written together.

Both are built in memory first and both targets are checked before either is
written, so a report open in Excel (or read-only) is a clear error that leaves
the previous pair of reports exactly as they were.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from officestar_cli.base.atomic import atomic_write_all, bytes_writer, check_writable, text_writer
from officestar_cli.scoring.aggregate import RoundResult


def report_paths(result: RoundResult, out: Path) -> tuple[Path, Path, Path]:
    """The three report files in ``out`` (the folder written into, exactly)."""
    stem = f"officestar-{result.fiscal_year}-round-{result.round}"
    return out / f"{stem}.xlsx", out / f"{stem}.md", out / f"{stem}.html"


def write_reports(
    result: RoundResult,
    out: Path,
    *,
    lang: str,
    date: dt.date,
    provisional: bool,
    tool_version: str,
) -> list[Path]:
    """Write the Excel and Markdown reports of ``result`` into ``out``; return their paths.

    ``date`` is the generation date printed (in the Buddhist era) and stamped
    into the workbook: no clock is read, so the same round gives the same
    reports. A round with an incomplete office is always marked provisional.
    Raises ``OutputError`` when a target cannot be replaced (then none is).
    """
    # Heavy imports stay out of start-up: only commands that write reports pay for them.
    from officestar_cli.reports.excel import build_report
    from officestar_cli.reports.html import round_page
    from officestar_cli.reports.markdown import render_markdown

    xlsx_path, md_path, html_path = report_paths(result, out)
    for target in (xlsx_path, md_path, html_path):
        check_writable(target)
    provisional = provisional or not result.complete
    xlsx_bytes = build_report(result, lang=lang, date=date, provisional=provisional, tool_version=tool_version)
    text = render_markdown(result, lang=lang, date=date, provisional=provisional, tool_version=tool_version)
    page = round_page(result, lang=lang, date=date, provisional=provisional)
    # The three are written whole or not at all: a full disk leaves the previous ones as they were.
    atomic_write_all([(xlsx_path, bytes_writer(xlsx_bytes)), (md_path, text_writer(text)),
                      (html_path, text_writer(page))])
    return [xlsx_path, md_path, html_path]


__all__ = ["report_paths", "write_reports"]
