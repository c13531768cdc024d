"""What a correction changed: the cells of a later copy of a workbook that differ from the
copy it supersedes (docs/design.md, "What a correction changed").

A change is a score whose value differs, a note that differs, a criterion whose cell moved,
or an office that became scored or unscored (then its cells are not listed one by one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from officestar_cli.intake.reader import ScoreRow

KINDS = ("value", "note", "cell", "scored", "unscored")


@dataclass(frozen=True)
class Change:
    office_id: str
    criterion_id: str | None  # None for an office that became scored or unscored
    kind: str  # one of KINDS
    sheet: str
    cell: str | None
    old: str
    new: str

    def as_json(self) -> dict[str, str | None]:
        return {"office_id": self.office_id, "criterion_id": self.criterion_id, "kind": self.kind,
                "sheet": self.sheet, "cell": self.cell, "old": self.old, "new": self.new}


def _number(text: str) -> Decimal | str:
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


def changes(old_rows: Iterable[ScoreRow], old_scored: Mapping[str, bool], new_rows: Iterable[ScoreRow],
            new_scored: Mapping[str, bool], order: Iterable[str] = ()) -> list[Change]:
    """The changes from one copy to the next, office by office (in ``order``, then any other)
    and criterion by criterion in the later copy's order."""
    before = {(row[0], row[1]): row for row in old_rows}
    after = {(row[0], row[1]): row for row in new_rows}
    offices = list(dict.fromkeys([*order, *old_scored, *new_scored]))
    found: list[Change] = []
    for office in offices:
        was, now = old_scored.get(office, False), new_scored.get(office, False)
        if was != now:
            sheet = next((row[3] for key, row in (after if now else before).items() if key[0] == office), "")
            found.append(Change(office, None, "scored" if now else "unscored", sheet, None, "", ""))
            continue
        keys = [k for k in after if k[0] == office] + [k for k in before if k[0] == office and k not in after]
        for key in keys:
            old, new = before.get(key), after.get(key)
            where = new or old
            assert where is not None
            sheet, cell = where[3], where[4]
            if old is None or new is None or _number(old[2]) != _number(new[2]):
                found.append(Change(office, key[1], "value", sheet, cell, old[2] if old else "", new[2] if new else ""))
                continue
            if (old[3], old[4]) != (new[3], new[4]):
                found.append(Change(office, key[1], "cell", sheet, cell, f"{old[3]}!{old[4]}", f"{new[3]}!{new[4]}"))
            if old[5] != new[5]:
                found.append(Change(office, key[1], "note", sheet, cell, old[5], new[5]))
    return found
