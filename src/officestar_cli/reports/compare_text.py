"""What the compare reports say, as text: the Excel, the Markdown and the HTML print the same.

Deltas carry their sign (``+1.25``); ranks move up with a positive delta (docs/commands.md,
``compare``). Numbers are exact until shown: totals at their round's precision, deltas at the
finer of the two.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from officestar_cli.reports import wording as w
from officestar_cli.reports.compare_json import delta_text
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult
from officestar_cli.scoring.compare import ABSENT, NEW, Comparison, Move, tier_name
from officestar_cli.scoring.exact import fmt

WITHIN_NOISE = ("อยู่ในช่วงคลาดเคลื่อน", "within noise")


def signed(value: Decimal | None, precision: int) -> str:
    text = delta_text(value, precision)
    if text is None:
        return w.DASH
    return text if text.startswith("-") or Decimal(text) == 0 else "+" + text


def rank_move(value: int | None) -> str:
    return w.DASH if value is None else f"+{value}" if value > 0 else str(value)


def round_name(result: RoundResult, lang: str) -> str:
    return w.tr(lang, f"ปีงบประมาณ {result.fiscal_year} รอบที่ {result.round}",
                f"FY {result.fiscal_year} round {result.round}")


@dataclass
class CompareText:
    title: str
    heading: str
    date: str
    notes: list[str]
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # which columns are numbers (aligned right)
    parts: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)  # dimensions, criteria
    not_compared: list[list[str]] = field(default_factory=list)
    not_compared_headers: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def _total(result: OfficeResult | None, precision: int) -> str:
    if result is None or not result.complete or result.shown is None:
        return w.DASH
    return fmt(result.shown, precision)


def _tier(result: OfficeResult | None, lang: str) -> str:
    if result is None or not result.complete or result.shown is None:
        return w.DASH
    return tier_name(result.tier, lang)


def status_text(move: Move, lang: str) -> str:
    if move.status == NEW:
        return w.tr(lang, "ใหม่ (มีเฉพาะรอบหลัง)", "new (later round only)")
    if move.status == ABSENT:
        return w.tr(lang, "ไม่อยู่ในรอบหลัง", "absent from the later round")
    if not (move.earlier and move.earlier.complete) or not (move.later and move.later.complete):
        return w.tr(lang, "ประเมินไม่ครบ", "incomplete")
    return ""  # in both rounds, complete in both: the usual case says nothing


def noise_text(move: Move, lang: str) -> str:
    if move.within_noise:
        return w.tr(lang, *WITHIN_NOISE)
    return w.DASH if move.within_noise is None else ""


def noise_line(comparison: Comparison, lang: str) -> str:
    noise = comparison.noise
    later = round_name(comparison.later, lang)
    if noise.mdc95 is None:
        reason = noise.reason or ("", "")
        return w.tr(lang, f"ไม่มีค่า MDC95 ของ{later} จึงไม่ระบุว่าหน่วยงานใดอยู่ในช่วงคลาดเคลื่อน: {reason[0]}",
                    f"{later} has no MDC95, so no office is labelled within noise: {reason[1]}")
    return w.tr(lang, f"MDC95 ของ{later} = {noise.mdc95:.4f} คะแนน: คะแนนรวมที่เปลี่ยนน้อยกว่านี้"
                      f" \"{WITHIN_NOISE[0]}\" (อาจเป็นเพียงความคลาดเคลื่อนของการให้คะแนน)",
                f"MDC95 of {later} = {noise.mdc95:.4f} points: a total that changed by less is "
                f"\"{WITHIN_NOISE[1]}\" (it may be only the scoring's error)")


def basis_line(comparison: Comparison, lang: str) -> str | None:
    if comparison.basis != "share":
        return None
    before, after = w.plain(comparison.earlier.rubric.total), w.plain(comparison.later.rubric.total)
    return w.tr(lang, f"คะแนนเต็มของสองรอบต่างกัน ({before} และ {after}) จึงเทียบคะแนนรวมเป็นสัดส่วน: "
                      f"คะแนนของรอบก่อนปรับเป็นคะแนนเต็ม {after} ก่อนหักลบ",
                f"The two rounds' maxima differ ({before} and {after}), so totals are compared as a share: "
                f"the earlier total is rescaled to a maximum of {after} first")


def compare_text(comparison: Comparison, lang: str, date: dt.date) -> CompareText:
    t = functools.partial(w.tr, lang)
    before, after = comparison.earlier, comparison.later
    precision = comparison.precision
    early_p, late_p = before.rubric.precision, after.rubric.precision
    notes = [noise_line(comparison, lang), t("อันดับที่เปลี่ยน: บวก = ขึ้น ลบ = ลง", "Rank change: positive = up")]
    basis = basis_line(comparison, lang)
    if basis:
        notes.insert(0, basis)
    for result in (before, after):
        if not result.complete:
            notes.append(t(f"{round_name(result, lang)} ยังเป็นผลเบื้องต้น (ประเมินไม่ครบ)",
                           f"{round_name(result, lang)} is provisional (not every office is complete)"))
    a, b = round_name(before, lang), round_name(after, lang)
    short_a, short_b = f"{before.fiscal_year}/{before.round}", f"{after.fiscal_year}/{after.round}"
    headers = [t("รหัส", "ID"), t("หน่วยงาน", "Office"), t("สถานะ", "Status"),
               t(f"คะแนน {short_a}", f"Total {short_a}"), t("ระดับ", "Tier"), t("อันดับ", "Rank"),
               t(f"คะแนน {short_b}", f"Total {short_b}"), t("ระดับ", "Tier"), t("อันดับ", "Rank"),
               t("คะแนนเปลี่ยน", "Δ total"), t("อันดับเปลี่ยน", "Δ rank"), t("ระดับที่เปลี่ยน", "Tier move"),
               t("ช่วงคลาดเคลื่อน", "Noise")]
    rows = [
        [m.office_id, m.name(lang), status_text(m, lang),
         _total(m.earlier, early_p), _tier(m.earlier, lang), w.DASH if m.earlier is None or m.earlier.rank is None
         else str(m.earlier.rank),
         _total(m.later, late_p), _tier(m.later, lang), w.DASH if m.later is None or m.later.rank is None
         else str(m.later.rank),
         signed(m.delta_total, precision), rank_move(m.delta_rank), m.tier_move(lang) or "", noise_text(m, lang)]
        for m in comparison.moves
    ]
    numeric = [False, False, False, True, False, True, True, False, True, True, True, False, False]
    parts = []
    for kind, ids, rubric in (("dimensions", comparison.dimensions, after.rubric),
                              ("criteria", comparison.criteria, after.rubric)):
        if not ids:
            continue
        names = {d.id: d for d in rubric.dimensions} if kind == "dimensions" else rubric.criterion_by_id
        title = t("คะแนนที่เปลี่ยนรายด้าน", "Change by dimension") if kind == "dimensions" else t(
            "คะแนนที่เปลี่ยนรายข้อ", "Change by criterion")
        columns = [t("หน่วยงาน", "Office"), *(f"{key} {names[key].title(lang)}" for key in ids)]
        table = [[m.name(lang), *(signed((m.dimensions if kind == "dimensions" else m.criteria).get(key), precision)
                                  for key in ids)]
                 for m in comparison.moves if m.delta_total is not None]
        parts.append((title, columns, table))
    not_compared = [[t("ด้าน", "Dimension") if n.kind == "dimension" else t("ข้อ", "Criterion"), n.id,
                     w.DASH if n.earlier is None else w.plain(n.earlier),
                     w.DASH if n.later is None else w.plain(n.later), n.reason(lang)]
                    for n in comparison.not_compared]
    return CompareText(
        title=after.rubric.title(lang),
        heading=t(f"การเปลี่ยนแปลงจาก{a} ถึง{b}", f"How the offices moved from {a} to {b}"),
        date=w.report_date(date, lang),
        notes=notes,
        headers=headers,
        rows=rows,
        numeric=numeric,
        parts=parts,
        not_compared=not_compared,
        not_compared_headers=[t("ประเภท", "Kind"), t("รหัส", "ID"), t(f"คะแนนเต็ม {a}", f"Maximum {a}"),
                              t(f"คะแนนเต็ม {b}", f"Maximum {b}"), t("เหตุผล", "Reason")],
        labels={"date": t("วันที่", "Date"), "not_compared": t("ที่เทียบไม่ได้", "Not compared"),
                "none": t("ไม่มี", "None"), "table": t("ตารางข้อมูล", "Data table"),
                "offices": t("ผลของแต่ละหน่วยงาน", "Each office"),
                "chart": t("คะแนนรวมของแต่ละหน่วยงาน รอบก่อน (ซ้าย) และรอบหลัง (ขวา): น้ำเงิน = ขึ้น แดง = ลง "
                           "เทา = อยู่ในช่วงคลาดเคลื่อน",
                           "Each office's total, earlier round (left) and later round (right): blue = up, red = "
                           "down, grey = within noise")},
    )


__all__ = ["WITHIN_NOISE", "CompareText", "compare_text", "noise_line", "rank_move", "round_name", "signed",
           "status_text"]
