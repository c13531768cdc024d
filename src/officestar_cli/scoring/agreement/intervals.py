"""The ICCs' 95 % confidence intervals and the p-values, with scipy (``officestar[stats]``), imported when asked for."""

from __future__ import annotations

import importlib
from fractions import Fraction
from typing import Any

from officestar_cli.scoring.agreement.figures import Figures
from officestar_cli.scoring.agreement.icc import ICC_NAMES

CONFIDENCE = Fraction(95, 100)


def stats_available() -> bool:
    try:
        importlib.import_module("scipy.stats")
    except ImportError:
        return False
    return True


def add_intervals(found: Figures) -> None:
    """95 % confidence intervals of the ICCs (McGraw & Wong 1996) and p-values, with scipy.

    Floats: intervals from F quantiles are approximations however they are computed.
    """
    stats: Any = importlib.import_module("scipy.stats")

    ms = found.mean_squares
    if ms is None:
        return
    n, k = ms.n, ms.k
    r, c, e, w = (float(x) for x in (ms.rows, ms.columns, ms.error, ms.within))
    level = 1 - float(1 - CONFIDENCE) / 2
    ci: dict[str, tuple[float, float]] = {}
    p: dict[str, float] = {}

    def one_and_k(prefix: str, f_value: float, df1: float, df2: float) -> None:
        low = f_value / float(stats.f.ppf(level, df1, df2))
        high = f_value * float(stats.f.ppf(level, df2, df1))
        ci[f"ICC({prefix},1)"] = ((low - 1) / (low + k - 1), (high - 1) / (high + k - 1))
        ci[f"ICC({prefix},k)"] = (1 - 1 / low, 1 - 1 / high)
        chance = float(stats.f.sf(f_value, df1, df2))
        p[f"ICC({prefix},1)"] = p[f"ICC({prefix},k)"] = chance

    if w > 0:
        one_and_k("1", r / w, n - 1, n * (k - 1))
    if e > 0:
        one_and_k("C", r / e, n - 1, (n - 1) * (k - 1))
        single = found.icc["ICC(A,1)"]
        if single is not None and single < 1:
            rho = float(single)
            a = k * rho / (n * (1 - rho))
            b = 1 + k * rho * (n - 1) / (n * (1 - rho))
            v = (a * c + b * e) ** 2 / ((a * c) ** 2 / (k - 1) + (b * e) ** 2 / ((n - 1) * (k - 1)))
            f_low = float(stats.f.ppf(level, n - 1, v))
            f_high = float(stats.f.ppf(level, v, n - 1))
            low = n * (r - f_low * e) / (f_low * (k * c + (k * n - k - n) * e) + n * r)
            high = n * (f_high * r - e) / (k * c + (k * n - k - n) * e + n * f_high * r)
            ci["ICC(A,1)"] = (low, high)
            ci["ICC(A,k)"] = (low * k / (1 + low * (k - 1)), high * k / (1 + high * (k - 1)))
            p["ICC(A,1)"] = p["ICC(A,k)"] = p["ICC(C,1)"]
    if found.kendall_w_tie_corrected is not None:
        chi = k * (n - 1) * float(found.kendall_w_tie_corrected)
        p["kendall_w"] = float(stats.chi2.sf(chi, n - 1))
    found.ci = {name: ci[name] for name in ICC_NAMES if name in ci and found.icc[name] is not None}
    found.p = p
