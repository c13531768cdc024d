"""The commands that write documents from a recorded round: feedback, announce, certificates.

Each gathers its options, calls one ``officestar_cli.api`` function and says what
it wrote (docs/commands.md). Registered on the app by ``cli/app.py``.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from officestar_cli.cli.app import _rubric, command, guarded
from officestar_cli.cli.options import (
    DateOpt,
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
)
from officestar_cli.cli.terminal import Ui, emit_json
from officestar_cli.cli.usage import OfficestarCommand

DraftOpt = Annotated[bool, typer.Option("--draft", help=bi(
    "เขียนฉบับร่างของรอบที่ยังไม่เป็นผลทางการ พิมพ์คำว่า ร่าง ทุกหน้า",
    "Write a draft of a provisional round, marked ร่าง on every page."))]
ThaiDigitsOpt = Annotated[bool, typer.Option("--thai-digits", help=bi("เขียนตัวเลขเป็นเลขไทย",
                                                                      "Write numbers in Thai digits."))]


@command(cls=OfficestarCommand)
def feedback(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    office: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--office", help=bi("รหัสหน่วยงาน ระบุซ้ำได้ ค่าเริ่มต้น: ทุกหน่วยงาน",
                                         "Office id; repeat for each. Default: every office."),
                     show_default=False),
    ] = None,
    method: MethodOpt = None,
    rubric_path: RubricOpt = None,
    date: DateOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """เขียนรายงานผลของแต่ละหน่วยงาน (ไม่ระบุชื่อกรรมการ): คะแนน ระดับ อันดับ จุดแข็ง จุดที่ควรพัฒนา ข้อสังเกต

    Write each office its own report: total, tier and rank, its profile against the median of all
    offices, strengths, weaknesses and the committee's notes, naming no member."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value, chosen, day = round_number(round_no), method_name(method), report_date(date)
    with guarded(ui):
        result = api.feedback(_rubric(ui, rubric_path), round_no=round_value, store=store, offices=office or [],
                              method=chosen, out=out, date=day, lang=ui.lang)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        for fb, paths in result.written:
            listed = ", ".join(str(p) for p in paths)
            ui.say(f"{fb.office.office.th}: {listed}", f"{fb.office.office.en or fb.office.office.th}: {listed}")


def _document(ui: Ui, result: object, json_out: bool) -> None:
    from officestar_cli.api import DocumentResult

    assert isinstance(result, DocumentResult)
    written = result.written
    if written.font_note:
        wanted = result.ranking.rubric.documents.font
        ui.err.print(ui.t(f"ไม่พบฟอนต์ {wanted} ที่เกณฑ์ระบุ จึงใช้ {written.font_note} แทน",
                          f"The rubric's font {wanted} was not found; {written.font_note} was used"),
                     style="yellow", markup=False)
    if json_out:
        emit_json(result.to_json(ui.lang))
        return
    ui.say(f"เขียนแล้ว: {written.docx}", f"Wrote {written.docx}")
    ui.say(f"เขียนแล้ว: {written.pdf} (ฟอนต์ {written.font})", f"Wrote {written.pdf} (font {written.font})")


@command(cls=OfficestarCommand)
def announce(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    date: DateOpt = None,
    draft: DraftOpt = False,
    thai_digits: ThaiDigitsOpt = False,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """เขียนประกาศผลการประเมิน (docx และ PDF) พร้อมลงนาม รอบที่ยังไม่เป็นผลทางการต้องใช้ --draft

    Write the announcement of the results as docx and PDF, ready to sign. A provisional round is
    refused (exit 2) unless --draft."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value, day = round_number(round_no), report_date(date)
    with guarded(ui):
        result = api.announce(_rubric(ui, rubric_path), round_no=round_value, store=store, out=out, date=day,
                              draft=draft, thai_digits=thai_digits)
        _document(ui, result, json_out)


@command(cls=OfficestarCommand)
def certificates(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    min_tier: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--min-tier", help=bi("ระดับต่ำสุดที่ได้รับเกียรติบัตร: ชื่อไทยหรืออังกฤษ หรือลำดับ (1 = สูงสุด) "
                                           "ค่าเริ่มต้น: ทุกระดับ",
                                           "Lowest tier honoured: its Thai or English name or position, "
                                           "1 = highest. Default: every tier."), show_default=False),
    ] = None,
    date: DateOpt = None,
    draft: DraftOpt = False,
    thai_digits: ThaiDigitsOpt = False,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """เขียนเกียรติบัตรหนึ่งหน้าต่อหน่วยงานที่ได้รับระดับ (A4 แนวนอน) ใน PDF และ docx

    Write one certificate per honoured office, A4 landscape, in one PDF and one docx. A provisional
    round is refused (exit 2) unless --draft."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value, day = round_number(round_no), report_date(date)
    with guarded(ui):
        result = api.certificates(_rubric(ui, rubric_path), round_no=round_value, store=store, out=out, date=day,
                                  draft=draft, thai_digits=thai_digits, min_tier=min_tier)
        _document(ui, result, json_out)
