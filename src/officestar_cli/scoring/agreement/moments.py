"""The sample variance (exact) and Pearson's r (at 28 digits)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from officestar_cli.scoring.agreement.decimals import decimal_context, decimal_of, sqrt_of


def variance(values: Sequence[Fraction | int]) -> Fraction | None:
    """Sample variance (n - 1), exact."""
    n = len(values)
    if n < 2:
        return None
    total = sum(values)
    return (Fraction(sum(v * v for v in values)) - Fraction(total * total) / n) / (n - 1)


def pearson(xs: Sequence[Fraction | int], ys: Sequence[Fraction | int]) -> Decimal | None:
    """Pearson's r at 28 digits; None with fewer than three pairs or no variance."""
    n = len(xs)
    if n < 3:
        return None
    sx, sy = sum(xs), sum(ys)
    cov = Fraction(n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sx * sy)
    vx = Fraction(n * sum(x * x for x in xs) - sx * sx)
    vy = Fraction(n * sum(y * y for y in ys) - sy * sy)
    if vx == 0 or vy == 0:
        return None
    return decimal_context().divide(decimal_of(cov), sqrt_of(vx * vy))
