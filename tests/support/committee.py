"""What the committee and correction tests share: the shipped examples, their five members,
a rubric with changes, the store's own checks, and the CLI run as a user runs it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
MEMBERS = ["นาย ก", "นาง ข", "นางสาว ค", "นาย ง", "นาง จ"]


def rubric_with(folder: Path, **changes: Any) -> Path:
    """The shipped rubric with top-level keys replaced, written as ``folder/rubric.yaml``."""
    data = yaml.safe_load((ROOT / "rubric.yaml").read_text("utf-8"))
    data.update(changes)
    path = folder / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def officestar(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``officestar ARGS`` in a fresh process, with no OFFICESTAR_ setting of this shell; it never
    ends in a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run([sys.executable, "-m", "officestar_cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def json_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def intact(store: Path) -> None:
    """SQLite's own checks pass, and no member has two current files in a round."""
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT fiscal_year, round, member_key FROM files NOT INDEXED WHERE superseded_by IS NULL "
                          "AND withdrawn = 0 GROUP BY 1, 2, 3 HAVING count(*) > 1").fetchall() == []
