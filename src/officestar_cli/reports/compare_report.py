"""The compare reports: ``officestar-<FY>-round-<N>-compare-<FY>-<N>.xlsx``, ``.md`` and ``.html``.

The earlier round is named first, the later one second (the order of ``--from`` and
``--to``). All three are built in memory, both targets checked, then written whole or not
at all (``base/atomic``). The HTML page draws its slope chart with ``reports.svg`` as the
round's page draws its charts: inline SVG, no script, no outside resource.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from fractions import Fraction
from pathlib import Path

from officestar_cli.base.atomic import atomic_write_all, bytes_writer, check_writable, text_writer
from officestar_cli.reports import svg
from officestar_cli.reports.compare_text import CompareText, compare_text, round_name, signed
from officestar_cli.reports.markdown import cell
from officestar_cli.reports.text import safe_text
from officestar_cli.reports.wording import tr
from officestar_cli.scoring.aggregate import OfficeResult
from officestar_cli.scoring.compare import Comparison, Move


def compare_paths(comparison: Comparison, out: Path) -> tuple[Path, Path, Path]:
    a, b = comparison.earlier, comparison.later
    stem = f"officestar-{a.fiscal_year}-round-{a.round}-compare-{b.fiscal_year}-{b.round}"
    return out / f"{stem}.xlsx", out / f"{stem}.md", out / f"{stem}.html"


def _table(headers: list[str], rows: list[list[str]], numeric: list[bool] | None = None) -> list[str]:
    align = ["---:" if numeric and numeric[i] else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def markdown(text: CompareText, tool_version: str) -> str:
    lines = [f"# {cell(text.title)}", "", f"**{cell(text.heading)}** · {cell(text.labels['date'])} {cell(text.date)}",
             ""]
    lines += [f"- {cell(note)}" for note in text.notes]
    lines += ["", f"## {cell(text.labels['offices'])}", "", *_table(text.headers, text.rows, text.numeric)]
    for title, columns, rows in text.parts:
        lines += ["", f"## {cell(title)}", "", *_table(columns, rows, [False] + [True] * (len(columns) - 1))]
    lines += ["", f"## {cell(text.labels['not_compared'])}", ""]
    lines += _table(text.not_compared_headers, text.not_compared) if text.not_compared else [text.labels["none"]]
    lines += ["", f"officestar {cell(tool_version)}", ""]
    return safe_text("\n".join(lines))


def _kind(move: Move) -> str:
    if move.delta_total is None:
        return "single"
    if move.within_noise or move.delta_total == 0:
        return "noise"
    return "down" if move.delta_total < 0 else "up"


def _after_caption(late: OfficeResult | None, move: Move, precision: int) -> str:
    if late is None or late.shown is None:
        return ""
    if move.delta_total is None:
        return format(late.shown, "f")
    return f"{late.shown:f} ({signed(move.delta_total, precision)})"


def _slopes(comparison: Comparison, lang: str) -> tuple[list[svg.Slope], tuple[Fraction, Fraction]]:
    before_rubric, after_rubric = comparison.earlier.rubric, comparison.later.rubric
    scale = Fraction(after_rubric.total) / Fraction(before_rubric.total) if comparison.basis == "share" else 1
    slopes, values = [], []
    for move in comparison.moves:
        early = move.earlier if move.earlier is not None and move.earlier.complete else None
        late = move.later if move.later is not None and move.later.complete else None
        a = None if early is None or early.shown is None else Fraction(early.shown) * scale
        b = None if late is None or late.shown is None else Fraction(late.shown)
        if a is None and b is None:
            continue
        values += [v for v in (a, b) if v is not None]
        slopes.append(svg.Slope(move.name(lang), a, b,
                                "" if early is None else format(early.shown, "f"),
                                _after_caption(late, move, comparison.precision),
                                _kind(move)))
    top = Fraction(after_rubric.total)
    if not values:
        return slopes, (Fraction(0), top)
    low = max(Fraction(0), Fraction((min(values) // 10) * 10))
    high = min(top, Fraction(-((-max(values)) // 10) * 10))
    return slopes, (low, high if high > low else low + 10)


def html_page(comparison: Comparison, text: CompareText, lang: str) -> str:
    from officestar_cli.reports.html import environment

    slopes, bounds = _slopes(comparison, lang)
    bands = [(Fraction(t.min), t.title(lang)) for t in comparison.later.rubric.tiers]
    chart = svg.slope_chart(slopes, bounds, (round_name(comparison.earlier, lang), round_name(comparison.later, lang)),
                            bands, text.heading)
    page = environment().get_template("compare.html.j2").render({"lang": lang, "text": text, "chart": chart})
    return safe_text(page)


def workbook_bytes(text: CompareText, lang: str, date: dt.date, tool_version: str) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    from officestar_cli.reports.excel.cells import FONT, clean
    from officestar_cli.workbook.contract import REPORT_MARKER_PROPERTY

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": False, "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False,
                                        "default_format_properties": {"font_name": FONT, "font_size": 14}})
    bold = book.add_format({"bold": True, "font_name": FONT, "font_size": 14})
    head = book.add_format({"bold": True, "font_name": FONT, "font_size": 14, "bg_color": "#D9E2F3",
                            "border": 1, "text_wrap": True, "valign": "top"})
    body = book.add_format({"font_name": FONT, "font_size": 14, "border": 1, "valign": "top"})
    right = book.add_format({"font_name": FONT, "font_size": 14, "border": 1, "align": "right"})

    def sheet(name: str, title: str, headers: list[str], rows: list[list[str]], numeric: list[bool],
              notes: list[str]) -> None:
        ws = book.add_worksheet(name)
        ws.write_string(0, 0, clean(title), bold)
        for i, note in enumerate(notes, start=1):
            ws.write_string(i, 0, clean(note))
        start = len(notes) + 2
        for j, header in enumerate(headers):
            ws.write_string(start, j, clean(header), head)
            ws.set_column(j, j, 12 if numeric[j] else 24)
        for i, row in enumerate(rows, start=start + 1):
            for j, value in enumerate(row):
                ws.write_string(i, j, clean(value), right if numeric[j] else body)
        ws.freeze_panes(start + 1, 0)

    t = functools.partial(tr, lang)
    sheet(t("การเปลี่ยนแปลง", "Moves"), f"{text.title} · {text.heading} · {text.labels['date']} {text.date}",
          text.headers, text.rows, text.numeric, text.notes)
    for (title, columns, rows), name in zip(text.parts, (t("รายด้าน", "Dimensions"), t("รายข้อ", "Criteria")),
                                            strict=False):
        sheet(name, title, columns, rows, [False] + [True] * (len(columns) - 1), [])
    sheet(t("ที่เทียบไม่ได้", "Not compared"), text.labels["not_compared"], text.not_compared_headers,
          text.not_compared, [False] * 5, [] if text.not_compared else [text.labels["none"]])
    book.set_properties({"title": clean(text.heading), "author": f"officestar {tool_version}",
                         "created": dt.datetime.combine(date, dt.time(0))})
    book.set_custom_property(REPORT_MARKER_PROPERTY, f"officestar {tool_version}")
    book.close()
    return buffer.getvalue()


def write_compare_reports(comparison: Comparison, out: Path, *, lang: str, date: dt.date,
                          tool_version: str) -> list[Path]:
    """Write the three compare reports into ``out``; ``OutputError`` when one cannot be (then none is)."""
    xlsx_path, md_path, html_path = compare_paths(comparison, out)
    for target in (xlsx_path, md_path, html_path):
        check_writable(target)
    text = compare_text(comparison, lang, date)
    atomic_write_all([(xlsx_path, bytes_writer(workbook_bytes(text, lang, date, tool_version))),
                      (md_path, text_writer(markdown(text, tool_version))),
                      (html_path, text_writer(html_page(comparison, text, lang)))])
    return [xlsx_path, md_path, html_path]


__all__ = ["compare_paths", "html_page", "markdown", "workbook_bytes", "write_compare_reports"]
