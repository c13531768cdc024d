"""An office's feedback report as PDF, set by the documents' Typst engine (docs/documents.md).

It says what the feedback Markdown and HTML say, from the same context
(``reports.html.feedback_context``): the heading, the total, tier and rank (or
why not ranked), the criterion table, the strengths and weaknesses, and the
notes under their กรรมการ n headings. A4 portrait; every text reaches Typst as a
string literal (``pdf.literal``), running text broken only between Thai words.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from officestar_cli.reports.documents.fonts import ThaiFont
from officestar_cli.reports.documents.pdf import preamble, prose, words

MARGINS = "(top: 1.8cm, bottom: 1.8cm, left: 2cm, right: 2cm)"
HEAD_FILL = "rgb(238, 242, 246)"
COLUMNS = ("criterion", "max", "score", "share", "median", "gap")


def _table(context: dict[str, Any]) -> str:
    labels = context["labels"]
    header = ", ".join(f'table.cell(fill: {HEAD_FILL})[#text(weight: "bold", size: 0.93em)[{prose(labels[key])}]]'
                       for key in COLUMNS)
    rows = []
    for line in context["lines"]:
        cells = [f"[{prose(line['id'] + ' ' + line['criterion'])}]"]
        cells += [f"[{words(line[key])}]" for key in COLUMNS[1:]]
        rows.append(", ".join(cells))
    return (
        "#table(columns: (1fr, 1.8cm, 1.7cm, 2.3cm, 2.3cm, 2.3cm), stroke: 0.5pt + rgb(150, 150, 150), "
        "inset: (x: 4pt, y: 1pt), align: (left + top, right + top, right + top, right + top, right + top, "
        f"right + top), table.header({header}), {', '.join(rows)})"
    )


def _items(items: list[str], none: str) -> str:
    if not items:
        return f"#par[{prose(none)}]"
    return "#enum(" + ", ".join(f"[{prose(item)}]" for item in items) + ")"


def _notes(context: dict[str, Any]) -> list[str]:
    notes = context["notes"]
    if not notes:
        return [f"#par[{prose(context['labels']['none'])}]"]
    out = []
    for member, group in groupby(notes, key=lambda n: n["member"]):
        out.append(f'#heading(level: 3, outlined: false)[{words(member)}]')
        items = ", ".join(f'[#text(weight: "bold")[{words(n["criterion"])}] {prose(n["text"])}]' for n in group)
        out.append(f"#list({items})")
    return out


def typst_source(context: dict[str, Any], font: ThaiFont, size: float, day: dt.date) -> str:
    """The Typst source of one office's feedback PDF."""
    labels = context["labels"]
    out = [preamble(font, size, landscape=False, margins=MARGINS, draft=False, title=context["heading"], day=day)]
    out.append(f"#set heading(numbering: none)\n#show heading: set text(size: {size + 2}pt)\n"
               f"#show heading.where(level: 3): set text(size: {size}pt)\n"
               "#show heading: set block(above: 0.9em, below: 0.5em)")
    out.append(f'#text(size: {size + 4}pt, weight: "bold")[{prose(context["heading"])}]')
    out.append(f"#par[{prose(context['title'])} · {words(labels['date'] + ' ' + context['date'])}]")
    out.append(
        f'#par[#text(weight: "bold")[{words(labels["total"])}] {words(context["total"] + " / " + context["total_max"])}'
        f' · #text(weight: "bold")[{words(labels["tier"])}] {words(context["tier"])} · {prose(context["status"])}]'
    )
    out.append(f"#heading(level: 2)[{prose(labels['table'])}]")
    # In the table the text's box reaches the font's ascender and descender, so that a mark above or
    # below a Thai consonant stays inside its cell instead of touching the rule.
    out.append(f'#block[#set text(size: {size - 2}pt, top-edge: "ascender", bottom-edge: "descender")\n'
               "#set par(leading: 0.1em)\n"
               f"{_table(context)}]")
    out.append(f"#heading(level: 2)[{prose(labels['strengths'])}]")
    out.append(_items(context["strengths"], labels["none"]))
    out.append(f"#heading(level: 2)[{prose(labels['weaknesses'])}]")
    out.append(_items(context["weaknesses"], labels["none"]))
    out.append(f"#heading(level: 2)[{prose(labels['notes'])}]")
    out.extend(_notes(context))
    return "\n".join(out) + "\n"
