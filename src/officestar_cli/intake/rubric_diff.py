"""What differs between the rubric a workbook was made from and the rubric in use.

A workbook of another rubric (``wrong-rubric``) is not read, but its office
sheets still show what the fingerprint was taken over: the criterion ids in
column A with their maxima in column D, the dimension rows ("ด้านที่ 1") with
theirs, and the office ids. Comparing those with the rubric in use names the
difference ("3.1: คะแนนเต็ม 4 → 5", "หน่วยงานใหม่: เถิน") instead of two
fingerprints alone (docs/issues.md, ``wrong-rubric``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from officestar_cli.base.decimals import plain
from officestar_cli.base.errors import OfficestarError
from officestar_cli.rubric.model import Rubric

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_DIMENSION_WORDS = ("ด้านที่", "dimension")
SHOWN_PER_KIND = 5  # names listed per kind of difference; the rest are counted


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def sheet_maxima(rows: Sequence[tuple[str, str]]) -> tuple[dict[str, Decimal | None], dict[str, Decimal | None]]:
    """Criterion and dimension maxima as an office sheet shows them: (column A, column D) per row."""
    criteria: dict[str, Decimal | None] = {}
    dimensions: dict[str, Decimal | None] = {}
    for label, maximum in rows:
        label = label.strip()
        words = label.split()
        if len(words) == 2 and words[0].casefold() in _DIMENSION_WORDS and _ID.fullmatch(words[1]):
            dimensions.setdefault(words[1], _number(maximum))
        elif _ID.fullmatch(label):
            criteria.setdefault(label, _number(maximum))
    return criteria, dimensions


def rubric_rows(rubric: Rubric) -> list[tuple[str, str]]:
    """The (column A, column D) rows an office sheet of ``rubric`` shows, to compare two rubrics."""
    rows: list[tuple[str, str]] = []
    for dimension in rubric.dimensions:
        rows.append((f"ด้านที่ {dimension.id}", plain(dimension.max)))
        rows.extend((c.id, plain(c.max)) for c in dimension.criteria)
    return rows


def content_rows(content: str) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The rows and office ids of a rubric's canonical content (as the store keeps it per round,
    ``rubric.model.canonical_content``); None when the text is not that form."""
    import json

    try:
        data = json.loads(content)
        rows: list[tuple[str, str]] = []
        for dimension_id, maximum, criteria in data["dimensions"]:
            rows.append((f"ด้านที่ {dimension_id}", str(maximum)))
            rows.extend((str(cid), str(cmax)) for cid, cmax in criteria)
        return rows, [str(o) for o in data["offices"]]
    except (ValueError, KeyError, TypeError):
        return None


def from_content(content: str, new: Rubric) -> tuple[str, str] | None:
    """What differs from the rubric a round was recorded under (its canonical content) to ``new``."""
    found = content_rows(content)
    if found is None:
        return None
    rows, offices = found
    th, en = differences(new, "", rows, offices)
    import json

    recorded = json.loads(content).get("precision")
    if recorded is not None and recorded != new.precision:
        th = f"ทศนิยม {recorded} → {new.precision} ตำแหน่ง; " + th
        en = f"decimals {recorded} → {new.precision}; " + en
    return th, en.removeprefix("— ")


def between(old: Rubric, new: Rubric) -> tuple[str, str]:
    """What differs from ``old`` to ``new`` (a round recorded under ``old``, ranked under ``new``)."""
    return differences(new, "", rubric_rows(old), [o.id for o in old.offices])


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN_PER_KIND])
    more = len(items) - SHOWN_PER_KIND
    return shown + (f" +{more}" if more > 0 else "")


def _maximum(value: Decimal | None) -> str:
    return "?" if value is None else plain(value)


def differences(
    rubric: Rubric, member: str, rows: Sequence[tuple[str, str]] | None, office_ids: Sequence[str]
) -> tuple[str, str]:
    """The differences in Thai and in English, each one sentence of ``;``-separated parts.

    ``rows`` are (column A, column D) of one office sheet of the workbook (``None``
    when it has none); ``office_ids`` are the offices it carries, in its order.
    """
    th: list[str] = []
    en: list[str] = []
    if rows is not None:
        criteria, dimensions = sheet_maxima(rows)
        for dimension in rubric.dimensions:
            if dimension.id in dimensions and dimensions[dimension.id] != dimension.max:
                was, now = _maximum(dimensions[dimension.id]), plain(dimension.max)
                th.append(f"ด้านที่ {dimension.id}: คะแนนเต็ม {was} → {now}")
                en.append(f"dimension {dimension.id}: maximum {was} → {now}")
        for criterion in rubric.criteria:
            if criterion.id in criteria and criteria[criterion.id] != criterion.max:
                was, now = _maximum(criteria[criterion.id]), plain(criterion.max)
                th.append(f"{criterion.id}: คะแนนเต็ม {was} → {now}")
                en.append(f"{criterion.id}: maximum {was} → {now}")
        added = [c.id for c in rubric.criteria if c.id not in criteria]
        if added:
            th.append(f"ข้อใหม่ในเกณฑ์: {_listed(added)}")
            en.append(f"new criteria: {_listed(added)}")
        gone = [c for c in criteria if c not in rubric.criterion_by_id]
        if gone:
            th.append(f"ข้อที่เกณฑ์นี้ไม่มี: {_listed(gone)}")
            en.append(f"criteria this rubric lacks: {_listed(gone)}")
    carried = set(office_ids)
    new = [o for o in rubric.offices_for(member) if o.id not in carried]
    if new:
        th.append("หน่วยงานใหม่: " + _listed([f"{o.th} ({o.id})" for o in new]))
        en.append("new offices: " + _listed([f"{o.en} ({o.id})" for o in new]))
    unknown = [o for o in dict.fromkeys(office_ids) if o not in rubric.office_by_id]
    if unknown:
        th.append(f"หน่วยงานที่เกณฑ์นี้ไม่มี: {_listed(unknown)}")
        en.append(f"offices this rubric lacks: {_listed(unknown)}")
    if not th:
        return (
            "แผ่นงานแสดงข้อ คะแนนเต็ม และหน่วยงานตรงกับเกณฑ์นี้ จึงน่าจะต่างที่จำนวนทศนิยม (precision)",
            "— the sheets show the same criteria, maxima and offices, so the precision probably differs",
        )
    return "ที่ต่างกัน: " + "; ".join(th), "— what differs: " + "; ".join(en)


def recorded_under_another_rubric(
    recorded_under: str, loaded: Rubric, round_value: int, content: str | None
) -> OfficestarError:
    """Say what differs from the rubric the round was recorded under (the store keeps its content),
    and what to do."""
    was, now = recorded_under[:12], loaded.short_fingerprint
    found = from_content(content, loaded) if content is not None else None
    if found is None:
        what_th = "ฐานข้อมูลรอบนี้ไม่ได้เก็บเนื้อหาของเกณฑ์ไว้ (บันทึกก่อนรุ่นที่เก็บ) จึงบอกไม่ได้ว่าต่างกันที่ข้อใด"
        what_en = ("the store kept no rubric content for this round (recorded by an older officestar), "
                   "so it cannot say what differs")
    else:
        what_th, what_en = found
    return OfficestarError(
        f"รอบที่ {round_value} ในฐานข้อมูลบันทึกด้วยเกณฑ์อื่น: รหัสเกณฑ์ที่บันทึกไว้ {was} "
        f"แต่เกณฑ์ที่ใช้ตอนนี้คือ {now} {what_th} "
        f"ให้ใช้ --rubric กับไฟล์เกณฑ์ที่มีรหัส {was} (officestar rubric --rubric ไฟล์ แสดงรหัสเกณฑ์) "
        "หรือถ้าตั้งใจเปลี่ยนเกณฑ์ ให้ใช้ --store ไฟล์ใหม่ แล้วนำเข้าแบบประเมินที่สร้างจากเกณฑ์ใหม่",
        f"Round {round_value} was recorded under another rubric: the store holds fingerprint {was}, "
        f"the rubric in use is {now}; {what_en}. Pass the rubric whose fingerprint is {was} "
        "with --rubric (officestar rubric --rubric FILE shows a file's fingerprint), or, if the rubric "
        "really changed, start a new store with --store and import workbooks made from the new rubric",
    )
