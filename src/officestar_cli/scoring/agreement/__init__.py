"""How far the committee agrees: ICC, Kendall's W, Krippendorff's alpha, SEM, outliers (docs/agreement.md).

Every figure is exact where it can be: sums of squares, ICCs, W and alpha are
Fractions. Figures that need a square root (the standard error of measurement,
the minimal detectable change, correlations) are computed in ``decimal`` at 28
digits. Everything is shown half-up (away from zero) to four decimals.

A figure that cannot be computed (too few members or offices, no variance) is
``None`` with a :class:`Reason`, never NaN. Confidence intervals and p-values
need scipy (``officestar[stats]``), imported only when they are asked for.

The modules (docs/architecture.md): ``reasons`` (why a figure is missing),
``decimals`` (square roots and the display), ``moments`` (variance, Pearson's r),
``icc``, ``kendall``, ``alpha``, ``figures`` (one quantity's figures and notes),
``intervals`` (scipy), ``tables`` (the round as offices x members), ``outliers``
(flags, Dixon's Q), ``members`` (leniency), ``sensitivity`` (the methods),
``round`` (:func:`round_agreement`) and ``as_json``. Every public name is here.
"""

from __future__ import annotations

from officestar_cli.scoring.agreement.alpha import krippendorff_interval
from officestar_cli.scoring.agreement.as_json import agreement_as_json
from officestar_cli.scoring.agreement.decimals import DIGITS, decimal_of, four, sqrt_of
from officestar_cli.scoring.agreement.figures import LENIENCY_GAP, Z95, Figures, figures, notes
from officestar_cli.scoring.agreement.icc import HEADLINE, ICC_NAMES, Matrix, MeanSquares, icc, icc_from, mean_squares
from officestar_cli.scoring.agreement.intervals import CONFIDENCE, add_intervals, stats_available
from officestar_cli.scoring.agreement.kendall import doubled_midranks, kendall_w, midranks
from officestar_cli.scoring.agreement.members import LOW_CORRELATION, MemberSummary
from officestar_cli.scoring.agreement.moments import pearson, variance
from officestar_cli.scoring.agreement.outliers import DIXON_Q95, Flag, dixon_q, doubled_median_without
from officestar_cli.scoring.agreement.reasons import (
    ALL_EQUAL,
    FEW_VALUES,
    ICC_ABOVE_ONE,
    MIN_MEMBERS,
    MIN_OFFICES,
    NO_ICC,
    NO_VARIANCE,
    STATS_MISSING,
    Reason,
)
from officestar_cli.scoring.agreement.round import RoundAgreement, round_agreement
from officestar_cli.scoring.agreement.sensitivity import Sensitivity, Standing
from officestar_cli.scoring.agreement.tables import Value

__all__ = [
    "ALL_EQUAL", "CONFIDENCE", "DIGITS", "DIXON_Q95", "FEW_VALUES", "HEADLINE", "ICC_ABOVE_ONE", "ICC_NAMES",
    "LENIENCY_GAP", "LOW_CORRELATION", "MIN_MEMBERS", "MIN_OFFICES", "NO_ICC", "NO_VARIANCE", "STATS_MISSING",
    "Z95", "Figures", "Flag", "Matrix", "MeanSquares", "MemberSummary", "Reason", "RoundAgreement", "Sensitivity",
    "Standing", "Value", "add_intervals", "agreement_as_json", "decimal_of", "dixon_q", "doubled_median_without",
    "doubled_midranks", "figures", "four", "icc", "icc_from", "kendall_w", "krippendorff_interval", "mean_squares",
    "midranks", "notes", "pearson", "round_agreement", "sqrt_of", "stats_available", "variance",
]
