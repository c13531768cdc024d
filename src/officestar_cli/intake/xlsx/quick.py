"""The quick path: regular expressions over a part's bytes, for the shape spreadsheet
programs write. It reads a cell only when it reads it exactly as the parser (parse.py)
would; anything it does not fully understand raises ForTheParser, and the caller reads
the part with the parser. A sheet is read as it is: an illegal character is found in the
text it stands in (text.clean), so no pass over the whole part looks for one; a reference
to one is the parser's, which reads the part with them marked (safety.mark_illegal).
tests/test_fastpath.py and tests/test_two_paths.py hold it to that.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING

from officestar_cli.intake.xlsx.model import Cell, SheetCells, SheetInfo, column_index, int_or, merge_area, stray
from officestar_cli.intake.xlsx.safety import has_markup_declaration
from officestar_cli.intake.xlsx.text import ForTheParser, clean, unescape, xml_unescape
from officestar_cli.intake.xlsx.values import inline_text, make_cell

if TYPE_CHECKING:
    from officestar_cli.intake.xlsx.container import XlsxFile

HEAD_ROWS = 10
_COLUMNS = {bytes([65 + i]): i + 1 for i in range(26)}
_new_cell = tuple.__new__  # Cell(...) without the Python frame of a NamedTuple's __new__
# No pattern may scan past the next tag it does not expect: a cell's content stops at
# the next cell, text at the next "<". A lazy ".*?" would scan to the end of the part
# for every cell that never closes, which a hostile sheet turns into hours.
# Style and type are captured when written in the usual order (r, s, t); any other
# attributes, or another order, land in the fourth group and are read there.
# A cell holding one plain value (most of them) is matched by the first branch, a plain formula
# with or without its cached value by the second, and the third takes the rest. The groups keep
# "<v>" and "<f>" so that an empty value or formula differs from none.
# The other attributes run to the tag's end, "/" in a value included, but a cell that closes
# itself is empty and not matched. Possessive (Python 3.11) only saves the backtracking that
# fails anyway on such cells.
_REST_OF_TAG = rb"[^<>]*+" if sys.version_info >= (3, 11) else rb"[^<>]*"
_ATTRIBUTES = rb"(" + _REST_OF_TAG + rb")"
_CELL_SHAPE = (
    rb'<c r="(%s)([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?' + _ATTRIBUTES + rb"(?<!/)>"
    rb"(?:(<v>[^<]*)</v></c>|(<f>[^<]*)</f>(?:(<v>[^<]*)</v>|(<v ?/>))?</c>|([^<]*(?:<(?!c[\s>/]|/c>)[^<]*)*)</c>)"
)
_FAST_CELL = re.compile(_CELL_SHAPE % rb"[A-Z]{1,3}")
_PATTERNS: dict[tuple[frozenset[int] | None, frozenset[int], int], tuple[re.Pattern[bytes], re.Pattern[bytes]]] = {}
# A cell written without a plain r as its first attribute: the parser's.
_NOT_REF_FIRST = rb"""|(?! r="[A-Z]{1,3}[0-9]{1,7}")([\s>/])"""
_PLAIN_NUMBER = re.compile(rb"[0-9.Ee+-]{1,64}")


def fast_patterns(
    columns: frozenset[int] | None, head_columns: frozenset[int], max_col: int
) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """A pattern for the non-empty cells of the wanted columns (the regex engine skips the
    rest without a Python step), and one that finds, in the same pass, the non-empty cells
    right of ``max_col`` (stray) and any cell the wanted pattern could not see."""
    key = (columns, head_columns, max_col)
    if key not in _PATTERNS:
        if columns is None or max_col > 25:
            wanted = _FAST_CELL
            others = re.compile(rb"<c(?:(?!)()()" + _NOT_REF_FIRST + rb")")
        else:
            letters = b"".join(bytes([64 + c]) for c in sorted(columns) if c <= max_col)
            group = b"[" + letters + b"]"
            head = b"".join(bytes([64 + c]) for c in sorted(head_columns - columns) if c <= max_col)
            if head:  # rows 1..10 only: a one-digit row, or 10
                group += b"|[" + head + b"]" + rb'(?=(?:[1-9]|10)")'
            far = rb"[A-Z]{2,3}|[" + bytes([65 + max_col]) + rb"-Z]"
            wanted = re.compile(_CELL_SHAPE % group)
            # Groups: a stray cell's column and row (a value right of the area); a cell without
            # a plain r first.
            others = re.compile(rb'<c(?: r="(' + far + rb')([0-9]{1,7})"' + _REST_OF_TAG + rb"(?<!/)>"
                                + _NOT_REF_FIRST + rb")")
        _PATTERNS[key] = (wanted, others)
    return _PATTERNS[key]


_ATTRIBUTE = re.compile(rb'\s+([A-Za-z_][\w.:-]*)\s*=\s*"([^"<]*)"')
# What a cell may hold for this path (phonetic runs taken out first): its formula, its
# value and its inline string, at most one of each and in the schema's order. Anything
# else (two values, a value after the string, runs of an unknown shape) is the parser's.
_T_RUN = rb"<t(?:\s[^<>/]*)?>[^<]*</t>|<t\s*/>"
_RUN = rb"<r>\s*(?:<rPr>(?:\s*<[A-Za-z]+(?:\s[^<>]*)?/>)*\s*</rPr>\s*|<rPr\s*/>\s*)?(?:" + _T_RUN + rb")\s*</r>"
_INNER = re.compile(
    rb"\s*(?:(<f(?:\s[^<>]*)?>[^<]*</f>|<f(?:\s[^<>]*)?/>)\s*)?"
    rb"(?:<v>([^<]*)</v>\s*|(<v\s*/>)\s*)?"
    rb"(?:(<is>(?:\s*(?:" + _T_RUN + rb"|" + _RUN + rb"|<phoneticPr\b[^<>]*/>))*\s*</is>|<is\s*/>)\s*)?"
)
_PLAIN_INLINE = re.compile(rb'<is><t(?: xml:space="preserve")?>([^<]*)</t></is>')
_INNER_F = re.compile(rb"<f(\s[^<>]*?)?(?:/>|>([^<]*)</f>)")
_SHARED = re.compile(rb"""(?:^|\s)t\s*=\s*(["'])shared\1""")
_INNER_T = re.compile(rb"<t(?:\s[^<>/]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b[^<>]*>[^<]*(?:<(?!/?rPh\b)[^<]*)*</rPh>")
_SHEET_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?worksheet>\s*$")
_MERGE = re.compile(rb'<mergeCell ref="([^"]{1,40})"')
# A prefixed element the patterns would not see (x:c, x:v, ...). Text that merely looks
# like one only sends the sheet to the parser, which is slower but reads it the same.
_PREFIXED = re.compile(rb":(?:c|row|v|f|is|t|r|rPr|rPh|sheetData|mergeCells?)[\s>/]")


def fast_path_fits(data: bytes) -> bool:
    """True when the sheet's cells and merges are unprefixed and there is no CDATA or comment
    (which may hold "<v>" that no spreadsheet program shows); cells without r are found by
    the caller's second pattern."""
    return (
        _SHEET_END.search(data[-256:]) is not None  # a part cut short is for the parser to refuse
        and not has_markup_declaration(data)
        and _PREFIXED.search(data) is None
    )


def _attributes(attributes: bytes, style_text: bytes, kind_text: bytes) -> tuple[bytes, bytes]:
    """Style and type from a cell's other attributes, read as the parser reads them: every
    attribute double-quoted, none twice, no reference or whitespace the parser would turn.
    A style comes back as at most nine digits, as the cell pattern captures it."""
    at = 0
    for match in _ATTRIBUTE.finditer(attributes):
        if match.start() != at:
            raise ForTheParser
        at = match.end()
        name, value = match.groups()
        if name in (b"s", b"t", b"r"):
            if name == b"r" or b"&" in value or (value and min(value) < 0x20):
                raise ForTheParser  # a reference, or whitespace the parser would turn into spaces
            if name == b"s":
                if style_text:
                    raise ForTheParser
                style_text = value if value.isdigit() and len(value) < 10 else _style_digits(value)
            else:
                if kind_text:
                    raise ForTheParser
                kind_text = value or b"n"
    if attributes[at:].strip():
        raise ForTheParser
    return style_text, kind_text


def _kind(kind_text: bytes) -> str:
    """A type attribute as text; one that is not ASCII is the parser's to judge (its UTF-8)."""
    if not kind_text.isascii():
        raise ForTheParser
    return kind_text.decode("ascii")


def _style_digits(value: bytes) -> bytes:
    """A style written otherwise ("", " 3", "-1", thousands of digits) as the parser's int()
    takes it; one that can name no style as a number no style has."""
    style = int_or(unescape(value), 0)
    return b"%d" % style if 0 <= style < 10**9 else b"999999999"


def _inner_cell(
    book: XlsxFile, sheet: SheetInfo, row: int, col: int, kind: str, inner: bytes, date_style: bool,
    marker: str | None,
) -> Cell | None:
    inner = _PHONETIC.sub(b"", inner) if b"<rPh" in inner else inner
    match = _INNER.fullmatch(inner)
    if match is None:
        raise ForTheParser
    f_element, v_text, v_empty, is_element = match.groups()
    formula: str | None = None
    if f_element is not None:
        f_parts = _INNER_F.match(f_element)
        assert f_parts is not None
        f_attributes, f_text = f_parts.groups()
        if f_attributes and b"&" in f_attributes:
            raise ForTheParser
        formula = unescape(f_text or b"") or ("(shared)" if f_attributes and _SHARED.search(f_attributes) else "")
    value = unescape(v_text) if v_text is not None else "" if v_empty is not None else None
    inline = None
    if is_element is not None:
        inline = inline_text((unescape(t) for t in _INNER_T.findall(is_element)), marker)
    if value is None and inline is None and formula is None:
        return None
    return make_cell(book, sheet.name, row, col, kind, value, inline, formula, date_style, marker)


def fast_cells(
    book: XlsxFile,
    data: bytes,
    sheet: SheetInfo,
    max_row: int,
    max_col: int,
    wanted: re.Pattern[bytes],
    others: list[tuple[bytes, bytes, bytes]],
    keys: frozenset[str] | None,
    marker: str | None,
) -> SheetCells:
    """Regular expressions over the sheet bytes, for the shape every spreadsheet program
    writes (``<c r="E12" ...>``). Empty styled cells are skipped inside the regex engine,
    which is what makes this path fast; anything unusual takes the tree path instead.
    This loop runs for every cell of the contract's columns, so it is kept flat."""
    out = SheetCells()
    cells = out.cells
    dates = book.date_styles
    strings: list[str] | None = None
    illegal: frozenset[int] = frozenset()
    keyed: dict[int, bool] = {}  # row -> whether its column A holds one of keys
    left_out: set[int] = set()  # rows with a cell left out before their column A was seen
    for letters, digits, style_text, kind_text, attributes, plain, f_plain, f_value, f_empty, inner in (
        wanted.findall(data)
    ):
        row, col = int(digits), _COLUMNS.get(letters) or column_index(letters.decode("ascii"))
        if keys is not None and HEAD_ROWS < row <= max_row:
            if col != 1:
                if not keyed.get(row, False):
                    left_out.add(row)
                    continue
            elif plain and kind_text == b"s" and not attributes and len(plain) < 13 and plain[3:].isdigit():
                if strings is None:
                    strings, illegal = book.strings, book.illegal_strings
                index = int(plain[3:])
                if index < len(strings) and strings[index].strip() not in keys:
                    keyed[row] = False
                    cells.pop((row, col), None)  # a repeated reference: the last one stands, as in the parser
                    continue
                keyed[row] = True
            else:
                keyed[row] = True  # a number, a formula, an inline string: kept as it is
        if attributes:
            style_text, kind_text = _attributes(attributes, style_text, kind_text)
        date_style = bool(dates) and int(style_text or b"0") in dates
        cell: Cell | None = None
        if plain:
            raw = plain[3:]
            if kind_text == b"s" and len(raw) < 10 and raw.isdigit():
                if strings is None:
                    strings, illegal = book.strings, book.illegal_strings
                index = int(raw)
                if index < len(strings):
                    cell = _new_cell(Cell, (row, col, "s", strings[index], None, date_style, index in illegal))
            elif (not kind_text or kind_text == b"n") and _PLAIN_NUMBER.fullmatch(raw):
                cell = _new_cell(Cell, (row, col, "n", raw.decode("ascii"), None, date_style, False))
            if cell is None:
                cell = make_cell(book, sheet.name, row, col, _kind(kind_text), unescape(raw), None, None,
                                 date_style, marker)
        elif f_plain:
            value = unescape(f_value[3:]) if f_value else ("" if f_empty else None)
            cell = make_cell(book, sheet.name, row, col, _kind(kind_text), value, None,
                             unescape(f_plain[3:]), date_style, marker)
        else:
            simple = _PLAIN_INLINE.fullmatch(inner)  # an inline string of one plain run: most of them
            if simple is not None:
                text = unescape(simple.group(1))
                flagged = False
                if "_x" in text or not text.isprintable():
                    text, flagged = clean(text, None, True)
                cell = _new_cell(Cell, (row, col, "s", text, None, date_style, flagged))
            else:
                cell = _inner_cell(book, sheet, row, col, _kind(kind_text), inner, date_style, marker)
        if cell is None:
            continue
        if row <= max_row and col <= max_col:
            cells[(row, col)] = cell
        else:
            stray(out, cell)
    if any(keyed.get(row, False) for row in left_out):
        # column A came after another column of a kept row: read the sheet without leaving out
        return fast_cells(book, data, sheet, max_row, max_col, wanted, others, None, marker)
    for letters, digits, _ in others:
        if letters:
            stray(out, Cell(int(digits), column_index(letters.decode("ascii")), "n", None, None, False))
    merges = data.find(b"<mergeCell")  # after the cells, so the rest is short
    if merges >= 0:
        refs = _MERGE.findall(data, merges)
        if len(refs) != data.count(b"<mergeCell", merges) - data.count(b"<mergeCells", merges):
            raise ForTheParser  # a merge written some other way
        out.merged.extend(area for area in map(_merge_area, refs) if area is not None)
    return out


@functools.lru_cache(maxsize=4096)
def _merge_area(ref: bytes) -> tuple[int, int, int, int] | None:
    """The same merges recur on every office sheet."""
    return merge_area(ref.decode("ascii", "replace"))


_SI_PLAIN = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')


def plain_strings(data: bytes, marker: str | None) -> tuple[list[str], frozenset[int]] | None:
    """The shared strings, and which of them held an illegal character, when every item is one
    plain run as Excel writes them; None when any is not (rich text, phonetic runs, prefixes,
    CDATA, line ends) and the parser must read them."""
    if b"\r" in data or b":si" in data or b":t>" in data or has_markup_declaration(data):
        return None
    found = _SI_PLAIN.findall(data)
    if data.count(b"<si") != len(found) or data.count(b"</t>") != len(found):
        return None
    try:
        # One decode for the whole table: NUL cannot occur in it (safety.mark_illegal has
        # replaced every one), so it separates safely.
        texts = b"\x00".join(found).decode("utf-8").split("\x00") if found else []
        if len(texts) != len(found):
            return None
        strings = [xml_unescape(text) if "&" in text else text for text in texts]
    except (UnicodeDecodeError, ForTheParser):
        return None  # the parser says where
    illegal: set[int] = set()
    for index, text in enumerate(strings):
        if "_x" in text or (marker is not None and marker in text):
            strings[index], flagged = clean(text, marker, True)
            if flagged:
                illegal.add(index)
    return strings, frozenset(illegal)
