"""Krippendorff's alpha, interval metric, exact, over offices scored by any number of members."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def krippendorff_interval(units: Sequence[Sequence[Fraction | int]]) -> Fraction | None:
    """Krippendorff's alpha, interval metric, over units holding any number of values.

    A unit (office) with fewer than two values cannot be paired and is left out;
    the others keep every value, so members who scored only some offices count.
    """
    paired = [u for u in units if len(u) >= 2]
    count = sum(len(u) for u in paired)
    if count < 2:
        return None
    # Sum over ordered pairs of (a - b)^2 is 2(m sum a^2 - (sum a)^2): no pair is listed.
    observed = Fraction(0)
    total: Fraction | int = 0
    squares: Fraction | int = 0
    for u in paired:
        u_sum, u_squares = sum(u), sum(v * v for v in u)
        observed += Fraction(len(u) * u_squares - u_sum * u_sum) / (len(u) - 1)
        total += u_sum
        squares += u_squares
    expected = Fraction(count * squares - total * total) / (count - 1)
    if expected == 0:
        return None
    return 1 - observed / expected
