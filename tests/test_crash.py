"""Crashes and concurrency: the store survives SIGKILL, Ctrl-C and a second run at once.

Thirty members' filled workbooks (``build_workbook`` + ``fill_workbook``) are
imported by a real ``officestar score`` process that is killed at random moments
and at moments chosen while it records; afterwards the store opens, passes
``PRAGMA integrity_check``, holds only whole files (every files row with all its
scores), and the same command run again completes the round. Ctrl-C stops with
exit 130, a message and no temporary files; two runs on one store both finish
and record each file once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hostile.corpus import RUBRIC
from hostile.runner import command, environment, officestar
from officestar_cli.rubric.load import load_rubric
from officestar_cli.workbook.template import build_workbook
from support.filler import fill_workbook, fraction_of_max

MEMBERS = 30
RUBRIC_DATA = load_rubric(RUBRIC)
OFFICES = len(RUBRIC_DATA.offices)
SCORES_PER_FILE = OFFICES * len(RUBRIC_DATA.criteria)  # every office scored
REPORT = "officestar-2567-round-2"


def _make_member(args: tuple[int, str]) -> str:
    index, folder = args
    rubric = load_rubric(RUBRIC)
    blank = Path(folder) / f"blank-{index:02d}.xlsx"
    build_workbook(rubric, 2, f"กรรมการ {index:02d}").save(blank)
    path = Path(folder) / "in" / f"member-{index:02d}.xlsx"
    fill_workbook(blank, path, rubric, fraction_of_max(rubric, Decimal("0.5") + Decimal(index) / 100))
    blank.unlink()
    return str(path)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Thirty members' workbooks, each with its own workbook id and member name."""
    folder = tmp_path_factory.mktemp("members")
    (folder / "in").mkdir()
    with ProcessPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        made = list(pool.map(_make_member, [(i, str(folder)) for i in range(MEMBERS)]))
    return sorted(Path(p) for p in made)


def _score_args(store: Path, files: list[Path], *extra: str) -> list[str]:
    return ["score", "--json", "--lang", "en", "--rubric", str(RUBRIC), "--store", str(store), *extra,
            *map(str, files)]


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command(args), cwd=cwd, env=environment(cwd), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _recorded(store: Path) -> int | None:
    """Files recorded so far, read without creating the store or waiting for a lock."""
    if not store.exists():
        return None
    try:
        db = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(db.execute("SELECT count(*) FROM files").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return None  # not created yet, or mid-migration


def _between(store: Path, before: int) -> bool:
    """More files than ``before`` recorded, but not all: the run is recording."""
    return before < (_recorded(store) or 0) < MEMBERS


def _assert_whole(store: Path) -> int:
    """The store opens, is intact, and holds only whole files, each once; returns how many."""
    if not store.exists() or store.stat().st_size == 0:
        return 0  # killed before its first commit
    db = sqlite3.connect(store, timeout=60)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'files'").fetchone()[0]:
            return 0
        rows = db.execute(
            "SELECT f.name, (SELECT count(*) FROM scores s WHERE s.file_id = f.id), "
            "(SELECT count(*) FROM file_offices o WHERE o.file_id = f.id) FROM files f"
        ).fetchall()
        for name, scores, offices in rows:
            assert (scores, offices) == (SCORES_PER_FILE, OFFICES), f"{name} is not whole"
        shas = [sha for (sha,) in db.execute("SELECT sha256 FROM files")]
        assert len(shas) == len(set(shas)), "a file recorded twice"
        return len(rows)
    finally:
        db.close()


def _kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool], sig: int = signal.SIGKILL,
               timeout: float = 60) -> bool:
    """Send ``sig`` to the process group once ``ready()``; False when the run ended first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            os.killpg(process.pid, sig)
            return True
        time.sleep(0.0005)
    return False


def test_sigkill_while_importing_then_rerun_completes(workbooks: list[Path], tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    args = _score_args(store, workbooks, "--no-report")
    rng = random.Random(2567)
    started = time.monotonic()
    full = officestar(args, cwd=tmp_path)  # on a scratch store: how long a whole run takes
    span = time.monotonic() - started
    assert full.exit_code == 0, full.describe()
    store.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)

    killed_mid_import = 0
    # Moments chosen while it records: between 1 and 29 files in the store.
    for _ in range(4):
        before = _recorded(store) or 0
        process = _start(args, tmp_path)
        if _kill_when(process, partial(_between, store, before)):
            killed_mid_import += 1
        process.communicate()
        assert _assert_whole(store) >= before
    # Random moments over the whole run, start-up and the first commit included.
    for _ in range(8):
        process = _start(args, tmp_path)
        time.sleep(rng.uniform(0.0, span))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        assert b"Traceback" not in err
        _assert_whole(store)
    assert killed_mid_import >= 1, "no kill landed while files were being recorded"

    again = officestar(args, cwd=tmp_path)
    assert again.exit_code == 0, again.describe()
    assert _assert_whole(store) == MEMBERS
    data = again.json()
    assert data is not None
    assert {f["status"] for f in data["files"]} <= {"recorded", "unchanged"}
    assert len(data["files"]) == MEMBERS


def test_sigkill_right_after_the_store_file_appears(workbooks: list[Path], tmp_path: Path) -> None:
    """A run killed before its first commit leaves an empty file; the next run must accept it."""
    store = tmp_path / "store.sqlite3"
    args = _score_args(store, workbooks[:2], "--no-report")
    for _ in range(3):
        process = _start(args, tmp_path)
        _kill_when(process, store.exists)
        process.communicate()
        again = officestar(args, cwd=tmp_path)
        assert again.exit_code == 0, again.describe()
        assert _assert_whole(store) == 2
        for path in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
            path.unlink(missing_ok=True)


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~officestar-")] if folder.exists() else []


def test_ctrl_c_while_recording(workbooks: list[Path], tmp_path: Path) -> None:
    store, out = tmp_path / "store.sqlite3", tmp_path / "reports"
    process = _start(_score_args(store, workbooks, "--out", str(out)), tmp_path)
    sent = _kill_when(process, lambda: (_recorded(store) or 0) >= 1, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if not sent:
        pytest.fail("the run ended before Ctrl-C could be sent while recording")
    assert process.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert "Interrupted" in err.decode() or "หยุด" in err.decode()
    assert _assert_whole(store) < MEMBERS + 1
    assert not _temporaries(out)


def test_ctrl_c_while_writing_reports(workbooks: list[Path], tmp_path: Path) -> None:
    store, out = tmp_path / "store.sqlite3", tmp_path / "reports"
    args = _score_args(store, workbooks, "--out", str(out))
    first = officestar(args, cwd=tmp_path)
    assert first.exit_code == 0, first.describe()
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    caught = 0
    for _ in range(10):  # the window is a fraction of a second: try until Ctrl-C lands in it
        process = _start(args, tmp_path)
        sent = _kill_when(process, lambda: bool(_temporaries(out)), signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert b"Traceback" not in err
        assert not _temporaries(out), "a temporary file was left in the output folder"
        for path in out.iterdir():  # each report is the old one or a complete new one
            assert path.read_bytes() == earlier.get(path.name) or path.suffix != ".xlsx" or load_workbook(path)
        if sent:
            assert process.returncode == 130, err.decode()
            assert "Interrupted" in err.decode()
            caught += 1
            if caught >= 2:
                break
    assert caught >= 1, "Ctrl-C never landed while a report was being written"


def test_two_runs_on_one_store_at_once(workbooks: list[Path], tmp_path: Path) -> None:
    """Both record, rank and report while the other records: each file once, both exit 0."""
    rng = random.Random(30)
    for attempt in range(6):
        store, out = tmp_path / f"store-{attempt}.sqlite3", tmp_path / f"reports-{attempt}"
        first = _start(_score_args(store, workbooks[:20], "--out", str(out)), tmp_path)
        time.sleep(rng.uniform(0, 0.4))  # so that one ranks while the other is still recording
        second = _start(_score_args(store, workbooks[10:], "--out", str(out)), tmp_path)
        results = []
        for process in (first, second):
            stdout, stderr = process.communicate(timeout=120)
            assert b"Traceback" not in stderr, stderr.decode()
            assert process.returncode == 0, stderr.decode()
            results.append(stdout)
        assert _assert_whole(store) == MEMBERS
        statuses: dict[str, list[str]] = {}
        for stdout in results:
            for item in json.loads(stdout)["files"]:
                statuses.setdefault(Path(item["file"]).name, []).append(item["status"])
        for name, seen in statuses.items():
            assert seen.count("recorded") == 1, (name, seen)  # the overlap: one records, one finds it
        assert not _temporaries(out)
        load_workbook(out / f"{REPORT}.xlsx")


def test_a_file_recorded_while_ranking_is_wholly_in_or_out(
    workbooks: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run commits a file between the reads of a ranking: the ranking sees one snapshot."""
    from conftest import invoke
    from officestar_cli.store.store import Store

    store = tmp_path / "store.sqlite3"
    common = ["--rubric", str(RUBRIC), "--store", str(store)]
    made = officestar(["score", "--no-report", *common, *map(str, workbooks[:5])], cwd=tmp_path)
    assert made.exit_code == 0, made.describe()
    reads = Store.round_scores
    raced: list[int] = []

    def round_scores_while_another_run_records(self: Store, fiscal_year: int, round_no: int, offices):  # type: ignore[no-untyped-def]
        if not raced:  # a real second process, committing between this run's reads
            other = officestar(["score", "--no-report", *common, str(workbooks[5])], cwd=tmp_path)
            raced.append(other.exit_code or 0)
        return reads(self, fiscal_year, round_no, offices)

    monkeypatch.setattr(Store, "round_scores", round_scores_while_another_run_records)
    ranked = invoke(["rank", "--json", "--no-report", *common])
    assert raced == [0]
    assert ranked.exit_code == 0, ranked.output
    assert {o["members"] for o in json.loads(ranked.stdout)["offices"]} == {5}  # the snapshot: five
    assert _assert_whole(store) == 6
