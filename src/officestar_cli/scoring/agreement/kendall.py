"""Kendall's W, exact, with and without the correction for ties, from the members' midranks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from officestar_cli.scoring.agreement.icc import Matrix, ratio


def doubled_midranks(values: Sequence[Fraction | int]) -> list[int]:
    """Twice the ranks 1..n, tied values sharing the mean of their ranks (twice it is whole)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = start + end + 2
        start = end + 1
    return ranks


def midranks(values: Sequence[Fraction | int]) -> list[Fraction]:
    """Ranks 1..n, tied values sharing the mean of their ranks."""
    return [Fraction(r, 2) for r in doubled_midranks(values)]


def kendall_w(matrix: Matrix) -> tuple[Fraction | None, Fraction | None]:
    """Kendall's W over a complete table, without and with the correction for ties.

    Each member (column) ranks the offices (rows); W compares the spread of the
    offices' rank sums with its largest possible value.
    """
    n, k = len(matrix), len(matrix[0])
    sums = [0] * n  # twice each office's rank sum
    ties = 0
    for column in zip(*matrix, strict=True):
        for i, rank in enumerate(doubled_midranks(column)):
            sums[i] += rank
        ties += sum(t**3 - t for t in Counter(column).values())
    middle = k * (n + 1)  # twice the mean rank sum
    spread = Fraction(sum((s - middle) ** 2 for s in sums), 4)
    most = k * k * (n**3 - n)
    return ratio(12 * spread, Fraction(most)), ratio(12 * spread, Fraction(most - k * ties))
