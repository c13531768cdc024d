"""The rubric: every check with a broken file and its line, the fingerprint, where it is found."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import INFOGRAPHIC_RUBRIC, ROOT, ROOT_RUBRIC, RunCli
from officestar_cli.rubric.load import PACKAGED, RUBRIC_ENV, load_rubric, parse_rubric
from officestar_cli.rubric.model import Rubric, fingerprint
from officestar_cli.rubric.problems import RubricError, RubricProblem
from officestar_cli.rubric.schema import SCHEMA

BROKEN = "broken.yaml"


# ---------------------------------------------------------------- helpers


def edit(text: str, old: str, new: str) -> str:
    """Replace exactly one occurrence, so a test cannot silently edit nothing."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the rubric text"
    return text.replace(old, new)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} occurs {len(hits)} time(s)"
    return hits[occurrence - 1]


def problems_of(text: str, name: str = BROKEN) -> list[RubricProblem]:
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, name)
    return caught.value.problems


def only_problem(text: str) -> RubricProblem:
    problems = problems_of(text)
    assert len(problems) == 1, [p.render("en") for p in problems]
    return problems[0]


def assert_at(problem: RubricProblem, line: int, *words: str) -> None:
    """The rendered message names the file and the line, in Thai and in English."""
    for lang in ("th", "en"):
        message = problem.render(lang)
        assert f"{BROKEN}:{line}:" in message, message
        assert problem.th in message and problem.en in message
        for word in words:
            assert word in message, message


# ---------------------------------------------------------------- the shipped files


def test_shipped_rubric_loads_and_adds_up(rubric: Rubric) -> None:
    assert rubric.total == 100
    assert [d.max for d in rubric.dimensions] == [20] * 5
    assert sum(c.max for c in rubric.criteria) == 100
    for dimension in rubric.dimensions:
        assert sum(c.max for c in dimension.criteria) == dimension.max
    assert [str(c.max) for c in rubric.criteria] == [
        "5",
        "10",
        "5",
        "10",
        "10",
        "4",
        "4",
        "4",
        "4",
        "4",
        "10",
        "10",
        "10",
        "5",
        "5",
    ]
    assert [(t.th, t.min) for t in rubric.tiers] == [("ดีเด่น", 80), ("ดีมาก", 70), ("ดี", 60)]
    assert rubric.precision == 2
    assert (rubric.fiscal_year, rubric.round) == (2567, 2)
    assert len(rubric.offices) == 14
    assert rubric.offices[0].th == "สพจ.ลำปาง"
    assert rubric.offices[-1].th == "เมืองปาน"
    assert sum(o.staff or 0 for o in rubric.offices) == 85


def test_infographic_example_loads_with_its_weighting() -> None:
    example = load_rubric(INFOGRAPHIC_RUBRIC)
    assert [d.max for d in example.dimensions] == [25, 20, 25, 20, 10]
    assert example.total == 100
    assert [c.max for c in example.dimension_by_id["3"].criteria] == [5] * 5
    assert example.fingerprint != load_rubric(ROOT_RUBRIC).fingerprint


# ---------------------------------------------------------------- every check


def test_unknown_key(rubric_text: str) -> None:
    text = edit(
        rubric_text, "    en: Good management\n", "    en: Good management\n    colour: red\n"
    )
    problem = only_problem(text)
    assert_at(problem, line_of(text, "colour: red"), "colour", "unknown key", "ไม่รู้จักคีย์")
    assert problem.column == 5


def test_unknown_top_level_key(rubric_text: str) -> None:
    text = edit(rubric_text, "total: 100", "totl: 100")
    problems = problems_of(text)
    by_key = {p.key: p for p in problems}
    assert_at(by_key["totl"], line_of(text, "totl: 100"), "unknown key")
    # The misspelt key also leaves ``total`` missing: both are reported.
    assert any("missing required key 'total'" in p.en for p in problems)


def test_missing_key(rubric_text: str) -> None:
    text = edit(rubric_text, "    en: Good management\n", "")
    problem = only_problem(text)
    # Reported where the dimension that lacks it starts.
    assert_at(problem, line_of(text, 'id: "1"'), "missing required key 'en'", "ขาดคีย์ที่จำเป็น")


def test_missing_criterion_max(rubric_text: str) -> None:
    text = edit(rubric_text, "        max: 10          # not legible", "        # max removed")
    problems = problems_of(text)
    missing = [p for p in problems if "missing required key 'max'" in p.en]
    assert len(missing) == 1
    assert_at(missing[0], line_of(text, 'id: "1.2"'), "dimensions[0].criteria[1]")


@pytest.mark.parametrize(
    ("old", "new", "needle", "expected"),
    [
        ("fiscal_year: 2567 ", 'fiscal_year: "2567"', "fiscal_year:", "whole number"),
        ("staff: 19", "staff: many", "staff: many", "whole number"),
        ("round: 2 ", "round: two", "round: two", "whole number"),
        ("th: บริหารดี\n", "th: [บริหาร, ดี]\n", "th: [บริหาร", "text"),
        ("tie_break: []", "tie_break: 1", "tie_break: 1", "a list"),
    ],
)
def test_wrong_type(rubric_text: str, old: str, new: str, needle: str, expected: str) -> None:
    text = edit(rubric_text, old, new)
    problem = only_problem(text)
    assert_at(problem, line_of(text, needle), "must be", expected, "ต้องเป็น")


def test_duplicate_criterion_id(rubric_text: str) -> None:
    text = edit(rubric_text, 'id: "1.3"', 'id: "1.2"')
    problem = only_problem(text)
    first, second = line_of(text, 'id: "1.2"', 1), line_of(text, 'id: "1.2"', 2)
    assert_at(problem, second, "duplicate criterion id '1.2'", f"first at line {first}", "ซ้ำ")


def test_duplicate_criterion_id_across_dimensions(rubric_text: str) -> None:
    text = edit(rubric_text, 'id: "2.1"', 'id: "1.1"')
    problem = only_problem(text)
    assert_at(problem, line_of(text, 'id: "1.1"', 2), "duplicate criterion id '1.1'")


def test_duplicate_office_id(rubric_text: str) -> None:
    text = edit(rubric_text, "id: lp-thoen", "id: lp-mueang")
    problem = only_problem(text)
    first, second = line_of(text, "id: lp-mueang", 1), line_of(text, "id: lp-mueang", 2)
    assert_at(problem, second, "duplicate office id 'lp-mueang'", f"first at line {first}")


def test_duplicate_yaml_key(rubric_text: str) -> None:
    text = edit(rubric_text, "    en: Good management\n", "    en: Good management\n    max: 20\n")
    problem = only_problem(text)
    # The second ``max`` of dimension 1, not the first.
    assert_at(problem, line_of(text, "    max: 20", 2), "duplicate key 'max'", "ซ้ำ")


def test_duplicate_top_level_yaml_key(rubric_text: str) -> None:
    text = edit(rubric_text, "precision: 2 ", "precision: 2\nround: 3\n")
    problem = only_problem(text)
    assert_at(problem, line_of(text, "round: 3"), "duplicate key 'round'")


def test_dimension_whose_criteria_do_not_add_up(rubric_text: str) -> None:
    text = edit(
        rubric_text, "max: 5           # not legible in the source; decided: remainder", "max: 6 #"
    )
    problem = only_problem(text)
    dimension_max = line_of(text, 'id: "1"') + 3
    assert "max: 20" in text.splitlines()[dimension_max - 1]
    assert_at(problem, dimension_max, "add up to 21", "declares 20", "รวมกันได้ 21")


def test_total_other_than_declared(rubric_text: str) -> None:
    text = edit(rubric_text, "total: 100", "total: 90")
    problem = only_problem(text)
    assert_at(problem, line_of(text, "total: 90"), "add up to 100", "declares 90")


def test_total_other_than_declared_when_a_dimension_grows(rubric_text: str) -> None:
    # Dimension 5 and its criterion 5.1 both grow by 5: the dimension adds up, the total does not.
    text = edit(
        rubric_text,
        'max: 20\n    criteria:\n      - id: "5.1"',
        'max: 25\n    criteria:\n      - id: "5.1"',
    )
    text = edit(
        text,
        "Priority missions (10+1)\n        max: 10",
        "Priority missions (10+1)\n        max: 15",
    )
    problem = only_problem(text)
    assert_at(problem, line_of(text, "total: 100"), "add up to 105", "declares 100")


def test_unsorted_tiers(rubric_text: str) -> None:
    text = edit(rubric_text, "min: 80", "min: 65")
    problem = only_problem(text)
    assert_at(problem, line_of(text, "min: 70"), "sorted highest first", "70", "65")


def test_overlapping_tiers(rubric_text: str) -> None:
    text = edit(rubric_text, "min: 70", "min: 80")
    problem = only_problem(text)
    assert_at(problem, line_of(text, "min: 80", 2), "without overlap", "ไม่ซ้อนกัน")


def test_tier_above_the_total(rubric_text: str) -> None:
    text = edit(rubric_text, "min: 80", "min: 120")
    problem = only_problem(text)
    assert_at(problem, line_of(text, "min: 120"), "above the total 100")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "must be a positive number"),
        ("-1", "must be a positive number"),
        ("ten", "must be a number"),
    ],
)
def test_criterion_maximum_not_positive(rubric_text: str, value: str, expected: str) -> None:
    text = edit(
        rubric_text,
        "max: 5           # not legible in the source; decided: remainder",
        f"max: {value} #",
    )
    problem = only_problem(text)
    assert_at(problem, line_of(text, f"max: {value} #"), expected, "dimensions[0].criteria[2].max")


@pytest.mark.parametrize("value", ["0", "-20", "ten"])
def test_dimension_maximum_not_positive(rubric_text: str, value: str) -> None:
    text = edit(
        rubric_text,
        'max: 20\n    criteria:\n      - id: "4.1"',
        f'max: {value}\n    criteria:\n      - id: "4.1"',
    )
    problems = problems_of(text)
    line = line_of(text, f"    max: {value}")
    assert problems, "a non-positive dimension maximum must be rejected"
    assert all(p.line == line for p in problems), [p.render("en") for p in problems]
    assert any("positive" in p.en or "must be a number" in p.en for p in problems)


def test_total_not_positive(rubric_text: str) -> None:
    text = edit(rubric_text, "total: 100", "total: 0")
    problems = problems_of(text)
    assert_at(problems[0], line_of(text, "total: 0"), "must be a positive number")
    # Every tier is then above the total, and each says so on its own line.
    assert [p.line for p in problems[1:]] == [line_of(text, f"min: {m}") for m in (80, 70, 60)]


def test_several_problems_are_reported_together(rubric_text: str) -> None:
    text = edit(rubric_text, "total: 100", "total: 90")
    text = edit(text, "    en: Good management\n", "    en: Good management\n    colour: red\n")
    text = edit(text, "id: lp-thoen", "id: lp-mueang")
    text = edit(text, "min: 70", "min: 80")
    problems = problems_of(text)
    lines = [p.line for p in problems]
    assert lines == sorted(lines), "problems are listed in file order"
    assert lines == [
        line_of(text, "total: 90"),
        line_of(text, "min: 80", 2),
        line_of(text, "colour: red"),
        line_of(text, "id: lp-mueang", 2),
    ]
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, BROKEN)
    assert "4 problem(s)" in caught.value.en and "พบปัญหา 4 รายการ" in caught.value.th
    for problem in problems:
        assert problem.render("en") in caught.value.en
        assert problem.render("th") in caught.value.th


def test_yaml_syntax_error_names_the_line() -> None:
    text = "format: 1\ncontest:\n  name: [unclosed\nfiscal_year: 2567\n"
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].line in (3, 4)
    assert "invalid YAML" in problems[0].en


def test_small_rubric_written_from_scratch() -> None:
    text = """\
format: 1
contest: {name: Mini, th: มินิ, en: Mini}
fiscal_year: 2568
round: 1
total: 10
tiers:
  - {th: ดี, en: Good, min: 5}
dimensions:
  - id: A
    th: ก
    en: A
    max: 10
    criteria:
      - {id: A.1, th: ก1, en: A1, max: 2.5}
      - {id: A.2, th: ก2, en: A2, max: 7.5}
offices:
  - {id: x, th: เอ็กซ์, en: X}
"""
    mini = parse_rubric(text, "mini.yaml")
    assert [str(c.max) for c in mini.criteria] == ["2.5", "7.5"]
    broken = text.replace("max: 7.5", "max: 7.4").replace(
        "- {id: x,", "- {id: A.1, th: ย, en: Y}\n  - {id: A.1,"
    )
    problems = problems_of(broken)
    assert [(p.line, "add up to 9.9" in p.en or "office id" in p.en) for p in problems] == [
        (12, True),
        (18, True),
    ]


# ---------------------------------------------------------------- the command


def test_rubric_command_with_a_broken_file_exits_2_with_file_line_column(
    run_cli: RunCli, rubric_text: str, tmp_path: Path
) -> None:
    text = edit(rubric_text, "total: 100", "total: 90")
    text = edit(text, "id: lp-thoen", "id: lp-mueang")
    broken = tmp_path / BROKEN
    broken.write_text(text, "utf-8")
    result = run_cli("rubric", "--rubric", broken)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    total_line, office_line = line_of(text, "total: 90"), line_of(text, "id: lp-mueang", 2)
    assert re.search(rf"{re.escape(str(broken))}:{total_line}:\d+: total: ", result.stderr)
    assert re.search(
        rf"{re.escape(str(broken))}:{office_line}:\d+: offices\[2\]\.id: ", result.stderr
    )
    assert "คะแนนเต็มของทุกด้านรวมกันได้ 100" in result.stderr  # Thai
    assert "the dimensions add up to 100 but total declares 90" in result.stderr  # English
    english = run_cli("rubric", "--rubric", broken, "--lang", "en")
    assert english.exit_code == 2
    assert english.stderr.splitlines()[0].startswith("The rubric cannot be used; 2 problem(s)")


def test_rubric_command_json_with_a_broken_file_prints_nothing_on_stdout(
    run_cli: RunCli, rubric_text: str, tmp_path: Path
) -> None:
    broken = tmp_path / BROKEN
    broken.write_text(edit(rubric_text, "total: 100", "total: 90"), "utf-8")
    result = run_cli("rubric", "--rubric", broken, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{broken}:" in result.stderr


@pytest.mark.parametrize(
    ("setup", "expected_en"),
    [
        ("missing", "file not found"),
        ("folder", "is a folder"),
        ("latin1", "not UTF-8"),
        ("empty", "empty"),
    ],
)
def test_rubric_command_with_an_unusable_file(
    run_cli: RunCli, tmp_path: Path, setup: str, expected_en: str
) -> None:
    path = tmp_path / "r.yaml"
    if setup == "folder":
        path.mkdir()
    elif setup == "latin1":
        path.write_bytes(b"format: 1\ncontest: caf\xe9\n")
    elif setup == "empty":
        path.write_text("# only a comment\n", "utf-8")
    result = run_cli("rubric", "--rubric", path, "--lang", "en")
    assert result.exit_code == 2
    assert expected_en in result.stderr
    assert "Traceback" not in result.stderr


def test_rubric_command_shows_the_total_tiers_and_fingerprint(
    run_cli: RunCli, rubric: Rubric
) -> None:
    result = run_cli("rubric", "--rubric", ROOT_RUBRIC)
    assert result.exit_code == 0
    assert result.stderr == "", "the rubric is the command's result: stdout (docs/commands.md)"
    assert rubric.short_fingerprint in result.stdout
    assert "รวมทั้งสิ้น" in result.stdout and "100" in result.stdout
    assert "ดีเด่น ≥ 80" in result.stdout
    english = run_cli("rubric", "--rubric", ROOT_RUBRIC, "--lang", "en")
    assert "Total" in english.stdout and "Outstanding ≥ 80" in english.stdout
    assert all(len(line) <= 120 for line in english.stdout.splitlines())


def test_rubric_command_json(run_cli: RunCli, rubric: Rubric) -> None:
    result = run_cli("rubric", "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 0
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["total"] == "100"
    assert data["fingerprint"] == rubric.fingerprint
    assert len(data["fingerprint"]) == 64
    assert [d["max"] for d in data["dimensions"]] == ["20"] * 5
    assert [d["criteria_sum"] for d in data["dimensions"]] == ["20"] * 5
    assert [o["id"] for o in data["offices"]] == [o.id for o in rubric.offices]
    assert data["fiscal_year"] == 2567 and data["round"] == 2
    assert "{" not in result.stderr


# ---------------------------------------------------------------- where the rubric is found


def test_packaged_rubric_when_the_folder_has_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, rubric: Rubric, run_cli: RunCli
) -> None:
    monkeypatch.chdir(tmp_path)
    loaded = load_rubric()
    assert loaded.source == PACKAGED
    assert loaded.fingerprint == rubric.fingerprint
    result = run_cli("rubric", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"] == PACKAGED


def test_rubric_yaml_in_the_working_folder_wins_over_the_packaged_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "rubric.yaml").write_bytes(INFOGRAPHIC_RUBRIC.read_bytes())
    monkeypatch.chdir(tmp_path)
    loaded = load_rubric()
    assert loaded.source == "rubric.yaml"
    assert [d.max for d in loaded.dimensions] == [25, 20, 25, 20, 10]


def test_environment_variable_selects_the_rubric(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run_cli: RunCli
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rubric.yaml").write_bytes(ROOT_RUBRIC.read_bytes())
    monkeypatch.setenv(RUBRIC_ENV, str(INFOGRAPHIC_RUBRIC))
    assert [d.max for d in load_rubric().dimensions] == [25, 20, 25, 20, 10]
    result = run_cli("rubric", "--json")
    assert result.exit_code == 0
    assert [d["max"] for d in json.loads(result.stdout)["dimensions"]] == [
        "25",
        "20",
        "25",
        "20",
        "10",
    ]
    # --rubric beats the environment.
    chosen = run_cli("rubric", "--json", "--rubric", ROOT_RUBRIC)
    assert [d["max"] for d in json.loads(chosen.stdout)["dimensions"]] == ["20"] * 5


def test_environment_variable_naming_a_missing_file_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run_cli: RunCli
) -> None:
    monkeypatch.setenv(RUBRIC_ENV, str(tmp_path / "nope.yaml"))
    result = run_cli("rubric", "--lang", "en")
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr and "file not found" in result.stderr


# ---------------------------------------------------------------- the fingerprint


def fingerprint_of(text: str) -> str:
    return parse_rubric(text, "r.yaml").fingerprint


def test_fingerprint_is_a_sha256_and_stable_across_runs(rubric_text: str, rubric: Rubric) -> None:
    first = fingerprint_of(rubric_text)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first == fingerprint_of(rubric_text) == fingerprint(rubric) == rubric.fingerprint
    assert rubric.short_fingerprint == first[:12]


def test_fingerprint_is_pinned_for_the_shipped_rubric(rubric: Rubric) -> None:
    # Changing the canonical form orphans every workbook already sent out:
    # do it only with a new sheet format version.
    assert rubric.fingerprint == "5b31f96d59f09875e420db57287e149627d329b58e4f3e4591761d5c937c7af2"


def _reorder(value: Any) -> Any:
    """The same data with every mapping's keys in reverse order."""
    if isinstance(value, dict):
        return {key: _reorder(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reorder(item) for item in value]
    return value


def test_fingerprint_does_not_depend_on_key_order(rubric_text: str) -> None:
    data = yaml.safe_load(rubric_text)
    reordered = yaml.safe_dump(_reorder(data), allow_unicode=True, sort_keys=False)
    assert reordered.splitlines()[0].startswith("committee:")
    assert fingerprint_of(reordered) == fingerprint_of(rubric_text)
    sorted_keys = yaml.safe_dump(data, allow_unicode=True, sort_keys=True)
    assert fingerprint_of(sorted_keys) == fingerprint_of(rubric_text)


@pytest.mark.parametrize(
    "change",
    [
        # A maximum (the dimension still adds up).
        [
            ("max: 10          # not legible in the source; decided: 10 of the 15", "max: 9 #"),
            ("max: 5           # not legible in the source; decided: remainder", "max: 6 #"),
        ],
        # A criterion id.
        [('id: "1.3"', 'id: "1.3a"')],
        # A dimension id.
        [('id: "5"', 'id: "5x"')],
        # An office id.
        [("id: lp-thoen", "id: lp-thoen-district")],
        # Another office.
        [("zones: []", "  - {id: lp-extra, th: พิเศษ, en: Extra}\nzones: []")],
        # The display precision.
        [("precision: 2 ", "precision: 1 ")],
    ],
    ids=["maximum", "criterion-id", "dimension-id", "office-id", "office-added", "precision"],
)
def test_fingerprint_changes_with_what_decides_scores(
    rubric_text: str, change: list[tuple[str, str]]
) -> None:
    text = rubric_text
    for old, new in change:
        text = edit(text, old, new)
    assert fingerprint_of(text) != fingerprint_of(rubric_text)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("th: ภาวะผู้นำ/หลักธรรมาภิบาล", "th: ภาวะผู้นำ"),
        ("en: Good management", "en: Sound management"),
        ("name: Office Star CDD LAMPANG", "name: Office Star 2"),
        ("th: เถิน", "th: อำเภอเถิน"),
        ("- Model การขับเคลื่อนงานของสำนักงานพัฒนาชุมชนอำเภอ", "- แนวทางอื่น"),
        ("staff: 19", "staff: 20"),
        ("min: 80", "min: 85"),
        # docs/design.md, "Identity": the round and the fiscal year are not in the fingerprint.
        ("round: 2 ", "round: 3 "),
        ("fiscal_year: 2567 ", "fiscal_year: 2568 "),
    ],
    ids=[
        "criterion-th",
        "dimension-en",
        "contest",
        "office-th",
        "detail",
        "staff",
        "tier",
        "round",
        "fiscal-year",
    ],
)
def test_fingerprint_ignores_wording_round_and_year(rubric_text: str, old: str, new: str) -> None:
    text = edit(rubric_text, old, new)
    assert fingerprint_of(text) == fingerprint_of(rubric_text)


# ---------------------------------------------------------------- docs/rubric.md


def _schema_keys(schema: dict[str, Any]) -> set[str]:
    keys = set(schema.get("properties", {}))
    for sub in schema.get("properties", {}).values():
        keys |= _schema_keys(sub)
        if isinstance(sub.get("items"), dict):
            keys |= _schema_keys(sub["items"])
    return keys


def test_rubric_doc_names_every_key() -> None:
    doc = (ROOT / "docs" / "rubric.md").read_text("utf-8")
    keys = _schema_keys(SCHEMA)
    assert {"format", "criteria", "detail", "submit_to_th", "zones"} <= keys
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"docs/rubric.md does not document {missing}"


def test_rubric_doc_example_loads() -> None:
    doc = (ROOT / "docs" / "rubric.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", doc, re.S)
    assert example is not None
    loaded = parse_rubric(example.group(1), "docs/rubric.md")
    assert loaded.total == 10


def test_rubric_doc_canonical_form_gives_the_fingerprint(rubric: Rubric) -> None:
    doc = (ROOT / "docs" / "rubric.md").read_text("utf-8")
    canonical = re.search(r"<!-- canonical-form:rubric.yaml -->\n```\n(.*?)\n```", doc, re.S)
    printed = re.search(r"<!-- fingerprint:rubric.yaml -->\n`([0-9a-f]{64})`", doc)
    assert canonical is not None and printed is not None
    assert hashlib.sha256(canonical.group(1).encode("ascii")).hexdigest() == rubric.fingerprint
    assert printed.group(1) == rubric.fingerprint
    assert rubric.short_fingerprint in doc


def _zoned_rubric(folder: Path) -> Path:
    """The shipped rubric with two zones and a committee: one member per zone, one by office, one for all."""
    text = ROOT_RUBRIC.read_text("utf-8")
    text = text.replace("    staff: 19\n", "    staff: 19\n    zone: north\n", 1)
    text = text.replace("    staff: 10\n", "    staff: 10\n    zone: south\n", 1)
    text = re.sub(r"(?m)^zones: \[\].*$", "zones: [{id: north, th: โซนเหนือ, en: North}, "
                  "{id: south, th: โซนใต้, en: South}]", text)
    text = re.sub(r"(?m)^committee: \[\].*$", "committee: [{name: นาย ก, zones: [north]}, "
                  "{name: นาง ข, offices: [lp-thoen, lp-ngao]}, {name: นางสาว ค}]", text)
    path = folder / "rubric.yaml"
    path.write_text(text, "utf-8")
    return path


def test_rubric_command_shows_the_zones_the_committee_and_what_each_member_scores(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = _zoned_rubric(tmp_path)
    rubric = load_rubric(path)
    result = run_cli("rubric", "--rubric", path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()

    def line_of(*words: str) -> str:
        found = [line for line in lines if all(w in line for w in words)]
        assert len(found) == 1, (words, result.stdout)
        return found[0]

    assert "north" in line_of("โซนเหนือ", "สพจ.ลำปาง")
    assert "south" in line_of("โซนใต้", "เมืองลำปาง")
    assert "คณะกรรมการ (3 คน)" in result.stdout
    assert line_of("นาย ก", "โซน").split()[-1] == "1"
    by_office = line_of("นาง ข", "หน่วยงาน")
    assert "เถิน" in by_office and "งาว" in by_office and by_office.split()[-1] == "2"
    everything = line_of("นางสาว ค")
    assert "ทุกหน่วยงาน" in everything and everything.split()[-1] == str(len(rubric.offices))
    english = run_cli("rubric", "--rubric", path, "--lang", "en")
    assert "Committee (3)" in english.stdout and "every office" in english.stdout
    assert "North" in english.stdout and "zones North" in english.stdout
    data = json.loads(run_cli("rubric", "--rubric", path, "--json").stdout)
    assert [z["id"] for z in data["zones"]] == ["north", "south"]
    assert data["committee"][0] == {"name": "นาย ก", "zones": ["north"], "offices": []}
    assert data["committee"][1]["offices"] == ["lp-thoen", "lp-ngao"]


def test_rubric_command_says_when_no_committee_is_declared(run_cli: RunCli) -> None:
    result = run_cli("rubric", "--rubric", ROOT_RUBRIC)
    assert "คณะกรรมการ: เกณฑ์ไม่ได้ระบุ" in result.stdout and "--evaluator" in result.stdout
