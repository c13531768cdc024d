"""The ``officestar compare --json`` object (docs/commands.md); keys are never translated."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from officestar_cli.base.decimals import plain
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult
from officestar_cli.scoring.compare import Comparison, Move
from officestar_cli.scoring.exact import fmt


def delta_text(value: Decimal | None, precision: int) -> str | None:
    """A delta at ``precision`` decimals (exact: both sides have at most that many); never ``-0.00``."""
    if value is None:
        return None
    return fmt(value.quantize(Decimal(1).scaleb(-precision)) + 0, precision)


def standing(result: OfficeResult | None, precision: int) -> dict[str, Any] | None:
    """An office in one round, as ``rank --json`` shows it (no total without a complete office)."""
    if result is None:
        return None
    complete = result.complete and result.shown is not None
    return {
        "total": fmt(result.shown, precision) if complete and result.shown is not None else None,
        "tier": result.tier.th if result.tier is not None else None,
        "rank": result.rank,
        "complete": result.complete,
    }


def _round(result: RoundResult) -> dict[str, Any]:
    return {
        "fiscal_year": result.fiscal_year,
        "round": result.round,
        "provisional": not result.complete,
        "total_max": plain(result.rubric.total),
        "precision": result.rubric.precision,
    }


def move_as_json(move: Move, comparison: Comparison, lang: str) -> dict[str, Any]:
    precision = comparison.precision
    return {
        "office_id": move.office_id,
        "office": move.name_th,
        "status": move.status,
        "from": standing(move.earlier, comparison.earlier.rubric.precision),
        "to": standing(move.later, comparison.later.rubric.precision),
        "delta_total": delta_text(move.delta_total, precision),
        "delta_rank": move.delta_rank,
        "tier_move": move.tier_move("th"),
        "within_noise": move.within_noise,
        "dimensions": {key: delta_text(value, precision) for key, value in move.dimensions.items()},
        "criteria": {key: delta_text(value, precision) for key, value in move.criteria.items()},
    }


def comparison_as_json(comparison: Comparison, lang: str) -> dict[str, Any]:
    noise = comparison.noise
    reasons: dict[str, str] = {}
    if noise.reason is not None:
        reasons["mdc95"] = noise.reason[1] if lang == "en" else noise.reason[0]
    return {
        "from": _round(comparison.earlier),
        "to": _round(comparison.later),
        "basis": comparison.basis,
        "mdc95": None if noise.mdc95 is None else f"{noise.mdc95:.4f}",
        "reasons": reasons,
        "dimensions": comparison.dimensions,
        "criteria": comparison.criteria,
        "offices": [move_as_json(m, comparison, lang) for m in comparison.moves],
        "not_compared": [
            {"kind": n.kind, "id": n.id, "from_max": None if n.earlier is None else plain(n.earlier),
             "to_max": None if n.later is None else plain(n.later), "reason": n.reason(lang)}
            for n in comparison.not_compared
        ],
    }


__all__ = ["comparison_as_json", "delta_text", "move_as_json", "standing"]
