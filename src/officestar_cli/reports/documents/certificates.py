"""Certificates (เกียรติบัตร): one A4 landscape page per honoured office, as docx and PDF.

Each page: the organiser, "เกียรติบัตรนี้ให้ไว้เพื่อแสดงว่า", the office, the tier
it won, the contest, round and fiscal year, the date and the signatories
(docs/documents.md). Offices without a tier, or not completely scored, get none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from officestar_cli.reports.documents import content as c
from officestar_cli.reports.documents import docx as w
from officestar_cli.reports.documents.fonts import ThaiFont
from officestar_cli.reports.documents.pdf import literal, preamble, prose, words
from officestar_cli.rubric.model import Rubric

MARGINS_CM = (2.0, 1.8, 2.5, 2.5)  # top, bottom, left, right
DOTS = "." * 30


def _signature(signer: c.Signer) -> str:
    position = prose(signer.position) if signer.position else f"#{literal('ตำแหน่ง')} #box(width: 3.8cm, repeat[.])"
    return (
        f"align(center)[#{literal('(ลงชื่อ)')} #box(width: 4.2cm, repeat[.]) \\\n"
        f"({words(signer.name)}) \\\n{position}]"
    )


def _page(doc: c.Document, rubric: Rubric, honoured: c.Honoured) -> str:
    size = doc.size
    columns = min(len(doc.signers), 3) or 1
    signatures = ", ".join(_signature(s) for s in doc.signers)
    return "\n".join([
        '#block(width: 100%, height: 100%, stroke: (paint: rgb(150, 120, 40), thickness: 2.5pt), inset: 0.9cm)[',
        "#set align(center)",
        f'#text(size: {size + 8}pt, weight: "bold")[{prose(doc.organiser or doc.contest)}]',
        "#v(0.2cm)",
        f"#text(size: {size + 4}pt)[{prose(c.CERTIFY)}]",
        "#v(0.3cm)",
        f'#text(size: {size + 20}pt, weight: "bold", fill: rgb(20, 50, 120))[{words(honoured.office)}]',
        "#v(0.3cm)",
        f'#text(size: {size + 10}pt, weight: "bold")[{words("ได้รับรางวัลระดับ" + honoured.tier.th)}]',
        "#v(0.2cm)",
        f"#text(size: {size + 4}pt)[{prose(c.certificate_line(doc, rubric))}]",
        "#v(0.2cm)",
        f"#text(size: {size + 2}pt)[{words('ให้ไว้ ณ วันที่ ' + doc.date)}]",
        "#v(1fr)",
        f"#grid(columns: ({', '.join(['1fr'] * columns)}), row-gutter: 0.6cm, {signatures})",
        "]",
    ])


def typst_source(doc: c.Document, rubric: Rubric, font: ThaiFont, day: dt.date) -> str:
    margins = "(top: {}cm, bottom: {}cm, left: {}cm, right: {}cm)".format(*MARGINS_CM)
    title = "เกียรติบัตร " + c.subject(doc).removeprefix("เรื่อง ")
    out = [preamble(font, doc.size, landscape=True, margins=margins, draft=doc.draft, title=title, day=day)]
    pages = [_page(doc, rubric, h) for h in doc.honoured]
    out.append("\n#pagebreak()\n".join(pages))
    return "\n".join(out) + "\n"


def docx_document(doc: c.Document, rubric: Rubric, day: dt.date) -> bytes:
    title = "เกียรติบัตร " + c.subject(doc).removeprefix("เรื่อง ")
    document = w.new_document(doc.font, doc.size, landscape=True, margins_cm=MARGINS_CM, title=title,
                              author=doc.organiser, day=day)
    # Word and Writer set lines by the font's own height, taller than the PDF's: the docx page
    # is a little smaller so that each certificate stays on one page there too.
    size = doc.size
    for index, honoured in enumerate(doc.honoured):
        w.paragraph(document, doc.organiser or doc.contest, align="center", bold=True, size=size + 6,
                    page_break_before=index > 0)
        w.paragraph(document, c.CERTIFY, align="center", size=size + 2)
        w.paragraph(document, honoured.office, align="center", bold=True, size=size + 14, space_before=4)
        w.paragraph(document, "ได้รับรางวัลระดับ" + honoured.tier.th, align="center", bold=True, size=size + 6)
        w.paragraph(document, c.certificate_line(doc, rubric), align="center", size=size + 2, prose=True)
        w.paragraph(document, "ให้ไว้ ณ วันที่ " + doc.date, align="center", size=size)
        _signatures(document, doc.signers, size - 2)
    if doc.draft:
        w.draft_header(document, "ร่าง — ยังไม่ใช่เกียรติบัตรที่มอบได้", c.DRAFT_MARK, doc.font, landscape=True)
    return w.docx_bytes(document)


def _signatures(document: Any, signers: list[c.Signer], size: float) -> None:
    if not signers:
        return
    columns = min(len(signers), 3)
    table = w.borderless_table(document, (len(signers) + columns - 1) // columns, columns)
    for i, signer in enumerate(signers):
        cell = w.clear(table.cell(i // columns, i % columns))
        w.paragraph(cell, f"(ลงชื่อ) {DOTS}", align="center", space_before=10, size=size)
        w.paragraph(cell, f"({signer.name})", align="center", size=size)
        w.paragraph(cell, signer.position or f"ตำแหน่ง {DOTS[:28]}", align="center", size=size)
