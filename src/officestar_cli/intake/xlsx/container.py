"""A small, bounded reader of the .xlsx container: its parts, sheets, cells and styles.

Only what the score-workbook contract needs, with hard limits, so that a hostile file
cannot take unbounded time or memory:

- the zip directory is checked before anything is inflated (member count, declared sizes,
  compression ratio), and every part is inflated with a cap;
- XML with a DOCTYPE or entity declarations is refused before parsing, and only UTF-8
  parts are parsed, so no entity can expand (safety.py);
- a sheet's cells are read only inside the area the caller asks for; values outside it
  are counted and reported, never kept.

Part names compare as OPC says (ASCII case-insensitive; a zip member written with
backslashes is the part with slashes). Each sheet is read on the quick path (quick.py)
when it can be read exactly as the parser (parse.py) would read it; what a cell means
is values.py's. ``OFFICESTAR_XML_PARSER=tree`` sends every part to the parser
(docs/reliability.md). No openpyxl and no pandas here (docs/design.md).
"""

from __future__ import annotations

import io
import os
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from officestar_cli.intake.xlsx import parse, quick
from officestar_cli.intake.xlsx.model import Cell, SheetCells, SheetInfo, XlsxError, column_index, column_letter, local
from officestar_cli.intake.xlsx.safety import check_xml, mark_illegal, parse_xml
from officestar_cli.intake.xlsx.styles import cell_styles, date_styles, number_formats
from officestar_cli.intake.xlsx.text import ForTheParser

# The shapes the reader takes from here, for code that imports them from this module.
__all__ = [
    "ODS_MIME", "OLE_MAGIC", "Cell", "Limits", "SheetCells", "SheetInfo", "XlsxError", "XlsxFile", "column_index",
    "column_letter", "sniff",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
PARSER_VARIABLE = "OFFICESTAR_XML_PARSER"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_R_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
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


def part_key(name: str) -> str:
    """A part name as OPC compares it: slashes, no leading one, ASCII case folded."""
    name = name.replace("\\", "/").lstrip("/")
    return name.lower() if name.isascii() else "".join(ch.lower() if ch.isascii() else ch for ch in name)


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
        self.quick = os.environ.get(PARSER_VARIABLE, "").strip().lower() != "tree"
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
        self._strings: list[str] | None = None
        self._illegal_strings: frozenset[int] = frozenset()
        self._date_styles: set[int] | None = None
        try:
            self._parts = self._check_directory()
            self.sheets = self._read_sheets()
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

    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        parts: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            key = part_key(info.filename)
            if key in parts and parts[key].filename != info.filename:
                raise XlsxError("corrupt-workbook", f"two zip members are part {key}")
            parts[key] = info  # the same name twice: the last one, as zipfile reads it
        self._parts = parts
        if "mimetype" in parts and self._read("mimetype", optional=True) == ODS_MIME:
            raise XlsxError("legacy-format", kind=".ods (OpenDocument)")
        if "xl/workbook.xml" not in parts:
            if "encryptedpackage" in parts:
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
            if info.file_size > self.limits.max_part_bytes and info.filename.lower().endswith(".xml"):
                raise XlsxError(
                    "too-large", f"{info.filename}: {info.file_size} bytes > {self.limits.max_part_bytes}"
                )
            if info.compress_size and info.file_size / info.compress_size > self.limits.max_ratio and (
                info.file_size > 1024 * 1024
            ):
                raise XlsxError("too-large", f"{info.filename}: compression ratio above {self.limits.max_ratio}")
        if declared > self.limits.max_total_bytes:
            raise XlsxError("too-large", f"{declared} bytes unzipped > {self.limits.max_total_bytes}")
        return parts

    def _read(self, name: str, *, optional: bool = False) -> bytes | None:
        cap = self.limits.max_part_bytes
        info = self._parts.get(part_key(name))
        if info is None:
            if optional:
                return None
            raise XlsxError("corrupt-workbook", f"missing part {name}")
        data = self._inflate(info, cap)
        if data is None:
            data = self._read_through_zipfile(info, cap)
        if len(data) > cap:
            raise XlsxError("too-large", f"{name} unzips to more than {cap} bytes")
        self._inflated += len(data)
        if self._inflated > self.limits.max_total_bytes:
            raise XlsxError("too-large", f"more than {self.limits.max_total_bytes} bytes unzipped")
        return data

    def _inflate(self, info: zipfile.ZipInfo, cap: int) -> bytes | None:
        """A member inflated straight from the file's bytes (at most ``cap`` + 1 bytes), when its
        local header, sizes and CRC agree with the directory. A workbook has a part per sheet,
        so this saves zipfile's per-member work; None sends the caller to zipfile, which reads
        anything else the zip format allows and words every error."""
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
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

    def _read_through_zipfile(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        try:
            with self.zip.open(info) as handle:
                data: bytes = handle.read(cap + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            if "encrypted" in str(exc):
                raise XlsxError("encrypted-workbook") from None
            raise XlsxError("corrupt-workbook", f"{info.filename}: {exc}") from None
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
                if local(rel.tag) == "Relationship":
                    target = rel.get("Target", "").replace("\\", "/")
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join("xl", target)
                    )
                    targets[rel.get("Id", "")] = part
        sheets: list[SheetInfo] = []
        self.date1904 = False  # the workbook counts dates from 1904 (older Mac workbooks)
        for element in workbook.iter():
            if local(element.tag) == "workbookPr":
                self.date1904 = element.get("date1904", "").strip().lower() in ("1", "true")
            if local(element.tag) != "sheet":
                continue
            rid = element.get(f"{{{_R_NS}}}id") or element.get(f"{{{_STRICT_R_NS}}}id") or ""
            found = targets.get(rid)
            if found is None:
                raise XlsxError("corrupt-workbook", f"sheet {element.get('name')!r} has no part")
            sheets.append(SheetInfo(element.get("name", ""), element.get("state", "visible"), found))
            if len(sheets) > self.limits.max_sheets:
                raise XlsxError("too-large", f"more than {self.limits.max_sheets} sheets")
        if len({part_key(sheet.part) for sheet in sheets}) != len(sheets):  # one part read as many sheets
            raise XlsxError("corrupt-workbook", "two sheets share one part")
        return sheets

    def _marked(self, name: str, *, optional: bool = False) -> tuple[bytes, str | None] | None:
        """A part that holds cell text: checked, its illegal characters marked (safety.py)."""
        data = self._read(name, optional=optional)
        if data is None:
            return None
        check_xml(data, name)
        return mark_illegal(data, name)

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            found = self._marked("xl/sharedStrings.xml", optional=True)
            strings: list[str] = []
            illegal: frozenset[int] = frozenset()
            if found is not None:
                data, marker = found
                plain = quick.plain_strings(data, marker) if self.quick else None
                strings, illegal = plain or parse.tree_strings(data, marker, self.limits.max_shared_strings)
            if len(strings) > self.limits.max_shared_strings:
                raise XlsxError("too-large", "too many shared strings")
            self._strings, self._illegal_strings = strings, illegal
        return self._strings

    @property
    def illegal_strings(self) -> frozenset[int]:
        """Indexes of the shared strings that held an illegal character (now U+FFFD)."""
        self.strings  # noqa: B018 - loads the table
        return self._illegal_strings

    @property
    def date_styles(self) -> set[int]:
        """Indexes of cell styles whose number format shows a date or a time."""
        if self._date_styles is None:
            self._date_styles = set()
            data = self._read("xl/styles.xml", optional=True)
            if data is not None:
                check_xml(data, "xl/styles.xml")
                self._date_styles = date_styles(data, self.quick)
        return self._date_styles

    def number_formats(self) -> list[str]:
        """Each cell style's number format code, by style index (styles.py)."""
        data = self._read("xl/styles.xml", optional=True)
        if data is None:
            return []
        check_xml(data, "xl/styles.xml")
        return number_formats(data, self.quick)

    def cell_styles(self, sheet: SheetInfo, refs: frozenset[str]) -> dict[str, int]:
        """The style index of the cells at ``refs`` (such as "E6") of ``sheet`` (styles.py)."""
        data = self._read(sheet.part)
        assert data is not None
        return cell_styles(data, refs)

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
        if self.quick and quick.fast_path_fits(data):
            wanted, others = quick.fast_patterns(columns, head_columns, max_col)
            found_others = others.findall(data)
            # A cell written without a plain r first (no r, r in single quotes, "e7", "$E$7") is
            # for the parser.
            if not any(odd for _, _, odd in found_others):
                try:
                    return quick.fast_cells(self, data, sheet, max_row, max_col, wanted, found_others, keys, None)
                except ForTheParser:
                    pass
        data, marker = mark_illegal(data, sheet.part)
        return parse.tree_cells(self, parse_xml(data, sheet.part), sheet, max_row, max_col, marker)
