"""A declared committee is the expected list: a round with members missing never looks final."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from officestar_cli.rubric.load import load_rubric
from officestar_cli.scoring.expected import coverage
from support.committee import EXAMPLES, MEMBERS, ROOT, json_of, officestar, rubric_with


def _score(tmp_path: Path, rubric: Path, files: list[Path]) -> tuple[int, dict[str, Any]]:
    done = officestar(tmp_path, "score", *files, "--rubric", rubric, "--store", tmp_path / "s.sqlite3", "--no-report",
                      "--json")
    return done.returncode, json_of(done)


def test_five_declared_two_returned_is_provisional_with_no_tier(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS])
    code, data = _score(tmp_path, rubric, EXAMPLES[:2])
    assert code == 0
    assert data["provisional"] is True
    assert data["not_returned"] == MEMBERS[2:]
    for office in data["offices"]:
        assert office["complete"] is False
        assert office["tier"] is None and office["rank"] is None and office["total"] is None
        assert office["missing"] == MEMBERS[2:]


def test_all_five_returned_is_complete_and_final(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS])
    code, data = _score(tmp_path, rubric, EXAMPLES)
    assert code == 0
    assert data["provisional"] is False and data["not_returned"] == []
    assert all(o["complete"] and o["rank"] is not None and not o["missing"] for o in data["offices"])


def test_a_quorum_of_four_with_four_returned_is_complete_and_names_the_absent(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS], quorum=4)
    code, data = _score(tmp_path, rubric, EXAMPLES[:4])
    assert code == 0
    assert all(o["complete"] and o["rank"] is not None for o in data["offices"])
    assert all(o["missing"] == ["นาง จ"] for o in data["offices"])
    assert data["not_returned"] == ["นาง จ"]
    assert data["provisional"] is True  # an expected member has returned nothing


def test_no_committee_counts_against_the_workbooks_received(tmp_path: Path) -> None:
    code, data = _score(tmp_path, ROOT / "rubric.yaml", EXAMPLES[:2])
    assert code == 0
    assert "not_returned" not in data
    assert data["provisional"] is False
    assert all(o["complete"] and o["members"] == 2 for o in data["offices"])


def test_a_member_assigned_a_zone_is_expected_only_there(tmp_path: Path) -> None:
    base = yaml.safe_load((ROOT / "rubric.yaml").read_text("utf-8"))
    offices = [o["id"] for o in base["offices"]]
    committee = [{"name": name} for name in MEMBERS[:4]] + [{"name": MEMBERS[4], "offices": offices[:3]}]
    rubric = load_rubric(rubric_with(tmp_path, committee=committee))
    for office in rubric.offices:
        expected = [m.name for m in rubric.committee if office in rubric.offices_for(m.name)]
        assert (MEMBERS[4] in expected) == (office.id in offices[:3])
        assert expected[:4] == MEMBERS[:4]


def test_coverage_rules() -> None:
    rubric = load_rubric(ROOT / "rubric.yaml")
    full = coverage(rubric, MEMBERS, MEMBERS)
    assert full.complete and not full.missing and not full.quorum_reached
    short = coverage(rubric, MEMBERS, MEMBERS[:4])
    assert not short.complete and short.missing == ("นาง จ",)
    # A name typed with a zero-width space is the same member.
    assert coverage(rubric, ["นาย ก"], ["นาย ก\u200b"]).complete
    assert not coverage(rubric, MEMBERS, []).complete


def test_a_strangers_workbook_is_rejected_and_the_others_are_recorded(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS[:4]] + [{"name": "นาง จันทร์"}])
    code, data = _score(tmp_path, rubric, EXAMPLES)
    assert code == 1
    stranger = [i for i in data["issues"] if i["code"] == "unknown-member"]
    assert len(stranger) == 1 and stranger[0]["value"] == "นาง จ" and stranger[0]["file"] == str(EXAMPLES[4])
    assert stranger[0]["cell"] == "B6" and "นาง จันทร์" in stranger[0]["expected"]
    statuses = {Path(f["file"]).name: f["status"] for f in data["files"]}
    assert statuses[EXAMPLES[4].name] == "rejected"
    assert [s for name, s in statuses.items() if name != EXAMPLES[4].name] == ["recorded"] * 4
    assert data["provisional"] is True and data["not_returned"] == ["นาง จันทร์"]


def test_every_output_says_whom_completeness_is_counted_against(tmp_path: Path) -> None:
    def run(rubric: Path, out: Path) -> subprocess.CompletedProcess[str]:
        return officestar(tmp_path, "score", *EXAMPLES[:2], "--rubric", rubric, "--store", out / "s.sqlite3",
                          "--out", out, "--date", "2024-08-30")

    undeclared = run(ROOT / "rubric.yaml", tmp_path / "none")
    assert "เกณฑ์ไม่ได้ระบุคณะกรรมการ" in undeclared.stderr
    md = (tmp_path / "none" / "officestar-2567-round-2.md").read_text("utf-8")
    html = (tmp_path / "none" / "officestar-2567-round-2.html").read_text("utf-8")
    assert "เกณฑ์ไม่ได้ระบุคณะกรรมการ" in md and "เกณฑ์ไม่ได้ระบุคณะกรรมการ" in html
    (tmp_path / "five").mkdir()
    declared = run(rubric_with(tmp_path / "five", committee=[{"name": n} for n in MEMBERS]), tmp_path / "five")
    assert "คณะกรรมการตามเกณฑ์ 5 คน" in declared.stderr
    assert "ยังไม่ส่งแบบประเมิน: นางสาว ค, นาย ง, นาง จ" in declared.stderr
    md = (tmp_path / "five" / "officestar-2567-round-2.md").read_text("utf-8")
    assert "ผลเบื้องต้น" in md and "นางสาว ค, นาย ง, นาง จ" in md


def test_template_refuses_an_evaluator_not_on_a_declared_committee(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS])
    done = officestar(tmp_path, "template", "--rubric", rubric, "--evaluator", "นาย ก", "--evaluator", "นาย กอ",
                "--out", tmp_path / "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "นาย กอ" in done.stderr and "นาย ก" in done.stderr
    assert not (tmp_path / "out").exists()
    spelled = officestar(tmp_path, "template", "--rubric", rubric, "--evaluator", "นาย ก\u200b",
                         "--out", tmp_path / "ok")
    assert spelled.returncode == 0, spelled.stderr  # the same member by the member key
    plain_rubric = officestar(tmp_path, "template", "--rubric", ROOT / "rubric.yaml", "--evaluator", "นาย กอ",
                        "--out", tmp_path / "free")
    assert plain_rubric.returncode == 0, plain_rubric.stderr  # no committee declared: anyone


def test_a_quorum_larger_than_the_committee_is_a_rubric_error(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS[:3]], quorum=4)
    done = officestar(tmp_path, "rubric", "--rubric", rubric)
    assert done.returncode == 2 and "quorum" in done.stderr and "Traceback" not in done.stderr
    fine = rubric_with(tmp_path, committee=[{"name": name} for name in MEMBERS[:3]], quorum=3)
    assert officestar(tmp_path, "rubric", "--rubric", fine).returncode == 0
