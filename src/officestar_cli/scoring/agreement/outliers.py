"""Scores far from the other members' median, naming the cell, with Dixon's Q (docs/agreement.md)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.scoring.agreement.reasons import MIN_MEMBERS
from officestar_cli.scoring.agreement.tables import in_rubric_order

# Dixon's r10 (Q), two-sided 95 % critical values for 3..10 values (Rorabacher 1991, table 4).
DIXON_Q95 = {
    3: Fraction("0.970"), 4: Fraction("0.829"), 5: Fraction("0.710"), 6: Fraction("0.625"),
    7: Fraction("0.568"), 8: Fraction("0.526"), 9: Fraction("0.493"), 10: Fraction("0.466"),
}


def dixon_q(values: Sequence[Fraction | int], suspect: Fraction | int) -> Fraction | None:
    """Dixon's r10 for ``suspect`` when it is the lowest or the highest of 3..10 values, else None."""
    n = len(values)
    if not 3 <= n <= 10:
        return None
    ordered = sorted(values)
    spread = ordered[-1] - ordered[0]
    if spread == 0:
        return None
    if suspect == ordered[0]:
        return Fraction(ordered[1] - ordered[0]) / spread
    if suspect == ordered[-1]:
        return Fraction(ordered[-1] - ordered[-2]) / spread
    return None


@dataclass(frozen=True)
class Flag:
    """One score far from the other members' median for the same office and criterion."""

    member: str
    file: str
    sheet: str | None
    cell: str | None
    office_id: str
    criterion_id: str
    value: Fraction
    others_median: Fraction
    dixon_q: Fraction | None
    dixon_critical: Fraction | None

    @property
    def dixon_outlier(self) -> bool | None:
        if self.dixon_q is None or self.dixon_critical is None:
            return None
        return self.dixon_q > self.dixon_critical


def doubled_median_without(ordered: Sequence[int], value: int) -> int:
    """Twice the median of ``ordered`` (sorted) with one ``value`` taken out, without copying the
    list: a national round asks it once per member, criterion and office."""
    skip = bisect_left(ordered, value)
    count = len(ordered) - 1

    def at(index: int) -> int:
        return ordered[index] if index < skip else ordered[index + 1]

    if count % 2:
        return 2 * at(count // 2)
    return at(count // 2 - 1) + at(count // 2)


def find_flags(result: RoundResult, share: Fraction, steps: int) -> list[Flag]:
    """Scores at least the threshold away from the other members' median; whole units throughout."""
    rubric = result.rubric
    found: list[Flag] = []
    for office in in_rubric_order(result):
        scored = office.scored
        if len(scored) < MIN_MEMBERS:
            continue
        scales = {m.scale for m in scored}
        if len(scales) != 1:
            continue  # never from one store: every score of a round has one scale
        scale = scales.pop()
        for criterion in rubric.criteria:
            # In units: max(share x maximum, steps x 10^-precision) x scale.
            limit = max(share * Fraction(criterion.max), Fraction(steps, 10**rubric.precision)) * scale
            # Doubled, the distance is whole, so it reaches the limit when it reaches its ceiling.
            reach = -(-2 * limit.numerator // limit.denominator)
            units = [m.units.get(criterion.id) for m in scored]
            present = [u for u in units if u is not None]
            if len(present) != len(units):
                continue
            ordered = sorted(present)
            if 2 * (ordered[-1] - ordered[0]) < reach:
                continue  # no score can be far enough from the others'
            for member, value in zip(scored, present, strict=True):
                doubled = doubled_median_without(ordered, value)
                if abs(2 * value - doubled) < reach:
                    continue
                middle = Fraction(doubled, 2)
                q = dixon_q(ordered, value)
                sheet, cell = member.cells.get(criterion.id, (None, None))
                found.append(
                    Flag(member.member, member.file.name, sheet, cell, office.office.id, criterion.id,
                         Fraction(value, scale), middle / scale, q,
                         DIXON_Q95.get(len(present)) if q is not None else None)
                )
    return found
