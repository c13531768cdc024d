"""Why a figure is not computed, in Thai and English, and the floors of members and offices (docs/agreement.md)."""

from __future__ import annotations

from dataclasses import dataclass

MIN_MEMBERS = 3  # two members cannot tell a disagreement from an outlier (docs/agreement.md)
MIN_OFFICES = 3
STATS_MISSING = ("ช่วงความเชื่อมั่นต้องติดตั้ง officestar[stats]",
                 "Confidence intervals need officestar[stats] installed")


@dataclass(frozen=True)
class Reason:
    """Why a figure is not computed, in Thai and English."""

    code: str
    th: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.th


def few_members(k: int) -> Reason:
    return Reason("few-members", f"กรรมการที่ให้คะแนนครบมี {k} คน ต้องมีอย่างน้อย {MIN_MEMBERS} คน",
                  f"{k} member(s) scored every office used; at least {MIN_MEMBERS} are needed")


def few_offices(n: int) -> Reason:
    return Reason("few-offices", f"หน่วยงานที่ประเมินครบมี {n} แห่ง ต้องมีอย่างน้อย {MIN_OFFICES} แห่ง",
                  f"{n} office(s) were scored completely; at least {MIN_OFFICES} are needed")


NO_VARIANCE = Reason("no-variance", "คะแนนไม่แปรผันพอจะคำนวณได้ (ตัวหารเป็นศูนย์)",
                     "the scores do not vary enough to compute it (the denominator is zero)")
ALL_EQUAL = Reason("all-equal", "คะแนนทุกค่าเท่ากัน", "every score is equal")
NO_ICC = Reason("no-icc", "ไม่มีค่า ICC(A,k)", "ICC(A,k) is not computed")
ICC_ABOVE_ONE = Reason(
    "icc-above-one", "ICC(A,k) เกิน 1 เพราะหน่วยงานต่างกันน้อยกว่าที่กรรมการเห็นต่างกัน จึงไม่มีค่า SEM",
    "ICC(A,k) is above 1 (the offices differ less than the members disagree), so there is no SEM")
FEW_VALUES = Reason("few-values", "มีคะแนนที่จับคู่ได้ไม่พอ", "too few scores can be paired")
