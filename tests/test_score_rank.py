"""`officestar score` and `officestar rank` on the example round (issue 5).

Each command runs as a real process, so stdout is exactly what a script piping
``--json`` would get: one JSON object and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from officestar_cli.rubric.load import load_rubric
from support.filler import fill_workbook, fraction_of_max

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_PATH = ROOT / "rubric.yaml"
EXAMPLES = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
WITH_ERRORS = sorted((ROOT / "examples" / "round-2-with-errors").glob("*.xlsx"))
TOP_KEYS = {"round", "fiscal_year", "method", "provisional", "offices", "files", "issues"}
OFFICE_KEYS = {
    "office", "office_id", "total", "tier", "rank", "zone", "zone_rank", "members",
    "scored_by", "missing", "complete", "quorum_reached", "excused", "dimensions",
}


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        data = json.loads(self.stdout)  # the whole of stdout: one object, nothing else
        assert isinstance(data, dict)
        return data


def officestar(*args: str | Path, cwd: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    env.update({"PYTHONIOENCODING": "utf-8", "COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1"})
    completed = subprocess.run(
        [sys.executable, "-m", "officestar_cli", *map(str, args), "--rubric", str(RUBRIC_PATH)],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=300, check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return Run(completed.returncode, completed.stdout, completed.stderr)


@dataclass(frozen=True)
class Scored:
    folder: Path
    store: Path
    run: Run


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    """The five example workbooks scored into a fresh store."""
    folder = tmp_path_factory.mktemp("scored")
    store = folder / "store.sqlite3"
    run = officestar("score", *EXAMPLES, "--store", store, "--no-report", "--json", cwd=folder)
    return Scored(folder, store, run)


def test_the_examples_are_there() -> None:
    assert len(EXAMPLES) == 5 and len(WITH_ERRORS) == 5


def test_score_json_is_one_object_and_exit_0(scored: Scored) -> None:
    assert scored.run.code == 0, scored.run.stderr
    data = scored.run.json()
    assert set(data) == TOP_KEYS
    assert data["round"] == 2 and data["fiscal_year"] == 2567 and data["method"] == "mean"
    assert data["provisional"] is False
    assert data["issues"] == []
    assert [f["status"] for f in data["files"]] == ["recorded"] * 5
    assert len(data["offices"]) == 14
    for entry in data["offices"]:
        assert set(entry) == OFFICE_KEYS
        assert entry["complete"] is True and entry["members"] == 5 and entry["missing"] == []
        assert isinstance(entry["total"], str) and len(entry["total"].split(".")[1]) == 2
        assert isinstance(entry["rank"], int)
    ranks = [o["rank"] for o in data["offices"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    by_id = {o["office_id"]: o for o in data["offices"]}
    assert by_id["lp-ko-kha"]["total"] == by_id["lp-mae-tha"]["total"] == "72.00"
    assert by_id["lp-ko-kha"]["rank"] == by_id["lp-mae-tha"]["rank"]
    tied = by_id["lp-ko-kha"]["rank"]
    assert tied + 2 in ranks and tied + 1 not in ranks  # competition: the next rank skips
    assert by_id["lp-wang-nuea"]["total"] == "80.00" and by_id["lp-wang-nuea"]["tier"] == "ดีเด่น"


def test_rank_gives_the_same_offices_as_score(scored: Scored) -> None:
    assert scored.run.code == 0
    run = officestar("rank", "--round", "2", "--store", scored.store, "--json", "--no-report",
                     cwd=scored.folder)
    assert run.code == 0, run.stderr
    ranked, from_score = run.json(), scored.run.json()
    assert set(ranked) == TOP_KEYS
    assert ranked["offices"] == from_score["offices"]
    for key in ("round", "fiscal_year", "method", "provisional"):
        assert ranked[key] == from_score[key], key
    assert ranked["issues"] == []
    assert {f["sha256"] for f in ranked["files"]} == {f["sha256"] for f in from_score["files"]}


def test_score_again_is_unchanged_and_ranks_the_same(scored: Scored) -> None:
    run = officestar("score", *EXAMPLES, "--store", scored.store, "--no-report", "--json",
                     cwd=scored.folder)
    assert run.code == 0, run.stderr
    data = run.json()
    assert [f["status"] for f in data["files"]] == ["unchanged"] * 5
    assert data["offices"] == scored.run.json()["offices"]


@pytest.mark.parametrize("method", ["trimmed", "median"])
def test_other_methods_are_accepted_and_rank_agrees_with_score(
    method: str, tmp_path: Path, scored: Scored
) -> None:
    rank = officestar("rank", "--round", "2", "--store", scored.store, "--method", method, "--json",
                      "--no-report", cwd=scored.folder)
    assert rank.code == 0, rank.stderr
    data = rank.json()
    assert data["method"] == method
    assert all(o["complete"] and o["rank"] is not None for o in data["offices"])
    ranks = [o["rank"] for o in data["offices"]]
    assert ranks == sorted(ranks)
    score = officestar("score", *EXAMPLES, "--store", tmp_path / "s.sqlite3", "--method", method,
                       "--json", "--no-report", cwd=tmp_path)
    assert score.code == 0, score.stderr
    assert score.json()["offices"] == data["offices"]
    assert score.json()["method"] == method


def test_a_bogus_method_is_a_usage_error(scored: Scored, tmp_path: Path) -> None:
    rank = officestar("rank", "--round", "2", "--store", scored.store, "--method", "bogus", "--json",
                      "--no-report", cwd=scored.folder)
    assert rank.code == 2
    assert rank.stdout.strip() == ""
    score = officestar("score", *EXAMPLES, "--store", tmp_path / "s.sqlite3", "--method", "bogus",
                       "--json", "--no-report", cwd=tmp_path)
    assert score.code == 2
    assert not (tmp_path / "s.sqlite3").exists()  # nothing was recorded


def test_rank_without_a_store_is_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    run = officestar("rank", "--round", "2", "--store", missing, "--json", "--no-report", cwd=tmp_path)
    assert run.code == 2
    assert run.stderr.strip()
    assert not missing.exists()


def test_rank_of_an_empty_round_is_exit_2(scored: Scored) -> None:
    run = officestar("rank", "--round", "3", "--store", scored.store, "--json", "--no-report",
                     cwd=scored.folder)
    assert run.code == 2
    assert run.stderr.strip()


def test_rejected_files_exit_1_and_the_good_ones_are_still_recorded(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    run = officestar("score", *WITH_ERRORS, "--store", store, "--no-report", "--json", cwd=tmp_path)
    assert run.code == 1, run.stderr
    data = run.json()
    statuses = {f["member"]: f["status"] for f in data["files"]}
    assert statuses == {
        "นาย ก": "rejected", "นาง ข": "rejected", "นางสาว ค": "rejected",
        "นาย ง": "recorded", "นาง จ": "recorded",
    }
    codes = {i["code"] for i in data["issues"] if i["severity"] == "error"}
    assert {"blank-score", "score-above-max"} <= codes
    assert data["provisional"] is True  # a rejected file makes the result provisional
    assert all(o["members"] == 2 for o in data["offices"])

    history = officestar("history", "--round", "2", "--store", store, "--json", cwd=tmp_path)
    assert history.code == 0, history.stderr
    recorded = history.json()["files"]
    assert sorted(f["member"] for f in recorded) == ["นาง จ", "นาย ง"]
    assert all(f["current"] for f in recorded)
    good = {f["sha256"] for f in data["files"] if f["status"] == "recorded"}
    assert {f["sha256"] for f in recorded} == good

    # rank from the store alone: the same offices, not provisional (nothing rejected now).
    rank = officestar("rank", "--round", "2", "--store", store, "--json", "--no-report", cwd=tmp_path)
    assert rank.code == 0, rank.stderr
    assert rank.json()["offices"] == data["offices"]


def test_four_complete_members_are_not_provisional(tmp_path: Path) -> None:
    run = officestar("score", *EXAMPLES[:4], "--store", tmp_path / "s.sqlite3", "--no-report", "--json",
                     cwd=tmp_path)
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["provisional"] is False
    assert all(o["complete"] and o["members"] == 4 and o["rank"] is not None for o in data["offices"])


def test_an_office_left_blank_makes_the_result_provisional(tmp_path: Path) -> None:
    rubric = load_rubric(RUBRIC_PATH)
    eighty = fraction_of_max(rubric, Decimal("0.8"))
    first = EXAMPLES[0]  # นาย ก's workbook, refilled with งาว left blank
    blanked = fill_workbook(
        first, tmp_path / "in" / first.name, rubric,
        lambda office_id, criterion_id: None if office_id == "lp-ngao" else eighty(office_id, criterion_id),
    )
    store = tmp_path / "s.sqlite3"
    run = officestar("score", blanked, *EXAMPLES[1:], "--store", store, "--no-report", "--json",
                     cwd=tmp_path)
    assert run.code == 0, run.stderr  # a warning, not an error
    data = run.json()
    assert [i["code"] for i in data["issues"]] == ["office-not-scored"]
    assert data["issues"][0]["severity"] == "warning"
    assert data["provisional"] is True
    by_id = {o["office_id"]: o for o in data["offices"]}
    ngao = by_id["lp-ngao"]
    assert ngao["complete"] is False and ngao["missing"] == ["นาย ก"] and ngao["members"] == 4
    assert ngao["rank"] is None and ngao["total"] is None and ngao["tier"] is None
    assert data["offices"][-1]["office_id"] == "lp-ngao"  # unranked offices come last
    others = [o for o in data["offices"] if o["office_id"] != "lp-ngao"]
    assert all(o["complete"] and o["rank"] is not None for o in others)
    assert sorted(o["rank"] for o in others)[-1] <= 13

    rank = officestar("rank", "--round", "2", "--store", store, "--json", "--no-report", cwd=tmp_path)
    assert rank.code == 0, rank.stderr
    assert rank.json()["provisional"] is True
    assert rank.json()["offices"] == data["offices"]


def _zoned(folder: Path, tie_break: str) -> Path:
    """The shipped rubric with the two tied offices (72.00) and one more in a zone: zones and
    tie-breaks are outside the fingerprint, so the scored store ranks under it."""
    text = RUBRIC_PATH.read_text("utf-8")
    for office in ("lp-ko-kha", "lp-mae-tha", "lp-hang-chat"):
        text = re.sub(rf"(?m)^(  - id: {office}\n(?:    .*\n)*?)(    staff: .*\n)", r"\1\2    zone: z1\n", text)
    text = re.sub(r"(?m)^zones: \[\].*$", "zones: [{id: z1, th: โซนหนึ่ง, en: Zone one}]", text)
    text = re.sub(r"(?m)^tie_break: \[\].*$", f"tie_break: {tie_break}", text)
    path = folder / f"zoned-{len(tie_break)}.yaml"
    path.write_text(text, "utf-8")
    assert text.count("zone: z1") == 3
    return path


@pytest.mark.parametrize("tie_break", ["[]", "['1', '2', '3', '4', '5']"])
def test_the_terminal_prints_ranks_and_zone_ranks_as_the_report_does(
    scored: Scored, tmp_path: Path, tie_break: str
) -> None:
    from conftest import invoke

    rubric = _zoned(tmp_path, tie_break)
    run = invoke(["rank", "--round", "2", "--store", scored.store, "--rubric", rubric, "--out", tmp_path / "r",
                  "--date", "2024-08-30"])
    assert run.exit_code == 0, run.output
    loaded = load_rubric(rubric)
    titles = {o.th: o.id for o in loaded.offices}
    terminal: dict[str, tuple[str, str]] = {}
    for line in run.stdout.splitlines():
        cells = line.split()
        office = next((c for c in cells if c in titles), None)
        if office is not None:
            terminal[office] = (cells[0], cells[-1])
    report: dict[str, tuple[str, str]] = {}
    markdown = (tmp_path / "r" / "officestar-2567-round-2.md").read_text("utf-8")
    for line in markdown.split("## อันดับ")[1].split("## ระดับ")[0].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) > 3 and cells[1] in titles:
            report[cells[1]] = (cells[0], cells[3])
    assert len(terminal) == len(report) == len(titles)
    assert terminal == report
    ko_kha, mae_tha = terminal["เกาะคา"], terminal["แม่ทะ"]
    if tie_break == "[]":  # the tie stands: the same rank, overall and in the zone, printed alike
        assert ko_kha == mae_tha and ko_kha[0].isdigit() and ko_kha[1].isdigit()
    else:  # the tie-break settles it: two ranks, with no mark of a tie
        assert ko_kha[0] != mae_tha[0] and ko_kha[1] != mae_tha[1]
    assert all("=" not in rank + zone for rank, zone in terminal.values())
