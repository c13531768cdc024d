"""``officestar compare`` for people: how every office moved between two recorded rounds.

Thai first, one table that fits 80 columns (office, totals, Δ, rank move, tier move or
noise label), then the MDC95 line and what could not be compared. docs/commands.md.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from officestar_cli.cli.app import NoReport, _rubric, command, guarded
from officestar_cli.cli.options import (
    DateOpt,
    JsonOpt,
    LangOpt,
    OutOpt,
    RubricOpt,
    StoreOpt,
    bi,
    language,
    report_date,
)
from officestar_cli.cli.terminal import Ui, emit_json
from officestar_cli.cli.usage import OfficestarCommand, UsageProblem

FromOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at run time on Python 3.10
    typer.Option("--from", metavar="FY/ROUND", show_default=False,
                 help=bi("รอบก่อน: ปีงบประมาณ/รอบ เช่น 2566/2", "The earlier round: FISCAL-YEAR/ROUND, e.g. 2566/2.")),
]
ToOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--to", metavar="FY/ROUND", show_default=False,
                 help=bi("รอบหลัง: ปีงบประมาณ/รอบ เช่น 2567/2", "The later round: FISCAL-YEAR/ROUND, e.g. 2567/2.")),
]


def _round_of(value: str | None, option: str) -> tuple[int, int]:
    from officestar_cli.api.compare import parse_round
    from officestar_cli.base.errors import OfficestarError

    if value is None:
        raise UsageProblem(option, "ต้องระบุ ปีงบประมาณ/รอบ เช่น 2567/2", "required: FISCAL-YEAR/ROUND, e.g. 2567/2")
    try:
        return parse_round(value, option)
    except OfficestarError as exc:
        raise UsageProblem(option, exc.th.partition(": ")[2], exc.en.partition(": ")[2]) from None


def show_comparison(ui: Ui, result: object) -> None:
    from officestar_cli.api.compare import CompareResult
    from officestar_cli.reports.compare_text import noise_line, noise_text, rank_move, round_name, signed, status_text
    from officestar_cli.reports.wording import DASH

    assert isinstance(result, CompareResult)
    comparison = result.comparison
    lang = ui.lang
    t = ui.t
    before, after = comparison.earlier, comparison.later
    ui.line(t(f"เทียบ{round_name(before, lang)} กับ{round_name(after, lang)}",
              f"{round_name(before, lang)} compared with {round_name(after, lang)}"), out=True)
    rows = []
    for move in comparison.moves:
        def total(office: object) -> str:
            from officestar_cli.scoring.aggregate import OfficeResult

            assert office is None or isinstance(office, OfficeResult)
            return DASH if office is None or not office.complete or office.shown is None else f"{office.shown:f}"

        note = move.tier_move(lang) or ""
        if move.status != "both" or move.delta_total is None:
            note = status_text(move, lang)
        noise = noise_text(move, lang)
        if move.within_noise:
            note = f"{note} · {noise}" if note else noise
        style = "green" if move.delta_total is not None and move.delta_total > 0 and not move.within_noise else (
            "red" if move.delta_total is not None and move.delta_total < 0 and not move.within_noise else None)
        rank = DASH if move.later is None or move.later.rank is None else str(move.later.rank)
        rows.append([move.name(lang), total(move.earlier), total(move.later),
                     (signed(move.delta_total, comparison.precision), style), rank, rank_move(move.delta_rank),
                     note])
    ui.table([t("หน่วยงาน", "Office"), t("ก่อน", "Before"), t("หลัง", "After"), t("เปลี่ยน", "Δ"),
              t("อันดับ", "Rank"), t("±อันดับ", "±Rank"), t("หมายเหตุ", "Note")], rows, out=True,
             right=(1, 2, 3, 4, 5))
    ui.line(noise_line(comparison, lang), out=True)
    ui.line(t("อันดับ: บวก = ขึ้น ลบ = ลง", "Rank: positive = moved up"), out=True)
    if comparison.basis == "share":
        from officestar_cli.reports.compare_text import basis_line

        ui.line(basis_line(comparison, lang) or "", out=True)
    if comparison.not_compared:
        ui.line(t("เทียบไม่ได้:", "Not compared:"), out=True)
        for item in comparison.not_compared:
            kind = t("ด้าน", "dimension") if item.kind == "dimension" else t("ข้อ", "criterion")
            ui.line(f"  {kind} {item.id}: {item.reason(lang)}", out=True)
    for path in result.reports:
        ui.say(f"รายงาน: {path}", f"Report: {path}")


@command(name="compare", cls=OfficestarCommand)
def compare(
    from_round: FromOpt = None,
    to_round: ToOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    rubric_path: RubricOpt = None,
    date: DateOpt = None,
    no_report: NoReport = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """เทียบผลสองรอบ (หรือสองปี): คะแนนรวม อันดับ ระดับ รายด้าน และช่วงคลาดเคลื่อน (MDC95)

    Compare two recorded rounds (or years): each office's change of total, rank, tier and
    dimensions, with the later round's MDC95 as the noise band. Exit 2 names a round the store
    does not hold."""
    from officestar_cli import api

    ui = Ui(language(lang))
    earlier, later = _round_of(from_round, "--from"), _round_of(to_round, "--to")
    day = report_date(date)
    with guarded(ui):
        result = api.compare(_rubric(ui, rubric_path), earlier=earlier, later=later, store=store, out=out,
                             reports=not no_report, date=day, lang=ui.lang)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        show_comparison(ui, result)


__all__ = ["compare", "show_comparison"]
