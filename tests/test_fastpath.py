"""The quick path (regular expressions) and the parser (ElementTree) on hostile sheet XML.

The reader takes the quick path for the shape spreadsheet programs write and the parser
for anything else; a comment (``<!-- x -->``) in a part is enough to send that part to
the parser. So every change here is read twice: as it is (quick path) and with a comment
in every sheet, the shared strings and the styles (parser), and both readings must say
the same. Inputs that once crashed the quick path, made it scan quadratically or let a
non-UTF-8 part through are read too: each must end in scores or Issues, never an exception.

The inputs come from a real filled workbook (tests/returned.py), inline strings as
officestar writes them and shared strings as Excel saves them.
"""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from officestar_cli.intake.reader import Reading, read_workbook
from officestar_cli.rubric.model import Rubric
from returned import expected_scores, found, make_filled, rewrite_parts, score_for, scores_of, sheet_part
from support.filler import to_shared_strings

MEMBER = "นาย ทดสอบ"
ROUND = 2
SHEET = "เถิน"  # office lp-thoen
OTHER_SHEET = "ห้างฉัตร"  # another office sheet
OFFICE = "lp-thoen"
CRITERION = "1.2"  # on row 7 of every office sheet
KEY_CELL, SCORE_CELL, NOTE_CELL = "A7", "E7", "F7"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
WORKBOOK = "xl/workbook.xml"
RELS = "xl/_rels/workbook.xml.rels"
HUGE = b"1" * 5000  # more digits than int() converts by default (4300)
COMMENT = b"<!-- x -->"

Change = Callable[[bytes], bytes]
ScoreRow = tuple[str, str, str, str, str]
IssueRow = tuple[str, str, str]
Summary = tuple[list[ScoreRow], list[IssueRow]]


@dataclass(frozen=True)
class Book:
    """One base workbook: its file, the part of sheet เถิน, its score style, every expected score."""

    path: Path
    part: str
    score_style: int
    expected: dict[tuple[str, str], Decimal]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> dict[str, Book]:
    folder = tmp_path_factory.mktemp("fastpath")
    inline = make_filled(rubric, ROUND, MEMBER, folder / "inline.xlsx")
    shared = folder / "shared.xlsx"
    to_shared_strings(inline, shared)
    expected = expected_scores(rubric, score_for(rubric))
    out: dict[str, Book] = {}
    for name, path in (("inline", inline), ("shared", shared)):
        part = sheet_part(path, SHEET)
        style = re.search(rb' s="([0-9]+)"', cell_of(member(path, part), SCORE_CELL))
        assert style is not None
        out[name] = Book(path, part, int(style.group(1)), expected)
    with zipfile.ZipFile(shared) as archive:
        assert b't="s"' in archive.read(out["shared"].part)
    return out


@pytest.fixture(params=["inline", "shared"])
def book(request: pytest.FixtureRequest, books: dict[str, Book]) -> Book:
    chosen: Book = books[request.param]
    return chosen


@pytest.fixture
def read(rubric: Rubric) -> Callable[[Path], Reading]:
    def run(path: Path) -> Reading:
        return read_workbook(path, rubric, ROUND)

    return run


# ---------------------------------------------------------------- building inputs


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def _cell_pattern(ref: str) -> re.Pattern[bytes]:
    return re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)


def cell_of(sheet: bytes, ref: str) -> bytes:
    """The whole ``<c r="REF" ...>...</c>`` element as officestar wrote it."""
    match = _cell_pattern(ref).search(sheet)
    assert match is not None, f"no cell {ref}"
    return match.group(0)


def swap(ref: str, new: bytes) -> Change:
    """Replace cell ``ref`` of a sheet with ``new``."""

    def change(data: bytes) -> bytes:
        old = cell_of(data, ref)
        assert data.count(old) == 1
        return data.replace(old, new, 1)

    return change


def replace_once(old: bytes, new: bytes) -> Change:
    def change(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return change


_ROOT_START = re.compile(rb"<[A-Za-z_][^>]*>")  # the first tag that is neither <?...?> nor <!...>


def commented(data: bytes) -> bytes:
    """``data`` with a comment right after the root element's start tag: the parser reads it."""
    match = _ROOT_START.search(data)
    assert match is not None
    return data[: match.end()] + COMMENT + data[match.end() :]


def build(src: Path, dst: Path, changes: dict[str, Change], *, tree: bool = False) -> Path:
    """``src`` with ``changes`` applied; with ``tree``, every sheet, the shared strings and the
    styles also get a comment, so that each of them is read by the parser."""
    if not tree:
        return rewrite_parts(src, dst, dict(changes))
    every: dict[str, Callable[[bytes], bytes | None]] = {}
    for name in members(src):
        change = changes.get(name)
        if name in (STRINGS, STYLES) or (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            every[name] = _then_commented(change)
        elif change is not None:
            every[name] = change
    return rewrite_parts(src, dst, every)


def _then_commented(change: Change | None) -> Change:
    def run(data: bytes) -> bytes:
        return commented(change(data) if change is not None else data)

    return run


def summary(reading: Reading) -> Summary:
    scores = sorted((s.office_id, s.criterion_id, str(s.value), s.cell, s.note) for s in reading.scores)
    issues = sorted((code, sheet or "", cell or "") for code, sheet, cell in found(reading))
    return scores, issues


def codes(reading: Reading) -> set[str]:
    return {code for code, _, _ in found(reading)}


def restyle(index: int, fmt_id: bytes) -> Change:
    """Set the numFmtId of ``<xf>`` number ``index`` inside ``<cellXfs>`` to ``fmt_id`` (raw bytes)."""

    def change(data: bytes) -> bytes:
        start = data.index(b"<cellXfs")
        tags = list(re.finditer(rb"<xf\b[^>]*>", data[start:]))
        tag = tags[index]
        old = tag.group(0)
        assert b'numFmtId="' in old
        new = re.sub(rb'numFmtId="[^"]*"', b'numFmtId="' + fmt_id + b'"', old, count=1)
        at = start + tag.start()
        return data[:at] + new + data[at + len(old) :]

    return change


def add_date_style(data: bytes) -> bytes:
    """Append a cell style with the built-in date format 14, so that the workbook has date styles."""
    return replace_once(b"</cellXfs>", b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>')(
        data
    )


# ---------------------------------------------------------------- the harness itself


def test_the_layout_these_tests_rely_on(books: dict[str, Book]) -> None:
    for book in books.values():
        sheet = member(book.path, book.part)
        assert cell_of(sheet, SCORE_CELL).endswith(b"<v>4.5</v></c>")
        assert cell_of(sheet, NOTE_CELL) == b'<c r="F7" s="17" t="n" />'
        assert cell_of(sheet, "F11") == b'<c r="F11" s="17" t="n" />'
        assert book.score_style == 16
        assert book.expected[(OFFICE, CRITERION)] == Decimal("4.5")
    inline = member(books["inline"].path, books["inline"].part)
    assert b">1.2</t>" in cell_of(inline, KEY_CELL)
    assert b">2.1</t>" in cell_of(inline, "A11")


@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_the_unchanged_workbook_reads_alike_on_both_paths(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], tree: bool
) -> None:
    reading = read(build(book.path, tmp_path / "x.xlsx", {}, tree=tree))
    assert found(reading) == []
    assert scores_of(reading) == book.expected


def test_a_comment_sends_a_part_to_the_parser(books: dict[str, Book], tmp_path: Path) -> None:
    """The comment lands right after the root start tag of each part, and nothing else changes."""
    book = books["shared"]
    tree = build(book.path, tmp_path / "t.xlsx", {}, tree=True)
    for name in (book.part, STRINGS, STYLES):
        before, after = member(book.path, name), member(tree, name)
        assert after.count(COMMENT) == 1
        assert after.replace(COMMENT, b"", 1) == before
    assert member(tree, WORKBOOK) == member(book.path, WORKBOOK)


# ---------------------------------------------------------------- 1. crashes become Issues


@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_an_empty_format_code_reads_normally(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], tree: bool
) -> None:
    styles = replace_once(
        b'<numFmts count="0" />', b'<numFmts count="1"><numFmt numFmtId="164" formatCode=""/></numFmts>'
    )
    reading = read(build(book.path, tmp_path / "x.xlsx", {STYLES: styles}, tree=tree))
    assert found(reading) == []
    assert scores_of(reading) == book.expected


@pytest.mark.parametrize(
    ("ref", "new"),
    [
        (SCORE_CELL, b'<c r="E7" t="s"><v>' + HUGE + b"</v></c>"),
        (KEY_CELL, b'<c r="A7" s="3" t="s"><v>' + HUGE + b"</v></c>"),
    ],
    ids=["score-cell", "key-cell"],
)
@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_a_shared_string_index_of_5000_digits_is_a_corrupt_workbook(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], ref: str, new: bytes, tree: bool
) -> None:
    reading = read(build(book.path, tmp_path / "x.xlsx", {book.part: swap(ref, new)}, tree=tree))
    assert "corrupt-workbook" in codes(reading)
    assert reading.scores == []


@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_a_style_index_of_5000_digits_after_the_type_does_not_crash(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], tree: bool
) -> None:
    changes = {
        STYLES: add_date_style,
        book.part: swap(SCORE_CELL, b'<c r="E7" t="n" s="' + HUGE + b'"><v>7.75</v></c>'),
    }
    reading = read(build(book.path, tmp_path / "x.xlsx", changes, tree=tree))  # no exception
    assert reading.scores or reading.issues


# ---------------------------------------------------------------- 2. the quick path reads like the parser


def _note(text: bytes, row: int = 7) -> bytes:
    return b'<c r="F%d" s="14" t="inlineStr"><is><t>' % row + text + b"</t></is></c>"


def _on_score(row: int, cell: bytes) -> Callable[[Book], dict[str, Change]]:
    """Replace score cell E``row``; ``cell`` is a %-template taking the row number."""
    return lambda b: {b.part: swap(f"E{row}", cell % row)}


def _on_note(row: int, cell: bytes) -> Callable[[Book], dict[str, Change]]:
    return lambda b: {b.part: swap(f"F{row}", cell % row)}


def _duplicate_key(row: int) -> Callable[[Book], dict[str, Change]]:
    """Column A of ``row`` written twice: first the criterion id, then the text of column B."""

    def change(data: bytes) -> bytes:
        key, label = cell_of(data, f"A{row}"), cell_of(data, f"B{row}")
        second = label.replace(b'r="B%d"' % row, b'r="A%d"' % row, 1)
        return data.replace(key, key + second, 1)

    return lambda b: {b.part: change}


def _cell_cases(row: int) -> dict[str, Callable[[Book], dict[str, Change]]]:
    return {
        "attribute-with-slash": _on_score(row, b'<c r="E%d" s="13" t="n" foo="a/b"><v>7.75</v></c>'),
        "prefixed-attribute-with-slash": _on_score(
            row, b'<c r="E%d" s="13" t="n" x14ac:foo="a/b" xmlns:x14ac="urn:x"><v>7.75</v></c>'
        ),
        "v-with-xml-space": _on_score(row, b'<c r="E%d" s="13" t="n"><v xml:space="preserve">7.75</v></c>'),
        "lowercase-ref": _on_score(row, b'<c r="e%d" s="13" t="n"><v>7.75</v></c>'),
        "absolute-ref": _on_score(row, b'<c r="$E$%d" s="13" t="n"><v>7.75</v></c>'),
        "is-with-space": _on_note(row, b'<c r="F%d" s="14" t="inlineStr"><is ><t>note</t></is></c>'),
        "cp1252-character-references": _on_note(
            row, b'<c r="F%d" s="14" t="inlineStr"><is><t>a&#150;b&#128;c&#127;d</t></is></c>'
        ),
        "duplicate-key-cell": _duplicate_key(row),
    }


# Row 7 is one of the first ten rows, read whole; from row 11 on, the quick path leaves out
# rows whose column A is not a criterion id, so each change is tried on both.
SAME_ON_BOTH_PATHS: dict[str, Callable[[Book], dict[str, Change]]] = {
    **{f"{name}-row7": case for name, case in _cell_cases(7).items()},
    **{f"{name}-row11": case for name, case in _cell_cases(11).items()},
    "plus-sign-format-id": lambda b: {STYLES: restyle(b.score_style, b"+14")},
}


@pytest.mark.parametrize("case", list(SAME_ON_BOTH_PATHS))
def test_the_quick_path_reads_like_the_parser(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], case: str
) -> None:
    changes = SAME_ON_BOTH_PATHS[case](book)
    fast = read(build(book.path, tmp_path / "fast.xlsx", changes))
    tree = read(build(book.path, tmp_path / "tree.xlsx", changes, tree=True))
    assert summary(fast) == summary(tree)
    assert fast.scores or fast.issues


# ---------------------------------------------------------------- 3. phonetic runs are not text


@pytest.mark.parametrize(
    "inner",
    [
        b'<t>abc</t><rPh sb="0" eb="1"><t>XYZ</t></rPh>',
        b'<r><t>abc</t></r><rPh sb="0" eb="1"><t>XYZ</t></rPh>',
    ],
    ids=["plain", "rich"],
)
@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_a_phonetic_run_is_not_part_of_an_inline_note(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], inner: bytes, tree: bool
) -> None:
    note = b'<c r="F7" s="14" t="inlineStr"><is>' + inner + b"</is></c>"
    reading = read(build(book.path, tmp_path / "x.xlsx", {book.part: swap(NOTE_CELL, note)}, tree=tree))
    assert found(reading) == []
    notes = {(s.office_id, s.criterion_id): s.note for s in reading.scores}
    assert notes[(OFFICE, CRITERION)] == "abc"


@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_a_phonetic_run_is_not_part_of_a_shared_string(
    books: dict[str, Book], tmp_path: Path, read: Callable[[Path], Reading], tree: bool
) -> None:
    """The criterion id "1.2" in the shared strings with a reading attached still reads as "1.2"."""
    book = books["shared"]
    strings = replace_once(
        b'<si><t xml:space="preserve">1.2</t></si>',
        b'<si><t xml:space="preserve">1.2</t><rPh sb="0" eb="3"><t>ichi</t></rPh></si>',
    )
    reading = read(build(book.path, tmp_path / "x.xlsx", {STRINGS: strings}, tree=tree))
    assert found(reading) == []
    assert scores_of(reading) == book.expected


# ---------------------------------------------------------------- 4. UTF-8 only


def _utf16_with_doctype(declared: bool, *, entity_in_note: bool = False) -> Change:
    """The part re-encoded as UTF-16-LE without a BOM, after a DOCTYPE declaring entity e
    (used in the note of row 7 with ``entity_in_note``)."""

    def change(data: bytes) -> bytes:
        if entity_in_note:
            data = swap(NOTE_CELL, _note(b"&e;"))(data)
        text = data.decode("utf-8")
        if text.startswith("<?xml"):
            text = text.split("?>", 1)[1].lstrip()
        text = '<!DOCTYPE w [<!ENTITY e "x">]>' + text
        if declared:
            text = '<?xml version="1.0" encoding="UTF-16"?>' + text
        return text.encode("utf-16-le")  # no BOM

    return change


@pytest.mark.parametrize("declared", [False, True], ids=["no-declaration", "declared-utf16"])
@pytest.mark.parametrize("where", ["workbook", "sheet"])
def test_a_utf16_part_without_bom_carrying_a_doctype_is_refused(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], where: str, declared: bool
) -> None:
    changes = (
        {WORKBOOK: _utf16_with_doctype(declared)}
        if where == "workbook"
        else {book.part: _utf16_with_doctype(declared, entity_in_note=True)}
    )
    reading = read(build(book.path, tmp_path / "x.xlsx", changes))
    assert codes(reading) & {"corrupt-workbook", "unsafe-xml"}
    assert reading.scores == []


def _padded_latin1_declaration(data: bytes) -> bytes:
    if data.startswith(b"<?xml"):
        data = data.split(b"?>", 1)[1].lstrip()
    return b'<?xml version="1.0"' + b" " * 300 + b'encoding="ISO-8859-1"?>' + data


@pytest.mark.parametrize("where", ["workbook", "sheet", "styles"])
def test_an_encoding_declared_past_byte_200_is_a_corrupt_workbook(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], where: str
) -> None:
    part = {"workbook": WORKBOOK, "sheet": book.part, "styles": STYLES}[where]
    reading = read(build(book.path, tmp_path / "x.xlsx", {part: _padded_latin1_declaration}))
    assert "corrupt-workbook" in codes(reading)
    assert reading.scores == []


def test_an_encoding_declared_past_byte_200_in_the_shared_strings_is_a_corrupt_workbook(
    books: dict[str, Book], tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    book = books["shared"]
    reading = read(build(book.path, tmp_path / "x.xlsx", {STRINGS: _padded_latin1_declaration}))
    assert "corrupt-workbook" in codes(reading)
    assert reading.scores == []


# ---------------------------------------------------------------- 5. bounded work
# Sizes that would take minutes if the work grew with the square of the input; read in
# well under two seconds when it does not. No timing asserts: a regression hangs visibly.

FLOOD = 20_000


def test_many_unclosed_numfmt_tags_read_in_linear_time(
    books: dict[str, Book], tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    styles = replace_once(b'<numFmts count="0" />', b"<numFmts>" + b"<numFmt " * FLOOD + b"'/></numFmts>")
    reading = read(build(books["inline"].path, tmp_path / "x.xlsx", {STYLES: styles}))
    assert reading.scores or reading.issues


def test_many_unclosed_xf_tags_read_in_linear_time(
    books: dict[str, Book], tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    def styles(data: bytes) -> bytes:
        opening = re.search(rb"<cellXfs[^>]*>", data)
        assert opening is not None
        return data[: opening.end()] + b"<xf " * FLOOD + b"'/>" + data[opening.end() :]

    reading = read(build(books["inline"].path, tmp_path / "x.xlsx", {STYLES: styles}))
    assert reading.scores or reading.issues


def test_tall_merges_over_the_score_column_cost_no_memory(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading]
) -> None:
    merges = b"".join(b'<mergeCell ref="E%d:E%d"/>' % (1 + i * 99_999, 99_999 + i * 99_999) for i in range(100))

    def sheet(data: bytes) -> bytes:
        if b"</mergeCells>" in data:  # the office sheet's own merges (title rows) stay
            return replace_once(b"</mergeCells>", merges + b"</mergeCells>")(data)
        return replace_once(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>")(data)

    path = build(book.path, tmp_path / "x.xlsx", {book.part: sheet})
    tracemalloc.start()
    try:
        reading = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reading.scores or reading.issues
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.parametrize(
    "target",
    ["/{part}", "{relative}", "worksheets/../{relative}"],
    ids=["absolute", "relative", "roundabout"],
)
def test_two_sheets_on_one_part_are_a_corrupt_workbook(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], target: str
) -> None:
    """Sheet ห้างฉัตร pointed at the part of sheet เถิน: one part read twice."""
    other = sheet_part(book.path, OTHER_SHEET)
    assert other != book.part
    relative = book.part.removeprefix("xl/")
    pointed = target.format(part=book.part, relative=relative).encode()

    def rels(data: bytes) -> bytes:
        spelled = re.compile(rb'Target="(?:/xl/)?' + re.escape(other.removeprefix("xl/").encode()) + rb'"')
        assert len(spelled.findall(data)) == 1
        return spelled.sub(b'Target="' + pointed + b'"', data)

    reading = read(build(book.path, tmp_path / "x.xlsx", {RELS: rels}))
    assert "corrupt-workbook" in codes(reading)
    assert reading.scores == []


# ---------------------------------------------------------------- illegal characters reach the reader as U+FFFD


@pytest.mark.parametrize("written", [b"a\x01b", b"a\x1fb", b"a&#1;b", b"a_x0001_b", b"a\xef\xbf\xbfb", b"a\x00b"])
@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_an_illegal_character_in_a_note_is_replacement_text_not_a_corrupt_workbook(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], written: bytes, tree: bool
) -> None:
    """A literal U+0001, U+001F or U+FFFF (or a reference or escape of one) in a note once read
    as OK on one path and a corrupt workbook on the other; now both record the note with
    U+FFFD, which the store can hold. The warning the reader gives on it is the reader's."""
    note = b'<c r="F7" s="14" t="inlineStr"><is><t>' + written + b"</t></is></c>"
    reading = read(build(book.path, tmp_path / "x.xlsx", {book.part: swap(NOTE_CELL, note)}, tree=tree))
    assert "corrupt-workbook" not in codes(reading)
    notes = {(s.office_id, s.criterion_id): s.note for s in reading.scores}
    assert notes[(OFFICE, CRITERION)] == "a\ufffdb"
    assert scores_of(reading) == book.expected


@pytest.mark.parametrize("written", [b"4\x01", b"4_x0001_", b"_x0001_", b"4&#xFFFE;"])
@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_an_illegal_character_in_a_score_is_an_error_on_its_cell(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], written: bytes, tree: bool
) -> None:
    score = b'<c r="E7" s="%d" t="inlineStr"><is><t>' % book.score_style + written + b"</t></is></c>"
    reading = read(build(book.path, tmp_path / "x.xlsx", {book.part: swap(SCORE_CELL, score)}, tree=tree))
    assert ("not-a-number", SHEET, SCORE_CELL) in found(reading)
    assert not reading.scores


@pytest.mark.parametrize("number", [b"4_0", b"4_5", b"1_0e0"])
@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_a_number_value_not_written_as_a_number_is_no_score(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], number: bytes, tree: bool
) -> None:
    """``<v>4_0</v>`` once read as 40 (Python's float() takes "4_0")."""
    score = b'<c r="E7" s="%d"><v>' % book.score_style + number + b"</v></c>"
    reading = read(build(book.path, tmp_path / "x.xlsx", {book.part: swap(SCORE_CELL, score)}, tree=tree))
    assert ("not-a-number", SHEET, SCORE_CELL) in found(reading)


@pytest.mark.parametrize("tree", [False, True], ids=["fast", "tree"])
def test_a_string_cell_without_a_formula_is_a_note_not_a_formula(
    book: Book, tmp_path: Path, read: Callable[[Path], Reading], tree: bool
) -> None:
    """Some writers give a plain text cell t="str"; the note "see folder 3" was recorded as "="."""
    note = b'<c r="F7" s="14" t="str"><v>see folder 3_x000D_</v></c>'
    reading = read(build(book.path, tmp_path / "x.xlsx", {book.part: swap(NOTE_CELL, note)}, tree=tree))
    notes = {(s.office_id, s.criterion_id): s.note for s in reading.scores}
    assert notes[(OFFICE, CRITERION)] == "see folder 3\r"
