"""Where output goes (docs/commands.md): the result on stdout, everything else on stderr.

Every command runs as a real process with both streams piped (not a terminal),
as ``officestar rank > ผล.txt`` or ``officestar history | grep`` would run it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, ROOT_RUBRIC
from fill import fill_workbook, full_marks
from officestar_cli.rubric.load import load_rubric

EXAMPLES = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
NOTE_TH = "เกณฑ์ที่ใช้: "


@dataclass(frozen=True)
class Piped:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)  # the whole of stdout: one object

    def messages(self) -> list[str]:
        """stderr without the one-line note of which rubric was used."""
        return [line for line in self.stderr.splitlines() if not line.startswith(NOTE_TH)]


def piped(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> Piped:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    environment.update({"PYTHONIOENCODING": "utf-8", "TERM": "dumb"})
    environment.pop("COLUMNS", None)
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "officestar_cli", *map(str, args)], cwd=cwd, env=environment,
        capture_output=True, timeout=300, check=False,
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return Piped(done.returncode, out, err)


@pytest.fixture(scope="module")
def round_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder with the five example workbooks scored into its store."""
    folder = tmp_path_factory.mktemp("streams")
    shutil.copytree(ROOT / "examples" / "round-2", folder / "returned")
    run = piped("score", "returned", "--rubric", ROOT_RUBRIC, "--no-report", "--json", cwd=folder)
    assert run.code == 0, run.stderr
    return folder


def test_rubric(tmp_path: Path) -> None:
    human = piped("rubric", "--rubric", ROOT_RUBRIC, cwd=tmp_path)
    assert human.code == 0
    assert "fingerprint:" in human.stdout and "รวมทั้งสิ้น" in human.stdout
    assert human.stderr == f"{NOTE_TH}{ROOT_RUBRIC}\n"  # the rubric used is not ./rubric.yaml
    data = piped("rubric", "--rubric", ROOT_RUBRIC, "--json", cwd=tmp_path).json()
    assert data["fingerprint"]


def test_no_note_for_the_rubric_in_the_working_folder(tmp_path: Path) -> None:
    shutil.copy(ROOT_RUBRIC, tmp_path / "rubric.yaml")
    human = piped("rubric", cwd=tmp_path)
    assert human.code == 0 and human.stderr == ""
    empty = tmp_path / "empty"
    empty.mkdir()
    packaged = piped("rubric", cwd=empty)
    assert packaged.code == 0
    assert packaged.stderr == "เกณฑ์ที่ใช้: เกณฑ์ที่มากับโปรแกรม\n"
    assert "เกณฑ์ที่มากับโปรแกรม" in packaged.stdout


def test_template(tmp_path: Path) -> None:
    human = piped("template", "--evaluator", "นาย ก", "--out", "sheets", "--rubric", ROOT_RUBRIC, cwd=tmp_path)
    assert human.code == 0, human.stderr
    assert human.stdout == ""
    assert "officestar-2567-round-2-01-นาย-ก.xlsx" in human.stderr
    data = piped("template", "--evaluator", "นาง ข", "--out", "more", "--rubric", ROOT_RUBRIC, "--json",
                 cwd=tmp_path).json()
    assert [f["member"] for f in data["files"]] == ["นาง ข"]
    assert Path(tmp_path, data["files"][0]["file"]).is_file()


def test_check(round_folder: Path) -> None:
    human = piped("check", "returned", "--rubric", ROOT_RUBRIC, cwd=round_folder)
    assert human.code == 0
    assert human.stdout.count("ผ่าน  returned/") == 5  # the per-file table, names relative and whole
    assert "สรุป: 5 ไฟล์" in human.stdout
    assert human.messages() == []
    data = piped("check", "returned", "--rubric", ROOT_RUBRIC, "--json", cwd=round_folder).json()
    assert data["valid"] is True


def test_score(round_folder: Path, tmp_path: Path) -> None:
    human = piped("score", round_folder / "returned", "--store", tmp_path / "s.sqlite3", "--rubric", ROOT_RUBRIC,
                  "--no-report", cwd=tmp_path)
    assert human.code == 0, human.stderr
    assert "อันดับ" in human.stdout and "ประเมินครบ 100.00%" in human.stdout  # the ranking and the KPI
    assert "บันทึกแล้ว" not in human.stdout  # status lines while recording: stderr
    assert sum(line.startswith("บันทึกแล้ว  ") for line in human.stderr.splitlines()) == 5
    again = piped("score", round_folder / "returned", "--store", tmp_path / "s.sqlite3", "--rubric",
                  ROOT_RUBRIC, "--no-report", "--json", cwd=tmp_path)
    assert [f["status"] for f in again.json()["files"]] == ["unchanged"] * 5
    assert again.messages() == []


def test_rank_with_reports(round_folder: Path) -> None:
    human = piped("rank", "--store", "officestar.sqlite3", "--rubric", ROOT_RUBRIC, "--out", "rep",
                  cwd=round_folder)
    assert human.code == 0, human.stderr
    assert "วิธี ค่าเฉลี่ย" in human.stdout and "วิธี mean" not in human.stdout  # the method's Thai name
    assert "rep/officestar-2567-round-2.xlsx" in human.stderr  # which reports were written: stderr
    assert "officestar-2567-round-2.xlsx" not in human.stdout
    ranked = piped("rank", "--rubric", ROOT_RUBRIC, "--no-report", "--json", cwd=round_folder).json()
    assert len(ranked["offices"]) == 14


def test_history(round_folder: Path) -> None:
    human = piped("history", "--rubric", ROOT_RUBRIC, cwd=round_folder)
    assert human.code == 0
    lines = [line for line in human.stdout.splitlines() if "นาง ข" in line]
    assert len(lines) == 1 and "returned/officestar-2567-round-2-02-นาง-ข.xlsx" in lines[0]  # grep finds it
    assert "ใช้อยู่" in lines[0] and "2569" in lines[0]  # local time in the Buddhist era
    assert human.messages() == []
    data = piped("history", "--rubric", ROOT_RUBRIC, "--json", cwd=round_folder).json()
    assert all(f["imported_at"].endswith("+00:00") for f in data["files"])  # stored and JSON: UTC


def test_errors_go_to_stderr_and_nothing_to_stdout(tmp_path: Path) -> None:
    for args in (("rank", "--rubric", ROOT_RUBRIC), ("rank", "--rubric", ROOT_RUBRIC, "--json"),
                 ("check", "none-*.xlsx", "--rubric", ROOT_RUBRIC, "--json"), ("check", "--bogus")):
        run = piped(*args, cwd=tmp_path)
        assert run.code == 2 and run.stdout == "", args
        assert run.messages(), args


def test_a_long_file_name_is_shown_whole(tmp_path: Path) -> None:
    long_name = "แบบประเมิน-สำนักงานพัฒนาชุมชนอำเภอเมืองลำปาง-ฉบับแก้ไข-ครั้งที่สอง.xlsx"  # 200 bytes
    target = tmp_path / "returned" / long_name
    target.parent.mkdir()
    shutil.copy(EXAMPLES[0], target)
    for run in (piped("check", "returned", "--rubric", ROOT_RUBRIC, "--round", "1", cwd=tmp_path),
                piped("check", "returned", "--rubric", ROOT_RUBRIC, "--round", "1", cwd=tmp_path,
                      env={"COLUMNS": "80"})):
        assert run.code == 1
        assert re.search(rf"^returned/{re.escape(long_name)} +wrong-round ", run.stdout, re.M)  # whole name
        assert "…" not in run.stdout


def test_a_long_thai_message_on_stderr_is_whole_in_a_file(tmp_path: Path) -> None:
    missing = tmp_path / ("โฟลเดอร์ที่ไม่มีอยู่จริงสำหรับเกณฑ์การประเมินสำนักงานพัฒนาชุมชน" * 3) / "rubric.yaml"
    with (tmp_path / "err.txt").open("wb") as err:
        done = subprocess.run([sys.executable, "-m", "officestar_cli", "rubric", "--rubric", str(missing)],
                              stdout=subprocess.PIPE, stderr=err, timeout=120, check=False,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2
    text = (tmp_path / "err.txt").read_text("utf-8")
    assert str(missing) in text.replace("\n", "")
    assert "…" not in text


def test_the_kpi_is_printed_in_the_rubric_precision(tmp_path: Path) -> None:
    """13 of 14 offices complete is 92.857…%: the reports print 92.86, and so does the terminal."""
    rubric = load_rubric(ROOT_RUBRIC)
    eighty = full_marks(rubric, Decimal("0.8"))
    first = EXAMPLES[0]
    blanked = fill_workbook(first, tmp_path / "in" / first.name, rubric,
                            lambda office, criterion: None if office == "lp-ngao" else eighty(office, criterion))
    run = piped("score", blanked, *EXAMPLES[1:], "--store", tmp_path / "s.sqlite3", "--rubric", ROOT_RUBRIC,
                "--out", tmp_path / "rep", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "ประเมินครบ 92.86%" in run.stdout
    assert "92.9%" not in run.stdout
    report = (tmp_path / "rep" / "officestar-2567-round-2.md").read_text("utf-8")
    assert "92.86" in report


def test_control_characters_are_escaped_and_columns_align(capsys: pytest.CaptureFixture[str]) -> None:
    from officestar_cli.cli.terminal import Ui, display_width

    ui = Ui("th")
    ui.table(["ไฟล์", "กรรมการ"], [["a.xlsx", "นาย\x1b[31mก"], ["ผู้ใหญ่บ้าน.xlsx", ("นาง ข", "red")]], out=True)
    ui.line("ข้อความ\x07", out=False)
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out and "\\x1b[31m" in captured.out
    assert captured.err == "ข้อความ\\x07\n"
    rows = captured.out.splitlines()
    # the second column starts at the same display column on every line (Thai marks take none)
    starts = {display_width(rows[0].split("กรรมการ")[0]), display_width(rows[2].split("นาย")[0]),
              display_width(rows[3].split("นาง")[0])}
    assert starts == {display_width("ผู้ใหญ่บ้าน.xlsx") + 2}


def test_trimmed_and_median_say_how_many_members_counted(round_folder: Path) -> None:
    trimmed = piped("rank", "--rubric", ROOT_RUBRIC, "--no-report", "--method", "trimmed", cwd=round_folder)
    assert trimmed.code == 0, trimmed.stderr
    assert "กรรมการ (นับ/ให้คะแนน)" in trimmed.stdout
    assert "วิธี ค่าเฉลี่ยตัดสูงสุดและต่ำสุด" in trimmed.stdout
    rows = [line for line in trimmed.stdout.splitlines() if "ดีเด่น" in line]
    assert rows and all(line.rstrip().endswith("3/5") for line in rows)
    median = piped("rank", "--rubric", ROOT_RUBRIC, "--no-report", "--method", "median", "--lang", "en",
                   cwd=round_folder)
    assert "Members (counted/scored)" in median.stdout and "method median" in median.stdout
    assert "1/5" in median.stdout


def test_a_long_thai_message_wraps_between_characters_and_loses_none() -> None:
    from officestar_cli.cli.terminal import display_width, wrap

    text = "คะแนนต้องเป็นตัวเลขเช่นสี่หรือสี่จุดห้าโดยใช้จุดเป็นทศนิยมไม่ใช่จุลภาคและไม่ต้องพิมพ์หน่วย"
    lines = wrap(f"ข้อผิดพลาด: {text}", 20).split("\n")
    assert len(lines) > 3
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == f"ข้อผิดพลาด:{text}"
    for line in lines:  # a vowel or tone mark stays with its letter
        assert display_width(line[0]) == 1, line
    assert wrap(text, None) == text  # a file, no $COLUMNS: whole
    assert wrap("  1. แก้ rubric.yaml: ชื่อการประกวด ปีงบประมาณ รอบ", 24).split("\n")[1].startswith("  ")
