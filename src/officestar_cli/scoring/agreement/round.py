"""Every agreement figure of a ranked round: :func:`round_agreement` and its result."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from officestar_cli.scoring.aggregate import MemberScores, RoundResult
from officestar_cli.scoring.agreement.figures import Figures, figures
from officestar_cli.scoring.agreement.intervals import add_intervals, stats_available
from officestar_cli.scoring.agreement.members import MemberSummary, summarise_members
from officestar_cli.scoring.agreement.outliers import Flag, find_flags
from officestar_cli.scoring.agreement.reasons import MIN_MEMBERS, STATS_MISSING, Reason, few_members
from officestar_cli.scoring.agreement.sensitivity import Sensitivity, method_sensitivity
from officestar_cli.scoring.agreement.tables import complete_design, in_rubric_order, scale_of, table_of, units_of


@dataclass
class RoundAgreement:
    round: int
    fiscal_year: int
    members: list[str]  # those used for ICC and W
    offices: list[str]  # office ids used for ICC and W
    total: Figures
    dimensions: dict[str, Figures]
    flags: list[Flag]
    members_summary: list[MemberSummary]
    method_sensitivity: list[Sensitivity]
    reasons: dict[str, Reason]
    threshold_share: Fraction
    threshold_steps: int
    with_intervals: bool = False


def round_agreement(result: RoundResult, *, intervals: bool = True) -> RoundAgreement:
    """Every agreement figure of a ranked round, its flags, members' leniency and method sensitivity.

    With ``intervals`` and scipy installed, the ICCs get 95 % confidence intervals and p-values.
    """
    rubric = result.rubric
    offices, members = complete_design(result)
    everywhere = in_rubric_order(result)
    scale = scale_of(result)
    # Whole units when the round has one scale (it always has): exact, and quick at national scale.
    per = Fraction(1) if scale is None else Fraction(scale)

    def total_of(m: MemberScores) -> Fraction | int:
        return m.total() if scale is None else sum(m.units.values())

    total = figures(table_of(offices, members, total_of), units_of(everywhere, total_of), per)
    dimensions = {}
    for dimension in rubric.dimensions:
        ids = [c.id for c in dimension.criteria]

        def part(m: MemberScores, ids: list[str] = ids) -> Fraction | int:
            units = m.units
            return Fraction(sum(units[i] for i in ids), m.scale) if scale is None else sum(units[i] for i in ids)

        # A share of the dimension's maximum: the unit is the maximum (in units).
        dimensions[dimension.id] = figures(
            table_of(offices, members, part), units_of(everywhere, part), per * Fraction(dimension.max)
        )
    reasons: dict[str, Reason] = {}
    share_limit, steps = Fraction(rubric.outlier_share), rubric.outlier_steps
    scorers = max((len(o.scored) for o in result.offices), default=0)
    if scorers < MIN_MEMBERS:
        reasons["flags"] = reasons["members_summary"] = few_members(scorers)
    sensitivity, more = method_sensitivity(result)
    reasons.update(more)
    with_intervals = intervals and stats_available()
    if with_intervals:
        for found in (total, *dimensions.values()):
            add_intervals(found)
    elif intervals:
        reasons["ci"] = Reason("no-stats", *STATS_MISSING)
    return RoundAgreement(
        round=result.round,
        fiscal_year=result.fiscal_year,
        members=members,
        offices=[o.office.id for o in offices],
        total=total,
        dimensions=dimensions,
        flags=find_flags(result, share_limit, steps) if scorers >= MIN_MEMBERS else [],
        members_summary=summarise_members(result) if scorers >= MIN_MEMBERS else [],
        method_sensitivity=sensitivity,
        reasons=reasons,
        threshold_share=share_limit,
        threshold_steps=steps,
        with_intervals=with_intervals,
    )
