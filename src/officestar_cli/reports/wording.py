"""What the reports say, in Thai and English, shared by the workbook and the Markdown.

Every number leaves this module as text formatted by ``exact.fmt`` (half-up to
the rubric's precision), so both reports print the same digits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from officestar_cli.base.dates import thai_date
from officestar_cli.rubric.model import Dimension, Rubric
from officestar_cli.scoring.aggregate import TRIMMED_MIN_MEMBERS, OfficeResult, RoundResult
from officestar_cli.scoring.exact import fmt, shown
from officestar_cli.scoring.exact import plain as plain  # a rubric constant without trailing zeros

DASH = "—"


def tr(lang: str, th: str, en: str) -> str:
    return th if lang == "th" else en


def num(value: Fraction | Decimal | None, precision: int) -> str:
    """A value as printed: half-up to ``precision`` decimals; a dash when there is none."""
    return DASH if value is None else fmt(shown(value, precision), precision)


def names(items: list[str]) -> str:
    return ", ".join(items) if items else DASH


def signers(result: RoundResult) -> list[str]:
    """Who signs a report: the committee the rubric declares, else the round's members."""
    return [m.name for m in result.rubric.committee] or list(result.members)


SIGNATURE_LINE = "." * 40


def report_date(day: dt.date, lang: str) -> str:
    return thai_date(day, lang)


def imported(stamp: str, lang: str) -> str:
    """An import time from the store (ISO 8601) with a Buddhist-era date."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    offset = moment.utcoffset()
    zone = "UTC" if offset == dt.timedelta(0) else moment.strftime("%z")
    return f"{thai_date(moment.date(), lang)} {moment:%H:%M:%S} {zone}".rstrip()


def dimension_label(dimension: Dimension, lang: str) -> str:
    word = tr(lang, "ด้านที่", "Dimension")
    return f"{word} {dimension.id} {dimension.title(lang)} ({plain(dimension.max)})"


def heading(result: RoundResult, lang: str) -> str:
    """The report's title line: contest, fiscal year and round."""
    contest, year, round_no = result.rubric.title(lang), result.fiscal_year, result.round
    return tr(
        lang,
        f"ผลการประเมิน {contest} ปีงบประมาณ พ.ศ. {year} รอบที่ {round_no}",
        f"{contest} results, fiscal year {year} (BE), round {round_no}",
    )


# --------------------------------------------------------------------------- method and rounding


def method_text(method: str, lang: str) -> str:
    if method == "median":
        return tr(
            lang,
            "มัธยฐานของคะแนนรวมรายกรรมการ (median) ถ้าจำนวนกรรมการเป็นเลขคู่ ใช้ค่าเฉลี่ยของสองคนกลาง",
            "median of the member totals (median); with an even number of members, the mean of the middle two",
        )
    if method == "trimmed":
        return tr(
            lang,
            f"ตัดคะแนนรวมสูงสุดและต่ำสุดออกอย่างละ 1 คนแล้วเฉลี่ย (trimmed) เมื่อมีกรรมการให้คะแนน"
            f"อย่างน้อย {TRIMMED_MIN_MEMBERS} คน ถ้าน้อยกว่านั้นใช้ค่าเฉลี่ยของทุกคน",
            f"drop the highest and the lowest member total, then the mean (trimmed), when at least "
            f"{TRIMMED_MIN_MEMBERS} members scored the office; with fewer, the mean of all",
        )
    return tr(lang, "ค่าเฉลี่ยของกรรมการทุกคนที่ให้คะแนน (mean)", "mean of every member who scored (mean)")


def method_detail(lang: str) -> str:
    return tr(
        lang,
        "วิธีรวมคะแนนเลือกกรรมการที่นับจากคะแนนรวมรายคน คะแนนรายด้านและรายเกณฑ์เป็นค่าเฉลี่ยของกรรมการ"
        "ชุดเดียวกัน จึงรวมกันได้เท่าคะแนนรวม กรรมการที่คะแนนรวมเท่ากันเรียงตามชื่อ",
        "The method chooses the members that count by member total; every dimension and criterion "
        "value is the mean over those same members, so they add up to the total. Members with "
        "equal totals are ordered by name.",
    )


def rounding_text(rubric: Rubric, lang: str) -> str:
    places = rubric.precision
    return tr(
        lang,
        f"คำนวณแบบไม่มีการปัดเศษ แล้วปัดคะแนนรวมครึ่งขึ้นเป็นทศนิยม {places} ตำแหน่งครั้งเดียว ระดับและอันดับตัดสินจากค่าที่แสดงนี้",
        f"Exact arithmetic; the total is rounded half-up to {places} decimals once, and the tier "
        "and the rank are decided on that shown value.",
    )


def office_method(office: OfficeResult, lang: str) -> str:
    """What the method did for one office."""
    counted = office.counted
    chosen = set(counted)
    left_out = [m for m in office.scored_by if m not in chosen]
    note = office.method_note
    if not office.scored:
        return tr(lang, "ยังไม่มีผู้ให้คะแนน", "nobody scored this office")
    if note == "median":
        return tr(lang, f"มัธยฐาน: ใช้คะแนนของ {names(counted)}", f"median: the scores of {names(counted)}")
    if note == "median-pair":
        return tr(
            lang,
            f"มัธยฐาน: เฉลี่ยสองคนกลาง {names(counted)}",
            f"median: the mean of the middle two, {names(counted)}",
        )
    if note == "trimmed":
        return tr(
            lang,
            f"ตัดสูงสุดและต่ำสุด ({names(left_out)}) เฉลี่ยจากกรรมการ {len(counted)} คน",
            f"dropped the highest and the lowest ({names(left_out)}); mean of {len(counted)} members",
        )
    if note == "trimmed-fallback":
        return tr(
            lang,
            f"มีกรรมการ {len(counted)} คน น้อยกว่า {TRIMMED_MIN_MEMBERS} คน จึงใช้ค่าเฉลี่ยของทุกคนแทน",
            f"{len(counted)} members, fewer than {TRIMMED_MIN_MEMBERS}: the mean of all instead",
        )
    return tr(lang, f"เฉลี่ยจากกรรมการ {len(counted)} คน", f"mean of {len(counted)} members")


# --------------------------------------------------------------------------- ties


def tie_rule(rubric: Rubric, lang: str) -> str:
    if not rubric.tie_break:
        return tr(
            lang,
            "ไม่มีเกณฑ์ตัดสินเมื่อคะแนนเท่ากัน: หน่วยงานที่คะแนนรวมเท่ากันได้อันดับร่วมกัน และอันดับถัดไปข้ามไป (1, 2, 2, 4)",
            "No tie-break is declared: offices with equal totals share a rank and the next rank "
            "is skipped (1, 2, 2, 4)",
        )
    chain = ", ".join(_dimension_name(rubric, d, lang) for d in rubric.tie_break)
    return tr(
        lang,
        f"เมื่อคะแนนรวมเท่ากัน ตัดสินด้วยคะแนน{chain} ตามลำดับ ถ้ายังเท่ากันได้อันดับร่วมกัน (1, 2, 2, 4)",
        f"Equal totals are separated by {chain}, in that order; still equal, they share a rank (1, 2, 2, 4)",
    )


def _dimension_name(rubric: Rubric, dimension_id: str, lang: str) -> str:
    dimension = rubric.dimension_by_id[dimension_id]
    return f"{tr(lang, 'ด้านที่', 'dimension')} {dimension.id} ({dimension.title(lang)})"


def separated_by(office: OfficeResult, result: RoundResult) -> list[str]:
    """The tie-break dimensions needed to separate ``office`` from the offices it tied with."""
    return Ties(result).separated_by(office)


class Ties:
    """Tie texts for a whole round: each office against its neighbours, not against every office.

    The dimensions needed to separate an office from the ranked offices with
    the same shown total are one more than the longest run of equal tie-break
    values it shares with any of them; sorted by those values, the longest run
    is shared with a neighbour, so a round of 954 offices costs a sort.
    """

    def __init__(self, result: RoundResult) -> None:
        self.result = result
        rubric = result.rubric
        chain = rubric.tie_break
        groups: dict[Decimal | None, list[tuple[tuple[Decimal, ...], int]]] = {}
        for office in result.offices:
            if office.rank is None or not chain:
                continue
            key = tuple(shown(office.dimensions[d], rubric.precision) for d in chain)
            groups.setdefault(office.shown, []).append((key, id(office)))
        self.depth: dict[int, int] = {}
        for group in groups.values():
            group.sort()
            for index, (key, office_id) in enumerate(group):
                shared = -1  # no other office with this total
                for other in (index - 1, index + 1):
                    if 0 <= other < len(group):
                        shared = max(shared, _common(key, group[other][0]))
                self.depth[office_id] = 0 if shared < 0 else min(shared + 1, len(chain))

    def separated_by(self, office: OfficeResult) -> list[str]:
        return list(self.result.rubric.tie_break[: self.depth.get(id(office), 0)])

    def text(self, office: OfficeResult, lang: str) -> str:
        """Which rule settled, or left standing, this office's tie on the shown total."""
        if office.tie == "shared":
            return tr(lang, "คะแนนรวมเท่ากัน ได้อันดับร่วม", "equal total: shared rank")
        if office.tie == "settled":
            rules = ", ".join(_dimension_name(self.result.rubric, d, lang) for d in self.separated_by(office))
            return tr(lang, f"คะแนนรวมเท่ากัน ตัดสินด้วย{rules}", f"equal total: settled by {rules}")
        if office.tie == "unsettled":
            return tr(
                lang,
                "คะแนนรวมเท่ากันและเท่ากันทุกเกณฑ์ตัดสิน ได้อันดับร่วม",
                "equal total and equal on every tie-break: shared rank",
            )
        return ""


def _common(one: tuple[Decimal, ...], other: tuple[Decimal, ...]) -> int:
    """How many leading values two tie-break keys share."""
    count = 0
    for mine, theirs in zip(one, other, strict=True):
        if mine != theirs:
            break
        count += 1
    return count


# --------------------------------------------------------------------------- status and tiers


def rank_text(office: OfficeResult) -> str:
    """The overall rank as every view prints it: offices that share a rank print the same number."""
    return DASH if office.rank is None else str(office.rank)


def zone_rank_text(office: OfficeResult) -> str:
    """The rank within the office's zone, printed as ``rank_text`` prints the overall rank."""
    return DASH if office.zone_rank is None else str(office.zone_rank)


def tier_text(office: OfficeResult, rubric: Rubric, lang: str) -> str:
    if office.tier is not None:
        return office.tier.title(lang)
    if office.complete:
        return rubric.no_tier.title(lang)
    return tr(lang, "ไม่จัดอันดับ (ประเมินไม่ครบ)", "not ranked (incomplete)")


def status_text(office: OfficeResult, lang: str) -> str:
    if office.complete and office.quorum_reached:
        return tr(lang, f"ครบองค์ประชุม (ขาด {names(office.missing)})",
                  f"quorum reached (absent: {names(office.missing)})")
    if office.complete:
        return tr(lang, "ครบ", "complete")
    if not office.assigned:
        return tr(lang, "ไม่ครบ: ไม่มีกรรมการที่ได้รับมอบหมาย", "incomplete: no member assigned")
    if not office.missing:
        return tr(lang, "ไม่ครบ: จำนวนผู้ประเมินไม่ถึงองค์ประชุม", "incomplete: below the quorum")
    return tr(lang, f"ไม่ครบ: ขาด {names(office.missing)}", f"incomplete: missing {names(office.missing)}")


def tier_index(office: OfficeResult, rubric: Rubric) -> int | None:
    """Position of the office's tier in the rubric (0 = highest), None for no tier."""
    if office.tier is None:
        return None
    return rubric.tiers.index(office.tier)


def provisional_reason(result: RoundResult, lang: str) -> str:
    incomplete = sum(1 for o in result.offices if not o.complete)
    absent = result.not_returned
    if absent:
        names = ", ".join(absent)
        return tr(
            lang,
            f"ยังไม่เป็นผลอย่างเป็นทางการ กรรมการยังไม่ส่งแบบประเมิน {len(absent)} คน ({names}) "
            f"มีหน่วยงานที่ประเมินไม่ครบ {incomplete} แห่ง",
            f"Not final: {len(absent)} expected member(s) have returned nothing ({names}); "
            f"{incomplete} office(s) incomplete",
        )
    if incomplete:
        return tr(
            lang,
            f"ยังไม่เป็นผลอย่างเป็นทางการ มีหน่วยงานที่ประเมินไม่ครบ {incomplete} แห่ง หรือมีไฟล์ที่ถูกปฏิเสธ",
            f"Not final: {incomplete} office(s) incomplete, or some files were rejected",
        )
    return tr(
        lang,
        "ยังไม่เป็นผลอย่างเป็นทางการ มีไฟล์ที่ถูกปฏิเสธในการนำเข้า แก้ไขแล้วนำเข้าใหม่",
        "Not final: some files were rejected on import; fix them and score again",
    )


def committee_line(result: RoundResult, lang: str) -> str:
    """One line on whom completeness is counted against, and the quorum rule when the rubric
    sets one (docs/design.md, "Expected members and quorum")."""
    if result.rubric.committee:
        line = tr(
            lang,
            f"คณะกรรมการตามเกณฑ์ {len(result.rubric.committee)} คน นับความครบถ้วนเทียบกับรายชื่อนี้",
            f"Committee declared in the rubric: {len(result.rubric.committee)} member(s); "
            "completeness is counted against it",
        )
    else:
        line = tr(
            lang,
            "เกณฑ์ไม่ได้ระบุคณะกรรมการ นับความครบถ้วนเทียบกับแบบประเมินที่ได้รับคืน",
            "The rubric declares no committee: completeness is counted against the workbooks received",
        )
    quorum = result.rubric.quorum
    if quorum is None:
        return line
    return line + tr(
        lang,
        f" · องค์ประชุม {quorum} คน: หน่วยงานครบเมื่อกรรมการให้คะแนนอย่างน้อย {quorum} คน "
        "(หรือทุกคนที่ได้รับมอบหมาย ถ้าน้อยกว่า)",
        f" · quorum {quorum}: an office is complete once {quorum} members have scored it "
        "(or every member assigned, if fewer)",
    )


def traceability(lang: str) -> str:
    return tr(
        lang,
        'ทุกตัวเลขในรายงานนี้ตรวจสอบย้อนกลับได้: แผ่นงาน "ที่มาของคะแนน" ในรายงาน Excel ระบุไฟล์ '
        "(พร้อม SHA-256) แผ่นงาน และเซลล์ ของคะแนนทุกช่องที่นำมาคำนวณ",
        'Every number in this report is traceable: the "Sources" sheet of the Excel report names '
        "the file (with its SHA-256), the sheet and the cell of every score used.",
    )


# --------------------------------------------------------------------------- KPI


@dataclass(frozen=True)
class Kpi:
    offices: int
    evaluated: int
    evaluated_pct: str
    evaluated_met: bool
    honoured: int
    honoured_pct: str
    honoured_met: bool
    target: str


def kpi(result: RoundResult) -> Kpi:
    rubric = result.rubric
    target = rubric.kpi_target
    evaluated = shown(result.evaluated_share * 100, rubric.precision)
    honoured = shown(result.honoured_share * 100, rubric.precision)
    return Kpi(
        offices=len(result.offices),
        evaluated=sum(1 for o in result.offices if o.complete),
        evaluated_pct=fmt(evaluated, rubric.precision),
        evaluated_met=evaluated >= target,
        honoured=sum(1 for o in result.offices if o.tier is not None),
        honoured_pct=fmt(honoured, rubric.precision),
        honoured_met=honoured >= target,
        target=plain(target),
    )


def met_text(met: bool, lang: str) -> str:
    return tr(lang, "บรรลุเป้าหมาย", "met") if met else tr(lang, "ยังไม่บรรลุเป้าหมาย", "not met")
