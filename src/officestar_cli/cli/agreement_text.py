"""What ``officestar agreement`` prints: the figures, the flagged cells, the members' leniency.

Imported only when the command runs (``cli/agreement_view.py`` registers it), so that the
agreement's arithmetic is not loaded at start-up.

The result goes to stdout (docs/agreement.md explains each figure); text from
workbooks is printed with control characters escaped.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from officestar_cli.cli.terminal import Ui
from officestar_cli.rubric.model import Rubric
from officestar_cli.scoring.agreement import ICC_NAMES, STATS_MISSING, RoundAgreement, four, notes

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DASH = "—"


def safe(text: str) -> str:
    """Text from a workbook with its control characters shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _value(text: str | None) -> str:
    return DASH if text is None else text


def _rows(found: RoundAgreement) -> list[tuple[str, list[str | None]]]:
    """One row per figure; one column for the total and one per dimension."""
    quantities = [found.total, *found.dimensions.values()]
    rows: list[tuple[str, list[str | None]]] = [(name, [four(q.icc[name]) for q in quantities]) for name in ICC_NAMES]
    rows += [
        ("Kendall's W", [four(q.kendall_w) for q in quantities]),
        ("W (ties)", [four(q.kendall_w_tie_corrected) for q in quantities]),
        ("Krippendorff's α", [four(q.alpha_interval) for q in quantities]),
        ("SEM", [four(q.sem) for q in quantities]),
        ("MDC95", [four(q.mdc95) for q in quantities]),
    ]
    return rows


def show_agreement(ui: Ui, found: RoundAgreement, rubric: Rubric) -> None:
    t = ui.t
    out = Console(highlight=False, safe_box=True)
    out.print(
        t(
            f"ความสอดคล้องของกรรมการ ปีงบประมาณ {found.fiscal_year} รอบที่ {found.round}: "
            f"กรรมการ {found.total.n_members} คน หน่วยงานที่ประเมินครบ {found.total.n_offices} แห่ง",
            f"Committee agreement, FY {found.fiscal_year} round {found.round}: "
            f"{found.total.n_members} member(s), {found.total.n_offices} office(s) scored completely",
        ),
        markup=False,
    )
    table = Table(box=ui.box())
    table.add_column(t("ตัวเลข", "Figure"))
    table.add_column(t("คะแนนรวม", "Total"), justify="right", style="bold")
    for dimension_id in found.dimensions:
        table.add_column(t(f"ด้าน {dimension_id}", f"Dim. {dimension_id}"), justify="right")
    for label, values in _rows(found):
        table.add_row(label, *(_value(v) for v in values))
    out.print(table)
    out.print(
        t(
            f"ค่าของแต่ละด้านคิดเป็นสัดส่วนของคะแนนเต็มด้านนั้น · SEM และ MDC95 ของคะแนนรวมเป็นคะแนน "
            f"(จาก {rubric.total:f})",
            f"Dimensions are shares of their maximum · the total's SEM and MDC95 are in points "
            f"(of {rubric.total:f})",
        ),
        markup=False,
    )
    headline = four(found.total.icc["ICC(A,k)"])
    if headline is not None:
        out.print(
            t(f"ตัวเลขหลัก ICC(A,k) = {headline}: ความน่าเชื่อถือของคะแนนเฉลี่ยของคณะกรรมการ ซึ่งใช้จัดระดับ",
              f"Headline ICC(A,k) = {headline}: the reliability of the committee's mean, which decides the tiers"),
            style="bold", markup=False,
        )
    for th, en in notes(found.total):
        out.print(t(th, en), style="yellow", markup=False)
    if found.total.ci:
        for name, (low, high) in found.total.ci.items():
            out.print(f"95% CI {name}: {four_float(low)} – {four_float(high)}", markup=False)
    elif "ci" in found.reasons:
        out.print(t(*STATS_MISSING), markup=False)
    shown = set()
    for key, reason in found.total.reasons.items():
        if reason.code not in shown:
            shown.add(reason.code)
            out.print(t("ไม่คำนวณ", "Not computed") + f" ({key}): {reason.text(ui.lang)}", markup=False)
    for key, reason in found.reasons.items():
        if key != "ci":
            out.print(t("ไม่คำนวณ", "Not computed") + f" ({key}): {reason.text(ui.lang)}", markup=False)
    _flags(ui, out, found)
    _members(ui, out, found)
    _sensitivity(ui, out, found)


def four_float(value: float) -> str:
    from fractions import Fraction

    return _value(four(Fraction(value)))


def _flags(ui: Ui, out: Console, found: RoundAgreement) -> None:
    t = ui.t
    if not found.flags:
        if "flags" not in found.reasons:
            out.print(t("ไม่มีคะแนนที่ห่างจากกรรมการคนอื่นเกินเกณฑ์", "No score is far from the other members'"),
                      markup=False)
        return
    out.print(t("คะแนนที่ควรสอบถามกรรมการ (ห่างจากมัธยฐานของกรรมการคนอื่นเกินเกณฑ์)",
                "Scores to ask the member about (far from the other members' median)"), style="bold",
              markup=False)
    for flag in found.flags:
        where = ui.sep.join(safe(part) for part in (flag.file, flag.sheet or DASH, flag.cell or DASH))
        q = ""
        if flag.dixon_q is not None:
            verdict = t("ค่าผิดปกติ", "an outlier") if flag.dixon_outlier else t("ไม่ผิดปกติ", "not an outlier")
            q = f" · Dixon Q {four(flag.dixon_q)} ({t('เกณฑ์', 'critical')} {four(flag.dixon_critical)}: {verdict})"
        out.print(
            f"  {safe(flag.member)}: {where} · {flag.office_id} {t('ข้อ', 'criterion')} {flag.criterion_id} = "
            f"{four(flag.value)} ({t('มัธยฐานของคนอื่น', 'others’ median')} {four(flag.others_median)}){q}",
            markup=False,
        )


def _members(ui: Ui, out: Console, found: RoundAgreement) -> None:
    t = ui.t
    if not found.members_summary:
        return
    table = Table(title=t("กรรมการแต่ละคน", "Each member"), box=ui.box())
    for header in (t("กรรมการ", "Member"), t("หน่วยงาน", "Offices"), t("ความเข้มงวด (คะแนน)", "Leniency (points)"),
                   t("สหสัมพันธ์กับคนอื่น", "Correlation with the others"), ""):
        table.add_column(header)
    for member in found.members_summary:
        mark = t("ต่ำกว่า 0.3 ควรตรวจ", "below 0.3: check") if member.flagged else ""
        table.add_row(Text(safe(member.member)), str(member.offices), _value(four(member.leniency)),
                      _value(four(member.correlation)), mark)
    out.print(table)


def _sensitivity(ui: Ui, out: Console, found: RoundAgreement) -> None:
    t = ui.t
    if not found.method_sensitivity:
        out.print(t("วิธีรวมคะแนนไม่เปลี่ยนระดับหรืออันดับของหน่วยงานใด",
                    "No office changes tier or rank with the method"), markup=False)
        return
    table = Table(title=t("หน่วยงานที่ผลเปลี่ยนตามวิธีรวมคะแนน", "Offices whose result depends on the method"),
                  box=ui.box())
    table.add_column(t("หน่วยงาน", "Office"))
    methods = list(next(iter(found.method_sensitivity)).by_method)
    for method in methods:
        table.add_column(method)
    for item in found.method_sensitivity:
        cells = []
        for method in methods:
            standing = item.by_method[method]
            if standing is None:
                cells.append(DASH)
            else:
                total = DASH if standing.total is None else format(standing.total, "f")
                cells.append(f"{total} · {standing.tier or DASH} · #{standing.rank or DASH}")
        table.add_row(item.office_id, *cells)
    out.print(table)


__all__ = ["safe", "show_agreement"]
