"""Every agreement figure of one quantity (ICC, W, alpha, SD, SEM, MDC95) and what a chair reads from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from officestar_cli.scoring.agreement.alpha import krippendorff_interval
from officestar_cli.scoring.agreement.decimals import decimal_context, four, sqrt_of
from officestar_cli.scoring.agreement.icc import HEADLINE, ICC_NAMES, Matrix, MeanSquares, icc_from, mean_squares
from officestar_cli.scoring.agreement.kendall import kendall_w
from officestar_cli.scoring.agreement.moments import variance
from officestar_cli.scoring.agreement.reasons import (
    ALL_EQUAL,
    FEW_VALUES,
    ICC_ABOVE_ONE,
    MIN_MEMBERS,
    MIN_OFFICES,
    NO_ICC,
    NO_VARIANCE,
    Reason,
    few_members,
    few_offices,
)

LENIENCY_GAP = Fraction(1, 10)  # ICC(C,1) above ICC(A,1) by this much: members differ in leniency
Z95 = Decimal("1.96")


@dataclass
class Figures:
    """The agreement figures of one quantity (office totals, or one dimension as a share)."""

    n_offices: int
    n_members: int
    icc: dict[str, Fraction | None]
    kendall_w: Fraction | None
    kendall_w_tie_corrected: Fraction | None
    alpha_interval: Fraction | None
    sd: Decimal | None
    sem: Decimal | None
    mdc95: Decimal | None
    reasons: dict[str, Reason] = field(default_factory=dict)
    ci: dict[str, tuple[float, float]] | None = None
    p: dict[str, float] | None = None
    mean_squares: MeanSquares | None = None


def figures(complete: Matrix, units: Sequence[Sequence[Fraction | int]], per: Fraction = Fraction(1)) -> Figures:
    """Every figure of one quantity: ``complete`` is offices x members, ``units`` every recorded value.

    Values may be whole units: ``per`` units make one of the quantity (100 for points at two
    decimals). ICC, W and alpha do not change with the unit; SD, SEM and MDC95 are divided by it.
    """
    n = len(complete)
    k = len(complete[0]) if complete else 0
    reasons: dict[str, Reason] = {}
    icc_values: dict[str, Fraction | None] = dict.fromkeys(ICC_NAMES)
    w: Fraction | None = None
    w_ties: Fraction | None = None
    ms: MeanSquares | None = None
    design = few_members(k) if k < MIN_MEMBERS else few_offices(n) if n < MIN_OFFICES else None
    flat = {v for row in complete for v in row}
    if design is None and len(flat) == 1:
        design = ALL_EQUAL
    if design is not None:
        for name in (*ICC_NAMES, "kendall_w", "kendall_w_tie_corrected"):
            reasons[name] = design
    else:
        ms = mean_squares(complete)
        icc_values = icc_from(ms)
        for name, value in icc_values.items():
            if value is None:
                reasons[name] = NO_VARIANCE
        w, w_ties = kendall_w(complete)
        for name, value in (("kendall_w", w), ("kendall_w_tie_corrected", w_ties)):
            if value is None:
                reasons[name] = NO_VARIANCE
    alpha = None
    all_values = {v for u in units for v in u}
    members_everywhere = max((len(u) for u in units), default=0)
    if members_everywhere < MIN_MEMBERS:
        reasons["alpha_interval"] = few_members(members_everywhere)
    elif len(all_values) == 1:
        reasons["alpha_interval"] = ALL_EQUAL
    else:
        alpha = krippendorff_interval(units)
        if alpha is None:
            reasons["alpha_interval"] = FEW_VALUES
    sd = sem = mdc = None
    row_spread = variance([sum(row) for row in complete]) if k and n >= MIN_OFFICES else None
    spread = None if row_spread is None else row_spread / (k * k * per * per)  # of the office means
    headline = icc_values[HEADLINE]
    if spread is not None:
        sd = sqrt_of(spread)
    if spread is None or headline is None:
        reasons["sem"] = reasons["mdc95"] = reasons.get(HEADLINE, NO_ICC)
    elif headline > 1:
        reasons["sem"] = reasons["mdc95"] = ICC_ABOVE_ONE
    else:
        sem = sqrt_of(spread * (1 - headline))
        # 1.96 x sqrt(2) x SEM, with sqrt(2) x SEM taken as one root: sqrt(2 var (1 - ICC)).
        mdc = decimal_context().multiply(Z95, sqrt_of(2 * spread * (1 - headline)))
    return Figures(n, k, icc_values, w, w_ties, alpha, sd, sem, mdc, reasons, mean_squares=ms)


def notes(found: Figures) -> list[tuple[str, str]]:
    """What a chair should read from the figures, in Thai and English."""
    said: list[tuple[str, str]] = []
    single, consistent = found.icc["ICC(A,1)"], found.icc["ICC(C,1)"]
    if single is not None and consistent is not None and consistent - single >= LENIENCY_GAP:
        said.append((
            f"ICC(C,1) {four(consistent)} สูงกว่า ICC(A,1) {four(single)} มาก: กรรมการเรียงลำดับหน่วยงานคล้ายกัน "
            "แต่บางคนให้คะแนนสูงหรือต่ำกว่าคนอื่นทั้งชุด (ความเข้มงวดต่างกัน)",
            f"ICC(C,1) {four(consistent)} is much larger than ICC(A,1) {four(single)}: members order the offices "
            "alike but some score higher or lower than the others throughout (they differ in leniency)",
        ))
    return said
