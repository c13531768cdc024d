"""Agreement statistics (issue 18): published values, exactness, a reference implementation, flags.

The published values are reproduced twice: as a function call, and as a round
scored through the CLI (one criterion of maximum 10, one workbook per member).
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import RunCli
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.scoring import agreement as ag
from officestar_cli.scoring.agreement import round as ag_round
from officestar_cli.workbook.template import build_workbook
from support.filler import fill_workbook

# Shrout & Fleiss (1979), table 2: six targets (offices) rated by four judges (members).
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
PUBLISHED_ICC = {
    "ICC(1,1)": "0.1657", "ICC(A,1)": "0.2898", "ICC(C,1)": "0.7148",
    "ICC(1,k)": "0.4428", "ICC(A,k)": "0.6201", "ICC(C,k)": "0.9093",
}
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers x 12 units, gaps as None.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _table(rows: list[list[int]]) -> list[list[Fraction]]:
    return [[Fraction(v) for v in row] for row in rows]


def _units(observers: list[list[Any]]) -> list[list[Fraction]]:
    return [[Fraction(o[u]) for o in observers if o[u] is not None] for u in range(len(observers[0]))]


# ---------------------------------------------------------------- published values, as functions


def test_shrout_fleiss_icc_w_and_alpha() -> None:
    table = _table(SHROUT_FLEISS)
    found = ag.figures(table, table)
    assert {name: ag.four(value) for name, value in found.icc.items()} == PUBLISHED_ICC
    assert ag.four(found.kendall_w) == "0.8554"
    assert ag.four(found.kendall_w_tie_corrected) == "0.8870"
    assert ag.four(found.alpha_interval) == "0.1473"
    assert found.reasons == {}


def test_sem_and_mdc_follow_their_definitions() -> None:
    table = _table(SHROUT_FLEISS)
    found = ag.figures(table, table)
    means = [sum(map(Fraction, row)) / 4 for row in SHROUT_FLEISS]
    mean = sum(means) / len(means)
    spread = sum((m - mean) ** 2 for m in means) / (len(means) - 1)
    headline = found.icc["ICC(A,k)"]
    assert headline is not None
    # Squared back, the 28-digit roots give the exact values to 26 digits.
    assert found.sem is not None and found.mdc95 is not None
    assert abs(Fraction(found.sem) ** 2 - spread * (1 - headline)) < Fraction(1, 10**25)
    root_two = Fraction(ag.sqrt_of(Fraction(2)))
    assert abs(Fraction(found.mdc95) - Fraction("1.96") * root_two * Fraction(found.sem)) < Fraction(1, 10**24)
    assert ag.four(found.sem) == "1.0334"  # 1.03335...; 1.0331 when SD and ICC are rounded first
    assert ag.four(found.mdc95) == "2.8643"


def test_krippendorff_2011_interval_alpha() -> None:
    assert ag.four(ag.krippendorff_interval(_units(KRIPPENDORFF_2011))) == "0.8491"


def test_dixon_q_of_a_low_value() -> None:
    values = [Fraction(v) for v in ("1", "8", "8.5", "9", "9")]
    assert ag.dixon_q(values, Fraction(1)) == Fraction(7, 8)
    assert ag.four(ag.dixon_q(values, Fraction(1))) == "0.8750"
    assert ag.dixon_q(values, Fraction("8.5")) is None  # not an extreme value
    assert ag.dixon_q(values[:2], Fraction(1)) is None  # fewer than three values
    assert ag.DIXON_Q95[5] == Fraction("0.710")


def test_four_decimals_half_up() -> None:
    assert ag.four(Fraction(123445, 10**6)) == "0.1234"
    assert ag.four(Fraction(123450, 10**6)) == "0.1235"
    assert ag.four(Fraction(-123450, 10**6)) == "-0.1235"
    assert ag.four(Fraction(-1, 10**6)) == "0.0000"
    assert ag.four(Decimal("0.99995")) == "1.0000"
    assert ag.four(None) is None


# ---------------------------------------------------------------- exactness and a reference


def test_permuting_offices_or_members_gives_identical_fractions() -> None:
    table = _table(SHROUT_FLEISS)
    base = ag.figures(table, table)
    shuffle = random.Random(18)
    for _ in range(5):
        rows = table[:]
        shuffle.shuffle(rows)
        order = list(range(4))
        shuffle.shuffle(order)
        permuted = [[row[j] for j in order] for row in rows]
        found = ag.figures(permuted, permuted)
        assert found.icc == base.icc
        assert (found.kendall_w, found.kendall_w_tie_corrected) == (base.kendall_w, base.kendall_w_tie_corrected)
        assert found.alpha_interval == base.alpha_interval
        assert found.sem == base.sem
        assert all(isinstance(v, Fraction) for v in found.icc.values())


def _random_table(shuffle: random.Random, n: int, k: int) -> list[list[Fraction]]:
    return [[Fraction(shuffle.randint(0, 40), 4) for _ in range(k)] for _ in range(n)]


def test_icc_agrees_with_pingouin_on_random_complete_designs() -> None:
    pandas = pytest.importorskip("pandas")
    pingouin = pytest.importorskip("pingouin", reason="the test extra installs pingouin")
    names = {"ICC1": "ICC(1,1)", "ICC2": "ICC(A,1)", "ICC3": "ICC(C,1)",
             "ICC1k": "ICC(1,k)", "ICC2k": "ICC(A,k)", "ICC3k": "ICC(C,k)"}
    shuffle = random.Random(1979)
    for _ in range(8):
        n, k = shuffle.randint(3, 12), shuffle.randint(3, 7)
        table = _random_table(shuffle, n, k)
        ours = ag.icc(table)
        long = pandas.DataFrame(
            [(i, j, float(table[i][j])) for i in range(n) for j in range(k)], columns=["office", "member", "score"]
        )
        theirs = pingouin.intraclass_corr(long, targets="office", raters="member", ratings="score")
        for _, row in theirs.iterrows():
            value = ours[names.get(row["Type"], row["Type"])]  # older versions: ICC1 .. ICC3k
            assert value is not None
            assert abs(float(value) - float(row["ICC"])) < 1e-9, (row["Type"], n, k)


def test_alpha_agrees_with_krippendorff_on_random_complete_and_incomplete_designs() -> None:
    numpy = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff", reason="the test extra installs krippendorff")
    shuffle = random.Random(2011)
    for design in range(12):
        members, offices = shuffle.randint(3, 6), shuffle.randint(4, 15)
        gaps = design % 2 == 1  # every other design leaves scores out
        data: list[list[Fraction | None]] = [
            [None if gaps and shuffle.random() < 0.3 else Fraction(shuffle.randint(0, 20), 2)
             for _ in range(offices)]
            for _ in range(members)
        ]
        units = [[row[u] for row in data if row[u] is not None] for u in range(offices)]
        ours = ag.krippendorff_interval([[v for v in u if v is not None] for u in units])
        reliability = numpy.array([[numpy.nan if v is None else float(v) for v in row] for row in data])
        theirs = krippendorff.alpha(reliability_data=reliability, level_of_measurement="interval")
        assert ours is not None
        assert abs(float(ours) - float(theirs)) < 1e-9, design


def test_undefined_figures_are_none_with_a_reason() -> None:
    two = _table([[1, 2], [3, 5], [6, 6], [2, 9]])
    found = ag.figures(two, two)
    assert set(found.icc.values()) == {None}
    assert found.kendall_w is None and found.sem is None and found.alpha_interval is None
    assert found.reasons["ICC(A,k)"].code == "few-members"
    same = _table([[7, 7, 7]] * 4)
    found = ag.figures(same, same)
    assert set(found.icc.values()) == {None} and found.reasons["ICC(1,1)"].code == "all-equal"
    assert found.reasons["alpha_interval"].code == "all-equal"
    few = _table([[1, 2, 3], [4, 5, 9]])
    assert ag.figures(few, few).reasons["kendall_w"].code == "few-offices"
    # Offices all alike but members differ: every member ties every office, so the tie-corrected W
    # divides by zero, and ICC(C,1) has no residual to compare with.
    flat = _table([[1, 2, 3]] * 4)
    found = ag.figures(flat, flat)
    assert found.kendall_w == 0
    assert found.kendall_w_tie_corrected is None and found.reasons["kendall_w_tie_corrected"].code == "no-variance"
    assert found.icc["ICC(C,1)"] is None and found.reasons["ICC(C,1)"].code == "no-variance"
    assert not any(isinstance(v, float) for v in found.icc.values())


# ---------------------------------------------------------------- rounds through the CLI


def _rubric_file(folder: Path, offices: int, extra: str = "") -> Path:
    lines = [
        "format: 1",
        "contest: {name: Agreement test, th: ทดสอบความสอดคล้อง, en: Agreement test}",
        "fiscal_year: 2567",
        "round: 1",
        "total: 10",
        "tiers: [{th: ดีเด่น, en: Outstanding, min: 8}, {th: ดีมาก, en: Very good, min: 7}, "
        "{th: ดี, en: Good, min: 6}]",
        "dimensions:",
        "  - {id: '1', th: ด้านเดียว, en: The one dimension, max: 10,",
        "     criteria: [{id: '1.1', th: ข้อเดียว, en: The one criterion, max: 10}]}",
        "offices:",
        *[f"  - {{id: o{i + 1}, th: หน่วยงาน {i + 1}, en: Office {i + 1}}}" for i in range(offices)],
    ]
    path = folder / "rubric.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, "utf-8")
    return path


def _score(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _round(folder: Path, table: list[list[Any]], extra: str = "") -> tuple[Path, Path, Rubric, list[Path]]:
    """One workbook per member (column) of ``table`` (offices x members), filled with its column."""
    rubric_path = _rubric_file(folder, len(table), extra)
    rubric = load_rubric(rubric_path)
    books = []
    for j in range(len(table[0])):
        blank = folder / f"blank-{j + 1}.xlsx"
        build_workbook(rubric, 1, f"กรรมการ {j + 1}", None).save(blank)
        scores = {f"o{i + 1}": table[i][j] for i in range(len(table))}
        books.append(fill_workbook(blank, folder / f"member-{j + 1}.xlsx", rubric,
                                   lambda office, _criterion, s=scores: _score(s[office])))
        blank.unlink()
    return rubric_path, folder / "store.sqlite3", rubric, books


def _scored(run_cli: RunCli, folder: Path, table: list[list[Any]], extra: str = "") -> tuple[Path, Path, list[Path]]:
    rubric_path, store, _, books = _round(folder, table, extra)
    done = run_cli("score", *books, "--store", store, "--rubric", rubric_path, "--no-report", "--json")
    assert done.exit_code == 0, done.stderr
    return rubric_path, store, books


def _agreement(run_cli: RunCli, rubric_path: Path, store: Path, *more: str) -> dict[str, Any]:
    done = run_cli("agreement", "--round", "1", "--store", store, "--rubric", rubric_path, "--json", *more)
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


def test_the_published_values_through_the_cli(run_cli: RunCli, tmp_path: Path) -> None:
    rubric_path, store, _ = _scored(run_cli, tmp_path, SHROUT_FLEISS)
    data = _agreement(run_cli, rubric_path, store)
    assert (data["n_offices"], data["n_members"]) == (6, 4)
    assert data["total"]["icc"] == PUBLISHED_ICC
    assert data["total"]["kendall_w"] == "0.8554"
    assert data["total"]["kendall_w_tie_corrected"] == "0.8870"
    assert data["total"]["alpha_interval"] == "0.1473"
    assert data["sem"] == "1.0334" and data["mdc95"] == "2.8643"
    assert data["dimensions"]["1"]["icc"] == PUBLISHED_ICC  # a share of 10 changes no ICC
    assert set(data) >= {"round", "n_members", "n_offices", "members", "offices", "total", "dimensions", "flags",
                         "members_summary", "method_sensitivity", "reasons", "sem", "mdc95"}
    # ICC(C,1) .7148 against ICC(A,1) .2898: the members differ in leniency, and it is said.
    assert any("leniency" in note for note in data["total"]["notes"]) or any(
        "ความเข้มงวด" in note for note in data["total"]["notes"])
    human = run_cli("agreement", "--round", "1", "--store", store, "--rubric", rubric_path, "--lang", "en")
    assert human.exit_code == 0 and "0.6201" in human.stdout and "0.8554" in human.stdout


def _cell_of(book: Path, office_id: str, criterion_id: str) -> tuple[str, str]:
    """The sheet and score cell of a criterion, found with openpyxl (not officestar's reader)."""
    workbook = load_workbook(book)
    for sheet in workbook.worksheets:
        if sheet["F2"].value != office_id:
            continue
        for row in range(1, sheet.max_row + 1):
            if sheet.cell(row, 1).value == criterion_id:
                return sheet.title, f"E{row}"
    raise AssertionError(f"{office_id} {criterion_id} not in {book}")


PLANTED = [  # office o4, member 1: a 1 among 8-9s
    [8, 8.5, 9, 8, 9], [9, 8, 8.5, 9, 8], [8.5, 9, 8, 8.5, 9], [1, 8, 8.5, 9, 9], [9, 9, 8, 8, 8.5],
    [8, 8.5, 8.5, 9, 8],
]


def test_a_planted_low_score_gives_exactly_one_flag_naming_its_cell(run_cli: RunCli, tmp_path: Path) -> None:
    rubric_path, store, books = _scored(run_cli, tmp_path, PLANTED)
    data = _agreement(run_cli, rubric_path, store)
    assert len(data["flags"]) == 1
    flag = data["flags"][0]
    sheet, cell = _cell_of(books[0], "o4", "1.1")
    assert (flag["member"], flag["office_id"], flag["criterion_id"]) == ("กรรมการ 1", "o4", "1.1")
    assert (flag["sheet"], flag["cell"]) == (sheet, cell)
    assert Path(flag["file"]).name == books[0].name
    assert flag["value"] == "1.0000" and flag["others_median"] == "8.7500"
    assert flag["dixon_q"] == {"q": "0.8750", "critical": "0.7100", "outlier": True}
    human = run_cli("agreement", "--round", "1", "--store", store, "--rubric", rubric_path)
    assert cell in human.stdout and "0.8750" in human.stdout


def test_a_clean_round_gives_no_flag(run_cli: RunCli, tmp_path: Path) -> None:
    clean = [row[:] for row in PLANTED]
    clean[3][0] = 8
    rubric_path, store, _ = _scored(run_cli, tmp_path, clean)
    assert _agreement(run_cli, rubric_path, store)["flags"] == []


def test_the_outlier_threshold_is_set_in_the_rubric(run_cli: RunCli, tmp_path: Path) -> None:
    # 5 % of 10 is half a point: an 8 where the others have 8.75 is flagged too; the fingerprint is unchanged.
    rubric_path, store, _ = _scored(run_cli, tmp_path, PLANTED, "outlier_share: 0.05\noutlier_steps: 2\n")
    data = _agreement(run_cli, rubric_path, store)
    assert data["outlier_threshold"] == {"share": "0.0500", "steps": 2}
    assert len(data["flags"]) > 1
    (tmp_path / "plain").mkdir()
    plain = _rubric_file(tmp_path / "plain", 6)
    assert load_rubric(plain).fingerprint == load_rubric(rubric_path).fingerprint


def test_two_members_give_not_computed_and_exit_0(run_cli: RunCli, tmp_path: Path) -> None:
    rubric_path, store, _ = _scored(run_cli, tmp_path, [row[:2] for row in SHROUT_FLEISS])
    data = _agreement(run_cli, rubric_path, store)
    assert set(data["total"]["icc"].values()) == {None}
    assert data["sem"] is None and data["total"]["kendall_w"] is None
    assert "total.ICC(A,k)" in data["reasons"] and data["flags"] == []
    human = run_cli("agreement", "--round", "1", "--store", store, "--rubric", rubric_path, "--lang", "en")
    assert human.exit_code == 0 and "Not computed" in human.stdout


def test_all_equal_scores_give_not_computed_and_exit_0(run_cli: RunCli, tmp_path: Path) -> None:
    rubric_path, store, _ = _scored(run_cli, tmp_path, [[8, 8, 8]] * 4)
    data = _agreement(run_cli, rubric_path, store, "--lang", "en")
    assert set(data["total"]["icc"].values()) == {None}
    assert data["total"]["alpha_interval"] is None
    assert data["reasons"]["total.ICC(A,k)"] == "every score is equal"
    assert data["flags"] == [] and data["method_sensitivity"] == []


def test_without_scipy_the_output_says_what_to_install(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rubric_path, store, _ = _scored(run_cli, tmp_path, SHROUT_FLEISS)
    monkeypatch.setattr(ag_round, "stats_available", lambda: False)  # where round_agreement looks it up
    data = _agreement(run_cli, rubric_path, store)
    assert "ci" not in data["total"] and "p" not in data["total"]
    assert data["reasons"]["ci"] == "ช่วงความเชื่อมั่นต้องติดตั้ง officestar[stats]"
    human = run_cli("agreement", "--round", "1", "--store", store, "--rubric", rubric_path)
    assert human.exit_code == 0 and "ช่วงความเชื่อมั่นต้องติดตั้ง officestar[stats]" in human.stdout
    monkeypatch.undo()
    if ag.stats_available():  # with the extra: intervals around the published ICC(A,k)
        data = _agreement(run_cli, rubric_path, store)
        low, high = (Fraction(v) for v in data["total"]["ci"]["ICC(A,k)"])
        assert low < Fraction(data["total"]["icc"]["ICC(A,k)"]) < high
        assert "ci" not in data["reasons"]


def test_members_leniency_and_correlation(run_cli: RunCli, tmp_path: Path) -> None:
    rubric_path, store, _ = _scored(run_cli, tmp_path, SHROUT_FLEISS)
    summary = {m["member"]: m for m in _agreement(run_cli, rubric_path, store)["members_summary"]}
    # Member 1 of Shrout & Fleiss is the most lenient: 7.6667 against the others' 4.6111 on average.
    others = [Fraction(sum(row[1:]), 3) for row in SHROUT_FLEISS]
    lenient = sum(Fraction(row[0]) - o for row, o in zip(SHROUT_FLEISS, others, strict=True)) / 6
    assert summary["กรรมการ 1"]["leniency"] == ag.four(lenient)
    assert all(m["correlation"] is not None for m in summary.values())
    assert {m["flagged"] for m in summary.values()} <= {True, False}


def test_the_example_round_interval_is_what_the_docs_say(run_cli: RunCli, root: Path, tmp_path: Path) -> None:
    """docs/agreement.md gives the example round's ICC(A,k) interval and its width: they must be today's."""
    pytest.importorskip("scipy", reason="the test extra installs scipy")
    examples = sorted((root / "examples" / "round-2").glob("*.xlsx"))
    rubric_path, store = root / "rubric.yaml", tmp_path / "store.sqlite3"
    assert run_cli("score", *examples, "--store", store, "--rubric", rubric_path, "--no-report").exit_code == 0
    done = run_cli("agreement", "--store", store, "--rubric", rubric_path, "--json")
    data = json.loads(done.stdout)
    low, high = data["total"]["ci"]["ICC(A,k)"]
    width = ag.four(Fraction(high) - Fraction(low))
    text = (root / "docs" / "agreement.md").read_text("utf-8")
    assert f"ICC(A,k) = {data['total']['icc']['ICC(A,k)']}" in text
    assert f"{low}–{high}" in text and f"{width}" in text
    assert f"SEM = {data['sem']}" in text and f"MDC95 = {data['mdc95']}" in text


def test_both_reports_carry_the_figures_and_the_flag(run_cli: RunCli, tmp_path: Path) -> None:
    rubric_path, store, _, books = _round(tmp_path, PLANTED)
    out = tmp_path / "reports"
    done = run_cli("score", *books, "--store", store, "--rubric", rubric_path, "--out", out, "--date", "2024-08-30")
    assert done.exit_code == 0, done.stderr
    data = _agreement(run_cli, rubric_path, store)
    sheet_name, cell = _cell_of(books[0], "o4", "1.1")
    markdown = (out / "officestar-2567-round-1.md").read_text("utf-8")
    assert "## ความสอดคล้องของกรรมการ" in markdown
    assert f"| ICC(A,k) | {data['total']['icc']['ICC(A,k)']} |" in markdown
    assert f"{sheet_name}!{cell}" in markdown
    report = load_workbook(out / "officestar-2567-round-1.xlsx")
    sheet = report["ความสอดคล้อง"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["ICC(A,k)", float(data["total"]["icc"]["ICC(A,k)"]), float(data["dimensions"]["1"]["icc"]["ICC(A,k)"])] in [
        r[:3] for r in rows]
    flagged = [row for row in sheet.iter_rows() if row[3].value == cell and row[4].value == "o4"]
    assert len(flagged) == 1
    link = flagged[0][9].hyperlink
    assert link is not None and link.location is not None
    target_sheet, target_cell = link.location.rsplit("!", 1)
    sources = report[target_sheet.strip("'")]
    target = sources[target_cell].row
    assert [sources.cell(target, c).value for c in (2, 3)] == ["o4", "กรรมการ 1"]


def test_a_member_who_orders_the_offices_otherwise_is_flagged(run_cli: RunCli, tmp_path: Path) -> None:
    # Members 1-4 order the offices alike; member 5 reverses them.
    table = [[2, 2.5, 2, 3, 9], [4, 4.5, 4, 4, 7], [6, 6, 6.5, 6, 5], [8, 7.5, 8, 8, 3], [9, 9.5, 9, 9.5, 2]]
    rubric_path, store, _ = _scored(run_cli, tmp_path, table)
    summary = {m["member"]: m for m in _agreement(run_cli, rubric_path, store)["members_summary"]}
    assert summary["กรรมการ 5"]["flagged"] is True
    assert Fraction(summary["กรรมการ 5"]["correlation"]) < 0
    assert [summary[f"กรรมการ {i}"]["flagged"] for i in range(1, 5)] == [False] * 4


def test_method_sensitivity_names_the_offices_whose_tier_changes(run_cli: RunCli, tmp_path: Path) -> None:
    # o1: mean 7.5333 (ดีมาก), median 8.2 (ดีเด่น); the other offices keep tier and rank.
    table = [[6, 8.2, 8.4], [9.5, 9.5, 9.6], [5, 5, 5.1], [3, 3, 3.1]]
    rubric_path, store, _ = _scored(run_cli, tmp_path, table)
    data = _agreement(run_cli, rubric_path, store)
    assert [s["office_id"] for s in data["method_sensitivity"]] == ["o1"]
    changed = data["method_sensitivity"][0]
    assert changed["mean"] == {"total": "7.53", "tier": "ดีมาก", "rank": 2}
    assert changed["median"] == {"total": "8.20", "tier": "ดีเด่น", "rank": 2}
    assert changed["trimmed"] is None and "method_sensitivity.trimmed" in data["reasons"]


def test_alpha_keeps_an_office_a_member_did_not_score(run_cli: RunCli, tmp_path: Path) -> None:
    numpy = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff", reason="the test extra installs krippendorff")
    table: list[list[Any]] = [row[:] for row in SHROUT_FLEISS]
    table[2][1] = None  # member 2 leaves office o3 blank
    rubric_path, store, _, books = _round(tmp_path, table)
    done = run_cli("score", *books, "--store", store, "--rubric", rubric_path, "--no-report", "--json")
    assert done.exit_code == 0, done.stderr
    data = _agreement(run_cli, rubric_path, store)
    assert data["n_offices"] == 5 and "o3" not in data["offices"]  # ICC and W: complete offices only
    reliability = numpy.array([[numpy.nan if row[j] is None else row[j] for row in table] for j in range(4)],
                              dtype=float)
    theirs = krippendorff.alpha(reliability_data=reliability, level_of_measurement="interval")
    assert data["total"]["alpha_interval"] == ag.four(Fraction(theirs).limit_denominator(10**12))
    # Leniency with two others at o3 and three elsewhere.
    gaps = []
    for row in table:
        others = [Fraction(v) for v in row[1:] if v is not None]
        gaps.append(Fraction(row[0]) - sum(others) / len(others))
    summary = {m["member"]: m for m in data["members_summary"]}
    assert summary["กรรมการ 1"]["leniency"] == ag.four(sum(gaps) / len(gaps))
    assert summary["กรรมการ 2"]["offices"] == 5


def test_the_median_of_the_others_without_copying() -> None:
    import statistics

    shuffle = random.Random(5)
    for _ in range(300):
        values = sorted(shuffle.randint(0, 9) for _ in range(shuffle.randint(2, 9)))
        for index, value in enumerate(values):
            others = values[:index] + values[index + 1 :]
            assert Fraction(ag.doubled_median_without(values, value), 2) == Fraction(statistics.median(others))


@pytest.mark.parametrize("extra", ["outlier_share: 1.5\n", "outlier_share: 0\n", "outlier_steps: -1\n",
                                   "outlier_steps: two\n"])
def test_a_bad_outlier_threshold_is_a_rubric_error(run_cli: RunCli, tmp_path: Path, extra: str) -> None:
    rubric_path = _rubric_file(tmp_path, 3, extra)
    done = run_cli("rubric", "--rubric", rubric_path, "--lang", "en")
    assert done.exit_code == 2
    assert extra.split(":")[0] in done.stderr


def test_the_outlier_threshold_defaults_and_shows_in_the_rubric(run_cli: RunCli, tmp_path: Path) -> None:
    data = json.loads(run_cli("rubric", "--json", "--rubric", _rubric_file(tmp_path, 3)).stdout)
    assert (data["outlier_share"], data["outlier_steps"]) == ("0.3", 2)
