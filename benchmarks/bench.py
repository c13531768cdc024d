"""Benchmark: officestar end to end beside the naive reader and the floor.

    python benchmarks/bench.py [--sizes 100,1000] [--shape wide|deep|both] [--json PATH] [--repeat 3]

Builds (and caches under benchmarks/.cache/) filled score workbooks with the
template writer and the deterministic filler, re-saved with shared strings as
Excel stores text. Then, on the same files, in one run:

- ``officestar check`` and ``officestar score`` end to end, as subprocesses
  (fresh store, reports written): wall time and peak memory of the child;
- the naive reader: openpyxl default mode, every row of every sheet;
- the floor: inflating every zip member of every file, no parsing;
- both reports (Excel and Markdown) built in process from the recorded round;
- the round's HTML page built in process: its time and its size (for the deep
  shape, a 954-office round; targets under 2 s and 5 MB, a figure to read, not
  a timed test);
- ``officestar --help`` and ``--version`` start-up (median of 5).

The floor, check and score run ``--repeat`` times, interleaved, and the quickest
of each is shown (as ``timeit`` does): on a shared machine the slow runs measure
the neighbours. The naive reader runs once.

Shapes: wide = N workbooks x 15 sheets (the shipped rubric); deep = N/100
workbooks x 954 office sheets (a generated 954-office rubric, passed with
--rubric). Prints a table and writes the same rows as JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
sys.path.insert(0, str(ROOT / "tests"))  # the workbook filler lives with the tests (tests/support)
NATIONAL_OFFICES = 954  # 76 provincial + 878 district community-development offices


def rubric_for(shape: str) -> Path:
    if shape == "wide":
        return ROOT / "rubric.yaml"
    path = CACHE / "rubric-954.yaml"
    if not path.exists():
        text = (ROOT / "rubric.yaml").read_text(encoding="utf-8")
        head = text[: text.index("\noffices:")]
        tail = text[text.index("\nzones:") :]
        lines = ["", "offices:"]
        for i in range(1, NATIONAL_OFFICES + 1):
            lines += [f"  - id: office-{i:04d}", f"    th: สำนักงาน {i:04d}", f"    en: Office {i:04d}"]
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(head + "\n".join(lines) + tail, encoding="utf-8")
    return path


def corpus(shape: str, count: int) -> list[Path]:
    """``count`` filled workbooks of distinct members (cached)."""
    folder = CACHE / f"{shape}-{count}"
    files = sorted(folder.glob("*.xlsx"))
    if len(files) == count:
        return files
    from officestar_cli.rubric.load import load_rubric
    from officestar_cli.workbook.template import build_workbook
    from support.filler import fill_workbook, to_shared_strings

    rubric = load_rubric(rubric_for(shape))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        seed_member, seed_id = "MEMBER-SEED-000000", "00000000-0000-4000-8000-000000000000"
        blank, filled, shared = (Path(tmp) / n for n in ("blank.xlsx", "filled.xlsx", "shared.xlsx"))
        build_workbook(rubric, rubric.round, seed_member, seed_id).save(blank)

        def score(office_id: str, criterion_id: str) -> Decimal:
            maximum = rubric.criterion_by_id[criterion_id].max
            share = Decimal(50 + zlib.crc32(f"{office_id}/{criterion_id}".encode()) % 50) / 100
            return (maximum * share / Decimal("0.25")).quantize(Decimal(1)) * Decimal("0.25")

        fill_workbook(blank, filled, rubric, score)
        to_shared_strings(filled, shared)
        with zipfile.ZipFile(shared) as zin:
            parts = {info.filename: zin.read(info) for info in zin.infolist()}
        for i in range(count):
            member = f"กรรมการ {i:06d}".encode()
            workbook_id = f"00000000-0000-4000-8000-{i:012d}".encode()
            sst = parts["xl/sharedStrings.xml"].replace(seed_member.encode(), member)
            sst = sst.replace(seed_id.encode(), workbook_id)
            with zipfile.ZipFile(folder / f"wb-{i:06d}.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
                for name, data in parts.items():
                    zout.writestr(name, sst if name == "xl/sharedStrings.xml" else data)
    return sorted(folder.glob("*.xlsx"))


def timed_child(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the child and its children), exit code."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); w = time.perf_counter() - t\n"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, p.returncode)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    wall, peak, code = out.stdout.split()
    return float(wall), float(peak), int(code)


def officestar(*args: str) -> list[str]:
    return [sys.executable, "-m", "officestar_cli", *args]


def naive(files: list[Path]) -> float:
    import openpyxl

    start = time.perf_counter()
    records = []
    for path in files:
        workbook = openpyxl.load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                if row and isinstance(row[0], str) and row[0][:1].isdigit():
                    records.append((sheet.title, row[0], row[4] if len(row) > 4 else None))
    return time.perf_counter() - start


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                archive.read(info)
    return time.perf_counter() - start


def startup(flag: str) -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(officestar(flag), capture_output=True, check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def reports_time(store_path: Path, rubric_path: str, repeat: int) -> float:
    """The quickest of ``repeat`` in-process builds of both reports (Excel and Markdown) of a recorded round."""
    import datetime as dt

    from officestar_cli.reports.excel import build_report
    from officestar_cli.reports.markdown import render_markdown
    from officestar_cli.rubric.load import load_rubric
    from officestar_cli.scoring.aggregate import aggregate
    from officestar_cli.store.store import Store

    rubric = load_rubric(Path(rubric_path))
    store = Store(store_path, create=False)
    try:
        result = aggregate(store, rubric, rubric.round)
    finally:
        store.close()
    day, runs = dt.date(2024, 8, 30), []
    for _ in range(repeat):
        start = time.perf_counter()
        build_report(result, lang="th", date=day, provisional=False, tool_version="bench")
        render_markdown(result, lang="th", date=day, provisional=False, tool_version="bench")
        runs.append(time.perf_counter() - start)
    return min(runs)


def html_page(store_path: Path, rubric_path: str, repeat: int) -> tuple[float, int, int]:
    """The quickest of ``repeat`` in-process builds of the round's HTML page; its size in bytes; its offices."""
    import datetime as dt

    from officestar_cli.reports.html import round_page
    from officestar_cli.rubric.load import load_rubric
    from officestar_cli.scoring.aggregate import aggregate
    from officestar_cli.store.store import Store

    rubric = load_rubric(Path(rubric_path))
    store = Store(store_path, create=False)
    try:
        result = aggregate(store, rubric, rubric.round)
    finally:
        store.close()
    day, runs, page = dt.date(2024, 8, 30), [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        page = round_page(result, lang="th", date=day, provisional=not result.complete)
        runs.append(time.perf_counter() - start)
    return min(runs), len(page.encode("utf-8")), len(result.offices)


def best(runs: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    """The quickest wall time, the highest peak and the worst exit code of repeated runs."""
    return min(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def run_shape(shape: str, count: int, with_naive: bool, repeat: int) -> list[dict[str, Any]]:
    files = corpus(shape, count)
    rubric = str(rubric_for(shape))
    rows: list[dict[str, Any]] = []
    naive_s = naive(files) if with_naive else None
    floors: list[float] = []
    checks: list[tuple[float, float, int]] = []
    scores: list[tuple[float, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files"
        listing.mkdir()
        for path in files:  # a folder argument keeps command lines short at any N
            (listing / path.name).symlink_to(path)
        # Interleaved, so that a slow spell of a shared machine falls on all three alike.
        for attempt in range(repeat):
            floors.append(floor(files))
            checks.append(timed_child(officestar("check", str(listing), "--rubric", rubric)))
            scores.append(timed_child(
                officestar("score", str(listing), "--rubric", rubric, "--store", f"{tmp}/s-{attempt}.sqlite3",
                           "--out", f"{tmp}/reports-{attempt}")
            ))
        reports_s = reports_time(Path(f"{tmp}/s-0.sqlite3"), rubric, max(1, repeat))
        html_s, html_bytes, offices = html_page(Path(f"{tmp}/s-0.sqlite3"), rubric, max(1, repeat))
    base = min(floors)
    for name, (wall, peak, code) in (("check", best(checks)), ("score", best(scores))):
        rows.append({
            "shape": shape, "N": count, "command": f"officestar {name}", "wall_s": round(wall, 3),
            "peak_mb": round(peak, 1), "x_floor": round(wall / base, 1) if base else None,
            "naive_x": round(naive_s / wall, 1) if naive_s else None, "exit": code,
        })
    rows.append({"shape": shape, "N": count, "command": "both reports (xlsx + md), in process",
                 "wall_s": round(reports_s, 3), "peak_mb": None, "x_floor": None, "naive_x": None, "exit": 0})
    rows.append({"shape": shape, "N": count, "command": f"round HTML page, {offices} offices",
                 "wall_s": round(html_s, 3), "peak_mb": None, "x_floor": None, "naive_x": None, "exit": 0,
                 "size_mb": round(html_bytes / 1_000_000, 2)})
    rows.append({"shape": shape, "N": count, "command": "floor (inflate every member)",
                 "wall_s": round(base, 3), "peak_mb": None, "x_floor": 1.0, "naive_x": None, "exit": 0})
    if naive_s is not None:
        rows.append({"shape": shape, "N": count, "command": "naive openpyxl reader",
                     "wall_s": round(naive_s, 3), "peak_mb": None, "x_floor": round(naive_s / base, 1),
                     "naive_x": 1.0, "exit": 0})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000", help="workbook counts for the wide shape")
    parser.add_argument("--shape", default="both", choices=("wide", "deep", "both"))
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--no-naive", action="store_true", help="skip the (slow) naive reader")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the floor, check and score; the quickest of each is shown (default 3)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[dict[str, Any]] = []
    for shape in ("wide", "deep") if args.shape == "both" else (args.shape,):
        for size in sizes:
            count = size if shape == "wide" else max(1, size // 100)
            rows += run_shape(shape, count, not args.no_naive, max(1, args.repeat))
    for flag in ("--help", "--version"):
        rows.append({"shape": "-", "N": 0, "command": f"officestar {flag}", "wall_s": round(startup(flag), 3),
                     "peak_mb": None, "x_floor": None, "naive_x": None, "exit": 0})
    wide = [r for r in rows if r["shape"] == "wide" and r["command"] == "officestar score"]
    if len(wide) >= 2:
        growth = wide[-1]["wall_s"] / wide[0]["wall_s"]
        print(f"growth of officestar score from N={wide[0]['N']} to N={wide[-1]['N']}: {growth:.1f}x")
    header = (f"{'shape':6} {'N':>6}  {'command':34} {'wall s':>8} {'peak MB':>8} {'x floor':>8} {'naive x':>8} "
              f"{'exit':>4}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['shape']:6} {r['N']:>6}  {r['command']:34} {r['wall_s']:>8} {r['peak_mb'] or '-'!s:>8} "
              f"{r['x_floor'] or '-'!s:>8} {r['naive_x'] or '-'!s:>8} {r['exit']:>4}")
    for r in rows:
        if "size_mb" in r:
            print(f"{r['command']} ({r['shape']}): {r['wall_s']:.3f} s, {r['size_mb']:.2f} MB "
                  "(targets for 954 offices: under 2 s and 5 MB)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    failed = [r["command"] for r in rows if r["exit"] != 0]
    if failed:
        sys.exit(f"benchmark: a command failed on valid workbooks: {', '.join(failed)}")


if __name__ == "__main__":
    main()
