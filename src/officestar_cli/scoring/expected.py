"""Who is expected to score each office, and when an office is complete.

docs/design.md, "Expected members and quorum": with a declared
committee, every member is expected for the offices assigned to them (all offices
when none); a member who returned nothing is still expected, so the round cannot
look final. Without a committee, the members are whoever returned a workbook for
the round. An office is complete when every expected member scored it, or, when
the rubric sets ``quorum``, at min(quorum, expected members) scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from officestar_cli.base.names import member_key
from officestar_cli.rubric.model import Office, Rubric


@dataclass(frozen=True)
class Coverage:
    """One office's expected members, who scored it, and whether that makes it complete."""

    expected: tuple[str, ...]
    scored: tuple[str, ...]
    missing: tuple[str, ...]  # expected, not scored
    complete: bool
    quorum_reached: bool  # complete by the quorum although some expected member is missing


def expected_for(rubric: Rubric, office: Office, returned: Iterable[str]) -> tuple[str, ...]:
    """The members expected to score ``office``: its committee members, else those who returned."""
    if rubric.committee:
        return tuple(m.name for m in rubric.committee if office in rubric.offices_for(m.name))
    return tuple(dict.fromkeys(returned))


def coverage(rubric: Rubric, expected: Sequence[str], scored: Sequence[str]) -> Coverage:
    """Whether the scores ``scored`` (member names) make an office with ``expected`` complete."""
    have = {member_key(name) for name in scored}
    missing = tuple(name for name in expected if member_key(name) not in have)
    every = bool(scored) and not missing
    quorum = rubric.quorum
    by_quorum = quorum is not None and bool(scored) and len(have) >= min(quorum, len(expected) or quorum)
    return Coverage(tuple(expected), tuple(scored), missing, every or by_quorum, by_quorum and not every)


def not_returned(rubric: Rubric, returned: Iterable[str]) -> tuple[str, ...]:
    """Committee members with no current workbook in the round (empty without a committee)."""
    have = {member_key(name) for name in returned}
    return tuple(m.name for m in rubric.committee if member_key(m.name) not in have)
