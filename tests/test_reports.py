"""The reports: Excel and Markdown from a round recorded in a real store.

The round is made the way users make it: template workbooks, filled as a
member would, read, cross-checked and recorded, then aggregated. The rubric is
a variant whose provincial office is named like a formula with a ``|`` and a
line break, and one member's name is a spreadsheet-injection string, so every
report must keep user text as text.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import os
import pickle
import re
import shutil
import stat
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import unprivileged
from fill import fill_workbook
from helpers import soffice_convert
from officestar_cli.base.errors import OutputError
from officestar_cli.intake import batch as pipeline
from officestar_cli.intake.reader import read_workbook
from officestar_cli.reports.excel import TIER_COLOURS, cell_runs, expand_runs, shown_digits, tier_colour
from officestar_cli.reports.excel.cells import shown_float
from officestar_cli.reports.markdown import cell
from officestar_cli.reports.write import report_paths, write_reports
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.scoring.aggregate import RoundResult, aggregate
from officestar_cli.scoring.exact import fmt, shown
from officestar_cli.store.record import record_all
from officestar_cli.store.store import Store
from officestar_cli.workbook import contract as sf
from officestar_cli.workbook.template import build_workbook

ROOT = Path(__file__).resolve().parent.parent
ROUND = 2
DAY = dt.date(2024, 8, 30)  # 30 สิงหาคม 2567
VERSION = "9.9.9-test"
HOSTILE_OFFICE = '=HYPERLINK("x")|a\nb'
INJECTION = "=cmd|' /C calc'!A0"
MEMBERS = ("สมชาย ใจดี", INJECTION, "@บุญมี|x")
INCOMPLETE = "lp-thoen"  # the third member leaves it blank
TWIN, TIED = "lp-hang-chat", "lp-ngao"  # equal totals; dimension 5 separates them
NOTE = "=ดูภาพถ่าย|หน้า 3"  # the first member's evidence note on criterion 1.1 of one office


# --------------------------------------------------------------------------- the round


def _rubric_variant(tmp: Path, name: str, extra: str = "") -> Rubric:
    text = (ROOT / "rubric.yaml").read_text("utf-8")
    hostile = HOSTILE_OFFICE.replace('"', '\\"').replace("\n", "\\n")
    text = text.replace("    th: สพจ.ลำปาง\n", f'    th: "{hostile}"\n', 1)
    for line in extra.splitlines():
        key = line.split(":", 1)[0]
        text = re.sub(rf"(?m)^{key}:.*$", line, text, count=1)
    path = tmp / name
    path.write_text(text, "utf-8")
    return load_rubric(path)


def _score(rubric: Rubric, member: int, shift: Decimal = Decimal(0)) -> Callable[[str, str], Decimal | None]:
    index = {office.id: i for i, office in enumerate(rubric.offices)}
    index[TIED] = index[TWIN]

    def score(office_id: str, criterion_id: str) -> Decimal | None:
        if member == 2 and office_id == INCOMPLETE:
            return None
        fraction = Decimal("0.60") + Decimal("0.02") * index[office_id] + Decimal("0.05") * member + shift
        value = (rubric.criterion_by_id[criterion_id].max * fraction).quantize(Decimal("0.01"))
        if office_id == TIED:  # same total as TWIN, half a point moved into dimension 5
            value += {"5.1": Decimal("0.5"), "1.2": Decimal("-0.5")}.get(criterion_id, Decimal(0))
        return value

    return score


def _as_text_member(path: Path, member: str) -> None:
    """Write the member name as a string cell (the template would make "=..." a formula)."""
    workbook = load_workbook(path)
    cover = workbook.worksheets[0]
    identity = workbook[sf.IDENTITY_SHEET]
    targets = [cover[sf.COVER_CELLS["member"]]]
    targets += [row[1] for row in identity.iter_rows(max_col=2) if row[0].value == "member"]
    for target in targets:
        target.value = member
        target.data_type = "s"
    workbook.save(path)


def _add_note(path: Path, note: str) -> None:
    """Write ``note`` beside criterion 1.1 of the first office sheet, as a member types it."""
    workbook = load_workbook(path)
    for ws in workbook.worksheets:
        row = next((c.row for c in ws[sf.ID_COLUMN] if c.value == "1.1"), None)
        if row is not None and ws.sheet_state == "visible":
            target = ws[f"{sf.NOTES_COLUMN}{row}"]
            target.value = note
            target.data_type = "s"
            break
    workbook.save(path)


def _record(store: Store, rubric: Rubric, paths: list[Path]) -> None:
    readings = [read_workbook(p, rubric, ROUND) for p in paths]
    pipeline.cross_check(readings)
    results = record_all(store, readings, rubric, ROUND)
    assert [r.status for r in results] == ["recorded"] * len(paths), [r.reading.issues for r in results]


@dataclass
class Round:
    folder: Path
    rubric: Rubric
    store: Store
    result: RoundResult

    def again(self, rubric: Rubric) -> RoundResult:
        return aggregate(self.store, rubric, ROUND)


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Round]:
    folder = tmp_path_factory.mktemp("reports-round")
    rubric = _rubric_variant(folder, "rubric.yaml")
    store = Store(folder / "store.sqlite3", create=True)
    filled: list[Path] = []
    first_copy: Path | None = None
    for i, member in enumerate(MEMBERS):
        blank = folder / f"blank-{i}.xlsx"
        build_workbook(rubric, ROUND, member).save(blank)
        if member.startswith("="):
            _as_text_member(blank, member)
        if i == 0:  # an earlier copy of the same workbook, superseded below
            first_copy = fill_workbook(
                blank, folder / "returned" / "early.xlsx", rubric, _score(rubric, i, Decimal("-0.10"))
            )
        filled.append(fill_workbook(blank, folder / "returned" / f"member-{i}.xlsx", rubric, _score(rubric, i)))
        if i == 0:
            _add_note(filled[-1], NOTE)
    assert first_copy is not None
    _record(store, rubric, [first_copy])
    _record(store, rubric, filled)
    yield Round(folder, rubric, store, aggregate(store, rubric, ROUND))
    store.close()


def _write(result: RoundResult, out: Path, lang: str = "th", provisional: bool = False) -> list[Path]:
    return write_reports(result, out, lang=lang, date=DAY, provisional=provisional, tool_version=VERSION)


@pytest.fixture(scope="module")
def reports(round_: Round) -> tuple[Path, Path]:
    xlsx, md, _html = _write(round_.result, round_.folder / "out")
    return xlsx, md


def _table(ws: object, header_text: str) -> tuple[int, dict[str, int]]:
    """Row number and column map of the table whose header holds ``header_text``."""
    for row in ws.iter_rows(max_row=10):  # type: ignore[attr-defined]
        labels = {str(c.value): c.column for c in row if c.value is not None}
        if header_text in labels:
            return row[0].row, labels
    raise AssertionError(f"no header {header_text!r}")


# --------------------------------------------------------------------------- the round is what we think


def test_the_round_has_a_tie_an_incomplete_office_and_history(round_: Round) -> None:
    result = round_.result
    by_id = {o.office.id: o for o in result.offices}
    assert by_id[TWIN].shown == by_id[TIED].shown and by_id[TWIN].tie == "shared"
    assert not by_id[INCOMPLETE].complete and by_id[INCOMPLETE].missing == ["@บุญมี|x"]
    assert by_id["lp-province"].office.th == HOSTILE_OFFICE
    assert INJECTION in result.members
    assert len(result.history) == len(result.files) + 1


# --------------------------------------------------------------------------- files and sheets


def test_both_reports_are_written_into_out_exactly(round_: Round, tmp_path: Path) -> None:
    out = tmp_path / "chosen"
    written = _write(round_.result, out)
    assert written == [out / f"officestar-2567-round-2.{suffix}" for suffix in ("xlsx", "md", "html")]
    assert written == list(report_paths(round_.result, out))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)  # no temporary left
    umask = os.umask(0)
    os.umask(umask)
    for path in written:  # shared like any file the user makes, not private to the writer
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_thai_sheets_by_default(reports: tuple[Path, Path]) -> None:
    workbook = load_workbook(reports[0])
    assert workbook.sheetnames == [
        "อันดับ", "รายเกณฑ์", "รายกรรมการ", "ความครบถ้วน", "ที่มาของคะแนน", "ตรวจสอบ", "ความสอดคล้อง"
    ]


def test_english_switch(round_: Round, tmp_path: Path) -> None:
    xlsx, md, _ = _write(round_.result, tmp_path, lang="en")
    workbook = load_workbook(xlsx)
    assert workbook.sheetnames == ["Ranking", "Criteria", "Members", "Coverage", "Sources", "Audit", "Agreement"]
    _, columns = _table(workbook["Ranking"], "Rank")
    assert {"Office", "Tier", "Coverage", "Tie rule"} <= set(columns)
    text = md.read_text("utf-8")
    for heading in (
        "## Ranking",
        "## Tiers",
        "## Incomplete offices",
        "## Key performance indicator",
        "## Scores per dimension",
        "## Audit",
        "30 August 2024 (BE 2567)",
    ):
        assert heading in text
    assert "อันดับ" not in text


# --------------------------------------------------------------------------- numbers


def test_ranking_totals_are_the_aggregate_shown_as_numbers(round_: Round, reports: tuple[Path, Path]) -> None:
    result = round_.result
    ws = load_workbook(reports[0])["อันดับ"]
    head, columns = _table(ws, "อันดับ")
    total_column = columns["คะแนนรวม (100)"]
    dimension_columns = [c for label, c in columns.items() if label.startswith("ด้านที่")]
    assert len(dimension_columns) == len(result.rubric.dimensions) == 5
    for row, office in enumerate(result.offices, start=head + 1):
        assert ws.cell(row, columns["หน่วยงาน"]).value == office.office.th
        total = ws.cell(row, total_column)
        assert total.data_type == "n" and total.number_format == "0.00"
        assert office.shown is not None
        assert f"{total.value:.2f}" == fmt(office.shown, 2)
        rank = ws.cell(row, columns["อันดับ"]).value
        assert rank == (office.rank if office.rank is not None else "—")
        for column, dimension in zip(dimension_columns, result.rubric.dimensions, strict=True):
            value = ws.cell(row, column)
            assert value.data_type == "n"
            assert f"{value.value:.2f}" == fmt(shown(office.dimensions[dimension.id], 2), 2)


def test_tier_colours_chart_and_print_setup(round_: Round, reports: tuple[Path, Path]) -> None:
    workbook = load_workbook(reports[0])
    ranking = workbook["อันดับ"]
    assert len(ranking._charts) == 1  # openpyxl keeps charts it reads only here
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
        assert "&P" in (ws.oddFooter.center.text or "")
    assert ranking.print_title_rows == "$5:$5"
    head, columns = _table(ranking, "ระดับ")
    for row, office in enumerate(round_.result.offices, start=head + 1):
        fill = ranking.cell(row, columns["ระดับ"]).fill
        assert fill.fill_type == "solid" and fill.fgColor.rgb[-6:] == tier_colour(office, round_.result)  # ARGB
    assert {tier_colour(o, round_.result) for o in round_.result.offices} >= {TIER_COLOURS[1], TIER_COLOURS[2]}
    fonts = {c.font.name for row in ranking.iter_rows(min_row=5, max_row=8) for c in row if c.value is not None}
    assert fonts == {"TH SarabunPSK"}


def test_every_other_sheet_stores_numbers_as_numbers(round_: Round, reports: tuple[Path, Path]) -> None:
    workbook = load_workbook(reports[0])
    members = workbook["รายกรรมการ"]
    head, columns = _table(members, "หน่วยงาน")
    rows = {members.cell(r, 1).value: r for r in range(head + 1, members.max_row + 1)}
    for office in round_.result.offices:
        for scores in office.scored:
            value = members.cell(rows[office.office.th], columns[scores.member])
            assert value.data_type == "n"
            assert f"{value.value:.2f}" == fmt(shown(scores.total(), 2), 2)
    criteria = workbook["รายเกณฑ์"]
    numeric = [c for row in criteria.iter_rows(min_row=4, min_col=4) for c in row if c.value not in (None, "—")]
    assert numeric and all(c.data_type == "n" and c.number_format == "0.00" for c in numeric)


def test_the_report_holds_no_formula_and_user_text_stays_text(reports: tuple[Path, Path]) -> None:
    workbook = load_workbook(reports[0])
    seen: dict[str, list[str]] = {HOSTILE_OFFICE: [], INJECTION: [], "@บุญมี|x": []}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str) and c.value in seen:
                    assert c.data_type == "s"
                    assert c.quotePrefix, f"{ws.title}!{c.coordinate} lacks the text prefix"
                    seen[c.value].append(ws.title)
    assert set(seen[HOSTILE_OFFICE]) >= {"อันดับ", "รายเกณฑ์", "รายกรรมการ", "ความครบถ้วน", "ที่มาของคะแนน"}
    assert set(seen[INJECTION]) >= {"รายกรรมการ", "ความครบถ้วน", "ที่มาของคะแนน", "ตรวจสอบ"}


def test_every_number_is_traceable_to_file_sheet_and_cell(round_: Round, reports: tuple[Path, Path]) -> None:
    """Recompute each office total and criterion value from the sources sheet alone: they match.

    The sources sheet has one row per member and office: the file (name and
    SHA-256), the sheet, the cells in criterion order and one column per
    criterion with the score read from that cell.
    """
    result = round_.result
    workbook = load_workbook(reports[0])
    ws = workbook["ที่มาของคะแนน"]
    head, columns = _table(ws, "SHA-256")
    criteria = [c.id for c in result.rubric.criteria]
    first = columns[criteria[0]]
    assert [columns[c] for c in criteria] == list(range(first, first + len(criteria)))
    history = {f.sha256: f for f in result.history}
    scores: dict[tuple[str, str], dict[str, Fraction]] = {}
    counted: dict[str, set[str]] = {}
    for row in range(head + 1, ws.max_row + 1):

        def value(name: str, row: int = row) -> object:
            return ws.cell(row, columns[name]).value

        stored = history[str(value("SHA-256"))]
        assert stored.superseded_by is None and stored.name == value("ไฟล์")
        office = next(o for o in result.offices if o.office.id == value("รหัสหน่วยงาน"))
        member = next(m for m in office.scored if m.member == value("กรรมการ"))
        assert member.file.sha256 == stored.sha256
        cells = expand_runs(str(value("เซลล์ (ตามลำดับข้อ)")))
        assert [(value("แผ่นงาน"), cell) for cell in cells] == [member.cells[c] for c in criteria]
        for c in criteria:
            assert ws.cell(row, columns[c]).data_type == "n"
            assert ws.cell(row, columns[c]).number_format == "0.00"
        row_scores = {c: Fraction(Decimal(str(value(c)))) for c in criteria}
        assert f"{value('คะแนนรวมของกรรมการ'):.2f}" == fmt(shown(sum(row_scores.values(), Fraction(0)), 2), 2)
        notes = "; ".join(f"{c}: {member.notes[c]}" for c in criteria if member.notes.get(c))
        assert (value("หมายเหตุ/หลักฐานของกรรมการ") or "") == notes
        key = (office.office.id, member.member)
        assert key not in scores
        scores[key] = row_scores
        if value("นับในผลรวม") == "นับ":
            counted.setdefault(office.office.id, set()).add(member.member)
    assert set(scores) == {(o.office.id, m.member) for o in result.offices for m in o.scored}
    criteria_ws = workbook["รายเกณฑ์"]
    criteria_head, office_columns = _table(criteria_ws, "ประเด็นการประเมิน")
    criterion_rows = {criteria_ws.cell(r, 1).value: r for r in range(criteria_head + 1, criteria_ws.max_row + 1)}
    for office in result.offices:
        chosen = [scores[(office.office.id, m)] for m in sorted(counted[office.office.id])]
        total = sum((sum(s.values(), Fraction(0)) for s in chosen), Fraction(0)) / len(chosen)
        assert office.shown == shown(total, 2)
        for c in criteria:
            mean = sum((s[c] for s in chosen), Fraction(0)) / len(chosen)
            shown_there = criteria_ws.cell(criterion_rows[c], office_columns[office.office.th]).value
            assert f"{shown_there:.2f}" == fmt(shown(mean, 2), 2), (office.office.id, c)


def test_members_notes_are_in_the_sources_sheet_as_text(round_: Round, reports: tuple[Path, Path]) -> None:
    ws = load_workbook(reports[0])["ที่มาของคะแนน"]
    head, columns = _table(ws, "SHA-256")
    noted = [
        ws.cell(row, columns["หมายเหตุ/หลักฐานของกรรมการ"])
        for row in range(head + 1, ws.max_row + 1)
        if ws.cell(row, columns["หมายเหตุ/หลักฐานของกรรมการ"]).value
    ]
    assert [c.value for c in noted] == [f"1.1: {NOTE}"]
    assert noted[0].data_type == "s"
    assert ws.cell(noted[0].row, columns["กรรมการ"]).value == MEMBERS[0]


def test_cell_lists_are_compact_and_exact() -> None:
    cells = ["E6", "E7", "E8", "E11", None, "E12", "F13", "E15", "E16"]
    text = cell_runs(cells)
    assert text == "E6:E8, E11, —, E12, F13, E15:E16"
    assert expand_runs(text) == [c or "—" for c in cells]


@given(
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
    st.integers(min_value=0, max_value=4),
)
def test_shown_digits_are_exact_shown(value: Fraction, precision: int) -> None:
    assert shown_digits(value, precision) == f"{shown(value, precision):.{precision}f}"
    assert shown_float(value, precision) == float(shown_digits(value, precision))  # the number a cell holds


def test_audit_lists_every_file_and_what_the_method_did(round_: Round, reports: tuple[Path, Path]) -> None:
    result = round_.result
    ws = load_workbook(reports[0])["ตรวจสอบ"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    for stored in result.history:
        assert stored.sha256 in texts
    assert any(t.startswith("ถูกแทนที่โดย ") for t in texts)
    assert result.rubric.fingerprint in texts
    assert f"officestar {VERSION}" in texts
    assert "30 สิงหาคม 2567" in texts
    assert "เฉลี่ยจากกรรมการ 3 คน" in texts and "เฉลี่ยจากกรรมการ 2 คน" in texts


def test_provisional_banner(round_: Round, tmp_path: Path) -> None:
    complete = round_.again(_rubric_variant(tmp_path, "quorum.yaml", "quorum: 2"))
    assert complete.complete
    xlsx, md, _ = _write(complete, tmp_path / "final")
    assert "ผลเบื้องต้น" not in str(load_workbook(xlsx)["อันดับ"]["A4"].value)
    assert "ผลเบื้องต้น" not in md.read_text("utf-8")
    xlsx, md, _ = _write(complete, tmp_path / "provisional", provisional=True)
    assert str(load_workbook(xlsx)["อันดับ"]["A4"].value).startswith("ผลเบื้องต้น")
    assert "> **ผลเบื้องต้น:**" in md.read_text("utf-8")
    # An incomplete round is provisional whatever the caller says.
    xlsx, *_ = _write(round_.result, tmp_path / "incomplete", provisional=False)
    assert str(load_workbook(xlsx)["อันดับ"]["A4"].value).startswith("ผลเบื้องต้น")


def test_a_declared_tie_break_is_named(round_: Round, tmp_path: Path) -> None:
    result = round_.again(_rubric_variant(tmp_path, "tiebreak.yaml", 'tie_break: ["5", "1"]'))
    by_id = {o.office.id: o for o in result.offices}
    assert by_id[TIED].rank is not None and by_id[TWIN].rank == by_id[TIED].rank + 1
    _, md, _ = _write(result, tmp_path)
    text = md.read_text("utf-8")
    assert "ตัดสินด้วยคะแนนด้านที่ 5 (ประชาชนมีคุณภาพชีวิตดี), ด้านที่ 1 (บริหารดี) ตามลำดับ" in text
    for office in (by_id[TIED], by_id[TWIN]):
        row = next(line for line in text.splitlines() if line.startswith(f"| {office.rank} | {office.office.th} |"))
        assert row.endswith("| คะแนนรวมเท่ากัน ตัดสินด้วยด้านที่ 5 (ประชาชนมีคุณภาพชีวิตดี) |")


# --------------------------------------------------------------------------- Markdown


def test_markdown_tables_keep_their_columns(reports: tuple[Path, Path]) -> None:
    text = reports[1].read_text("utf-8")
    assert 'HYPERLINK("x")\\|a b' in text and "=cmd\\|' /C calc'!A0" in text
    table: list[int] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(len(re.findall(r"(?<!\\)\|", line.replace("\\\\", ""))))
        elif table:
            assert len(set(table)) == 1, f"a table row has a different column count: {table}"
            table = []
    incomplete = next(line for line in text.splitlines() if line.startswith("| เถิน |"))
    assert "@บุญมี\\|x" in incomplete


def test_cell_filter() -> None:
    assert cell("a|b\nc\r\nd\\") == "a\\|b c d\\\\"
    assert cell("=SUM(A1)") == "=SUM(A1)"
    assert cell(80) == "80"


def test_markdown_content(round_: Round, reports: tuple[Path, Path]) -> None:
    text = reports[1].read_text("utf-8")
    assert text.startswith("# ผลการประเมิน โครงการ Office Star CDD LAMPANG\n")
    assert text.endswith("|\n") and not text.endswith("\n\n")
    for heading in (
        "## อันดับ",
        "## ระดับ",
        "## หน่วยงานที่ประเมินไม่ครบ",
        "## ตัวชี้วัดของโครงการ (KPI)",
        "## คะแนนรายด้าน",
        "## การตรวจสอบย้อนกลับ",
        "30 สิงหาคม 2567",
    ):
        assert heading in text
    for office in round_.result.offices:
        assert office.shown is not None
        assert f"| {fmt(office.shown, 2)} |" in text
    for stored in round_.result.history:
        assert f"`{stored.sha256[:12]}`" in text
    assert "| หน่วยงานที่ได้รับการประเมินครบ | 13/14 | 92.86 | 80 | บรรลุเป้าหมาย |" in text


def test_reports_are_deterministic(round_: Round, tmp_path: Path) -> None:
    one = _write(round_.result, tmp_path / "one")
    time.sleep(2.1)  # zip times have a 2-second grain: a clock read anywhere would now show
    two = _write(round_.again(round_.rubric), tmp_path / "two")
    assert one[1].read_bytes() == two[1].read_bytes()
    assert one[0].read_bytes() == two[0].read_bytes()  # no clock in the zip or the properties
    first, second = load_workbook(one[0]), load_workbook(two[0])
    for a, b in zip(first.worksheets, second.worksheets, strict=True):
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
    assert first.properties.created == first.properties.modified == dt.datetime(2024, 8, 30)


# --------------------------------------------------------------------------- outputs that cannot be written


def test_a_report_open_in_excel_leaves_both_reports_as_they_were(round_: Round, tmp_path: Path) -> None:
    xlsx, md, html = _write(round_.result, tmp_path)
    before = xlsx.read_bytes(), md.read_bytes(), html.read_bytes()
    lock = md.with_name("~$" + md.name)
    lock.write_text("", "utf-8")
    with pytest.raises(OutputError) as caught:
        write_reports(
            round_.result, tmp_path, lang="th", date=DAY + dt.timedelta(days=1), provisional=False, tool_version=VERSION
        )
    assert md.name in caught.value.th
    assert (xlsx.read_bytes(), md.read_bytes(), html.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([xlsx.name, md.name, html.name, lock.name])


_WORKER = """
import datetime, pickle, sys
from pathlib import Path
from typing import Any
from officestar_cli.base.errors import OutputError
from officestar_cli.reports.write import write_reports
result = pickle.loads(Path(sys.argv[1]).read_bytes())
try:
    write_reports(result, Path(sys.argv[2]), lang="en", date=datetime.date(2024, 9, 1),
                  provisional=False, tool_version="other")
except OutputError as error:
    print(error.en)
    sys.exit(3)
"""


def _unprivileged_python(*args: str) -> list[str]:
    if unprivileged.drop_privileges() is None:
        reason = "running as root and neither setpriv nor runuser is installed (util-linux)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set: {reason}", pytrace=False)
        pytest.skip(reason)
    return unprivileged.python_as_nobody(*args)


def test_a_read_only_report_is_an_error_and_left_unchanged(round_: Round) -> None:
    # Root ignores file modes, so the attempt runs as an unprivileged user (docs/design.md, "Tests on real programs").
    base = Path(tempfile.mkdtemp(prefix="officestar-readonly-"))
    try:
        base.chmod(0o755)
        out = base / "out"
        xlsx, md, html = _write(round_.result, out)
        before = xlsx.read_bytes(), md.read_bytes(), html.read_bytes()
        xlsx.chmod(0o444)
        if os.geteuid() != 0:
            with pytest.raises(OutputError):
                _write(round_.result, out, lang="en")
        else:
            for path in (out, xlsx, md, html):
                os.chown(path, 65534, 65534)
            state = base / "result.pickle"
            state.write_bytes(pickle.dumps(round_.result))
            state.chmod(0o644)
            done = subprocess.run(
                _unprivileged_python("-c", _WORKER, str(state), str(out)),
                env=unprivileged.environment(),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 3, done.stdout + done.stderr
            assert "read-only" in done.stdout
        assert (xlsx.read_bytes(), md.read_bytes(), html.read_bytes()) == before
        assert sorted(p.name for p in out.iterdir()) == sorted([xlsx.name, md.name, html.name])
    finally:
        for path in base.rglob("*"):
            path.chmod(0o755)
        shutil.rmtree(base)


# --------------------------------------------------------------------------- LibreOffice


def _thai(text: str) -> str:
    """Text compared without spaces: PDF extraction splits Thai words and the ำ vowel."""
    normal = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    return "".join(normal.split())


@pytest.fixture(scope="module")
def report_pages(reports: tuple[Path, Path], soffice: str, pdftotext: str) -> list[str]:
    """The Thai Excel report printed by LibreOffice: the text of each PDF page (pages end with a form feed)."""
    with tempfile.TemporaryDirectory(prefix="officestar-report-pdf-") as folder:
        pdf = soffice_convert(reports[0], Path(folder), "pdf", soffice=soffice)
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120
        ).stdout.decode("utf-8")
    return text.split("\f")


def test_the_report_converts_to_pdf_with_the_thai_office_names(round_: Round, report_pages: list[str]) -> None:
    flat = _thai("".join(report_pages))
    for office in round_.result.rubric.offices[1:]:
        assert _thai(office.th) in flat, office.th
    assert 'HYPERLINK("x")' in flat
    assert _thai("30 สิงหาคม 2567") in flat


def _signature_block(ws: Any) -> tuple[int, list[list[str]]]:
    """The ranking sheet's signature block: its title row and the rows below it, as texts."""
    title = next(c.row for row in ws.iter_rows() for c in row if c.value == "ลงนามคณะกรรมการ")
    rows = [[str(c.value) for c in row if c.value is not None] for row in ws.iter_rows(min_row=title + 1)]
    return title, rows


def test_the_ranking_page_ends_with_the_committee_signature_block(round_: Round, reports: tuple[Path, Path]) -> None:
    ranking = load_workbook(reports[0])["อันดับ"]
    title, rows = _signature_block(ranking)
    assert rows[0] == ["กรรมการ", "ลงชื่อ", "วันที่"]
    signers = round_.result.members  # the rubric declares no committee: the members who returned a workbook
    assert rows[1:] == [[f"({name})", "(ลงชื่อ) " + "." * 40, "30 สิงหาคม 2567"] for name in signers]
    assert ranking.max_row == title + len(signers) + 1  # nothing below the signatures
    # The print area covers the whole table and ends with the last signature.
    assert ranking.print_area == f"'อันดับ'!$A$1:${get_column_letter(ranking.max_column)}${ranking.max_row}"
    below_table = max(c.row for row in ranking.iter_rows(max_row=title - 1) for c in row if c.value is not None)
    assert title > below_table + 14  # below the chart, which is anchored under the table


def test_the_signature_block_follows_the_declared_committee_in_english(round_: Round, tmp_path: Path) -> None:
    committee = ["สมชาย ใจดี", "นางสาว ประชุม ร่วมใจ"]
    listed = ", ".join("{name: " + name + "}" for name in committee)
    rubric = _rubric_variant(tmp_path, "committee.yaml", f"committee: [{listed}]")
    xlsx, md, _ = _write(round_.again(rubric), tmp_path / "out", lang="en")
    ranking = load_workbook(xlsx)["Ranking"]
    title = next(c.row for row in ranking.iter_rows() for c in row if c.value == "Committee signatures")
    rows = [[str(c.value) for c in row if c.value is not None] for row in ranking.iter_rows(min_row=title + 1)]
    assert rows == [["Member", "Signature", "Date"],
                    *([f"({name})", "(Signed) " + "." * 40, "30 August 2024 (BE 2567)"] for name in committee)]
    block = md.read_text("utf-8").split("### Committee signatures")[1]
    assert all(f"| ({name}) |" in block for name in committee)


def test_the_printed_ranking_page_carries_the_signatures(round_: Round, report_pages: list[str]) -> None:
    # Each page's footer ends with its sheet's name: the ranking sheet's pages come first.
    ranking = [page for page in report_pages if page.strip() and page.split()[-1] == "อันดับ"]
    assert ranking and report_pages[: len(ranking)] == ranking
    flat = _thai(ranking[-1])
    assert _thai("ลงนามคณะกรรมการ") in flat
    assert flat.count(_thai("(ลงชื่อ)")) == len(round_.result.members)
    for name in round_.result.members:
        assert _thai(f"({name})") in flat, name
    assert flat.count(_thai("30 สิงหาคม 2567")) >= len(round_.result.members)


# --------------------------------------------------------------------------- public API, marker, hostile text

HOSTILE_TEXTS = (
    '<img src=x onerror="alert(1)">',
    "<script>alert('x')</script>",
    "<!-- the rest of the page is hidden",
    "# not a heading",
    "a | b || c",
    "`code` and ``more``",
    "**bold** _em_ ~~gone~~ [link](javascript:alert(1)) ![i](x.png)",
    "&lt;entity&gt; & &amp; &#60;b&#62;",
    "back\\slash\\| and <b>bold</b>",
)
CONTROL_TEXT = "ring\x07 erase\x1b[2J nul\x00 c1\x9b nonchar\ufffe lone\ud800 end"


def _hostile_round(result: RoundResult, *, notes: dict[str, str] | None = None) -> RoundResult:
    """A copy of ``result`` whose offices, contest and files carry hostile texts (and ``notes``)."""
    result = copy.deepcopy(result)
    texts = [*HOSTILE_TEXTS, CONTROL_TEXT]
    for index, office in enumerate(result.offices):
        office.office = dataclasses.replace(office.office, th=f"{texts[index % len(texts)]} {index}")
    contest = dataclasses.replace(result.rubric.contest, th=CONTROL_TEXT)
    result.rubric = dataclasses.replace(result.rubric, contest=contest)
    result.history = [dataclasses.replace(f, name=f"{CONTROL_TEXT}.xlsx") for f in result.history]
    if notes is not None:
        office = next(o for o in result.offices if o.scored)
        office.scored[0] = dataclasses.replace(office.scored[0], notes=notes)
    return result


def test_a_cell_written_with_the_public_api_is_in_the_saved_workbook(
    round_: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a maintainer adds with XlsxWriter's own ``write_string`` is saved, beside every report cell."""
    import officestar_cli.reports.excel.workbook as assembly

    original = assembly.audit_sheet

    def audit_and_more(sheet: Any, *args: Any) -> None:
        original(sheet, *args)
        sheet.ws.write_string(199, 7, "added by a maintainer")
        sheet.ws.write_number(200, 7, 4.25)

    monkeypatch.setattr(assembly, "audit_sheet", audit_and_more)
    xlsx, *_ = _write(round_.result, tmp_path)
    ws = load_workbook(xlsx)["ตรวจสอบ"]
    assert ws["H200"].value == "added by a maintainer" and ws["H200"].data_type == "s"
    assert ws["H201"].value == 4.25
    assert ws["A1"].value == "ข้อมูลสำหรับการตรวจสอบ"  # the report's own cells are still there


def test_the_excel_report_uses_no_private_name_of_xlsxwriter() -> None:
    """The reports use their libraries' public API alone, but for the one pinned hook module."""
    package = ROOT / "src" / "officestar_cli" / "reports"
    private = re.compile(r"(?<!self)(?<!cls)\.(_[A-Za-z]\w*)|\b(fh|str_table)\b|xlsxwriter\.worksheet")
    found = []
    hooks = package / "documents" / "docx_oxml.py"  # python-docx's one pinned hook module
    for path in sorted(package.rglob("*.py")):
        if path == hooks:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if private.search(code) and "__" not in code:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, found


def test_every_report_workbook_carries_the_report_marker(round_: Round, tmp_path: Path) -> None:
    import zipfile
    from xml.etree import ElementTree

    for lang in ("th", "en"):
        xlsx, *_ = _write(round_.result, tmp_path / lang, lang=lang)
        with zipfile.ZipFile(xlsx) as archive:
            custom = ElementTree.fromstring(archive.read("docProps/custom.xml"))
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        names = [p.get("name") for p in custom]
        assert names == [sf.REPORT_MARKER_PROPERTY]
        assert [v.text for p in custom for v in p] == [f"officestar {VERSION}"]
        assert any(o.get("PartName") == "/docProps/custom.xml" for o in types)
        workbook = load_workbook(xlsx)
        assert sf.REPORT_MARKER_PROPERTY in [p.name for p in workbook.custom_doc_props.props]


def _rendered(markdown_text: str) -> tuple[list[str], str]:
    """The HTML tags and the text a CommonMark renderer (raw HTML allowed) makes of ``markdown_text``."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown_text)

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.tags: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)

        def handle_comment(self, data: str) -> None:
            self.tags.append("!--")

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    parser = Collect()
    parser.feed(html)
    parser.close()
    return parser.tags, "".join(parser.text)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_name_is_shown_as_typed_in_a_table_a_list_and_a_heading(text: str) -> None:
    for markdown_text, allowed in (
        (f"| a |\n|---|\n| {cell(text)} |\n", {"table", "thead", "tbody", "tr", "th", "td"}),
        (f"- **{cell(text)}** (≥ 80): {cell(text)}, {cell(text)}\n", {"ul", "li", "strong"}),
        (f"# {cell(text)}\n", {"h1"}),
        (f"{cell(text)}\n", {"p"}),
    ):
        tags, shown_text = _rendered(markdown_text)
        assert set(tags) <= allowed, (text, tags)
        assert text in shown_text, (text, shown_text)


def test_the_markdown_report_shows_hostile_names_as_text(round_: Round) -> None:
    from officestar_cli.reports.markdown import render_markdown

    hostile = _hostile_round(round_.result)
    text = render_markdown(hostile, lang="th", date=DAY, provisional=False, tool_version=VERSION)
    tags, shown_text = _rendered(text)
    allowed = {"h1", "h2", "h3", "p", "ul", "li", "strong", "blockquote", "table", "thead", "tbody", "tr", "th", "td"}
    assert set(tags) - {"code"} <= allowed, set(tags) - allowed
    # the two fingerprints, one SHA-256 per file, and the agreement section's command name
    assert tags.count("code") == 3 + len(hostile.history)
    assert tags.count("h1") == 1
    for office in hostile.offices:
        assert _safe(office.office.th) in shown_text, office.office.th
    for bad in "\x00\x07\x1b\x9b\ufffe\ud800":
        assert bad not in text
    assert cell(CONTROL_TEXT) in text and _safe(CONTROL_TEXT) in shown_text


def _safe(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", "\ufffd", text)


def test_control_characters_become_replacement_characters_in_the_workbook(round_: Round, tmp_path: Path) -> None:
    criterion = round_.result.rubric.criteria[0].id
    hostile = _hostile_round(round_.result, notes={criterion: CONTROL_TEXT})
    xlsx, md, _html = _write(hostile, tmp_path)
    workbook = load_workbook(xlsx)  # the XML is well-formed
    texts = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", t)]
    assert f"{criterion}: {_safe(CONTROL_TEXT)}" in texts
    assert any(t.startswith(_safe(CONTROL_TEXT)) for t in texts)  # an office name
    assert f"{_safe(CONTROL_TEXT)}.xlsx" in texts  # a file name in the audit sheet
    assert workbook.properties.title is not None and "\x07" not in workbook.properties.title
    assert "\x1b" not in md.read_text("utf-8")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _joined(cells: list[str]) -> str:
    """The notes text again from its cells: a cut (``…`` on both sides) joins, a row break is "; "."""
    text = cells[0]
    for piece in cells[1:]:
        if text.endswith("…") and piece.startswith("…"):
            text = text[:-1] + piece[1:]
        else:
            text += "; " + piece
    return text


@pytest.mark.parametrize(
    "notes",
    [
        ["1.1: short", "1.2: also short"],
        ["1.1: " + "ก" * 40_000],
        ["1.1: " + "a" * 20_000, "1.2: " + "b" * 20_000, "1.3: c"],
        ["1.1: " + "\U0001f600" * 20_000, "2.1: " + "x" * 32_762],
        ["1.1: " + "y" * 32_762, "1.2: " + "z" * 70_000],
    ],
)
def test_notes_are_kept_whole_across_cells(notes: list[str]) -> None:
    from officestar_cli.reports.excel import note_cells

    cells = note_cells(notes)
    assert all(_utf16(c) <= 32_767 for c in cells)
    assert _joined(cells) == "; ".join(notes)
    if _utf16("; ".join(notes)) <= 32_767:
        assert cells == ["; ".join(notes)]
    whole = [n for n in notes if _utf16(n) <= 32_767]
    for note in whole:  # a note that fits a cell is never cut
        assert any(note in c for c in cells), note[:20]


def test_the_sources_sheet_keeps_long_notes_in_marked_continuation_rows(round_: Round, tmp_path: Path) -> None:
    criteria = [c.id for c in round_.result.rubric.criteria]
    notes = {criteria[0]: "ก" * 30_000, criteria[1]: "=SUM(A1) " + "ข" * 50_000, criteria[2]: "ปิดท้าย"}
    hostile = _hostile_round(round_.result, notes=notes)
    xlsx, *_ = _write(hostile, tmp_path)
    ws = load_workbook(xlsx)["ที่มาของคะแนน"]
    head, columns = _table(ws, "SHA-256")
    office = next(o for o in hostile.offices if o.scored)
    member = office.scored[0]
    rows = [
        r
        for r in range(head + 1, ws.max_row + 1)
        if ws.cell(r, columns["รหัสหน่วยงาน"]).value == office.office.id
        and ws.cell(r, columns["กรรมการ"]).value == member.member
    ]
    # 30,000 characters, then 50,000 cut once, the short note joining the rest of the cut one: three cells
    assert len(rows) == 3
    assert ws.cell(rows[0], columns["SHA-256"]).value == member.file.sha256
    for r in rows[1:]:
        assert ws.cell(r, columns["นับในผลรวม"]).value == "(ต่อ) หมายเหตุ"
        assert ws.cell(r, columns["SHA-256"]).value is None
        assert ws.cell(r, columns[criteria[0]]).value is None
    cells = [str(ws.cell(r, columns["หมายเหตุ/หลักฐานของกรรมการ"]).value) for r in rows]
    assert _joined(cells) == "; ".join(f"{c}: {n}" for c, n in notes.items())
    assert all(ws.cell(r, columns["หมายเหตุ/หลักฐานของกรรมการ"]).data_type == "s" for r in rows)


@pytest.mark.parametrize(
    ("value", "text"),
    [("20", "20"), ("20.00", "20"), ("4.50", "4.5"), ("0.25", "0.25"), ("1E+2", "100"), ("0E-5", "0"),
     ("0.000", "0"), ("1.00000000000000000000000000000001", "1.00000000000000000000000000000001")],
)
def test_one_plain_decimal_everywhere(value: str, text: str) -> None:
    from officestar_cli.base import decimals
    from officestar_cli.reports import wording
    from officestar_cli.scoring import exact

    assert exact.plain(Decimal(value)) == text
    assert wording.plain is exact.plain is decimals.plain
    copies = re.compile(r'rstrip\("0"\)|normalize\(\), "f"|def _canon\(|def _plain\(|def _number_text\(value')
    package = ROOT / "src" / "officestar_cli"
    offenders = [
        str(p.relative_to(ROOT))
        for p in package.rglob("*.py")
        if p.name != "decimals.py" and copies.search(p.read_text("utf-8"))
    ]
    assert not offenders
