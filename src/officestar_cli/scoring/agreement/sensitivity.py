"""The offices whose tier or rank changes with the combining method (docs/agreement.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from officestar_cli.scoring.aggregate import METHODS, RoundResult, recombine
from officestar_cli.scoring.agreement.reasons import Reason


@dataclass(frozen=True)
class Standing:
    total: Decimal | None
    tier: str | None
    rank: int | None


@dataclass(frozen=True)
class Sensitivity:
    office_id: str
    by_method: dict[str, Standing | None]  # None: the method is not defined for this round


def method_sensitivity(result: RoundResult) -> tuple[list[Sensitivity], dict[str, Reason]]:
    rubric = result.rubric
    reasons: dict[str, Reason] = {}
    standings: dict[str, dict[str, Standing]] = {}
    for method in METHODS:
        offices = recombine(result, method)
        if method == "trimmed" and any(o.method_note == "trimmed-fallback" for o in offices if o.complete):
            reasons["method_sensitivity.trimmed"] = Reason(
                "trimmed-undefined", "ค่าเฉลี่ยตัดปลายต้องมีกรรมการอย่างน้อย 5 คนต่อหน่วยงาน",
                "the trimmed mean needs at least five members per office")
            continue
        standings[method] = {
            o.office.id: Standing(o.shown, None if o.tier is None else o.tier.title("th"), o.rank) for o in offices
        }
    changed = []
    for office in rubric.offices:
        seen = {(s[office.id].tier, s[office.id].rank) for s in standings.values() if office.id in s}
        if len(seen) > 1:
            changed.append(
                Sensitivity(office.id, {m: standings[m].get(office.id) if m in standings else None for m in METHODS})
            )
    return changed, reasons
