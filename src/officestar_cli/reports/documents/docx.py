"""Writing the editable Word files (python-docx), byte for byte the same on every run.

python-docx stamps every zip entry with the time of saving and leaves the
template's own dates in the core properties; ``docx_bytes`` sets both from the
document's date instead, so the same round and ``--date`` give the same file
(docs/documents.md, "Identical output"). Running text goes through
``wrap.with_break_marks`` so Word and Writer break Thai lines between words.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from officestar_cli.reports.documents.docx_oxml import paragraph_element, run_element
from officestar_cli.reports.documents.wrap import with_break_marks

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def new_document(font: str, size: float, *, landscape: bool, margins_cm: tuple[float, float, float, float],
                 title: str, author: str, day: dt.date) -> DocxDocument:
    """An empty A4 document in ``font``; margins (top, bottom, left, right) in centimetres."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    width, height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    top, bottom, left, right = margins_cm
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance = section.footer_distance = Cm(1.0)

    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
    r_pr = normal.element.get_or_add_rPr()
    _complex_size(r_pr, size)
    r_pr.append(r_pr.makeelement(qn("w:lang"), {qn("w:val"): "th-TH", qn("w:bidi"): "th-TH"}))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    core = document.core_properties
    moment = dt.datetime(day.year, day.month, day.day)
    core.created = core.modified = core.last_printed = moment
    core.title, core.author, core.last_modified_by = title, author, "officestar"
    core.revision, core.comments, core.keywords, core.subject, core.category = 1, "", "", "", ""
    return document


def paragraph(container: Any, text: str = "", *, align: str = "left", bold: bool = False,
              size: float | None = None, first_indent_cm: float = 0.0, prose: bool = False,
              space_before: float = 0.0, page_break_before: bool = False) -> Paragraph:
    """A paragraph of ``text``; ``prose`` marks the breaks between Thai words."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    par: Paragraph = container.add_paragraph()
    par.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT, "thai": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY,
    }[align]
    if first_indent_cm:
        par.paragraph_format.first_line_indent = Cm(first_indent_cm)
    if space_before:
        par.paragraph_format.space_before = Pt(space_before)
    if page_break_before:
        par.paragraph_format.page_break_before = True
    if text:
        add_run(par, with_break_marks(text) if prose else text, bold=bold, size=size)
    return par


def add_run(par: Paragraph, text: str, *, bold: bool = False, size: float | None = None) -> None:
    from docx.shared import Pt

    run = par.add_run(text)
    if bold:
        run.bold = True
        run_element(run).get_or_add_rPr().get_or_add_bCs()
    if size is not None:
        run.font.size = Pt(size)
        _complex_size(run_element(run).get_or_add_rPr(), size)


def _complex_size(r_pr: Any, size: float) -> None:
    """Thai is a complex script to Word: its size is ``w:szCs``, which must follow ``w:sz``."""
    from docx.oxml.ns import qn

    sz = r_pr.get_or_add_sz()
    if sz.get(qn("w:val")) is None:
        sz.set(qn("w:val"), str(round(size * 2)))
    sz.addnext(r_pr.makeelement(qn("w:szCs"), {qn("w:val"): str(round(size * 2))}))


def borderless_table(document: DocxDocument, rows: int, cols: int) -> Any:
    table = document.add_table(rows=rows, cols=cols)
    table.autofit = True
    return table


def clear(cell: _Cell) -> _Cell:
    """A table cell without its empty first paragraph, ready for ``paragraph(cell, ...)``."""
    for par in list(cell.paragraphs):
        element = paragraph_element(par)
        element.getparent().remove(element)
    return cell


_WATERMARK = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/>'
    "</v:shapetype>"
    '<v:shape id="officestarDraftMark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;rotation:315;'
    "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" '
    'o:allowincell="f" fillcolor="#e8a0a0" stroked="f">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    "</v:shape>"
    "</w:pict>"
    "</w:r>"
)


def draft_header(document: DocxDocument, text: str, mark: str, font: str, *, landscape: bool) -> None:
    """Mark every page as a draft: ``mark`` large across the page behind the text, as Word's
    own watermark is made (a shape in the header), and ``text`` in red at the top."""
    from xml.sax.saxutils import quoteattr

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt, RGBColor

    width, height = (520, 260) if landscape else (420, 210)
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        par = header.paragraphs[0]
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = _WATERMARK.replace("{width}", str(width)).replace("{height}", str(height))
        shape = shape.replace("{font}", quoteattr(font)[1:-1]).replace('string="{text}"', f"string={quoteattr(mark)}")
        paragraph_element(par).append(parse_xml(shape))
        run = par.add_run(text)
        run.bold = True
        run.font.size = Pt(20)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def docx_bytes(document: DocxDocument) -> bytes:
    """The saved document with every zip entry stamped ``ZIP_TIME``: no clock in the file."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
