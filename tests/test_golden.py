"""Golden files: the example round's reports against committed expected reports.

The Markdown report is compared as text and the Excel report cell by cell.
Import times are the only values that differ between runs (they are the time
the test ran), so they are masked on both sides. To accept a deliberate change
of the reports, run with OFFICESTAR_REGEN_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
NAME = "officestar-2567-round-2"
REPORT_DATE = "2024-08-30"
# "25 พฤศจิกายน 2569 15:23:18 UTC", "25 November 2026 15:23:18 UTC", ISO stamps.
_STAMP = re.compile(
    r"\d{1,2} \S+ \d{4}(?: \(BE \d{4}\))? \d{2}:\d{2}(?::\d{2})?(?: UTC)?"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\+00:00|Z)?"
)


def _mask(text: str) -> str:
    return _STAMP.sub("<import time>", text)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("golden")
    examples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "round-2").glob("*.xlsx"))
    done = subprocess.run(
        [sys.executable, "-m", "officestar_cli", "score", *examples, "--store", str(out / "s.sqlite3"),
         "--out", str(out / "reports"), "--date", REPORT_DATE, "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    if os.environ.get("OFFICESTAR_REGEN_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        for suffix in (".md", ".xlsx"):
            shutil.copyfile(out / "reports" / f"{NAME}{suffix}", GOLDEN / f"{NAME}{suffix}")
    return out / "reports", json.loads(done.stdout)


def test_markdown_report_matches_the_golden_file(reports: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = reports
    made = _mask((folder / f"{NAME}.md").read_text("utf-8"))
    expected = _mask((GOLDEN / f"{NAME}.md").read_text("utf-8"))
    assert made.splitlines() == expected.splitlines()


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    return {
        sheet.title: [
            [_mask(v) if isinstance(v, str) else v for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }


def test_excel_report_matches_the_golden_file_cell_by_cell(reports: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = reports
    made = _cells(folder / f"{NAME}.xlsx")
    expected = _cells(GOLDEN / f"{NAME}.xlsx")
    assert list(made) == list(expected)
    for sheet, rows in expected.items():
        assert len(made[sheet]) == len(rows), sheet
        for number, (got, want) in enumerate(zip(made[sheet], rows, strict=True), start=1):
            assert got == want, f"{sheet} row {number}"


def test_json_and_the_excel_report_agree(reports: tuple[Path, dict[str, Any]]) -> None:
    """Every office's rank, total and tier in --json stand on the Excel ranking sheet."""
    folder, data = reports
    import openpyxl

    ranking = openpyxl.load_workbook(folder / f"{NAME}.xlsx").worksheets[0]
    rows = [[c for c in row] for row in ranking.iter_rows(values_only=True)]
    for office in data["offices"]:
        row = next(r for r in rows if office["office"] in r)
        assert office["rank"] in row
        # A number is a number in the workbook: a whole total is stored as "80", which openpyxl
        # reads as an int. The rank (first column) is left out, so it cannot stand in for a total.
        assert any(
            isinstance(v, int | float) and not isinstance(v, bool) and f"{v:.2f}" == office["total"] for v in row[1:]
        ), row
        assert (office["tier"] or "ไม่ผ่านเกณฑ์") in row


def test_the_golden_round_shows_the_tie_and_the_boundary(reports: tuple[Path, dict[str, Any]]) -> None:
    """What the examples were built to show stays true (see examples/make_round2.py)."""
    _, data = reports
    by_id = {o["office_id"]: o for o in data["offices"]}
    assert by_id["lp-wang-nuea"]["total"] == "80.00"
    assert by_id["lp-wang-nuea"]["tier"] == "ดีเด่น"
    assert by_id["lp-ko-kha"]["total"] == by_id["lp-mae-tha"]["total"] == "72.00"
    assert by_id["lp-ko-kha"]["rank"] == by_id["lp-mae-tha"]["rank"]


def test_the_example_report_prints_and_its_ranking_page_is_rendered(
    reports: tuple[Path, dict[str, Any]], soffice: str, pdftotext: str
) -> None:
    """The example report printed to PDF by LibreOffice, with the ranking page rendered to
    tests/artifacts/ranking-page-1.png for a reviewer to look at."""
    from helpers import soffice_convert

    folder, data = reports
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    pdf = soffice_convert(folder / f"{NAME}.xlsx", artifacts, "pdf", soffice=soffice)
    text = subprocess.run([pdftotext, "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, check=True, timeout=120).stdout.decode("utf-8")
    import unicodedata

    flat = "".join(unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33").split())
    for office in data["offices"]:
        assert "".join(office["office"].split()) in flat, office["office"]
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm comes with pdftotext (poppler-utils)"
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(artifacts / "ranking-page-1")], check=True, timeout=120)
    assert (artifacts / "ranking-page-1.png").stat().st_size > 1000
