"""``officestar_cli.api``: one function and one result object per command (docs/api.md)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, ROOT_RUBRIC, RunCli
from officestar_cli import api

EXAMPLES = ROOT / "examples" / "round-2"
STORED_FILE_KEYS = {"file", "sha256", "member", "workbook_id", "round", "imported_at"}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_the_example_in_the_doc_runs_as_written(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "api.md").read_text("utf-8")
    (code,) = re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)
    shutil.copytree(EXAMPLES, tmp_path / "examples" / "round-2")
    shutil.copy(ROOT_RUBRIC, tmp_path / "rubric.yaml")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_env(), capture_output=True,
                          text=True, encoding="utf-8", timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "valid: True files: 5 issues: 0" in done.stdout
    assert re.search(r"^first: \S.* \d+\.\d\d \S+$", done.stdout, re.M), done.stdout
    assert (tmp_path / "round-2.sqlite3").is_file()
    assert not (tmp_path / "reports").exists()  # reports=False


def test_check_returns_one_result_and_the_cli_prints_its_json(run_cli: RunCli) -> None:
    result = api.check(EXAMPLES, ROOT_RUBRIC)
    assert result.valid is True
    assert [f.status for f in result.files] == ["ok"] * 5
    assert result.issues == []
    data = result.to_json("en")
    assert set(data) == {"valid", "files", "issues"}
    printed = run_cli("check", EXAMPLES, "--rubric", ROOT_RUBRIC, "--json", "--lang", "en")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == data


def test_score_rank_and_history(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    rubric = api.load(ROOT_RUBRIC)
    scored = api.score(sorted(EXAMPLES.glob("*.xlsx")), rubric, store=store, reports=False)
    assert scored.valid and not scored.provisional and scored.reports == []
    assert [f.status for f in scored.files or []] == ["recorded"] * 5
    assert len(scored.ranking.offices) == 14

    ranked = api.rank(rubric, store=store, reports=False)
    assert ranked.files is None  # rank reads no workbook
    data = ranked.to_json()
    assert data["offices"] == scored.to_json()["offices"]
    assert data["issues"] == []
    for entry in data["files"]:
        # what the store knows, and no status or counts that only a run over the file would know
        assert set(entry) == STORED_FILE_KEYS
    assert {f["sha256"] for f in data["files"]} == {f["sha256"] for f in scored.to_json()["files"]}

    listed = api.history(rubric, store=store)
    assert len(listed.files) == 5
    assert all(f["current"] for f in listed.to_json()["files"])

    frame = ranked.frame()
    assert list(frame.index) == [o["office_id"] for o in data["offices"]]


def test_rank_json_from_the_cli_has_no_invented_statuses(tmp_path: Path, run_cli: RunCli) -> None:
    store = tmp_path / "s.sqlite3"
    assert run_cli("score", EXAMPLES, "--store", store, "--rubric", ROOT_RUBRIC, "--no-report").exit_code == 0
    ranked = run_cli("rank", "--store", store, "--rubric", ROOT_RUBRIC, "--no-report", "--json")
    assert ranked.exit_code == 0, ranked.stderr
    files = json.loads(ranked.stdout)["files"]
    assert len(files) == 5
    assert all("status" not in f and "errors" not in f and "warnings" not in f for f in files)


def test_a_set_up_problem_raises_with_its_messages_and_exit_code(tmp_path: Path) -> None:
    with pytest.raises(api.OfficestarError) as raised:
        api.rank(ROOT_RUBRIC, store=tmp_path / "none.sqlite3")
    assert int(raised.value.exit_code) == 2
    assert raised.value.message("th") != raised.value.message("en")
    with pytest.raises(api.OfficestarError):
        api.check(tmp_path / "nothing-here-*.xlsx", ROOT_RUBRIC)
    with pytest.raises(api.OfficestarError):
        api.score(EXAMPLES, ROOT_RUBRIC, store=tmp_path / "s.sqlite3", method="best")


def test_the_library_imports_no_terminal_library() -> None:
    code = (
        "import sys\n"
        "from officestar_cli import api\n"
        f"result = api.check({str(EXAMPLES)!r}, {str(ROOT_RUBRIC)!r})\n"
        "result.to_json()\n"
        "loaded = [m for m in ('typer', 'rich', 'click') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
