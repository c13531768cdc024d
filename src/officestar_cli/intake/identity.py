"""Which workbook this is: the identity sheet and the cover's fields, checked against each
other (docs/design.md, "Identity"), and the member they name checked against the committee."""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING

from officestar_cli.base.names import member_key
from officestar_cli.intake.sheet import Sheet
from officestar_cli.intake.xlsx.model import column_index
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf

if TYPE_CHECKING:
    from officestar_cli.intake.reader import Reading

IDENTITY_COLUMNS = frozenset({1, 2})


def row_of(ref: str) -> int:
    return int("".join(ch for ch in ref if ch.isdigit()))


def identity_fields(
    identity_sheet: Sheet | None, cover: Sheet | None, reading: Reading
) -> tuple[dict[str, str] | None, list[str]]:
    """The identity fields and the office list; warns or errs as docs/design.md, "Identity", says."""
    hidden: dict[str, str] | None = None
    offices: list[str] = []
    if identity_sheet is not None:
        hidden = {}
        for row in range(1, len(sf.IDENTITY_KEYS) + len(identity_sheet.cells.cells) + 1):
            key = identity_sheet.text(row, 1)
            if (key == sf.IDENTITY_OFFICE_KEY or key in sf.IDENTITY_KEYS) and identity_sheet.illegal(row, 2):
                _illegal(reading, identity_sheet, f"B{row}", key)
            if key == sf.IDENTITY_OFFICE_KEY:
                offices.append(identity_sheet.text(row, 2))
            elif key in sf.IDENTITY_KEYS:
                hidden[key] = identity_sheet.text(row, 2)
        if not hidden.get("format"):
            hidden = None
    on_cover: dict[str, str] | None = None
    if cover is not None:
        on_cover = {}
        for key, ref in sf.COVER_CELLS.items():
            row, col = row_of(ref), column_index(ref.rstrip("0123456789"))
            on_cover[key] = cover.text(row, col)
            if key in sf.IDENTITY_KEYS and cover.illegal(row, col):
                _illegal(reading, cover, ref, key)
    if hidden is None and on_cover is None:
        return None, []
    # LibreOffice saves a very hidden sheet as merely hidden: still the identity sheet, checked
    # against the cover below; one a member made visible is weaker evidence.
    very_hidden = identity_sheet is not None and identity_sheet.info.state in ("veryHidden", "hidden")
    if hidden is None or not very_hidden:
        reading.add("identity-from-cells", sheet=cover.info.name if cover else None)
    if hidden is not None and on_cover is not None:
        for key in ("format", "fingerprint", "fiscal_year", "round", "workbook_id", "member"):
            mine, theirs = hidden.get(key, ""), on_cover.get(key, "")
            if key == "member":
                mine, theirs = member_key(mine), member_key(theirs)
                if not mine:
                    continue  # a blank workbook: the member types the name on the cover
            if mine != theirs:
                reading.add(
                    "identity-mismatch",
                    sheet=cover.info.name if cover else None,
                    cell=sf.COVER_CELLS[key],
                    value=theirs,
                    expected=mine,
                    field=key,
                )
    if hidden is not None and very_hidden:
        fields = dict(hidden)
        if not member_key(fields.get("member", "")) and on_cover is not None:
            fields["member"] = on_cover.get("member", "")
        return fields, offices
    assert on_cover is not None or hidden is not None
    return (on_cover if on_cover is not None else hidden), offices


def _illegal(reading: Reading, sheet: Sheet, ref: str, key: str) -> None:
    """An identity cell that held a character XML cannot hold: the file is not recorded, since
    what identifies it is no longer what the member's program wrote (docs/design.md, "Cell values")."""
    row, col = row_of(ref), column_index(ref.rstrip("0123456789"))
    reading.add("illegal-identity-character", sheet=sheet.info.name, cell=ref, value=sheet.text(row, col), field=key)


def check_member(reading: Reading, rubric: Rubric, typed_member: str, member: str, cover: Sheet | None) -> None:
    """A name on the cover, visible, and on the committee when the rubric names one."""
    if not member:
        where = cover.info.name if cover else None
        if typed_member.strip():
            reading.add("invisible-member-name", sheet=where, cell=sf.COVER_CELLS["member"],
                        value=escaped(typed_member))
        else:
            reading.add("missing-member-name", sheet=where, cell=sf.COVER_CELLS["member"])
    elif rubric.committee and member not in {member_key(m.name) for m in rubric.committee}:
        # docs/design.md, "Expected members and quorum": a stranger's workbook is never averaged in.
        committee = [m.name for m in rubric.committee]
        closest = difflib.get_close_matches(member, committee, n=3, cutoff=0.0)
        reading.add(
            "unknown-member", sheet=cover.info.name if cover else None, cell=sf.COVER_CELLS["member"],
            value=member, expected=", ".join(closest),
        )


def escaped(text: str) -> str:
    """Invisible characters as code points, so that a message can show them."""
    return "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cf", "Zs", "Cc") or ch == "\u00ad" else ch
        for ch in text
    )


def as_int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
