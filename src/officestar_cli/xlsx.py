"""A small, bounded reader of the .xlsx container: sheets, cells, styles.

Only what the score-workbook contract needs, with hard limits, so that a
hostile file cannot take unbounded time or memory:

- the zip directory is checked before anything is inflated (member count,
  declared sizes, compression ratio), and every part is inflated with a cap;
- XML with a DOCTYPE or entity declarations is refused before parsing, and
  only UTF-8 parts are parsed, so no entity can expand;
- a sheet's cells are read only inside the area the caller asks for; values
  outside it are counted and reported, never kept.

No openpyxl and no pandas here (CONTRACT.md section 7).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree as ET

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_R_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


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
        if len(data) > cap:
            raise XlsxError("too-large", f"{name} unzips to more than {cap} bytes")
        self._inflated += len(data)
        if self._inflated > self.limits.max_total_bytes:
            raise XlsxError("too-large", f"more than {self.limits.max_total_bytes} bytes unzipped")
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
        for element in workbook.iter():
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
        return sheets

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            root = self._xml("xl/sharedStrings.xml", optional=True)
            if root is not None:
                for si in root:
                    if _local(si.tag) != "si":
                        continue
                    self._strings.append(_text_of(si))
                    if len(self._strings) > self.limits.max_shared_strings:
                        raise XlsxError("too-large", "too many shared strings")
        return self._strings

    @property
    def date_styles(self) -> set[int]:
        """Indexes of cell styles whose number format shows a date or a time."""
        if self._date_styles is None:
            self._date_styles = set()
            root = self._xml("xl/styles.xml", optional=True)
            if root is not None:
                custom: dict[int, str] = {}
                for element in root.iter():
                    if _local(element.tag) == "numFmt":
                        try:
                            custom[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
                        except ValueError:
                            continue
                for element in root:
                    if _local(element.tag) != "cellXfs":
                        continue
                    for index, xf in enumerate(x for x in element if _local(x.tag) == "xf"):
                        try:
                            fmt_id = int(xf.get("numFmtId", "0"))
                        except ValueError:
                            continue
                        if is_date_format(fmt_id, custom.get(fmt_id)):
                            self._date_styles.add(index)
        return self._date_styles

    # -- sheets

    def sheet_cells(
        self,
        sheet: SheetInfo,
        max_row: int,
        max_col: int,
        columns: frozenset[int] | None = None,
        head_columns: frozenset[int] = frozenset(),
    ) -> SheetCells:
        """The cells inside rows 1..max_row and columns 1..max_col: only ``columns`` of them
        when given, plus ``head_columns`` in rows 1..HEAD_ROWS; values right of the area, or
        below it in a read column, are counted as stray."""
        data = self._read(sheet.part)
        assert data is not None
        check_xml(data, sheet.part)
        if data.count(b"<c ") > self.limits.max_cells_per_sheet:
            raise XlsxError("too-large", f"sheet {sheet.name!r}: more than "
                            f"{self.limits.max_cells_per_sheet} cells")
        if _fast_path_fits(data):
            return self._fast_cells(data, sheet, max_row, max_col, columns, head_columns)
        return self._tree_cells(parse_xml(data, sheet.part), sheet, max_row, max_col)

    def _fast_cells(
        self,
        data: bytes,
        sheet: SheetInfo,
        max_row: int,
        max_col: int,
        columns: frozenset[int] | None,
        head_columns: frozenset[int],
    ) -> SheetCells:
        """Regular expressions over the sheet bytes, for the shape every spreadsheet program
        writes (``<c r="E12" ...>``). Empty styled cells are skipped inside the regex engine,
        which is what makes this path fast; anything unusual takes the tree path instead."""
        out = SheetCells()
        dates = self.date_styles
        wanted, beyond = _fast_patterns(columns, head_columns, max_col)
        strings: list[str] | None = None
        for letters, digits, style_text, kind_text, attributes, inner in wanted.findall(data):
            row, col = int(digits), _COLUMNS.get(letters) or column_index(letters.decode("ascii"))
            raw_kind = kind_text.decode("ascii") if kind_text else "n"
            style = int(style_text) if style_text else 0
            if attributes and (b's="' in attributes or b't="' in attributes):
                kind_match = _ATTR_T.search(attributes)
                if kind_match:
                    raw_kind = kind_match.group(1).decode("ascii")
                style_match = _ATTR_S.search(attributes)
                if style_match:
                    style = int(style_match.group(1))
            formula: str | None = None
            text: str | None = None
            if inner.startswith(b"<v>") and inner.endswith(b"</v>") and inner.count(b"<") == 2:
                raw = inner[3:-4]  # the common case: one plain value
                if raw_kind == "s" and raw.isdigit():
                    if strings is None:
                        strings = self.strings
                    index = int(raw)
                    if index < len(strings):
                        _place(out, Cell(row, col, "s", strings[index], None, style in dates), max_row, max_col)
                        continue
                text = _unescape(raw)
            else:
                if b"<f" in inner:
                    f_match = _INNER_F.search(inner)
                    if f_match is not None:
                        formula = _unescape(f_match.group(1) or b"") or (
                            "(shared)" if b"shared" in f_match.group(0) else ""
                        )
                v_match = _INNER_V.search(inner)
                if v_match is not None:
                    text = _unescape(v_match.group(1) or b"")
                elif b"<is>" in inner:
                    text = "".join(_unescape(t) for t in _INNER_T.findall(_strip_phonetic(inner)))
            if text is None and formula is None:
                continue
            _place(out, self._typed(sheet, row, col, raw_kind, text, formula, style in dates), max_row, max_col)
        if beyond is not None:
            for letters, digits in beyond.findall(data):
                out.stray_count += 1
                if len(out.stray) < 5:
                    col = column_index(letters.decode("ascii"))
                    out.stray.append(Cell(int(digits), col, "n", None, None, False))
        if b"<mergeCell " in data:
            for ref in _MERGE.findall(data):
                first, _, last = ref.decode("ascii", "replace").partition(":")
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
            name = _local(element.tag)
            if name == "mergeCells":
                for merge in element:
                    first, _, last = merge.get("ref", "").partition(":")
                    a, b = split_ref(first), split_ref(last or first)
                    if a and b:
                        out.merged.append((a[0], a[1], b[0], b[1]))
            elif name == "sheetData":
                self._tree_rows(element, sheet, dates, out, max_row, max_col)
        return out

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
        out.stray_count += 1
        if len(out.stray) < 5:
            out.stray.append(cell)


_COLUMNS = {bytes([65 + i]): i + 1 for i in range(26)}
# No pattern may scan past the next tag it does not expect: a cell's content stops at
# the next cell, text at the next "<". A lazy ".*?" would scan to the end of the part
# for every cell that never closes, which a hostile sheet turns into hours.
# Style and type are captured when written in the usual order (r, s, t); any other
# attributes, or another order, land in the fourth group and are searched there.
_CELL_SHAPE = (
    rb'<c r="(%s)([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?([^<>/]*)>'
    rb"([^<]*(?:<(?!c[\s>/]|/c>)[^<]*)*)</c>"
)
_FAST_CELL = re.compile(_CELL_SHAPE % rb"[A-Z]{1,3}")
_PATTERNS: dict[
    tuple[frozenset[int] | None, frozenset[int], int], tuple[re.Pattern[bytes], re.Pattern[bytes] | None]
] = {}
HEAD_ROWS = 10


def _fast_patterns(
    columns: frozenset[int] | None, head_columns: frozenset[int], max_col: int
) -> tuple[re.Pattern[bytes], re.Pattern[bytes] | None]:
    """A pattern for the non-empty cells of the wanted columns (the regex engine skips the
    rest without a Python step), and one for non-empty cells right of ``max_col`` (stray)."""
    key = (columns, head_columns, max_col)
    if key not in _PATTERNS:
        if columns is None or max_col > 25:
            _PATTERNS[key] = (_FAST_CELL, None)
        else:
            letters = b"".join(bytes([64 + c]) for c in sorted(columns) if c <= max_col)
            group = b"[" + letters + b"]"
            head = b"".join(bytes([64 + c]) for c in sorted(head_columns - columns) if c <= max_col)
            if head:  # rows 1..10 only: a one-digit row, or 10
                group += b"|[" + head + b"]" + rb'(?=(?:[1-9]|10)")'
            far = rb"[A-Z]{2,3}|[" + bytes([65 + max_col]) + rb"-Z]"
            wanted = re.compile(_CELL_SHAPE % group)
            beyond = re.compile(rb'<c r="(' + far + rb')([0-9]{1,7})"[^<>/]*>')
            _PATTERNS[key] = (wanted, beyond)
    return _PATTERNS[key]
_ATTR_T = re.compile(rb'\bt="([A-Za-z]+)"')
_ATTR_S = re.compile(rb'\bs="([0-9]+)"')
_INNER_V = re.compile(rb"<v>([^<]*)</v>|<v/>|<v />")
_INNER_F = re.compile(rb"<f(?:\s[^<>]*)?>([^<]*)</f>|<f\s[^<>]*/>|<f/>")
_INNER_T = re.compile(rb"<t(?:\s[^<>]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b[^<>]*>[^<]*(?:<(?!/?rPh\b)[^<]*)*</rPh>")
_SHEET_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?worksheet>\s*$")
_MERGE = re.compile(rb'<mergeCell ref="([^"]{1,40})"')
_UNUSUAL = re.compile(
    rb'<c(?! r=")[\s>/]|<!\[CDATA\[|<!--|<[A-Za-z_][\w.-]*:(?:c|row|v|f|is|t)[\s>/]'
)


def _fast_path_fits(data: bytes) -> bool:
    """True when every cell is written as ``<c r="..."`` with unprefixed tags, no CDATA, no comments."""
    # One pass for everything unusual: a cell without r first, CDATA, a comment (which may
    # hold "<v>" that no spreadsheet program shows), namespace prefixes.
    return (
        _SHEET_END.search(data[-256:]) is not None  # a part cut short is for the parser to refuse
        and _UNUSUAL.search(data) is None
    )


def _strip_phonetic(inner: bytes) -> bytes:
    return _PHONETIC.sub(b"", inner) if b"<rPh" in inner else inner


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _text_of(element: ET.Element) -> str:
    """Text of a rich or plain string item (<t> runs, skipping phonetic <rPh>)."""
    parts: list[str] = []
    for child in element.iter():
        tag = _local(child.tag)
        if tag == "t" and child.text:
            parts.append(child.text)
        elif tag == "rPh":
            # phonetic runs are not part of the value
            continue
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
    head = data[:200]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x4c\x6f\xa7\x94")) or re.search(
        rb"encoding=[\"'](?!utf-?8)", head, re.IGNORECASE
    ):
        raise XlsxError("corrupt-workbook", f"{part}: not UTF-8 XML")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise XlsxError("unsafe-xml", part=part)


def iter_zip_members(path: Path) -> Iterator[bytes]:
    """Inflate every member: the benchmark's floor."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            yield archive.read(info)
