"""Human views of results for the terminal (rich), kept apart from the commands."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from officestar_cli.rubric import Rubric, _canon
from officestar_cli.ui import Ui


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
