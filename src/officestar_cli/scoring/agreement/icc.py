"""The intraclass correlations, exact, from the two-way analysis of variance (docs/agreement.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

ICC_NAMES = ("ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)")
HEADLINE = "ICC(A,k)"

Matrix = Sequence[Sequence[Fraction | int]]  # offices x members; whole units or exact values


@dataclass(frozen=True)
class MeanSquares:
    """The two-way analysis of variance of a complete offices x members table."""

    n: int  # offices (rows)
    k: int  # members (columns)
    rows: Fraction  # MSR, between offices
    columns: Fraction  # MSC, between members
    error: Fraction  # MSE, residual
    within: Fraction  # MSW, within offices (one-way)


def mean_squares(matrix: Matrix) -> MeanSquares:
    """From sums and sums of squares: whole numbers stay whole (a round's scores are whole units)."""
    n, k = len(matrix), len(matrix[0])
    row_sums = [sum(row) for row in matrix]
    column_sums = [sum(column) for column in zip(*matrix, strict=True)]
    grand = sum(row_sums)
    correction = Fraction(grand * grand, 1) / (n * k)
    total = sum(x * x for row in matrix for x in row) - correction
    between_rows = Fraction(sum(r * r for r in row_sums), 1) / k - correction
    between_columns = Fraction(sum(c * c for c in column_sums), 1) / n - correction
    error = total - between_rows - between_columns
    return MeanSquares(
        n, k,
        rows=between_rows / (n - 1),
        columns=between_columns / (k - 1),
        error=error / ((n - 1) * (k - 1)),
        within=(total - between_rows) / (n * (k - 1)),
    )


def ratio(top: Fraction, bottom: Fraction) -> Fraction | None:
    return None if bottom == 0 else top / bottom


def icc_from(ms: MeanSquares) -> dict[str, Fraction | None]:
    """The six ICCs (Shrout & Fleiss 1979; McGraw & Wong 1996) from the mean squares."""
    n, k, r, c, e, w = ms.n, ms.k, ms.rows, ms.columns, ms.error, ms.within
    return {
        "ICC(1,1)": ratio(r - w, r + (k - 1) * w),
        "ICC(A,1)": ratio(r - e, r + (k - 1) * e + k * (c - e) / n),
        "ICC(C,1)": ratio(r - e, r + (k - 1) * e),
        "ICC(1,k)": ratio(r - w, r),
        "ICC(A,k)": ratio(r - e, r + (c - e) / n),
        "ICC(C,k)": ratio(r - e, r),
    }


def icc(matrix: Matrix) -> dict[str, Fraction | None]:
    """The six ICCs of a complete table (offices x members, at least 2 x 2)."""
    return icc_from(mean_squares(matrix))
