"""Combine recorded scores per office, assign tiers and ranks (exact arithmetic).

Scores are Fractions from the cell to the tier: an office total is rounded
half-up to the rubric's precision once, for display, and the tier and the rank
are decided on that shown value (docs/design.md, "Tiers and ranks").
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from operator import itemgetter

from officestar_cli.base.names import member_key
from officestar_cli.intake.changes import Change
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.rubric.model import Office, Rubric, Tier
from officestar_cli.scoring import expected as roster
from officestar_cli.scoring.exact import shown
from officestar_cli.store.corrections import FileEvent, standing_excuses
from officestar_cli.store.reading import FileScores, StoredFile
from officestar_cli.store.store import Store

METHODS = ("mean", "median", "trimmed")
Correction = tuple[StoredFile, StoredFile, list[Change]]  # superseded copy, the copy that replaced it, changes
TRIMMED_MIN_MEMBERS = 5


@dataclass(frozen=True)
class MemberScores:
    """One member's scores for one office, with where each came from.

    Scores are kept as whole units of the rubric's precision (4.25 at 2 decimals
    is 425 of 1/100): exact, and quick to add at national scale.
    """

    member: str
    file: StoredFile
    units: dict[str, int]  # criterion id -> score x scale
    scale: int
    cells: dict[str, tuple[str, str]]  # criterion id -> (sheet, cell)
    notes: dict[str, str] = field(default_factory=dict)  # criterion id -> the member's evidence note

    @cached_property
    def criteria(self) -> dict[str, Fraction]:
        return {key: Fraction(value, self.scale) for key, value in self.units.items()}

    def total(self) -> Fraction:
        return Fraction(sum(self.units.values()), self.scale)

    def dimension(self, rubric: Rubric, dimension_id: str) -> Fraction:
        criteria = rubric.dimension_by_id[dimension_id].criteria
        return Fraction(sum(self.units[c.id] for c in criteria), self.scale)


def to_units(text: str, scale: int) -> int:
    """``"4.25"`` at scale 100 is 425, exactly; a ValueError when the scale is too coarse."""
    whole, dot, fraction = text.partition(".")
    places = len(str(scale)) - 1
    if "e" not in text.lower() and whole.lstrip("+-").isdigit() and (not dot or fraction.isdigit()):
        if len(fraction) > places:
            raise ValueError(f"{text} has more decimals than scale {scale}")
        return int(whole + fraction.ljust(places, "0"))  # "4.25" -> "425"; "-0.5" -> "-050"
    units = Fraction(text) * scale
    if units.denominator != 1:
        raise ValueError(f"{text} has more decimals than scale {scale}")
    return units.numerator


@dataclass
class OfficeResult:
    office: Office
    assigned: list[str]
    scored: list[MemberScores]
    missing: list[str]
    complete: bool
    counted: list[str] = field(default_factory=list)
    method_note: str = ""
    total: Fraction | None = None
    shown: Decimal | None = None
    tier: Tier | None = None
    rank: int | None = None
    zone_rank: int | None = None
    dimensions: dict[str, Fraction] = field(default_factory=dict)
    criteria: dict[str, Fraction] = field(default_factory=dict)
    tie: str = ""  # "", shared (no tie-break), settled, unsettled (equal after the tie-break)
    quorum_reached: bool = False  # complete by the rubric's quorum although someone is missing
    excused: dict[str, str] = field(default_factory=dict)  # member -> reason: not expected here

    @property
    def scored_by(self) -> list[str]:
        return [m.member for m in self.scored]


@dataclass
class RoundResult:
    rubric: Rubric
    fiscal_year: int
    round: int
    method: str
    offices: list[OfficeResult]  # ranked first (by rank), then unranked in rubric order
    files: list[StoredFile]
    history: list[StoredFile]
    fingerprint: str | None
    not_returned: list[str] = field(default_factory=list)  # expected members with no current workbook
    notices: list[Issue] = field(default_factory=list)  # found on combining: excused-score
    events: list[FileEvent] = field(default_factory=list)  # withdrawals and restorations, in order
    corrections: list[Correction] = field(default_factory=list)  # every superseding, with what it changed

    @property
    def members(self) -> list[str]:
        return sorted({f.member for f in self.files}, key=_name_key)

    @property
    def complete(self) -> bool:
        """Every office complete and every expected member heard from: the round can be final."""
        return all(o.complete for o in self.offices) and not self.not_returned

    @property
    def evaluated_share(self) -> Fraction:
        return Fraction(sum(1 for o in self.offices if o.complete), len(self.offices) or 1)

    @property
    def honoured_share(self) -> Fraction:
        return Fraction(sum(1 for o in self.offices if o.tier is not None), len(self.offices) or 1)

    @property
    def latest_import(self) -> str | None:
        return max((f.imported_at for f in self.files), default=None)


def _name_key(name: str) -> str:
    return name  # names are stored NFC-normalised; code-point order (docs/design.md, "Methods")


def choose_members(totals: Sequence[tuple[str, Fraction | int]], method: str) -> tuple[list[str], str]:
    """The members that count for an office under ``method``, and how they were chosen.
    Totals may be Fractions, or whole units of one scale (quicker to sort, same order).

    The second value is one of: mean, median, median-pair (mean of the two
    middle members), trimmed, trimmed-fallback (fewer than five members: mean).
    Equal member totals are ordered by member name (code points).
    """
    ordered = sorted(totals, key=lambda item: (item[1], _name_key(item[0])))
    names = [name for name, _ in ordered]
    n = len(names)
    if n == 0:
        return [], ""
    if method == "median":
        middle = n // 2
        if n % 2:
            return [names[middle]], "median"
        return names[middle - 1 : middle + 1], "median-pair"
    if method == "trimmed":
        if n >= TRIMMED_MIN_MEMBERS:
            return names[1:-1], "trimmed"
        return names, "trimmed-fallback"
    return names, "mean"


def aggregate(store: Store, rubric: Rubric, round_no: int, method: str | None = None) -> RoundResult:
    method = method or rubric.aggregation
    # Whole units of the rubric's precision: the reader accepts no finer score. A store
    # written otherwise (by another program) gets the finest scale it holds instead.
    try:
        history, current, grouped = _member_scores(store, rubric, round_no, 10**rubric.precision)
    except ValueError:
        history, current, grouped = _member_scores(store, rubric, round_no, 10**_most_decimals(store, rubric, round_no))
    files = [f for f in history if f.current]
    fiscal_year = rubric.fiscal_year
    # Excuses need a declared committee: without one (a rubric whose committee was taken out after
    # an excuse was recorded) they excuse nobody, and no score is said to be left out.
    excused = roster.excused_in(rubric, {key: event.reason for key, event in
                                         standing_excuses(store.excuse_events(fiscal_year, round_no)).items()}
                                ) if rubric.committee else {}
    attempts = store.attempts(fiscal_year, round_no)
    attempted = () if rubric.committee else roster.attempted_only([a.member for a in attempts],
                                                                   [f.member for f in history])
    notices: list[Issue] = roster.rejected_corrections(attempts, files)
    members = {member_key(m.name) for m in rubric.committee}
    notices += [issue("not-on-committee", f.name, value=f.member) for f in files  # counted nowhere: say so
                if members and f.member_key not in members]
    assigned: dict[str, list[str]] = {o.id: [] for o in rubric.offices}
    per_office: dict[str, list[MemberScores]] = {o.id: [] for o in rubric.offices}
    for entry in sorted(current, key=lambda f: (f.file.member_key, f.file.imported_at, f.file.id)):
        for office_id, was_scored in entry.offices.items():
            if office_id not in assigned:
                continue
            assigned[office_id].append(entry.file.member)
            if was_scored and (entry.file.id, office_id) in grouped:
                per_office[office_id].append(grouped[(entry.file.id, office_id)])
    results = []
    for office in rubric.offices:
        returned = sorted([*assigned[office.id], *attempted], key=_name_key)
        expected = roster.expected_for(rubric, office, returned, excused)
        keys = {member_key(name) for name in expected}
        for entered in per_office[office.id]:
            reason = excused.get((member_key(entered.member), office.id))
            if reason is not None:
                sheet = next(iter(entered.cells.values()), ("", ""))[0]
                notices.append(issue("excused-score", entered.file.name, sheet=sheet or None, value=entered.member,
                                     expected=reason))
        # Only an expected member's scores count (with a committee, a stranger's never do).
        scored = sorted(
            (m for m in per_office[office.id] if member_key(m.member) in keys), key=lambda m: _name_key(m.member)
        )
        covered = roster.coverage(rubric, expected, [m.member for m in scored])
        result = OfficeResult(office, list(expected), scored, list(covered.missing), covered.complete)
        result.quorum_reached = covered.quorum_reached
        result.excused = {m.name: excused[(member_key(m.name), office.id)] for m in rubric.committee
                          if (member_key(m.name), office.id) in excused and office in rubric.offices_for(m.name)}
        if scored:
            _combine(result, rubric, method)
        results.append(result)
    _rank(results, rubric)
    heard = {m.member for r in results for m in r.scored}  # members with a score that counts
    return RoundResult(
        rubric=rubric,
        fiscal_year=rubric.fiscal_year,
        round=round_no,
        method=method,
        offices=sorted(results, key=lambda r: (r.rank is None, r.rank or 0)),
        files=files,
        history=history,
        fingerprint=store.round_fingerprint(rubric.fiscal_year, round_no),
        not_returned=list(roster.not_returned(rubric, heard, excused, attempted,
                                              [f.member for f in files if f.member not in heard])),
        notices=notices,
        events=store.file_events(fiscal_year, round_no),
        corrections=corrections_of(store, history, [o.id for o in rubric.offices]),
    )


def corrections_of(store: Store, history: Sequence[StoredFile], order: Sequence[str]) -> list[Correction]:
    """Each superseded file with the copy that replaced it and what that copy changed."""
    by_id = {f.id: f for f in history}
    return [(old, by_id[old.superseded_by], store.changes(old.id, old.superseded_by, order))
            for old in history if old.superseded_by is not None and old.superseded_by in by_id]


def recombine(result: RoundResult, method: str) -> list[OfficeResult]:
    """The round's offices combined, tiered and ranked again under ``method``: the same scores
    and coverage, fresh results (the agreement's method sensitivity, docs/agreement.md)."""
    offices = [OfficeResult(o.office, o.assigned, o.scored, o.missing, o.complete, excused=o.excused,
                            quorum_reached=o.quorum_reached) for o in result.offices]
    for office in offices:
        if office.scored:
            _combine(office, result.rubric, method)
    _rank(offices, result.rubric)
    return offices


def _checked_files(store: Store, rubric: Rubric, round_no: int) -> Iterator[FileScores]:
    """Every file of the round, each checked by the store against its digest and the rubric."""
    maxima = {c.id: c.max for c in rubric.criteria}
    return store.round_scores(rubric.fiscal_year, round_no, {o.id: maxima for o in rubric.offices})


def _most_decimals(store: Store, rubric: Rubric, round_no: int) -> int:
    return max((len(value.partition(".")[2]) for entry in _checked_files(store, rubric, round_no)
                for _, _, value, *_ in entry.scores), default=0)


def _member_scores(
    store: Store, rubric: Rubric, round_no: int, scale: int
) -> tuple[list[StoredFile], list[FileScores], dict[tuple[int, str], MemberScores]]:
    """The round's files (by member), its current ones with their offices, and one
    MemberScores per current file and office (a national round: 14,000 of them holding
    200,000 scores). The rows are read as a stream and not kept; a round repeats a few
    values many times, so each distinct value is turned into units once."""
    intern = sys.intern
    grouped: dict[tuple[int, str], MemberScores] = {}
    units_of: dict[str, int] = {}
    history: list[StoredFile] = []
    current: list[FileScores] = []
    for entry in _checked_files(store, rubric, round_no):
        stored = entry.file
        history.append(stored)
        if not stored.current:
            continue
        current.append(FileScores(stored, entry.offices, []))
        by_office: dict[str, MemberScores] = {}
        for office_id, criterion, value, sheet, cell, note in entry.scores:
            found = by_office.get(office_id)
            if found is None:
                found = by_office[office_id] = MemberScores(stored.member, stored, {}, scale, {}, {})
            units = units_of.get(value)
            if units is None:
                units = units_of[value] = to_units(value, scale)
            criterion = intern(criterion)
            found.units[criterion] = units
            found.cells[criterion] = (intern(sheet), intern(cell))
            if note:
                found.notes[criterion] = note
        for office_id, found in by_office.items():
            grouped[(stored.id, intern(office_id))] = found
    history.sort(key=lambda f: (f.member_key, f.imported_at, f.id))
    return history, current, grouped


def _combine(result: OfficeResult, rubric: Rubric, method: str) -> None:
    # Every member's scores are whole units of one scale, so their sums order them exactly.
    counted, note = choose_members([(m.member, sum(m.units.values())) for m in result.scored], method)
    counting = set(counted)
    chosen = [m.units for m in result.scored if m.member in counting]
    n = len(chosen)
    result.counted = counted
    result.method_note = note
    scale = result.scored[0].scale
    result.criteria = {c.id: Fraction(sum(map(itemgetter(c.id), chosen)), scale * n) for c in rubric.criteria}
    result.dimensions = {
        d.id: sum((result.criteria[c.id] for c in d.criteria), Fraction(0)) for d in rubric.dimensions
    }
    result.total = sum(result.dimensions.values(), Fraction(0))
    result.shown = shown(result.total, rubric.precision)
    if result.complete:
        result.tier = rubric.tier_for(result.shown)


def _rank_key(result: OfficeResult, rubric: Rubric) -> tuple[Decimal, ...]:
    assert result.shown is not None
    chain = tuple(shown(result.dimensions[d], rubric.precision) for d in rubric.tie_break)
    return (result.shown, *chain)


def _competition(results: list[OfficeResult], rubric: Rubric, *, zone: bool) -> None:
    ordered = sorted(results, key=lambda r: _rank_key(r, rubric), reverse=True)
    previous: tuple[Decimal, ...] | None = None
    rank = 0
    for position, result in enumerate(ordered, start=1):
        key = _rank_key(result, rubric)
        if key != previous:
            rank = position
            previous = key
        if zone:
            result.zone_rank = rank
        else:
            result.rank = rank


def _rank(results: list[OfficeResult], rubric: Rubric) -> None:
    ranked = [r for r in results if r.complete and r.shown is not None]
    _competition(ranked, rubric, zone=False)
    # Name what settled or left each tie on the shown total.
    by_total: dict[Decimal, list[OfficeResult]] = {}
    for result in ranked:
        assert result.shown is not None
        by_total.setdefault(result.shown, []).append(result)
    for group in by_total.values():
        if len(group) < 2:
            continue
        for result in group:
            if not rubric.tie_break:
                result.tie = "shared"
            else:
                # Per office: one tie of three can separate one office and leave two sharing.
                sharing = sum(1 for other in group if other.rank == result.rank)
                result.tie = "settled" if sharing == 1 else "unsettled"
    zones: dict[str, list[OfficeResult]] = {}
    for result in ranked:
        if result.office.zone:
            zones.setdefault(result.office.zone, []).append(result)
    for group in zones.values():
        _competition(group, rubric, zone=True)
