"""A ranked round as tables: its offices in rubric order, the complete design, offices x members."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from officestar_cli.scoring.aggregate import MemberScores, OfficeResult, RoundResult


def in_rubric_order(result: RoundResult) -> list[OfficeResult]:
    by_id = {o.office.id: o for o in result.offices}
    return [by_id[office.id] for office in result.rubric.offices if office.id in by_id]


def complete_design(result: RoundResult) -> tuple[list[OfficeResult], list[str]]:
    """The complete offices and the members who scored every one of them (name order)."""
    complete = [o for o in in_rubric_order(result) if o.complete and o.scored]
    if not complete:
        return [], []
    common = set.intersection(*(set(o.scored_by) for o in complete))
    return complete, sorted(common)


Value = Callable[[MemberScores], "Fraction | int"]


def table_of(offices: Sequence[OfficeResult], members: Sequence[str], value: Value) -> list[list[Fraction | int]]:
    table = []
    for office in offices:
        by_member = {m.member: m for m in office.scored}
        table.append([value(by_member[name]) for name in members])
    return table


def units_of(offices: Sequence[OfficeResult], value: Value) -> list[list[Fraction | int]]:
    return [[value(m) for m in office.scored] for office in offices if office.scored]


def scale_of(result: RoundResult) -> int | None:
    """The one scale of the round's scores (units per point), or None if they differ."""
    scales = {m.scale for o in result.offices for m in o.scored}
    return scales.pop() if len(scales) == 1 else None
