"""Usage errors and help in Thai by default, English with ``--lang en`` (docs/commands.md)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, ROOT_RUBRIC, RunCli
from officestar_cli.cli.options import report_date
from officestar_cli.cli.usage import UsageProblem

COMMANDS = ("init", "rubric", "template", "check", "score", "rank", "history")
WITH_ROUND = ("template", "check", "score", "rank", "history")
THAI = re.compile(r"[\u0e00-\u0e7f]")
EXAMPLES = ROOT / "examples" / "round-2"


def _usage_error(result: object, *, thai: bool) -> str:
    exit_code, stdout, stderr = (getattr(result, k) for k in ("exit_code", "stdout", "stderr"))
    assert exit_code == 2, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    if thai:
        assert stderr.startswith("วิธีใช้: officestar"), stderr
        assert "ข้อผิดพลาด: " in stderr
        for english in ("No such option", "Invalid value", "requires an argument", "Usage:", "Error:"):
            assert english not in stderr, stderr
    else:
        assert stderr.startswith("Usage: officestar"), stderr
        assert "Error: " in stderr and not THAI.search(stderr.split("Error: ", 1)[1].split("'")[0]), stderr
    return str(stderr)


@pytest.mark.parametrize("name", COMMANDS)
def test_an_unknown_option(name: str, run_cli: RunCli) -> None:
    err = _usage_error(run_cli(name, "--bogus"), thai=True)
    assert "ไม่รู้จักตัวเลือก --bogus" in err
    assert f"officestar {name} --help" in err
    english = _usage_error(run_cli(name, "--bogus", "--lang", "en"), thai=False)
    assert "no such option: --bogus" in english


@pytest.mark.parametrize("name", COMMANDS)
def test_an_option_without_its_value(name: str, run_cli: RunCli) -> None:
    option = "--force" if name == "init" else "--rubric"
    err = _usage_error(run_cli(name, "--lang"), thai=True)
    assert "ตัวเลือก --lang ต้องมีค่าตามหลัง" in err
    if name != "init":
        err = _usage_error(run_cli(name, option), thai=True)
        assert f"ตัวเลือก {option} ต้องมีค่าตามหลัง" in err
        english = _usage_error(run_cli(name, "--lang", "en", option), thai=False)
        assert f"option {option} needs a value" in english


@pytest.mark.parametrize("name", WITH_ROUND)
def test_a_round_that_is_not_a_number(name: str, run_cli: RunCli, tmp_path: Path) -> None:
    err = _usage_error(run_cli(name, "--round", "abc", "--rubric", ROOT_RUBRIC), thai=True)
    assert "--round: รอบต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 12 (ได้รับ 'abc')" in err
    english = _usage_error(run_cli(name, "--round", "0", "--lang", "en"), thai=False)
    assert "the round must be a whole number from 1 to 12 (got '0')" in english


def test_a_round_in_thai_digits_is_a_round(run_cli: RunCli) -> None:
    result = run_cli("check", EXAMPLES, "--round", "๒", "--rubric", ROOT_RUBRIC, "--json")
    assert result.exit_code == 0, result.stderr


def test_a_bad_value_of_rubric_lang_and_method(run_cli: RunCli) -> None:
    err = _usage_error(run_cli("rubric", "--lang", "fr"), thai=True)
    assert "--lang: ใช้ th หรือ en" in err
    for name in ("score", "rank"):
        args = [name, *(["x.xlsx"] if name == "score" else []), "--method", "best", "--rubric", ROOT_RUBRIC]
        err = _usage_error(run_cli(*args), thai=True)
        assert "--method: ใช้ได้เฉพาะ mean (ค่าเฉลี่ย), median (มัธยฐาน)" in err
        _usage_error(run_cli(*args, "--lang", "en"), thai=False)


def test_an_extra_argument_and_an_unknown_command(run_cli: RunCli) -> None:
    assert "มีอาร์กิวเมนต์เกินมา: extra" in _usage_error(run_cli("rubric", "extra"), thai=True)
    assert "ไม่มีคำสั่ง scor" in _usage_error(run_cli("scor"), thai=True)


def test_missing_files_is_a_thai_message(run_cli: RunCli) -> None:
    for name in ("check", "score"):
        result = run_cli(name, "--rubric", ROOT_RUBRIC)
        assert result.exit_code == 2 and result.stdout == ""
        assert "ระบุไฟล์แบบประเมินที่ส่งคืน" in result.stderr


@pytest.mark.parametrize("name", ("", *COMMANDS))
def test_help_is_thai_first_and_english_with_lang_en(name: str, run_cli: RunCli) -> None:
    args = [name] if name else []
    thai = run_cli(*args, "--help")
    assert thai.exit_code == 0
    assert thai.stdout.startswith("วิธีใช้: officestar")
    assert "ตัวเลือก:" in thai.stdout and "Show this message and exit." in thai.stdout
    lines = thai.stdout.splitlines()
    # every option's help starts in Thai; its English follows
    options = [i for i, line in enumerate(lines) if re.match(r"^  --[a-z]", line)]
    assert options
    for i in options:
        assert THAI.search(lines[i]), lines[i]
    english = run_cli(*args, "--help", "--lang", "en")
    assert english.exit_code == 0
    assert english.stdout.startswith("Usage: officestar")
    assert not THAI.search(english.stdout.replace("officestar-", "")), english.stdout


def test_date_help_says_the_buddhist_era(run_cli: RunCli) -> None:
    assert "2567-08-31" in run_cli("score", "--help").stdout
    assert "Buddhist era" in run_cli("rank", "--help", "--lang", "en").stdout


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("given", "day"),
    [
        ("2567-08-31", dt.date(2024, 8, 31)),
        ("2024-08-31", dt.date(2024, 8, 31)),
        ("๒๕๖๗-๐๘-๓๑", dt.date(2024, 8, 31)),
        ("1900-01-01", dt.date(1900, 1, 1)),
        ("2399-12-31", dt.date(2399, 12, 31)),
        ("2400-01-01", dt.date(1857, 1, 1)),
        (" 2567-8-1 ", dt.date(2024, 8, 1)),
    ],
)
def test_report_dates(given: str, day: dt.date) -> None:
    assert report_date(given) == day


@pytest.mark.parametrize("given", ["1899-12-31", "31/08/2567", "2567-02-30", "abc", "0999-01-01", "2567-13-01", ""])
def test_dates_that_are_neither(given: str) -> None:
    with pytest.raises(UsageProblem) as raised:
        report_date(given)
    assert "ปปปป-ดด-วว" in raised.value.th


def test_be_and_ce_dates_give_the_same_report(tmp_path: Path, run_cli: RunCli) -> None:
    store = tmp_path / "s.sqlite3"
    written = []
    for date in ("2567-08-31", "2024-08-31"):
        out = tmp_path / date
        result = run_cli("score", EXAMPLES, "--store", store, "--rubric", ROOT_RUBRIC, "--out", out,
                         "--date", date)
        assert result.exit_code == 0, result.stderr
        written.append((out / "officestar-2567-round-2.md").read_text("utf-8"))
    assert written[0] == written[1]
    assert "31 สิงหาคม 2567" in written[0] and "3110" not in written[0]
    bad = run_cli("rank", "--store", store, "--rubric", ROOT_RUBRIC, "--date", "2567/08/31")
    assert bad.exit_code == 2 and "ปปปป-ดด-วว" in bad.stderr
    shutil.rmtree(tmp_path / "2567-08-31")
