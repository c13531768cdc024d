"""`officestar init [FOLDER]`: an editable rubric to start from (docs/commands.md)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT_RUBRIC, RunCli
from officestar_cli.rubric.load import load_rubric, packaged_rubric_text


def test_init_writes_the_packaged_rubric_with_its_comments(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "contest"
    result = run_cli("init", folder)
    assert result.exit_code == 0, result.stderr
    written = folder / "rubric.yaml"
    text = written.read_text("utf-8")
    assert text == packaged_rubric_text()
    assert text.lstrip().startswith("#")  # the comments are kept
    assert load_rubric(written).fingerprint == load_rubric(ROOT_RUBRIC).fingerprint
    assert result.stdout == ""
    assert "ขั้นต่อไป:" in result.stderr and "officestar rubric --rubric" in result.stderr
    assert "officestar template" in result.stderr


def test_init_refuses_to_overwrite_without_force(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "rubric.yaml"
    target.write_text("# mine\n", "utf-8")
    refused = run_cli("init", tmp_path)
    assert refused.exit_code == 2
    assert "--force" in refused.stderr and "มี" in refused.stderr
    assert target.read_text("utf-8") == "# mine\n"
    english = run_cli("init", tmp_path, "--lang", "en")
    assert "already exists" in english.stderr
    forced = run_cli("init", tmp_path, "--force", "--json")
    assert forced.exit_code == 0
    assert json.loads(forced.stdout) == {"rubric": str(target), "replaced": True}
    assert target.read_text("utf-8") == packaged_rubric_text()
