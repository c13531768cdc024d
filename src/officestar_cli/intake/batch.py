"""A run over many files: read each, check them against each other, record the good ones."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officestar_cli.base.interpreter import relax_garbage_collection
from officestar_cli.base.names import member_key
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.rubric.model import Rubric

Tick = Callable[[], None]


@dataclass
class FileResult:
    reading: Reading
    status: str  # check: ok/rejected/skipped; score: recorded/unchanged/rejected/skipped
    supersedes: str | None = None

    def as_json(self) -> dict[str, Any]:
        r = self.reading
        return {
            "file": r.file,
            "sha256": r.sha256,
            "member": r.member,
            "workbook_id": r.workbook_id,
            "round": r.round,
            "status": self.status,
            "supersedes": self.supersedes,
            "errors": r.errors,
            "warnings": r.warnings,
        }


# Below this much work, worker processes cost more to start than they save.
PARALLEL_MIN_FILES = 64
PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # e.g. a few national workbooks of 954 sheets
CHUNK = 16


def _worth_parallel(paths: Sequence[Path]) -> bool:
    if len(paths) >= PARALLEL_MIN_FILES:
        return True
    if len(paths) < 2:
        return False
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total >= PARALLEL_MIN_BYTES


def read_all(paths: Sequence[Path], rubric: Rubric, round_no: int, tick: Tick | None = None) -> list[Reading]:
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and _worth_parallel(paths):
        readings = _read_parallel(paths, rubric, round_no, workers, tick)
    else:
        readings = []
        for path in paths:
            readings.append(read_workbook(path, rubric, round_no, str(path)))
            if tick is not None:
                tick()
    cross_check(readings)
    return readings


_worker_rubric: Rubric | None = None


def _init_worker(rubric: Rubric) -> None:
    global _worker_rubric
    _worker_rubric = rubric
    relax_garbage_collection()  # a forked worker inherits it; a spawned one (Windows, macOS) does not
    # Ctrl-C is the parent's to handle; a worker just stops with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read_chunk(paths: list[Path], round_no: int) -> list[Reading]:
    assert _worker_rubric is not None
    return [read_workbook(path, _worker_rubric, round_no, str(path)) for path in paths]


def _read_parallel(
    paths: Sequence[Path], rubric: Rubric, round_no: int, workers: int, tick: Tick | None
) -> list[Reading]:
    """Read in worker processes; a worker that dies on a file becomes an Issue for that file."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(CHUNK, len(paths) // (workers * 4)))
    chunks = [list(paths[i : i + size]) for i in range(0, len(paths), size)]
    results: list[list[Reading] | None] = [None] * len(chunks)
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(rubric,)) as pool:
        futures = {pool.submit(_read_chunk, chunk, round_no): n for n, chunk in enumerate(chunks)}
        try:
            for future, n in futures.items():
                try:
                    results[n] = future.result()
                except BrokenProcessPool:
                    break
                if tick is not None:
                    for _ in chunks[n]:
                        tick()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    readings: list[Reading] = []
    for n, chunk in enumerate(chunks):
        done = results[n]
        readings.extend(done if done is not None else [_read_isolated(p, rubric, round_no) for p in chunk])
    return readings


def _read_isolated(path: Path, rubric: Rubric, round_no: int) -> Reading:
    """Read one file in a process of its own, after a worker died in its chunk."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(rubric,)) as pool:
        try:
            return pool.submit(_read_chunk, [path], round_no).result()[0]
        except BrokenProcessPool:
            reading = Reading(str(path))
            reading.add("corrupt-workbook", reason="the reader stopped on this file / โปรแกรมอ่านหยุดทำงานกับไฟล์นี้")
            return reading


def cross_check(readings: list[Reading]) -> None:
    """The checks between files of one run (CONTRACT.md section 3)."""
    by_sha: dict[str, Reading] = {}
    for reading in readings:
        if reading.sha256 is None or reading.skipped:
            continue
        first = by_sha.get(reading.sha256)
        if first is None:
            by_sha[reading.sha256] = reading
        else:
            reading.skipped = True
            reading.issues.append(issue("same-file-twice", reading.file, expected=first.file))
    unique = [r for r in by_sha.values() if r.workbook_id]
    # A workbook is (workbook id, member key): copies of one blank workbook returned by
    # different members are different workbooks (docs/store.md, "Identity").
    by_workbook: dict[tuple[str, str], list[Reading]] = {}
    for reading in unique:
        assert reading.workbook_id is not None
        by_workbook.setdefault((reading.workbook_id, member_key(reading.member or "")), []).append(reading)
    for (workbook_id, _), group in by_workbook.items():
        if len(group) > 1:
            names = ", ".join(r.file for r in group)
            for reading in group:
                reading.issues.append(
                    issue("conflicting-copies", reading.file, value=workbook_id, expected=names)
                )
    by_member: dict[str, dict[str, list[Reading]]] = {}
    for reading in unique:
        if reading.member:
            key = member_key(reading.member)
            by_member.setdefault(key, {}).setdefault(reading.workbook_id or "", []).append(reading)
    for workbooks in by_member.values():
        if len(workbooks) > 1:
            group = [r for rs in workbooks.values() for r in rs]
            names = ", ".join(r.file for r in group)
            for reading in group:
                reading.issues.append(
                    issue("duplicate-member", reading.file, value=reading.member, expected=names)
                )


def check_results(readings: list[Reading]) -> list[FileResult]:
    return [
        FileResult(r, "skipped" if r.skipped else ("ok" if r.ok else "rejected")) for r in readings
    ]


def all_issues(readings: Sequence[Reading]) -> list[Issue]:
    return [i for r in readings for i in r.issues]
