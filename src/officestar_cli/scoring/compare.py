"""How every office moved between two ranked rounds: exact deltas, tier moves, the noise band.

docs/design.md, "Comparing rounds: deltas, ranks and the noise band". Offices are joined
on their ids. A total is compared when the office is complete in both rounds: the later
shown total minus the earlier one, in points; when the two rounds' maxima differ, the
earlier total is first rescaled to the later maximum (compared as a share) and rounded half-up to the later precision. A
dimension or a criterion is compared only where its id and its maximum are the same in
both rounds and both rounds' rubrics are known; every other one is listed as not
compared, with the reason. A rank delta is positive when the office moved up
(earlier rank minus later rank). A |Δ total| smaller than the later round's MDC95 (as
shown, four decimals) is within noise; with no MDC95 nothing is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from officestar_cli.rubric.model import Rubric, Tier
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult
from officestar_cli.scoring.exact import shown

BOTH, NEW, ABSENT = "both", "new", "absent"
NO_TIER = ("ไม่ผ่านเกณฑ์", "no tier")
ARROW = "→"


@dataclass(frozen=True)
class Noise:
    """The later round's MDC95 as shown (four decimals), or None with the reason in both languages."""

    mdc95: Decimal | None
    reason: tuple[str, str] | None = None


@dataclass(frozen=True)
class NotCompared:
    kind: str  # dimension, criterion
    id: str
    earlier: Decimal | None  # its maximum in the earlier round; None: not there (or not known)
    later: Decimal | None
    th: str
    en: str

    def reason(self, lang: str) -> str:
        return self.en if lang == "en" else self.th


@dataclass
class Move:
    """One office across the two rounds."""

    office_id: str
    name_th: str
    name_en: str
    status: str  # both, new, absent
    earlier: OfficeResult | None
    later: OfficeResult | None
    delta_total: Decimal | None = None
    delta_rank: int | None = None
    within_noise: bool | None = None
    dimensions: dict[str, Decimal] = field(default_factory=dict)
    criteria: dict[str, Decimal] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_th

    @property
    def tier_moved(self) -> bool:
        return _counted(self.earlier) and _counted(self.later) and _tier(self.earlier) != _tier(self.later)

    def tier_move(self, lang: str) -> str | None:
        """``ดี → ดีมาก`` when the tier changed between two complete results, else None."""
        if not self.tier_moved:
            return None
        return f"{tier_name(_tier(self.earlier), lang)} {ARROW} {tier_name(_tier(self.later), lang)}"


@dataclass
class Comparison:
    earlier: RoundResult
    later: RoundResult
    basis: str  # points, share
    moves: list[Move]
    not_compared: list[NotCompared]
    noise: Noise
    dimensions: list[str]  # the dimension ids compared, in the later round's order
    criteria: list[str]

    @property
    def precision(self) -> int:
        """Deltas are shown at the finer of the two rounds' precisions."""
        return max(self.earlier.rubric.precision, self.later.rubric.precision)


def _tier(result: OfficeResult | None) -> Tier | None:
    return None if result is None else result.tier


def _counted(result: OfficeResult | None) -> bool:
    """Complete with a total: the results a delta is taken between."""
    return result is not None and result.complete and result.shown is not None


def tier_name(tier: Tier | None, lang: str) -> str:
    if tier is None:
        return NO_TIER[1] if lang == "en" else NO_TIER[0]
    return tier.title(lang)


def _maxima(rubric: Rubric) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    return {d.id: d.max for d in rubric.dimensions}, {c.id: c.max for c in rubric.criteria}


def _not_compared(kind: str, key: str, before: Decimal | None, after: Decimal | None,
                  known: tuple[bool, bool]) -> NotCompared:
    word_th, word_en = ("ด้าน", "dimension") if kind == "dimension" else ("ข้อ", "criterion")
    if not all(known):
        which_th = "รอบก่อน" if not known[0] else "รอบหลัง"
        which_en = "the earlier round" if not known[0] else "the later round"
        return NotCompared(kind, key, before, after,
                           f"ฐานข้อมูลไม่ได้เก็บเกณฑ์ที่ใช้บันทึก{which_th} (บันทึกก่อนฐานข้อมูลรุ่นที่ 4) "
                           f"จึงเทียบ{word_th}ไม่ได้ เทียบได้เฉพาะคะแนนรวม",
                           f"the store does not keep the rubric {which_en} was recorded under (recorded before "
                           f"schema 4), so no {word_en} can be compared; totals still are")
    if before is None:
        return NotCompared(kind, key, before, after, f"มีเฉพาะในรอบหลัง (คะแนนเต็ม {after})",
                           f"only in the later round (maximum {after})")
    if after is None:
        return NotCompared(kind, key, before, after, f"มีเฉพาะในรอบก่อน (คะแนนเต็ม {before})",
                           f"only in the earlier round (maximum {before})")
    return NotCompared(kind, key, before, after, f"คะแนนเต็มเปลี่ยน {before} → {after}",
                       f"the maximum changed: {before} → {after}")


def comparable(earlier: Rubric, later: Rubric, known: tuple[bool, bool]
               ) -> tuple[list[str], list[str], list[NotCompared]]:
    """The dimension and criterion ids compared (later order), and the ones that are not."""
    before_d, before_c = _maxima(earlier)
    after_d, after_c = _maxima(later)
    kept: dict[str, list[str]] = {"dimension": [], "criterion": []}
    left: list[NotCompared] = []
    for kind, before, after in (("dimension", before_d, after_d), ("criterion", before_c, after_c)):
        ids = list(after) + [key for key in before if key not in after]
        for key in ids:
            if all(known) and key in before and key in after and before[key] == after[key]:
                kept[kind].append(key)
            else:
                left.append(_not_compared(kind, key, before.get(key), after.get(key), known))
    return kept["dimension"], kept["criterion"], left


def _rescaled(value: Decimal, earlier: Rubric, later: Rubric) -> Decimal:
    """An earlier total as a share of its maximum, put on the later maximum (later precision)."""
    return shown(Fraction(value) * Fraction(later.total) / Fraction(earlier.total), later.precision)


def _move(office_id: str, before: OfficeResult | None, after: OfficeResult | None, comparison: Comparison) -> Move:
    named = after or before
    assert named is not None
    status = BOTH if before is not None and after is not None else NEW if before is None else ABSENT
    move = Move(office_id, named.office.th, named.office.en, status, before, after)
    if not (_counted(before) and _counted(after)):
        return move
    assert before is not None and after is not None and before.shown is not None and after.shown is not None
    early, late = comparison.earlier.rubric, comparison.later.rubric
    start = before.shown if comparison.basis == "points" else _rescaled(before.shown, early, late)
    move.delta_total = after.shown - start
    if before.rank is not None and after.rank is not None:
        move.delta_rank = before.rank - after.rank
    mdc = comparison.noise.mdc95
    if mdc is not None:
        move.within_noise = abs(move.delta_total) < mdc
    move.dimensions = {d: shown(after.dimensions[d], late.precision) - shown(before.dimensions[d], early.precision)
                       for d in comparison.dimensions}
    move.criteria = {c: shown(after.criteria[c], late.precision) - shown(before.criteria[c], early.precision)
                     for c in comparison.criteria}
    return move


def compare_results(earlier: RoundResult, later: RoundResult, noise: Noise,
                    known: tuple[bool, bool] = (True, True)) -> Comparison:
    """Every office's move from ``earlier`` to ``later`` (``known``: whether each round's rubric
    content is known; a round without it has its totals compared and nothing else)."""
    dimensions, criteria, left = comparable(earlier.rubric, later.rubric, known)
    same_total = earlier.rubric.total == later.rubric.total or not all(known)
    comparison = Comparison(earlier, later, "points" if same_total else "share", [], left, noise,
                            dimensions, criteria)
    before = {o.office.id: o for o in earlier.offices}
    after = {o.office.id: o for o in later.offices}
    for office in later.offices:
        comparison.moves.append(_move(office.office.id, before.get(office.office.id), office, comparison))
    for office in earlier.offices:
        if office.office.id not in after:
            comparison.moves.append(_move(office.office.id, office, None, comparison))
    return comparison


def noise_of(later: RoundResult) -> Noise:
    """The later round's MDC95 from its agreement figures (docs/agreement.md)."""
    from officestar_cli.scoring.agreement import four, round_agreement

    found = round_agreement(later, intervals=False).total
    text = four(found.mdc95)
    if text is not None:
        return Noise(Decimal(text))
    reason = found.reasons.get("mdc95")
    if reason is None:
        return Noise(None, ("ไม่มีค่า MDC95", "MDC95 is not computed"))
    return Noise(None, (reason.th, reason.en))


__all__ = [
    "ABSENT",
    "ARROW",
    "BOTH",
    "NEW",
    "NO_TIER",
    "Comparison",
    "Move",
    "Noise",
    "NotCompared",
    "comparable",
    "compare_results",
    "noise_of",
    "tier_name",
]
