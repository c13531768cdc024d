"""A small, bounded reader of the .xlsx container: sheets, cells, styles.

Only what the score-workbook contract needs, with hard limits, so that a
hostile file cannot take unbounded time or memory:

- the zip directory is checked before anything is inflated (member count,
  declared sizes, compression ratio), and every part is inflated with a cap;
- XML with a DOCTYPE or entity declarations is refused before parsing, and
  only UTF-8 parts are parsed, so no entity can expand;
- a sheet's cells are read only inside the area the caller asks for; values
  outside it are counted and reported, never kept.

No openpyxl and no pandas here (docs/design.md, "Reading").
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.etree import ElementTree as ET

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_R_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_LOCAL_LENGTHS = struct.Struct("<HH")  # a local file header's name and extra-field lengths, at offset 26


@dataclass(frozen=True)
class Limits:
    """Caps derived from the rubric, so a national rubric reads national workbooks."""

    max_sheets: int
    max_file_bytes: int = 64 * 1024 * 1024
    max_part_bytes: int = 8 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200
    max_cells_per_sheet: int = 50_000
    max_shared_strings: int = 500_000

    @classmethod
    def for_offices(cls, offices: int) -> Limits:
        sheets = offices + 10
        return cls(
            max_sheets=sheets,
            max_file_bytes=max(64, sheets // 4) * 1024 * 1024,
            max_total_bytes=max(256, sheets * 2) * 1024 * 1024,
            max_shared_strings=max(500_000, sheets * 2_000),
        )


class _ForTheParser(Exception):
    """The quick path met something it does not read exactly as the XML parser does."""


class XlsxError(Exception):
    """The container cannot be read; ``code`` is an Issue code."""

    def __init__(self, code: str, reason: str = "", **extra: str) -> None:
        super().__init__(reason or code)
        self.code = code
        self.reason = reason
        self.extra = extra


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str


class Cell(NamedTuple):
    row: int
    col: int
    kind: str  # n, s (any text), b, e, d; as written in the file's t attribute, shared strings resolved
    text: str | None  # the value as written (number text, string, error name)
    formula: str | None
    date_style: bool

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


@dataclass
class SheetCells:
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    stray: list[Cell] = field(default_factory=list)  # values outside the asked area (first few)
    stray_count: int = 0


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int] | None:
    match = _REF.match(ref.upper())
    if not match:
        return None
    return int(match.group(2)), column_index(match.group(1))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def sniff(data: bytes) -> None:
    """Classify what is not an .xlsx before opening it as a zip."""
    head = data[:96]
    if not head:
        raise XlsxError("not-a-workbook", "empty file / ไฟล์ว่าง")
    if head.startswith(OLE_MAGIC):
        # An encrypted .xlsx is an OLE container holding EncryptionInfo; otherwise .xls.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise XlsxError("encrypted-workbook")
        raise XlsxError("legacy-format", kind=".xls (Excel 97-2003)")
    if not head.startswith(b"PK"):
        raise XlsxError("not-a-workbook", "not a zip container")
    if head[30:38] == b"mimetype" and ODS_MIME in head:
        raise XlsxError("legacy-format", kind=".ods (OpenDocument)")


class XlsxFile:
    """An .xlsx (its bytes, read once) with its directory checked against ``limits``."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.limits = limits
        if len(data) > limits.max_file_bytes:
            raise XlsxError("too-large", f"{len(data)} bytes > {limits.max_file_bytes}")
        sniff(data)
        self._data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise XlsxError("corrupt-workbook", str(exc)) from None
        except (OSError, ValueError, EOFError) as exc:
            raise XlsxError("corrupt-workbook", str(exc)) from None
        self._inflated = 0
        try:
            self._check_directory()
            self.sheets = self._read_sheets()
            self._strings: list[str] | None = None
            self._date_styles: set[int] | None = None
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> XlsxFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- container

    def _check_directory(self) -> None:
        infos = self.zip.infolist()
        names = {i.filename for i in infos}
        if "mimetype" in names and self._read("mimetype", optional=True) == ODS_MIME:
            raise XlsxError("legacy-format", kind=".ods (OpenDocument)")
        if "xl/workbook.xml" not in names:
            if "EncryptedPackage" in names:
                raise XlsxError("encrypted-workbook")
            raise XlsxError("not-a-workbook", "no xl/workbook.xml in the zip")
        max_members = 6 * self.limits.max_sheets + 64
        if len(infos) > max_members:
            raise XlsxError("too-large", f"{len(infos)} zip members > {max_members}")
        declared = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise XlsxError("encrypted-workbook")
            declared += info.file_size
            if info.file_size > self.limits.max_part_bytes and info.filename.endswith(".xml"):
                raise XlsxError(
                    "too-large", f"{info.filename}: {info.file_size} bytes > {self.limits.max_part_bytes}"
                )
            if info.compress_size and info.file_size / info.compress_size > self.limits.max_ratio and (
                info.file_size > 1024 * 1024
            ):
                raise XlsxError("too-large", f"{info.filename}: compression ratio above {self.limits.max_ratio}")
        if declared > self.limits.max_total_bytes:
            raise XlsxError("too-large", f"{declared} bytes unzipped > {self.limits.max_total_bytes}")

    def _read(self, name: str, *, optional: bool = False) -> bytes | None:
        cap = self.limits.max_part_bytes
        data = self._inflate(name, cap)
        if data is None:
            data = self._read_through_zipfile(name, cap, optional=optional)
            if data is None:
                return None
        if len(data) > cap:
            raise XlsxError("too-large", f"{name} unzips to more than {cap} bytes")
        self._inflated += len(data)
        if self._inflated > self.limits.max_total_bytes:
            raise XlsxError("too-large", f"more than {self.limits.max_total_bytes} bytes unzipped")
        return data

    def _inflate(self, name: str, cap: int) -> bytes | None:
        """A member inflated straight from the file's bytes (at most ``cap`` + 1 bytes), when its
        local header, sizes and CRC agree with the directory. A workbook has a part per sheet,
        so this saves zipfile's per-member work; None sends the caller to zipfile, which reads
        anything else the zip format allows and words every error."""
        info = self.zip.NameToInfo.get(name)
        if info is None or info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
            return None
        start = info.header_offset
        header = self._data[start : start + 30]
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            return None
        name_length, extra_length = _LOCAL_LENGTHS.unpack_from(header, 26)
        try:
            encoded = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        except UnicodeEncodeError:
            return None
        if self._data[start + 30 : start + 30 + name_length] != encoded:
            return None
        start += 30 + name_length + extra_length
        raw = self._data[start : start + info.compress_size]
        if len(raw) != info.compress_size:
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            data = raw[: cap + 1]
        else:
            inflater = zlib.decompressobj(-15)
            try:
                data = inflater.decompress(raw, cap + 1)
            except zlib.error:
                return None
            if len(data) > cap:
                return data  # the caller refuses it
            if not inflater.eof:
                return None
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            return None
        return data

    def _read_through_zipfile(self, name: str, cap: int, *, optional: bool) -> bytes | None:
        try:
            with self.zip.open(name) as handle:
                data = handle.read(cap + 1)
        except KeyError:
            if optional:
                return None
            raise XlsxError("corrupt-workbook", f"missing part {name}") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            if "encrypted" in str(exc):
                raise XlsxError("encrypted-workbook") from None
            raise XlsxError("corrupt-workbook", f"{name}: {exc}") from None
        except RuntimeError as exc:  # zipfile raises this for encrypted members
            raise XlsxError("encrypted-workbook", str(exc)) from None
        return data

    def _xml(self, name: str, *, optional: bool = False) -> ET.Element | None:
        data = self._read(name, optional=optional)
        if data is None:
            return None
        return parse_xml(data, name)

    # -- workbook

    def _read_sheets(self) -> list[SheetInfo]:
        workbook = self._xml("xl/workbook.xml")
        assert workbook is not None
        rels = self._xml("xl/_rels/workbook.xml.rels", optional=True)
        targets: dict[str, str] = {}
        if rels is not None:
            for rel in rels:
                if _local(rel.tag) == "Relationship":
                    target = rel.get("Target", "")
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join("xl", target)
                    )
                    targets[rel.get("Id", "")] = part
        sheets: list[SheetInfo] = []
        self.date1904 = False  # the workbook counts dates from 1904 (older Mac workbooks)
        for element in workbook.iter():
            if _local(element.tag) == "workbookPr":
                self.date1904 = element.get("date1904", "").strip().lower() in ("1", "true")
            if _local(element.tag) != "sheet":
                continue
            rid = element.get(f"{{{_R_NS}}}id") or element.get(f"{{{_STRICT_R_NS}}}id") or ""
            found = targets.get(rid)
            if found is None:
                raise XlsxError("corrupt-workbook", f"sheet {element.get('name')!r} has no part")
            part = found
            sheets.append(SheetInfo(element.get("name", ""), element.get("state", "visible"), part))
            if len(sheets) > self.limits.max_sheets:
                raise XlsxError("too-large", f"more than {self.limits.max_sheets} sheets")
        if len({sheet.part for sheet in sheets}) != len(sheets):  # one part read as many sheets
            raise XlsxError("corrupt-workbook", "two sheets share one part")
        return sheets

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            data = self._read("xl/sharedStrings.xml", optional=True)
            if data is None:
                self._strings = []
            else:
                check_xml(data, "xl/sharedStrings.xml")
                found = _plain_strings(data)
                self._strings = found if found is not None else self._tree_strings(data)
            if len(self._strings) > self.limits.max_shared_strings:
                raise XlsxError("too-large", "too many shared strings")
        return self._strings

    def _tree_strings(self, data: bytes) -> list[str]:
        strings: list[str] = []
        for si in parse_xml(data, "xl/sharedStrings.xml"):
            if _local(si.tag) != "si":
                continue
            strings.append(_text_of(si))
            if len(strings) > self.limits.max_shared_strings:
                raise XlsxError("too-large", "too many shared strings")
        return strings

    @property
    def date_styles(self) -> set[int]:
        """Indexes of cell styles whose number format shows a date or a time."""
        if self._date_styles is None:
            self._date_styles = set()
            data = self._read("xl/styles.xml", optional=True)
            if data is not None:
                check_xml(data, "xl/styles.xml")
                formats = _plain_formats(data)
                if formats is None:
                    formats = _tree_formats(parse_xml(data, "xl/styles.xml"))
                custom, cell_formats = formats
                judged: dict[int, bool] = {}  # a format code may be long, and used by thousands of styles
                for index, fmt_id in enumerate(cell_formats):
                    if fmt_id not in judged:
                        judged[fmt_id] = is_date_format(fmt_id, custom.get(fmt_id))
                    if judged[fmt_id]:
                        self._date_styles.add(index)
        return self._date_styles

    def number_formats(self) -> list[str]:
        """Each cell style's number format code, by style index (built-in formats by their
        code, "General" for one this reader does not know)."""
        data = self._read("xl/styles.xml", optional=True)
        if data is None:
            return []
        check_xml(data, "xl/styles.xml")
        formats = _plain_formats(data)
        if formats is None:
            formats = _tree_formats(parse_xml(data, "xl/styles.xml"))
        custom, cell_formats = formats
        return [custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General")) for fmt_id in cell_formats]

    def cell_styles(self, sheet: SheetInfo, refs: frozenset[str]) -> dict[str, int]:
        """The style index of the cells at ``refs`` (such as "E6") of ``sheet``, for the cells
        written with a reference; a cell not found has style 0."""
        data = self._read(sheet.part)
        assert data is not None
        found: dict[str, int] = {}
        for attributes in _CELL_TAG.findall(data):
            ref = _ATTR_R.search(attributes)
            if ref is None:
                continue
            name = ref.group(1).decode("ascii").upper()
            if name in refs:
                style = _ATTR_S.search(attributes)
                found[name] = int(style.group(1)) if style else 0
        return found

    # -- sheets

    def sheet_cells(
        self,
        sheet: SheetInfo,
        max_row: int,
        max_col: int,
        columns: frozenset[int] | None = None,
        head_columns: frozenset[int] = frozenset(),
        keys: frozenset[str] | None = None,
    ) -> SheetCells:
        """The cells inside rows 1..max_row and columns 1..max_col: only ``columns`` of them
        when given, plus ``head_columns`` in rows 1..HEAD_ROWS; values right of the area, or
        below it in a read column, are counted as stray.

        With ``keys``, a row after HEAD_ROWS whose column A holds a text that is not one of
        them (a heading), or that has nothing in column A (a subtotal), may be left out: a
        caller that finds rows by their key in column A would never look at it."""
        data = self._read(sheet.part)
        assert data is not None
        check_xml(data, sheet.part)
        # A cell takes at least three bytes, so only a part this long can hold too many; "<c" and
        # ":c" also count a few other elements (<col>, <cfRule>), which only errs on the safe side.
        cap = self.limits.max_cells_per_sheet
        if len(data) > 3 * cap and data.count(b"<c") + data.count(b":c") > cap:
            raise XlsxError("too-large", f"sheet {sheet.name!r}: more than {cap} cells")
        wanted, others = _fast_patterns(columns, head_columns, max_col)
        if _fast_path_fits(data):
            found = others.findall(data)
            # A cell written without a plain r first (no r, r in single quotes, "e7", "$E$7") is
            # for the parser.
            if not any(odd for _, _, odd in found):
                try:
                    return self._fast_cells(data, sheet, max_row, max_col, wanted, found, keys)
                except _ForTheParser:
                    pass
        return self._tree_cells(parse_xml(data, sheet.part), sheet, max_row, max_col)

    def _fast_cells(
        self,
        data: bytes,
        sheet: SheetInfo,
        max_row: int,
        max_col: int,
        wanted: re.Pattern[bytes],
        others: list[tuple[bytes, bytes, bytes]],
        keys: frozenset[str] | None = None,
    ) -> SheetCells:
        """Regular expressions over the sheet bytes, for the shape every spreadsheet program
        writes (``<c r="E12" ...>``). Empty styled cells are skipped inside the regex engine,
        which is what makes this path fast; anything unusual takes the tree path instead.
        This loop runs for every cell of the contract's columns, so it is kept flat."""
        out = SheetCells()
        cells = out.cells
        dates = self.date_styles
        strings: list[str] | None = None
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
                        strings = self.strings
                    index = int(plain[3:])
                    if index < len(strings) and strings[index].strip() not in keys:
                        keyed[row] = False
                        cells.pop((row, col), None)  # a repeated reference: the last one stands, as in the parser
                        continue
                    keyed[row] = True
                else:
                    keyed[row] = True  # a number, a formula, an inline string: kept as it is
            if attributes and (b's="' in attributes or b't="' in attributes or b"'" in attributes):
                if b"'" in attributes:
                    raise _ForTheParser  # single quotes: the patterns read double-quoted values only
                kind_match = _ATTR_T.search(attributes)
                if kind_match:
                    kind_text = kind_match.group(1)
                style_match = _ATTR_S.search(attributes)
                if style_match:
                    style_text = style_match.group(1)
            date_style = bool(dates) and int(style_text or b"0") in dates
            cell: Cell | None = None
            if plain:
                raw = plain[3:]
                if kind_text == b"s" and len(raw) < 10 and raw.isdigit():
                    if strings is None:
                        strings = self.strings
                    index = int(raw)
                    if index < len(strings):
                        cell = _new_cell(Cell, (row, col, "s", strings[index], None, date_style))
                elif not kind_text or kind_text == b"n":
                    cell = _new_cell(Cell, (row, col, "n", _unescape(raw), None, date_style))
                if cell is None:
                    cell = self._typed(sheet, row, col, kind_text.decode("ascii") or "n", _unescape(raw), None,
                                       date_style)
            elif f_plain:
                value = _unescape(f_value[3:]) if f_value else ("" if f_empty else None)
                cell = self._typed(sheet, row, col, kind_text.decode("ascii") or "n", value, _unescape(f_plain[3:]),
                                   date_style)
            else:
                formula: str | None = None
                text_or_none: str | None = None
                if b"<f" in inner:
                    f_match = _INNER_F.search(inner)
                    if f_match is not None:
                        formula = _unescape(f_match.group(1) or b"") or (
                            "(shared)" if b"shared" in f_match.group(0) else ""
                        )
                v_match = _INNER_V.search(inner)
                if v_match is not None:
                    text_or_none = _unescape(v_match.group(1) or b"")
                elif _INNER_IS.search(inner):
                    text_or_none = "".join(_unescape(t) for t in _INNER_T.findall(_strip_phonetic(inner)))
                if text_or_none is None and formula is None:
                    continue
                cell = self._typed(
                    sheet, row, col, kind_text.decode("ascii") or "n", text_or_none, formula, date_style
                )
            if row <= max_row and col <= max_col:
                cells[(row, col)] = cell
            else:
                _stray(out, cell)
        if any(keyed.get(row, False) for row in left_out):
            # column A came after another column of a kept row: read the sheet without leaving out
            return self._fast_cells(data, sheet, max_row, max_col, wanted, others)
        for letters, digits, _ in others:
            if letters:
                _stray(out, Cell(int(digits), column_index(letters.decode("ascii")), "n", None, None, False))
        merges = data.find(b"<mergeCell")  # after the cells, so the rest is short
        if merges >= 0:
            refs = _MERGE.findall(data, merges)
            if len(refs) != data.count(b"<mergeCell", merges) - data.count(b"<mergeCells", merges):
                # a merge written some other way: the parser reads the merges
                return self._tree_merges(parse_xml(data, sheet.part), out)
            out.merged.extend(area for area in map(_merge_area, refs) if area is not None)
        return out

    def _tree_merges(self, root: ET.Element, out: SheetCells) -> SheetCells:
        for element in root:
            if _local(element.tag) == "mergeCells":
                for merge in element:
                    first, _, last = merge.get("ref", "").partition(":")
                    a, b = split_ref(first), split_ref(last or first)
                    if a and b:
                        out.merged.append((a[0], a[1], b[0], b[1]))
        return out

    def _typed(
        self, sheet: SheetInfo, row: int, col: int, raw_kind: str, text: str | None,
        formula: str | None, date_style: bool,
    ) -> Cell:
        kind = raw_kind
        if raw_kind == "s" and text is not None:
            index = _int(text, -1)
            strings = self.strings
            if not 0 <= index < len(strings):
                raise XlsxError("corrupt-workbook", f"{sheet.name}!{column_letter(col)}{row}: bad string index")
            text = strings[index]
        elif raw_kind in ("inlineStr", "str"):
            kind = "s"
            if raw_kind == "str" and formula is None:
                formula = ""
        return Cell(row, col, kind, text, formula, date_style)

    def _tree_cells(self, root: ET.Element, sheet: SheetInfo, max_row: int, max_col: int) -> SheetCells:
        """The general path: a parsed tree, for namespace prefixes, CDATA, missing refs."""
        out = SheetCells()
        dates = self.date_styles
        for element in root:
            if _local(element.tag) == "sheetData":
                self._tree_rows(element, sheet, dates, out, max_row, max_col)
        return self._tree_merges(root, out)

    def _tree_rows(
        self, data: ET.Element, sheet: SheetInfo, dates: set[int], out: SheetCells, max_row: int, max_col: int
    ) -> None:
        row_no = 0
        for row in data:
            if _local(row.tag) != "row":
                continue
            row_no = _int(row.get("r"), row_no + 1)
            col_no = 0
            for c in row:
                if _local(c.tag) != "c":
                    continue
                ref = c.get("r")
                where = split_ref(ref) if ref else None
                row_here, col_no = where if where is not None else (row_no, col_no + 1)
                formula: str | None = None
                text: str | None = None
                for child in c:
                    tag = _local(child.tag)
                    if tag == "v":
                        text = child.text or ""
                    elif tag == "f":
                        formula = child.text or ("(shared)" if child.get("t") == "shared" else "")
                    elif tag == "is":
                        text = _text_of(child)
                if text is None and formula is None:
                    continue
                style = _int(c.get("s"), 0)
                cell = self._typed(sheet, row_here, col_no, c.get("t", "n"), text, formula, style in dates)
                _place(out, cell, max_row, max_col)


def _place(out: SheetCells, cell: Cell, max_row: int, max_col: int) -> None:
    if cell.row <= max_row and cell.col <= max_col:
        out.cells[(cell.row, cell.col)] = cell
    else:
        _stray(out, cell)


def _stray(out: SheetCells, cell: Cell) -> None:
    out.stray_count += 1
    if len(out.stray) < 5:
        out.stray.append(cell)


_COLUMNS = {bytes([65 + i]): i + 1 for i in range(26)}
_new_cell = tuple.__new__  # Cell(...) without the Python frame of a NamedTuple's __new__
# No pattern may scan past the next tag it does not expect: a cell's content stops at
# the next cell, text at the next "<". A lazy ".*?" would scan to the end of the part
# for every cell that never closes, which a hostile sheet turns into hours.
# Style and type are captured when written in the usual order (r, s, t); any other
# attributes, or another order, land in the fourth group and are searched there.
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
HEAD_ROWS = 10
# A cell written without a plain r as its first attribute: the parser's.
_NOT_REF_FIRST = rb"""|(?! r="[A-Z]{1,3}[0-9]{1,7}")([\s>/])"""


def _fast_patterns(
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


_ATTR_T = re.compile(rb'\bt="([A-Za-z]{1,9})"')
_ATTR_S = re.compile(rb'\bs="([0-9]{1,9})"')
_ATTR_R = re.compile(rb'\br="\$?([A-Za-z]{1,3}\$?[0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(\s[^<>]*)?>")
# The number formats every spreadsheet program knows by id (ECMA-376, 18.8.30).
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 48: "##0.0E+0", 49: "@",
}
_INNER_V = re.compile(rb"<v(?:\s[^<>]*)?>([^<]*)</v>|<v\s*/>")
_INNER_IS = re.compile(rb"<is[\s>]")
_INNER_F = re.compile(rb"<f(?:\s[^<>]*)?>([^<]*)</f>|<f\s[^<>]*/>|<f/>")
_INNER_T = re.compile(rb"<t(?:\s[^<>/]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b[^<>]*>[^<]*(?:<(?!/?rPh\b)[^<]*)*</rPh>")
_SHEET_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?worksheet>\s*$")
_MERGE = re.compile(rb'<mergeCell ref="([^"]{1,40})"')
# A prefixed element the patterns would not see (x:c, x:v, ...). Text that merely looks
# like one only sends the sheet to the parser, which is slower but reads it the same.
_PREFIXED = re.compile(rb":(?:c|row|v|f|is|t|rPh|sheetData|mergeCells?)[\s>/]")


def _fast_path_fits(data: bytes) -> bool:
    """True when the sheet's cells and merges are unprefixed and there is no CDATA or comment
    (which may hold "<v>" that no spreadsheet program shows); cells without r are found by
    the caller's second pattern."""
    return (
        _SHEET_END.search(data[-256:]) is not None  # a part cut short is for the parser to refuse
        and not _has_markup_declaration(data)
        and _PREFIXED.search(data) is None
    )


def _has_markup_declaration(data: bytes) -> bool:
    """Whether ``<!`` (DOCTYPE, ENTITY, CDATA, a comment) occurs. '!' is rare in sheet XML, so
    looking at each '!' is far quicker than a search for the two bytes among many '<'."""
    at = data.find(b"!")
    for _ in range(64):
        if at < 0:
            return False
        if at > 0 and data[at - 1] == 0x3C:  # "<"
            return True
        at = data.find(b"!", at + 1)
    return b"<!" in data  # many '!': one search over the rest


_SI_PLAIN = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')


def _plain_strings(data: bytes) -> list[str] | None:
    """The shared strings when every item is one plain run, as Excel writes them; None when
    any is not (rich text, phonetic runs, prefixes, CDATA, line ends) and the parser must read them."""
    if b"\r" in data or b":si" in data or b":t>" in data or _has_markup_declaration(data):
        return None
    found = _SI_PLAIN.findall(data)
    if data.count(b"<si") != len(found) or data.count(b"</t>") != len(found):
        return None
    try:
        # One decode for the whole table: NUL cannot occur in XML text, so it separates safely.
        texts = b"\x00".join(found).decode("utf-8").split("\x00") if found else []
        if len(texts) != len(found):
            return None
        return [_xml_unescape(text) if "&" in text else text for text in texts]
    except (UnicodeDecodeError, _ForTheParser):
        return None  # the parser says where


# ">" may stand inside a quoted value, "<" may not: no scan runs past the next tag.
_TAG_ATTRIBUTES = rb"""([^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*)"""
_NUMFMT = re.compile(rb"<numFmt\b" + _TAG_ATTRIBUTES + rb">")
_XF = re.compile(rb"<xf\b" + _TAG_ATTRIBUTES + rb">")
_NUMFMT_ID = re.compile(rb"""\snumFmtId\s*=\s*["']([^"'<]*)["']""")
_FORMAT_CODE = re.compile(rb"""\sformatCode\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _plain_formats(data: bytes) -> tuple[dict[int, str], list[int]] | None:
    """Custom number formats and each cell style's format id, read with patterns; None when
    the part is written in a way they do not cover."""
    if b":numFmt" in data or b":xf" in data or b":cellXfs" in data or _has_markup_declaration(data):
        return None
    custom: dict[int, str] = {}
    found = _NUMFMT.findall(data)
    if len(found) != data.count(b"<numFmt ") + data.count(b"<numFmt/"):
        return None
    for attributes in found:
        fmt_id, code = _plain_id(attributes), _FORMAT_CODE.search(attributes)
        if fmt_id is None:
            return None
        try:
            quoted = b"" if code is None else code.group(1) if code.group(1) is not None else code.group(2)
            custom[fmt_id] = _unescape(quoted)
        except _ForTheParser:
            return None
    if data.count(b"<cellXfs") == 0:
        return custom, []
    start, end = data.find(b"<cellXfs"), data.find(b"</cellXfs>")
    if data.count(b"<cellXfs") != 1 or end < start:
        return None
    block = data[start:end]
    xfs = _XF.findall(block)
    if len(xfs) != block.count(b"<xf"):
        return None
    ids = []
    for attributes in xfs:
        fmt_id = _plain_id(attributes) if b"numFmtId" in attributes else 0
        if fmt_id is None:
            return None
        ids.append(fmt_id)
    return custom, ids


def _plain_id(attributes: bytes) -> int | None:
    """A numFmtId written as plain digits; None for anything else ("+14", "&#49;4", none)."""
    found = _NUMFMT_ID.search(attributes)
    if found is None:
        return None
    text = found.group(1).strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _tree_formats(root: ET.Element) -> tuple[dict[int, str], list[int]]:
    custom: dict[int, str] = {}
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            try:
                custom[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
            except ValueError:
                continue
    ids: list[int] = []
    for element in root:
        if _local(element.tag) == "cellXfs":
            for xf in element:
                if _local(xf.tag) == "xf":
                    ids.append(_int(xf.get("numFmtId", "0"), -1))
    return custom, ids


@functools.lru_cache(maxsize=4096)
def _merge_area(ref: bytes) -> tuple[int, int, int, int] | None:
    """``b"A1:F1"`` as (row, column, row, column); the same merges recur on every office sheet."""
    first, _, last = ref.decode("ascii", "replace").partition(":")
    a, b = split_ref(first), split_ref(last or first)
    return (a[0], a[1], b[0], b[1]) if a and b else None


def _strip_phonetic(inner: bytes) -> bytes:
    return _PHONETIC.sub(b"", inner) if b"<rPh" in inner else inner


def _unescape(raw: bytes) -> str:
    """Text as the XML parser gives it; what the parser would judge (bad UTF-8, an entity XML
    does not define, a reference to a character XML forbids) raises _ForTheParser."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _ForTheParser from None
    return _xml_unescape(text) if "&" in text else text


_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));|&")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _xml_unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        name, decimal, hexadecimal = match.groups()
        if name:
            return _NAMED[name]
        if decimal is None and hexadecimal is None:
            raise _ForTheParser  # a bare "&" or an entity XML does not define
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or
                0x10000 <= code <= 0x10FFFF):
            raise _ForTheParser  # a character XML 1.0 forbids
        return chr(code)

    return _ENTITY.sub(one, text)


def _text_of(element: ET.Element) -> str:
    """Text of a rich or plain string item: its <t> runs, direct or in <r> runs; phonetic
    runs (<rPh>, with the <t> inside them) are not part of the value."""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(run.text or "" for run in child if _local(run.tag) == "t")
    return "".join(parts)


def _int(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


_DATE_BUILTIN = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59)) | set(
    range(71, 82)
)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_date_format(fmt_id: int, code: str | None) -> bool:
    if code is None:
        return fmt_id in _DATE_BUILTIN
    bare = _QUOTED.sub("", code).lower()
    if bare in ("general", "@"):
        return False
    return any(ch in bare for ch in "dmyhse") and not re.fullmatch(r"[0#.,%\s?/e+\-]*", bare)


def parse_xml(data: bytes, part: str) -> ET.Element:
    """Parse one part; DOCTYPE/ENTITY and non-UTF-8 encodings are refused first."""
    check_xml(data, part)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise XlsxError("corrupt-workbook", f"{part}: {exc}") from None


def check_xml(data: bytes, part: str) -> None:
    """Refuse DOCTYPE/ENTITY and any encoding but UTF-8.

    Without a DOCTYPE there can be no entity declaration, so nothing can expand;
    the check is on bytes, which is sound because only UTF-8 is accepted.
    """
    # UTF-8 XML holds no NUL byte; UTF-16 and UTF-32 hold one in every ASCII character, with a
    # byte-order mark or without one. The declaration is read whole, however it is padded.
    declaration = data[: data.find(b"?>")] if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else b""
    if data[:4] == b"\x4c\x6f\xa7\x94" or b"\x00" in data or (
        b"ncoding" in declaration and _FOREIGN_ENCODING.search(declaration)
    ):
        raise XlsxError("corrupt-workbook", f"{part}: not UTF-8 XML")
    if _has_markup_declaration(data) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise XlsxError("unsafe-xml", part=part)


_FOREIGN_ENCODING = re.compile(rb"""encoding\s*=\s*["'](?!utf-?8["'])""", re.IGNORECASE)
