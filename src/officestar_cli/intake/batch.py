"""A run over many files: read each, check them against each other, record the good ones."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from officestar_cli.base.interpreter import relax_garbage_collection
from officestar_cli.base.names import member_key
from officestar_cli.intake.changes import Change
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.intake.paths import Inputs, shown
from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.rubric.model import Rubric

Tick = Callable[[], None]
# One file to read: its path and whether a folder listing gave it (paths.name_verdict).
Item = tuple[Path, bool]


@dataclass
class FileResult:
    reading: Reading
    status: str  # check: ok/rejected/skipped; score: recorded/unchanged/rejected/skipped
    supersedes: str | None = None
    changes: list[Change] = field(default_factory=list)  # score: what this copy changed from the one it supersedes

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
    listed = paths.listed if isinstance(paths, Inputs) else set()
    items: list[Item] = [(path, path in listed) for path in paths]
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and _worth_parallel(paths):
        readings = _read_parallel(items, rubric, round_no, workers, tick)
    else:
        readings = []
        for path, from_folder in items:
            readings.append(_read_one(path, from_folder, rubric, round_no))
            if tick is not None:
                tick()
    cross_check(readings)
    return readings


def _read_one(path: Path, listed: bool, rubric: Rubric, round_no: int) -> Reading:
    return read_workbook(path, rubric, round_no, shown(path), listed)


_worker_rubric: Rubric | None = None


def _init_worker(rubric: Rubric) -> None:
    global _worker_rubric
    _worker_rubric = rubric
    relax_garbage_collection()  # a forked worker inherits it; a spawned one (Windows, macOS) does not
    # Ctrl-C is the parent's to handle; a worker just stops with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read_chunk(items: list[Item], round_no: int) -> list[Reading]:
    assert _worker_rubric is not None
    return [_read_one(path, listed, _worker_rubric, round_no) for path, listed in items]


def _read_parallel(
    items: Sequence[Item], rubric: Rubric, round_no: int, workers: int, tick: Tick | None
) -> list[Reading]:
    """Read in worker processes; a worker that dies on a file becomes an Issue for that file.

    When a worker dies, the pool is lost with every chunk not yet read. Those chunks are read
    again, as many at a time as there are workers, each file after file in one process of its
    own: a file that kills that process again is the one reported, and only then is another
    process started for the rest of its chunk."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(CHUNK, len(items) // (workers * 4)))
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    results: list[list[Reading] | None] = [None] * len(chunks)
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(rubric,)) as pool:
        futures = {pool.submit(_read_chunk, chunk, round_no): n for n, chunk in enumerate(chunks)}
        try:
            for future, n in futures.items():
                try:
                    results[n] = future.result()
                except BrokenProcessPool:
                    continue  # the other chunks already read are still good
                if tick is not None:
                    for _ in chunks[n]:
                        tick()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    lost = [n for n, done in enumerate(results) if done is None]
    if lost:
        with ThreadPoolExecutor(workers) as threads:
            for n, readings in zip(lost, threads.map(lambda n: _read_serially(chunks[n], rubric, round_no), lost),
                                   strict=True):
                results[n] = readings
                if tick is not None:
                    for _ in chunks[n]:
                        tick()
    return [reading for done in results if done is not None for reading in done]


def _read_serially(items: list[Item], rubric: Rubric, round_no: int) -> list[Reading]:
    """``items`` file after file in one worker process; a file on which the process dies is
    reported (``corrupt-workbook``) and a new process takes the files after it."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    readings: list[Reading] = []
    while len(readings) < len(items):
        with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(rubric,)) as pool:
            while len(readings) < len(items):
                path, listed = items[len(readings)]
                try:
                    readings.append(pool.submit(_read_chunk, [(path, listed)], round_no).result()[0])
                except BrokenProcessPool:
                    reading = Reading(shown(path))
                    reading.add(
                        "corrupt-workbook",
                        reason="the reader stopped on this file / โปรแกรมอ่านหยุดทำงานกับไฟล์นี้",
                    )
                    readings.append(reading)
                    break
    return readings


def cross_check(readings: list[Reading]) -> None:
    """The checks between files of one run (docs/design.md, "Identity").

    A workbook is known by its identity, (workbook id, member key): copies of one blank
    workbook filled by different members are different members' workbooks."""
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
    unique = [r for r in by_sha.values() if r.identity is not None]
    by_identity: dict[tuple[str, str], list[Reading]] = {}
    for reading in unique:
        identity = reading.identity
        assert identity is not None
        by_identity.setdefault(identity, []).append(reading)
    for (workbook_id, _), group in by_identity.items():
        if len(group) > 1:
            _conflicting(workbook_id, group)
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


def _conflicting(workbook_id: str, group: list[Reading]) -> None:
    """``conflicting-copies`` on every copy, naming each file whole, when it was saved and
    whether it has errors, and which copies to take out (all but the one saved last)."""
    errors = {id(r): r.errors for r in group}
    latest = max(group, key=lambda r: (r.saved or "", r.mtime or 0.0))

    def described(reading: Reading, lang: str) -> str:
        when = reading.saved or "?"
        count = errors[id(reading)]
        if lang == "th":
            state = "ไม่มีข้อผิดพลาด" if count == 0 else f"มีข้อผิดพลาด {count} รายการ"
            later = " ฉบับที่บันทึกล่าสุด" if reading is latest else ""
            return f"{reading.file} (บันทึกเมื่อ {when}{later}, {state})"
        state = "no errors" if count == 0 else f"{count} error(s)"
        later = ", saved last" if reading is latest else ""
        return f"{reading.file} (saved {when}{later}, {state})"

    others = [r.file for r in group if r is not latest]
    advice_th = f"ให้นำ {', '.join(others)} ออก แล้วรันใหม่กับ {latest.file}"
    advice_en = f"Take out {', '.join(others)} and run again with {latest.file}"
    if errors[id(latest)]:
        advice_th += " (ฉบับนี้ยังมีข้อผิดพลาด ต้องแก้ก่อน)"
        advice_en += " (it still has errors to correct first)"
    names = ", ".join(r.file for r in group)
    for reading in group:
        reading.issues.append(
            issue(
                "conflicting-copies", reading.file, value=workbook_id, expected=names,
                copies_th="; ".join(described(r, "th") for r in group),
                copies_en="; ".join(described(r, "en") for r in group),
                advice_th=advice_th, advice_en=advice_en + ".",
            )
        )


def check_results(readings: list[Reading]) -> list[FileResult]:
    return [
        FileResult(r, "skipped" if r.skipped else ("ok" if r.ok else "rejected")) for r in readings
    ]


def all_issues(readings: Sequence[Reading]) -> list[Issue]:
    return [i for r in readings for i in r.issues]
