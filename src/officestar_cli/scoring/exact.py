"""Exact arithmetic helpers: scores are Fractions until they are shown."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from officestar_cli.base.decimals import plain


def shown(value: Fraction | Decimal | int, precision: int) -> Decimal:
    """Round half-up to ``precision`` decimals: the value as a report prints it."""
    if isinstance(value, Fraction):
        # Scale, round half-up on the exact rational, then scale back: no float anywhere.
        scaled = value * 10**precision
        whole, remainder = divmod(scaled.numerator, scaled.denominator)
        if 2 * remainder >= scaled.denominator:
            whole += 1
        # divmod floors, so for negatives this is half-up towards +inf; scores are never negative.
        return (Decimal(whole) / Decimal(10**precision)).quantize(Decimal(1).scaleb(-precision))
    return Decimal(value).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def fmt(value: Decimal, precision: int) -> str:
    """The shown value as text with exactly ``precision`` decimals."""
    return f"{value:.{precision}f}"


__all__ = ["fmt", "plain", "shown"]
