"""A decimal written without trailing zeros: the one spelling of a rubric constant.

Maxima, bounds, the KPI target and the rubric's canonical form (its
fingerprint) all write a ``Decimal`` this way: ``20``, ``4.5``, ``0.25``. It
lives in the lowest stage so that the rubric, the blank workbook, the reader,
the reports and the terminal share it; ``scoring.exact`` offers it beside the
other number helpers.
"""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> str:
    """``value`` in fixed point without trailing zeros or a trailing point: 20, 4.5, 0.25.

    Exact whatever the number of digits (``Decimal.normalize`` would round to
    the context's 28 digits).
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


__all__ = ["plain"]
