"""Each office's own report: ``officestar-<FY>-round-<N>-feedback-<office id>.{xlsx,md,html,pdf}``.

Every target is checked and the xlsx, Markdown and HTML of every office built in
memory before any is written, as for the round's reports. The PDF (set by the
documents' engine, ``reports.documents.feedback``) needs a Thai font: without
one the other three are written all the same and the PDF is refused with the
documents' message (exit 2, what to install; docs/documents.md).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from officestar_cli.base.atomic import atomic_write_all, bytes_writer, check_writable, text_writer
from officestar_cli.reports.feedback import Feedback, feedback_for
from officestar_cli.reports.text import safe_text
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult
from officestar_cli.workbook.contract import REPORT_MARKER_PROPERTY

SUFFIXES = ("xlsx", "md", "html", "pdf")
_KEPT = ("ไฟล์ xlsx, md และ html", "the xlsx, md and html")


def feedback_stem(result: RoundResult, office_id: str) -> str:
    return f"officestar-{result.fiscal_year}-round-{result.round}-feedback-{office_id}"


def _markdown(context: dict[str, Any]) -> str:
    from officestar_cli.reports.markdown import environment

    return environment().get_template("feedback.md.j2").render(context)


def _workbook(context: dict[str, Any], date: dt.date) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": context["heading"], "created": dt.datetime.combine(date, dt.time())})  # no clock
    book.set_custom_property(REPORT_MARKER_PROPERTY, "feedback")
    font = {"font_name": "TH SarabunPSK", "font_size": 16, "valign": "top", "text_wrap": True}
    plain = book.add_format(font)
    bold = book.add_format({**font, "bold": True})
    head = book.add_format({**font, "bold": True, "bg_color": "#EEF2F6", "border": 1})
    cell = book.add_format({**font, "border": 1})
    number = book.add_format({**font, "border": 1, "align": "right"})
    labels = context["labels"]
    sheet = book.add_worksheet(labels["table"][:31])
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 5, 16)
    sheet.write_string(0, 0, context["heading"], bold)
    sheet.write_string(1, 0, f"{context['title']} · {labels['date']} {context['date']}", plain)
    sheet.write_string(2, 0, f"{labels['total']} {context['total']} / {context['total_max']} · "
                             f"{labels['tier']} {context['tier']} · {context['status']}", plain)
    columns = ["criterion", "max", "score", "share", "median", "gap"]
    for col, key in enumerate(columns):
        sheet.write_string(4, col, labels[key], head)
    for row, line in enumerate(context["lines"], start=5):
        sheet.write_string(row, 0, f"{line['id']} {line['criterion']}", cell)
        for col, key in enumerate(columns[1:], start=1):
            sheet.write_string(row, col, line[key], number)
    row = 6 + len(context["lines"])
    for key in ("strengths", "weaknesses"):
        sheet.write_string(row, 0, labels[key], bold)
        row += 1
        for item in context[key] or [labels["none"]]:
            sheet.write_string(row, 0, item, plain)
            row += 1
        row += 1
    notes = book.add_worksheet(labels["notes"][:31])
    notes.set_column(0, 1, 14)
    notes.set_column(2, 2, 90)
    for col, text in enumerate((labels["criterion"], "", labels["notes"])):
        notes.write_string(0, col, text, head)
    for r, note in enumerate(context["notes"], start=1):
        notes.write_string(r, 0, note["criterion"], cell)
        notes.write_string(r, 1, note["member"], cell)
        notes.write_string(r, 2, note["text"], cell)
    sheet.set_paper(9)
    notes.set_paper(9)
    book.close()
    return buffer.getvalue()


def feedback_json(feedback: Feedback, result: RoundResult) -> dict[str, Any]:
    from officestar_cli.scoring.exact import fmt, shown

    precision = result.rubric.precision
    office = feedback.office

    def number(value: Any) -> str | None:
        return None if value is None else fmt(shown(value, precision), precision)

    return {
        "office_id": office.office.id,
        "office": office.office.th,
        "total": number(office.shown) if office.complete else None,
        "tier": office.tier.th if office.tier else None,
        "rank": office.rank,
        "complete": office.complete,
        "missing_scores": feedback.missing_scores,
        "criteria": [
            {"criterion_id": ln.criterion.id, "score": number(ln.score),
             "share": number(ln.share * 100) if ln.share is not None else None,
             "median_share": number(ln.median_share * 100) if ln.median_share is not None else None,
             "gap": number(ln.gap * 100) if ln.gap is not None else None}
            for ln in feedback.lines
        ],
        "strengths": [ln.criterion.id for ln in feedback.strengths],
        "weaknesses": [ln.criterion.id for ln in feedback.weaknesses],
        "notes": len(feedback.notes),
    }


def write_feedback(
    result: RoundResult, out: Path, offices: list[OfficeResult], *, lang: str, date: dt.date
) -> list[tuple[Feedback, list[Path]]]:
    """Write every office's feedback files into ``out``; return each office's feedback and paths.

    Raises ``NoThaiFont`` (after writing the xlsx, md and html) when no Thai font is found for the PDF.
    """
    from officestar_cli.reports.documents.feedback import typst_source
    from officestar_cli.reports.documents.fonts import NoThaiFont, find_thai_font
    from officestar_cli.reports.documents.pdf import compile_pdf
    from officestar_cli.reports.html import environment as html_environment
    from officestar_cli.reports.html import feedback_context

    planned = []
    for office in offices:
        stem = feedback_stem(result, office.office.id)
        paths = [out / f"{stem}.{suffix}" for suffix in SUFFIXES]
        for path in paths:
            check_writable(path)
        feedback = feedback_for(result, office)
        context = feedback_context(feedback, result, lang=lang, date=date)
        html = safe_text(html_environment().get_template("feedback.html.j2").render(context))
        planned.append((feedback, paths, context, _workbook(context, date), _markdown(context), html))
    documents = result.rubric.documents
    try:
        font = find_thai_font(documents.font, _KEPT)
    except NoThaiFont as missing:
        no_font: NoThaiFont | None = missing
    else:
        no_font = None
    # Every office's xlsx, md and html are written whole or not at all, then the PDFs likewise.
    atomic_write_all([
        item
        for _feedback, paths, _context, xlsx, md, html in planned
        for item in ((paths[0], bytes_writer(xlsx)), (paths[1], text_writer(md)), (paths[2], text_writer(html)))
    ])
    written = [(feedback, paths) for feedback, paths, *_ in planned]
    if no_font is not None:
        raise no_font
    pdfs = [
        (paths[3], bytes_writer(compile_pdf(typst_source(context, font, float(documents.size), date), font, date)))
        for _feedback, paths, context, *_ in planned
    ]
    atomic_write_all(pdfs)
    return written
