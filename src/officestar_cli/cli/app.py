"""The typer app and its commands: gather options, call one ``officestar_cli.api`` function, print.

The shared options and their parsers are in ``cli/options.py``, Thai usage
errors and help in ``cli/usage.py``, the streams in ``cli/terminal.py`` and the
human views in ``cli/views.py``. Heavy libraries (rich, openpyxl, jinja2,
PyYAML, jsonschema) are imported inside the commands that use them, so
``officestar --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from officestar_cli import __version__
from officestar_cli.base.errors import OfficestarError
from officestar_cli.base.exit_codes import ExitCode
from officestar_cli.base.interpreter import relax_garbage_collection
from officestar_cli.cli.options import (
    DateOpt,
    FilesArg,
    JsonOpt,
    LangOpt,
    MethodOpt,
    OutOpt,
    RoundOpt,
    RubricOpt,
    StoreOpt,
    bi,
    language,
    method_name,
    report_date,
    round_number,
    set_command_line_lang,
)
from officestar_cli.cli.terminal import Ui, emit_json, progress
from officestar_cli.cli.usage import OfficestarCommand, OfficestarGroup

if TYPE_CHECKING:
    from officestar_cli.api import RoundReport
    from officestar_cli.rubric.model import Rubric

app = typer.Typer(
    name="officestar",
    cls=OfficestarGroup,
    help=bi(
        "officestar: ดำเนินการประกวดหน่วยงานตามเกณฑ์ ตั้งแต่แบบประเมินเปล่าจนถึงผลการประเมิน "
        "ขั้นตอน: rubric → template → check → score → rank",
        "officestar: run a rubric-scored office contest from blank score workbooks to signed results. "
        "Workflow: rubric → template → check → score → rank.",
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
command = app.command


@contextlib.contextmanager
def guarded(ui: Ui) -> Iterator[None]:
    """Map user-fixable problems and Ctrl-C to messages and exit codes; bugs keep tracebacks."""
    try:
        yield
    except OfficestarError as exc:
        ui.line(exc.message(ui.lang), style="bold red")
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        ui.say("หยุดตามคำสั่ง (Ctrl-C) ไม่มีไฟล์ใดถูกเขียนค้างไว้", "Interrupted (Ctrl-C); nothing half-written was left")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except sqlite3.DatabaseError as exc:
        from officestar_cli.store.store import unusable_store

        problem = unusable_store(exc)
        if problem is None:
            raise
        ui.line(problem.message(ui.lang), style="bold red")
        raise typer.Exit(int(problem.exit_code)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"officestar {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help=bi("แสดงรุ่นของโปรแกรมแล้วจบ", "Show the version and exit.")),
    ] = False,
    lang: LangOpt = None,
) -> None:
    """officestar: การประกวดหน่วยงานตามเกณฑ์ (Office Star CDD LAMPANG)

    officestar: rubric-scored office contests (Office Star CDD LAMPANG)."""
    set_command_line_lang(lang)


def _rubric(ui: Ui, path: Path | None) -> Rubric:
    """Load the rubric and say on stderr which one it is, when it is not ./rubric.yaml."""
    from officestar_cli import api
    from officestar_cli.cli.views import rubric_note

    loaded = api.load(path)
    rubric_note(ui, loaded)
    return loaded


# --------------------------------------------------------------------------- init


@command(cls=OfficestarCommand)
def init(
    folder: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(metavar="FOLDER", show_default=False,
                       help=bi("โฟลเดอร์ที่จะเขียน rubric.yaml ค่าเริ่มต้น: โฟลเดอร์ปัจจุบัน",
                               "Folder to write rubric.yaml into. Default: the working folder.")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=bi("เขียนทับ rubric.yaml ที่มีอยู่",
                                                            "Replace an existing rubric.yaml."))] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """เขียนเกณฑ์ rubric.yaml ที่มากับโปรแกรม (พร้อมคำอธิบาย) ลงในโฟลเดอร์ เพื่อแก้ไขเป็นเกณฑ์ของการประกวด

    Write the rubric packaged with officestar, with its comments, as an editable rubric.yaml."""
    from officestar_cli import api

    ui = Ui(language(lang))
    with guarded(ui):
        result = api.init(folder or Path("."), force=force)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        where = result.path.parent
        ui.line(ui.t(f"เขียน {result.path} แล้ว" + (" (แทนฉบับเดิม)" if result.replaced else ""),
                     f"Wrote {result.path}" + (" (replacing the old one)" if result.replaced else "")))
        steps = ui.t(
            "ขั้นต่อไป:\n"
            f"  1. แก้ {result.path}: ชื่อการประกวด ปีงบประมาณ รอบ ด้านและเกณฑ์ คะแนนเต็ม ระดับ หน่วยงาน และกรรมการ\n"
            f"  2. ตรวจเกณฑ์: officestar rubric{'' if where == Path('.') else f' --rubric {result.path}'}\n"
            "  3. เขียนแบบประเมินให้กรรมการ: officestar template\n"
            "  4. เมื่อได้แบบประเมินคืน: officestar check <โฟลเดอร์> แล้ว officestar score <โฟลเดอร์>",
            "Next steps:\n"
            f"  1. Edit {result.path}: contest, fiscal year, round, dimensions and criteria, maxima, tiers, "
            "offices and committee\n"
            f"  2. Check it: officestar rubric{'' if where == Path('.') else f' --rubric {result.path}'}\n"
            "  3. Write the members' workbooks: officestar template\n"
            "  4. When they come back: officestar check <folder>, then officestar score <folder>",
        )
        ui.line(steps)


# --------------------------------------------------------------------------- rubric


@command(cls=OfficestarCommand)
def rubric(rubric_path: RubricOpt = None, json_out: JsonOpt = False, lang: LangOpt = None) -> None:
    """แสดงเกณฑ์การประเมินและตรวจว่าคะแนนรวมถูกต้อง: ด้าน เกณฑ์ ระดับ หน่วยงาน และลายนิ้วมือ (fingerprint) จบด้วยรหัส 2 เมื่อเกณฑ์เสีย

    Show the rubric and check that it adds up: dimensions, criteria, tiers, offices and the
    fingerprint. Exit 2 when it is broken."""
    from officestar_cli import api

    ui = Ui(language(lang))
    with guarded(ui):
        result = api.rubric(_rubric(ui, rubric_path))
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        from officestar_cli.cli.views import show_rubric

        show_rubric(ui, result.rubric)


# --------------------------------------------------------------------------- template


@command(cls=OfficestarCommand)
def template(
    round_no: RoundOpt = None,
    evaluator: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--evaluator", metavar="NAME", show_default=False, help=bi(
            "กรรมการที่จะเขียนแบบประเมินให้ ระบุซ้ำได้ ค่าเริ่มต้น: กรรมการในเกณฑ์ ถ้าไม่มีเขียนแบบเปล่าหนึ่งไฟล์",
            "Committee member to write a workbook for; repeat for each. Default: the rubric's committee; "
            "with none, one blank workbook.")),
    ] = None,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", metavar="DIR", show_default=False,
                     help=bi("โฟลเดอร์ที่เขียน ค่าเริ่มต้น: sheets/round-N/", "Folder to write into. "
                             "Default: sheets/round-N/.")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=bi("เขียนทับไฟล์ที่มีอยู่", "Overwrite existing workbooks."))]
    = False,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """เขียนแบบประเมินเปล่า (.xlsx) หนึ่งไฟล์ต่อกรรมการหนึ่งคน

    Write blank score workbooks (.xlsx), one per committee member."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        result = api.template(_rubric(ui, rubric_path), round_no=round_value, members=evaluator, out=out, force=force)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        for item in result.written:
            who = item.member or ui.t("(ว่าง ให้กรรมการกรอกชื่อที่หน้าปก)", "(blank: member types a name on the cover)")
            ui.line(f"  {item.path}  {who}")
        loaded = result.rubric
        ui.say(
            f"เขียนแบบประเมิน {len(result.written)} ไฟล์ ปีงบประมาณ {loaded.fiscal_year} รอบที่ {result.round} "
            f"ใน {result.folder}",
            f"Wrote {len(result.written)} workbook(s) for FY {loaded.fiscal_year} round {result.round} "
            f"in {result.folder}",
            style="green",
        )


# --------------------------------------------------------------------------- check, score, rank


@command(cls=OfficestarCommand)
def check(
    files: FilesArg = None,
    round_no: RoundOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """ตรวจแบบประเมินที่ส่งคืน แสดงทุกปัญหาเป็น ไฟล์ › ชีต › เซลล์ ไม่บันทึกสิ่งใด จบด้วยรหัส 1 เมื่อมีไฟล์ผิดพลาด

    Check returned workbooks and list every problem as file › sheet › cell. Stores nothing.
    Exit 1 when any file has an error."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        loaded = _rubric(ui, rubric_path)
        from officestar_cli.intake.paths import expand_inputs

        paths = expand_inputs(files or [])
        with progress(ui, len(paths)) as tick:
            result = api.check(paths, loaded, round_no=round_value, progress=tick)
        if json_out:
            emit_json(result.to_json(ui.lang))
        else:
            from officestar_cli.cli.views import show_files

            show_files(ui, result.files, out=True)
    if not result.valid:
        raise typer.Exit(int(ExitCode.REJECTED))


NoReport = Annotated[bool, typer.Option("--no-report", help=bi("ไม่เขียนรายงาน", "Write no reports."))]


@command(cls=OfficestarCommand)
def score(
    files: FilesArg = None,
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    method: MethodOpt = None,
    rubric_path: RubricOpt = None,
    date: DateOpt = None,
    no_report: NoReport = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """ตรวจและบันทึกแบบประเมินที่ส่งคืน แล้วรวมคะแนน จัดระดับ จัดอันดับ และออกรายงาน จบด้วยรหัส 1 เมื่อมีไฟล์ถูกปฏิเสธ

    Validate and record returned workbooks, then aggregate, tier and rank the round and write the
    reports. Exit 1 if any file was rejected."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value, chosen, day = round_number(round_no), method_name(method), report_date(date)
    with guarded(ui):
        loaded = _rubric(ui, rubric_path)
        from officestar_cli.intake.paths import expand_inputs

        paths = expand_inputs(files or [])
        with progress(ui, len(paths)) as tick:
            result = api.score(paths, loaded, round_no=round_value, store=store, method=chosen, out=out,
                               reports=not no_report, date=day, lang=ui.lang, progress=tick)
        _show_round(ui, result, json_out)
    if not result.valid:
        raise typer.Exit(int(ExitCode.REJECTED))


@command(cls=OfficestarCommand)
def rank(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    method: MethodOpt = None,
    rubric_path: RubricOpt = None,
    date: DateOpt = None,
    no_report: NoReport = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """จัดอันดับและออกรายงานใหม่จากฐานข้อมูลรอบอย่างเดียว

    Rebuild the ranking and the reports from the round store alone."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value, chosen, day = round_number(round_no), method_name(method), report_date(date)
    with guarded(ui):
        result = api.rank(_rubric(ui, rubric_path), round_no=round_value, store=store, method=chosen, out=out,
                          reports=not no_report, date=day, lang=ui.lang)
        _show_round(ui, result, json_out)


def _show_round(ui: Ui, result: RoundReport, json_out: bool) -> None:
    if json_out:
        emit_json(result.to_json(ui.lang))
        return
    from officestar_cli.cli.views import show_files, show_ranking

    if result.files is not None:
        show_files(ui, result.files, out=False)  # status lines of this run: stderr
    if result.ranking.notices:
        from officestar_cli.cli.views import show_issues

        show_issues(ui, result.ranking.notices, out=False)
    show_ranking(ui, result.ranking, provisional=result.provisional)
    for path in result.reports:
        ui.say(f"รายงาน: {path}", f"Report: {path}")


# --------------------------------------------------------------------------- history


@command(cls=OfficestarCommand)
def history(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    rubric_path: RubricOpt = None,
    changes: Annotated[bool, typer.Option("--changes", help=bi(
        "แสดงเซลล์ที่เปลี่ยนในแต่ละครั้งที่ฉบับใหม่แทนฉบับเดิม", "Show the cells each later copy changed."))] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """แสดงสิ่งที่ฐานข้อมูลเก็บไว้ของแต่ละกรรมการ: ไฟล์ SHA-256 เวลาบันทึก ใช้อยู่ ถูกแทนที่ หรือถอนออก

    List what the store holds per member: file, SHA-256, import time (local), and whether it is
    current, superseded or withdrawn (with the reason); then rejected files and every withdrawal
    and restoration."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        result = api.history(_rubric(ui, rubric_path), round_no=round_value, store=store, changes=changes)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        from officestar_cli.cli.views import show_history

        show_history(ui, result)


# The commands that write documents from a recorded round live in their own module.
from officestar_cli.cli import agreement_view as _agreement  # noqa: E402, F401 - registers agreement
from officestar_cli.cli import compare_view as _compare  # noqa: E402, F401 - registers compare
from officestar_cli.cli import corrections_view as _corrections  # noqa: E402, F401 - withdraw, restore, excuse
from officestar_cli.cli import documents as _documents  # noqa: E402, F401 - registers feedback, announce, certificates


def main() -> None:
    relax_garbage_collection()
    app()


__all__ = ["app", "main"]
