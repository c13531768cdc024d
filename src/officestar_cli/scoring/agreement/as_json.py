"""The ``officestar agreement --json`` object (docs/commands.md)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from officestar_cli.scoring.aggregate import METHODS
from officestar_cli.scoring.agreement.decimals import four
from officestar_cli.scoring.agreement.figures import Figures, notes
from officestar_cli.scoring.agreement.round import RoundAgreement
from officestar_cli.scoring.agreement.sensitivity import Standing


def _figures_json(found: Figures, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "n_offices": found.n_offices,
        "n_members": found.n_members,
        "icc": {name: four(value) for name, value in found.icc.items()},
        "kendall_w": four(found.kendall_w),
        "kendall_w_tie_corrected": four(found.kendall_w_tie_corrected),
        "alpha_interval": four(found.alpha_interval),
        "sd": four(found.sd),
        "sem": four(found.sem),
        "mdc95": four(found.mdc95),
    }
    if found.ci is not None:
        data["ci"] = {name: [four(Fraction(lo)), four(Fraction(hi))] for name, (lo, hi) in found.ci.items()}
    if found.p is not None:
        data["p"] = {name: four(Fraction(value)) for name, value in found.p.items()}
    data["notes"] = [en if lang == "en" else th for th, en in notes(found)]
    return data


def _standing_json(standing: Standing | None) -> dict[str, Any] | None:
    if standing is None:
        return None
    return {
        "total": None if standing.total is None else format(standing.total, "f"),
        "tier": standing.tier,
        "rank": standing.rank,
    }


def agreement_as_json(found: RoundAgreement, lang: str) -> dict[str, Any]:
    """The ``officestar agreement --json`` object (docs/commands.md)."""
    reasons = {key: reason.text(lang) for key, reason in found.reasons.items()}
    for key, reason in found.total.reasons.items():
        reasons[f"total.{key}"] = reason.text(lang)
    for dimension_id, figures_of in found.dimensions.items():
        for key, reason in figures_of.reasons.items():
            reasons[f"dimensions.{dimension_id}.{key}"] = reason.text(lang)
    return {
        "round": found.round,
        "fiscal_year": found.fiscal_year,
        "n_members": found.total.n_members,
        "n_offices": found.total.n_offices,
        "members": found.members,
        "offices": found.offices,
        "total": _figures_json(found.total, lang),
        "dimensions": {key: _figures_json(value, lang) for key, value in found.dimensions.items()},
        "flags": [
            {
                "member": f.member,
                "file": f.file,
                "sheet": f.sheet,
                "cell": f.cell,
                "office_id": f.office_id,
                "criterion_id": f.criterion_id,
                "value": four(f.value),
                "others_median": four(f.others_median),
                "dixon_q": None if f.dixon_q is None else {
                    "q": four(f.dixon_q), "critical": four(f.dixon_critical), "outlier": f.dixon_outlier,
                },
            }
            for f in found.flags
        ],
        "outlier_threshold": {"share": four(found.threshold_share), "steps": found.threshold_steps},
        "members_summary": [
            {
                "member": m.member,
                "offices": m.offices,
                "leniency": four(m.leniency),
                "correlation": four(m.correlation),
                "flagged": m.flagged,
            }
            for m in found.members_summary
        ],
        "method_sensitivity": [
            {"office_id": s.office_id, **{method: _standing_json(s.by_method[method]) for method in METHODS}}
            for s in found.method_sensitivity
        ],
        "reasons": reasons,
        "sem": four(found.total.sem),
        "mdc95": four(found.total.mdc95),
    }
