"""The agreement section of the reports, as preformatted text (docs/agreement.md).

Both reports show the same figures as ``officestar agreement``, without the
confidence intervals: those depend on an optional extra, and a report must be
the same wherever it is made. The command prints them.
"""

from __future__ import annotations

from typing import Any

from officestar_cli.reports.wording import tr
from officestar_cli.scoring.aggregate import METHODS, RoundResult
from officestar_cli.scoring.agreement import ICC_NAMES, RoundAgreement, four, notes, round_agreement

DASH = "—"


_last: list[tuple[RoundResult, RoundAgreement]] = []  # both reports of one round compute it once


def agreement_of(result: RoundResult) -> RoundAgreement:
    """The round's agreement for a report: every figure, no interval."""
    if _last and _last[0][0] is result:
        return _last[0][1]
    found = round_agreement(result, intervals=False)
    _last[:] = [(result, found)]
    return found


def figure_rows(found: RoundAgreement) -> list[tuple[str, list[str]]]:
    """(figure, [total, dimension 1, ...]) with four decimals, a dash when not computed."""
    quantities = [found.total, *found.dimensions.values()]

    def shown(values: list[str | None]) -> list[str]:
        return [DASH if v is None else v for v in values]

    rows = [(name, shown([four(q.icc[name]) for q in quantities])) for name in ICC_NAMES]
    rows += [
        ("Kendall's W", shown([four(q.kendall_w) for q in quantities])),
        ("Kendall's W (ties)", shown([four(q.kendall_w_tie_corrected) for q in quantities])),
        ("Krippendorff's α", shown([four(q.alpha_interval) for q in quantities])),
        ("SEM", shown([four(q.sem) for q in quantities])),
        ("MDC95", shown([four(q.mdc95) for q in quantities])),
    ]
    return rows


def reason_lines(found: RoundAgreement, lang: str) -> list[str]:
    """One line per distinct reason a figure is not computed."""
    lines: list[str] = []
    groups = [("", found.total.reasons), *((f"{key} ", f.reasons) for key, f in found.dimensions.items())]
    seen: set[tuple[str, str]] = set()
    for _prefix, reasons in groups:
        for reason in reasons.values():
            key = (reason.code, reason.text(lang))
            if key not in seen:
                seen.add(key)
                lines.append(reason.text(lang))
    for name, reason in found.reasons.items():
        lines.append(f"{name}: {reason.text(lang)}")
    return lines


def agreement_context(result: RoundResult, lang: str) -> dict[str, Any]:
    """What the Markdown include ``agreement*.md.j2`` shows."""
    found = agreement_of(result)
    return {
        "design": tr(
            lang,
            f"กรรมการ {found.total.n_members} คน หน่วยงานที่ประเมินครบ {found.total.n_offices} แห่ง "
            "(ค่าของแต่ละด้านเป็นสัดส่วนของคะแนนเต็มด้านนั้น SEM และ MDC95 ของคะแนนรวมเป็นคะแนน)",
            f"{found.total.n_members} member(s), {found.total.n_offices} office(s) scored completely "
            "(dimensions are shares of their maximum; the total's SEM and MDC95 are in points)",
        ),
        "columns": [tr(lang, "คะแนนรวม", "Total"), *(tr(lang, f"ด้าน {d}", f"Dim. {d}") for d in found.dimensions)],
        "rows": [{"figure": name, "values": values} for name, values in figure_rows(found)],
        "notes": [tr(lang, th, en) for th, en in notes(found.total)],
        "reasons": reason_lines(found, lang),
        "flags": [
            {
                "member": f.member,
                "file": f.file,
                "where": f"{f.sheet or DASH}!{f.cell or DASH}",
                "office": f.office_id,
                "criterion": f.criterion_id,
                "value": four(f.value),
                "median": four(f.others_median),
                "dixon": DASH if f.dixon_q is None else f"{four(f.dixon_q)}"
                + (tr(lang, " (ผิดปกติ)", " (outlier)") if f.dixon_outlier else ""),
            }
            for f in found.flags
        ],
        "members": [
            {
                "member": m.member,
                "leniency": four(m.leniency) or DASH,
                "correlation": four(m.correlation) or DASH,
                "flagged": tr(lang, "ควรตรวจ", "check") if m.flagged else "",
            }
            for m in found.members_summary
        ],
        "methods": list(METHODS),
        "sensitivity": [
            {
                "office": result.rubric.office_by_id[s.office_id].title(lang),
                "values": [
                    DASH if s.by_method[m] is None else standing_text(s.by_method[m], lang) for m in METHODS
                ],
            }
            for s in found.method_sensitivity
        ],
    }


def standing_text(standing: Any, lang: str) -> str:
    total = DASH if standing.total is None else format(standing.total, "f")
    tier = standing.tier or tr(lang, "ไม่ได้ระดับ", "no tier")
    rank = DASH if standing.rank is None else str(standing.rank)
    return f"{total} · {tier} · #{rank}"


__all__ = ["agreement_context", "agreement_of", "figure_rows", "reason_lines", "standing_text"]
