"""`officestar check`, `score` and `history` on folders of returned workbooks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import ROOT_RUBRIC, RunCli
from officestar_cli.rubric.model import Rubric
from returned import copy, make_filled, mutate

ROUND = 2
GOOD, OTHER, BAD = "นาย ก", "นาง ข", "นางสาว ค"
ISSUE_KEYS = {"code", "severity", "file", "sheet", "cell", "value", "expected", "message"}
FILE_KEYS = {
    "file", "sha256", "member", "workbook_id", "round", "status", "supersedes", "errors", "warnings",
}


@dataclass(frozen=True)
class Returned:
    good: Path
    other: Path
    bad: Path  # "4,5" in sheet เถิน, cell E7


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Returned:
    folder = tmp_path_factory.mktemp("made")
    good = make_filled(rubric, ROUND, GOOD, folder / "good.xlsx")
    other = make_filled(rubric, ROUND, OTHER, folder / "other.xlsx")
    bad_source = make_filled(rubric, ROUND, BAD, folder / "bad-source.xlsx")

    def decimal_comma(workbook: Workbook) -> None:
        workbook["เถิน"]["E7"].value = "4,5"

    bad = mutate(bad_source, folder / "bad.xlsx", decimal_comma)
    return Returned(good, other, bad)


@pytest.fixture
def inbox(tmp_path: Path, returned: Returned) -> Path:
    """A folder as an officer keeps it: two good workbooks, one bad, a lock file, a note."""
    folder = tmp_path / "inbox"
    copy(returned.good, folder / "good.xlsx")
    copy(returned.other, folder / "other.xlsx")
    copy(returned.bad, folder / "bad.xlsx")
    (folder / "~$good.xlsx").write_bytes(b"\x00locked by excel")
    (folder / "readme.txt").write_text("ไม่ใช่แบบประเมิน", "utf-8")
    return folder


# ---------------------------------------------------------------- human output


def test_check_a_folder_in_thai(inbox: Path, run_cli: RunCli) -> None:
    result = run_cli("check", inbox, "--rubric", ROOT_RUBRIC)
    assert result.exit_code == 1
    assert result.stderr == ""  # check's per-file table is its result: stdout (docs/commands.md)
    err = result.stdout
    assert "bad.xlsx › เถิน › E7" in err
    assert "not-a-number" in err and "'4,5'" in err
    assert "คะแนนต้องเป็นตัวเลข" in err
    assert re.search(r"^ไม่ผ่าน +\S*bad\.xlsx · นางสาว ค$", err, re.M)
    assert re.search(r"^ผ่าน +\S*good\.xlsx · นาย ก$", err, re.M)
    assert "lock-file" in err and "ข้าม" in err
    assert "readme.txt" not in err  # a folder means its .xlsx files
    assert "สรุป: 4 ไฟล์" in err
    assert "Traceback" not in result.output


def test_check_in_english(inbox: Path, run_cli: RunCli) -> None:
    result = run_cli("check", inbox, "--rubric", ROOT_RUBRIC, "--lang", "en")
    assert result.exit_code == 1
    assert "bad.xlsx › เถิน › E7" in result.stdout
    assert "the score must be a number" in result.stdout
    assert "Summary: 4 file(s)" in result.stdout
    assert "คะแนนต้องเป็นตัวเลข" not in result.stdout


def test_language_from_the_environment(inbox: Path, run_cli: RunCli) -> None:
    result = run_cli("check", inbox, "--rubric", ROOT_RUBRIC, env={"OFFICESTAR_LANG": "en"})
    assert "Summary:" in result.stdout


def test_check_all_good_is_exit_0(returned: Returned, run_cli: RunCli) -> None:
    result = run_cli("check", returned.good, returned.other, "--rubric", ROOT_RUBRIC)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "ผ่าน" in result.stdout and "ไม่ผ่าน" not in result.stdout


def test_check_warnings_only_is_exit_0(returned: Returned, tmp_path: Path, run_cli: RunCli) -> None:
    def drop_identity(workbook: Workbook) -> None:
        workbook.remove(workbook["_officestar"])

    path = mutate(returned.good, tmp_path / "saved-elsewhere.xlsx", drop_identity)
    result = run_cli("check", path, "--rubric", ROOT_RUBRIC, "--lang", "en")
    assert result.exit_code == 0
    assert "identity-from-cells" in result.stdout


# ---------------------------------------------------------------- --json


def test_check_json(inbox: Path, run_cli: RunCli) -> None:
    result = run_cli("check", inbox, "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # one object, nothing else on stdout
    assert set(data) == {"valid", "files", "issues"}
    assert data["valid"] is False
    for entry in data["files"]:
        assert set(entry) == FILE_KEYS
    for entry in data["issues"]:
        assert set(entry) == ISSUE_KEYS
    status = {Path(f["file"]).name: f["status"] for f in data["files"]}
    assert status == {"bad.xlsx": "rejected", "good.xlsx": "ok", "other.xlsx": "ok", "~$good.xlsx": "skipped"}
    files = {Path(f["file"]).name: f for f in data["files"]}
    assert files["good.xlsx"]["file"] == str(inbox / "good.xlsx")  # as given
    assert files["good.xlsx"]["member"] == GOOD
    assert files["good.xlsx"]["round"] == ROUND
    assert len(files["good.xlsx"]["sha256"]) == 64
    assert files["good.xlsx"]["supersedes"] is None
    assert (files["bad.xlsx"]["errors"], files["bad.xlsx"]["warnings"]) == (1, 0)
    (bad,) = [i for i in data["issues"] if i["severity"] == "error"]
    assert bad == {
        "code": "not-a-number",
        "severity": "error",
        "file": str(inbox / "bad.xlsx"),
        "sheet": "เถิน",
        "cell": "E7",
        "value": "4,5",
        "expected": "0–10",
        "message": bad["message"],
    }
    assert "คะแนนต้องเป็นตัวเลข" in bad["message"]  # messages follow --lang; keys never do
    (lock,) = [i for i in data["issues"] if i["code"] == "lock-file"]
    assert lock["severity"] == "warning"


def test_check_json_in_english(inbox: Path, run_cli: RunCli) -> None:
    result = run_cli("check", inbox, "--rubric", ROOT_RUBRIC, "--json", "--lang", "en")
    data = json.loads(result.stdout)
    (bad,) = [i for i in data["issues"] if i["code"] == "not-a-number"]
    assert bad["message"].startswith("the score must be a number")


def test_check_json_valid(returned: Returned, run_cli: RunCli) -> None:
    result = run_cli("check", returned.good, "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["valid"] is True and data["issues"] == []
    assert [f["status"] for f in data["files"]] == ["ok"]


def test_json_stdout_is_only_json_in_a_real_process(inbox: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-m", "officestar_cli", "check", str(inbox), "--json", "--rubric", str(ROOT_RUBRIC)],
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    data = json.loads(done.stdout.decode("utf-8"))
    assert data["valid"] is False
    assert b"Traceback" not in done.stderr


# ---------------------------------------------------------------- arguments


def test_an_unexpanded_glob(inbox: Path, run_cli: RunCli) -> None:
    result = run_cli("check", str(inbox / "*.xlsx"), "--rubric", ROOT_RUBRIC, "--json")
    names = sorted(Path(f["file"]).name for f in json.loads(result.stdout)["files"])
    assert names == ["bad.xlsx", "good.xlsx", "other.xlsx", "~$good.xlsx"]
    result = run_cli("check", str(inbox / "g*.xlsx"), "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 0
    assert [Path(f["file"]).name for f in json.loads(result.stdout)["files"]] == ["good.xlsx"]


def test_a_glob_that_matches_nothing_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("check", str(tmp_path / "*.xlsx"), "--rubric", ROOT_RUBRIC, "--lang", "en", "--json")
    assert result.exit_code == 2
    assert "No workbook matched" in result.stderr
    assert result.stdout == ""


def test_an_empty_folder_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli("check", tmp_path, "--rubric", ROOT_RUBRIC).exit_code == 2


def test_a_missing_file_among_good_ones_is_reported(
    returned: Returned, tmp_path: Path, run_cli: RunCli
) -> None:
    gone = tmp_path / "gone.xlsx"
    result = run_cli("check", returned.good, gone, "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(i["code"], i["file"]) for i in data["issues"]] == [("unreadable-file", str(gone))]


def test_a_broken_rubric_is_exit_2(inbox: Path, tmp_path: Path, run_cli: RunCli) -> None:
    broken = tmp_path / "rubric.yaml"
    broken.write_text(ROOT_RUBRIC.read_text("utf-8").replace("max: 5", "max: -5", 1), "utf-8")
    result = run_cli("check", inbox, "--rubric", broken, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(broken) in result.stderr


def test_a_rubric_that_is_not_yaml_is_exit_2(inbox: Path, tmp_path: Path, run_cli: RunCli) -> None:
    broken = tmp_path / "rubric.yaml"
    broken.write_text("dimensions: [\n", "utf-8")
    assert run_cli("check", inbox, "--rubric", broken).exit_code == 2


def test_a_bad_lang_is_exit_2(inbox: Path, run_cli: RunCli) -> None:
    assert run_cli("check", inbox, "--rubric", ROOT_RUBRIC, "--lang", "fr").exit_code == 2


def test_check_another_round(returned: Returned, run_cli: RunCli) -> None:
    result = run_cli("check", returned.good, "--round", "3", "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 1
    (issue,) = json.loads(result.stdout)["issues"]
    assert (issue["code"], issue["value"], issue["expected"]) == ("wrong-round", "2", "3")


def test_check_stores_nothing(inbox: Path, tmp_path: Path, run_cli: RunCli) -> None:
    before = sorted(p.name for p in inbox.iterdir())
    run_cli("check", inbox, "--rubric", ROOT_RUBRIC, env={"OFFICESTAR_STORE": str(tmp_path / "s.sqlite3")})
    assert sorted(p.name for p in inbox.iterdir()) == before
    assert not (tmp_path / "s.sqlite3").exists()


# ---------------------------------------------------------------- score and history


def test_score_records_the_good_and_rejects_the_bad(inbox: Path, tmp_path: Path, run_cli: RunCli) -> None:
    store = tmp_path / "officestar.sqlite3"
    out = tmp_path / "reports"
    args = ["--store", store, "--rubric", ROOT_RUBRIC, "--no-report", "--out", out]
    result = run_cli("score", inbox, *args, "--json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    status = {Path(f["file"]).name: f["status"] for f in data["files"]}
    assert status == {
        "bad.xlsx": "rejected", "good.xlsx": "recorded", "other.xlsx": "recorded", "~$good.xlsx": "skipped",
    }
    assert [(i["code"], i["sheet"], i["cell"]) for i in data["issues"] if i["severity"] == "error"] == [
        ("not-a-number", "เถิน", "E7")
    ]
    assert not out.exists()

    again = run_cli("score", inbox / "good.xlsx", inbox / "other.xlsx", *args, "--json")
    assert again.exit_code == 0, again.stderr
    assert [f["status"] for f in json.loads(again.stdout)["files"]] == ["unchanged", "unchanged"]

    history = run_cli("history", "--store", store, "--rubric", ROOT_RUBRIC, "--json")
    assert history.exit_code == 0, history.stderr
    listed = json.loads(history.stdout)["files"]
    assert sorted((f["member"], Path(f["file"]).name, f["current"]) for f in listed) == sorted(
        [(GOOD, "good.xlsx", True), (OTHER, "other.xlsx", True)]
    )
    assert all(f["round"] == ROUND and len(f["sha256"]) == 64 for f in listed)

    human = run_cli("history", "--round", "2", "--store", store, "--rubric", ROOT_RUBRIC)
    assert human.exit_code == 0
    recorded, rejected = human.stdout.split("ไฟล์ที่ไม่รับ")  # the listing is stdout; the attempts apart
    assert GOOD in recorded and OTHER in recorded and BAD not in recorded
    assert BAD in rejected and "not-a-number" in rejected
    assert "ใช้อยู่" in human.stdout


def test_score_human_output(inbox: Path, tmp_path: Path, run_cli: RunCli) -> None:
    store = tmp_path / "officestar.sqlite3"
    result = run_cli(
        "score", inbox, "--store", store, "--rubric", ROOT_RUBRIC, "--no-report", "--lang", "en"
    )
    assert result.exit_code == 1
    assert "bad.xlsx › เถิน › E7" in result.stderr
    assert "recorded" in result.stderr and "rejected" in result.stderr
    again = run_cli(
        "score", inbox / "good.xlsx", "--store", store, "--rubric", ROOT_RUBRIC, "--no-report", "--lang", "en"
    )
    assert again.exit_code == 0
    assert "already recorded" in again.stderr


def test_score_store_from_the_environment(returned: Returned, tmp_path: Path, run_cli: RunCli) -> None:
    store = tmp_path / "env.sqlite3"
    env = {"OFFICESTAR_STORE": str(store)}
    result = run_cli("score", returned.good, "--rubric", ROOT_RUBRIC, "--no-report", env=env)
    assert result.exit_code == 0, result.stderr
    assert store.is_file()
    listed = run_cli("history", "--rubric", ROOT_RUBRIC, "--json", env=env)
    assert [f["member"] for f in json.loads(listed.stdout)["files"]] == [GOOD]
