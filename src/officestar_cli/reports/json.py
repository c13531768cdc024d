"""A ranked round as JSON data (docs/design.md, "JSON shapes"); keys are never translated."""

from __future__ import annotations

from typing import Any

from officestar_cli.scoring.aggregate import OfficeResult, RoundResult
from officestar_cli.scoring.exact import fmt, shown


def office_as_json(result: OfficeResult, precision: int) -> dict[str, Any]:
    complete = result.complete and result.shown is not None
    return {
        "office": result.office.th,
        "office_id": result.office.id,
        "total": fmt(result.shown, precision) if complete and result.shown is not None else None,
        "tier": result.tier.th if result.tier is not None else None,
        "rank": result.rank,
        "zone": result.office.zone,
        "zone_rank": result.zone_rank,
        "members": len(result.scored),
        "scored_by": result.scored_by,
        "missing": result.missing,
        "complete": result.complete,
        "dimensions": {
            key: fmt(shown(value, precision), precision) for key, value in result.dimensions.items()
        }
        if complete
        else {},
    }


def round_as_json(result: RoundResult, *, provisional: bool) -> dict[str, Any]:
    precision = result.rubric.precision
    return {
        "round": result.round,
        "fiscal_year": result.fiscal_year,
        "method": result.method,
        "provisional": provisional,
        **({"not_returned": result.not_returned} if result.rubric.committee else {}),
        "offices": [office_as_json(o, precision) for o in result.offices],
        "files": [
            {
                "file": f.name,
                "sha256": f.sha256,
                "member": f.member,
                "workbook_id": f.workbook_id,
                "round": f.round,
                "status": "recorded",
                "supersedes": None,
                "errors": 0,
                "warnings": 0,
            }
            for f in result.files
        ],
        "issues": [],
    }
