"""The code checks that the test command runs: ruff, mypy --strict, and the test harness."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, require


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ruff_is_clean() -> None:
    result = run_tool("ruff", "check", "--no-cache", "src", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    # Files and strictness come from [tool.mypy] in pyproject.toml.
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_mypy_is_configured_strict_on_the_package() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert "src/officestar_cli" in config["files"]


def test_missing_program_skips_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="frobnicator is not installed"):
        require("frobnicator", None, "apt-get install frobnicator")
    assert require("frobnicator", "/usr/bin/frobnicator", "") == "/usr/bin/frobnicator"


def test_missing_program_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require("frobnicator", None, "apt-get install frobnicator")


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    return [block.strip() for block in re.findall(r"```(?:bash)?\n(.*?)```", text, re.S)]


def test_readme_begins_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    assert lines[0].startswith("# ")
    install, test = readme_commands()[:2]
    assert "\n" not in install and "\n" not in test
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert ".venv/bin/officestar " in install
    assert test == (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )
    # Nothing but a title and one sentence before the first command.
    first_block = lines.index("```bash")
    assert len([line for line in lines[1:first_block] if line.strip()]) == 1


def test_ci_runs_the_readme_test_command() -> None:
    script = ROOT / ".ci" / "run"
    text = script.read_text("utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    test_command = readme_commands()[1]
    assert [line for line in text.splitlines() if line.strip() == test_command]
    assert os.access(script, os.X_OK), ".ci/run must be executable"
    mode = subprocess.run(
        ["git", "ls-files", "--stage", ".ci/run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    if mode:  # inside a git checkout: the executable bit is recorded
        assert mode.startswith("100755"), mode
