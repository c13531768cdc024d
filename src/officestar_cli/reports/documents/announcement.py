"""The announcement of a round's results (ประกาศ), as docx and PDF (docs/documents.md).

A4 portrait with the margins of Thai official documents (top 2.5 cm, bottom
2 cm, left 3 cm, right 2 cm): the heading and the organiser, the subject, the
opening paragraph, the honoured offices tier by tier in rank order with their
totals, the closing line, the date and the signature blocks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from officestar_cli.reports.documents import content as c
from officestar_cli.reports.documents import docx as w
from officestar_cli.reports.documents.fonts import ThaiFont
from officestar_cli.reports.documents.pdf import literal, preamble, prose, words
from officestar_cli.rubric.model import Rubric

MARGINS_CM = (2.5, 2.0, 3.0, 2.0)  # top, bottom, left, right
INDENT_CM = 2.5  # a paragraph's first line, as official letters indent it
DOTS = "." * 45


def _signature_markup(signer: c.Signer, with_role: bool) -> str:
    lines = [
        f"#{literal('(ลงชื่อ)')} #box(width: 5.2cm, repeat[.])",
        f"({words(signer.name)})",
        prose(signer.position) if signer.position else f"#{literal('ตำแหน่ง')} #box(width: 4.6cm, repeat[.])",
    ]
    if with_role:
        lines.append(words(c.ROLE_TH.get(signer.role, "")))
    body = " \\\n".join(line for line in lines if line)
    return f"block(breakable: false, width: 100%, align(center)[{body}])"


def signature_grid(signers: list[c.Signer]) -> str:
    """The committee two to a row, then whoever approves, centred below."""
    committee = [s for s in signers if s.role != "approver"]
    approvers = [s for s in signers if s.role == "approver"]
    parts = []
    if committee:
        cells = ", ".join(_signature_markup(s, True) for s in committee)
        columns = "(1fr, 1fr)" if len(committee) > 1 else "(1fr,)"
        parts.append(f"#grid(columns: {columns}, row-gutter: 1.1cm, column-gutter: 0.5cm, {cells})")
    for signer in approvers:
        parts.append("#v(1.1cm)")
        parts.append(f"#align(center, box(width: 50%, {_signature_markup(signer, False)}))")
    return "\n".join(parts)


def typst_source(doc: c.Document, rubric: Rubric, font: ThaiFont, day: dt.date, digits: bool) -> str:
    margins = "(top: {}cm, bottom: {}cm, left: {}cm, right: {}cm)".format(*MARGINS_CM)
    out = [preamble(font, doc.size, landscape=False, margins=margins, draft=doc.draft,
                    title=c.subject(doc), day=day)]
    out.append(f'#align(center, text(weight: "bold", size: {doc.size + 4}pt)[{prose(c.heading(doc))}])')
    out.append(f"#align(center)[{prose(c.subject(doc))}]")
    out.append("#align(center, line(length: 5cm, stroke: 0.6pt))")
    indent = f"(amount: {INDENT_CM}cm, all: true)"
    out.append(f"#par(first-line-indent: {indent})[{prose(c.opening(doc, rubric))}]")
    numbers = c.thai_digits if digits else str
    for tier, higher, offices in doc.by_tier():
        if not offices:
            continue
        out.append("#v(0.3em)")
        title = prose(c.tier_heading(tier, higher, len(offices), digits))
        out.append(f'#pad(left: {INDENT_CM}cm, text(weight: "bold")[{title}])')
        rows = ", ".join(
            f"[{words(numbers(str(h.rank)))}], [{words(h.office)}], [{words(h.total)}]" for h in offices
        )
        out.append(
            f"#pad(left: {INDENT_CM}cm, table(columns: (2.2cm, 1fr, 3cm), stroke: none, inset: (x: 4pt, y: 3pt), "
            f"align: (center, left, right), "
            f'table.header([*{words("อันดับ")}*], [*{words("หน่วยงาน")}*], [*{words("คะแนนรวม")}*]), {rows}))'
        )
    out.append("#v(0.3em)")
    out.append(f"#par(first-line-indent: {indent})[{prose(c.CLOSING)}]")
    out.append("#v(0.8em)")
    out.append(f"#pad(left: 6cm)[{words('ประกาศ ณ วันที่ ' + doc.date)}]")
    out.append("#v(1.2cm)")
    out.append(signature_grid(doc.signers))
    return "\n".join(out) + "\n"


def _signature_cell(cell: Any, signer: c.Signer, with_role: bool) -> None:
    w.clear(cell)
    w.paragraph(cell, f"(ลงชื่อ) {DOTS}", align="center", space_before=18)
    w.paragraph(cell, f"({signer.name})", align="center")
    w.paragraph(cell, signer.position or f"ตำแหน่ง {DOTS[:35]}", align="center")
    if with_role:
        w.paragraph(cell, c.ROLE_TH.get(signer.role, ""), align="center")


def docx_signatures(document: Any, signers: list[c.Signer]) -> None:
    committee = [s for s in signers if s.role != "approver"]
    approvers = [s for s in signers if s.role == "approver"]
    if committee:
        columns = 2 if len(committee) > 1 else 1
        table = w.borderless_table(document, (len(committee) + columns - 1) // columns, columns)
        for i, signer in enumerate(committee):
            _signature_cell(table.cell(i // columns, i % columns), signer, True)
    for signer in approvers:
        table = w.borderless_table(document, 1, 1)
        _signature_cell(table.cell(0, 0), signer, False)


def docx_document(doc: c.Document, rubric: Rubric, day: dt.date, digits: bool) -> bytes:
    document = w.new_document(doc.font, doc.size, landscape=False, margins_cm=MARGINS_CM,
                              title=c.subject(doc), author=doc.organiser, day=day)
    w.paragraph(document, c.heading(doc), align="center", bold=True, size=doc.size + 4)
    w.paragraph(document, c.subject(doc), align="center", prose=True)
    w.paragraph(document, "―" * 8, align="center")
    w.paragraph(document, c.opening(doc, rubric), align="thai", first_indent_cm=INDENT_CM, prose=True,
                space_before=6)
    numbers = c.thai_digits if digits else str
    for tier, higher, offices in doc.by_tier():
        if not offices:
            continue
        par = w.paragraph(document, c.tier_heading(tier, higher, len(offices), digits), bold=True,
                          prose=True, space_before=8)
        par.paragraph_format.left_indent = _cm(INDENT_CM)
        table = document.add_table(rows=1 + len(offices), cols=3)
        for col, (label, align) in enumerate((("อันดับ", "center"), ("หน่วยงาน", "left"), ("คะแนนรวม", "right"))):
            cell = w.clear(table.cell(0, col))
            w.paragraph(cell, label, align=align, bold=True)
        for row, honoured in enumerate(offices, start=1):
            for col, (text, align) in enumerate(
                ((numbers(str(honoured.rank)), "center"), (honoured.office, "left"), (honoured.total, "right"))
            ):
                w.paragraph(w.clear(table.cell(row, col)), text, align=align)
    w.paragraph(document, c.CLOSING, first_indent_cm=INDENT_CM, prose=True, space_before=8)
    date_par = w.paragraph(document, "ประกาศ ณ วันที่ " + doc.date, space_before=12)
    date_par.paragraph_format.left_indent = _cm(6.0)
    docx_signatures(document, doc.signers)
    if doc.draft:
        w.draft_header(document, "ร่าง — ยังไม่ใช่ผลที่ประกาศได้", c.DRAFT_MARK, doc.font, landscape=False)
    return w.docx_bytes(document)


def _cm(value: float) -> Any:
    from docx.shared import Cm

    return Cm(value)
