"""The rubric as JSON data, as ``officestar rubric --json`` prints it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from officestar_cli.base.decimals import plain
from officestar_cli.rubric.model import Rubric


def rubric_as_json(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain JSON data (numbers as strings: they are exact decimals)."""
    return {
        "source": rubric.source,
        "fingerprint": rubric.fingerprint,
        "contest": {
            "name": rubric.contest.name,
            "th": rubric.contest.th,
            "en": rubric.contest.en,
        },
        "fiscal_year": rubric.fiscal_year,
        "round": rubric.round,
        "total": plain(rubric.total),
        "precision": rubric.precision,
        "aggregation": rubric.aggregation,
        "quorum": rubric.quorum,
        "kpi_target": plain(rubric.kpi_target),
        "tie_break": list(rubric.tie_break),
        "outlier_share": plain(rubric.outlier_share),
        "outlier_steps": rubric.outlier_steps,
        "tiers": [{"th": t.th, "en": t.en, "min": plain(t.min)} for t in rubric.tiers],
        "no_tier": {"th": rubric.no_tier.th, "en": rubric.no_tier.en},
        "dimensions": [
            {
                "id": d.id,
                "th": d.th,
                "en": d.en,
                "max": plain(d.max),
                "criteria_sum": plain(sum((c.max for c in d.criteria), Decimal(0))),
                "criteria": [
                    {"id": c.id, "th": c.th, "en": c.en, "max": plain(c.max), "detail": list(c.detail)}
                    for c in d.criteria
                ],
            }
            for d in rubric.dimensions
        ],
        "offices": [
            {"id": o.id, "th": o.th, "en": o.en, "staff": o.staff, "zone": o.zone} for o in rubric.offices
        ],
        "zones": [{"id": z.id, "th": z.th, "en": z.en} for z in rubric.zones],
        "committee": [
            {"name": m.name, "zones": list(m.zones), "offices": list(m.offices)} for m in rubric.committee
        ],
    }
