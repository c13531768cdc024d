"""Who is expected to score each office, and when an office is complete.

docs/design.md, "Expected members and quorum": with a declared committee, every member
is expected for the offices assigned to them (all offices when none) unless excused from
one; a member who returned nothing is still expected, so the round cannot look final.
Without a committee, the members are whoever returned a workbook for the round, and a
member whose only attempt was rejected is expected too (for every office); a member whose
files were all withdrawn is not. An office is complete when every expected member scored
it, or, when the rubric sets ``quorum``, at min(quorum, expected members) scores. A member
whose workbook scored nothing has returned nothing: a quorum never makes that round final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from officestar_cli.base.names import member_key
from officestar_cli.intake.issues import Issue, issue
from officestar_cli.rubric.model import Office, Rubric
from officestar_cli.store.reading import StoredAttempt, StoredFile

Excused = Mapping[tuple[str, str], str]
"""Reasons by (member key, office id): the excuses in force for a round."""


@dataclass(frozen=True)
class Coverage:
    """One office's expected members, who scored it, and whether that makes it complete."""

    expected: tuple[str, ...]
    scored: tuple[str, ...]
    missing: tuple[str, ...]  # expected, not scored
    complete: bool
    quorum_reached: bool  # complete by the quorum although some expected member is missing


def excused_in(rubric: Rubric, recorded: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """The round's excuses: the rubric's ``excused`` entries and those recorded with
    ``officestar excuse`` (``recorded``: reasons by member key and office id)."""
    found = {(member_key(e.member), e.office): e.reason for e in rubric.excused}
    found.update(recorded)
    return found


def expected_for(rubric: Rubric, office: Office, returned: Iterable[str], excused: Excused | None = None
                 ) -> tuple[str, ...]:
    """The members expected to score ``office``: its committee members not excused from it,
    else those who returned (``returned``, in order)."""
    if rubric.committee:
        return tuple(m.name for m in rubric.committee if office in rubric.offices_for(m.name)
                     and (member_key(m.name), office.id) not in (excused or {}))
    return tuple(dict.fromkeys(returned))


def coverage(rubric: Rubric, expected: Sequence[str], scored: Sequence[str]) -> Coverage:
    """Whether the scores ``scored`` (member names) make an office with ``expected`` complete."""
    have = {member_key(name) for name in scored}
    missing = tuple(name for name in expected if member_key(name) not in have)
    every = bool(scored) and not missing
    quorum = rubric.quorum
    by_quorum = quorum is not None and bool(scored) and len(have) >= min(quorum, len(expected) or quorum)
    return Coverage(tuple(expected), tuple(scored), missing, every or by_quorum, by_quorum and not every)


def not_returned(rubric: Rubric, returned: Iterable[str], excused: Excused | None = None,
                 attempted_only: Sequence[str] = (), silent: Sequence[str] = ()) -> tuple[str, ...]:
    """Expected members from whom no score counts: committee members expected for at least one
    office who are not among ``returned`` (the members with a counted score: a blank workbook
    returns nothing), or (without a committee) those whose only attempts were rejected and those
    whose current workbook scored no office (``silent``)."""
    if not rubric.committee:
        return tuple(dict.fromkeys(sorted([*attempted_only, *silent])))
    have = {member_key(name) for name in returned}
    return tuple(m.name for m in rubric.committee if member_key(m.name) not in have
                 and any((member_key(m.name), o.id) not in (excused or {}) for o in rubric.offices_for(m.name)))


def attempted_only(attempts: Iterable[str | None], recorded: Iterable[str]) -> tuple[str, ...]:
    """Members (names as read) of rejected attempts who have no file recorded in the round,
    current or withdrawn: without a committee they are expected and missing."""
    have = {member_key(name) for name in recorded}
    found: dict[str, str] = {}
    for name in attempts:
        if name and member_key(name) and member_key(name) not in have:
            found.setdefault(member_key(name), name)
    return tuple(sorted(found.values()))


def rejected_corrections(attempts: Iterable[StoredAttempt], current: Iterable[StoredFile]) -> list[Issue]:
    """A warning for each current file whose workbook has a later attempt that was rejected: the
    member sent a correction that did not count, so the scores shown are the older ones
    (docs/design.md, "What a correction changed")."""
    counting = {(f.workbook_id, f.member_key): f for f in current}
    found: dict[tuple[str, str], Issue] = {}
    for attempt in attempts:
        if not attempt.workbook_id or not attempt.member:
            continue
        key = (attempt.workbook_id, member_key(attempt.member))
        kept = counting.get(key)
        later = kept is not None and _moment(attempt.attempted_at) > _moment(kept.imported_at)
        if kept is not None and later and attempt.sha256 != kept.sha256:
            found[key] = issue("correction-rejected", attempt.name, value=attempt.member, expected=kept.name)
    return list(found.values())


def _moment(stamp: str) -> dt.datetime:
    """A stored time (ISO 8601, UTC; to the second in stores written before microseconds were kept)."""
    try:
        return dt.datetime.fromisoformat(stamp)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
