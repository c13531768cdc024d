"""What one office learns from a round: its result, its profile against the others, the notes.

Nothing here names a member or shows one member's score (docs/design.md,
"Feedback"): an office sees the committee's aggregate, the median of all
offices, and the notes written about it, headed กรรมการ 1 … k in an order that
follows neither names nor files (the SHA-256 of round and member key).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction
from statistics import median

from officestar_cli.base.names import member_key
from officestar_cli.rubric.model import Criterion
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult

STRENGTHS = 3


@dataclass(frozen=True)
class CriterionLine:
    criterion: Criterion
    score: Fraction | None  # the committee's aggregate for this office
    share: Fraction | None  # score / maximum
    median_share: Fraction | None  # median over the offices that have a score
    gap: Fraction | None  # share - median_share

    @property
    def everyone_at_max(self) -> bool:
        return self.median_share == 1 and self.share == 1


@dataclass(frozen=True)
class Note:
    heading: int  # กรรมการ n
    criterion_id: str
    text: str


@dataclass(frozen=True)
class Feedback:
    office: OfficeResult
    lines: tuple[CriterionLine, ...]
    strengths: tuple[CriterionLine, ...]
    weaknesses: tuple[CriterionLine, ...]
    notes: tuple[Note, ...]
    missing_scores: int  # member-office scores still missing (never whose)
    offices: int  # offices in the round


def member_order(round_no: int, fiscal_year: int, names: list[str]) -> list[str]:
    """Members in an order that follows neither their names nor their files."""

    def digest(name: str) -> str:
        return hashlib.sha256(f"{fiscal_year}/{round_no}/{member_key(name)}".encode()).hexdigest()

    return sorted(names, key=digest)


def _shares(result: RoundResult) -> dict[str, list[Fraction]]:
    """Every office's share of each criterion's maximum, for the offices that have scores."""
    shares: dict[str, list[Fraction]] = {c.id: [] for c in result.rubric.criteria}
    for office in result.offices:
        if not office.criteria:
            continue
        for criterion in result.rubric.criteria:
            shares[criterion.id].append(office.criteria[criterion.id] / Fraction(criterion.max))
    return shares


def feedback_for(result: RoundResult, office: OfficeResult) -> Feedback:
    all_shares = _shares(result)
    lines = []
    for criterion in result.rubric.criteria:
        values = all_shares[criterion.id]
        middle = Fraction(median(values)) if values else None
        score = office.criteria.get(criterion.id)
        share = score / Fraction(criterion.max) if score is not None else None
        gap = share - middle if share is not None and middle is not None else None
        lines.append(CriterionLine(criterion, score, share, middle, gap))
    order = {c.id: i for i, c in enumerate(result.rubric.criteria)}
    # A criterion where every office is at the maximum says nothing about this office.
    telling = [
        line for line in lines
        if line.gap is not None and not all(v == 1 for v in all_shares[line.criterion.id])
    ]
    strengths = sorted(telling, key=lambda ln: (-(ln.gap or 0), order[ln.criterion.id]))[:STRENGTHS]
    weaknesses = sorted(telling, key=lambda ln: (ln.gap or 0, order[ln.criterion.id]))[:STRENGTHS]
    headings = {name: i for i, name in enumerate(member_order(result.round, result.fiscal_year,
                                                              [m.member for m in office.scored]), start=1)}
    notes = []
    for member in sorted(office.scored, key=lambda m: headings[m.member]):
        for criterion in result.rubric.criteria:
            text = member.notes.get(criterion.id, "")
            if text.strip():
                notes.append(Note(headings[member.member], criterion.id, text))
    missing = len(office.missing) * len(result.rubric.criteria)
    return Feedback(office, tuple(lines), tuple(strengths), tuple(weaknesses), tuple(notes), missing,
                    len(result.offices))
