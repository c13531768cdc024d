"""The rubric as data: the frozen dataclasses every stage reads, and the fingerprint.

Loading the file is ``rubric.load``; its checks are ``rubric.schema`` and
``rubric.checks``; the JSON form is ``rubric.as_json``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from officestar_cli.base.decimals import plain
from officestar_cli.base.names import member_key


class _Titled:
    """Anything with a Thai and an English title."""

    th: str
    en: str

    def title(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


ROUND_MAX = 12  # the most rounds a fiscal year can have (one a month)

@dataclass(frozen=True)
class Criterion(_Titled):
    id: str
    th: str
    en: str
    max: Decimal
    detail: tuple[str, ...]
    dimension_id: str


@dataclass(frozen=True)
class Dimension(_Titled):
    id: str
    th: str
    en: str
    max: Decimal
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Tier(_Titled):
    th: str
    en: str
    min: Decimal


@dataclass(frozen=True)
class Office(_Titled):
    id: str
    th: str
    en: str
    staff: int | None
    zone: str | None


@dataclass(frozen=True)
class Zone:
    id: str
    th: str
    en: str


@dataclass(frozen=True)
class Member:
    name: str
    zones: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signatory:
    """One who signs the announcement and the certificates (role: chair, member or approver)."""

    name: str
    position: str = ""
    role: str = "member"


@dataclass(frozen=True)
class Excuse:
    """A committee member who does not score one office (conflict of interest, no visit)."""

    member: str
    office: str  # the office id
    reason: str


@dataclass(frozen=True)
class Documents:
    """The announcement's and certificates' font and wording; empty means the defaults."""

    font: str = ""
    size: Decimal = Decimal(16)
    opening: str = ""
    certificate: str = ""


@dataclass(frozen=True)
class Contest(_Titled):
    name: str
    th: str
    en: str
    organiser_th: str = ""
    organiser_en: str = ""
    submit_to_th: str = ""
    submit_to_en: str = ""


@dataclass(frozen=True)
class Rubric:
    source: str
    contest: Contest
    fiscal_year: int
    round: int
    total: Decimal
    precision: int
    aggregation: str
    quorum: int | None
    kpi_target: Decimal
    tie_break: tuple[str, ...]
    tiers: tuple[Tier, ...]
    no_tier: Tier
    dimensions: tuple[Dimension, ...]
    offices: tuple[Office, ...]
    zones: tuple[Zone, ...] = ()
    committee: tuple[Member, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    excused: tuple[Excuse, ...] = ()
    documents: Documents = Documents()
    outlier_share: Decimal = Decimal("0.3")  # agreement flags (docs/agreement.md); not in the fingerprint
    outlier_steps: int = 2

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)

    @cached_property
    def criterion_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def office_by_id(self) -> dict[str, Office]:
        return {o.id: o for o in self.offices}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self)

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]

    def tier_for(self, shown_total: Decimal) -> Tier | None:
        """The tier of a total as shown (already rounded to the display precision)."""
        for tier in self.tiers:
            if shown_total >= tier.min:
                return tier
        return None

    def offices_for(self, member_name: str) -> tuple[Office, ...]:
        """The offices a member scores: their assignment, or every office."""
        key = member_key(member_name)
        for member in self.committee:
            if member_key(member.name) == key and (member.zones or member.offices):
                wanted = set(member.offices)
                zones = set(member.zones)
                return tuple(o for o in self.offices if o.id in wanted or o.zone in zones)
        return self.offices

    def title(self, lang: str) -> str:
        return self.contest.title(lang)


def fingerprint(rubric: Rubric) -> str:
    """SHA-256 over what decides how scores are read and added (docs/design.md, "Identity"):
    the canonical content below."""
    return hashlib.sha256(canonical_content(rubric).encode("ascii")).hexdigest()


def canonical_content(rubric: Rubric) -> str:
    """What decides how scores are read and added, as one JSON text (the store keeps it
    per round): dimension and criterion ids with their maxima, office ids and the display
    precision; not titles, not wording, not the round or the fiscal year.
    Order-independent, so reordering the file changes nothing.
    """
    canonical = {
        "precision": rubric.precision,
        "dimensions": sorted(
            [
                d.id,
                plain(d.max),
                sorted([c.id, plain(c.max)] for c in d.criteria),
            ]
            for d in rubric.dimensions
        ),
        "offices": sorted(o.id for o in rubric.offices),
    }
    return json.dumps(canonical, ensure_ascii=True, separators=(",", ":"), sort_keys=True)


