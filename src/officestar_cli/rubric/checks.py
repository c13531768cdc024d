"""What the schema cannot say: sums, tiers, cross-references, characters, sizes.

Each check adds problems to the marked tree and never raises, so every problem in
the file is reported together; values of the wrong type were reported by the
schema and are skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from officestar_cli.base.names import member_key
from officestar_cli.base.text import forbidden_character
from officestar_cli.rubric.marks import Marked, Path_

# Every maximum, total and tier bound is shown exactly: at most this large, and with
# no more decimal places than the largest display precision the schema allows.
NUMBER_MAX = Decimal(1_000_000)
PLACES_MAX = 4


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def decimal_at(tree: Marked, path: Path_, value: Any) -> Decimal | None:
    """The number exactly as written (``4.5`` stays 4.5, never a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        number = Decimal(value)  # exact; the text may be 0x10 or 010, which YAML reads otherwise
    else:
        text = tree.scalars.get(path, str(value)).replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal(repr(value))
    if not number.is_finite():
        tree.problem(path, "ต้องเป็นตัวเลขจำกัด (ไม่ใช่ inf/nan)", "must be a finite number")
        return None
    places = -number.normalize().as_tuple().exponent  # type: ignore[operator]
    if abs(number) > NUMBER_MAX or places > PLACES_MAX:
        tree.problem(
            path,
            f"ตัวเลข {_short(number)} ใหญ่หรือละเอียดเกินกว่าจะแสดงได้ตรงค่า "
            f"(ไม่เกิน {NUMBER_MAX:,} และทศนิยมไม่เกิน {PLACES_MAX} ตำแหน่ง)",
            f"the number {_short(number)} is too large or too fine to be shown exactly "
            f"(at most {NUMBER_MAX:,}, with at most {PLACES_MAX} decimal places)",
        )
        return None
    return number


def _short(number: Decimal) -> str:
    text = str(number)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} chars)"


def check_characters(tree: Marked) -> None:
    """No control or XML-illegal character in any key or text (docs/design.md, "Text")."""
    for path, text in tree.scalars.items():
        found = forbidden_character(text)
        if found is not None:
            tree.problem(
                path,
                f"มีอักขระควบคุม {found[1]} ซึ่งเขียนลงแบบประเมินไม่ได้",
                f"holds the control character {found[1]}, which cannot be written into a workbook",
            )
    for path in tree.key_marks:
        last = path[-1]
        found = forbidden_character(last) if isinstance(last, str) else None
        if found is not None:
            tree.problem(
                path,
                f"คีย์มีอักขระควบคุม {found[1]}",
                f"the key holds the control character {found[1]}",
                key=True,
            )


def _check_unique(tree: Marked, entries: list[tuple[Path_, Any]], what_th: str, what_en: str) -> None:
    seen: dict[Any, Path_] = {}
    for path, value in entries:
        if not isinstance(value, str):
            continue
        if value in seen:
            first_line = tree.mark(seen[value])[0]
            tree.problem(
                path,
                f"{what_th} '{value}' ซ้ำกับบรรทัด {first_line}",
                f"duplicate {what_en} '{value}' (first at line {first_line})",
            )
        else:
            seen[value] = path


def check_meaning(data: dict[str, Any], tree: Marked) -> None:
    dims = list(_items(data, "dimensions"))
    _check_unique(tree, [(("dimensions", i, "id"), d.get("id")) for i, d in dims], "รหัสด้าน", "dimension id")
    _check_unique(
        tree,
        [
            (("dimensions", i, "criteria", j, "id"), c.get("id"))
            for i, d in dims
            for j, c in _items(d, "criteria")
        ],
        "รหัสเกณฑ์",
        "criterion id",
    )
    _check_unique(
        tree, [(("offices", i, "id"), o.get("id")) for i, o in _items(data, "offices")],
        "รหัสหน่วยงาน", "office id",
    )
    _check_unique(tree, [(("zones", i, "id"), z.get("id")) for i, z in _items(data, "zones")], "รหัสโซน", "zone id")
    _check_unique(
        tree,
        [
            (("committee", i, "name"), member_key(m["name"]) if isinstance(m.get("name"), str) else None)
            for i, m in _items(data, "committee")
        ],
        "ชื่อกรรมการ",
        "committee member",
    )

    committee = list(_items(data, "committee"))
    quorum = data.get("quorum")
    if committee and isinstance(quorum, int) and not isinstance(quorum, bool) and quorum > len(committee):
        # docs/design.md, "Expected members and quorum": a quorum no committee can reach is a mistake.
        tree.problem(
            ("quorum",),
            f"องค์ประชุม {quorum} คน มากกว่าคณะกรรมการที่ระบุ ({len(committee)} คน)",
            f"a quorum of {quorum} is more than the committee's {len(committee)} member(s)",
        )

    for i, member in committee:
        name = member.get("name")
        if isinstance(name, str) and name and not member_key(name):
            tree.problem(
                ("committee", i, "name"),
                "ชื่อกรรมการมีแต่อักขระที่มองไม่เห็น",
                "the member's name holds only invisible characters",
            )
    decimal_at(tree, ("kpi_target",), data.get("kpi_target"))

    # Each dimension adds up to its maximum; the dimensions add up to the total.
    dimension_sum = Decimal(0)
    sums_known = True
    for i, dim in dims:
        dim_max = decimal_at(tree, ("dimensions", i, "max"), dim.get("max"))
        crit_sum = Decimal(0)
        known = dim_max is not None
        for j, crit in _items(dim, "criteria"):
            cmax = decimal_at(tree, ("dimensions", i, "criteria", j, "max"), crit.get("max"))
            if cmax is None or cmax <= 0:
                known = False
            else:
                crit_sum += cmax
        if known and dim_max is not None and crit_sum != dim_max:
            tree.problem(
                ("dimensions", i, "max"),
                f"ด้าน {dim.get('id')}: คะแนนเต็มของเกณฑ์รวมกันได้ {crit_sum} แต่ด้านนี้ประกาศ {dim_max}",
                f"dimension {dim.get('id')}: its criteria add up to {crit_sum} but it declares {dim_max}",
            )
        if dim_max is None or dim_max <= 0:
            sums_known = False
        else:
            dimension_sum += dim_max
    total = decimal_at(tree, ("total",), data.get("total"))
    if sums_known and dims and total is not None and total > 0 and dimension_sum != total:
        tree.problem(
            ("total",),
            f"คะแนนเต็มของทุกด้านรวมกันได้ {dimension_sum} แต่ total ประกาศ {total}",
            f"the dimensions add up to {dimension_sum} but total declares {total}",
        )

    # Tiers: strictly descending lower bounds, within the total.
    previous: Decimal | None = None
    for i, tier in _items(data, "tiers"):
        low = decimal_at(tree, ("tiers", i, "min"), tier.get("min"))
        if low is None:
            continue
        if previous is not None and low >= previous:
            tree.problem(
                ("tiers", i, "min"),
                f"ระดับต้องเรียงจากเกณฑ์สูงไปต่ำและไม่ซ้อนกัน: {low} ไม่ต่ำกว่า {previous} ของระดับก่อนหน้า",
                f"tiers must be sorted highest first without overlap: {low} is not below "
                f"the previous tier's {previous}",
            )
        if total is not None and low > total:
            tree.problem(
                ("tiers", i, "min"),
                f"เกณฑ์ขั้นต่ำ {low} สูงกว่าคะแนนเต็ม {total}",
                f"lower bound {low} is above the total {total}",
            )
        previous = low

    # Cross-references.
    # Only well-typed values: a wrong type was reported above and must not crash here.
    def strings(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    dim_ids = {d.get("id") for _, d in dims if isinstance(d.get("id"), str)}
    for i, ref in enumerate(strings(data.get("tie_break"))):
        if isinstance(ref, str) and ref not in dim_ids:
            tree.problem(("tie_break", i), f"ไม่มีด้านรหัส '{ref}'", f"no dimension with id '{ref}'")
    zone_ids = {z.get("id") for _, z in _items(data, "zones") if isinstance(z.get("id"), str)}
    office_ids = {o.get("id") for _, o in _items(data, "offices") if isinstance(o.get("id"), str)}
    for i, office in _items(data, "offices"):
        zone = office.get("zone")
        if isinstance(zone, str) and zone not in zone_ids:
            tree.problem(("offices", i, "zone"), f"ไม่มีโซนรหัส '{zone}' ใน zones", f"no zone '{zone}' in zones")
    _check_excused(tree, data, office_ids)
    for i, member in _items(data, "committee"):
        for j, zone in enumerate(strings(member.get("zones"))):
            if isinstance(zone, str) and zone not in zone_ids:
                tree.problem(("committee", i, "zones", j), f"ไม่มีโซนรหัส '{zone}'", f"no zone '{zone}'")
        for j, office_id in enumerate(strings(member.get("offices"))):
            if isinstance(office_id, str) and office_id not in office_ids:
                tree.problem(
                    ("committee", i, "offices", j),
                    f"ไม่มีหน่วยงานรหัส '{office_id}'",
                    f"no office '{office_id}'",
                )


def _check_excused(tree: Marked, data: dict[str, Any], office_ids: set[Any]) -> None:
    """An excuse names a committee member and an office that member is assigned to
    (docs/design.md, "Excused members"): anything else is a mistake in the rubric."""
    committee = {member_key(m["name"]): m for _, m in _items(data, "committee") if isinstance(m.get("name"), str)}
    offices = {o.get("id"): o.get("zone") for _, o in _items(data, "offices")}
    for i, entry in _items(data, "excused"):
        name, office = entry.get("member"), entry.get("office")
        if not committee:
            tree.problem(("excused", i), "งดเว้นได้เฉพาะเมื่อระบุคณะกรรมการ (committee)",
                         "an excuse needs a declared committee")
            continue
        member = committee.get(member_key(name)) if isinstance(name, str) else None
        if isinstance(name, str) and member is None:
            tree.problem(("excused", i, "member"), f"'{name}' ไม่อยู่ในคณะกรรมการ", f"'{name}' is not on the committee")
        if isinstance(office, str) and office not in office_ids:
            tree.problem(("excused", i, "office"), f"ไม่มีหน่วยงานรหัส '{office}'", f"no office '{office}'")
            continue
        zones, assigned = (member.get("zones") or [], member.get("offices") or []) if member else ([], [])
        outside = isinstance(office, str) and office not in assigned and offices.get(office) not in zones
        if (zones or assigned) and outside:
            tree.problem(("excused", i, "office"), f"'{name}' ไม่ได้รับมอบหมายให้ประเมินหน่วยงาน '{office}'",
                         f"'{name}' is not assigned to office '{office}'")
