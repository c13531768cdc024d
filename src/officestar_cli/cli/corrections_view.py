"""``officestar withdraw``, ``restore`` and ``excuse``: undoing an import, excusing a member.

Each says on stdout what changed (or that nothing did) and what now counts; docs/commands.md
gives their JSON. docs/design.md, "Withdraw and restore" and "Excused members".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from officestar_cli.cli.app import _rubric, command, guarded
from officestar_cli.cli.options import (
    JsonOpt,
    LangOpt,
    RoundOpt,
    RubricOpt,
    StoreOpt,
    bi,
    language,
    round_number,
)
from officestar_cli.cli.terminal import Ui, emit_json, shown_path
from officestar_cli.cli.usage import OfficestarCommand

if TYPE_CHECKING:
    from officestar_cli.api.corrections import FileChangeResult

FileArg = Annotated[
    str,
    typer.Argument(metavar="FILE|SHA256", show_default=False,
                   help=bi("ไฟล์แบบประเมินที่บันทึกไว้ หรือ SHA-256 อย่างน้อย 4 ตัวแรก (ดูจาก officestar history)",
                           "A recorded workbook, or at least the first 4 digits of its SHA-256 (officestar "
                           "history lists them).")),
]


def _file(name: str, sha256: str, member: str) -> str:
    return f"{shown_path(name)} ({sha256[:12]}, {member})"


def _show_change(ui: Ui, result: FileChangeResult) -> None:
    f = result.file
    what = _file(f.name, f.sha256, f.member)
    t = ui.t
    if result.action == "withdraw":
        if not result.changed:
            ui.line(t(f"{what} ถูกถอนออกไว้แล้ว ไม่มีอะไรเปลี่ยน", f"{what} was withdrawn already; nothing changed"),
                    out=True)
            return
        if f.current:
            ui.line(t(f"ถอน {what} ออกจากรอบที่ {result.round} แล้ว (เหตุผล: {result.reason}) คะแนนในไฟล์นี้ไม่นับ",
                      f"Withdrew {what} from round {result.round} (reason: {result.reason}); its scores no "
                      "longer count"), out=True)
        else:  # a superseded copy: it counted already no more; what counts does not change
            ui.line(t(f"ถอน {what} ออกจากรอบที่ {result.round} แล้ว (เหตุผล: {result.reason}) ฉบับนี้ถูกแทนที่อยู่แล้ว "
                      "คะแนนที่นับไม่เปลี่ยน",
                      f"Withdrew {what} from round {result.round} (reason: {result.reason}); it was superseded "
                      "already, so what counts is unchanged"), out=True)
        for again in result.counts_again:
            name = _file(again.name, again.sha256, again.member)
            ui.line(t(f"ฉบับ {name} ของแบบประเมินชุดเดียวกันกลับมานับแทน",
                      f"The copy {name} of the same workbook counts again"), out=True)
        if f.current and not result.counts_again:  # the member's only counting file is gone
            ui.line(t(f"{f.member} ไม่มีแบบประเมินที่นับในรอบที่ {result.round} แล้ว",
                      f"{f.member} has no workbook that counts in round {result.round} now"), out=True)
        ui.say(f"นำกลับมานับได้ด้วย: officestar restore {f.sha256[:12]}",
               f"To count it again: officestar restore {f.sha256[:12]}")
        return
    if not result.changed:
        ui.line(t(f"{what} นับอยู่แล้ว ไม่มีอะไรเปลี่ยน", f"{what} counts already; nothing changed"), out=True)
        return
    ui.line(t(f"นำ {what} กลับมานับในรอบที่ {result.round} แล้ว", f"Restored {what} to round {result.round}"),
            out=True)
    for old in result.superseded:
        name = _file(old.name, old.sha256, old.member)
        ui.line(t(f"ฉบับ {name} ถูกแทนที่ ไม่นับแล้ว", f"{name} is superseded and no longer counts"), out=True)


@command(cls=OfficestarCommand)
def withdraw(
    file: FileArg,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", show_default=False,
                                        help=bi("เหตุผลที่ถอน (บันทึกไว้ในประวัติ)",
                                                "Why it is withdrawn (kept in the history)."))],
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """ถอนไฟล์ที่บันทึกแล้วออกจากรอบ: คะแนนในไฟล์ไม่นับ ถ้าไฟล์นั้นแทนฉบับก่อนหน้า ฉบับก่อนหน้ากลับมานับ

    Take a recorded workbook out of the round: its scores stop counting; if it had superseded an
    earlier copy, that copy counts again. Nothing is deleted; officestar restore undoes it."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        result = api.withdraw(file, _rubric(ui, rubric_path), reason=reason, round_no=round_value, store=store)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        _show_change(ui, result)


@command(cls=OfficestarCommand)
def restore(
    file: FileArg,
    reason: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--reason", metavar="TEXT", show_default=False,
        help=bi("เหตุผลที่นำกลับมานับ (ไม่บังคับ)", "Why it counts again (optional)."))] = None,
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """นำไฟล์ที่ถอนออกหรือถูกแทนที่กลับมานับอีกครั้ง

    Make a withdrawn or superseded workbook the copy that counts again; its other copies become
    superseded. Refused (exit 2) while another workbook of the same member counts."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        result = api.restore(file, _rubric(ui, rubric_path), reason=reason or "", round_no=round_value,
                             store=store)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        _show_change(ui, result)


@command(cls=OfficestarCommand)
def excuse(
    member: Annotated[str, typer.Option("--member", metavar="NAME", show_default=False,
                                        help=bi("ชื่อกรรมการตามรายชื่อคณะกรรมการ", "The committee member's name."))],
    office: Annotated[str, typer.Option("--office", metavar="ID", show_default=False,
                                        help=bi("รหัสหน่วยงาน (หรือชื่อ)", "The office id (or its name)."))],
    reason: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--reason", metavar="TEXT", show_default=False,
        help=bi("เหตุผล เช่น ขัดกันแห่งผลประโยชน์ (ต้องระบุ ยกเว้นเมื่อใช้ --undo)",
                "The reason, e.g. a conflict of interest (required except with --undo)."))] = None,
    undo: Annotated[bool, typer.Option("--undo", help=bi("ยกเลิกการงดเว้น", "Take the excuse back."))] = False,
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """งดเว้นกรรมการจากการประเมินหน่วยงานหนึ่งในรอบนี้ (หรือยกเลิกด้วย --undo)

    Excuse a committee member from one office for the round (or take it back with --undo): the
    member is not expected there, and a score they entered for it does not count."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        result = api.excuse(_rubric(ui, rubric_path), member=member, office=office, reason=reason or "", undo=undo,
                            round_no=round_value, store=store)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        t = ui.t
        where = f"{result.office.title(ui.lang)} ({result.office.id})"
        if not result.changed:
            ui.line(t(f"ไม่มีอะไรเปลี่ยน: {result.member} {'ไม่ได้รับการงดเว้นจาก' if undo else 'ได้รับการงดเว้นจาก'} "
                      f"{where} อยู่แล้ว",
                      f"Nothing changed: {result.member} is {'not ' if undo else ''}excused from {where} already"),
                    out=True)
        elif undo:
            ui.line(t(f"ยกเลิกการงดเว้น {result.member} จาก {where} แล้ว: ต้องประเมินหน่วยงานนี้",
                      f"Excuse taken back: {result.member} is expected for {where} again"), out=True)
        else:
            ui.line(t(f"งดเว้น {result.member} จาก {where} ในรอบที่ {result.round} แล้ว (เหตุผล: {result.reason})",
                      f"Excused {result.member} from {where} in round {result.round} (reason: {result.reason})"),
                    out=True)


__all__ = ["excuse", "restore", "withdraw"]
