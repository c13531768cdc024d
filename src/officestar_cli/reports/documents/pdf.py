"""The PDF engine: Typst, through its Python package (docs/documents.md, "Producing PDF").

Typst shapes Thai with HarfBuzz (marks above and below stacked on their
consonant), embeds a subset of the font, and writes the same bytes for the same
source, fonts and timestamp. Text reaches Typst only as string literals made by
``literal``, never as markup, so no office or member name can change the layout.
"""

from __future__ import annotations

import datetime as dt

from officestar_cli.reports.documents.fonts import ThaiFont
from officestar_cli.reports.documents.wrap import breakable_runs


def literal(text: str) -> str:
    """``text`` as a Typst string literal."""
    out = ['"']
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def prose(text: str) -> str:
    """Markup for running text that may break only between words (``wrap.breakable_runs``)."""
    parts = []
    for run in breakable_runs(text):
        parts.append(" " if run.isspace() else f"#box({literal(run)})")
    return "".join(parts).strip()


def words(text: str) -> str:
    """Markup for a short text kept as it is: a name, a title."""
    return f"#{literal(text)}" if text else ""


def preamble(font: ThaiFont, size: float, *, landscape: bool, margins: str, draft: bool,
             title: str, day: dt.date) -> str:
    mark = (
        'foreground: place(center + horizon, rotate(-35deg, text(size: 150pt, weight: "bold", '
        'fill: rgb(200, 0, 0, 70), "ร่าง"))),'
        if draft else ""
    )
    return "\n".join([
        f"#set document(title: {literal(title)}, author: (), "
        f"date: datetime(year: {day.year}, month: {day.month}, day: {day.day}))",
        f'#set page(paper: "a4", flipped: {"true" if landscape else "false"}, margin: {margins}, {mark})',
        f'#set text(font: {literal(font.family)}, size: {size}pt, lang: "th", hyphenate: false)',
        "#set par(leading: 0.75em, spacing: 0.8em)",
        "",
    ])


def compile_pdf(source: str, font: ThaiFont, day: dt.date) -> bytes:
    import typst

    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(font.folder)])
    pdf = typst.compile(source.encode("utf-8"), format="pdf", font_paths=fonts, ignore_system_fonts=True,
                        timestamp=stamp)
    assert isinstance(pdf, bytes)
    return pdf
