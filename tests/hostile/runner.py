"""Run ``officestar`` as a real process, under a time limit and a memory limit.

The memory limit (RLIMIT_AS) is set inside the child, by a two-line launcher,
rather than in ``preexec_fn``: the hostile tests start processes from several
threads at once, and ``preexec_fn`` is not safe with threads.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import unprivileged

TIME_LIMIT = 60.0  # seconds per command
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space per command
NOBODY = unprivileged.NOBODY

LAUNCHER = (
    "import resource, sys\n"
    "limit = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "sys.argv[0] = 'officestar'\n"
    "from officestar_cli.cli.app import main\n"
    "main()\n"
)


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    exit_code: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None

    @property
    def crashed(self) -> bool:
        """A traceback, a signal, the time limit, or memory: what a bad input must never cause."""
        return (
            self.exit_code is None
            or self.exit_code < 0
            or "Traceback" in self.stderr
            or "MemoryError" in self.stderr
        )

    def json(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.stdout)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def describe(self) -> str:
        return (
            f"officestar {' '.join(self.args)}\nexit {self.exit_code} after {self.seconds:.1f} s\n"
            f"stderr: {self.stderr[-3000:]}\nstdout: {self.stdout[:2000]}"
        )


def command(args: Sequence[str], *, as_nobody: bool = False, memory: int = MEMORY_LIMIT) -> list[str]:
    launch = ["-c", LAUNCHER, str(memory), *args]
    return unprivileged.python_as_nobody(*launch) if as_nobody else [sys.executable, *launch]


def environment(home: Path | None = None, *, as_nobody: bool = False) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("OFFICESTAR_") and key not in ("COLUMNS", "LINES")
    }
    env.update({"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "COLUMNS": "120", "TERM": "dumb",
                "PYTHONDONTWRITEBYTECODE": "1"})
    if home is not None:
        env["HOME"] = str(home)
    return unprivileged.environment(env) if as_nobody else env


def officestar(args: Sequence[str], *, cwd: Path, as_nobody: bool = False,
               timeout: float = TIME_LIMIT) -> Run:
    """``officestar ARGS`` in ``cwd``; killed (with its children) at ``timeout``."""
    started = time.monotonic()
    process = subprocess.Popen(
        command(args, as_nobody=as_nobody), cwd=cwd, env=environment(cwd, as_nobody=as_nobody), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        code = None
    return Run(tuple(args), code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.monotonic() - started)


# ---------------------------------------------------------------- the store, read directly


@dataclass(frozen=True)
class StoredFile:
    id: int
    name: str
    sha256: str
    member: str
    superseded_by: int | None
    scores: int
    offices: int


def stored_files(store: Path) -> list[StoredFile]:
    """Every files row with how many score and office rows it owns (read-only)."""
    db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    try:
        rows = db.execute(
            "SELECT f.id, f.name, f.sha256, f.member, f.superseded_by, "
            "(SELECT count(*) FROM scores s WHERE s.file_id = f.id), "
            "(SELECT count(*) FROM file_offices o WHERE o.file_id = f.id) FROM files f ORDER BY f.id"
        ).fetchall()
    finally:
        db.close()
    return [StoredFile(*row) for row in rows]


def store_scores(store: Path, file_id: int) -> dict[tuple[str, str], str]:
    db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    try:
        return {
            (office, criterion): value
            for office, criterion, value in db.execute(
                "SELECT office_id, criterion_id, value FROM scores WHERE file_id = ?", (file_id,)
            )
        }
    finally:
        db.close()


def store_dump(store: Path) -> list[tuple[Any, ...]]:
    """Every row of every table: to compare a store before and after. A round's ``file_count``
    grows with each file recorded into it, so it is given as whether it counts its files."""
    db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    try:
        out: list[tuple[Any, ...]] = []
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            sql = f'SELECT * FROM "{table}" ORDER BY rowid'
            if table == "rounds":
                sql = ("SELECT fiscal_year, round, fingerprint, file_count = (SELECT count(*) FROM files f "
                       "WHERE f.fiscal_year = r.fiscal_year AND f.round = r.round) FROM rounds r ORDER BY rowid")
            out.extend((table, *row) for row in db.execute(sql))
        return out
    finally:
        db.close()
