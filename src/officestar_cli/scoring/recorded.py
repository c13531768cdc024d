"""The rubric a stored round was recorded under, as a ``Rubric`` that ``aggregate`` can add with.

``compare`` reads rounds of any fiscal year from one store (docs/design.md,
"Comparing rounds: each round under its own rubric"). What decides how a round's scores add up (ids,
maxima, offices, precision) comes from the canonical content the store keeps for the
round; titles, office names, tiers and the method come from the rubric in use, where
an id is in it (otherwise the id is the name). The rubric's committee and quorum apply
only to a round of its own fiscal year recorded under the same content: another
year's committee is not known, so its members are whoever returned a workbook.

A round recorded before the store kept the content (and under another rubric) has
no known structure: its criteria and offices are taken from its scores, its totals
can still be compared, its dimensions and criteria cannot.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from officestar_cli.base.errors import OfficestarError
from officestar_cli.rubric.model import Criterion, Dimension, Office, Rubric, canonical_content
from officestar_cli.store.store import Store

UNKNOWN_DIMENSION = "?"


@dataclasses.dataclass(frozen=True)
class Recorded:
    """A round's rubric, and whether its structure is known (the stored content)."""

    rubric: Rubric
    known: bool


def _decimal(value: Any) -> Decimal:
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None
    if not found.is_finite():
        raise ValueError(value)
    return found


def _ordered(ids: list[str], known: dict[str, Any]) -> list[str]:
    """The rubric's order for the ids it has, then the others in the stored (sorted) order."""
    place = {key: index for index, key in enumerate(known)}
    return sorted(ids, key=lambda key: (place.get(key, len(place)), ids.index(key)))


def _office(given: Rubric, office_id: str) -> Office:
    found = given.office_by_id.get(office_id)
    return found if found is not None else Office(office_id, office_id, office_id, None, None)


def _criterion(given: Rubric, criterion_id: str, maximum: Decimal, dimension_id: str) -> Criterion:
    found = given.criterion_by_id.get(criterion_id)
    th, en, detail = (found.th, found.en, found.detail) if found else (criterion_id, criterion_id, ())
    return Criterion(criterion_id, th, en, maximum, detail, dimension_id)


def _from_content(given: Rubric, content: str) -> Rubric:
    data = json.loads(content)
    precision = int(data["precision"])
    stored: dict[str, tuple[Decimal, list[tuple[str, Decimal]]]] = {}
    for dimension_id, maximum, criteria in data["dimensions"]:
        stored[str(dimension_id)] = (_decimal(maximum), [(str(c), _decimal(m)) for c, m in criteria])
    dimensions = []
    for dimension_id in _ordered(list(stored), given.dimension_by_id):
        maximum, criteria = stored[dimension_id]
        maxima = dict(criteria)
        found = given.dimension_by_id.get(dimension_id)
        th, en = (found.th, found.en) if found else (dimension_id, dimension_id)
        dimensions.append(Dimension(dimension_id, th, en, maximum, tuple(
            _criterion(given, c, maxima[c], dimension_id) for c in _ordered(list(maxima), given.criterion_by_id))))
    offices = [_office(given, str(o)) for o in _ordered([str(o) for o in data["offices"]], given.office_by_id)]
    return _shaped(given, precision, tuple(dimensions), tuple(offices))


def _shaped(given: Rubric, precision: int, dimensions: tuple[Dimension, ...], offices: tuple[Office, ...]) -> Rubric:
    present = {d.id for d in dimensions}
    return dataclasses.replace(
        given, precision=precision, dimensions=dimensions, offices=offices,
        total=sum((d.max for d in dimensions), Decimal(0)),
        tie_break=tuple(d for d in given.tie_break if d in present),
    )


def _from_scores(given: Rubric, store: Store, fiscal_year: int, round_no: int) -> Rubric:
    """Criteria and offices as the round's current files hold them; maxima at least the largest score."""
    highest: dict[str, Decimal] = {}
    office_ids: set[str] = set()
    for stored in store.files(fiscal_year, round_no, current_only=True):
        office_ids.update(store.file_offices(stored.id))
        for score in store.scores(stored.id):
            highest[score.criterion_id] = max(highest.get(score.criterion_id, score.value), score.value)
    groups: dict[str, list[Criterion]] = {}
    for criterion_id in _ordered(sorted(highest), given.criterion_by_id):
        known = given.criterion_by_id.get(criterion_id)
        dimension_id = known.dimension_id if known else UNKNOWN_DIMENSION
        maximum = max(known.max, highest[criterion_id]) if known else highest[criterion_id]
        groups.setdefault(dimension_id, []).append(_criterion(given, criterion_id, maximum, dimension_id))
    dimensions = []
    for dimension_id in _ordered(list(groups), given.dimension_by_id):
        found = given.dimension_by_id.get(dimension_id)
        th, en = (found.th, found.en) if found else (dimension_id, dimension_id)
        criteria = tuple(groups[dimension_id])
        dimensions.append(Dimension(dimension_id, th, en, sum((c.max for c in criteria), Decimal(0)), criteria))
    offices = [_office(given, o) for o in _ordered(sorted(office_ids), given.office_by_id)]
    return _shaped(given, given.precision, tuple(dimensions), tuple(offices))


def recorded_rubric(given: Rubric, store: Store, fiscal_year: int, round_no: int) -> Recorded:
    """The rubric ``aggregate`` needs for a stored round of any fiscal year (see the module's note)."""
    content = store.round_rubric(fiscal_year, round_no)
    own = canonical_content(given)
    if content is None and store.round_fingerprint(fiscal_year, round_no) == given.fingerprint:
        content = own  # recorded before the store kept the content, under this very rubric
    known = content is not None
    if content is None:
        shaped = _from_scores(given, store, fiscal_year, round_no)
    else:
        try:
            shaped = _from_content(given, content)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise OfficestarError(
                f"ฐานข้อมูลเสียหาย: เนื้อหาเกณฑ์ของปีงบประมาณ {fiscal_year} รอบที่ {round_no} อ่านไม่ได้ ({exc})",
                f"The store is damaged: the rubric content of FY {fiscal_year} round {round_no} cannot be read "
                f"({exc})",
            ) from None
    same = content == own and fiscal_year == given.fiscal_year
    rubric = dataclasses.replace(shaped, fiscal_year=fiscal_year, round=round_no)
    if not same:
        rubric = dataclasses.replace(rubric, committee=(), quorum=None, excused=())
    return Recorded(rubric, known)


__all__ = ["UNKNOWN_DIMENSION", "Recorded", "recorded_rubric"]
