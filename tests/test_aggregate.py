"""Aggregation arithmetic (docs/design.md, "Arithmetic" and "Methods"): unit and property tests.

The store is built directly from ``Reading`` objects, so no workbook is read:
each test states the member scores it needs and checks what ``aggregate`` makes
of them: exact totals, the shown (half-up) total, tiers and ranks decided on
that shown total, coverage and quorum, the methods, and the tie-break.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from officestar_cli.base.errors import StoreError
from officestar_cli.intake.reader import Reading
from officestar_cli.reports.json import round_as_json
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.scoring.aggregate import (
    METHODS,
    OfficeResult,
    RoundResult,
    aggregate,
    choose_members,
)
from officestar_cli.scoring.exact import shown
from officestar_cli.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_PATH = ROOT / "rubric.yaml"
RUBRIC = load_rubric(RUBRIC_PATH)
ROUND = 2
OUTSTANDING, VERY_GOOD, GOOD = "ดีเด่น", "ดีมาก", "ดี"

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# member -> office id -> criterion id -> score; None: the member left the office blank.
Table = Mapping[str, Decimal]
Sheets = Mapping[str, Mapping[str, Table | None]]


# ---------------------------------------------------------------- building a store


def spread(total: Decimal | str | int, rubric: Rubric = RUBRIC) -> dict[str, Decimal]:
    """Criterion scores within 0..max that add up to ``total`` exactly (filled in rubric order)."""
    left = Decimal(total)
    scores: dict[str, Decimal] = {}
    for criterion in rubric.criteria:
        take = min(left, criterion.max)
        scores[criterion.id] = take
        left -= take
    assert left == 0, f"{total} is more than the rubric maximum"
    return scores


def by_dimension(dimensions: Mapping[str, Decimal | str | int], rubric: Rubric = RUBRIC) -> dict[str, Decimal]:
    """Criterion scores whose dimension subtotals are ``dimensions`` (missing dimensions: 0)."""
    scores: dict[str, Decimal] = {}
    for dimension in rubric.dimensions:
        left = Decimal(dimensions.get(dimension.id, 0))
        for criterion in dimension.criteria:
            take = min(left, criterion.max)
            scores[criterion.id] = take
            left -= take
        assert left == 0, f"dimension {dimension.id} cannot hold {dimensions[dimension.id]}"
    return scores


def make_reading(rubric: Rubric, member: str, offices: Mapping[str, Table | None]) -> Reading:
    """What the reader would have made of ``member``'s returned workbook."""
    rows = [
        (office, criterion, str(Decimal(value)), office, f"E{row}", "")
        for office, table in offices.items()
        if table is not None
        for row, (criterion, value) in enumerate(table.items(), start=6)
    ]
    digest = hashlib.sha256(repr((member, sorted((o, sorted((t or {}).items())) for o, t in offices.items())))
                            .encode()).hexdigest()
    return Reading(
        file=f"{member}.xlsx",
        sha256=digest,
        size=1000,
        member=member,
        workbook_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"officestar-test/{member}")),
        round=ROUND,
        fiscal_year=rubric.fiscal_year,
        fingerprint=rubric.fingerprint,
        rows=rows,
        offices_expected=list(offices),
        offices_scored=[o for o, t in offices.items() if t is not None],
        offices_not_scored=[o for o, t in offices.items() if t is None],
    )


def fill_store(store: Store, rubric: Rubric, sheets: Sheets, order: Sequence[str] | None = None) -> None:
    for member in order if order is not None else list(sheets):
        reading = make_reading(rubric, member, sheets[member])
        outcome = store.record(reading, rubric.fiscal_year, ROUND, list(sheets[member]))
        assert outcome.status == "recorded", outcome


@contextmanager
def temporary_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory(prefix="officestar-aggregate-") as folder:
        store = Store(Path(folder) / "store.sqlite3", create=True)
        try:
            yield store
        finally:
            store.close()


def run(
    sheets: Sheets,
    method: str | None = None,
    *,
    rubric: Rubric = RUBRIC,
    order: Sequence[str] | None = None,
) -> RoundResult:
    with temporary_store() as store:
        fill_store(store, rubric, sheets, order)
        return aggregate(store, rubric, ROUND, method)


def office(result: RoundResult, office_id: str) -> OfficeResult:
    (found,) = [o for o in result.offices if o.office.id == office_id]
    return found


def ranking(result: RoundResult) -> list[tuple[str, int | None, Decimal | None]]:
    return [(o.office.id, o.rank, o.shown) for o in result.offices]


def variant(folder: Path, old: str, new: str) -> Rubric:
    """The shipped rubric with one line changed, loaded like a user's rubric file."""
    text = RUBRIC_PATH.read_text("utf-8")
    assert text.count(old) == 1, old
    path = folder / "rubric.yaml"
    path.write_text(text.replace(old, new), "utf-8")
    return load_rubric(path)


@pytest.fixture(scope="module")
def tie_break_rubric(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    rubric = variant(tmp_path_factory.mktemp("tie-break"), "tie_break: []", 'tie_break: ["5"]')
    assert rubric.tie_break == ("5",)
    assert rubric.fingerprint == RUBRIC.fingerprint  # the tie-break decides no score
    return rubric


@pytest.fixture(scope="module")
def quorum_rubric(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    rubric = variant(tmp_path_factory.mktemp("quorum"), "quorum: null", "quorum: 3")
    assert rubric.quorum == 3
    return rubric


def test_the_helpers_build_what_they_claim() -> None:
    assert RUBRIC.total == 100 and RUBRIC.precision == 2
    assert [t.th for t in RUBRIC.tiers] == [OUTSTANDING, VERY_GOOD, GOOD]
    assert sum(spread("79.99").values()) == Decimal("79.99")
    table = by_dimension({"1": 20, "5": "7.5"})
    assert sum(table.values()) == Decimal("27.5")
    assert sum(table[c.id] for c in RUBRIC.dimension_by_id["5"].criteria) == Decimal("7.5")


# ---------------------------------------------------------------- display rounding


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(79995, 1000), "80.00"),
        (Fraction(7999499999, 100000000), "79.99"),
        (Fraction(79994999, 1000000), "79.99"),
        (Fraction(23999, 300), "80.00"),  # 239.99 / 3 = 79.99666...
        (Fraction(399_98, 5 * 100), "80.00"),  # the example's วังเหนือ: 79.996
        (Fraction(5, 1000), "0.01"),
        (Fraction(4999, 1_000_000), "0.00"),
        (Fraction(0), "0.00"),
        (Fraction(100), "100.00"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(133_25, 2 * 100), "66.63"),  # 66.625
    ],
)
def test_shown_rounds_half_up(value: Fraction, expected: str) -> None:
    result = shown(value, 2)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_every_two_decimal_boundary_rounds_up() -> None:
    """k.xx5 for every k.xx from 0.00 to 100.00: the Fraction path and the Decimal path agree."""
    for hundredths in range(0, 100_00):
        value = Fraction(hundredths * 10 + 5, 1000)
        expected = (Decimal(hundredths + 1) / 100).quantize(Decimal("0.01"))
        assert shown(value, 2) == expected, value
        assert shown(Decimal(hundredths * 10 + 5) / 1000, 2) == expected, value
        # Just below the boundary rounds down.
        below = value - Fraction(1, 10**9)
        assert shown(below, 2) == (Decimal(hundredths) / 100).quantize(Decimal("0.01")), below


def test_tier_is_decided_on_the_shown_total() -> None:
    assert RUBRIC.tier_for(shown(Fraction(79995, 1000), 2)).th == OUTSTANDING  # type: ignore[union-attr]
    assert RUBRIC.tier_for(shown(Fraction(79994999, 1000000), 2)).th == VERY_GOOD  # type: ignore[union-attr]
    assert RUBRIC.tier_for(shown(Fraction(69995, 1000), 2)).th == VERY_GOOD  # type: ignore[union-attr]
    assert RUBRIC.tier_for(shown(Fraction(59995, 1000), 2)).th == GOOD  # type: ignore[union-attr]
    assert RUBRIC.tier_for(shown(Fraction(59994, 1000), 2)) is None


@PROPERTY
@given(st.integers(0, 100_000), st.integers(0, 3))
def test_shown_is_half_up_for_any_three_decimals(thousandths: int, precision: int) -> None:
    """exact.shown on k/1000 equals Decimal quantize ROUND_HALF_UP, at any precision."""
    fraction = Fraction(thousandths, 1000)
    decimal = Decimal(thousandths).scaleb(-3)
    quantum = Decimal(1).scaleb(-precision)
    expected = decimal.quantize(quantum, rounding=ROUND_HALF_UP)
    assert shown(fraction, precision) == expected
    assert shown(decimal, precision) == expected
    assert shown(fraction, precision).as_tuple().exponent == -precision


@PROPERTY
@given(st.integers(0, 10**8), st.integers(1, 10**6))
def test_shown_is_the_nearest_with_halves_up(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    result = Fraction(shown(value, 2))
    step = Fraction(1, 100)
    # Nearest: within half a step; a tie (exactly half a step) goes up.
    assert abs(result - value) <= step / 2
    if abs(result - value) == step / 2:
        assert result > value
    assert result * 100 == int(result * 100)


# ---------------------------------------------------------------- tiers on the shown total


def test_mean_of_79_995_is_shown_80_00_and_outstanding() -> None:
    result = run({"ก": {"lp-ngao": spread("79.99")}, "ข": {"lp-ngao": spread("80.00")}})
    ngao = office(result, "lp-ngao")
    assert ngao.total == Fraction(79995, 1000)
    assert ngao.shown == Decimal("80.00")
    assert ngao.tier is not None and ngao.tier.th == OUTSTANDING
    assert ngao.rank == 1
    data = round_as_json(result, provisional=False)
    (entry,) = [o for o in data["offices"] if o["office_id"] == "lp-ngao"]
    assert entry["total"] == "80.00"
    assert entry["tier"] == OUTSTANDING


def test_mean_of_79_994999_is_shown_79_99_and_very_good() -> None:
    result = run({"ก": {"lp-ngao": spread("79.99")}, "ข": {"lp-ngao": spread("79.999998")}})
    ngao = office(result, "lp-ngao")
    assert ngao.total == Fraction(79994999, 1000000)
    assert ngao.shown == Decimal("79.99")
    assert ngao.tier is not None and ngao.tier.th == VERY_GOOD


def test_four_members_on_the_69_995_boundary() -> None:
    totals = ["69.99", "70.00", "69.99", "70.00"]
    result = run({name: {"lp-thoen": spread(t)} for name, t in zip("กขคง", totals, strict=True)})
    thoen = office(result, "lp-thoen")
    assert thoen.total == Fraction(69995, 1000)
    assert thoen.shown == Decimal("70.00")
    assert thoen.tier is not None and thoen.tier.th == VERY_GOOD


def test_below_every_tier_has_no_tier_but_is_ranked() -> None:
    result = run({"ก": {"lp-ngao": spread("59.99"), "lp-thoen": spread(61)}})
    ngao = office(result, "lp-ngao")
    assert ngao.tier is None and ngao.complete and ngao.rank == 2
    data = round_as_json(result, provisional=False)
    (entry,) = [o for o in data["offices"] if o["office_id"] == "lp-ngao"]
    assert entry["tier"] is None and entry["total"] == "59.99" and entry["rank"] == 2


# ---------------------------------------------------------------- methods


FIVE = ("ก", "ข", "ค", "ง", "จ")


def test_trimmed_drops_highest_and_lowest_of_five() -> None:
    """239.99 / 3 = 79.9967 -> 80.00 -> ดีเด่น (docs/design.md, "Tiers and ranks")."""
    totals = ["50", "79.99", "80.00", "80.00", "95"]
    sheets = {name: {"lp-mae-mo": spread(t)} for name, t in zip(FIVE, totals, strict=True)}
    trimmed = office(run(sheets, "trimmed"), "lp-mae-mo")
    assert trimmed.method_note == "trimmed"
    assert sorted(trimmed.counted) == ["ข", "ค", "ง"]
    assert trimmed.total == Fraction(23999, 300)
    assert trimmed.shown == Decimal("80.00")
    assert trimmed.tier is not None and trimmed.tier.th == OUTSTANDING
    # The same scores by mean: 384.99 / 5 = 76.998 -> 77.00 -> ดีมาก.
    mean = office(run(sheets, "mean"), "lp-mae-mo")
    assert mean.method_note == "mean"
    assert mean.total == Fraction(38499, 500)
    assert mean.shown == Decimal("77.00")
    assert mean.tier is not None and mean.tier.th == VERY_GOOD


@pytest.mark.parametrize("members", [1, 2, 3, 4])
def test_trimmed_needs_five_members_else_mean(members: int) -> None:
    totals = ["60", "70", "80", "99", "100"][:members]
    sheets = {name: {"lp-ngao": spread(t)} for name, t in zip(FIVE, totals, strict=False)}
    result = office(run(sheets, "trimmed"), "lp-ngao")
    assert result.method_note == "trimmed-fallback"
    assert sorted(result.counted) == sorted(sheets)
    assert result.total == sum(Fraction(Decimal(t)) for t in totals) / members


def test_trimmed_with_six_members_counts_four() -> None:
    names = ("ก", "ข", "ค", "ง", "จ", "ฉ")
    totals = ["10", "90", "70", "71", "72", "73"]
    result = office(run({n: {"lp-ngao": spread(t)} for n, t in zip(names, totals, strict=True)},
                        "trimmed"), "lp-ngao")
    assert result.method_note == "trimmed"
    assert sorted(result.counted) == ["ค", "ง", "จ", "ฉ"]
    assert result.total == Fraction(286, 4)


def test_median_of_an_odd_count_is_the_middle_member() -> None:
    sheets = {"ก": {"lp-ngao": spread(90)}, "ข": {"lp-ngao": spread(60)}, "ค": {"lp-ngao": spread("70.5")}}
    result = office(run(sheets, "median"), "lp-ngao")
    assert result.method_note == "median"
    assert result.counted == ["ค"]
    assert result.total == Fraction(141, 2)
    assert result.shown == Decimal("70.50")


def test_median_of_an_even_count_is_the_mean_of_the_middle_pair() -> None:
    totals = {"ก": "90", "ข": "60", "ค": "79.99", "ง": "80"}
    result = office(run({n: {"lp-ngao": spread(t)} for n, t in totals.items()}, "median"), "lp-ngao")
    assert result.method_note == "median-pair"
    assert sorted(result.counted) == ["ค", "ง"]
    assert result.total == Fraction(79995, 1000)
    assert result.shown == Decimal("80.00")
    assert result.tier is not None and result.tier.th == OUTSTANDING


def test_default_method_comes_from_the_rubric() -> None:
    result = run({"ก": {"lp-ngao": spread(50)}})
    assert result.method == RUBRIC.aggregation == "mean"


def test_choose_members_orders_equal_totals_by_member_name() -> None:
    seventy = Fraction(70)
    assert choose_members([("ค", seventy), ("ก", seventy), ("ข", seventy)], "median") == (["ข"], "median")
    assert choose_members([("ง", seventy), ("ข", seventy), ("ก", seventy), ("ค", seventy)], "median") == (
        ["ข", "ค"],
        "median-pair",
    )
    five = [(name, seventy) for name in ("จ", "ค", "ก", "ง", "ข")]
    assert choose_members(five, "trimmed") == (["ข", "ค", "ง"], "trimmed")
    # A lower total comes first whatever its name; names only order equal totals.
    mixed = [("ก", Fraction(80)), ("ข", seventy), ("ค", seventy)]
    assert choose_members(mixed, "median") == (["ค"], "median")
    # Code-point order: "นาย" sorts after "นางสาว" (ย U+0E22 > ง U+0E07).
    names = [("นาย ก", seventy), ("นางสาว ค", seventy), ("นาง ข", seventy)]
    assert choose_members(names, "median") == (["นางสาว ค"], "median")
    assert choose_members([], "mean") == ([], "")


def test_equal_member_totals_choose_the_breakdown_by_member_name() -> None:
    """Three members give 70 with different splits; the median member is ข by name."""
    sheets = {
        "ค": {"lp-ngao": by_dimension({"1": 20, "2": 20, "3": 20, "4": 10})},
        "ก": {"lp-ngao": by_dimension({"1": 10, "2": 20, "3": 20, "4": 20})},
        "ข": {"lp-ngao": by_dimension({"2": 10, "3": 20, "4": 20, "5": 20})},
    }
    result = office(run(sheets, "median"), "lp-ngao")
    assert result.counted == ["ข"]
    assert result.total == 70
    assert result.dimensions == {"1": 0, "2": 10, "3": 20, "4": 20, "5": 20}


# ---------------------------------------------------------------- ranks and ties


def test_competition_ranks_share_and_skip() -> None:
    sheets = {
        "ก": {
            "lp-province": spread(90),
            "lp-mueang": spread(72),
            "lp-thoen": spread(72),
            "lp-ngao": spread(60),
            "lp-ko-kha": spread(50),
            "lp-mae-tha": spread(50),
            "lp-chae-hom": spread(50),
            "lp-sop-prap": spread(10),
        }
    }
    result = run(sheets)
    ranks = {o.office.id: o.rank for o in result.offices if o.rank is not None}
    assert ranks == {
        "lp-province": 1,
        "lp-mueang": 2,
        "lp-thoen": 2,
        "lp-ngao": 4,
        "lp-ko-kha": 5,
        "lp-mae-tha": 5,
        "lp-chae-hom": 5,
        "lp-sop-prap": 8,
    }
    assert office(result, "lp-mueang").tie == office(result, "lp-thoen").tie == "shared"
    assert office(result, "lp-province").tie == ""
    # Offices that nobody was given are not ranked and come last.
    assert [o.rank for o in result.offices][-6:] == [None] * 6


def test_totals_equal_when_shown_share_a_rank() -> None:
    """72.001 and 71.996 differ exactly but are both shown 72.00: one rank, then 3."""
    sheets = {
        "ก": {"lp-ngao": spread("72.002"), "lp-thoen": spread("71.992"), "lp-sop-prap": spread("71.99")},
        "ข": {"lp-ngao": spread("72"), "lp-thoen": spread("72"), "lp-sop-prap": spread("71.99")},
    }
    result = run(sheets)
    assert office(result, "lp-ngao").total != office(result, "lp-thoen").total
    assert [(o.office.id, o.rank, str(o.shown)) for o in result.offices if o.rank] == [
        ("lp-thoen", 1, "72.00"),
        ("lp-ngao", 1, "72.00"),
        ("lp-sop-prap", 3, "71.99"),
    ]


def _tie_break_sheets(dim5_a: int, dim5_b: int) -> dict[str, dict[str, Table | None]]:
    """เถิน and งาว both total 72, with dimension 5 at ``dim5_a`` and ``dim5_b``; แม่เมาะ 60."""
    def seventy_two(dim5: int) -> dict[str, Decimal]:
        rest = 72 - dim5
        dims = {"1": min(rest, 20)}
        rest -= dims["1"]
        dims["2"] = min(rest, 20)
        rest -= dims["2"]
        dims["3"] = min(rest, 20)
        dims["4"] = rest - dims["3"]
        dims["5"] = dim5
        return by_dimension(dims)

    return {
        "ก": {"lp-thoen": seventy_two(dim5_a), "lp-ngao": seventy_two(dim5_b), "lp-mae-mo": spread(60)},
        "ข": {"lp-thoen": seventy_two(dim5_a), "lp-ngao": seventy_two(dim5_b), "lp-mae-mo": spread(60)},
    }


def test_without_a_tie_break_the_tie_stands() -> None:
    result = run(_tie_break_sheets(10, 15))
    assert [(o.office.id, o.rank, o.tie) for o in result.offices if o.rank] == [
        ("lp-thoen", 1, "shared"),
        ("lp-ngao", 1, "shared"),
        ("lp-mae-mo", 3, ""),
    ]


def test_the_rubric_tie_break_settles_a_tie(tie_break_rubric: Rubric) -> None:
    result = run(_tie_break_sheets(10, 15), rubric=tie_break_rubric)
    assert [(o.office.id, o.rank, o.tie, str(o.shown)) for o in result.offices if o.rank] == [
        ("lp-ngao", 1, "settled", "72.00"),
        ("lp-thoen", 2, "settled", "72.00"),
        ("lp-mae-mo", 3, "", "60.00"),
    ]


def test_a_tie_equal_on_the_tie_break_stays_shared(tie_break_rubric: Rubric) -> None:
    result = run(_tie_break_sheets(12, 12), rubric=tie_break_rubric)
    assert [(o.office.id, o.rank, o.tie) for o in result.offices if o.rank] == [
        ("lp-thoen", 1, "unsettled"),
        ("lp-ngao", 1, "unsettled"),
        ("lp-mae-mo", 3, ""),
    ]


def test_a_three_way_tie_the_tie_break_settles_for_one_office(tie_break_rubric: Rubric) -> None:
    """72.00 three times; dimension 5 separates เถิน (15) from งาว and สบปราบ (10 each)."""
    sheets = {"ก": {"lp-thoen": by_dimension({"1": 20, "2": 20, "3": 17, "5": 15}),
                    "lp-ngao": by_dimension({"1": 20, "2": 20, "3": 20, "4": 2, "5": 10}),
                    "lp-sop-prap": by_dimension({"1": 20, "2": 20, "3": 20, "4": 2, "5": 10})}}
    result = run(sheets, rubric=tie_break_rubric)
    assert [(o.office.id, o.rank, o.tie, str(o.shown)) for o in result.offices if o.rank] == [
        ("lp-thoen", 1, "settled", "72.00"),  # alone at rank 1: the tie-break settled it
        ("lp-ngao", 2, "unsettled", "72.00"),
        ("lp-sop-prap", 2, "unsettled", "72.00"),
    ]


@PROPERTY
@given(st.data())
def test_the_tie_break_only_reorders_within_a_shown_total(tie_break_rubric: Rubric, data: st.DataObject) -> None:
    sheets = data.draw(rounds())
    plain = run(sheets)
    broken = run(sheets, rubric=tie_break_rubric)
    ranked = [o for o in broken.offices if o.rank is not None]
    for entry in ranked:
        assert entry.shown is not None and entry.rank is not None
        above = [o for o in ranked if o.shown is not None and o.shown > entry.shown]
        level = [o for o in ranked if o.shown == entry.shown]
        dim5 = shown(entry.dimensions["5"], 2)
        better = [o for o in level if shown(o.dimensions["5"], 2) > dim5]
        assert entry.rank == 1 + len(above) + len(better)
        sharing = [o for o in ranked if o.rank == entry.rank]
        if len(level) == 1:
            assert entry.tie == ""
        else:
            assert entry.tie == ("settled" if len(sharing) == 1 else "unsettled")
    # Without the tie-break each office has the rank of the first of its shown total.
    for entry in plain.offices:
        if entry.rank is not None:
            same = [o.rank for o in ranked if o.shown == entry.shown]
            assert entry.rank == min(same)  # type: ignore[type-var]


def test_the_tie_break_never_reorders_different_shown_totals(tie_break_rubric: Rubric) -> None:
    """A higher shown total wins even with a lower tie-break dimension."""
    sheets = {"ก": {"lp-thoen": by_dimension({"1": 20, "2": 20, "3": 20, "4": "12.01"}),
                    "lp-ngao": by_dimension({"1": 20, "2": 20, "3": 12, "5": 20})}}
    result = run(sheets, rubric=tie_break_rubric)
    assert [(o.office.id, o.rank) for o in result.offices if o.rank] == [("lp-thoen", 1), ("lp-ngao", 2)]


# ---------------------------------------------------------------- coverage and quorum


def test_an_office_a_member_left_blank_is_incomplete_and_unranked() -> None:
    sheets: dict[str, dict[str, Table | None]] = {
        "ก": {"lp-ngao": spread(95), "lp-thoen": spread(70)},
        "ข": {"lp-ngao": None, "lp-thoen": spread(71)},
        "ค": {"lp-ngao": spread(96), "lp-thoen": spread(72)},
    }
    result = run(sheets)
    ngao = office(result, "lp-ngao")
    assert not ngao.complete
    assert ngao.rank is None and ngao.tier is None
    assert ngao.missing == ["ข"]
    assert ngao.scored_by == ["ก", "ค"]
    thoen = office(result, "lp-thoen")
    assert thoen.complete and thoen.rank == 1  # the incomplete 95.50 takes no rank from it
    assert not result.complete
    data = round_as_json(result, provisional=True)
    (entry,) = [o for o in data["offices"] if o["office_id"] == "lp-ngao"]
    assert entry["total"] is None and entry["rank"] is None and entry["tier"] is None
    assert entry["complete"] is False and entry["missing"] == ["ข"] and entry["members"] == 2
    assert data["offices"][0]["office_id"] == "lp-thoen"


def test_a_member_not_given_an_office_is_not_missing_for_it() -> None:
    """Assignments: a workbook without the office's sheet does not count against it."""
    sheets: dict[str, dict[str, Table | None]] = {
        "ก": {"lp-ngao": spread(80), "lp-thoen": spread(70)},
        "ข": {"lp-thoen": spread(71)},
    }
    result = run(sheets)
    ngao = office(result, "lp-ngao")
    assert ngao.complete and ngao.missing == [] and ngao.assigned == ["ก"] and ngao.rank == 1
    assert office(result, "lp-thoen").rank == 2


def test_quorum_decides_when_an_office_is_complete(quorum_rubric: Rubric) -> None:
    sheets: dict[str, dict[str, Table | None]] = {
        name: {
            "lp-ngao": spread(80) if name in "กขค" else None,  # 3 of 5: quorum met
            "lp-thoen": spread(70) if name in "กข" else None,  # 2 of 5: short
            "lp-mae-mo": spread(60),  # everyone
        }
        for name in FIVE
    }
    result = run(sheets, rubric=quorum_rubric)
    ngao = office(result, "lp-ngao")
    assert ngao.complete and ngao.rank == 1 and ngao.missing == ["ง", "จ"]
    assert ngao.tier is not None and ngao.tier.th == OUTSTANDING
    thoen = office(result, "lp-thoen")
    assert not thoen.complete and thoen.rank is None and thoen.tier is None
    assert thoen.missing == ["ค", "ง", "จ"]
    assert office(result, "lp-mae-mo").rank == 2
    # Without a quorum every member who returned a workbook must have scored the office.
    default = run(sheets)
    assert [o.office.id for o in default.offices if o.complete] == ["lp-mae-mo"]


def test_an_office_nobody_scored_is_incomplete() -> None:
    result = run({"ก": {"lp-ngao": None, "lp-thoen": spread(70)}})
    ngao = office(result, "lp-ngao")
    assert not ngao.complete and ngao.total is None and ngao.shown is None and ngao.rank is None
    assert ngao.missing == ["ก"]


def test_a_superseding_copy_replaces_the_earlier_scores(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite3", create=True) as store:
        fill_store(store, RUBRIC, {"ก": {"lp-ngao": spread(50)}})
        fill_store(store, RUBRIC, {"ก": {"lp-ngao": spread(75)}})  # same workbook id, other content
        result = aggregate(store, RUBRIC, ROUND)
    assert office(result, "lp-ngao").total == 75
    assert len(result.files) == 1 and len(result.history) == 2


# ---------------------------------------------------------------- properties

NAMES = ("นาย ก", "นาง ข", "นางสาว ค", "นาย ง", "นาง จ", "ก", "ข", "Ann", "Bob")
OFFICE_IDS = tuple(o.id for o in RUBRIC.offices)


def _criterion_scores(step: int) -> st.SearchStrategy[dict[str, Decimal]]:
    """Scores within 0..max in steps of 1/step (4: quarters as members give; 100: hundredths)."""
    return st.fixed_dictionaries(
        {
            c.id: st.integers(0, int(c.max * step)).map(lambda k, s=step: Decimal(k) / s)
            for c in RUBRIC.criteria
        }
    )


@st.composite
def rounds(draw: st.DrawFn, *, blanks: bool = False, min_members: int = 1) -> dict[str, dict[str, Table | None]]:
    """A round with a few members and offices; tables come from a small pool so ties are common."""
    members = draw(st.lists(st.sampled_from(NAMES), min_size=min_members, max_size=6, unique=True))
    offices = draw(st.lists(st.sampled_from(OFFICE_IDS), min_size=1, max_size=6, unique=True))
    step = draw(st.sampled_from([4, 100]))
    pool = draw(st.lists(_criterion_scores(step), min_size=1, max_size=3))
    # Extremes as well: all zero and all full marks.
    pool += [{c.id: Decimal(0) for c in RUBRIC.criteria}, {c.id: c.max for c in RUBRIC.criteria}]
    sheets: dict[str, dict[str, Table | None]] = {m: {} for m in members}
    for office_id in offices:
        for member in members:
            blank = blanks and draw(st.integers(0, 3)) == 0
            sheets[member][office_id] = None if blank else pool[draw(st.integers(0, len(pool) - 1))]
    return sheets


def _competition_oracle(result: RoundResult) -> None:
    """Rank = 1 + the number of ranked offices with a higher shown total (no tie-break)."""
    ranked = [o for o in result.offices if o.rank is not None]
    for entry in ranked:
        assert entry.shown is not None
        higher = sum(1 for other in ranked if other.shown is not None and other.shown > entry.shown)
        assert entry.rank == 1 + higher, (entry.office.id, entry.rank, entry.shown)


@PROPERTY
@given(rounds(), st.randoms(use_true_random=False), st.sampled_from(METHODS))
def test_ranking_does_not_depend_on_file_order(sheets: Sheets, rng: object, method: str) -> None:
    members = list(sheets)
    shuffled = members[:]
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    first = run(sheets, method, order=members)
    second = run(sheets, method, order=shuffled)
    reverse = run(sheets, method, order=members[::-1])
    expected = [(o.office.id, o.rank, o.shown, o.tier, o.total) for o in first.offices]
    assert [(o.office.id, o.rank, o.shown, o.tier, o.total) for o in second.offices] == expected
    assert [(o.office.id, o.rank, o.shown, o.tier, o.total) for o in reverse.offices] == expected


@PROPERTY
@given(rounds(), st.sampled_from(METHODS))
def test_tied_shown_totals_share_a_rank_and_the_next_rank_skips(sheets: Sheets, method: str) -> None:
    result = run(sheets, method)
    _competition_oracle(result)
    ranked = [o for o in result.offices if o.rank is not None]
    # Listed in rank order; a shared rank of k offices is followed by rank + k.
    ranks = [o.rank for o in ranked]
    assert ranks == sorted(ranks)  # type: ignore[type-var]
    for position, entry in enumerate(ranked, start=1):
        assert entry.rank is not None and entry.rank <= position
        if position == 1 or ranked[position - 2].shown != entry.shown:
            assert entry.rank == position
        else:
            assert entry.rank == ranked[position - 2].rank
            assert entry.tie == "shared"


@PROPERTY
@given(rounds(), st.sampled_from(METHODS))
def test_a_total_is_never_above_the_maximum_nor_negative(sheets: Sheets, method: str) -> None:
    result = run(sheets, method)
    for entry in result.offices:
        if entry.total is None:
            continue
        assert 0 <= entry.total <= RUBRIC.total
        assert entry.shown is not None and Decimal(0) <= entry.shown <= RUBRIC.total
        for dimension in RUBRIC.dimensions:
            assert 0 <= entry.dimensions[dimension.id] <= dimension.max
        for criterion in RUBRIC.criteria:
            assert 0 <= entry.criteria[criterion.id] <= criterion.max
    for item in round_as_json(result, provisional=False)["offices"]:
        if item["total"] is not None:
            assert Decimal("0.00") <= Decimal(item["total"]) <= Decimal("100.00")


@PROPERTY
@given(rounds(), st.sampled_from(METHODS))
def test_breakdowns_add_up_to_the_total_exactly(sheets: Sheets, method: str) -> None:
    result = run(sheets, method)
    for entry in result.offices:
        if entry.total is None:
            continue
        assert all(isinstance(v, Fraction) for v in entry.dimensions.values())
        assert isinstance(entry.total, Fraction)
        assert sum(entry.dimensions.values(), Fraction(0)) == entry.total
        for dimension in RUBRIC.dimensions:
            subtotal = sum((entry.criteria[c.id] for c in dimension.criteria), Fraction(0))
            assert subtotal == entry.dimensions[dimension.id]
        # The total is the mean of the totals of the members that count.
        counted = [m for m in entry.scored if m.member in entry.counted]
        assert counted and len(counted) == len(entry.counted)
        assert entry.total == sum((m.total() for m in counted), Fraction(0)) / len(counted)
        assert entry.shown == shown(entry.total, RUBRIC.precision)
        if entry.complete:
            assert entry.tier == RUBRIC.tier_for(entry.shown)


@PROPERTY
@given(rounds(blanks=True), st.sampled_from(METHODS))
def test_an_office_with_a_missing_score_is_never_ranked(sheets: Sheets, method: str) -> None:
    result = run(sheets, method)
    data = {o["office_id"]: o for o in round_as_json(result, provisional=True)["offices"]}
    offices = {office_id for tables in sheets.values() for office_id in tables}
    for office_id in offices:
        entry = office(result, office_id)
        missing = sorted(m for m, tables in sheets.items() if tables.get(office_id, {}) is None)
        assert entry.missing == missing
        if missing:
            assert entry.rank is None and entry.tier is None and not entry.complete
            assert data[office_id]["rank"] is None and data[office_id]["total"] is None
            assert data[office_id]["tier"] is None and data[office_id]["complete"] is False
        else:
            assert entry.complete and entry.rank is not None
    _competition_oracle(result)


@PROPERTY
@given(rounds(min_members=2), st.sampled_from(METHODS))
def test_mean_median_and_trimmed_lie_between_the_member_totals(sheets: Sheets, method: str) -> None:
    result = run(sheets, method)
    for entry in result.offices:
        if entry.total is None:
            continue
        totals = sorted(m.total() for m in entry.scored)
        assert totals[0] <= entry.total <= totals[-1]
        if method == "trimmed":
            expected = "trimmed" if len(totals) >= 5 else "trimmed-fallback"
            assert entry.method_note == expected
            assert len(entry.counted) == (len(totals) - 2 if len(totals) >= 5 else len(totals))
        if method == "median":
            middle = len(totals) // 2
            if len(totals) % 2:
                assert entry.total == totals[middle]
            else:
                assert entry.total == (totals[middle - 1] + totals[middle]) / 2


def test_the_store_keeps_one_row_per_score_and_a_hand_edit_is_damage() -> None:
    """Scores are stored one row per score (schema 4): a note holding U+001F is just text,
    and a score or note changed in the store by hand is named as damaged."""
    totals = ["50", "79.99", "80.00", "80.00", "95"]
    sheets = {name: {"lp-mae-mo": spread(t), "lp-ko-kha": spread("72.5")} for name, t in zip(FIVE, totals, strict=True)}
    with temporary_store() as store:
        fill_store(store, RUBRIC, sheets)
        rows = store.db.execute("SELECT count(*) FROM scores").fetchone()[0]
        assert rows == len(FIVE) * 2 * len(RUBRIC.criteria)
        result = aggregate(store, RUBRIC, ROUND)
        assert office(result, "lp-mae-mo").total == Fraction(38499, 500)
        reading = make_reading(RUBRIC, "นาย ฉ", {"lp-mae-mo": spread("70")})
        office_id, criterion, value, sheet, cell, _ = reading.rows[0]
        reading.rows[0] = (office_id, criterion, value, sheet, cell, "a\x1fb")
        assert store.record(reading, RUBRIC.fiscal_year, ROUND, ["lp-mae-mo"]).status == "recorded"
        assert store.db.execute("SELECT count(*) FROM scores").fetchone()[0] == rows + len(RUBRIC.criteria)
        scored = office(aggregate(store, RUBRIC, ROUND), "lp-mae-mo").scored
        assert next(m for m in scored if m.member == "นาย ฉ").notes == {criterion: "a\x1fb"}
        store.db.execute("UPDATE scores SET note = note || char(31) WHERE rowid = 1")
        with pytest.raises(StoreError, match="damaged"):
            aggregate(store, RUBRIC, ROUND)
