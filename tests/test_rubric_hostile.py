"""Hostile rubrics and member names: each class refused by one rule, tried on several instances.

A rubric or a name that officestar cannot use is exit 2 with a message naming the
line or the name; never a traceback, never a hang, never a workbook that cannot be
read back.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import ROOT, ROOT_RUBRIC, RunCli
from officestar_cli.base.errors import OfficestarError
from officestar_cli.rubric import marks
from officestar_cli.rubric.load import parse_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.rubric.problems import RubricError, RubricProblem
from officestar_cli.workbook import contract as sf
from officestar_cli.workbook.template import build_workbook, number_format, write_templates

MINI = """\
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


def problems_of(text: str) -> list[RubricProblem]:
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, "hostile.yaml")
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert hits, needle
    return hits[0]


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging the run) when the test takes longer than 10 s."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError("still running after 10 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- anchors and aliases


def _key_bomb(levels: int) -> str:
    """Each level's key is a list of nine aliases of the previous level's key."""
    lines = ["? &l0 [q, q, q, q, q, q, q, q, q]\n: 0"]
    for level in range(1, levels):
        aliases = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"? &l{level} [{aliases}]\n: {level}")
    return "\n".join(lines) + "\n"


ALIASES = {
    "value alias": MINI + "copy: &c {id: y, th: ย, en: Y}\nagain: *c\n",
    "alias as a mapping key": MINI + "zones: &z [ ]\n? *z\n: 1\n",
    "anchor alone": edit(MINI, "fiscal_year: 2568", "fiscal_year: &year 2568"),
    "alias inside a list": edit(MINI, "  - {id: x, th: เอ็กซ์, en: X}\n", "  - &o {id: x, th: เอ็กซ์, en: X}\n  - *o\n"),
    "anchor on a key": edit(MINI, "round: 1", "&k round: 1"),
}


@pytest.mark.parametrize("text", ALIASES.values(), ids=ALIASES.keys())
def test_anchors_and_aliases_are_refused_with_their_line(text: str) -> None:
    problems = problems_of(text)
    assert problems and all("anchors and aliases" in p.en for p in problems), [p.en for p in problems]
    marked = [line for line in text.splitlines() if "&" in line or "*" in line]
    assert {p.line for p in problems} <= {line_of(text, m) for m in marked}


def test_aliases_are_refused_before_any_node_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def compose(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the YAML was composed although it holds an alias")

    monkeypatch.setattr(marks.yaml, "compose", compose)
    for text in [*ALIASES.values(), _key_bomb(9)]:
        problems_of(text)


def test_an_alias_bomb_in_mapping_keys_fails_fast(tmp_path: Path) -> None:
    bomb = _key_bomb(9)
    assert len(bomb.encode()) < 600
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, "utf-8")
    short = _key_bomb(6)  # about the 289 bytes the hunt used
    assert len(short.encode()) < 330
    (tmp_path / "short.yaml").write_text(short, "utf-8")
    for name in ("short.yaml", "bomb.yaml"):
        started = time.perf_counter()
        # A subprocess, so that a regression is a failed test and not a hung run.
        result = subprocess.run(
            [sys.executable, "-m", "officestar_cli", "rubric", "--rubric", name, "--lang", "en"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        assert result.returncode == 2, result.stderr
        assert "anchors and aliases" in result.stderr
        assert "Traceback" not in result.stderr
        assert time.perf_counter() - started < 30


# ---------------------------------------------------------------- special files


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "rubric.fifo"
    os.mkfifo(path)
    return path


def _socket(tmp_path: Path) -> Path:
    path = tmp_path / "rubric.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    return path


SPECIAL = {
    "fifo": _fifo,
    "socket": _socket,
    "/dev/zero": lambda _tmp: Path("/dev/zero"),
    "/dev/null": lambda _tmp: Path("/dev/null"),
}


@pytest.mark.parametrize("make", SPECIAL.values(), ids=SPECIAL.keys())
def test_a_special_file_as_rubric_is_exit_2_and_never_opened(
    make: object, tmp_path: Path, run_cli: RunCli, deadline: None
) -> None:
    assert callable(make)
    path = make(tmp_path)
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    for args, env in (
        (("rubric", "--rubric", str(path), "--lang", "en"), None),
        (("rubric", "--lang", "en"), {"OFFICESTAR_RUBRIC": str(path)}),
        (("template", "--rubric", str(path), "--out", str(tmp_path / "out"), "--lang", "en"), None),
    ):
        result = run_cli(*args, env=env)
        assert result.exit_code == 2, result.output
        assert "not a regular file" in result.stderr
        assert str(path) in result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- control characters


CONTROL = {
    "C0 in the contest title": ('th: มินิ, en: Mini}', 'th: "มินิ\\x01", en: Mini}'),
    "escape sequence in an office name": ("th: เอ็กซ์,", 'th: "\\e[2Jเอ็กซ์",'),
    "DEL in a criterion title": ("th: ก1,", 'th: "ก1\\x7f",'),
    "C1 next line in a dimension": ("    th: ก\n", '    th: "ก\\x85"\n'),
    "carriage return in a tier": ("th: ดี,", 'th: "ดี\\r",'),
    "lone surrogate": ("en: A1,", 'en: "A1\\udc80",'),
    "U+FFFF": ("en: A2,", 'en: "A2\\uffff",'),
    "control character in a key": ("      - {id: A.1,", '      - {"i\\x01d": 1, id: A.1,'),
}


@pytest.mark.parametrize(("old", "new"), CONTROL.values(), ids=CONTROL.keys())
def test_control_characters_in_rubric_text_are_refused_naming_the_line(old: str, new: str) -> None:
    text = edit(MINI, old, new)
    problems = problems_of(text)
    line = line_of(text, new.strip())
    # A surrogate escape is refused by the YAML reader itself, at the same line.
    refused = ("control character", "invalid Unicode character")
    assert any(p.line == line and any(r in p.en for r in refused) for p in problems), [
        p.render("en") for p in problems
    ]


def test_a_raw_control_character_in_the_file_names_its_line() -> None:
    text = edit(MINI, "th: ก2,", "th: ก2\x01,")
    problems = problems_of(text)
    assert [(p.line, "U+0001" in p.en) for p in problems] == [(line_of(text, "ก2\x01"), True)]


def test_template_with_a_control_character_in_the_rubric_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(edit(MINI, "th: เอ็กซ์,", 'th: "เอ็กซ์\\x01",'), "utf-8")
    result = run_cli("template", "--rubric", path, "--out", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 2
    assert f"{path}:{line_of(path.read_text('utf-8'), 'x01')}:" in result.stderr
    assert not (tmp_path / "out").exists()


BAD_NAMES = {
    "C0": "นาย\x01ก",
    "terminal title": "\x1b]0;owned\x07นาย ก",
    "erase line": "นาย ก\x1b[2K",
    "surrogate from a non-UTF-8 argument": "นาย\udcffก",
    "U+FFFE": "นาย ก\ufffe",
}


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_an_evaluator_name_with_control_characters_is_refused_naming_it(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    result = run_cli("template", "--rubric", ROOT_RUBRIC, "--evaluator", "นาง ข", "--evaluator", name,
                     "--out", out, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "control character" in result.stderr
    assert "นาย" in result.stderr and "\x1b" not in result.stderr and "\x01" not in result.stderr
    assert not out.exists() or not list(out.iterdir())


INVISIBLE = {
    "zero-width space": "\u200b",
    "joiners and a byte-order mark": "\u200c\u200d\ufeff",
    "soft hyphen": "\u00ad",
    "no-break spaces": " \u00a0 ",
    "bidi marks": "\u200e\u200f",
}


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_evaluator_name_of_only_invisible_characters_is_refused(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    result = run_cli("template", "--rubric", ROOT_RUBRIC, "--evaluator", name, "--out", out, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "empty" in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_a_committee_name_of_only_invisible_characters_is_a_rubric_error() -> None:
    text = MINI + 'committee:\n  - {name: "\\u200b\\u00ad"}\n'
    problems = problems_of(text)
    assert [(p.line, "invisible" in p.en) for p in problems] == [(line_of(text, "u200b"), True)]


SAME_MEMBER = {
    "trailing zero-width space": ("นาย ก", "นาย ก\u200b"),
    "two spaces": ("นาย ก", "นาย  ก"),
    "SARA AM spelled as two marks": ("นางสาว คำ", "นางสาว ค\u0e4d\u0e32"),
    "decomposed accent": ("Jos\u00e9", "Jose\u0301"),
    "no-break space and padding": ("นาย ก", " นาย\u00a0ก "),
}


@pytest.mark.parametrize(("first", "second"), SAME_MEMBER.values(), ids=SAME_MEMBER.keys())
def test_two_evaluator_names_of_one_member_are_refused(
    first: str, second: str, tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    result = run_cli("template", "--rubric", ROOT_RUBRIC, "--evaluator", first, "--evaluator", second,
                     "--out", out, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "one member" in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_distinct_names_still_get_one_workbook_each(tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "out"
    result = run_cli("template", "--rubric", ROOT_RUBRIC, "--evaluator", "นาย ก", "--evaluator", "นาย ข",
                     "--out", out)
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.xlsx"))) == 2


# ---------------------------------------------------------------- numbers and ids


NEWLINE_IDS = {
    "criterion id, quoted": ("{id: A.1,", '{id: "A.1\\n",'),
    "dimension id, block scalar": ("  - id: A\n", "  - id: |\n      A\n"),
    "office id": ("{id: x,", '{id: "x\\n",'),
    "tie-break": ("offices:", 'tie_break: ["A\\n"]\noffices:'),
}


@pytest.mark.parametrize(("old", "new"), NEWLINE_IDS.values(), ids=NEWLINE_IDS.keys())
def test_an_id_ending_in_a_newline_is_refused(old: str, new: str) -> None:
    problems = problems_of(edit(MINI, old, new))
    assert any("is not valid" in p.en for p in problems), [p.en for p in problems]


FLOAT_INTEGERS = {
    "fiscal year": ("fiscal_year: 2568", "fiscal_year: 2568.0"),
    "round": ("round: 1", "round: 1.0"),
    "precision": ("total: 10", "total: 10\nprecision: 2.0"),
    "staff": ("{id: x, th: เอ็กซ์, en: X}", "{id: x, th: เอ็กซ์, en: X, staff: 5.0}"),
}


@pytest.mark.parametrize(("old", "new"), FLOAT_INTEGERS.values(), ids=FLOAT_INTEGERS.keys())
def test_a_whole_number_written_as_a_float_is_refused(old: str, new: str) -> None:
    text = edit(MINI, old, new)
    problems = problems_of(text)
    assert [(p.line, "a whole number" in p.en) for p in problems] == [(line_of(text, new.splitlines()[-1]), True)]


HUGE = {
    "float beyond the exponent range": ("max: 2.5}", "max: 2.5e+400}"),
    "forty-digit integer total": ("total: 10", "total: " + "9" * 40),
    "criterion maximum in the millions": ("max: 7.5}", "max: 7500000.5}"),
    "tier bound finer than any precision": ("min: 5}", "min: 5.00001}"),
    "thousands of digits": ("max: 2.5}", "max: " + "1" * 5000 + "}"),
}


@pytest.mark.parametrize(("old", "new"), HUGE.values(), ids=HUGE.keys())
def test_numbers_that_cannot_be_shown_exactly_are_refused(old: str, new: str) -> None:
    text = edit(MINI, old, new)
    problems = problems_of(text)
    assert any(
        p.line == line_of(text, new[:12]) and ("shown exactly" in p.en or "too many digits" in p.en)
        for p in problems
    ), [p.render("en") for p in problems]


def test_a_kpi_target_that_is_not_a_number_is_a_problem_not_a_crash() -> None:
    for value in (".nan", "80.123456"):
        problems = problems_of(edit(MINI, "total: 10", f"total: 10\nkpi_target: {value}"))
        assert [p.key for p in problems] == ["kpi_target"]


ROUNDS = ("13", "0", "99999999999999999999999999", "-1")


@pytest.mark.parametrize("value", ROUNDS)
def test_a_round_beyond_any_round_is_refused_by_the_option(value: str, tmp_path: Path, run_cli: RunCli) -> None:
    for command in ("template", "check", "history"):
        args = [command, "--rubric", str(ROOT_RUBRIC), "--round", value]
        if command == "template":
            args += ["--out", str(tmp_path / "out")]
        if command == "check":
            args += [str(tmp_path)]
        result = run_cli(*args)
        assert result.exit_code == 2, (command, result.output)
        assert "--round" in result.stderr
    assert not (tmp_path / "out").exists()


def test_write_templates_refuses_a_round_beyond_any_round(rubric: Rubric, tmp_path: Path) -> None:
    for value in (0, 13, 10**30):
        with pytest.raises(OfficestarError, match="round must be from 1 to 12"):
            write_templates(rubric, value, [], tmp_path / "out", force=False)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- what template writes


@pytest.mark.parametrize("precision", [0, 1, 2, 3, 4])
def test_score_and_subtotal_cells_follow_the_rubric_precision(precision: int, tmp_path: Path) -> None:
    mini = parse_rubric(edit(MINI, "total: 10", f"total: 10\nprecision: {precision}"), "mini.yaml")
    path = tmp_path / "blank.xlsx"
    build_workbook(mini, 1, "นาย ก").save(path)
    sheet = load_workbook(path).worksheets[1]
    expected = "0" if precision == 0 else "0." + "0" * precision
    formats = {}
    for row in range(sf.FIRST_DATA_ROW, sheet.max_row + 1):
        score = sheet[f"{sf.SCORE_COLUMN}{row}"]
        label = str(sheet[f"B{row}"].value or "")
        if sheet[f"{sf.ID_COLUMN}{row}"].value in mini.criterion_by_id or label.startswith("รวม"):
            formats[label or row] = score.number_format
    assert len(formats) == 4  # two criteria, one subtotal, the grand total
    assert set(formats.values()) == {expected}, formats
    assert number_format(precision) == expected


def _xml_parts_parse(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(info))  # expat refuses invalid character references


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=0, max_size=12))
def test_template_never_writes_an_invalid_character_reference(name: str, tmp_path: Path) -> None:
    mini = parse_rubric(MINI, "mini.yaml")
    out = tmp_path / f"out-{abs(hash(name))}"
    try:
        written = write_templates(mini, 1, [name], out, force=True)
    except OfficestarError as refused:
        assert "control character" in refused.en or "invisible" in refused.en
        return
    (item,) = written
    _xml_parts_parse(item.path)
    cover = load_workbook(item.path).worksheets[0]
    assert cover[sf.COVER_CELLS["member"]].value == item.member

