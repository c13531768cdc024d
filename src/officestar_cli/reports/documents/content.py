"""What the announcement and the certificates say, taken from the round and the rubric.

Both writers (PDF and docx) set the same ``Announcement`` and ``Certificates``,
so the two files of a document always say the same thing (docs/documents.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from officestar_cli.base.dates import THAI_MONTHS
from officestar_cli.base.decimals import plain
from officestar_cli.base.errors import OfficestarError
from officestar_cli.rubric.model import Rubric, Signatory, Tier
from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.scoring.exact import fmt

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ROLE_TH = {"chair": "ประธานกรรมการ", "member": "กรรมการ", "approver": "ผู้อนุมัติ"}
_ROLE_ORDER = {"chair": 0, "member": 1, "approver": 2}
DRAFT_MARK = "ร่าง"


def thai_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def date_th(day: dt.date) -> str:
    """30 สิงหาคม พ.ศ. 2567: how an official document writes its date."""
    return f"{day.day}\u00a0{THAI_MONTHS[day.month - 1]} พ.ศ.\u00a0{day.year + 543}"


def parse_tier(value: str, rubric: Rubric) -> Tier:
    """A tier by its Thai or English name or its position (1 = highest)."""
    wanted = value.strip()
    for position, tier in enumerate(rubric.tiers, start=1):
        if wanted in (tier.th, str(position)) or wanted.casefold() == tier.en.casefold():
            return tier
    choices = ", ".join(f"{i} = {t.th} ({t.en})" for i, t in enumerate(rubric.tiers, start=1))
    raise OfficestarError(
        f"ไม่มีระดับ {value!r} ในเกณฑ์ ใช้ชื่อระดับหรือลำดับ: {choices}",
        f"No tier {value!r} in the rubric; use a tier's name or position: {choices}",
    )


def provisional_reason(result: RoundResult) -> str | None:
    """Why the round cannot be announced yet (Thai), or None when it is final."""
    waiting = [o for o in result.offices if not o.complete]
    absent = result.not_returned
    if not waiting and not absent:
        return None
    parts = []
    for office in waiting:
        missing = ", ".join(office.missing) if office.missing else "ยังไม่มีผู้ประเมิน"
        parts.append(f"{office.office.th} (ขาด {missing})")
    reason = "ผลรอบนี้ยังเป็นผลชั่วคราว"
    if absent:
        reason += " กรรมการยังไม่ส่งแบบประเมิน: " + ", ".join(absent)
    if parts:
        reason += " หน่วยงานที่ประเมินยังไม่ครบ: " + "; ".join(parts)
    return reason


@dataclass(frozen=True)
class Signer:
    name: str
    position: str  # "" leaves a line to write the position on
    role: str


def signers(result: RoundResult) -> list[Signer]:
    """The rubric's signatories (chair, members, approver), else the committee, else the round's members."""
    rubric = result.rubric
    listed: tuple[Signatory, ...] = rubric.signatories
    if listed:
        ordered = sorted(enumerate(listed), key=lambda item: (_ROLE_ORDER.get(item[1].role, 1), item[0]))
        return [Signer(s.name, s.position, s.role) for _, s in ordered]
    names = [m.name for m in rubric.committee] or result.members
    return [Signer(name, "", "member") for name in names]


@dataclass(frozen=True)
class Honoured:
    rank: int
    office: str
    office_id: str
    total: str
    tier: Tier


@dataclass(frozen=True)
class Document:
    """What both documents share: who, which contest and round, when, who signs."""

    organiser: str
    contest: str
    fiscal_year: str
    round: str
    date: str
    signers: list[Signer]
    honoured: list[Honoured]
    tiers: list[Tier]
    font: str  # named in the docx; the PDF uses the font found (fonts.py)
    size: float
    draft: bool

    def by_tier(self) -> list[tuple[Tier, Tier | None, list[Honoured]]]:
        """Each tier (highest first), the tier above it, and its offices in rank order."""
        return [
            (tier, self.tiers[i - 1] if i else None, [h for h in self.honoured if h.tier == tier])
            for i, tier in enumerate(self.tiers)
        ]


DEFAULT_FONT = "TH SarabunPSK"


def build_document(
    result: RoundResult, day: dt.date, *, draft: bool, digits: bool, min_tier: Tier | None = None,
) -> Document:
    rubric = result.rubric
    numbers = thai_digits if digits else str
    tiers = list(rubric.tiers)
    if min_tier is not None:
        tiers = tiers[: tiers.index(min_tier) + 1]
    honoured = [
        Honoured(o.rank, o.office.th, o.office.id, numbers(fmt(o.shown, rubric.precision)), o.tier)
        for o in result.offices
        if o.complete and o.tier is not None and o.tier in tiers and o.rank is not None and o.shown is not None
    ]
    honoured.sort(key=lambda h: (h.rank, rubric.offices.index(rubric.office_by_id[h.office_id])))
    return Document(
        organiser=rubric.contest.organiser_th,
        contest=rubric.contest.th,
        fiscal_year=numbers(str(result.fiscal_year)),
        round=numbers(str(result.round)),
        date=numbers(date_th(day)),
        signers=signers(result),
        honoured=honoured,
        tiers=tiers,
        font=rubric.documents.font or DEFAULT_FONT,
        size=float(rubric.documents.size),
        draft=draft,
    )


def subject(doc: Document) -> str:
    return f"เรื่อง ผลการประเมิน{doc.contest} ประจำปีงบประมาณ พ.ศ.\u00a0{doc.fiscal_year} รอบที่\u00a0{doc.round}"


def heading(doc: Document) -> str:
    return f"ประกาศ{doc.organiser}" if doc.organiser else "ประกาศ"


def opening(doc: Document, rubric: Rubric) -> str:
    """The rubric's ``documents.opening`` ({contest}, {fiscal_year}, {round}, {organiser} filled in), or the default."""
    text = rubric.documents.opening or (
        "ตามที่{organiser}ได้ดำเนิน{contest} ประจำปีงบประมาณ พ.ศ. {fiscal_year} "
        "เพื่อส่งเสริมให้หน่วยงานมีการบริหารจัดการที่ดี และยกย่องเชิดชูเกียรติหน่วยงานที่มีผลการดำเนินงานดีเด่น นั้น "
        "บัดนี้ คณะกรรมการได้ประเมินผลรอบที่ {round} เสร็จเรียบร้อยแล้ว จึงประกาศผลการประเมิน ดังนี้"
    )
    return _fill(text, doc)


def certificate_line(doc: Document, rubric: Rubric) -> str:
    text = rubric.documents.certificate or (
        "ในการประเมิน{contest} ประจำปีงบประมาณ พ.ศ.\u00a0{fiscal_year} รอบที่\u00a0{round}"
    )
    return _fill(text, doc)


def _fill(text: str, doc: Document) -> str:
    values = {
        "{organiser}": doc.organiser or "หน่วยงาน", "{contest}": doc.contest,
        "{fiscal_year}": doc.fiscal_year, "{round}": doc.round,
    }
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def tier_heading(tier: Tier, higher: Tier | None, count: int, digits: bool) -> str:
    """ระดับดีมาก (70 ถึงต่ำกว่า 80 คะแนน) จำนวน 4 หน่วยงาน."""
    numbers = thai_digits if digits else str
    low = numbers(plain(tier.min))
    band = f"{low} คะแนนขึ้นไป"
    if higher is not None:
        band = f"{low} ถึงต่ำกว่า {numbers(plain(higher.min))} คะแนน"
    return f"ระดับ{tier.th} ({band}) จำนวน {numbers(str(count))} หน่วยงาน"


CLOSING = "จึงประกาศมาเพื่อทราบโดยทั่วกัน"
CERTIFY = "เกียรติบัตรนี้ให้ไว้เพื่อแสดงว่า"
