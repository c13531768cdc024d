"""The figures with square roots, in ``decimal`` at 28 digits, and every figure's four-decimal display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

DIGITS = 28  # decimal precision of the figures with square roots


def four(value: Fraction | Decimal | None) -> str | None:
    """Four decimals, half-up (away from zero); ``None`` stays ``None``; never ``-0.0000``."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**4
        whole, remainder = divmod(scaled.numerator, scaled.denominator)
        if 2 * remainder >= scaled.denominator:
            whole += 1
        digits = str(whole).rjust(5, "0")
        sign = "-" if value < 0 and whole else ""
        return f"{sign}{digits[:-4]}.{digits[-4:]}"
    rounded = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:.4f}"


def decimal_context() -> Context:
    return Context(prec=DIGITS, rounding=ROUND_HALF_UP)


def decimal_of(value: Fraction) -> Decimal:
    context = decimal_context()
    return context.divide(Decimal(value.numerator), Decimal(value.denominator))


def sqrt_of(value: Fraction) -> Decimal:
    """The square root of an exact, non-negative value, at 28 digits."""
    if value < 0:
        raise ValueError("square root of a negative value")
    return decimal_context().sqrt(decimal_of(value))
