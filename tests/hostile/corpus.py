"""The hostile-input corpus: files that must never crash officestar, each with its outcome.

``build_corpus(folder)`` writes every case under ``folder/<case id>/``. Most cases
start from a real workbook (``build_workbook`` + ``fill_workbook``) and change one
thing, so that the Issue the case expects is the only thing wrong with it; the
container cases are made from scratch. Each ``Case`` says what `officestar check`
must report (Issue codes, exit code) and what `officestar score` must record.

Run ``python tests/hostile/corpus.py DIR`` to write the corpus somewhere to look at.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook.template import build_workbook
from unprivileged import NOBODY, nobody_can_run  # noqa: F401 - test_hostile imports them from here

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubric.yaml"
OTHER_RUBRIC = ROOT / "examples" / "rubric-infographic.yaml"
GOOD_FILES = sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))
ROUND = 2
MEMBER = "กรรมการ ทดสอบ"
OFFICE = "lp-province"  # the office sheet the one-cell hazards go into
CRITERION = "1.1"  # max 5; the template puts it on row 6
BASE_SCORE = {(OFFICE, CRITERION): Decimal(4)}  # what the base workbook holds in the hazard cell

# Office and member names that are formulas, Markdown or line breaks in disguise.
ODD_OFFICE_NAMES = {
    "lp-province": "=HYPERLINK(\"http://x\",\"คลิก\")",
    "lp-mueang": "+เมือง|ลำปาง",
    "lp-thoen": "-เถิน",
    "lp-hang-chat": "@ห้างฉัตร",
    "lp-ngao": "งาว\nบรรทัดสอง",
    "lp-ko-kha": "เกาะ | คา",
}
ODD_MEMBERS = ("=1+1", "@SUM(A1)", "+ก | ข", "-นาย ค")


@dataclass(frozen=True)
class Case:
    """One hostile input and what officestar must do with it.

    ``codes`` must all appear in ``check --json`` issues for the input; ``exit`` is
    ``check``'s exit code and also ``score``'s when the input is mixed with a good
    file (a rejected input gives 1, a warning 0). ``recorded`` is how many files
    of the input ``score`` records (0 when rejected), each with
    ``scored_offices`` offices of scores.
    """

    id: str
    group: str  # container | size | content | output
    hazard: str  # what the input is, for docs/reliability.md
    codes: tuple[str, ...]
    exit: int
    build: Callable[[Context, Path], str]  # writes into the case folder, returns the argument
    recorded: int = 0
    scored_offices: int = 14
    as_nobody: bool = False  # permissions only bite an unprivileged user
    rubric: str | None = None  # a rubric file inside the corpus instead of rubric.yaml
    scores: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # must be recorded as is
    absent: tuple[str, ...] = ()  # Issue codes that must not be reported for the input


@dataclass
class Context:
    """What the builders share: the rubric, a filled workbook, the corpus folder."""

    folder: Path
    rubric: Rubric
    base: bytes = b""  # a valid filled workbook of MEMBER
    _counter: int = 0

    def workbook(self, member: str | None = MEMBER, *, rubric: Rubric | None = None,
                 round_no: int = ROUND, score: Callable[[str, str], object] | None = None) -> bytes:
        """A new filled workbook (its own workbook id) as bytes."""
        from support.filler import fill_workbook, fraction_of_max  # tests/ is on the path (see __main__)

        rubric = rubric or self.rubric
        self._counter += 1
        scratch = self.folder / ".scratch"
        scratch.mkdir(exist_ok=True)
        blank = scratch / f"blank-{self._counter}.xlsx"
        filled = scratch / f"filled-{self._counter}.xlsx"
        build_workbook(rubric, round_no, member).save(blank)
        fill_workbook(blank, filled, rubric, score or fraction_of_max(rubric))
        return filled.read_bytes()

    def edit(self, change: Callable[[object], None], data: bytes | None = None) -> bytes:
        """``data`` (default: the base workbook) changed with openpyxl, as a member's program would."""
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data or self.base))
        change(workbook)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


# ---------------------------------------------------------------- zip and XML surgery


def rezip(data: bytes, replace: dict[str, bytes | Callable[[bytes], bytes]] | None = None,
          drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None) -> bytes:
    """The zip ``data`` with members replaced (bytes or a function of the old bytes), dropped or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info)
            new = replace.get(info.filename)
            if new is not None:
                body = new(body) if callable(new) else new
            dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def office_part(data: bytes, office_id: str = OFFICE) -> str:
    """The worksheet part that carries ``office_id`` in its office-id cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and f"<t>{office_id}</t>".encode() in archive.read(name):
                return name
    raise LookupError(office_id)


def part_for_sheet(data: bytes, wanted: str) -> str:
    """The part of the sheet named ``wanted`` (through workbook.xml and its rels)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(wanted)}"[^>]*r:id="([^"]+)"', workbook)
    assert rid is not None, wanted
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target is not None
    path = target.group(1) or target.group(2)
    return path.lstrip("/") if path.startswith("/") else "xl/" + path


def criterion_row(sheet_xml: bytes, criterion_id: str) -> int:
    match = re.search(rb'<c r="A(\d+)"[^>]*><is><t>' + re.escape(criterion_id.encode()) + rb"</t>", sheet_xml)
    assert match is not None, criterion_id
    return int(match.group(1))


def put_cell(sheet_xml: bytes, ref: str, cell: str) -> bytes:
    """Replace the cell at ``ref`` (which the template always writes) by the XML ``cell``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    new, count = pattern.subn(cell.encode("utf-8").replace(b"\\", b"\\\\"), sheet_xml, count=1)
    assert count == 1, ref
    return new


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" s="13" t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'


def with_score_cell(ctx: Context, cell: Callable[[str], str], *, office: str = OFFICE,
                    criterion: str = CRITERION) -> bytes:
    """The base workbook with one score cell rewritten; ``cell(ref)`` gives its XML."""
    part = office_part(ctx.base, office)

    def change(xml: bytes) -> bytes:
        ref = f"E{criterion_row(xml, criterion)}"
        return put_cell(xml, ref, cell(ref))

    return rezip(ctx.base, {part: change})


def before_sheet_data_end(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


# ---------------------------------------------------------------- from scratch


def ole_file(*stream_names: str) -> bytes:
    """A compound file (the container of .xls and of encrypted .xlsx): header and directory."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, 512-byte sectors
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 76, 0)  # FAT at sector 0
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<iii", fat, 0, -3, -2, -2)
    directory = bytearray()
    for name in ("Root Entry", *stream_names):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    directory += bytes(512 - len(directory) % 512) if len(directory) % 512 else b""
    return bytes(header) + bytes(fat) + bytes(directory)


def plain_zip(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(zipfile.ZipInfo(stored_first), members[stored_first], zipfile.ZIP_STORED)
        for name, body in members.items():
            if name != stored_first:
                archive.writestr(name, body)
    return out.getvalue()


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_bytes() -> bytes:
    """The shape LibreOffice writes: an uncompressed ``mimetype`` member first."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        b'<office:spreadsheet><table:table table:name="s"><table:table-row><table:table-cell>'
        b"<text:p>4</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"
        b"</office:body></office:document-content>"
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
    )
    return plain_zip(
        {"mimetype": ODS_MIMETYPE, "content.xml": content, "META-INF/manifest.xml": manifest},
        stored_first="mimetype",
    )


def encrypted_xlsx(ctx: Context) -> bytes:
    """A real password-encrypted workbook when msoffcrypto-tool is installed, else its shape."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return ole_file("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(ctx.base)).encrypt("รหัส1234", out)
    return out.getvalue()


def zip_flagged_encrypted(data: bytes) -> bytes:
    """The workbook with every member marked as zip-encrypted (bit 0 of the flags)."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            offset = info.header_offset
            assert buffer[offset : offset + 4] == b"PK\x03\x04"
            buffer[offset + 6] |= 1
    position = buffer.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", buffer, position + 16)[0]
    while buffer[central : central + 4] == b"PK\x01\x02":
        buffer[central + 8] |= 1
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buffer, central + 28)
        central += 46 + name_len + extra_len + comment_len
    return bytes(buffer)


def _legacy_xls(ctx: Context, folder: Path) -> bytes:
    from helpers import find_soffice, soffice_convert

    if find_soffice() is not None:
        source = folder / "source.xlsx"
        source.write_bytes(ctx.base)
        try:
            made = soffice_convert(source, folder / "lo", "xls")
            data = made.read_bytes()
            shutil.rmtree(folder / "lo", ignore_errors=True)
            source.unlink()
            return data
        except RuntimeError:
            source.unlink(missing_ok=True)
    return ole_file("Workbook", "\x05SummaryInformation")


# ---------------------------------------------------------------- builders


Builder = Callable[[Context, Path], str]


def write(name: str, data: bytes | Callable[[Context], bytes]) -> Builder:
    """A builder writing one file called ``name``."""

    def build(ctx: Context, folder: Path) -> str:
        path = folder / name
        path.write_bytes(data(ctx) if callable(data) else data)
        return str(path)

    return build


def cell_case(cell: Callable[[str], str], name: str = "score.xlsx") -> Builder:
    return write(name, lambda ctx: with_score_cell(ctx, cell))


def value_case(text: str) -> Builder:
    return cell_case(lambda ref: inline(ref, text))


def number_case(raw: str, extra: str = "") -> Builder:
    return cell_case(lambda ref: f'<c r="{ref}" s="13"{extra}><v>{raw}</v></c>')


def edit_case(change: Callable[[object], None], name: str = "edited.xlsx") -> Builder:
    return write(name, lambda ctx: ctx.edit(change))


def _office_sheet(workbook: object, office_id: str = OFFICE) -> object:
    for sheet in workbook.worksheets:  # type: ignore[attr-defined]
        if sheet["F2"].value == office_id:
            return sheet
    raise LookupError(office_id)


def _set_score(workbook: object, value: object) -> None:
    sheet = _office_sheet(workbook)
    sheet["E6"].value = value  # type: ignore[index]


def _merge(workbook: object) -> None:
    _office_sheet(workbook).merge_cells("E6:E7")  # type: ignore[attr-defined]


def _delete_row(workbook: object) -> None:
    _office_sheet(workbook).delete_rows(7)  # criterion 1.2  # type: ignore[attr-defined]


def _insert_row(workbook: object) -> None:
    sheet = _office_sheet(workbook)
    sheet.insert_rows(7)  # type: ignore[attr-defined]
    sheet["B7"].value = "แถวที่กรรมการแทรกเอง"  # type: ignore[index]


def _reorder(workbook: object) -> None:
    workbook._sheets.reverse()  # type: ignore[attr-defined]


def _rename(workbook: object) -> None:
    _office_sheet(workbook).title = "ชื่อใหม่ของแผ่นงาน"  # type: ignore[attr-defined]


def _delete_sheet(workbook: object) -> None:
    workbook.remove(_office_sheet(workbook, "lp-thoen"))  # type: ignore[attr-defined]


def _duplicate_sheet(workbook: object) -> None:
    workbook.copy_worksheet(_office_sheet(workbook, "lp-thoen"))  # type: ignore[attr-defined]


def _drop_identity(workbook: object) -> None:
    workbook.remove(workbook["_officestar"])  # type: ignore[index, attr-defined]


def _show_identity(workbook: object) -> None:
    workbook["_officestar"].sheet_state = "visible"  # type: ignore[index]


def _edit_identity_member(workbook: object) -> None:
    sheet = workbook["_officestar"]  # type: ignore[index]
    for row in sheet.iter_rows():
        if row[0].value == "member":
            row[1].value = "คนอื่น"


def _edit_cover_round(workbook: object) -> None:
    workbook.worksheets[0]["B5"].value = 3  # type: ignore[attr-defined]


def _bump_format(workbook: object) -> None:
    workbook.worksheets[0]["B8"].value = "officestar-score/9"  # type: ignore[attr-defined]
    sheet = workbook["_officestar"]  # type: ignore[index]
    for row in sheet.iter_rows():
        if row[0].value == "format":
            row[1].value = "officestar-score/9"


def _blank_office(workbook: object) -> None:
    sheet = _office_sheet(workbook, "lp-ngao")
    for row in sheet.iter_rows(min_row=5):  # type: ignore[attr-defined]
        cell = row[4]
        if isinstance(row[0].value, str) and "." in row[0].value:
            cell.value = None


def _xfd(workbook: object) -> None:
    _office_sheet(workbook)["XFD1048576"].value = 5  # type: ignore[index]


def not_a_score_sheet(ctx: Context) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["หน่วยงาน", "คะแนน"])
    sheet.append(["เถิน", 80])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bomb(ctx: Context, folder: Path) -> str:
    """An office sheet that unzips to 300 MB, written as a stream (the generator stays quick)."""
    path = folder / "bomb.xlsx"
    part = office_part(ctx.base)
    row = b'<row r="9"><c r="G9"><v>1</v></c></row>' * 30_000
    with zipfile.ZipFile(io.BytesIO(ctx.base)) as src, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info.filename, src.read(info))
        xml = src.read(part)
        head, _, tail = xml.partition(b"</sheetData>")
        with dst.open(part, "w", force_zip64=True) as handle:
            handle.write(head)
            for _ in range(300_000_000 // len(row)):
                handle.write(row)
            handle.write(b"</sheetData>" + tail)
    return str(path)


def many_sheets(ctx: Context) -> bytes:
    """300 extra sheets, all pointing at one tiny part (the zip stays small)."""
    sheets = "".join(f'<sheet name="extra {i}" sheetId="{100 + i}" r:id="rX{i}"/>' for i in range(300))
    rels = "".join(
        f'<Relationship Id="rX{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/extra.xml"/>' for i in range(300)
    )
    extra = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData/></worksheet>")
    return rezip(
        ctx.base,
        {
            "xl/workbook.xml": lambda x: x.replace(b"</sheets>", sheets.encode() + b"</sheets>", 1),
            "xl/_rels/workbook.xml.rels": lambda x: x.replace(
                b"</Relationships>", rels.encode() + b"</Relationships>", 1
            ),
        },
        add={"xl/worksheets/extra.xml": extra},
    )


def many_members(ctx: Context) -> bytes:
    return rezip(ctx.base, add={f"customXml/item{i}.xml": b"<a/>" for i in range(400)})


def _with_shared_strings(ctx: Context, strings: bytes) -> bytes:
    """The base with a sharedStrings part, and the score cell pointing at its first string."""
    with_cell = with_score_cell(ctx, lambda ref: f'<c r="{ref}" s="13" t="s"><v>0</v></c>')
    rel = (b'<Relationship Id="rSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'relationships/sharedStrings" Target="sharedStrings.xml"/>')
    return rezip(
        with_cell,
        {"xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>", rel + b"</Relationships>", 1)},
        add={"xl/sharedStrings.xml": strings},
    )


SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def sst_too_big(ctx: Context) -> bytes:
    return _with_shared_strings(ctx, SST_HEAD + b"<si><t>4</t></si>" * 700_000 + b"</sst>")


def sst_too_many(ctx: Context) -> bytes:
    # 600,000 empty strings: under the part-size cap, over the count cap.
    return _with_shared_strings(ctx, SST_HEAD + b"<si><t>4</t></si>" + b"<si/>" * 600_000 + b"</sst>")


def sst_good(ctx: Context) -> bytes:
    # Excel writes text as shared strings: a score typed as text "4.5" in a shared string is fine.
    return _with_shared_strings(ctx, SST_HEAD + b"<si><t>4.5</t></si></sst>")


def sst_bad_index(ctx: Context) -> bytes:
    data = with_score_cell(ctx, lambda ref: f'<c r="{ref}" s="13" t="s"><v>99</v></c>')
    return _with_shared_strings_only(data)


def _with_shared_strings_only(data: bytes) -> bytes:
    rel = (b'<Relationship Id="rSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'relationships/sharedStrings" Target="sharedStrings.xml"/>')
    return rezip(
        data,
        {"xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>", rel + b"</Relationships>", 1)},
        add={"xl/sharedStrings.xml": SST_HEAD + b"<si><t>4</t></si></sst>"},
    )


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>"
)


def billion_laughs(ctx: Context) -> bytes:
    part = office_part(ctx.base)
    return rezip(ctx.base, {part: lambda x: LAUGHS + x.replace(b"<v>4</v>", b"<v>&lol9;</v>", 1)})


def external_entity(ctx: Context) -> bytes:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + SST_HEAD + b"<si><t>&xxe;</t></si></sst>")
    return _with_shared_strings(ctx, xxe)


def doctype_workbook(ctx: Context) -> bytes:
    return rezip(ctx.base, {"xl/workbook.xml": lambda x: b"<!DOCTYPE workbook>" + x})


def utf16_doctype(ctx: Context) -> bytes:
    part = office_part(ctx.base)

    def change(xml: bytes) -> bytes:
        text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "5">]>' + xml.decode()
        return text.encode("utf-16")

    return rezip(ctx.base, {part: change})


def styled_rows(ctx: Context) -> bytes:
    rows = b"".join(b'<row r="%d" s="13" customFormat="1"/>' % n for n in range(40, 100_040))
    return rezip(ctx.base, {office_part(ctx.base): before_sheet_data_end(rows)})


def styled_cells(ctx: Context) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="E%d" s="13"/><c r="F%d" s="14"/></row>' % (n, n, n)
                    for n in range(40, 10_040))
    return rezip(ctx.base, {office_part(ctx.base): before_sheet_data_end(rows)})


def too_many_cells(ctx: Context) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="G%d"><v>1</v></c></row>' % (n, n) for n in range(40, 80_040))
    return rezip(ctx.base, {office_part(ctx.base): before_sheet_data_end(rows)})


def noise(size: int) -> bytes:
    """Text that does not compress (so no ratio cap catches it first), the same every run."""
    import base64
    import random

    return base64.b64encode(random.Random(size).randbytes(size * 3 // 4))[:size]


def unclosed_cells(ctx: Context) -> bytes:
    """Cells that never close, then padding: a pattern match that looks for each end is quadratic."""
    junk = b'<c r="G1">' * 40_000 + noise(6_000_000)
    return rezip(ctx.base, {office_part(ctx.base): lambda x: x.replace(b"</sheetData>", junk, 1)})


def unclosed_formulas(ctx: Context) -> bytes:
    junk = b"<f>" * 1_000_000 + noise(4_000_000)
    part = office_part(ctx.base)
    return rezip(ctx.base, {part: lambda x: x.replace(b"<v>4</v>", junk + b"<v>4</v>", 1)})


def prefixed_sheet(ctx: Context) -> bytes:
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s>/])", rb"<\1x:\2", xml)
        return xml.replace(b'xmlns="', b'xmlns:x="', 1)

    return rezip(ctx.base, {office_part(ctx.base): change})


def truncated_sheet_xml(ctx: Context) -> bytes:
    part = office_part(ctx.base)
    return rezip(ctx.base, {part: lambda x: x[: len(x) // 3]})


def bit_rot(ctx: Context) -> bytes:
    """One byte of a sheet's compressed data damaged so that inflating fails (not just the CRC)."""
    import zlib

    part = office_part(ctx.base)
    with zipfile.ZipFile(io.BytesIO(ctx.base)) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 8, start + info.compress_size):
        damaged = bytearray(ctx.base)
        damaged[offset] ^= 0xFF
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(damaged))) as archive:
                archive.read(part)
        except zlib.error:
            return bytes(damaged)
        except zipfile.BadZipFile:
            continue
    raise AssertionError("no byte makes inflating fail")


def missing_part(ctx: Context) -> bytes:
    return rezip(ctx.base, drop=(office_part(ctx.base, "lp-thoen"),))


def no_workbook_xml(ctx: Context) -> bytes:
    return rezip(ctx.base, drop=("xl/workbook.xml",))


def other_fiscal_year(ctx: Context) -> bytes:
    text = RUBRIC.read_text("utf-8").replace("fiscal_year: 2567", "fiscal_year: 2568", 1)
    path = ctx.folder / ".scratch" / "rubric-2568.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    return ctx.workbook(rubric=load_rubric(path))


def two_files(first: Callable[[Context], bytes], second: Callable[[Context], bytes],
              names: tuple[str, str] = ("a.xlsx", "b.xlsx")) -> Builder:
    """A folder of two workbooks: the argument is the folder."""

    def build(ctx: Context, folder: Path) -> str:
        (folder / names[0]).write_bytes(first(ctx))
        (folder / names[1]).write_bytes(second(ctx))
        return str(folder)

    return build


def lock_file(ctx: Context, folder: Path) -> str:
    """What Excel leaves beside an open workbook, caught by a glob the shell did not expand."""
    user = b"somchai"
    body = bytes([len(user)]) + user + b" " * (54 - len(user)) + "somchai".encode("utf-16-le")
    (folder / "~$score.xlsx").write_bytes(body.ljust(165, b"\0"))
    return str(folder / "*.xlsx")


def directory(ctx: Context, folder: Path) -> str:
    path = folder / "folder.xlsx"
    path.mkdir()
    (path / "inside.txt").write_text("a folder named like a workbook")
    return str(path)


def fifo(ctx: Context, folder: Path) -> str:
    path = folder / "pipe.xlsx"
    os.mkfifo(path)
    return str(path)


def device(ctx: Context, folder: Path) -> str:
    path = folder / "zero.xlsx"
    path.symlink_to("/dev/zero")
    return str(path)


def unreadable(ctx: Context, folder: Path) -> str:
    path = folder / "locked-away.xlsx"
    path.write_bytes(ctx.base)
    path.chmod(0)
    return str(path)


def sparse_huge(ctx: Context, folder: Path) -> str:
    path = folder / "huge.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(300 * 1024 * 1024)  # sparse: no disk used
    return str(path)


def renamed_copy(name: str) -> Builder:
    return write(name, lambda ctx: ctx.workbook(member=f"กรรมการ {len(name)}"))


def odd_names_rubric(ctx: Context, folder: Path) -> str:
    """Workbooks of a rubric whose office names, and of members whose names, look like formulas."""
    data = yaml.safe_load(RUBRIC.read_text("utf-8"))
    for office in data["offices"]:
        if office["id"] in ODD_OFFICE_NAMES:
            office["th"] = office["en"] = ODD_OFFICE_NAMES[office["id"]]
    path = folder / "rubric-odd-names.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    rubric = load_rubric(path)
    for i, member in enumerate(ODD_MEMBERS, start=1):
        (folder / f"odd-{i}.xlsx").write_bytes(ctx.workbook(member=member, rubric=rubric))
    return str(folder / "odd-*.xlsx")


# ---------------------------------------------------------------- what the member sees, folders, names


def with_format(ctx: Context, code: str | int, value: str, *, data: bytes | None = None,
                date1904: bool = False) -> bytes:
    """The base workbook with the hazard cell holding ``value`` under the number format ``code``
    (a format code, or the id of a built-in format), in a style of its own."""
    data = data or ctx.base
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml")
    block = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert block is not None
    index = block.group(1).count(b"<xf")
    fmt_id = code if isinstance(code, int) else 200

    def change_styles(xml: bytes) -> bytes:
        if isinstance(code, str):
            quoted = xml_text(code).replace('"', "&quot;").encode("utf-8")
            fmt = b'<numFmts count="1"><numFmt numFmtId="200" formatCode="' + quoted + b'"/></numFmts>'
            xml, count = re.subn(rb'<numFmts count="0"\s*/>', lambda _: fmt, xml, count=1)
            assert count == 1, "the template's styles have custom number formats now"
        return xml.replace(b"</cellXfs>", b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" '
                           b'applyNumberFormat="1"/></cellXfs>' % fmt_id, 1)

    part = office_part(data)

    def change_sheet(xml: bytes) -> bytes:
        ref = f"E{criterion_row(xml, CRITERION)}"
        return put_cell(xml, ref, f'<c r="{ref}" s="{index}"><v>{value}</v></c>')

    replace: dict[str, bytes | Callable[[bytes], bytes]] = {"xl/styles.xml": change_styles, part: change_sheet}
    if date1904:
        def in_1904(xml: bytes) -> bytes:
            xml = re.sub(rb"<workbookPr\b[^>]*/>", b"", xml)
            return re.sub(rb"(<workbook\b[^>]*>)", rb'\1<workbookPr date1904="1"/>', xml, count=1)

        replace["xl/workbook.xml"] = in_1904
    return rezip(data, replace)


def format_case(code: str | int, value: str) -> Builder:
    return write("formatted.xlsx", lambda ctx: with_format(ctx, code, value))


def _shift_right(rows: int | None = None) -> Callable[[object], None]:
    """Insert cells and shift right on the score column: each score lands in the notes column."""

    def change(workbook: object) -> None:
        sheet = _office_sheet(workbook)
        shifted = 0
        for row in sheet.iter_rows(min_row=5):  # type: ignore[attr-defined]
            if isinstance(row[0].value, str) and "." in row[0].value and (rows is None or shifted < rows):
                row[5].value, row[4].value = row[4].value, None
                shifted += 1

    return change


def _insert_rows(at: int, count: int, sheets: int = 1) -> Callable[[object], None]:
    def change(workbook: object) -> None:
        for office_id in ("lp-province", "lp-thoen")[:sheets]:
            sheet = _office_sheet(workbook, office_id)
            sheet.insert_rows(at, count)  # type: ignore[attr-defined]

    return change


REPORT_CUSTOM_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="officestar-report">'
    b"<vt:lpwstr>2567-2</vt:lpwstr></property></Properties>"
)


def report_workbook(ctx: Context) -> bytes:
    """A workbook carrying officestar's report marker (as reports are written)."""
    return rezip(not_a_score_sheet(ctx), add={"docProps/custom.xml": REPORT_CUSTOM_XML})


def folder_of_not_members(ctx: Context, folder: Path) -> str:
    """A folder holding one member's workbook and every kind of file that is certainly not one."""
    (folder / "กรรมการ-โฟลเดอร์.xlsx").write_bytes(ctx.workbook(member="กรรมการ โฟลเดอร์"))
    (folder / "~$กรรมการ-โฟลเดอร์.xlsx").write_bytes(b"\x07somchai" + b"\0" * 150)
    (folder / "._กรรมการ-โฟลเดอร์.xlsx").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    (folder / ".ซ่อน.xlsx").write_bytes(b"hidden")
    (folder / "officestar-2567-round-2.xlsx").write_bytes(report_workbook(ctx))
    inner = folder / "ส่งช้า"
    inner.mkdir()
    inner.chmod(0o755)
    (inner / "late.xlsx").write_bytes(ctx.workbook(member="กรรมการ ส่งช้า"))
    return str(folder)


def folder_of_other_formats(ctx: Context, folder: Path) -> str:
    """A folder where members saved their workbooks in other formats (the .xlsm is a real one)."""
    macro = ctx.workbook(member="กรรมการ มาโคร")
    for name, data in (("a.xls", ole_file("Workbook")), ("b.xlsm", macro), ("c.xlsb", b"PK\x03\x04binary"),
                       ("d.ods", ods_bytes()), ("e.numbers", b"PK\x03\x04numbers"),
                       ("f.csv", "office,score\nเถิน,80\n".encode())):
        (folder / name).write_bytes(data)
    return str(folder)


def undecodable_name(ctx: Context, folder: Path) -> str:
    """A workbook whose file name is not valid UTF-8 (from an old zip or a Windows share)."""
    name = os.fsdecode(b"score-\xff\xfe-\xe0\xb8.xlsx")
    (folder / name).write_bytes(ctx.workbook(member="กรรมการ ชื่อไฟล์"))
    return str(folder)


def blank_copies(*names: str) -> Builder:
    """One blank workbook (written without a member), a copy filled by each of ``names``."""

    def build(ctx: Context, folder: Path) -> str:
        blank = ctx.workbook(member=None)
        for n, name in enumerate(names, start=1):
            def sign(workbook: object, name: str = name) -> None:
                workbook.worksheets[0]["B6"].value = name  # type: ignore[attr-defined]

            (folder / f"copy-{n}.xlsx").write_bytes(ctx.edit(sign, blank))
        return str(folder)

    return build


def _cover_member(name: str) -> Callable[[object], None]:
    def change(workbook: object) -> None:
        workbook.worksheets[0]["B6"].value = name  # type: ignore[attr-defined]

    return change


def _identity_hidden(workbook: object) -> None:
    workbook["_officestar"].sheet_state = "hidden"  # type: ignore[index]


def long_number(text: str) -> Builder:
    return cell_case(lambda ref: inline(ref, text), name="long.xlsx")


# ---------------------------------------------------------------- the cases

E = "error"

CASES: tuple[Case, ...] = (
    # --- container
    Case("empty-file", "container", "an empty file named .xlsx", ("not-a-workbook",), 1, write("empty.xlsx", b"")),
    Case("text-renamed", "container", "a text file renamed .xlsx", ("not-a-workbook",), 1,
         write("notes.xlsx", "คะแนน เถิน 80\n".encode())),
    Case("csv-renamed", "container", "a CSV export renamed .xlsx", ("not-a-workbook",), 1,
         write("scores.xlsx", "office,score\nเถิน,80\n".encode())),
    Case("html-renamed", "container", "an HTML 'Excel' export from a web system", ("not-a-workbook",), 1,
         write("export.xlsx", b"<html><body><table><tr><td>80</td></tr></table></body></html>")),
    Case("pdf-renamed", "container", "a PDF renamed .xlsx", ("not-a-workbook",), 1,
         write("scan.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")),
    Case("truncated", "container", "a workbook cut short in transfer", ("corrupt-workbook",), 1,
         write("cut.xlsx", lambda ctx: ctx.base[: len(ctx.base) * 3 // 5])),
    Case("bit-rot", "container", "one damaged byte in a sheet's compressed data", ("corrupt-workbook",), 1,
         write("rot.xlsx", bit_rot)),
    Case("zip-not-workbook", "container", "a zip that is not a workbook", ("not-a-workbook",), 1,
         write("archive.xlsx", plain_zip({"readme.txt": b"hello", "scores.csv": b"a,1"}))),
    Case("docx-renamed", "container", "a Word document renamed .xlsx", ("not-a-workbook",), 1,
         write("letter.xlsx", plain_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}))),
    Case("encrypted", "container", "a password-protected (encrypted) workbook", ("encrypted-workbook",), 1,
         write("secret.xlsx", encrypted_xlsx)),
    Case("encrypted-shape", "container", "a compound file holding EncryptionInfo (an encrypted package)",
         ("encrypted-workbook",), 1,
         write("secret2.xlsx", ole_file("EncryptionInfo", "EncryptedPackage"))),
    Case("zip-encrypted-members", "container", "a zip whose members are zip-encrypted",
         ("encrypted-workbook",), 1, write("zipcrypt.xlsx", lambda ctx: zip_flagged_encrypted(ctx.base))),
    Case("xls-by-name", "container", "an Excel 97-2003 .xls", ("legacy-format",), 1,
         lambda ctx, folder: _write_xls(ctx, folder, "old.xls")),
    Case("xls-renamed", "container", "an .xls renamed .xlsx", ("legacy-format",), 1,
         lambda ctx, folder: _write_xls(ctx, folder, "old.xlsx")),
    Case("ods-by-name", "container", "an OpenDocument .ods", ("legacy-format",), 1, write("calc.ods", ods_bytes())),
    Case("ods-renamed", "container", "an .ods renamed .xlsx", ("legacy-format",), 1, write("calc.xlsx", ods_bytes())),
    Case("lock-file", "container", "an Excel lock file ~$….xlsx caught by a glob", ("lock-file",), 0, lock_file),
    Case("directory", "container", "a folder named x.xlsx", ("not-a-file",), 1, directory),
    Case("fifo", "container", "a named pipe called .xlsx (reading it would block)", ("not-a-file",), 1, fifo),
    Case("device", "container", "a link to /dev/zero called .xlsx (reading it never ends)", ("not-a-file",), 1,
         device),
    Case("unreadable", "container", "a file the user may not read (permissions)", ("unreadable-file",), 1,
         unreadable, as_nobody=True),
    Case("no-workbook-part", "container", "a workbook zip without xl/workbook.xml", ("not-a-workbook",), 1,
         write("nowb.xlsx", no_workbook_xml)),
    Case("missing-sheet-part", "container", "a sheet listed but its part missing from the zip",
         ("corrupt-workbook",), 1, write("nopart.xlsx", missing_part)),
    Case("truncated-sheet-xml", "container", "a sheet's XML cut in the middle (zip intact)",
         ("corrupt-workbook",), 1, write("halfxml.xlsx", truncated_sheet_xml)),
    # --- size and shape
    Case("bomb", "size", "a sheet that unzips to 300 MB (zip bomb)", ("too-large",), 1, bomb),
    Case("huge-file", "size", "a 300 MB file", ("too-large",), 1, sparse_huge),
    Case("xfd1048576", "size", "a value at XFD1048576", ("stray-value",), 0, edit_case(_xfd), recorded=1),
    Case("styled-rows", "size", "100,000 empty styled rows", (), 0, write("rows.xlsx", styled_rows), recorded=1),
    Case("styled-cells", "size", "10,000 rows of empty styled score cells", (), 0,
         write("cells.xlsx", styled_cells), recorded=1),
    Case("too-many-cells", "size", "80,000 cells on one sheet", ("too-large",), 1, write("cells.xlsx", too_many_cells)),
    Case("hundreds-of-sheets", "size", "300 extra sheets", ("too-large",), 1, write("sheets.xlsx", many_sheets)),
    Case("many-members", "size", "400 extra zip members", ("too-large",), 1, write("members.xlsx", many_members)),
    Case("huge-shared-strings", "size", "a 12 MB shared-strings table", ("too-large",), 1,
         write("sst.xlsx", sst_too_big)),
    Case("many-shared-strings", "size", "600,000 shared strings under the size cap", ("too-large",), 1,
         write("sst.xlsx", sst_too_many)),
    Case("billion-laughs", "size", "XML entity expansion (billion laughs) in a sheet", ("unsafe-xml",), 1,
         write("lol.xlsx", billion_laughs)),
    Case("external-entity", "size", "an external entity (XXE) in the shared strings", ("unsafe-xml",), 1,
         write("xxe.xlsx", external_entity)),
    Case("doctype-workbook", "size", "a DOCTYPE in workbook.xml", ("unsafe-xml",), 1,
         write("doctype.xlsx", doctype_workbook)),
    Case("utf16-doctype", "size", "a UTF-16 sheet hiding a DOCTYPE from a byte check", ("corrupt-workbook",), 1,
         write("utf16.xlsx", utf16_doctype)),
    Case("unclosed-cells", "size", "40,000 cells that never close, then 6 MB, after the scores (read in "
         "bounded time; the contract's cells are intact)", (), 0, write("unclosed.xlsx", unclosed_cells),
         recorded=1, scores=BASE_SCORE),
    Case("unclosed-formulas", "size", "a million unclosed <f> inside a score cell (refused in bounded time: "
         "the parser finds the XML broken, and the quick path reads no cell the parser would not)",
         ("corrupt-workbook",), 1, write("unclosedf.xlsx", unclosed_formulas)),
    Case("comment-in-cell", "size", "an XML comment holding another value inside a score cell", (), 0,
         cell_case(lambda ref: f'<c r="{ref}" s="13"><!-- <v>1</v> --><v>4</v></c>'), recorded=1,
         scores=BASE_SCORE),
    Case("cdata-score", "size", "a score in a CDATA section", (), 0,
         cell_case(lambda ref: f'<c r="{ref}" s="13" t="inlineStr"><is><t><![CDATA[4.5]]></t></is></c>'),
         recorded=1, scores={(OFFICE, CRITERION): Decimal("4.5")}),
    Case("prefixed-xml", "size", "an office sheet written with a namespace prefix (x:c, x:v)", (), 0,
         write("prefixed.xlsx", prefixed_sheet), recorded=1, scores=BASE_SCORE),
    # --- content: values (one score cell, the rest valid)
    Case("blank-score", "content", "one score left blank", ("blank-score",), 1,
         cell_case(lambda ref: f'<c r="{ref}" s="13"/>')),
    Case("text-score", "content", "a word instead of a number", ("not-a-number",), 1, value_case("ดีมาก")),
    Case("comma-decimal", "content", '"4,5" (comma as decimal point)', ("not-a-number",), 1, value_case("4,5")),
    Case("units", "content", '"5 คะแนน" (a number with units)', ("not-a-number",), 1, value_case("5 คะแนน")),
    Case("nan-text", "content", 'the text "nan"', ("not-a-number",), 1, value_case("nan")),
    Case("nan-number", "content", "NaN stored as a number", ("not-a-number",), 1, number_case("NaN")),
    Case("inf-number", "content", "1e400 (infinity) stored as a number", ("not-a-number",), 1, number_case("1e400")),
    Case("boolean", "content", "TRUE in a score cell", ("not-a-number",), 1, number_case("1", ' t="b"')),
    Case("date", "content", "a date in a score cell", ("not-a-number",), 1,
         edit_case(lambda wb: _set_score(wb, __import__("datetime").date(2024, 8, 5)))),
    Case("error-value", "content", "#DIV/0! in a score cell", ("not-a-number",), 1, number_case("#DIV/0!", ' t="e"')),
    Case("formula", "content", "a formula in a score cell", ("formula-in-score",), 1,
         cell_case(lambda ref: f'<c r="{ref}" s="13"><f>2+2</f><v>4</v></c>')),
    Case("above-max", "content", "6 where the maximum is 5", ("score-above-max",), 1, number_case("6")),
    Case("negative", "content", "-1", ("negative-score",), 1, number_case("-1")),
    Case("too-many-decimals", "content", "4.555 (three decimals)", ("too-many-decimals",), 1, number_case("4.555")),
    Case("huge-exponent", "content", "1E+308 in a score cell", ("score-above-max",), 1, number_case("1E+308")),
    Case("thai-digits", "content", '"๔.๕" in Thai digits (accepted)', ("number-as-text",), 0, value_case("๔.๕"),
         recorded=1, scores={(OFFICE, CRITERION): Decimal("4.5")}),
    Case("no-break-spaces", "content", "4.5 between no-break spaces (accepted)", ("number-as-text",), 0,
         value_case("\u00a04.5\u202f"), recorded=1, scores={(OFFICE, CRITERION): Decimal("4.5")}),
    Case("float-noise", "content", "4.4999999999999996 as some programs write 4.5 (accepted)", (), 0,
         number_case("4.4999999999999996"), recorded=1, scores={(OFFICE, CRITERION): Decimal("4.5")}),
    Case("shared-string-number", "content", '"4.5" typed as text, in a shared string (accepted)',
         ("number-as-text",), 0,
         write("sst.xlsx", sst_good), recorded=1, scores={(OFFICE, CRITERION): Decimal("4.5")}),
    Case("bad-string-index", "content", "a shared-string index past the table", ("corrupt-workbook",), 1,
         write("sst.xlsx", sst_bad_index)),
    # --- content: structure
    Case("merged-score", "content", "score cells merged (E6:E7)", ("merged-score",), 1, edit_case(_merge)),
    Case("row-deleted", "content", "a criterion row deleted", ("missing-criterion",), 1, edit_case(_delete_row)),
    Case("row-inserted", "content", "a row inserted between criteria (accepted)", (), 0, edit_case(_insert_row),
         recorded=1),
    Case("sheets-reordered", "content", "sheets in another order (accepted)", (), 0, edit_case(_reorder), recorded=1),
    Case("sheet-renamed", "content", "an office sheet renamed (accepted)", (), 0, edit_case(_rename), recorded=1),
    Case("sheet-deleted", "content", "an office sheet deleted", ("missing-office",), 1, edit_case(_delete_sheet)),
    Case("sheet-duplicated", "content", "an office sheet duplicated", ("duplicate-office",), 1,
         edit_case(_duplicate_sheet)),
    Case("office-blank", "content", "one office left entirely blank", ("office-not-scored",), 0,
         edit_case(_blank_office), recorded=1, scored_offices=13),
    Case("identity-deleted", "content", "the very hidden identity sheet dropped (as some programs do)",
         ("identity-from-cells",), 0, edit_case(_drop_identity), recorded=1),
    Case("identity-visible", "content", "the identity sheet made visible (as LibreOffice does)",
         ("identity-from-cells",), 0, edit_case(_show_identity), recorded=1),
    Case("identity-edited", "content", "the member changed in the identity sheet", ("identity-mismatch",), 1,
         edit_case(_edit_identity_member)),
    Case("cover-edited", "content", "the round changed on the cover", ("identity-mismatch",), 1,
         edit_case(_edit_cover_round)),
    Case("unknown-format", "content", "a future format version", ("unknown-format",), 1, edit_case(_bump_format)),
    Case("not-a-score-sheet", "content", "an ordinary workbook", ("not-a-score-sheet",), 1,
         write("plain.xlsx", not_a_score_sheet)),
    Case("no-member", "content", "a blank template without a member name", ("missing-member-name",), 1,
         write("anon.xlsx", lambda ctx: ctx.workbook(member=None))),
    Case("other-round", "content", "a workbook of round 1", ("wrong-round",), 1,
         write("round1.xlsx", lambda ctx: ctx.workbook(round_no=1))),
    Case("other-fiscal-year", "content", "a workbook of fiscal year 2568", ("wrong-fiscal-year",), 1,
         write("fy2568.xlsx", other_fiscal_year)),
    Case("other-rubric", "content", "a workbook of another rubric", ("wrong-rubric",), 1,
         write("infographic.xlsx", lambda ctx: ctx.workbook(rubric=load_rubric(OTHER_RUBRIC)))),
    Case("same-member-twice", "content", "two workbooks of one member", ("duplicate-member",), 1,
         two_files(lambda ctx: ctx.workbook(member="นาย ซ้ำ"), lambda ctx: ctx.workbook(member="  นาย   ซ้ำ "))),
    Case("conflicting-copies", "content", "two different copies of one workbook", ("conflicting-copies",), 1,
         two_files(lambda ctx: ctx.base, lambda ctx: with_score_cell(ctx, lambda ref: inline(ref, "4.5")))),
    Case("same-file-twice", "content", "the same file twice under two names", ("same-file-twice",), 0,
         two_files(lambda ctx: ctx.base, lambda ctx: ctx.base), recorded=1),
    # --- output: names and file names
    Case("odd-names", "output", "office and member names with |, newlines, leading = + - @", (), 0,
         odd_names_rubric, recorded=len(ODD_MEMBERS), rubric="odd-names/rubric-odd-names.yaml"),
    Case("name-with-spaces", "output", "a file name with spaces", (), 0, renamed_copy("my score file.xlsx"),
         recorded=1),
    Case("thai-name", "output", "a file name in Thai letters", (), 0,
         renamed_copy("แบบประเมิน นาย สมชาย ใจดี.xlsx"), recorded=1),
    Case("long-name", "output", "a 250-byte file name", (), 0, renamed_copy("ก" * 81 + ".xlsx"), recorded=1),
    # --- what the member sees is what is recorded (docs/design.md)
    Case("percent-format", "content", "a score cell formatted as a percentage (0.9 shows 90%)",
         ("display-differs",), 1, format_case(9, "0.9")),
    Case("percent-decimals", "content", "a score formatted 0.0% (4 shows 400.0%)", ("display-differs",), 1,
         format_case("0.0%", "4")),
    Case("scaled-format", "content", "a score formatted 0.0,, (4 shows 0.0)", ("display-differs",), 1,
         format_case("0.0,,", "4")),
    Case("text-format", "content", 'a score formatted "ดีมาก" (shows a word, no number)', ("display-differs",), 1,
         format_case('"ดีมาก"', "4")),
    Case("rounding-format", "content", "a format 0 showing 5 for 4.5 (recorded, with a warning)",
         ("rounded-display",), 0, format_case(1, "4.5"), recorded=1, scores={(OFFICE, CRITERION): Decimal("4.5")}),
    Case("rounding-thousands", "content", "a format #,##0 showing 4 for 3.5 (recorded, with a warning)",
         ("rounded-display",), 0, format_case("#,##0", "3.5"), recorded=1,
         scores={(OFFICE, CRITERION): Decimal("3.5")}),
    Case("plain-format", "content", "a score formatted 0.00 or General shows itself (no warning)", (), 0,
         format_case("General", "4.25"), recorded=1, scores={(OFFICE, CRITERION): Decimal("4.25")},
         absent=("rounded-display", "display-differs")),
    Case("padded-text", "content", '" 4 " typed as text with spaces (accepted, with a warning)',
         ("number-as-text",), 0, value_case(" 4 "), recorded=1, scores={(OFFICE, CRITERION): Decimal("4")}),
    Case("thai-digits-warned", "content", '"๓" in Thai digits typed as text (accepted, with a warning)',
         ("number-as-text",), 0, value_case("๓"), recorded=1, scores={(OFFICE, CRITERION): Decimal("3")}),
    Case("shifted-right", "content", "insert cells, shift right: every score of an office in the notes column",
         ("scores-moved",), 1, edit_case(_shift_right()), absent=("office-not-scored",)),
    Case("shifted-right-one", "content", "insert cells, shift right on one score cell", ("scores-moved",), 1,
         edit_case(_shift_right(1))),
    # --- numbers too long to be a score
    Case("long-decimals", "content", 'a score typed as "4." and 5,000 zeros', ("not-a-number",), 1,
         long_number("4." + "0" * 5000)),
    Case("long-leading-zeros", "content", "a score typed as 5,000 zeros and a 4", ("not-a-number",), 1,
         long_number("0" * 5000 + "4")),
    Case("long-number-value", "content", "a number value of 5,000 digits", ("not-a-number",), 1,
         number_case("0" * 5000 + "4")),
    # --- dates in the other date system
    Case("date-1904", "content", "a date in a score cell of a 1904-date workbook", ("not-a-number",), 1,
         write("mac.xlsx", lambda ctx: with_format(ctx, 14, "45509", date1904=True))),
    # --- rows pushed down
    Case("rows-inserted-250", "content", "250 rows inserted between criteria (the rest moved down)",
         ("criterion-moved",), 1, edit_case(_insert_rows(7, 250)), absent=("missing-criterion",)),
    Case("rows-inserted-top", "content", "400 rows inserted above every criterion", ("criterion-moved",), 1,
         edit_case(_insert_rows(5, 400)), absent=("missing-criterion",)),
    Case("rows-inserted-two-sheets", "content", "300 rows inserted on two office sheets", ("criterion-moved",), 1,
         edit_case(_insert_rows(8, 300, sheets=2)), absent=("missing-criterion",)),
    # --- folders
    Case("folder-not-members", "container", "a folder with lock, AppleDouble and hidden files, a report "
         "and a sub-folder beside one workbook (each skipped with a note)",
         ("lock-file", "apple-double", "hidden-file", "report-file", "sub-folder"), 0, folder_of_not_members,
         recorded=1),
    Case("folder-other-formats", "container", "a folder with .xls, .xlsm, .xlsb, .ods, .numbers and .csv files",
         ("legacy-format", "not-a-workbook"), 1, folder_of_other_formats),
    Case("undecodable-name", "output", "a file name that is not valid UTF-8", (), 0, undecodable_name, recorded=1),
    # --- member names and identity
    Case("invisible-member", "content", "a member name of zero-width characters only",
         ("invisible-member-name",), 1,
         write("invisible.xlsx", lambda ctx: ctx.edit(_cover_member("\u200b\u2060\u00ad"), ctx.workbook(None)))),
    Case("cover-member-changed", "content", "another name typed over a written member's name on the cover",
         ("identity-mismatch",), 1, edit_case(_cover_member("คนอื่น ทับชื่อ"))),
    Case("identity-hidden", "content", "the identity sheet merely hidden (as LibreOffice saves it)", (), 0,
         edit_case(_identity_hidden), recorded=1, absent=("identity-from-cells",)),
    Case("blank-copies", "content", "one blank workbook filled by two members (two members' workbooks)", (), 0,
         blank_copies("นาง ก สำเนา", "นาย ข สำเนา"), recorded=2, absent=("conflicting-copies",)),
    Case("blank-copies-one-name", "content", "copies of one blank workbook with one name spelt two ways",
         ("conflicting-copies",), 1, blank_copies("นาง สำเนา ซ้ำ", "นาง\u00a0สำเนา ซ้ำ\u200b")),
)


def _write_xls(ctx: Context, folder: Path, name: str) -> str:
    cached = ctx.folder / ".scratch" / "legacy.xls"
    if not cached.exists():
        cached.parent.mkdir(exist_ok=True)
        cached.write_bytes(_legacy_xls(ctx, cached.parent))
    path = folder / name
    shutil.copyfile(cached, path)
    return str(path)


def case_by_id(case_id: str) -> Case:
    return next(c for c in CASES if c.id == case_id)


def build_corpus(folder: Path, cases: tuple[Case, ...] = CASES) -> dict[str, str]:
    """Write every case under ``folder``; return case id → the command-line argument.

    The folder is made readable by an unprivileged user, for the permission cases.
    """
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    ctx = Context(folder, load_rubric(RUBRIC))
    ctx.base = ctx.workbook()
    arguments: dict[str, str] = {}
    for case in cases:
        case_folder = folder / case.id
        case_folder.mkdir()
        case_folder.chmod(0o755)
        arguments[case.id] = case.build(ctx, case_folder)
    shutil.rmtree(folder / ".scratch", ignore_errors=True)
    return arguments


def rubric_for(case: Case, folder: Path) -> Path:
    """The case's rubric, from the corpus folder (a copy an unprivileged run can read)."""
    if case.rubric:
        return folder / case.rubric
    copy = folder / RUBRIC.name
    if not copy.exists():
        shutil.copyfile(RUBRIC, copy)
        copy.chmod(0o644)
    return copy




if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    built = build_corpus(target)
    for case in CASES:
        print(f"{case.id:24} {case.exit}  {','.join(case.codes) or '-':22} {built[case.id]}")
    print(f"{len(CASES)} cases in {target}")
