"""Fuzzing the reader (hypothesis, bounded for CI): it returns a Reading, never raises.

- Values a member's program could put in score cells (any text, numbers, floats
  with nan and inf, booleans, dates), written with openpyxl: each cell is either
  recorded as exactly the number it holds or named by an error Issue.
- Raw cells no program writes (any type attribute, any value text, formulas,
  styles), written into the XML: the same.
- A valid workbook's bytes corrupted (truncated, bytes flipped, zip members
  removed or duplicated): Issues, or a Reading whose scores are the original's,
  never a changed score and never an exception.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from hostile.corpus import RUBRIC, Context, office_part, rezip, xml_text
from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook import contract as sf

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_SPACES = " \t\r\n\u00a0\u2007\u202f\u2009\u200b\u3000\ufeff"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric(RUBRIC)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="officestar-fuzz-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def base(rubric: Rubric, scratch: Path) -> bytes:
    """A valid filled workbook (the template, filled by the filler)."""
    context = Context(scratch, rubric)
    return context.workbook()


@pytest.fixture(scope="module")
def base_reading(base: bytes, rubric: Rubric, scratch: Path) -> Reading:
    reading = _read(base, rubric, scratch)
    assert reading.ok, reading.issues
    return reading


def _read(data: bytes, rubric: Rubric, scratch: Path) -> Reading:
    path = scratch / "fuzzed.xlsx"
    path.write_bytes(data)
    reading = read_workbook(path, rubric, 2)
    assert isinstance(reading, Reading)
    return reading


def _scores(reading: Reading) -> dict[tuple[str, str], Decimal]:
    return {(s.office_id, s.criterion_id): s.value for s in reading.scores}


# ---------------------------------------------------------------- what a score cell should give


def _number_in(value: object) -> Decimal | None:
    """The number a cell holding ``value`` stands for, when it is one; None otherwise."""
    if value is None or isinstance(value, bool | dt.date | dt.datetime | dt.time):
        return None
    if isinstance(value, int | float | Decimal):
        try:
            number = float(value)
        except OverflowError:
            return None
        if number != number or number in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(number))  # a spreadsheet keeps a double
    if isinstance(value, str):
        cleaned = value.strip(_SPACES).translate(_THAI_DIGITS)
        if value.startswith("=") or not _NUMBER.match(cleaned):
            return None
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return None
    return None


def _acceptable(number: Decimal | None, maximum: Decimal) -> bool:
    if number is None or number < 0 or number > maximum:
        return False
    exponent = number.normalize().as_tuple().exponent
    return not (isinstance(exponent, int) and -exponent > 2)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(_SPACES))


def _check_cells(reading: Reading, rubric: Rubric, written: dict[tuple[str, str, str, str], object]) -> None:
    """Each written cell: recorded as its number, or named by an error Issue (sheet and cell)."""
    errors = {(i.sheet, i.cell) for i in reading.issues if i.is_error}
    recorded = {(s.sheet, s.cell): s.value for s in reading.scores}
    for (_office, criterion_id, sheet, ref), value in written.items():
        maximum = rubric.criterion_by_id[criterion_id].max
        number = _number_in(value)
        if _is_blank(value) or not _acceptable(number, maximum):
            assert (sheet, ref) in errors, (value, sheet, ref, reading.issues)
        else:
            assert (sheet, ref) not in errors, (value, sheet, ref, reading.issues)
            if not reading.errors:
                assert recorded[(sheet, ref)] == number, (value, recorded[(sheet, ref)])
    if reading.ok:
        for score in reading.scores:
            assert _acceptable(score.value, rubric.criterion_by_id[score.criterion_id].max)


# ---------------------------------------------------------------- values written by openpyxl

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙.,-+ \u00a0\u202fe", max_size=8),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=10).map(lambda x: round(x, 3)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-20, max_value=20),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
)


@pytest.fixture(scope="module")
def openpyxl_book(base: bytes) -> Workbook:
    return load_workbook(io.BytesIO(base))


def _score_cells(workbook: Workbook, rubric: Rubric) -> list[tuple[str, str, str, str]]:
    """(office id, criterion id, sheet title, ref) of every score cell, found as the reader does."""
    out = []
    for sheet in workbook.worksheets:
        office_id = sheet[f"{sf.OFFICE_ID_COLUMN}{sf.OFFICE_ID_ROW}"].value
        if office_id not in rubric.office_by_id:
            continue
        for row in range(1, sheet.max_row + 1):
            criterion_id = sheet[f"{sf.ID_COLUMN}{row}"].value
            if criterion_id in rubric.criterion_by_id:
                out.append((office_id, criterion_id, sheet.title, f"{sf.SCORE_COLUMN}{row}"))
    return out


@settings(FUZZ, max_examples=100)
@given(data=st.data())
def test_any_value_in_score_cells(
    data: st.DataObject, openpyxl_book: Workbook, rubric: Rubric, scratch: Path
) -> None:
    cells = _score_cells(openpyxl_book, rubric)
    chosen = data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4, unique=True))
    written = {cell: data.draw(cell_values) for cell in chosen}
    originals = {}
    out = io.BytesIO()
    try:
        try:
            for (_, _, sheet, ref), value in written.items():
                cell = openpyxl_book[sheet][ref]
                originals[(sheet, ref)] = (cell.value, cell.number_format)
                cell.value = value
            openpyxl_book.save(out)
        except (IllegalCharacterError, ValueError, TypeError):
            assume(False)  # openpyxl refuses to write it, so no member's file holds it
    finally:
        for (sheet, ref), (value, number_format) in originals.items():
            # openpyxl gives a cell a date format when a date is put in it, as Excel does
            openpyxl_book[sheet][ref].value = value
            openpyxl_book[sheet][ref].number_format = number_format
    written = {key: (None if isinstance(v, float) and (v != v or abs(v) == float("inf")) else v)
               for key, v in written.items()}  # openpyxl writes nan and inf as an empty value
    reading = _read(out.getvalue(), rubric, scratch)
    _check_cells(reading, rubric, written)


# ---------------------------------------------------------------- raw cells

raw_types = st.sampled_from([None, "n", "s", "inlineStr", "str", "b", "e", "d", "x", ""])
xml_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff")


@FUZZ
@given(
    kind=raw_types,
    text=st.one_of(
        st.none(), st.text(xml_chars, max_size=30), st.from_regex(r"-?\d{1,4}(\.\d{1,4})?", fullmatch=True)
    ),
    formula=st.one_of(st.none(), st.just("1+1"), st.text(xml_chars, max_size=10)),
    style=st.one_of(st.none(), st.integers(min_value=-2, max_value=40)),
    extra=st.sampled_from(["", ' cm="1"', ' vm="2"', ' ph="1"']),
)
def test_any_raw_cell(kind: str | None, text: str | None, formula: str | None, style: int | None,
                      extra: str, base: bytes, rubric: Rubric, scratch: Path) -> None:
    attributes = (f' t="{kind}"' if kind is not None else "") + (f' s="{style}"' if style is not None else "")
    attributes += extra
    inner = f"<f>{xml_text(formula)}</f>" if formula is not None else ""
    if text is not None:
        inner += (f"<is><t>{xml_text(text)}</t></is>" if kind == "inlineStr" else f"<v>{xml_text(text)}</v>")
    cell = f'<c r="E6"{attributes}>{inner}</c>'.encode()
    part = office_part(base)
    data = rezip(base, {part: lambda xml: re.sub(rb'<c r="E6"[^>]*?(?:/>|>.*?</c>)', lambda _: cell, xml, count=1)})
    reading = _read(data, rubric, scratch)
    if reading.ok:
        value = _scores(reading)[("lp-province", "1.1")]
        assert 0 <= value <= 5, cell
        assert formula is None, cell
    elif not any(i.cell == "E6" for i in reading.issues if i.is_error):
        # Anything else wrong must be a problem of the whole file, said as such.
        assert any(i.cell is None for i in reading.issues if i.is_error), (cell, reading.issues)


# ---------------------------------------------------------------- corrupted bytes


Recipe = tuple[str, tuple[int, ...], bytes]  # small, so that hypothesis prints it, not 200 kB


@st.composite
def corruptions(draw: st.DrawFn, size: int, members: int) -> Recipe:
    how = draw(st.sampled_from(["truncate", "flip", "flip-many", "drop-member", "duplicate-member",
                                "zero-run", "prefix"]))
    position = st.integers(min_value=0, max_value=size - 1)
    if how == "truncate":
        return how, (draw(position),), b""
    if how in ("flip", "flip-many"):
        count = 1 if how == "flip" else draw(st.integers(min_value=2, max_value=50))
        flips = draw(st.lists(st.tuples(position, st.integers(min_value=1, max_value=255)),
                              min_size=count, max_size=count))
        return how, tuple(n for pair in flips for n in pair), b""
    if how == "zero-run":
        return how, (draw(position), draw(st.integers(min_value=1, max_value=4096))), b""
    if how == "prefix":
        return how, (), draw(st.binary(min_size=1, max_size=64))
    member = draw(st.integers(min_value=0, max_value=members - 1))
    return how, (member, draw(st.integers(min_value=0, max_value=2))), b""


def corrupt(data: bytes, recipe: Recipe) -> bytes:
    how, numbers, blob = recipe
    if how == "truncate":
        return data[: numbers[0]]
    if how in ("flip", "flip-many"):
        out = bytearray(data)
        for position, mask in zip(numbers[::2], numbers[1::2], strict=True):
            out[position] ^= mask
        return bytes(out)
    if how == "zero-run":
        start, length = numbers
        return data[:start] + bytes(min(length, len(data) - start)) + data[start + length :]
    if how == "prefix":
        return blob + data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = archive.namelist()[numbers[0]]
        body = archive.read(name)
    if how == "drop-member":
        return rezip(data, drop=(name,))
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the exercise
        archive.writestr(name, (body, body[: len(body) // 2], b"<x/>")[numbers[1]])
    return out.getvalue()


@FUZZ
@given(data=st.data())
def test_corrupted_bytes(data: st.DataObject, base: bytes, base_reading: Reading, rubric: Rubric,
                         scratch: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        members = len(archive.namelist())
    recipe = data.draw(corruptions(len(base), members))
    reading = _read(corrupt(base, recipe), rubric, scratch)
    if reading.ok:
        # Whatever survived the damage reads as the original: a score never silently changes.
        assert _scores(reading) == _scores(base_reading), recipe
    else:
        assert reading.issues, recipe


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=4096))
def test_random_bytes(blob: bytes, rubric: Rubric, scratch: Path) -> None:
    reading = _read(blob, rubric, scratch)
    assert not reading.ok and reading.issues


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=st.dictionaries(
    st.sampled_from(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
                     "xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml", "mimetype"]),
    st.one_of(st.binary(max_size=300), st.sampled_from([
        b'<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="a" r:id="rId1"/></sheets></workbook>',
        b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        b"<sst><si><t>x</t></si></sst>",
    ])),
))
def test_random_zips(members: dict[str, bytes], rubric: Rubric, scratch: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    reading = _read(out.getvalue(), rubric, scratch)
    assert not reading.ok and reading.issues
