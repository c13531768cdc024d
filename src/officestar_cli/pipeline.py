"""A run over many files: read each, check them against each other, record the good ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officestar_cli.issues import Issue, issue
from officestar_cli.reader import Reading, read_workbook
from officestar_cli.rubric import Rubric, normalize_name
from officestar_cli.store import Store

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


def read_all(paths: Sequence[Path], rubric: Rubric, round_no: int, tick: Tick | None = None) -> list[Reading]:
    readings = []
    for path in paths:
        readings.append(read_workbook(path, rubric, round_no, str(path)))
        if tick is not None:
            tick()
    cross_check(readings)
    return readings


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
    by_workbook: dict[str, list[Reading]] = {}
    for reading in unique:
        assert reading.workbook_id is not None
        by_workbook.setdefault(reading.workbook_id, []).append(reading)
    for workbook_id, group in by_workbook.items():
        if len(group) > 1:
            names = ", ".join(r.file for r in group)
            for reading in group:
                reading.issues.append(
                    issue("conflicting-copies", reading.file, value=workbook_id, expected=names)
                )
    by_member: dict[str, dict[str, list[Reading]]] = {}
    for reading in unique:
        if reading.member:
            key = normalize_name(reading.member)
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


def record_all(store: Store, readings: list[Reading], rubric: Rubric, round_no: int) -> list[FileResult]:
    results = []
    for reading in readings:
        if reading.skipped:
            results.append(FileResult(reading, "skipped"))
            continue
        if not reading.ok:
            results.append(FileResult(reading, "rejected"))
            continue
        outcome = store.record(reading, rubric.fiscal_year, round_no, reading.offices_expected)
        reading.issues.extend(outcome.issues)
        results.append(FileResult(reading, outcome.status, outcome.supersedes))
    return results


def all_issues(readings: Sequence[Reading]) -> list[Issue]:
    return [i for r in readings for i in r.issues]
