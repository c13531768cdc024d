"""Human views of results for the terminal (rich), kept apart from the commands."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from rich.table import Table
from rich.text import Text

from officestar_cli.cli.terminal import Ui
from officestar_cli.intake.batch import FileResult
from officestar_cli.intake.issues import display_value
from officestar_cli.rubric.model import Rubric, _canon
from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.scoring.exact import fmt, shown
from officestar_cli.store.reading import StoredAttempt, StoredFile


def show_rubric(ui: Ui, rubric: Rubric) -> None:
    t = ui.t
    table = Table(
        title=f"{rubric.title(ui.lang)} · {t('ปีงบประมาณ', 'FY')} {rubric.fiscal_year} · "
        f"{t('รอบที่', 'round')} {rubric.round}",
        box=ui.box(),
        show_lines=False,
    )
    table.add_column(t("ข้อ", "id"))
    table.add_column(t("ด้าน / เกณฑ์", "dimension / criterion"))
    table.add_column(t("คะแนนเต็ม", "max"), justify="right")
    table.add_column(t("ผลรวมเกณฑ์", "criteria sum"), justify="right")
    grand = Decimal(0)
    for dimension in rubric.dimensions:
        crit_sum = sum((c.max for c in dimension.criteria), Decimal(0))
        grand += dimension.max
        table.add_row(
            dimension.id, dimension.title(ui.lang), _canon(dimension.max), _canon(crit_sum), style="bold"
        )
        for criterion in dimension.criteria:
            table.add_row(f"  {criterion.id}", f"  {criterion.title(ui.lang)}", _canon(criterion.max), "")
    table.add_row("", t("รวมทั้งสิ้น", "Total"), _canon(rubric.total), _canon(grand), style="bold")
    ui.err.print(table)
    tiers = " · ".join(f"{tier.title(ui.lang)} ≥ {_canon(tier.min)}" for tier in rubric.tiers)
    ui.err.print(f"{t('ระดับ', 'Tiers')}: {tiers} · {t('ต่ำกว่านั้น', 'below')}: {rubric.no_tier.title(ui.lang)}",
                 markup=False)
    ui.err.print(
        f"{t('หน่วยงาน', 'Offices')} ({len(rubric.offices)}): "
        + ", ".join(o.title(ui.lang) for o in rubric.offices),
        markup=False,
    )
    ui.err.print(
        f"{t('วิธีรวมคะแนน', 'Method')}: {rubric.aggregation} · {t('ทศนิยม', 'decimals')}: {rubric.precision}"
        f" · {t('กรรมการ', 'committee')}: {len(rubric.committee)}",
        markup=False,
    )
    ui.err.print(f"{t('ไฟล์เกณฑ์', 'Rubric file')}: {rubric.source}", markup=False)
    ui.err.print(f"fingerprint: {rubric.short_fingerprint}", style="bold", markup=False)


STATUS = {
    "ok": ("ผ่าน", "OK", "green"),
    "rejected": ("ไม่ผ่าน", "rejected", "red"),
    "skipped": ("ข้าม", "skipped", "yellow"),
    "recorded": ("บันทึกแล้ว", "recorded", "green"),
    "unchanged": ("บันทึกไว้แล้ว (ไม่เปลี่ยน)", "already recorded", "cyan"),
}


def show_files(ui: Ui, results: Sequence[FileResult], *, stored: bool) -> None:
    """Per file: its status, then its issues as a table; then a summary line."""
    t = ui.t
    lines = Text()  # the status lines since the last table, printed at once (a national run has 1,000)
    for result in results:
        reading = result.reading
        th, en, colour = STATUS[result.status]
        label = t(th, en)
        if result.supersedes:
            label += t(f" (แทนฉบับ {result.supersedes[:8]})", f" (supersedes {result.supersedes[:8]})")
        who = f" · {reading.member}" if reading.member else ""
        lines.append(label, style=colour)
        lines.append(f"  {reading.file}{who}\n")
        if not reading.issues:
            continue
        lines.rstrip()
        ui.err.print(lines, soft_wrap=True)
        lines = Text()
        table = Table(box=ui.box(), show_header=True, pad_edge=False, expand=False)
        table.add_column(t("ตำแหน่ง", "where"), overflow="fold")
        table.add_column(t("รหัส", "code"))
        table.add_column(t("ค่าที่พบ", "value"))
        table.add_column(t("รายละเอียด", "message"))
        for found in reading.issues:
            where = ui.sep.join(x for x in (Path(found.file).name, found.sheet, found.cell) if x)
            style = "red" if found.is_error else "yellow"
            table.add_row(where, Text(found.code, style=style), display_value(found.value),
                          found.message(ui.lang))
        ui.err.print(table)
    if lines:
        lines.rstrip()
        ui.err.print(lines, soft_wrap=True)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    issues = sum(len(r.reading.issues) for r in results)
    errors = sum(r.reading.errors for r in results)
    parts = [f"{t(STATUS[k][0], STATUS[k][1])} {v}" for k, v in counts.items()]
    ui.err.print(
        t(f"สรุป: {len(results)} ไฟล์ · ", f"Summary: {len(results)} file(s) · ")
        + " · ".join(parts)
        + t(f" · ปัญหา {issues} รายการ (ข้อผิดพลาด {errors})", f" · {issues} issue(s), {errors} error(s)"),
        markup=False,
        style="bold",
    )


TIER_STYLES = ("bold green", "green", "cyan")


def show_ranking(ui: Ui, result: RoundResult, *, provisional: bool) -> None:
    t = ui.t
    rubric = result.rubric
    title = (
        f"{rubric.title(ui.lang)} · {t('ปีงบประมาณ', 'FY')} {result.fiscal_year} · "
        f"{t('รอบที่', 'round')} {result.round} · {t('วิธี', 'method')} {result.method}"
    )
    if provisional:
        title += t(" · ผลเบื้องต้น (ยังไม่ครบ)", " · PROVISIONAL")
    table = Table(title=title, box=ui.box())
    table.add_column(t("อันดับ", "Rank"), justify="right")
    table.add_column(t("หน่วยงาน", "Office"))
    table.add_column(t("คะแนนรวม", "Total"), justify="right")
    table.add_column(t("ระดับ", "Tier"))
    table.add_column(t("กรรมการ", "Members"), justify="right")
    zones = {z.id: z for z in rubric.zones}
    if zones:
        table.add_column(t("โซน", "Zone"))
        table.add_column(t("อันดับในโซน", "Zone rank"), justify="right")
    tier_index = {tier: i for i, tier in enumerate(rubric.tiers)}
    for office in result.offices:
        if office.complete and office.shown is not None:
            total = fmt(office.shown, rubric.precision)
            tier = office.tier.title(ui.lang) if office.tier else rubric.no_tier.title(ui.lang)
            style = TIER_STYLES[min(tier_index[office.tier], 2)] if office.tier else "dim"
            rank = str(office.rank) + ("=" if office.tie else "")
        else:
            total = "—"
            missing = ", ".join(office.missing) or "-"
            tier = t(f"ยังไม่ครบ (ขาด: {missing})", f"incomplete (missing: {missing})")
            style = "yellow"
            rank = "—"
        cells: list[str | Text] = [
            rank, Text(office.office.title(ui.lang)), total, Text(tier, style=style), str(len(office.scored))
        ]
        if zones:
            zone = zones.get(office.office.zone or "")
            cells += [zone.th if zone and ui.lang == "th" else zone.en if zone else "—",
                      "—" if office.zone_rank is None else str(office.zone_rank)]
        table.add_row(*cells)
    ui.err.print(table)
    ui.err.print(
        t(
            f"ประเมินครบ {_pct(result.evaluated_share)} · ได้รับระดับ {_pct(result.honoured_share)} "
            f"(เป้าหมาย {_canon(rubric.kpi_target)}%)",
            f"Evaluated {_pct(result.evaluated_share)} · reached a tier {_pct(result.honoured_share)} "
            f"(target {_canon(rubric.kpi_target)}%)",
        ),
        markup=False,
    )


def _pct(share: Fraction) -> str:
    return f"{fmt(shown(share * 100, 1), 1)}%"


def show_history(ui: Ui, rows: Sequence[StoredFile], attempts: Sequence[StoredAttempt] = ()) -> None:
    t = ui.t
    table = Table(box=ui.box())
    for header in (t("รอบ", "Round"), t("กรรมการ", "Member"), t("ไฟล์", "File"), "SHA-256",
                   t("เวลาบันทึก", "Imported"), t("สถานะ", "Status")):
        table.add_column(header)
    for row in rows:
        status = t("ใช้อยู่", "current") if row.superseded_by is None else t("ถูกแทนที่", "superseded")
        table.add_row(str(row.round), Text(row.member), Text(row.name), row.sha256[:12], row.imported_at,
                      status)
    ui.err.print(table)
    if not rows:
        ui.say("ยังไม่มีไฟล์ที่บันทึก", "Nothing recorded yet")
    if attempts:
        ui.say("ไฟล์ที่ไม่รับ (ไม่นับคะแนน):", "Rejected files (never counted):")
        rejected = Table(box=ui.box())
        for header in (t("รอบ", "Round"), t("กรรมการ", "Member"), t("ไฟล์", "File"), "SHA-256",
                       t("เวลา", "Time"), t("เหตุ", "Issues")):
            rejected.add_column(header)
        for attempt in attempts:
            rejected.add_row(str(attempt.round), Text(attempt.member or "-"), Text(attempt.name),
                             (attempt.sha256 or "-")[:12], attempt.attempted_at, Text(", ".join(attempt.codes)))
        ui.err.print(rejected)
