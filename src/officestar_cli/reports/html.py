"""The round's HTML page and each office's feedback page: one self-contained, escaped file each.

Inline CSS and SVG drawn by ``reports.svg``; no script, no link to anything
outside the file, no web font (a Thai font stack the reader's machine has).
Numbers are the text the other reports print (``wording.num``).
"""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from officestar_cli.reports import svg
from officestar_cli.reports import wording as w
from officestar_cli.reports.feedback import Feedback
from officestar_cli.reports.text import safe_text
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult

if TYPE_CHECKING:
    from jinja2 import Environment


def environment() -> Environment:
    import jinja2

    from officestar_cli.reports.markdown import template_source

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(template_source),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _member_totals(office: OfficeResult) -> list[Fraction]:
    return [m.total() for m in office.scored]


def bands(result: RoundResult, lang: str) -> list[tuple[Fraction, str]]:
    return [(Fraction(t.min), t.title(lang)) for t in result.rubric.tiers]


def round_page(result: RoundResult, *, lang: str, date: dt.date, provisional: bool) -> str:
    rubric = result.rubric
    precision = rubric.precision
    t = functools.partial(w.tr, lang)
    rows = []
    bars = []
    for office in result.offices:
        totals = _member_totals(office)
        low = min(totals) if totals else None
        high = max(totals) if totals else None
        value = Fraction(office.shown) if office.shown is not None and office.complete else None
        caption = w.num(office.shown, precision) if value is not None else t("ไม่จัดอันดับ", "not ranked")
        bars.append(svg.Bar(office.office.title(lang), value, low, high, caption))
        rows.append({
            "rank": office.rank if office.rank is not None else w.DASH,
            "office": office.office.title(lang),
            "total": w.num(office.shown, precision) if value is not None else w.DASH,
            "tier": office.tier.title(lang) if office.tier else (
                t("ไม่ผ่านเกณฑ์", "no tier") if value is not None else w.DASH),
            "low": w.num(low, precision),
            "high": w.num(high, precision),
            "members": len(office.scored),
            "missing": w.names(office.missing),
        })
    members = result.members
    columns = [o.office.title(lang) for o in result.offices]
    cells: dict[tuple[int, int], tuple[Fraction, str]] = {}
    deviations: list[dict[str, Any]] = []
    for j, office in enumerate(result.offices):
        if office.total is None:
            continue
        for member in office.scored:
            i = members.index(member.member) if member.member in members else None
            if i is None:
                continue
            delta = member.total() - office.total
            cells[(i, j)] = (delta, w.num(delta, precision))
    for i, name in enumerate(members):
        deviations.append({
            "member": name,
            "values": [cells[(i, j)][1] if (i, j) in cells else w.DASH for j in range(len(columns))],
        })
    title = rubric.title(lang)
    context: dict[str, Any] = {
        "lang": lang,
        "title": title,
        "heading": t(f"ผลการประเมิน ปีงบประมาณ พ.ศ. {result.fiscal_year} รอบที่ {result.round}",
                     f"Results, fiscal year {result.fiscal_year}, round {result.round}"),
        "date": w.report_date(date, lang),
        "method": w.method_text(result.method, lang),
        "provisional": provisional,
        "provisional_reason": w.provisional_reason(result, lang),
        "committee_line": w.committee_line(result, lang),
        "bars_title": t("คะแนนรวมของแต่ละหน่วยงาน แถบสีคือช่วงระดับ เส้นคือช่วงต่ำสุด–สูงสุดของคะแนนกรรมการ",
                        "Each office's total; shaded bands are the tiers, whiskers the lowest to highest "
                        "member total"),
        "bars": svg.bar_chart(bars, Fraction(rubric.total), bands(result, lang), title),
        "ranking": rows,
        "heat_title": t("คะแนนรวมของกรรมการแต่ละคนเทียบกับคะแนนของหน่วยงาน (บวก = ให้สูงกว่า, ลบ = ต่ำกว่า)",
                        "Each member's total minus the office's total (positive: more lenient; negative: "
                        "harsher)"),
        "heatmap": svg.heatmap(members, columns, cells, title),
        "offices": columns,
        "deviations": deviations,
        "labels": {
            "rank": t("อันดับ", "Rank"), "office": t("หน่วยงาน", "Office"), "total": t("คะแนนรวม", "Total"),
            "tier": t("ระดับ", "Tier"), "low": t("ต่ำสุด", "Lowest"), "high": t("สูงสุด", "Highest"),
            "members": t("กรรมการ", "Members"), "missing": t("ยังไม่ประเมิน", "Missing"),
            "member": t("กรรมการ", "Member"), "method": t("วิธีรวมคะแนน", "Method"),
            "date": t("วันที่", "Date"), "provisional": t("ผลเบื้องต้น", "PROVISIONAL"),
            "table": t("ตารางข้อมูล", "Data table"),
        },
    }
    return safe_text(environment().get_template("report.html.j2").render(context))


def feedback_page(feedback: Feedback, result: RoundResult, *, lang: str, date: dt.date) -> str:
    context = feedback_context(feedback, result, lang=lang, date=date)
    return safe_text(environment().get_template("feedback.html.j2").render(context))


def feedback_context(feedback: Feedback, result: RoundResult, *, lang: str, date: dt.date) -> dict[str, Any]:
    """What a feedback report says, as text: the HTML and the Markdown print the same."""
    rubric = result.rubric
    precision = rubric.precision
    t = functools.partial(w.tr, lang)
    office = feedback.office

    def pct(value: Fraction | None) -> str:
        return w.DASH if value is None else w.num(value * 100, precision) + "%"

    lines = [
        {
            "id": line.criterion.id,
            "criterion": line.criterion.title(lang),
            "max": w.plain(line.criterion.max),
            "score": w.num(line.score, precision),
            "share": pct(line.share),
            "median": pct(line.median_share),
            "gap": w.DASH if line.gap is None else w.num(line.gap * 100, precision),
        }
        for line in feedback.lines
    ]
    status = (
        t(f"อันดับ {office.rank} จาก {feedback.offices} หน่วยงาน", f"Rank {office.rank} of {feedback.offices}")
        if office.rank is not None
        else t(f"ไม่จัดอันดับ: ประเมินยังไม่ครบ ยังขาดคะแนน {feedback.missing_scores} ช่อง",
               f"Not ranked: incomplete, {feedback.missing_scores} score(s) missing")
    )
    context: dict[str, Any] = {
        "lang": lang,
        "title": rubric.title(lang),
        "office": office.office.title(lang),
        "heading": t(f"ผลการประเมินของ{office.office.title(lang)} ปีงบประมาณ พ.ศ. {result.fiscal_year} "
                     f"รอบที่ {result.round}",
                     f"{office.office.title(lang)}: results, fiscal year {result.fiscal_year}, round {result.round}"),
        "date": w.report_date(date, lang),
        "total": w.num(office.shown, precision) if office.complete else w.DASH,
        "total_max": w.plain(rubric.total),
        "tier": office.tier.title(lang) if office.tier else (
            t("ไม่ผ่านเกณฑ์", "no tier") if office.complete else w.DASH),
        "status": status,
        "lines": lines,
        "strengths": [ln.criterion.id + " " + ln.criterion.title(lang) for ln in feedback.strengths],
        "weaknesses": [ln.criterion.id + " " + ln.criterion.title(lang) for ln in feedback.weaknesses],
        "notes": [{"member": t(f"กรรมการ {n.heading}", f"Member {n.heading}"), "criterion": n.criterion_id,
                   "text": n.text} for n in feedback.notes],
        "profile_title": t("สัดส่วนคะแนนที่ได้ต่อคะแนนเต็มของแต่ละเกณฑ์ (แถบ) เทียบค่ากลางของทุกหน่วยงาน (ขีดแดง)",
                           "Share of each criterion's maximum (bars) beside the median of all offices (red tick)"),
        "profile": svg.profile(
            [ln.criterion.id + " " + ln.criterion.title(lang) for ln in feedback.lines],
            [ln.share for ln in feedback.lines], [ln.median_share for ln in feedback.lines],
            office.office.title(lang),
        ),
        "labels": {
            "criterion": t("เกณฑ์", "Criterion"), "max": t("คะแนนเต็ม", "Maximum"),
            "score": t("คะแนน", "Score"), "share": t("ร้อยละของคะแนนเต็ม", "Share of maximum"),
            "median": t("ค่ากลางทุกหน่วยงาน", "Median of all offices"),
            "gap": t("ส่วนต่าง (จุดร้อยละ)", "Gap (points of %)"),
            "strengths": t("จุดแข็ง", "Strengths"), "weaknesses": t("จุดที่ควรพัฒนา", "To improve"),
            "notes": t("ข้อสังเกตของกรรมการ", "The committee's notes"), "total": t("คะแนนรวม", "Total"),
            "tier": t("ระดับ", "Tier"), "date": t("วันที่", "Date"), "table": t("ตารางข้อมูล", "Data table"),
            "none": t("ไม่มี", "None"),
        },
    }
    return context
