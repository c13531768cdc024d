"""The ranked round as a pandas DataFrame, for analysts (``pip install officestar[analysis]``).

An edge of the tool, not its core: the numbers come from ``aggregate`` exactly as
the reports show them (Decimals rounded half-up), so a DataFrame never disagrees
with a signed report. pandas is imported here only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from officestar_cli.scoring.aggregate import RoundResult
from officestar_cli.scoring.exact import shown

if TYPE_CHECKING:
    import pandas


def offices_frame(result: RoundResult) -> pandas.DataFrame:
    """One row per office: rank, total and tier as shown, dimension values, coverage."""
    import pandas

    precision = result.rubric.precision
    rows: list[dict[str, Any]] = []
    for office in result.offices:
        row: dict[str, Any] = {
            "office_id": office.office.id,
            "office": office.office.th,
            "zone": office.office.zone,
            "rank": office.rank,
            "zone_rank": office.zone_rank,
            "total": office.shown if office.complete else None,
            "tier": office.tier.th if office.tier else None,
            "complete": office.complete,
            "members": len(office.scored),
            "missing": ", ".join(office.missing),
        }
        for dimension in result.rubric.dimensions:
            value = office.dimensions.get(dimension.id)
            row[f"dimension_{dimension.id}"] = (
                shown(value, precision) if value is not None and office.complete else None
            )
        rows.append(row)
    frame: pandas.DataFrame = pandas.DataFrame(rows).set_index("office_id")
    return frame
