"""The blank form prints cleanly from LibreOffice: every word inside its cell, labels beside scores.

The workbook is rendered to PDF twice: as written (the words, from
``pdftotext -bbox-layout``), and with every text drawn in white (only the borders
show, in a PNG). For each word, the nearest border in each direction around its centre is
its cell's edge; the word's box must lie inside. LibreOffice keeps clipped text in
the PDF's text layer, so clipped or overflowing text shows as a box that crosses
a border. The PNGs are kept in ``tests/artifacts/form/``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font
from PIL import Image

from fill import fill_workbook
from helpers import soffice_convert_all
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook.template import build_workbook

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts" / "form"
DPI = 100
SCALE = DPI / 72
TOLERANCE = 2.0  # pixels: anti-aliasing and rounding of the two renderings


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> tuple[int, int]:
        return int((self.x0 + self.x1) / 2), int((self.y0 + self.y1) / 2)


def _words(pdf: Path) -> list[Word]:
    done = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True,
                          timeout=120)
    words = []
    for page, body in enumerate(done.stdout.decode("utf-8").split("<page ")[1:], start=1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             body):
            x0, y0, x1, y1 = (float(m.group(i)) * SCALE for i in range(1, 5))
            words.append(Word(page, m.group(5), x0, y0, x1, y1))
    return words


def _pages(pdf: Path, stem: str) -> list[Image.Image]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(ARTIFACTS / stem)], check=True, timeout=300)
    return [Image.open(p).convert("L") for p in sorted(ARTIFACTS.glob(f"{stem}-*.png"))]


def _is_border(value: int) -> bool:
    return 110 <= value <= 185  # the borders are #999999; fills are lighter, text is not drawn


def _edge(grid: Image.Image, start: tuple[int, int], step: tuple[int, int]) -> int | None:
    x, y = start
    width, height = grid.size
    while 0 <= x < width and 0 <= y < height:
        if _is_border(grid.getpixel((x, y))):  # type: ignore[arg-type]
            return x if step[0] else y
        x, y = x + step[0], y + step[1]
    return None


@dataclass(frozen=True)
class Box:
    left: int | None
    right: int | None
    top: int | None
    bottom: int | None


def _cell_of(grid: Image.Image, word: Word) -> Box:
    cx, cy = word.centre
    return Box(_edge(grid, (cx, cy), (-1, 0)), _edge(grid, (cx, cy), (1, 0)),
               _edge(grid, (cx, cy), (0, -1)), _edge(grid, (cx, cy), (0, 1)))


def _outside(word: Word, box: Box) -> list[str]:
    problems = []
    if box.left is not None and box.right is not None and (
        word.x0 < box.left - TOLERANCE or word.x1 > box.right + TOLERANCE
    ):
        problems.append(f"x {word.x0:.0f}–{word.x1:.0f} outside {box.left}–{box.right}")
    if box.top is not None and box.bottom is not None and (
        word.y0 < box.top - TOLERANCE or word.y1 > box.bottom + TOLERANCE
    ):
        problems.append(f"y {word.y0:.0f}–{word.y1:.0f} outside {box.top}–{box.bottom}")
    return problems


@pytest.fixture(scope="module")
def rendered(rubric: Rubric, soffice: str, pdftotext: str, thai_fonts: list[str],
             tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Word], list[Image.Image]]:
    del pdftotext, thai_fonts
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is not installed (apt-get install poppler-utils)")
    folder = tmp_path_factory.mktemp("form")
    blank = folder / "form-blank.xlsx"
    build_workbook(rubric, rubric.round, "นางสาว ประภาพรรณ ศรีสุวรรณ์").save(blank)
    filled = fill_workbook(blank, folder / "form.xlsx", rubric,
                           lambda office, criterion: rubric.criterion_by_id[criterion].max - Decimal("0.5"))
    # The same workbook with every text drawn in white: the same geometry, only the borders visible.
    grid = folder / "form-grid.xlsx"
    book = load_workbook(filled)
    for sheet in book.worksheets:
        sheet.oddFooter.center.color = "FFFFFF"
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    font = cell.font
                    cell.font = Font(name=font.name, sz=font.sz, b=font.b, i=font.i, color="FFFFFF")
    book.save(grid)
    pdfs = soffice_convert_all([filled, grid], folder / "pdf", "pdf", soffice=soffice)
    words = _words(pdfs[0])
    _pages(pdfs[0], "form")
    grids = _pages(pdfs[1], "grid")
    return words, grids


def test_every_word_lies_inside_its_cell(rendered: tuple[list[Word], list[Image.Image]]) -> None:
    words, grids = rendered
    assert len(words) > 500
    problems = []
    for word in words:
        grid = grids[word.page - 1]
        for problem in _outside(word, _cell_of(grid, word)):
            problems.append(f"page {word.page} {word.text!r}: {problem}")
    assert not problems, "\n".join(problems[:40])


def test_a_criterions_label_and_its_score_share_a_row(
    rubric: Rubric, rendered: tuple[list[Word], list[Image.Image]],
) -> None:
    words, grids = rendered
    ids = {c.id for c in rubric.criteria}
    checked = 0
    for page, grid in enumerate(grids, start=1):
        on_page = [w for w in words if w.page == page]
        for label in (w for w in on_page if w.text in ids and w.x0 < grid.size[0] * 0.15):
            band = _cell_of(grid, label)
            assert band.top is not None and band.bottom is not None
            expected = f"{rubric.criterion_by_id[label.text].max - Decimal('0.5'):.{rubric.precision}f}"
            scores = [w for w in on_page if w.text == expected and w.x0 > grid.size[0] * 0.6
                      and band.top <= w.centre[1] <= band.bottom]
            assert len(scores) == 1, f"page {page}: criterion {label.text} has no score {expected} on its row"
            checked += 1
    assert checked >= len(rubric.criteria) * len(rubric.offices)


def test_the_cover_is_one_portrait_page_and_each_office_sheet_is_one_page_wide(
    rubric: Rubric, rendered: tuple[list[Word], list[Image.Image]],
) -> None:
    words, grids = rendered
    first = grids[0]
    assert first.size[1] > first.size[0]  # portrait
    assert all(g.size[0] > g.size[1] for g in grids[1:])  # landscape
    cover_text = " ".join(w.text for w in words if w.page == 1)
    assert "ไม่ใช่ศูนย์" in cover_text and "ส่ง" in cover_text
    second = " ".join(w.text for w in words if w.page == 2)
    assert rubric.offices[0].th.split()[0] in second or rubric.offices[0].th in second.replace(" ", "")
