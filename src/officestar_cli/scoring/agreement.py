"""How far the committee agrees: ICC, Kendall's W, Krippendorff's alpha, SEM, outliers (docs/agreement.md).

Every figure is exact where it can be: sums of squares, ICCs, W and alpha are
Fractions. Figures that need a square root (the standard error of measurement,
the minimal detectable change, correlations) are computed in ``decimal`` at 28
digits. Everything is shown half-up (away from zero) to four decimals.

A figure that cannot be computed (too few members or offices, no variance) is
``None`` with a :class:`Reason`, never NaN. Confidence intervals and p-values
need scipy (``officestar[stats]``), imported only when they are asked for.
"""

from __future__ import annotations

import importlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any

from officestar_cli.scoring.aggregate import METHODS, MemberScores, OfficeResult, RoundResult, recombine

MIN_MEMBERS = 3  # two members cannot tell a disagreement from an outlier (docs/agreement.md)
MIN_OFFICES = 3
DIGITS = 28  # decimal precision of the figures with square roots
LOW_CORRELATION = Fraction(3, 10)  # a member whose totals follow the others' less than this is flagged
LENIENCY_GAP = Fraction(1, 10)  # ICC(C,1) above ICC(A,1) by this much: members differ in leniency
ICC_NAMES = ("ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)")
HEADLINE = "ICC(A,k)"
CONFIDENCE = Fraction(95, 100)
Z95 = Decimal("1.96")
# Dixon's r10 (Q), two-sided 95 % critical values for 3..10 values (Rorabacher 1991, table 4).
DIXON_Q95 = {
    3: Fraction("0.970"), 4: Fraction("0.829"), 5: Fraction("0.710"), 6: Fraction("0.625"),
    7: Fraction("0.568"), 8: Fraction("0.526"), 9: Fraction("0.493"), 10: Fraction("0.466"),
}
STATS_MISSING = ("ช่วงความเชื่อมั่นต้องติดตั้ง officestar[stats]",
                 "Confidence intervals need officestar[stats] installed")

Matrix = Sequence[Sequence[Fraction | int]]  # offices x members; whole units or exact values


# --------------------------------------------------------------------------- reasons and display


@dataclass(frozen=True)
class Reason:
    """Why a figure is not computed, in Thai and English."""

    code: str
    th: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.th


def _few_members(k: int) -> Reason:
    return Reason("few-members", f"กรรมการที่ให้คะแนนครบมี {k} คน ต้องมีอย่างน้อย {MIN_MEMBERS} คน",
                  f"{k} member(s) scored every office used; at least {MIN_MEMBERS} are needed")


def _few_offices(n: int) -> Reason:
    return Reason("few-offices", f"หน่วยงานที่ประเมินครบมี {n} แห่ง ต้องมีอย่างน้อย {MIN_OFFICES} แห่ง",
                  f"{n} office(s) were scored completely; at least {MIN_OFFICES} are needed")


NO_VARIANCE = Reason("no-variance", "คะแนนไม่แปรผันพอจะคำนวณได้ (ตัวหารเป็นศูนย์)",
                     "the scores do not vary enough to compute it (the denominator is zero)")
ALL_EQUAL = Reason("all-equal", "คะแนนทุกค่าเท่ากัน", "every score is equal")
NO_ICC = Reason("no-icc", "ไม่มีค่า ICC(A,k)", "ICC(A,k) is not computed")
ICC_ABOVE_ONE = Reason(
    "icc-above-one", "ICC(A,k) เกิน 1 เพราะหน่วยงานต่างกันน้อยกว่าที่กรรมการเห็นต่างกัน จึงไม่มีค่า SEM",
    "ICC(A,k) is above 1 (the offices differ less than the members disagree), so there is no SEM")
FEW_VALUES = Reason("few-values", "มีคะแนนที่จับคู่ได้ไม่พอ", "too few scores can be paired")


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


def _context() -> Context:
    return Context(prec=DIGITS, rounding=ROUND_HALF_UP)


def decimal_of(value: Fraction) -> Decimal:
    context = _context()
    return context.divide(Decimal(value.numerator), Decimal(value.denominator))


def sqrt_of(value: Fraction) -> Decimal:
    """The square root of an exact, non-negative value, at 28 digits."""
    if value < 0:
        raise ValueError("square root of a negative value")
    return _context().sqrt(decimal_of(value))


# --------------------------------------------------------------------------- the figures


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


def _ratio(top: Fraction, bottom: Fraction) -> Fraction | None:
    return None if bottom == 0 else top / bottom


def icc_from(ms: MeanSquares) -> dict[str, Fraction | None]:
    """The six ICCs (Shrout & Fleiss 1979; McGraw & Wong 1996) from the mean squares."""
    n, k, r, c, e, w = ms.n, ms.k, ms.rows, ms.columns, ms.error, ms.within
    return {
        "ICC(1,1)": _ratio(r - w, r + (k - 1) * w),
        "ICC(A,1)": _ratio(r - e, r + (k - 1) * e + k * (c - e) / n),
        "ICC(C,1)": _ratio(r - e, r + (k - 1) * e),
        "ICC(1,k)": _ratio(r - w, r),
        "ICC(A,k)": _ratio(r - e, r + (c - e) / n),
        "ICC(C,k)": _ratio(r - e, r),
    }


def icc(matrix: Matrix) -> dict[str, Fraction | None]:
    """The six ICCs of a complete table (offices x members, at least 2 x 2)."""
    return icc_from(mean_squares(matrix))


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
    return _ratio(12 * spread, Fraction(most)), _ratio(12 * spread, Fraction(most - k * ties))


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


def dixon_q(values: Sequence[Fraction | int], suspect: Fraction | int) -> Fraction | None:
    """Dixon's r10 for ``suspect`` when it is the lowest or the highest of 3..10 values, else None."""
    n = len(values)
    if not 3 <= n <= 10:
        return None
    ordered = sorted(values)
    spread = ordered[-1] - ordered[0]
    if spread == 0:
        return None
    if suspect == ordered[0]:
        return Fraction(ordered[1] - ordered[0]) / spread
    if suspect == ordered[-1]:
        return Fraction(ordered[-1] - ordered[-2]) / spread
    return None


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
    return _context().divide(decimal_of(cov), sqrt_of(vx * vy))


@dataclass
class Figures:
    """The agreement figures of one quantity (office totals, or one dimension as a share)."""

    n_offices: int
    n_members: int
    icc: dict[str, Fraction | None]
    kendall_w: Fraction | None
    kendall_w_tie_corrected: Fraction | None
    alpha_interval: Fraction | None
    sd: Decimal | None
    sem: Decimal | None
    mdc95: Decimal | None
    reasons: dict[str, Reason] = field(default_factory=dict)
    ci: dict[str, tuple[float, float]] | None = None
    p: dict[str, float] | None = None
    mean_squares: MeanSquares | None = None


def figures(complete: Matrix, units: Sequence[Sequence[Fraction | int]], per: Fraction = Fraction(1)) -> Figures:
    """Every figure of one quantity: ``complete`` is offices x members, ``units`` every recorded value.

    Values may be whole units: ``per`` units make one of the quantity (100 for points at two
    decimals). ICC, W and alpha do not change with the unit; SD, SEM and MDC95 are divided by it.
    """
    n = len(complete)
    k = len(complete[0]) if complete else 0
    reasons: dict[str, Reason] = {}
    icc_values: dict[str, Fraction | None] = dict.fromkeys(ICC_NAMES)
    w: Fraction | None = None
    w_ties: Fraction | None = None
    ms: MeanSquares | None = None
    design = _few_members(k) if k < MIN_MEMBERS else _few_offices(n) if n < MIN_OFFICES else None
    flat = {v for row in complete for v in row}
    if design is None and len(flat) == 1:
        design = ALL_EQUAL
    if design is not None:
        for name in (*ICC_NAMES, "kendall_w", "kendall_w_tie_corrected"):
            reasons[name] = design
    else:
        ms = mean_squares(complete)
        icc_values = icc_from(ms)
        for name, value in icc_values.items():
            if value is None:
                reasons[name] = NO_VARIANCE
        w, w_ties = kendall_w(complete)
        for name, value in (("kendall_w", w), ("kendall_w_tie_corrected", w_ties)):
            if value is None:
                reasons[name] = NO_VARIANCE
    alpha = None
    all_values = {v for u in units for v in u}
    members_everywhere = max((len(u) for u in units), default=0)
    if members_everywhere < MIN_MEMBERS:
        reasons["alpha_interval"] = _few_members(members_everywhere)
    elif len(all_values) == 1:
        reasons["alpha_interval"] = ALL_EQUAL
    else:
        alpha = krippendorff_interval(units)
        if alpha is None:
            reasons["alpha_interval"] = FEW_VALUES
    sd = sem = mdc = None
    row_spread = variance([sum(row) for row in complete]) if k and n >= MIN_OFFICES else None
    spread = None if row_spread is None else row_spread / (k * k * per * per)  # of the office means
    headline = icc_values[HEADLINE]
    if spread is not None:
        sd = sqrt_of(spread)
    if spread is None or headline is None:
        reasons["sem"] = reasons["mdc95"] = reasons.get(HEADLINE, NO_ICC)
    elif headline > 1:
        reasons["sem"] = reasons["mdc95"] = ICC_ABOVE_ONE
    else:
        sem = sqrt_of(spread * (1 - headline))
        # 1.96 x sqrt(2) x SEM, with sqrt(2) x SEM taken as one root: sqrt(2 var (1 - ICC)).
        mdc = _context().multiply(Z95, sqrt_of(2 * spread * (1 - headline)))
    return Figures(n, k, icc_values, w, w_ties, alpha, sd, sem, mdc, reasons, mean_squares=ms)


# --------------------------------------------------------------------------- intervals (scipy)


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


# --------------------------------------------------------------------------- the round


@dataclass(frozen=True)
class Flag:
    """One score far from the other members' median for the same office and criterion."""

    member: str
    file: str
    sheet: str | None
    cell: str | None
    office_id: str
    criterion_id: str
    value: Fraction
    others_median: Fraction
    dixon_q: Fraction | None
    dixon_critical: Fraction | None

    @property
    def dixon_outlier(self) -> bool | None:
        if self.dixon_q is None or self.dixon_critical is None:
            return None
        return self.dixon_q > self.dixon_critical


@dataclass(frozen=True)
class MemberSummary:
    member: str
    offices: int  # offices scored alongside at least two others
    leniency: Fraction | None  # mean of (own total - the others' mean), in points
    correlation: Decimal | None

    @property
    def flagged(self) -> bool:
        return self.correlation is not None and self.correlation < decimal_of(LOW_CORRELATION)


@dataclass(frozen=True)
class Standing:
    total: Decimal | None
    tier: str | None
    rank: int | None


@dataclass(frozen=True)
class Sensitivity:
    office_id: str
    by_method: dict[str, Standing | None]  # None: the method is not defined for this round


@dataclass
class RoundAgreement:
    round: int
    fiscal_year: int
    members: list[str]  # those used for ICC and W
    offices: list[str]  # office ids used for ICC and W
    total: Figures
    dimensions: dict[str, Figures]
    flags: list[Flag]
    members_summary: list[MemberSummary]
    method_sensitivity: list[Sensitivity]
    reasons: dict[str, Reason]
    threshold_share: Fraction
    threshold_steps: int
    with_intervals: bool = False


def _in_rubric_order(result: RoundResult) -> list[OfficeResult]:
    by_id = {o.office.id: o for o in result.offices}
    return [by_id[office.id] for office in result.rubric.offices if office.id in by_id]


def _design(result: RoundResult) -> tuple[list[OfficeResult], list[str]]:
    """The complete offices and the members who scored every one of them (name order)."""
    complete = [o for o in _in_rubric_order(result) if o.complete and o.scored]
    if not complete:
        return [], []
    common = set.intersection(*(set(o.scored_by) for o in complete))
    return complete, sorted(common)


Value = Callable[[MemberScores], "Fraction | int"]


def _table(offices: Sequence[OfficeResult], members: Sequence[str], value: Value) -> list[list[Fraction | int]]:
    table = []
    for office in offices:
        by_member = {m.member: m for m in office.scored}
        table.append([value(by_member[name]) for name in members])
    return table


def _units(offices: Sequence[OfficeResult], value: Value) -> list[list[Fraction | int]]:
    return [[value(m) for m in office.scored] for office in offices if office.scored]


def _scale(result: RoundResult) -> int | None:
    """The one scale of the round's scores (units per point), or None if they differ."""
    scales = {m.scale for o in result.offices for m in o.scored}
    return scales.pop() if len(scales) == 1 else None


def doubled_median_without(ordered: Sequence[int], value: int) -> int:
    """Twice the median of ``ordered`` (sorted) with one ``value`` taken out, without copying the
    list: a national round asks it once per member, criterion and office."""
    skip = bisect_left(ordered, value)
    count = len(ordered) - 1

    def at(index: int) -> int:
        return ordered[index] if index < skip else ordered[index + 1]

    if count % 2:
        return 2 * at(count // 2)
    return at(count // 2 - 1) + at(count // 2)


def _flags(result: RoundResult, share: Fraction, steps: int) -> list[Flag]:
    """Scores at least the threshold away from the other members' median; whole units throughout."""
    rubric = result.rubric
    found: list[Flag] = []
    for office in _in_rubric_order(result):
        scored = office.scored
        if len(scored) < MIN_MEMBERS:
            continue
        scales = {m.scale for m in scored}
        if len(scales) != 1:
            continue  # never from one store: every score of a round has one scale
        scale = scales.pop()
        for criterion in rubric.criteria:
            # In units: max(share x maximum, steps x 10^-precision) x scale.
            limit = max(share * Fraction(criterion.max), Fraction(steps, 10**rubric.precision)) * scale
            # Doubled, the distance is whole, so it reaches the limit when it reaches its ceiling.
            reach = -(-2 * limit.numerator // limit.denominator)
            units = [m.units.get(criterion.id) for m in scored]
            present = [u for u in units if u is not None]
            if len(present) != len(units):
                continue
            ordered = sorted(present)
            if 2 * (ordered[-1] - ordered[0]) < reach:
                continue  # no score can be far enough from the others'
            for member, value in zip(scored, present, strict=True):
                doubled = doubled_median_without(ordered, value)
                if abs(2 * value - doubled) < reach:
                    continue
                middle = Fraction(doubled, 2)
                q = dixon_q(ordered, value)
                sheet, cell = member.cells.get(criterion.id, (None, None))
                found.append(
                    Flag(member.member, member.file.name, sheet, cell, office.office.id, criterion.id,
                         Fraction(value, scale), middle / scale, q,
                         DIXON_Q95.get(len(present)) if q is not None else None)
                )
    return found


def _members_summary(result: RoundResult) -> list[MemberSummary]:
    """Per member: (own total, the others' total, how many others) per office, in whole units."""
    seen: dict[str, list[tuple[int, int, int, int]]] = {name: [] for name in result.members}
    for office in _in_rubric_order(result):
        if len(office.scored) < MIN_MEMBERS:
            continue
        totals = [(m.member, sum(m.units.values()), m.scale) for m in office.scored]
        everyone = sum(t for _, t, _ in totals)
        for name, total, scale in totals:
            seen.setdefault(name, []).append((total, everyone - total, len(totals) - 1, scale))
    summaries = []
    for name, rows in seen.items():
        if not rows:
            summaries.append(MemberSummary(name, 0, None, None))
            continue
        if len({(rest, scale) for _, _, rest, scale in rows}) == 1:
            # One committee size and scale: the others' sum is their mean times a constant,
            # which changes no correlation; all whole numbers.
            _, _, rest, scale = rows[0]
            mine = [own for own, _, _, _ in rows]
            theirs_sum = [others for _, others, _, _ in rows]
            leniency = Fraction(rest * sum(mine) - sum(theirs_sum), rest * scale * len(rows))
            correlation = pearson(mine, theirs_sum)
        else:
            mine_f = [Fraction(own, scale) for own, _, _, scale in rows]
            theirs = [Fraction(others, rest * scale) for _, others, rest, scale in rows]
            leniency = (sum(mine_f, Fraction(0)) - sum(theirs, Fraction(0))) / len(rows)
            correlation = pearson(mine_f, theirs)
        summaries.append(MemberSummary(name, len(rows), leniency, correlation))
    return summaries


def _sensitivity(result: RoundResult) -> tuple[list[Sensitivity], dict[str, Reason]]:
    rubric = result.rubric
    reasons: dict[str, Reason] = {}
    standings: dict[str, dict[str, Standing]] = {}
    for method in METHODS:
        offices = recombine(result, method)
        if method == "trimmed" and any(o.method_note == "trimmed-fallback" for o in offices if o.complete):
            reasons["method_sensitivity.trimmed"] = Reason(
                "trimmed-undefined", "ค่าเฉลี่ยตัดปลายต้องมีกรรมการอย่างน้อย 5 คนต่อหน่วยงาน",
                "the trimmed mean needs at least five members per office")
            continue
        standings[method] = {
            o.office.id: Standing(o.shown, None if o.tier is None else o.tier.title("th"), o.rank) for o in offices
        }
    changed = []
    for office in rubric.offices:
        seen = {(s[office.id].tier, s[office.id].rank) for s in standings.values() if office.id in s}
        if len(seen) > 1:
            changed.append(
                Sensitivity(office.id, {m: standings[m].get(office.id) if m in standings else None for m in METHODS})
            )
    return changed, reasons


def round_agreement(result: RoundResult, *, intervals: bool = True) -> RoundAgreement:
    """Every agreement figure of a ranked round, its flags, members' leniency and method sensitivity.

    With ``intervals`` and scipy installed, the ICCs get 95 % confidence intervals and p-values.
    """
    rubric = result.rubric
    offices, members = _design(result)
    everywhere = _in_rubric_order(result)
    scale = _scale(result)
    # Whole units when the round has one scale (it always has): exact, and quick at national scale.
    per = Fraction(1) if scale is None else Fraction(scale)

    def total_of(m: MemberScores) -> Fraction | int:
        return m.total() if scale is None else sum(m.units.values())

    total = figures(_table(offices, members, total_of), _units(everywhere, total_of), per)
    dimensions = {}
    for dimension in rubric.dimensions:
        ids = [c.id for c in dimension.criteria]

        def part(m: MemberScores, ids: list[str] = ids) -> Fraction | int:
            units = m.units
            return Fraction(sum(units[i] for i in ids), m.scale) if scale is None else sum(units[i] for i in ids)

        # A share of the dimension's maximum: the unit is the maximum (in units).
        dimensions[dimension.id] = figures(
            _table(offices, members, part), _units(everywhere, part), per * Fraction(dimension.max)
        )
    reasons: dict[str, Reason] = {}
    share_limit, steps = Fraction(rubric.outlier_share), rubric.outlier_steps
    scorers = max((len(o.scored) for o in result.offices), default=0)
    if scorers < MIN_MEMBERS:
        reasons["flags"] = reasons["members_summary"] = _few_members(scorers)
    sensitivity, more = _sensitivity(result)
    reasons.update(more)
    with_intervals = intervals and stats_available()
    if with_intervals:
        for found in (total, *dimensions.values()):
            add_intervals(found)
    elif intervals:
        reasons["ci"] = Reason("no-stats", *STATS_MISSING)
    return RoundAgreement(
        round=result.round,
        fiscal_year=result.fiscal_year,
        members=members,
        offices=[o.office.id for o in offices],
        total=total,
        dimensions=dimensions,
        flags=_flags(result, share_limit, steps) if scorers >= MIN_MEMBERS else [],
        members_summary=_members_summary(result) if scorers >= MIN_MEMBERS else [],
        method_sensitivity=sensitivity,
        reasons=reasons,
        threshold_share=share_limit,
        threshold_steps=steps,
        with_intervals=with_intervals,
    )


def notes(found: Figures) -> list[tuple[str, str]]:
    """What a chair should read from the figures, in Thai and English."""
    said: list[tuple[str, str]] = []
    single, consistent = found.icc["ICC(A,1)"], found.icc["ICC(C,1)"]
    if single is not None and consistent is not None and consistent - single >= LENIENCY_GAP:
        said.append((
            f"ICC(C,1) {four(consistent)} สูงกว่า ICC(A,1) {four(single)} มาก: กรรมการเรียงลำดับหน่วยงานคล้ายกัน "
            "แต่บางคนให้คะแนนสูงหรือต่ำกว่าคนอื่นทั้งชุด (ความเข้มงวดต่างกัน)",
            f"ICC(C,1) {four(consistent)} is much larger than ICC(A,1) {four(single)}: members order the offices "
            "alike but some score higher or lower than the others throughout (they differ in leniency)",
        ))
    return said


# --------------------------------------------------------------------------- JSON


def _figures_json(found: Figures, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "n_offices": found.n_offices,
        "n_members": found.n_members,
        "icc": {name: four(value) for name, value in found.icc.items()},
        "kendall_w": four(found.kendall_w),
        "kendall_w_tie_corrected": four(found.kendall_w_tie_corrected),
        "alpha_interval": four(found.alpha_interval),
        "sd": four(found.sd),
        "sem": four(found.sem),
        "mdc95": four(found.mdc95),
    }
    if found.ci is not None:
        data["ci"] = {name: [four(Fraction(lo)), four(Fraction(hi))] for name, (lo, hi) in found.ci.items()}
    if found.p is not None:
        data["p"] = {name: four(Fraction(value)) for name, value in found.p.items()}
    data["notes"] = [en if lang == "en" else th for th, en in notes(found)]
    return data


def _standing_json(standing: Standing | None) -> dict[str, Any] | None:
    if standing is None:
        return None
    return {
        "total": None if standing.total is None else format(standing.total, "f"),
        "tier": standing.tier,
        "rank": standing.rank,
    }


def agreement_as_json(found: RoundAgreement, lang: str) -> dict[str, Any]:
    """The ``officestar agreement --json`` object (docs/commands.md)."""
    reasons = {key: reason.text(lang) for key, reason in found.reasons.items()}
    for key, reason in found.total.reasons.items():
        reasons[f"total.{key}"] = reason.text(lang)
    for dimension_id, figures_of in found.dimensions.items():
        for key, reason in figures_of.reasons.items():
            reasons[f"dimensions.{dimension_id}.{key}"] = reason.text(lang)
    return {
        "round": found.round,
        "fiscal_year": found.fiscal_year,
        "n_members": found.total.n_members,
        "n_offices": found.total.n_offices,
        "members": found.members,
        "offices": found.offices,
        "total": _figures_json(found.total, lang),
        "dimensions": {key: _figures_json(value, lang) for key, value in found.dimensions.items()},
        "flags": [
            {
                "member": f.member,
                "file": f.file,
                "sheet": f.sheet,
                "cell": f.cell,
                "office_id": f.office_id,
                "criterion_id": f.criterion_id,
                "value": four(f.value),
                "others_median": four(f.others_median),
                "dixon_q": None if f.dixon_q is None else {
                    "q": four(f.dixon_q), "critical": four(f.dixon_critical), "outlier": f.dixon_outlier,
                },
            }
            for f in found.flags
        ],
        "outlier_threshold": {"share": four(found.threshold_share), "steps": found.threshold_steps},
        "members_summary": [
            {
                "member": m.member,
                "offices": m.offices,
                "leniency": four(m.leniency),
                "correlation": four(m.correlation),
                "flagged": m.flagged,
            }
            for m in found.members_summary
        ],
        "method_sensitivity": [
            {"office_id": s.office_id, **{method: _standing_json(s.by_method[method]) for method in METHODS}}
            for s in found.method_sensitivity
        ],
        "reasons": reasons,
        "sem": four(found.total.sem),
        "mdc95": four(found.total.mdc95),
    }


__all__ = [
    "DIXON_Q95", "ICC_NAMES", "STATS_MISSING", "Figures", "Flag", "MeanSquares", "MemberSummary", "Reason",
    "RoundAgreement", "add_intervals", "agreement_as_json", "dixon_q", "figures", "four", "icc", "kendall_w",
    "krippendorff_interval", "mean_squares", "midranks", "notes", "pearson", "round_agreement", "sqrt_of",
    "stats_available",
]
