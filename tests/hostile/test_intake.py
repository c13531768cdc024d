"""The intake's classes of hostile input, in-process and each with several instances
(docs/design.md): what the member sees is what is recorded, numbers too long to be a
score, dates in either date system, rows pushed down, the folder rule, file names that are
not UTF-8, member names and the identity of copies, and a worker that dies on a file.

The same classes run through the real command in tests/test_hostile.py (the corpus).
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RunCli
from hostile.corpus import (
    CRITERION,
    OFFICE,
    RUBRIC,
    Context,
    criterion_row,
    inline,
    office_part,
    put_cell,
    report_workbook,
    rezip,
    with_format,
    with_score_cell,
)
from officestar_cli.base.dates import excel_serial_to_iso
from officestar_cli.base.errors import OfficestarError
from officestar_cli.base.exit_codes import ExitCode
from officestar_cli.base.names import member_key
from officestar_cli.intake import batch
from officestar_cli.intake.cells import MAX_NUMBER_CHARS, display, judge
from officestar_cli.intake.paths import Inputs, expand_inputs, name_verdict, shown
from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.intake.xlsx.container import Cell
from officestar_cli.reports.json import file_as_json
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric

ROUND = 2


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric(RUBRIC)


@pytest.fixture(scope="module")
def ctx(rubric: Rubric) -> Iterator[Context]:
    with tempfile.TemporaryDirectory() as folder:
        context = Context(Path(folder), rubric)
        context.base = context.workbook()
        yield context


def read(tmp_path: Path, rubric: Rubric, data: bytes, name: str = "w.xlsx") -> Reading:
    path = tmp_path / name
    path.write_bytes(data)
    return read_workbook(path, rubric, ROUND)


def codes(reading: Reading) -> list[str]:
    return [i.code for i in reading.issues]


# ---------------------------------------------------------------- what the member sees


@pytest.mark.parametrize(
    ("value", "code", "shown", "differs"),
    [
        ("0.9", "0%", "90%", True),
        ("0.9", "0.00%", "90.00%", True),
        ("4", "0.0%", "400.0%", True),
        ("4", "0.0,,", "0.0", True),
        ("4.5", "#,##0.0,", "0.0", True),
        ("4", '"ดีมาก"', "ดีมาก", True),
        ("4.5", "0", "5", False),
        ("4.25", "0.0", "4.3", False),
        ("3.5", "#,##0", "4", False),
        ("4.125", "0.00", "4.13", False),
        ("4.5", "[$-41E]0;[Red]-0", "5", False),
    ],
)
def test_formats_that_show_another_value(value: str, code: str, shown: str, differs: bool) -> None:
    found = display(Decimal(value), code)
    assert found is not None
    assert (found.shown, found.differs) == (shown, differs)


@pytest.mark.parametrize(
    ("value", "code"),
    [("4.5", "General"), ("4.5", "0.00"), ("4.5", "0.0"), ("4", "0"), ("4.5", "@"), ("4.5", "0.00E+00"),
     ("4.5", "# ?/?"), ("4.5", "#,##0.00"), ("4.5", '0.0" คะแนน"'), ("0", '0;-0;"-"')],
)
def test_formats_that_show_the_score(value: str, code: str) -> None:
    assert display(Decimal(value), code) is None


@pytest.mark.parametrize(("fmt", "value"), [(9, "0.9"), ("0.0%", "4"), ("0.0,,", "4"), ('"ดี"', "4")])
def test_a_score_shown_as_another_value_is_an_error_on_its_cell(
    tmp_path: Path, rubric: Rubric, ctx: Context, fmt: str | int, value: str
) -> None:
    reading = read(tmp_path, rubric, with_format(ctx, fmt, value))
    (found,) = [i for i in reading.issues if i.code == "display-differs"]
    assert found.cell == "E6" and found.sheet
    assert not reading.ok and reading.rows == []


@pytest.mark.parametrize(("fmt", "value", "shown"), [(1, "4.5", "5"), ("#,##0", "3.5", "4"), ("0.0", "4.25", "4.3")])
def test_a_rounding_format_is_a_warning_and_the_score_is_recorded(
    tmp_path: Path, rubric: Rubric, ctx: Context, fmt: str | int, value: str, shown: str
) -> None:
    reading = read(tmp_path, rubric, with_format(ctx, fmt, value))
    (found,) = [i for i in reading.issues if i.code == "rounded-display"]
    assert found.cell == "E6" and shown in found.message("en") and value in found.message("th")
    assert reading.ok
    assert {(s.office_id, s.criterion_id): s.value for s in reading.scores}[(OFFICE, CRITERION)] == Decimal(value)


@pytest.mark.parametrize(("text", "score"), [(" 4 ", "4"), ("๓", "3"), ("\u00a0๔.๕", "4.5"), ("2.50", "2.50")])
def test_a_number_typed_as_text_is_accepted_with_a_warning(
    tmp_path: Path, rubric: Rubric, ctx: Context, text: str, score: str
) -> None:
    reading = read(tmp_path, rubric, with_score_cell(ctx, lambda ref: inline(ref, text)))
    assert codes(reading) == ["number-as-text"]
    assert reading.issues[0].cell == "E6" and reading.issues[0].expected == score
    assert reading.ok


@pytest.mark.parametrize("rows", [1, 2, None])
def test_scores_in_the_notes_column_beside_blank_score_cells(
    tmp_path: Path, rubric: Rubric, ctx: Context, rows: int | None
) -> None:
    from hostile.corpus import _shift_right

    reading = read(tmp_path, rubric, ctx.edit(_shift_right(rows)))
    assert "scores-moved" in codes(reading)
    assert "office-not-scored" not in codes(reading)
    (moved,) = [i for i in reading.issues if i.code == "scores-moved"]
    assert moved.cell == "F6" and moved.expected == "E"
    assert not reading.ok


def test_a_note_that_is_no_number_beside_a_blank_office_is_still_not_scored(
    tmp_path: Path, rubric: Rubric, ctx: Context
) -> None:
    def blank_with_notes(workbook: object) -> None:
        from hostile.corpus import _office_sheet

        sheet = _office_sheet(workbook)
        for row in sheet.iter_rows(min_row=5):  # type: ignore[attr-defined]
            if isinstance(row[0].value, str) and "." in row[0].value:
                row[4].value, row[5].value = None, "ยังไม่ได้ไปตรวจ"

    reading = read(tmp_path, rubric, ctx.edit(blank_with_notes))
    assert codes(reading) == ["office-not-scored"]


# ---------------------------------------------------------------- numbers too long to be a score


@pytest.mark.parametrize(
    "text",
    ["4." + "0" * 5000, "0" * 5000 + "4", "0" * (MAX_NUMBER_CHARS + 1), " " * 10 + "1" * 40, "๐" * 60 + "๔"],
)
def test_a_number_too_long_is_refused_before_it_is_converted(text: str) -> None:
    for kind in ("s", "n"):
        verdict = judge(Cell(6, 5, kind, text, None, False), Decimal(5), 2)
        assert verdict.code == "not-a-number", (kind, verdict)
        assert "characters long" in verdict.hint_en
        assert len(str(verdict.raw)) <= 40


def test_the_longest_number_a_spreadsheet_writes_is_still_read() -> None:
    verdict = judge(Cell(6, 5, "n", "4.4999999999999996", None, False), Decimal(5), 2)
    assert verdict.score == Decimal("4.5")


# ---------------------------------------------------------------- dates in either date system


@pytest.mark.parametrize(
    ("serial", "date1904", "iso"),
    [
        (45509, False, "2024-08-05"),
        (45509 - 1462, True, "2024-08-05"),
        (0, True, "1904-01-01"),
        (1, False, "1900-01-01"),
        (59, False, "1900-02-28"),
        (60, False, "1900-02-29"),
        (61, False, "1900-03-01"),
        (45509.5, False, "2024-08-05T12:00:00"),
    ],
)
def test_a_serial_is_the_date_the_spreadsheet_shows(serial: float, date1904: bool, iso: str) -> None:
    assert excel_serial_to_iso(serial, date1904) == iso


@pytest.mark.parametrize(("serial", "date1904", "iso"), [("44047", True, "2024-08-05"), ("45509", False, "2024-08-05"),
                                                          ("30", False, "1900-01-30")])
def test_a_date_in_a_score_cell_is_named_by_its_real_date(
    tmp_path: Path, rubric: Rubric, ctx: Context, serial: str, date1904: bool, iso: str
) -> None:
    reading = read(tmp_path, rubric, with_format(ctx, 14, serial, date1904=date1904))
    (found,) = [i for i in reading.issues if i.code == "not-a-number"]
    assert found.value == iso
    assert iso in found.message("en") and iso in found.message("th")


# ---------------------------------------------------------------- rows pushed down


@pytest.mark.parametrize(("at", "count"), [(7, 250), (5, 400), (9, 1000)])
def test_rows_pushed_below_the_area_read_are_moved_not_deleted(
    tmp_path: Path, rubric: Rubric, ctx: Context, at: int, count: int
) -> None:
    from hostile.corpus import _insert_rows

    reading = read(tmp_path, rubric, ctx.edit(_insert_rows(at, count)))
    assert "criterion-moved" in codes(reading)
    assert "missing-criterion" not in codes(reading)
    moved = [i for i in reading.issues if i.code == "criterion-moved"]
    assert all(int(i.cell[1:]) > count for i in moved if i.cell)  # type: ignore[index]
    assert not reading.ok


def test_a_deleted_row_is_still_missing(tmp_path: Path, rubric: Rubric, ctx: Context) -> None:
    from hostile.corpus import _delete_row, _insert_rows

    def both(workbook: object) -> None:
        _delete_row(workbook)
        _insert_rows(9, 300)(workbook)

    found = codes(read(tmp_path, rubric, ctx.edit(both)))
    assert "missing-criterion" in found and "criterion-moved" in found


# ---------------------------------------------------------------- the folder rule


@pytest.mark.parametrize(
    ("name", "listed", "code", "note"),
    [
        ("~$a.xlsx", False, "lock-file", True),
        ("~$a.xlsx", True, "lock-file", True),
        ("._a.xlsx", True, "apple-double", True),
        ("._a.xlsx", False, "apple-double", True),
        (".a.xlsx", True, "hidden-file", True),
        ("a.xls", True, "legacy-format", False),
        ("a.XLSM", True, "legacy-format", False),
        ("a.xlsb", True, "legacy-format", False),
        ("a.ods", True, "legacy-format", False),
        ("a.numbers", True, "legacy-format", False),
        ("a.csv", True, "not-a-workbook", False),
    ],
)
def test_the_folder_rule_by_name(tmp_path: Path, name: str, listed: bool, code: str, note: bool) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    verdict = name_verdict(path, listed)
    assert verdict is not None and (verdict.code, verdict.note) == (code, note)


def test_files_given_by_name_are_read_whatever_their_suffix(tmp_path: Path) -> None:
    for name in ("a.xlsx", "a.xls", "a.csv"):
        assert name_verdict(tmp_path / name, listed=False) is None


def test_a_folder_accounts_for_every_entry(tmp_path: Path, rubric: Rubric, ctx: Context) -> None:
    from hostile.corpus import folder_of_not_members

    folder = Path(folder_of_not_members(ctx, tmp_path))
    (folder / "readme.txt").write_text("not a spreadsheet", "utf-8")
    inputs = expand_inputs([str(folder)])
    readings = batch.read_all(inputs, rubric, ROUND)
    by_name = {Path(r.file).name: r for r in readings}
    assert set(by_name) == {"กรรมการ-โฟลเดอร์.xlsx", "~$กรรมการ-โฟลเดอร์.xlsx", "._กรรมการ-โฟลเดอร์.xlsx", ".ซ่อน.xlsx",
                            "officestar-2567-round-2.xlsx", "ส่งช้า"}
    assert by_name["ส่งช้า"].skipped and codes(by_name["ส่งช้า"]) == ["sub-folder"]
    assert codes(by_name["officestar-2567-round-2.xlsx"]) == ["report-file"]
    skipped = [r for r in readings if r.skipped]
    assert len(skipped) == 5 and all(r.issues and not r.errors for r in skipped)
    assert by_name["กรรมการ-โฟลเดอร์.xlsx"].ok


def test_a_report_given_by_name_is_skipped_with_a_note(tmp_path: Path, rubric: Rubric, ctx: Context) -> None:
    reading = read(tmp_path, rubric, report_workbook(ctx), "officestar-2567-round-2.xlsx")
    assert reading.skipped and codes(reading) == ["report-file"]


@pytest.mark.parametrize("failure", [errno.EACCES, errno.EPERM, errno.EIO])
def test_a_folder_that_cannot_be_listed_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: int
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()

    def refuse(self: Path) -> Iterator[Path]:
        raise OSError(failure, os.strerror(failure), str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(OfficestarError) as raised:
        expand_inputs([str(folder)])
    assert raised.value.exit_code == ExitCode.USAGE
    assert str(folder) in raised.value.message("th") and os.strerror(failure) in raised.value.message("en")


def test_a_folder_that_cannot_be_listed_through_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()

    def refuse(self: Path) -> Iterator[Path]:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = run_cli("check", folder, "--rubric", RUBRIC)
    assert result.exit_code == 2
    assert "inbox" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- file names that are not UTF-8


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"score-\xff.xlsx", "score-\\xff.xlsx"),
        (b"\xe0\xb8.xlsx", "\\xe0\\xb8.xlsx"),
        ("แบบ-\u0e01.xlsx".encode() + b"\x80", "แบบ-\u0e01.xlsx\\x80"),
        (b"plain.xlsx", "plain.xlsx"),
    ],
)
def test_an_undecodable_name_is_shown_with_each_byte_as_xNN(raw: bytes, text: str) -> None:
    assert shown(Path(os.fsdecode(raw))) == text
    text.encode("utf-8")  # valid text for every output and the store


def test_an_undecodable_name_reads_and_goes_into_json(tmp_path: Path, rubric: Rubric, ctx: Context) -> None:
    import json

    name = os.fsdecode(b"score-\xff\xfe.xlsx")
    (tmp_path / name).write_bytes(ctx.base)
    (reading,) = batch.read_all(expand_inputs([str(tmp_path)]), rubric, ROUND)
    assert reading.ok and reading.file.endswith("score-\\xff\\xfe.xlsx")
    json.dumps(file_as_json(batch.check_results([reading])[0])).encode("utf-8")


# ---------------------------------------------------------------- member names and identity


def _signed(ctx: Context, name: str, blank: bytes) -> bytes:
    """A copy of ``blank`` with ``name`` typed on the cover (B6), as a member types it."""
    with zipfile.ZipFile(io.BytesIO(blank)) as archive:
        cover = next(n for n in archive.namelist() if n.startswith("xl/worksheets/")
                     and b"officestar-score/" in archive.read(n))
    return rezip(blank, {cover: lambda xml: put_cell(xml, "B6", inline("B6", name))})


@pytest.fixture(scope="module")
def blank(ctx: Context) -> bytes:
    return ctx.workbook(member=None)


NAMES = st.sampled_from(["สมชาย ใจดี", "นางสาว น้ำใจ งามยิ่ง", "นาย ก", "Somchai Jaidee"])
INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"])


@st.composite
def spelling_variant(draw: st.DrawFn, name: str) -> str:
    """``name`` as a chat program, a web page or another keyboard may give it."""
    out = []
    for ch in name.replace("\u0e33", draw(st.sampled_from(["\u0e33", "\u0e4d\u0e32"]))):
        if ch == " ":
            ch = draw(st.sampled_from([" ", "  ", "\u00a0", " \u200b"]))
        out.append(ch)
        if draw(st.integers(0, 6)) == 0:
            out.append(draw(INVISIBLE))
    return draw(st.sampled_from(["", " ", "\u00a0"])) + "".join(out) + draw(st.sampled_from(["", "\u200b", " "]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_spelling_of_one_name_is_one_member(
    data: st.DataObject, tmp_path: Path, rubric: Rubric, ctx: Context, blank: bytes
) -> None:
    name = data.draw(NAMES)
    variants = [name, data.draw(spelling_variant(name))]
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    for n, variant in enumerate(variants):
        (folder / f"copy-{n}.xlsx").write_bytes(_signed(ctx, variant, blank))
    readings = batch.read_all(expand_inputs([str(folder)]), rubric, ROUND)
    assert {r.identity for r in readings} == {(readings[0].workbook_id, member_key(name))}
    assert all(r.member == member_key(name) for r in readings)
    found = {i.code for r in readings for i in r.issues}
    assert found <= {"conflicting-copies", "same-file-twice"}, found
    assert ("conflicting-copies" in found) == (variants[0] != variants[1])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAMES, min_size=2, max_size=4, unique=True))
def test_copies_of_a_blank_workbook_with_other_names_are_other_members(
    names: list[str], tmp_path: Path, rubric: Rubric, ctx: Context, blank: bytes
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    for n, name in enumerate(names):
        (folder / f"copy-{n}.xlsx").write_bytes(_signed(ctx, name, blank))
    readings = batch.read_all(expand_inputs([str(folder)]), rubric, ROUND)
    assert all(r.ok for r in readings), [r.issues for r in readings]
    assert len({r.identity for r in readings}) == len(names)
    assert len({r.workbook_id for r in readings}) == 1


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u2060\u00ad", "\ufeff \u200d", "\u00a0\u200b"])
def test_a_member_name_of_invisible_characters_only_is_an_error(
    tmp_path: Path, rubric: Rubric, ctx: Context, blank: bytes, name: str
) -> None:
    reading = read(tmp_path, rubric, _signed(ctx, name, blank))
    assert "invisible-member-name" in codes(reading) and not reading.ok
    (found,) = [i for i in reading.issues if i.code == "invisible-member-name"]
    assert found.cell == "B6" and "U+" in found.message("en")


@pytest.mark.parametrize("other", ["คนอื่น", "กรรมการ ทดสอบ2", "กรรมการ  ทดสอบ x"])
def test_a_written_member_with_another_name_on_the_cover_is_identity_mismatch(
    tmp_path: Path, rubric: Rubric, ctx: Context, other: str
) -> None:
    reading = read(tmp_path, rubric, _signed(ctx, other, ctx.base))
    assert "identity-mismatch" in codes(reading) and not reading.ok


def test_a_written_member_spelt_another_way_on_the_cover_agrees(tmp_path: Path, rubric: Rubric, ctx: Context) -> None:
    reading = read(tmp_path, rubric, _signed(ctx, "กรรมการ\u00a0ทดสอบ\u200b", ctx.base))
    assert codes(reading) == [] and reading.ok


def test_conflicting_copies_name_both_files_the_later_one_and_what_to_remove(
    tmp_path: Path, rubric: Rubric, ctx: Context
) -> None:
    older = rezip(ctx.base, {"docProps/core.xml": lambda xml: _modified(xml, "2024-08-01T09:00:00Z")})
    newer = with_score_cell(ctx, lambda ref: f'<c r="{ref}" s="13"><v>9</v></c>')  # above the maximum
    newer = rezip(newer, {"docProps/core.xml": lambda xml: _modified(xml, "2024-08-03T16:30:00Z")})
    (tmp_path / "รอบแรก.xlsx").write_bytes(older)
    (tmp_path / "แก้ไขแล้ว.xlsx").write_bytes(newer)
    readings = batch.read_all(expand_inputs([str(tmp_path)]), rubric, ROUND)
    messages = [i.message(lang) for r in readings for i in r.issues if i.code == "conflicting-copies"
                for lang in ("th", "en")]
    assert len(messages) == 4
    for text in messages:
        assert str(tmp_path / "รอบแรก.xlsx") in text and str(tmp_path / "แก้ไขแล้ว.xlsx") in text
        assert "2024-08-03T16:30:00Z" in text and "2024-08-01T09:00:00Z" in text
    en = messages[1]
    assert "saved last" in en.split("แก้ไขแล้ว.xlsx", 1)[1].split(";")[0]
    assert f"Take out {tmp_path / 'รอบแรก.xlsx'}" in en
    assert "1 error(s)" in en and "still has errors" in en
    assert "ฉบับที่บันทึกล่าสุด" in messages[0] and "ให้นำ" in messages[0]


def _modified(xml: bytes, when: str) -> bytes:
    import re

    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + when.encode() + rb"\g<2>", xml)


def test_two_members_of_one_blank_workbook_are_not_conflicting_copies(
    tmp_path: Path, rubric: Rubric, ctx: Context, blank: bytes
) -> None:
    for name in ("นาง ก", "นาย ข", "นาง ค"):
        (tmp_path / f"{name}.xlsx").write_bytes(_signed(ctx, name, blank))
    readings = batch.read_all(expand_inputs([str(tmp_path)]), rubric, ROUND)
    assert [codes(r) for r in readings] == [[], [], []]


# ---------------------------------------------------------------- a worker that dies on a file


def test_after_a_worker_dies_only_the_file_that_killed_it_is_isolated(
    tmp_path: Path, rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    """64 files in chunks of 8 on 2 workers; the worker dies on one file. Every other file is
    read (in a worker process), and far fewer processes are started than there are files."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        pytest.skip("the fault is injected into forked workers")
    pids = tmp_path / "pids"
    pids.mkdir()

    def fake_read(path: Path, rubric: Rubric, round_no: int, name: str | None = None,
                  listed: bool = False) -> Reading:
        (pids / str(os.getpid())).touch()
        if path.name == "f-13.xlsx":
            os._exit(3)  # what a crash in a C library looks like from the parent
        return Reading(name or str(path), sha256=path.name)

    monkeypatch.setattr(batch, "read_workbook", fake_read)
    items = [(tmp_path / f"f-{n:02d}.xlsx", False) for n in range(64)]
    readings = batch._read_parallel(items, rubric, ROUND, 2, None)
    assert [Path(r.file).name for r in readings] == [p.name for p, _ in items]
    crashed = [r for r in readings if r.issues]
    assert [Path(r.file).name for r in crashed] == ["f-13.xlsx"]
    assert codes(crashed[0]) == ["corrupt-workbook"]
    assert all(r.sha256 == Path(r.file).name for r in readings if r not in crashed)
    started = len(list(pids.iterdir()))
    assert started <= 2 + 8 + 1, f"{started} processes for 64 files"


def test_a_file_that_kills_every_worker_is_reported_with_its_neighbours_read(
    tmp_path: Path, rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        pytest.skip("the fault is injected into forked workers")

    def fake_read(path: Path, rubric: Rubric, round_no: int, name: str | None = None,
                  listed: bool = False) -> Reading:
        if path.name in ("f-03.xlsx", "f-04.xlsx", "f-40.xlsx"):
            os._exit(3)
        return Reading(name or str(path))

    monkeypatch.setattr(batch, "read_workbook", fake_read)
    items = [(tmp_path / f"f-{n:02d}.xlsx", False) for n in range(64)]
    readings = batch._read_parallel(items, rubric, ROUND, 2, None)
    assert len(readings) == 64
    assert [Path(r.file).name for r in readings if r.issues] == ["f-03.xlsx", "f-04.xlsx", "f-40.xlsx"]


def test_read_all_keeps_which_paths_a_folder_gave(tmp_path: Path) -> None:
    inputs = Inputs([tmp_path / "a.xls"], {tmp_path / "a.xls"})
    assert isinstance(inputs, list) and inputs.listed == {tmp_path / "a.xls"}


@pytest.mark.parametrize("part", ["docProps/core.xml", "docProps/custom.xml"])
def test_damaged_document_properties_never_break_a_reading(
    tmp_path: Path, rubric: Rubric, ctx: Context, part: str
) -> None:
    """The saved time and the report marker only ever add a note: a damaged part is not there."""
    from hostile.corpus import REPORT_CUSTOM_XML

    data = bytearray(rezip(ctx.base, add={"docProps/custom.xml": REPORT_CUSTOM_XML} if "custom" in part else None))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start, start + min(info.compress_size, 24)):
        data[offset] ^= 0xA5
    reading = read(tmp_path, rubric, bytes(data))
    assert not reading.skipped  # a marker that cannot be read is no marker
    if "core" in part:
        assert reading.saved is None
    assert all(i.code == "corrupt-workbook" for i in reading.issues), reading.issues


# ---------------------------------------------------------------- characters XML cannot hold


def _inline_xml(ref: str, body: str) -> str:
    """An inline-string cell whose ``<t>`` holds ``body`` as written (references and raw
    characters kept, so the file holds what a hostile program wrote)."""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


ILLEGAL_WRITTEN = ["ดี\x01มาก", "ดี&#1;มาก", "ดี&#x1;มาก", "ดี_x0001_มาก", "ดี\ufffeมาก", "ดี&#xFFFE;มาก", "ดี\x1fมาก"]


@pytest.mark.parametrize("written", ILLEGAL_WRITTEN)
def test_an_illegal_character_in_a_note_is_a_warning_and_the_note_is_kept_with_ufffd(
    tmp_path: Path, rubric: Rubric, ctx: Context, written: str
) -> None:
    part = office_part(ctx.base)
    row = criterion_row(_part(ctx.base, part), CRITERION)
    data = rezip(ctx.base, {part: lambda xml: put_cell(xml, f"F{row}", _inline_xml(f"F{row}", written))})
    reading = read(tmp_path, rubric, data)
    assert reading.ok, reading.issues
    (found,) = [i for i in reading.issues if i.code == "illegal-character"]
    assert (found.severity, found.cell, found.file) == ("warning", f"F{row}", str(tmp_path / "w.xlsx"))
    assert found.sheet is not None and found.sheet in {s for _, _, _, s, _, _ in reading.rows}
    assert f"F{row}" in found.message("th") and f"F{row}" in found.message("en")
    (note,) = [n for o, c, _, _, _, n in reading.rows if (o, c) == (OFFICE, CRITERION)]
    assert note == "ดี\ufffdมาก"
    assert all("\ufffd" not in n for o, c, _, _, _, n in reading.rows if (o, c) != (OFFICE, CRITERION))


def test_a_note_without_an_illegal_character_gives_no_warning(tmp_path: Path, rubric: Rubric, ctx: Context) -> None:
    part = office_part(ctx.base)
    row = criterion_row(_part(ctx.base, part), CRITERION)
    data = rezip(ctx.base, {part: lambda xml: put_cell(xml, f"F{row}", _inline_xml(f"F{row}", "ดี\ufffdมาก &#65;"))})
    reading = read(tmp_path, rubric, data)
    assert reading.ok and "illegal-character" not in codes(reading)


@pytest.mark.parametrize("written", ILLEGAL_WRITTEN[:5])
def test_an_illegal_character_in_a_score_stays_not_a_number(
    tmp_path: Path, rubric: Rubric, ctx: Context, written: str
) -> None:
    reading = read(tmp_path, rubric, with_score_cell(ctx, lambda ref: _inline_xml(ref, written.replace("ดี", "4"))))
    assert "not-a-number" in codes(reading) and not reading.ok
    assert "illegal-character" not in codes(reading) and reading.rows == []


@pytest.mark.parametrize("written", ["สมชาย\x01 ใจดี", "สมชาย&#1; ใจดี", "สมชาย_x0001_ ใจดี", "สมชาย\ufffe ใจดี"])
def test_an_illegal_character_in_the_member_name_is_an_error(
    tmp_path: Path, rubric: Rubric, ctx: Context, blank: bytes, written: str
) -> None:
    with zipfile.ZipFile(io.BytesIO(blank)) as archive:
        cover = next(n for n in archive.namelist() if n.startswith("xl/worksheets/")
                     and b"officestar-score/" in archive.read(n))
    data = rezip(blank, {cover: lambda xml: put_cell(xml, "B6", _inline_xml("B6", written))})
    reading = read(tmp_path, rubric, data)
    assert not reading.ok and reading.rows == []
    (found,) = [i for i in reading.issues if i.code == "illegal-identity-character"]
    assert (found.severity, found.cell, found.value) == ("error", "B6", "สมชาย\ufffd ใจดี")
    assert "member" in found.message("en") and "B6" in found.message("th")


@pytest.mark.parametrize("written", [f"{OFFICE}\x01", f"{OFFICE}&#1;", f"{OFFICE}_x0001_"])
def test_an_illegal_character_in_an_office_id_is_an_error(
    tmp_path: Path, rubric: Rubric, ctx: Context, written: str
) -> None:
    part = office_part(ctx.base)
    data = rezip(ctx.base, {part: lambda xml: put_cell(xml, "F2", _inline_xml("F2", written))})
    reading = read(tmp_path, rubric, data)
    assert not reading.ok and reading.rows == []
    (found,) = [i for i in reading.issues if i.code == "illegal-identity-character"]
    assert (found.cell, found.value) == ("F2", f"{OFFICE}\ufffd")


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)
