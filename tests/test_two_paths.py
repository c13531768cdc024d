"""One reading truth: the quick path (quick.py) and the parser (parse.py) read the same
cells from any sheet and shared-string XML, and real workbooks' shapes read right.

The property builds a workbook from generated XML (XML-illegal characters raw and as
character references, ``_xHHHH_`` escapes, attributes in any order, namespace prefixes,
``<v>`` beside ``<is>``, empty ``<v/>``, two ``<v>``, raw CR, ``t="str"`` without a
formula, ...) and reads it twice: as it comes, and with ``OFFICESTAR_XML_PARSER=tree``.
The cases after it are shapes that writers other than Excel produce, each read on both
paths and checked against what a spreadsheet program shows.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from officestar_cli.intake.xlsx.container import PARSER_VARIABLE, Limits, XlsxFile
from officestar_cli.intake.xlsx.model import Cell, SheetCells, XlsxError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_ROW, MAX_COL = 12, 6


def workbook(sheet: bytes, strings: bytes | None = None, *, names: dict[str, str] | None = None) -> bytes:
    """A minimal .xlsx holding one sheet; ``names`` renames zip members (case, backslashes)."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types/>',
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr((names or {}).get(name, name), data)
    return buffer.getvalue()


def sheet_xml(cells: bytes, *, prefixed: bool = False) -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="' + MAIN.encode() + b'" xmlns:x14ac="http://schemas.microsoft.com/office/'
        b'spreadsheetml/2009/9/ac"><sheetData>' + cells + b"</sheetData></worksheet>"
    )
    return _prefixed(xml) if prefixed else xml


def strings_xml(items: list[bytes], *, prefixed: bool = False) -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN.encode() + b'" count="%d">' % len(items)
        + b"".join(items) + b"</sst>"
    )
    return _prefixed(xml) if prefixed else xml


def _prefixed(xml: bytes) -> bytes:
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s>/])", rb"<\1x:\2", xml)
    return xml.replace(b'xmlns="', b'xmlns:x="', 1)


Outcome = tuple[str, SheetCells | str]


def read(data: bytes, monkeypatch: pytest.MonkeyPatch, *, tree: bool) -> Outcome:
    """The sheet's cells on one path, or the Issue code the workbook gets."""
    with monkeypatch.context() as patch:
        if tree:
            patch.setenv(PARSER_VARIABLE, "tree")
        else:
            patch.delenv(PARSER_VARIABLE, raising=False)
        try:
            with XlsxFile(data, Limits.for_offices(1)) as book:
                return "cells", book.sheet_cells(book.sheets[0], MAX_ROW, MAX_COL)
        except XlsxError as exc:
            return "error", exc.code


def both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    quick, tree = read(data, monkeypatch, tree=False), read(data, monkeypatch, tree=True)
    assert quick == tree
    return quick


def only_cell(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Cell | None:
    outcome, found = both(data, monkeypatch)
    assert outcome == "cells", found
    assert isinstance(found, SheetCells)
    assert len(found.cells) <= 1
    return next(iter(found.cells.values()), None)


# ---------------------------------------------------------------- the property

TEXT_PIECES = [
    "4", "4.5", "1e3", "-2", " ", "ก", "ข้อ", "_", "4_0", "x", "&amp;", "&lt;", "&gt;", "&quot;",
    "&#65;", "&#x41;", "&#10;", "&#13;", "&#x9;", "&#1;", "&#x1F;", "&#xFFFE;", "&#xFFFF;", "&#0;",
    "\x01", "\x0b", "\x1f", "\x00", "\ufffe", "\uffff", "\ufffd", "\r", "\r\n", "\n", "\t",
    "_x000D_", "_x000d_", "_x0001_", "_x005F_", "_x005F_x0041_", "_xD83D__xDE00_", "_xD800_", "_xFFFF_",
    "_x0041", "x0041_", "\U0010fffd", "๔",
]
text = st.lists(st.sampled_from(TEXT_PIECES), max_size=4).map(lambda pieces: "".join(pieces).encode("utf-8"))
column = st.sampled_from("ABCDEFG")
row = st.integers(min_value=1, max_value=MAX_ROW + 2)
kind = st.sampled_from([None, "n", "s", "str", "inlineStr", "b", "e", "d", ""])


@st.composite
def string_item(draw: st.DrawFn) -> bytes:
    runs = draw(st.lists(text, min_size=1, max_size=3))
    space = draw(st.sampled_from([b"", b' xml:space="preserve"']))
    if len(runs) == 1 and draw(st.booleans()):
        return b"<si><t" + space + b">" + runs[0] + b"</t></si>"
    body = b"".join(
        b"<r>" + draw(st.sampled_from([b"", b"<rPr><b/><sz val=\"11\"/></rPr>", b"<rPr/>"])) + b"<t" + space + b">"
        + run + b"</t></r>" for run in runs
    )
    if draw(st.booleans()):
        body += b'<rPh sb="0" eb="1"><t>' + draw(text) + b"</t></rPh><phoneticPr fontId=\"1\"/>"
    return b"<si>" + body + b"</si>"


@st.composite
def cell_xml(draw: st.DrawFn, strings: int) -> tuple[tuple[int, str], bytes]:
    where = (draw(row), draw(column))
    attributes = [b'r="%s%d"' % (where[1].encode(), where[0])]
    if draw(st.booleans()):
        attributes.append(b's="%d"' % draw(st.integers(min_value=0, max_value=3)))
    t = draw(kind)
    if t is not None:
        attributes.append(b't="' + t.encode() + b'"')
    if draw(st.booleans()):
        attributes.append(draw(st.sampled_from([b'cm="1"', b'x14ac:dyDescent="0.25"', b"vm='1'"])))
    head, rest = attributes[:1], attributes[1:]
    order = draw(st.permutations(rest)) if draw(st.booleans()) else rest
    attributes = (head + list(order)) if draw(st.booleans()) else list(draw(st.permutations(attributes)))
    index = st.integers(min_value=0, max_value=max(strings, 1)).map(lambda n: b"%d" % n)
    value = draw(st.one_of(text, index)) if t == "s" else draw(text)
    pieces = {
        "f": draw(st.sampled_from([b"", b"<f>SUM(E1:E2)</f>", b"<f>" + value + b"</f>", b'<f t="shared" si="0"/>',
                                   b"<f/>"])),
        "v": draw(st.sampled_from([b"", b"<v>" + value + b"</v>", b"<v/>", b"<v></v>",
                                   b"<v>" + value + b"</v><v>9</v>", b'<v xml:space="preserve">' + value + b"</v>"])),
        "is": draw(st.sampled_from([b"", b"<is><t>" + value + b"</t></is>",
                                    b"<is><r><t>" + value + b"</t></r><r><rPr><i/></rPr><t>_x000D_b</t></r></is>",
                                    b'<is><t>a</t><rPh sb="0" eb="1"><t>' + value + b"</t></rPh></is>"])),
    }
    names = list(pieces)
    if draw(st.booleans()):
        names = list(draw(st.permutations(names)))
    inner = b"".join(pieces[name] for name in names)
    spaced = draw(st.sampled_from([b"", b" "]))
    start = b"<c " + spaced.join(attributes) if spaced else b"<c " + b" ".join(attributes)
    if not inner and draw(st.booleans()):
        return where, start + b"/>"
    return where, start + b">" + inner + b"</c>"


@st.composite
def book_xml(draw: st.DrawFn) -> tuple[bytes, bytes | None]:
    items = draw(st.lists(string_item(), max_size=4))
    cells = draw(st.lists(cell_xml(len(items)), max_size=8))
    rows: dict[int, list[bytes]] = {}
    for (row_no, _), xml in cells:
        rows.setdefault(row_no, []).append(xml)
    body = b"".join(b'<row r="%d">' % n + b"".join(rows[n]) + b"</row>" for n in sorted(rows))
    prefixed = draw(st.booleans()) and draw(st.booleans())
    shared = strings_xml(items, prefixed=draw(st.booleans()) and draw(st.booleans())) if items else None
    return sheet_xml(body, prefixed=prefixed), shared


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=book_xml())
def test_the_quick_path_and_the_parser_read_the_same_cells(
    parts: tuple[bytes, bytes | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome, found = both(workbook(*parts), monkeypatch)
    if outcome == "cells":
        assert isinstance(found, SheetCells)
        for cell in found.cells.values():  # nothing the store cannot hold gets through
            for value in (cell.text, cell.formula):
                assert value is None or not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", value)
            if cell.illegal:  # and what was replaced shows as U+FFFD
                assert "\ufffd" in (cell.text or "") + (cell.formula or "")


def test_the_parser_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variable reaches the book: a sheet only the quick path can read without the
    parser (no cell of it needs the parser) is read by the parser when asked."""
    data = workbook(sheet_xml(b'<row r="1"><c r="A1"><v>4</v></c></row>'))
    with monkeypatch.context() as patch:
        patch.setenv(PARSER_VARIABLE, "tree")
        with XlsxFile(data, Limits.for_offices(1)) as book:
            assert not book.quick
    with XlsxFile(data, Limits.for_offices(1)) as book:
        assert book.quick


# ---------------------------------------------------------------- real workbooks' shapes


def one_cell(inner: bytes, attributes: bytes = b"", strings: list[bytes] | None = None) -> bytes:
    cell = b'<c r="F3"' + attributes + b">" + inner + b"</c>"
    shared = strings_xml(strings) if strings is not None else None
    return workbook(sheet_xml(b'<row r="3">' + cell + b"</row>"), shared)


@pytest.mark.parametrize(
    ("escaped", "meant"),
    [
        (b"a_x000D_b", "a\rb"),  # Excel's CR in a note
        (b"a_x000D__x000A_b", "a\r\nb"),
        (b"_x005F_x0041_", "_x0041_"),  # an escaped underscore: the text _x0041_ itself
        (b"x_x0041_y", "xAy"),
        (b"_xD83D__xDE00_", "\U0001f600"),  # a surrogate pair is one character
        (b"_x0041 and x0041_", "_x0041 and x0041_"),  # not escapes
    ],
)
def test_xstring_escapes_are_decoded_in_shared_and_inline_strings(
    escaped: bytes, meant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = only_cell(one_cell(b"<v>0</v>", b' t="s"', [b"<si><t>" + escaped + b"</t></si>"]), monkeypatch)
    inline = only_cell(one_cell(b"<is><t>" + escaped + b"</t></is>", b' t="inlineStr"'), monkeypatch)
    rich = only_cell(one_cell(b"<v>0</v>", b' t="s"', [b"<si><r><t>" + escaped + b"</t></r></si>"]), monkeypatch)
    string = only_cell(one_cell(b"<v>" + escaped + b"</v>", b' t="str"'), monkeypatch)
    for cell in (shared, inline, rich, string):
        assert cell is not None
        assert (cell.kind, cell.text, cell.formula, cell.illegal) == ("s", meant, None, False)


def test_an_inline_string_cell_with_a_value_reads_the_string(monkeypatch: pytest.MonkeyPatch) -> None:
    for inner in (b"<v>9</v><is><t>note</t></is>", b"<is><t>note</t></is><v>9</v>"):
        cell = only_cell(one_cell(inner, b' t="inlineStr"'), monkeypatch)
        assert cell is not None and (cell.kind, cell.text) == ("s", "note")


def test_an_empty_value_is_an_empty_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    for attributes in (b' t="s"', b' s="1" t="s"', b"", b' t="n"', b' t="str"'):
        for inner in (b"<v/>", b"<v></v>", b"<v />"):
            assert only_cell(one_cell(inner, attributes, [b"<si><t>a</t></si>"]), monkeypatch) is None


def test_part_names_are_case_insensitive_and_backslashes_are_slashes(monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = sheet_xml(b'<row r="3"><c r="F3" t="s"><v>0</v></c></row>')
    strings = strings_xml([b"<si><t>note</t></si>"])
    for names in (
        {"xl/sharedStrings.xml": "xl/SharedStrings.xml"},
        {"xl/sharedStrings.xml": "XL/SHAREDSTRINGS.XML", "xl/workbook.xml": "xl/Workbook.xml"},
        {"xl/worksheets/sheet1.xml": "xl\\worksheets\\sheet1.xml", "xl/_rels/workbook.xml.rels":
         "xl\\_rels\\workbook.xml.rels"},
    ):
        cell = only_cell(workbook(sheet, strings, names=names), monkeypatch)
        assert cell is not None and cell.text == "note", names


def test_two_members_that_are_one_part_are_a_corrupt_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = sheet_xml(b'<row r="3"><c r="F3"><v>4</v></c></row>')
    data = workbook(sheet, strings_xml([]))
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/SharedStrings.xml", strings_xml([b"<si><t>other</t></si>"]))
    assert both(buffer.getvalue(), monkeypatch) == ("error", "corrupt-workbook")


def test_a_string_cell_without_a_formula_is_a_plain_string(monkeypatch: pytest.MonkeyPatch) -> None:
    cell = only_cell(one_cell(b"<v>see folder 3</v>", b' t="str"'), monkeypatch)
    assert cell is not None and (cell.kind, cell.text, cell.formula) == ("s", "see folder 3", None)
    cell = only_cell(one_cell(b"<f>A1</f><v>see folder 3</v>", b' t="str"'), monkeypatch)
    assert cell is not None and (cell.kind, cell.text, cell.formula) == ("s", "see folder 3", "A1")


@pytest.mark.parametrize("number", [b"4_0", b"\xe0\xb9\x94", b"1_000"])  # Python's float() takes each
def test_a_number_not_written_as_one_is_text(number: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    cell = only_cell(one_cell(b"<v>" + number + b"</v>"), monkeypatch)
    assert cell is not None and (cell.kind, cell.text) == ("s", number.decode())


def test_two_values_read_the_first_and_a_raw_cr_is_a_line_end(monkeypatch: pytest.MonkeyPatch) -> None:
    cell = only_cell(one_cell(b"<v>4</v><v>9</v>"), monkeypatch)
    assert cell is not None and cell.text == "4"
    cell = only_cell(one_cell(b"<is><t>a\r\nb\rc</t></is>", b' t="inlineStr"'), monkeypatch)
    assert cell is not None and cell.text == "a\nb\nc"


@pytest.mark.parametrize(
    "written",
    [b"a\x01b", b"a&#1;b", b"a&#x1;b", b"a_x0001_b", b"a\xef\xbf\xbeb", b"a\xef\xbf\xbfb", b"a&#xFFFE;b",
     b"a_xFFFF_b", b"a_xD800_b", b"a\x00b"],
)
def test_an_illegal_character_is_replaced_and_flagged(written: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    for data in (
        one_cell(b"<is><t>" + written + b"</t></is>", b' t="inlineStr"'),
        one_cell(b"<v>1</v>", b' t="s"', [b"<si><t>ok</t></si>", b"<si><t>" + written + b"</t></si>"]),
        one_cell(b"<v>" + written + b"</v>", b' t="str"'),
    ):
        cell = only_cell(data, monkeypatch)
        assert cell is not None and (cell.text, cell.illegal) == ("a\ufffdb", True)
    cell = only_cell(one_cell(b"<v>0</v>", b' t="s"', [b"<si><t>ok</t></si>", b"<si><t>" + written + b"</t></si>"]),
                     monkeypatch)
    assert cell is not None and (cell.text, cell.illegal) == ("ok", False)  # only the cell that holds one


def test_an_illegal_character_in_a_number_or_formula_is_replaced_and_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    cell = only_cell(one_cell(b"<v>4\x01</v>"), monkeypatch)
    assert cell is not None and (cell.kind, cell.text, cell.illegal) == ("s", "4\ufffd", True)
    cell = only_cell(one_cell(b"<f>A\x01</f><v>4</v>"), monkeypatch)
    assert cell is not None and (cell.formula, cell.text, cell.illegal) == ("A\ufffd", "4", True)
