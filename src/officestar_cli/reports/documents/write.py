"""Write the announcement or the certificates of a round: the docx, then the PDF.

The docx needs no font on this machine and is always written first; the PDF
needs a Thai font (fonts.py) and is refused, exit 2 with what to install, when
there is none. A provisional round is refused unless ``draft`` (docs/documents.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from officestar_cli.base.atomic import atomic_write, check_writable
from officestar_cli.base.errors import OfficestarError
from officestar_cli.reports.documents import announcement, certificates
from officestar_cli.reports.documents import content as c
from officestar_cli.reports.documents.fonts import find_thai_font
from officestar_cli.reports.documents.pdf import compile_pdf
from officestar_cli.rubric.model import Tier
from officestar_cli.scoring.aggregate import RoundResult

KINDS = ("announcement", "certificates")


@dataclass(frozen=True)
class Written:
    docx: Path
    pdf: Path
    font: str  # the family the PDF is set in
    pages: int  # certificates: one per honoured office; the announcement: 0 (the engine decides)
    font_note: str  # set when the rubric's font was not found and another stood in


def document_paths(folder: Path, fiscal_year: int, round_no: int, kind: str) -> tuple[Path, Path]:
    stem = f"officestar-{fiscal_year}-round-{round_no}-{kind}"
    return folder / f"{stem}.docx", folder / f"{stem}.pdf"


def refuse_provisional(result: RoundResult, draft: bool) -> None:
    reason = c.provisional_reason(result)
    if reason is not None and not draft:
        raise OfficestarError(
            reason + " จึงยังออกประกาศหรือเกียรติบัตรไม่ได้ (ใช้ --draft เพื่อพิมพ์ฉบับร่าง)",
            "The round is provisional (some offices are not completely scored), so it cannot be announced "
            "yet; --draft writes a draft marked ร่าง on every page",
        )


def write_document(
    kind: str, result: RoundResult, folder: Path, day: dt.date, *, draft: bool = False,
    digits: bool = False, min_tier: Tier | None = None,
) -> Written:
    """Write ``kind`` (announcement or certificates) into ``folder``; the paths, the font used."""
    refuse_provisional(result, draft)
    doc = c.build_document(result, day, draft=draft, digits=digits, min_tier=min_tier)
    if kind == "certificates" and not doc.honoured:
        lowest = doc.tiers[-1].th if doc.tiers else ""
        raise OfficestarError(
            f"ไม่มีหน่วยงานใดได้ระดับ{lowest}ขึ้นไปในรอบนี้ จึงไม่มีเกียรติบัตรให้พิมพ์",
            f"No office reached tier {lowest} or higher in this round: there is no certificate to print",
        )
    docx_path, pdf_path = document_paths(folder, result.fiscal_year, result.round, kind)
    check_writable(docx_path)
    check_writable(pdf_path)
    rubric = result.rubric
    if kind == "announcement":
        docx_data = announcement.docx_document(doc, rubric, day, digits)
    else:
        docx_data = certificates.docx_document(doc, rubric, day)
    atomic_write(docx_path, _writer(docx_data))
    font = find_thai_font(rubric.documents.font)
    note = ""
    if rubric.documents.font and font.family.casefold() != rubric.documents.font.casefold():
        note = font.family
    if kind == "announcement":
        source = announcement.typst_source(doc, rubric, font, day, digits)
    else:
        source = certificates.typst_source(doc, rubric, font, day)
    pdf_data = compile_pdf(source, font, day)
    atomic_write(pdf_path, _writer(pdf_data))
    return Written(docx_path, pdf_path, font.family, len(doc.honoured) if kind == "certificates" else 0, note)


def _writer(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write
