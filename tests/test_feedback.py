"""Each office's feedback report, and the round's HTML page (what people look at).

The feedback numbers are checked against the committee's cells read independently,
the privacy rule by searching every file, the HTML by rendering it in headless
Chromium with networking off.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import require
from helpers import thai_text
from officestar_cli.intake.reader import read_workbook
from officestar_cli.rubric.load import load_rubric
from officestar_cli.scoring.exact import fmt, shown

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "feedback"
ARTIFACTS = ROOT / "tests" / "artifacts"
EXAMPLES = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
RUBRIC = ROOT / "rubric.yaml"
DATE = "2024-08-30"
NOTE = "เอกสารครบ <b>ตรวจแล้ว</b> | ดูแฟ้ม 3"


def _run(*args: str | Path, cwd: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    done = subprocess.run(
        [sys.executable, "-m", "officestar_cli", *map(str, args), "--rubric", str(RUBRIC)],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=300, check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _with_a_note(src: Path, dst: Path, office_id: str, criterion_id: str) -> Path:
    rubric = load_rubric(RUBRIC)
    reading = read_workbook(src, rubric, rubric.round)
    where = next(s for s in reading.scores if s.office_id == office_id and s.criterion_id == criterion_id)
    book = load_workbook(src)
    row = re.sub(r"[A-Z]+", "", where.cell)
    book[where.sheet][f"F{row}"] = NOTE
    book.save(dst)
    return dst


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Any], list[Path]]:
    folder = tmp_path_factory.mktemp("feedback")
    files = [*EXAMPLES[1:], _with_a_note(EXAMPLES[0], folder / EXAMPLES[0].name, "lp-ngao", "3.2")]
    store = folder / "s.sqlite3"
    scored = _run("score", *files, "--store", store, "--out", folder / "reports", "--date", DATE, "--json",
                  cwd=folder)
    assert scored.returncode == 0, scored.stderr
    done = _run("feedback", "--store", store, "--out", folder / "fb", "--date", DATE, "--json", cwd=folder)
    assert done.returncode == 0, done.stderr
    if os.environ.get("OFFICESTAR_REGEN_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for md in (folder / "fb").glob("*.md"):
            shutil.copyfile(md, GOLDEN / md.name)
    return folder, json.loads(scored.stdout), json.loads(done.stdout), files


def test_one_report_per_office_in_four_formats(made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]]) -> None:
    _folder, _, data, _ = made
    rubric = load_rubric(RUBRIC)
    assert [o["office_id"] for o in data["offices"]] == [o.id for o in rubric.offices]
    for office in data["offices"]:
        stem = f"officestar-2567-round-2-feedback-{office['office_id']}"
        assert sorted(Path(p).name for p in office["files"]) == sorted(
            f"{stem}.{s}" for s in ("html", "md", "pdf", "xlsx"))
        assert all(Path(p).is_file() for p in office["files"])


def test_the_golden_feedback_files(made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]]) -> None:
    folder, _, _, _ = made
    produced = sorted((folder / "fb").glob("*.md"))
    assert len(produced) == 14
    for md in produced:
        assert md.read_text("utf-8").splitlines() == (GOLDEN / md.name).read_text("utf-8").splitlines(), md.name


def test_totals_tiers_and_ranks_equal_the_round_report(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    _, scored, data, _ = made
    by_id = {o["office_id"]: o for o in scored["offices"]}
    for office in data["offices"]:
        round_office = by_id[office["office_id"]]
        assert (office["total"], office["tier"], office["rank"]) == (
            round_office["total"], round_office["tier"], round_office["rank"])


def test_every_criterion_score_is_the_mean_of_the_members_cells(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    _, _, data, files = made
    rubric = load_rubric(RUBRIC)
    cells: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for path in files:
        for score in read_workbook(path, rubric, rubric.round).scores:
            cells[(score.office_id, score.criterion_id)].append(score.value)
    shares: dict[str, list[Fraction]] = defaultdict(list)
    for (_office_id, criterion_id), values in cells.items():
        maximum = Fraction(rubric.criterion_by_id[criterion_id].max)
        shares[criterion_id].append(Fraction(sum(values)) / len(values) / maximum)
    for office in data["offices"]:
        for line in office["criteria"]:
            values = cells[(office["office_id"], line["criterion_id"])]
            mean = Fraction(sum(values)) / len(values)
            assert line["score"] == fmt(shown(mean, 2), 2)
            ordered = sorted(shares[line["criterion_id"]])
            middle = len(ordered) // 2
            median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
            assert line["median_share"] == fmt(shown(median * 100, 2), 2)


def test_strengths_and_weaknesses_are_the_largest_and_smallest_gaps(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    _, _, data, _ = made
    for office in data["offices"]:
        gaps = [(Decimal(line["gap"]), i, line["criterion_id"]) for i, line in enumerate(office["criteria"])]
        assert office["strengths"] == [c for _, _, c in sorted(gaps, key=lambda g: (-g[0], g[1]))[:3]]
        assert office["weaknesses"] == [c for _, _, c in sorted(gaps, key=lambda g: (g[0], g[1]))[:3]]


def _pdf_text(pdf: Path, *, layout: bool = False) -> str:
    """The PDF's text layer (pdftotext), as compared: NFC, SARA AM joined (``helpers.thai_text``) per line."""
    tool = require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    out = subprocess.run([tool, *(["-layout"] if layout else []), str(pdf), "-"], capture_output=True, text=True,
                         encoding="utf-8", check=True, timeout=60).stdout
    return "\n".join(thai_text(line) for line in out.splitlines())


def _texts(path: Path) -> str:
    if path.suffix == ".pdf":
        return _pdf_text(path)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    return path.read_text("utf-8")


def test_no_member_name_and_no_individual_score_in_any_feedback_file(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    _folder, _, data, files = made
    rubric = load_rubric(RUBRIC)
    readings = [read_workbook(path, rubric, rubric.round) for path in files]
    names = {r.member for r in readings if r.member}
    assert len(names) == 5
    for office in data["offices"]:
        aggregate = {line["criterion_id"]: line["score"] for line in office["criteria"]}
        individual = {
            fmt(s.value.quantize(Decimal("0.01")), 2)
            for r in readings for s in r.scores
            if s.office_id == office["office_id"] and fmt(s.value.quantize(Decimal("0.01")), 2)
            != aggregate[s.criterion_id]
        }
        for file in office["files"]:
            text = _texts(Path(file)).replace(NOTE, "").replace("&lt;b&gt;", "")
            if Path(file).suffix == ".pdf":
                _pdf_keeps_private(Path(file), office, aggregate, individual, names)
                continue
            for name in names:
                assert name not in text, (file, name)
            if Path(file).suffix == ".md":
                for line in text.splitlines():
                    match = re.match(r"\| (\d+\.\d+) .*? \| [\d.]+ \| ([\d.]+) \|", line)
                    if match:
                        assert match.group(2) == aggregate[match.group(1)], line
                        assert match.group(2) not in individual or match.group(2) == aggregate[match.group(1)]


def _pdf_keeps_private(pdf: Path, office: dict[str, Any], aggregate: dict[str, str], individual: set[str],
                       names: set[str]) -> None:
    """No member name in the PDF's text; its table shows the aggregates; no number in it is a member's own
    score (unless the same figure is also something the report prints for the office)."""
    text = _pdf_text(pdf)
    # The text layer breaks lines wherever the page did: names and the note are compared without spaces.
    bare = re.sub(r"\s+", "", text).replace(re.sub(r"\s+", "", NOTE), "")
    assert re.sub(r"\s+", "", office["office"]) in bare, pdf.name  # the text layer was read
    for name in names:
        assert re.sub(r"\s+", "", name) not in bare, (pdf.name, name)
    rows = {}
    for line in _pdf_text(pdf, layout=True).splitlines():
        match = re.match(r"(\d+\.\d+) .*? ([\d.]+) ([\d.]+) ([\d.]+)% ([\d.]+)% (-?[\d.]+)$", line)
        if match:
            rows[match.group(1)] = match.group(3)
    assert rows == aggregate, pdf.name
    printed = {office["total"] or "", *aggregate.values()}
    for line in office["criteria"]:
        printed |= {line["share"] or "", line["median_share"] or "", line["gap"] or ""}
    numbers = set(re.findall(r"-?\d+\.\d\d", text))
    assert not (numbers & (individual - printed)), (pdf.name, numbers & (individual - printed))


def test_notes_are_kept_as_written_under_an_anonymous_heading(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    folder, _, _, _ = made
    md = (folder / "fb" / "officestar-2567-round-2-feedback-lp-ngao.md").read_text("utf-8")
    # Markdown escapes what HTML or a table would take as markup; shown, it reads as written.
    assert "**กรรมการ 1 · 3.2:** เอกสารครบ &lt;b&gt;ตรวจแล้ว&lt;/b&gt; \\| ดูแฟ้ม 3" in md
    html = (folder / "fb" / "officestar-2567-round-2-feedback-lp-ngao.html").read_text("utf-8")
    assert "เอกสารครบ &lt;b&gt;ตรวจแล้ว&lt;/b&gt; | ดูแฟ้ม 3" in html
    other = (folder / "fb" / "officestar-2567-round-2-feedback-lp-thoen.md").read_text("utf-8")
    assert "เอกสารครบ" not in other


def test_the_heading_order_follows_neither_names_nor_files() -> None:
    from officestar_cli.reports.feedback import member_order

    names = ["นาย ก", "นาง ข", "นางสาว ค", "นาย ง", "นาง จ"]
    orders = {tuple(member_order(r, 2567, names)) for r in range(1, 6)}
    assert len(orders) > 1  # depends on the round, not on the names' order
    assert member_order(2, 2567, names) == member_order(2, 2567, list(reversed(names)))


def test_an_unknown_office_is_exit_2(made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]]) -> None:
    folder, _, _, _ = made
    done = _run("feedback", "--store", folder / "s.sqlite3", "--office", "nowhere", "--out", folder / "x",
                cwd=folder)
    assert done.returncode == 2 and "nowhere" in done.stderr
    assert not (folder / "x").exists()


# --------------------------------------------------------------------------- PDF


def test_the_feedback_pdf_renders_with_the_office_and_every_criterion(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    """Every page of one office's PDF is kept as PNG under tests/artifacts/feedback/ for a person to look at."""
    folder, _, _, _ = made
    pdf = folder / "fb" / "officestar-2567-round-2-feedback-lp-ngao.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    tool = require("pdftoppm", shutil.which("pdftoppm"), "apt-get install poppler-utils")
    shots = ARTIFACTS / "feedback"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run([tool, "-r", "70", "-png", str(pdf), str(shots / pdf.stem)], check=True, timeout=120)
    pages = sorted(shots.glob(f"{pdf.stem}-*.png"))
    assert pages
    from PIL import Image

    assert all(Image.open(page).convert("L").getbbox() is not None for page in pages)
    assert Image.open(pages[0]).size[0] < Image.open(pages[0]).size[1]  # A4 portrait
    rubric = load_rubric(RUBRIC)
    text = _pdf_text(pdf)
    bare = re.sub(r"\s+", "", text)
    office = rubric.office_by_id["lp-ngao"]
    assert office.th in text
    for criterion in rubric.criteria:
        assert re.search(rf"(?m)^{re.escape(criterion.id)} ", text), criterion.id
    assert "กรรมการ1" in bare and re.sub(r"\s+", "", NOTE) in bare  # the note under its heading
    for label in ("จุดแข็ง", "จุดที่ควรพัฒนา", "ข้อสังเกตของกรรมการ", "คะแนนรวม", "อันดับ"):
        assert label in text, label


def test_the_feedback_pdfs_are_the_same_bytes_on_a_second_run(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]],
) -> None:
    folder, _, _, _ = made
    again = _run("feedback", "--store", folder / "s.sqlite3", "--out", folder / "fb-again", "--date", DATE,
                 "--office", "lp-ngao", "--office", "lp-thoen", cwd=folder)
    assert again.returncode == 0, again.stderr
    produced = sorted((folder / "fb-again").glob("*.pdf"))
    assert len(produced) == 2
    for pdf in produced:
        assert pdf.read_bytes() == (folder / "fb" / pdf.name).read_bytes(), pdf.name
    other_day = _run("feedback", "--store", folder / "s.sqlite3", "--out", folder / "fb-day", "--date", "2024-09-02",
                     "--office", "lp-ngao", cwd=folder)
    assert other_day.returncode == 0, other_day.stderr
    name = "officestar-2567-round-2-feedback-lp-ngao.pdf"
    assert (folder / "fb-day" / name).read_bytes() != (folder / "fb" / name).read_bytes()


def test_without_a_thai_font_the_other_files_are_written_and_the_pdf_is_refused(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]], tmp_path: Path,
) -> None:
    folder, _, _, _ = made
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    done = _run("feedback", "--store", folder / "s.sqlite3", "--out", tmp_path / "fb", "--date", DATE,
                "--office", "lp-ngao", cwd=folder, extra={"OFFICESTAR_FONT_DIRS": str(empty)})
    assert done.returncode == 2, done.stderr
    assert "ฟอนต์" in done.stderr and "fonts-thai-tlwg" in done.stderr
    stem = tmp_path / "fb" / "officestar-2567-round-2-feedback-lp-ngao"
    assert all(stem.with_suffix(f".{suffix}").is_file() for suffix in ("xlsx", "md", "html"))
    assert not stem.with_suffix(".pdf").exists()


# --------------------------------------------------------------------------- HTML


_EXTERNAL = re.compile(r"""(?:src|href)\s*=|url\(|@import|<script|<link""", re.IGNORECASE)


def test_html_pages_are_self_contained(made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]]) -> None:
    folder, _, _, _ = made
    pages = [folder / "reports" / "officestar-2567-round-2.html", *sorted((folder / "fb").glob("*.html"))]
    assert len(pages) == 15
    for page in pages:
        text = page.read_text("utf-8")
        assert not _EXTERNAL.search(text.replace('xmlns="http://www.w3.org/2000/svg"', "")), page.name
        assert "<svg" in text


def test_html_numbers_equal_the_round_json(made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]]) -> None:
    folder, scored, _, _ = made
    text = (folder / "reports" / "officestar-2567-round-2.html").read_text("utf-8")
    for office in scored["offices"]:
        assert re.search(rf"<td>{re.escape(office['office'])}</td><td class=\"n\">{re.escape(office['total'])}</td>",
                         text), office["office"]


def test_html_numbers_equal_the_excel_report(made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]]) -> None:
    """Every office's total in the HTML table is the total the Excel ranking sheet shows."""
    folder, _, _, _ = made
    text = (folder / "reports" / "officestar-2567-round-2.html").read_text("utf-8")
    sheet = load_workbook(folder / "reports" / "officestar-2567-round-2.xlsx").worksheets[0]
    rubric = load_rubric(RUBRIC)
    names = {o.th for o in rubric.offices}
    found = 0
    for row in sheet.iter_rows(values_only=True):
        cells = [c for c in row if c is not None]
        office = next((c for c in cells if c in names), None)
        if office is None:
            continue
        total = next(c for c in cells[cells.index(office) + 1:] if isinstance(c, (int, float)))
        shown = f"{total:.{rubric.precision}f}"
        assert f'<td>{office}</td><td class="n">{shown}</td>' in text, (office, shown)
        found += 1
    assert found == len(rubric.offices)


def test_an_office_named_like_a_script_is_escaped(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(RUBRIC.read_text("utf-8"))
    data["offices"][0]["th"] = "<script>alert(1)</script>"
    rubric_path = tmp_path / "rubric.yaml"
    rubric_path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    done = subprocess.run(
        [sys.executable, "-m", "officestar_cli", "score", *map(str, EXAMPLES), "--rubric", str(rubric_path),
         "--store", str(tmp_path / "s.sqlite3"), "--out", str(tmp_path / "r"), "--date", DATE],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r" / "officestar-2567-round-2.html").read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set and chromium is not installed", pytrace=False)
        pytest.skip("chromium is not installed (.ci/run installs it)")
    return found


def _screenshot(html: Path, shot: Path, browser: str, profile: Path, size: tuple[int, int]) -> None:
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--proxy-server=127.0.0.1:9",
         "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
         f"--screenshot={shot}", html.as_uri()],
        capture_output=True, timeout=120, check=True,
    )


def test_html_pages_render_with_their_charts(
    made: tuple[Path, dict[str, Any], dict[str, Any], list[Path]], tmp_path: Path,
) -> None:
    """The whole page is kept as an artifact; each chart is rendered alone at its own size, and its box
    must hold drawn pixels (bars in the bar colour, not only text)."""
    from PIL import Image

    browser = _chromium()
    folder, _, _, _ = made
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in (folder / "reports" / "officestar-2567-round-2.html",
                 folder / "fb" / "officestar-2567-round-2-feedback-lp-ngao.html"):
        _screenshot(page, ARTIFACTS / f"{page.stem}.png", browser, tmp_path / "profile", (1150, 2400))
        assert Image.open(ARTIFACTS / f"{page.stem}.png").getbbox() is not None
        text = page.read_text("utf-8")
        charts = re.findall(r'<figure id="([^"]+)">(<svg[^>]* width="(\d+)" height="(\d+)".*?</svg>)', text, re.S)
        assert charts, page.name
        for name, chart, width, height in charts:
            alone = tmp_path / f"{name}.html"
            alone.write_text(f'<!DOCTYPE html><html><body style="margin:0;background:#fff">{chart}</body></html>',
                             "utf-8")
            shot = ARTIFACTS / f"{page.stem}-{name}.png"
            _screenshot(alone, shot, browser, tmp_path / "profile", (int(width), int(height)))
            image = Image.open(shot).convert("RGB")
            pixels = list(image.getdata())
            inked = sum(1 for p in pixels if p != (255, 255, 255))
            bar_coloured = sum(
                1 for r, g, b in pixels if abs(r - 0x2F) < 24 and abs(g - 0x5D) < 24 and abs(b - 0x8A) < 24
            )
            assert inked > len(pixels) // 50, (page.name, name, inked)
            if name != "chart-heatmap":
                assert bar_coloured > 1000, (page.name, name, bar_coloured)


LONG_LABEL = "5.3 นวัตกรรมการจัดการองค์ความรู้และการพัฒนาศักยภาพของผู้นำชุมชนให้เข้มแข็งอย่างยั่งยืนทุกหมู่บ้าน"
LONG_OFFICE = "สำนักงานพัฒนาชุมชนอำเภอเมืองปานจังหวัดลำปาง"


def _broken_at_words(label: str, lines: list[str], columns: int) -> None:
    """``lines`` give ``label`` back, each ends where ``breakable_runs`` allows a break, none is too wide."""
    from officestar_cli.reports.documents.wrap import breakable_runs, display_width

    assert len(lines) >= 2, lines
    assert "".join(lines).replace(" ", "") == label.replace(" ", "")
    boundaries, at = set(), 0
    for run in breakable_runs(label):
        at += len(run.replace(" ", ""))
        boundaries.add(at)
    at = 0
    for line in lines[:-1]:
        at += len(line.replace(" ", ""))
        assert at in boundaries, (line, lines)
    assert all(display_width(line) <= columns for line in lines), lines


def test_a_long_thai_label_in_an_svg_breaks_only_between_words() -> None:
    """SVG does not wrap: the charts' labels are cut by the documents' one wrapping function, at the
    boundaries its ``breakable_runs`` gives, never inside a Thai word."""
    from html import unescape

    from officestar_cli.reports import svg

    drawn = svg.profile([LONG_LABEL, "1.1 สั้น"], [Fraction(1, 2), None], [Fraction(3, 4), None], "t")
    labels = [unescape(t) for t in re.findall(r'<text x="292" [^>]*text-anchor="end"[^>]*>([^<]*)</text>', drawn)]
    assert labels[-1] == "1.1 สั้น"
    _broken_at_words(LONG_LABEL, labels[:-1], 40)
    bars = [svg.Bar(LONG_OFFICE, Fraction(70), Fraction(60), Fraction(80), "70.00"),
            svg.Bar("เถิน", Fraction(50), None, None, "50.00")]
    drawn = svg.bar_chart(bars, Fraction(100), [(Fraction(80), "ดีเด่น")], "t")
    labels = [unescape(t) for t in re.findall(r'<text x="162" [^>]*text-anchor="end"[^>]*>([^<]*)</text>', drawn)]
    assert labels[-1] == "เถิน"
    _broken_at_words(LONG_OFFICE, labels[:-1], svg.BAR_LABEL_COLUMNS)
    lower = re.findall(r'<text x="162" y="([\d.]+)"', drawn)
    assert float(lower[-1]) > float(lower[-2])  # the next office's row starts below the wrapped name
