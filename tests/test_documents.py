"""The announcement (ประกาศ) and the certificates (เกียรติบัตร) of a round (issue 17).

The round is the example round scored into a real store; the rubric adds
signatories whose names carry stacked Thai marks. Every page is rendered to PNG
under tests/artifacts/documents/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import invoke, require
from helpers import soffice_convert, thai_text
from officestar_cli.reports.documents.content import parse_tier
from officestar_cli.reports.documents.fonts import find_thai_font
from officestar_cli.reports.documents.pdf import compile_pdf, literal
from officestar_cli.reports.documents.wrap import breakable_runs, fill_lines, with_break_marks
from officestar_cli.rubric.load import load_rubric
from support.filler import fill_workbook, fraction_of_max

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
ARTIFACTS = ROOT / "tests" / "artifacts" / "documents"
DATE = "2024-08-30"
SIGNATORIES = [
    ("นายสมศักดิ์ ผู้ใหญ่ยิ่ง", "พัฒนาการจังหวัดลำปาง", "approver"),
    ("นางสาวน้ำทิพย์ ที่ปรึกษา", "หัวหน้ากลุ่มงานยุทธศาสตร์การพัฒนาชุมชน", "chair"),
    ("นายชำนาญ รักษ์ถิ่น", "นักวิชาการพัฒนาชุมชนชำนาญการ", "member"),
]
# The example round: (office, tier) for every office that won a tier, from `officestar rank`.
HONOURED_AT_LEAST_GOOD = 13
OUTSTANDING = 4


def has(text: str, phrase: str) -> bool:
    """``phrase`` in ``text``, wherever a line was wrapped (the PDF's text layer puts a space there)."""
    return bare(phrase) in bare(text)


def pdf_pages(pdf: Path, *, layout: bool = False) -> list[str]:
    """The text of each page; ``layout`` keeps a table's rows (else columns are read as blocks)."""
    tool = require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    command = [tool, *(["-layout"] if layout else []), str(pdf), "-"]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [thai_text(p) for p in pages]


def render_pages(pdf: Path, name: str) -> list[Path]:
    """Every page as PNG under tests/artifacts/documents/ (kept for a person to look at)."""
    tool = require("pdftoppm", shutil.which("pdftoppm"), "apt-get install poppler-utils")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run([tool, "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def page_size(pdf: Path) -> tuple[int, int]:
    tool = require("pdfinfo", shutil.which("pdfinfo"), "apt-get install poppler-utils")
    info = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match, info
    return round(float(match.group(1))), round(float(match.group(2)))


def gray_pixels(pdf: Path, dpi: int = 72, *, colour: bool = False) -> list[tuple[int, int, bytes]]:
    """Each page as (width, height, 8-bit rows: grey, or RGB with ``colour``) from pdftoppm's PGM/PPM."""
    tool = require("pdftoppm", shutil.which("pdftoppm"), "apt-get install poppler-utils")
    raw = subprocess.run([tool, "-r", str(dpi), *([] if colour else ["-gray"]), str(pdf)],
                         capture_output=True, check=True, timeout=60).stdout
    pages = []
    channels = 3 if colour else 1
    while raw:
        match = re.match(rb"P[56]\s+(\d+)\s+(\d+)\s+255\s", raw)
        assert match, raw[:20]
        width, height = int(match.group(1)), int(match.group(2))
        start, size = match.end(), int(match.group(1)) * int(match.group(2)) * channels
        pages.append((width, height, raw[start:start + size]))
        raw = raw[start + size:]
    return pages


def red_pixels(page: tuple[int, int, bytes]) -> int:
    """Pixels of the draft mark's red (nothing else on the pages is red)."""
    data = page[2]
    return sum(1 for i in range(0, len(data), 3) if data[i] > data[i + 1] + 45 and data[i] > data[i + 2] + 45)


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def same_text(docx_path: Path, pdf_path: Path) -> None:
    """Every paragraph of the docx is in the PDF, and the two hold the same letters, no more."""
    pdf_blocks = bare(" ".join(pdf_pages(pdf_path)))
    pdf_rows = bare(" ".join(pdf_pages(pdf_path, layout=True)))
    import docx

    document = docx.Document(str(docx_path))
    paragraphs = [p.text for p in document.paragraphs]
    paragraphs += [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    for text in paragraphs:
        assert bare(text) in pdf_blocks or bare(text) in pdf_rows, text
    assert sorted(bare(docx_text(docx_path))) == sorted(pdf_blocks)


def bare(text: str) -> str:
    """For comparing the docx with the PDF: the text without spaces, dots and rules."""
    return re.sub(r"[\s.―]", "", thai_text(text))


@dataclass(frozen=True)
class Round:
    rubric: Path
    store: Path
    folder: Path


def _rubric_with_signatories(folder: Path) -> Path:
    text = (ROOT / "rubric.yaml").read_text("utf-8")
    lines = ["signatories:"]
    for name, position, role in SIGNATORIES:
        lines.append(f"  - {{name: {name}, position: {position}, role: {role}}}")
    path = folder / "rubric.yaml"
    path.write_text(text + "\n" + "\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def final_round(tmp_path_factory: pytest.TempPathFactory) -> Round:
    folder = tmp_path_factory.mktemp("documents")
    rubric = _rubric_with_signatories(folder)
    store = folder / "store.sqlite3"
    run = invoke(["score", *EXAMPLES, "--store", store, "--no-report", "--rubric", rubric])
    assert run.exit_code == 0, run.output
    return Round(rubric, store, folder)


@pytest.fixture(scope="module")
def provisional_round(tmp_path_factory: pytest.TempPathFactory) -> Round:
    """The example round with one office left blank by one member."""
    folder = tmp_path_factory.mktemp("provisional")
    rubric_path = _rubric_with_signatories(folder)
    rubric = load_rubric(rubric_path)
    eighty = fraction_of_max(rubric, Decimal("0.8"))
    first = EXAMPLES[0]
    blanked = fill_workbook(first, folder / "in" / first.name, rubric,
                            lambda o, c: None if o == "lp-ngao" else eighty(o, c))
    store = folder / "store.sqlite3"
    run = invoke(["score", blanked, *EXAMPLES[1:], "--store", store, "--no-report", "--rubric", rubric_path])
    assert run.exit_code == 0, run.output
    return Round(rubric_path, store, folder)


def document(kind: str, at: Round, out: Path, *extra: str,
             env: dict[str, str | None] | None = None):  # type: ignore[no-untyped-def]
    command = "announce" if kind == "announcement" else "certificates"
    run = invoke([command, "--store", at.store, "--rubric", at.rubric, "--out", out, "--date", DATE, *extra],
                 env=env)
    return run, out / f"officestar-2567-round-2-{kind}.docx", out / f"officestar-2567-round-2-{kind}.pdf"


def ranking(at: Round) -> list[dict[str, object]]:
    import json

    run = invoke(["rank", "--store", at.store, "--rubric", at.rubric, "--json", "--no-report"])
    assert run.exit_code == 0, run.output
    offices: list[dict[str, object]] = json.loads(run.stdout)["offices"]
    return offices


# --------------------------------------------------------------------------- the announcement


def test_the_announcement_names_every_honoured_office_under_its_tier_and_every_signatory(
    final_round: Round, tmp_path: Path,
) -> None:
    run, _docx, pdf_path = document("announcement", final_round, tmp_path)
    assert run.exit_code == 0, run.output
    pages = pdf_pages(pdf_path)
    pngs = render_pages(pdf_path, "announcement")
    assert len(pngs) == len(pages) and 1 <= len(pages) <= 2, (len(pngs), len(pages))
    assert all(page for page in pages), "a blank page"
    assert page_size(pdf_path) == (595, 842)  # A4 portrait
    text = bare(" ".join(pages))
    assert text.startswith(bare("ประกาศสำนักงานพัฒนาชุมชนจังหวัดลำปาง"))
    assert bare("เรื่อง ผลการประเมินโครงการ Office Star CDD LAMPANG ประจำปีงบประมาณ พ.ศ. 2567 รอบที่ 2") in text
    assert bare("ประกาศ ณ วันที่ 30 สิงหาคม พ.ศ. 2567") in text
    offices = ranking(final_round)
    honoured = [o for o in offices if o["tier"] is not None]
    assert len(honoured) == HONOURED_AT_LEAST_GOOD
    tiers = ["ดีเด่น", "ดีมาก", "ดี"]
    starts = [text.index(bare(f"ระดับ{t} (")) for t in tiers]
    assert starts == sorted(starts)
    last = -1
    rows = bare(" ".join(pdf_pages(pdf_path, layout=True)))
    starts = [rows.index(bare(f"ระดับ{t} (")) for t in tiers]
    for office in honoured:
        at = rows.index(bare(f"{office['rank']} {office['office']} {office['total']}"))  # one row
        band = tiers.index(str(office["tier"]))
        assert starts[band] < at < (starts[band + 1] if band + 1 < len(tiers) else len(rows)), office
        assert at > last, "not in rank order"
        last = at
    for office in offices:
        if office["tier"] is None:
            assert bare(f"{office['office']} {office['total']}") not in text
    for name, position, _role in SIGNATORIES:
        assert bare(f"({name})") in text and bare(position) in text
    assert text.count("(ลงชื่อ)") == len(SIGNATORIES)
    assert "ร่าง" not in text
    assert max(red_pixels(page) for page in gray_pixels(pdf_path, 20, colour=True)) == 0  # no draft mark


def test_the_announcement_docx_holds_the_same_text_and_libreoffice_opens_it(
    final_round: Round, tmp_path: Path, soffice: str,
) -> None:
    run, docx_path, pdf_path = document("announcement", final_round, tmp_path)
    assert run.exit_code == 0, run.output
    same_text(docx_path, pdf_path)
    converted = soffice_convert(docx_path, tmp_path / "lo", "pdf", soffice=soffice)
    render_pages(converted, "announcement-docx")
    assert page_size(converted) == (595, 842)
    lo_text = " ".join(pdf_pages(converted))
    for name, _position, _role in SIGNATORIES:
        assert has(lo_text, name)
    assert "สพจ.ลำปาง" in lo_text


def test_without_signatories_the_members_sign_with_a_line_for_their_position(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert invoke(["score", *EXAMPLES[:4], "--store", store, "--no-report"]).exit_code == 0
    at = Round(ROOT / "rubric.yaml", store, tmp_path)
    run, docx_path, pdf_path = document("announcement", at, tmp_path / "out")
    assert run.exit_code == 0, run.output
    text = " ".join(pdf_pages(pdf_path))
    for member in ("นาย ก", "นาง ข", "นางสาว ค", "นาย ง"):
        assert has(text, f"({member})")
    assert "(นาง จ)" not in text
    assert text.count("(ลงชื่อ)") == 4 and text.count("ตำแหน่ง") == 4
    assert docx_text(docx_path).count("(ลงชื่อ)") == 4


def test_thai_digits(final_round: Round, tmp_path: Path) -> None:
    run, _docx, pdf_path = document("announcement", final_round, tmp_path, "--thai-digits")
    assert run.exit_code == 0, run.output
    text = " ".join(pdf_pages(pdf_path))
    assert has(text, "ประกาศ ณ วันที่ ๓๐ สิงหาคม พ.ศ. ๒๕๖๗")
    assert "๙๑.๔๐" in text and "91.40" not in text


# --------------------------------------------------------------------------- certificates


def test_one_certificate_page_per_honoured_office(final_round: Round, tmp_path: Path) -> None:
    run, docx_path, pdf_path = document("certificates", final_round, tmp_path)
    assert run.exit_code == 0, run.output
    pages = pdf_pages(pdf_path)
    pngs = render_pages(pdf_path, "certificates")
    honoured = [o for o in ranking(final_round) if o["tier"] is not None]
    assert len(pages) == len(pngs) == len(honoured) == HONOURED_AT_LEAST_GOOD
    for page, office in zip(pages, honoured, strict=True):
        assert "เกียรติบัตรนี้ให้ไว้เพื่อแสดงว่า" in page
        assert has(page, f"{office['office']} ได้รับรางวัลระดับ{office['tier']}")
        assert has(page, "ประจำปีงบประมาณ พ.ศ. 2567 รอบที่ 2") and has(page, "30 สิงหาคม พ.ศ. 2567")
        for name, position, _role in SIGNATORIES:
            assert has(page, f"({name})") and has(page, position)
    assert page_size(pdf_path) == (842, 595)  # A4 landscape
    same_text(docx_path, pdf_path)


def test_the_certificates_docx_keeps_one_page_per_office_in_libreoffice(
    final_round: Round, tmp_path: Path, soffice: str,
) -> None:
    run, docx_path, _pdf = document("certificates", final_round, tmp_path)
    assert run.exit_code == 0, run.output
    converted = soffice_convert(docx_path, tmp_path / "lo", "pdf", soffice=soffice)
    pages = pdf_pages(converted)
    render_pages(converted, "certificates-docx")
    assert len(pages) == HONOURED_AT_LEAST_GOOD
    assert page_size(converted) == (842, 595)
    # (Writer's own text layer moves some tone marks, so the words are checked in the PDF above.)
    assert all("สำนักงานพัฒนาชุมชนจังหวัดลำปาง" in page for page in pages)


@pytest.mark.parametrize("tier", ["ดีเด่น", "Outstanding", "outstanding", "1"])
def test_min_tier_by_name_or_position(final_round: Round, tmp_path: Path, tier: str) -> None:
    run, _docx, pdf_path = document("certificates", final_round, tmp_path, "--min-tier", tier)
    assert run.exit_code == 0, run.output
    pages = pdf_pages(pdf_path)
    assert len(pages) == OUTSTANDING
    assert all("ได้รับรางวัลระดับดีเด่น" in p for p in pages)


def test_an_unknown_tier_is_exit_2(final_round: Round, tmp_path: Path) -> None:
    run, docx_path, _pdf = document("certificates", final_round, tmp_path, "--min-tier", "4")
    assert run.exit_code == 2 and "ดีเด่น" in run.stderr and not docx_path.exists()


# --------------------------------------------------------------------------- provisional and draft


@pytest.mark.parametrize("kind", ["announcement", "certificates"])
def test_a_provisional_round_is_refused(provisional_round: Round, tmp_path: Path, kind: str) -> None:
    run, docx_path, pdf_path = document(kind, provisional_round, tmp_path)
    assert run.exit_code == 2, run.output
    assert "ชั่วคราว" in run.stderr and "งาว" in run.stderr and "นาย ก" in run.stderr
    assert "--draft" in run.stderr
    assert not docx_path.exists() and not pdf_path.exists()


@pytest.mark.parametrize("kind", ["announcement", "certificates"])
def test_draft_is_marked_on_every_page(provisional_round: Round, tmp_path: Path, kind: str) -> None:
    run, docx_path, pdf_path = document(kind, provisional_round, tmp_path, "--draft")
    assert run.exit_code == 0, run.output
    pages = pdf_pages(pdf_path)
    render_pages(pdf_path, f"{kind}-draft")
    # The mark is set rotated, so the text layer gives its letters apart; its red ink is on every page.
    assert pages and all(sorted("ร่าง") == sorted(set("ร่าง") & set(page)) for page in pages)
    reds = [red_pixels(page) for page in gray_pixels(pdf_path, 20, colour=True)]
    assert len(reds) == len(pages) and min(reds) > 200, reds
    assert "งาว" not in " ".join(pages)  # the incomplete office gets no tier
    assert "ร่าง" in docx_text(docx_path) or _docx_header_text(docx_path).startswith("ร่าง")
    assert _docx_header_text(docx_path).startswith("ร่าง")
    import zipfile

    with zipfile.ZipFile(docx_path) as archive:  # the large mark across the page, in the header
        headers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header")]
    assert any('string="ร่าง"' in h and "v:textpath" in h for h in headers)


def _docx_header_text(path: Path) -> str:
    import docx

    return "".join(p.text for p in docx.Document(str(path)).sections[0].header.paragraphs)


# --------------------------------------------------------------------------- identical output, fonts


@pytest.mark.parametrize("kind", ["announcement", "certificates"])
def test_two_runs_give_identical_bytes(final_round: Round, tmp_path: Path, kind: str) -> None:
    first = document(kind, final_round, tmp_path / "a")
    second = document(kind, final_round, tmp_path / "b")
    assert first[0].exit_code == second[0].exit_code == 0
    assert first[1].read_bytes() == second[1].read_bytes()
    assert first[2].read_bytes() == second[2].read_bytes()
    import zipfile

    with zipfile.ZipFile(first[1]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2024-08-30T00:00:00" in core
    other = document(kind, final_round, tmp_path / "c", "--date", "2024-09-01")
    assert other[2].read_bytes() != first[2].read_bytes()


def test_no_thai_font_writes_the_docx_and_refuses_the_pdf(final_round: Round, tmp_path: Path) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    run, docx_path, pdf_path = document("announcement", final_round, tmp_path / "out",
                                        env={"OFFICESTAR_FONT_DIRS": str(empty)})
    assert run.exit_code == 2, run.output
    assert "fonts-thai-tlwg" in run.stderr and "ฟอนต์" in run.stderr
    assert docx_path.exists() and not pdf_path.exists()


def test_the_font_found_prefers_the_official_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = find_thai_font()
    assert found.family in ("TH SarabunPSK", "TH Sarabun New", "TH SarabunIT๙", "Sarabun", "Laksaman")
    monkeypatch.setenv("OFFICESTAR_FONT_DIRS", str(found.folder))
    assert find_thai_font("no such font").family == found.family


# --------------------------------------------------------------------------- shaping


def _ink(page: tuple[int, int, bytes]) -> tuple[int, int]:
    """(dark pixels, first row with ink) of a grey page."""
    width, height, data = page
    dark = sum(1 for value in data if value < 128)
    top = next((row for row in range(height) if min(data[row * width:(row + 1) * width]) < 128), height)
    return dark, top


# (a stack, its lower part, its mark set alone on a plain consonant, that consonant, whether the
# mark must be drawn above the lower part): the stacks of "ผู้ใหญ่ที่ปรึกษาน้ำใจ".
CLUSTERS = [
    ("ที่", "ที", "ท่", "ท", True),
    ("ผู้", "ผู", "ผ้", "ผ", True),
    ("น้ำ", "นำ", "น้", "น", True),
    ("ญ่", "ญ", "ก่", "ก", False),
    ("ปึ", "ป", "กึ", "ก", False),  # the vowel keeps clear of ป's tall stem
    ("ษา", "ษ", "กา", "ก", False),
]


def stack_problems(clusters: list[tuple[str, str, str, str, bool]], folder: Path) -> list[str]:
    """Set each text of ``clusters`` alone on a page at 90 pt (the baseline fixed) and measure the ink.

    A mark over another mark must be drawn above it (its ink starts higher), and
    on nothing: the stack's ink is its lower part's plus the mark's. Marks that
    collide lose ink to the overlap and start no higher.
    """
    import datetime as dt

    font = find_thai_font()
    texts = [t for cluster in clusters for t in cluster[:4]]
    pages = "\n#pagebreak()\n".join(f"#place(left + top, dx: 1cm, dy: 2cm, {literal(t)})" for t in texts)
    source = (f"#set page(width: 8cm, height: 9cm, margin: 0pt)\n#set text(font: {literal(font.family)}, "
              f'size: 90pt, top-edge: "ascender")\n{pages}\n')
    pdf = folder / "stacks.pdf"
    pdf.write_bytes(compile_pdf(source, font, dt.date(2024, 8, 30)))
    rendered = [_ink(p) for p in gray_pixels(pdf)]
    assert len(rendered) == len(texts)
    problems = []
    for i, (stacked, _lower, _alone, _plain, above) in enumerate(clusters):
        ink_stacked, top_stacked = rendered[4 * i]
        ink_lower, top_lower = rendered[4 * i + 1]
        ink_alone, _ = rendered[4 * i + 2]
        ink_plain, _ = rendered[4 * i + 3]
        if ink_plain >= ink_alone:
            problems.append(f"{stacked}: the mark is not drawn")
        if above and top_stacked >= top_lower - 3:
            problems.append(f"{stacked}: the mark is not above the lower one ({top_stacked} vs {top_lower})")
        expected = ink_lower + (ink_alone - ink_plain)
        if ink_stacked < 0.95 * expected:
            problems.append(f"{stacked}: marks overlap ({ink_stacked} of {expected} pixels)")
    return problems


def test_stacked_thai_marks_sit_on_their_consonants_without_overlap(tmp_path: Path) -> None:
    assert stack_problems(CLUSTERS, tmp_path) == []
    # The check catches a collision: a tone mark from the private-use area in its low position
    # (how old Thai encodings drew it) set over SARA II lands on the vowel.
    assert stack_problems([("ที\uf70a", "ที", "ท\uf70a", "ท", True)], tmp_path)


def test_the_phrase_is_set_and_kept_whole(tmp_path: Path) -> None:
    import datetime as dt

    font = find_thai_font()
    phrase = "ผู้ใหญ่ที่ปรึกษาน้ำใจ"
    source = (f"#set page(width: 12cm, height: auto, margin: 1cm)\n"
              f"#set text(font: {literal(font.family)}, size: 24pt)\n#{literal(phrase)}\n")
    pdf = tmp_path / "phrase.pdf"
    pdf.write_bytes(compile_pdf(source, font, dt.date(2024, 8, 30)))
    assert bare(pdf_pages(pdf)[0]) == phrase
    render_pages(pdf, "shaping")


# --------------------------------------------------------------------------- small parts


def test_line_breaks_fall_between_thai_words_only() -> None:
    text = "ในการประเมินโครงการ Office Star ประจำปีงบประมาณ พ.ศ.\u00a02567 (นายสมชาย) ลำปาง"
    runs = breakable_runs(text)
    assert "".join(runs) == text
    assert "การประเมิน" in runs and "โครงการ" in runs and "พ.ศ.\u00a02567" in runs and "(นายสมชาย)" not in runs
    assert with_break_marks("ผู้ใหญ่ที่ปรึกษา").replace("\u200b", "") == "ผู้ใหญ่ที่ปรึกษา"
    assert "\u200b" in with_break_marks("ผู้ใหญ่ที่ปรึกษา")
    lines = fill_lines("สำนักงานพัฒนาชุมชนจังหวัดลำปางได้ดำเนินโครงการเพื่อส่งเสริม", 16)
    assert "".join(lines) == "สำนักงานพัฒนาชุมชนจังหวัดลำปางได้ดำเนินโครงการเพื่อส่งเสริม"
    words = set(breakable_runs("".join(lines)))
    assert len(lines) > 1 and all(set(breakable_runs(line)) <= words for line in lines)


def test_dates_and_tiers_as_options(rubric) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from officestar_cli.base.errors import OfficestarError
    from officestar_cli.cli.options import report_date
    from officestar_cli.cli.usage import UsageProblem

    # The documents take --date as every command does (one parser).
    assert report_date("2567-08-30") == report_date("2024-08-30") == report_date("๒๕๖๗-๐๘-๓๐") == dt.date(2024, 8, 30)
    for bad in ("1899-01-01", "30/08/2567", "2567-02-30", "2024-13-01", "12024-01-01"):
        with pytest.raises(UsageProblem):
            report_date(bad)
    assert parse_tier("2", rubric).th == parse_tier("Very good", rubric).th == "ดีมาก"
    with pytest.raises(OfficestarError):
        parse_tier("0", rubric)


def test_signatories_and_documents_keys_stay_out_of_the_fingerprint(tmp_path: Path) -> None:
    base = load_rubric(ROOT / "rubric.yaml")
    path = _rubric_with_signatories(tmp_path)
    path.write_text(path.read_text("utf-8") + "documents: {font: TH Sarabun New, size: 15, opening: 'ก{round}'}\n",
                    "utf-8")
    extended = load_rubric(path)
    assert extended.fingerprint == base.fingerprint
    assert [s.name for s in extended.signatories] == [s[0] for s in SIGNATORIES]
    assert extended.signatories[0].role == "approver" and extended.documents.size == Decimal(15)
    bad = tmp_path / "bad.yaml"
    bad.write_text(path.read_text("utf-8").replace("role: chair", "role: boss"), "utf-8")
    from officestar_cli.rubric.problems import RubricError

    with pytest.raises(RubricError):
        load_rubric(bad)


def test_the_markdown_report_ends_with_the_committee_signature_block(tmp_path: Path) -> None:
    run = invoke(["score", *EXAMPLES, "--store", tmp_path / "s.sqlite3", "--out", tmp_path / "r",
                  "--date", DATE])
    assert run.exit_code == 0, run.output
    text = (tmp_path / "r" / "officestar-2567-round-2.md").read_text("utf-8")
    block = text[text.index("### ลงนามคณะกรรมการ"):]
    for member in ("นาย ก", "นาง ข", "นางสาว ค", "นาย ง", "นาง จ"):
        assert f"| ({member}) | (ลงชื่อ) ....." in block
    assert block.count("30 สิงหาคม 2567") == 5


def test_a_font_the_rubric_names_but_this_machine_lacks_is_replaced_with_a_warning(
    final_round: Round, tmp_path: Path,
) -> None:
    import json

    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(final_round.rubric.read_text("utf-8") + "documents: {font: No Such Thai Font}\n", "utf-8")
    at = Round(rubric, final_round.store, tmp_path)
    run, docx_path, pdf_path = document("announcement", at, tmp_path / "out", "--json")
    assert run.exit_code == 0, run.output
    assert "No Such Thai Font" in run.stderr
    assert json.loads(run.stdout)["font"] == find_thai_font().family
    import zipfile

    with zipfile.ZipFile(docx_path) as archive:  # the docx names the rubric's font all the same
        assert 'w:cs="No Such Thai Font"' in archive.read("word/styles.xml").decode()
    assert pdf_path.exists()
