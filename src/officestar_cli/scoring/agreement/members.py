"""Each member's leniency against the others and how closely their totals follow the others'."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.scoring.agreement.decimals import decimal_of
from officestar_cli.scoring.agreement.moments import pearson
from officestar_cli.scoring.agreement.reasons import MIN_MEMBERS
from officestar_cli.scoring.agreement.tables import in_rubric_order

LOW_CORRELATION = Fraction(3, 10)  # a member whose totals follow the others' less than this is flagged


@dataclass(frozen=True)
class MemberSummary:
    member: str
    offices: int  # offices scored alongside at least two others
    leniency: Fraction | None  # mean of (own total - the others' mean), in points
    correlation: Decimal | None

    @property
    def flagged(self) -> bool:
        return self.correlation is not None and self.correlation < decimal_of(LOW_CORRELATION)


def summarise_members(result: RoundResult) -> list[MemberSummary]:
    """Per member: (own total, the others' total, how many others) per office, in whole units."""
    seen: dict[str, list[tuple[int, int, int, int]]] = {name: [] for name in result.members}
    for office in in_rubric_order(result):
        if len(office.scored) < MIN_MEMBERS:
            continue
        totals = [(m.member, sum(m.units.values()), m.scale) for m in office.scored]
        everyone = sum(t for _, t, _ in totals)
        for name, total, scale in totals:
            seen.setdefault(name, []).append((total, everyone - total, len(totals) - 1, scale))
    summaries = []
    for name, rows in seen.items():
        if not rows:
            summaries.append(MemberSummary(name, 0, None, None))
            continue
        if len({(rest, scale) for _, _, rest, scale in rows}) == 1:
            # One committee size and scale: the others' sum is their mean times a constant,
            # which changes no correlation; all whole numbers.
            _, _, rest, scale = rows[0]
            mine = [own for own, _, _, _ in rows]
            theirs_sum = [others for _, others, _, _ in rows]
            leniency = Fraction(rest * sum(mine) - sum(theirs_sum), rest * scale * len(rows))
            correlation = pearson(mine, theirs_sum)
        else:
            mine_f = [Fraction(own, scale) for own, _, _, scale in rows]
            theirs = [Fraction(others, rest * scale) for _, others, rest, scale in rows]
            leniency = (sum(mine_f, Fraction(0)) - sum(theirs, Fraction(0))) / len(rows)
            correlation = pearson(mine_f, theirs)
        summaries.append(MemberSummary(name, len(rows), leniency, correlation))
    return summaries
