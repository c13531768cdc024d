"""Write blank score workbooks, one per committee member (``officestar template``)."""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from officestar_cli.base.atomic import atomic_write_all, workbook_writer
from officestar_cli.base.decimals import plain
from officestar_cli.base.errors import OfficestarError, OutputError
from officestar_cli.base.names import member_key
from officestar_cli.base.text import escape_refused, forbidden_character
from officestar_cli.rubric.model import ROUND_MAX, Office, Rubric
from officestar_cli.workbook import contract as sf
from officestar_cli.workbook.layout import fit_rows

FONT = "TH SarabunPSK"
BODY = Font(name=FONT, size=16)
BOLD = Font(name=FONT, size=16, bold=True)
TITLE = Font(name=FONT, size=20, bold=True)
SMALL = Font(name=FONT, size=14, color="555555")
HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
DIM_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER = Alignment(wrap_text=True, vertical="top", horizontal="center")  # maxima and scores, on the label's line
UNLOCKED = Protection(locked=False)

COVER_NAME = "หน้าปก"


@dataclass(frozen=True)
class Planned:
    path: Path
    member: str | None


def file_stem(rubric: Rubric, round_no: int, index: int | None, member: str | None) -> str:
    """``2567-round-2-01-<member>``: a folder of returned files sorts by member order."""
    base = f"officestar-{rubric.fiscal_year}-round-{round_no}"
    if member is None:
        return f"{base}-blank"
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", unicodedata.normalize("NFC", member))
    safe = "-".join(safe.split())[:60].strip(".-") or "member"
    return f"{base}-{index:02d}-{safe}"


def plan(rubric: Rubric, round_no: int, members: Sequence[str], out: Path) -> list[Planned]:
    if not members:
        return [Planned(out / (file_stem(rubric, round_no, None, None) + ".xlsx"), None)]
    return [
        Planned(out / (file_stem(rubric, round_no, i, name) + ".xlsx"), name)
        for i, name in enumerate(members, start=1)
    ]


def write_templates(
    rubric: Rubric, round_no: int, members: Sequence[str], out: Path, *, force: bool
) -> list[Planned]:
    """Write every workbook, or none when one exists and ``force`` is not set."""
    check_round(round_no)
    names = member_names(members)
    planned = plan(rubric, round_no, names, out)
    existing = [p.path for p in planned if p.path.exists()]
    if existing and not force:
        listed = ", ".join(str(p) for p in existing)
        raise OutputError(
            f"มีไฟล์อยู่แล้ว จะไม่เขียนทับ (ใช้ --force เพื่อเขียนทับ): {listed}",
            f"Will not overwrite existing file(s) (use --force): {listed}",
        )
    # Each workbook is built when its temporary file is written; all are renamed at the end,
    # so a full disk leaves none half-written and every existing one as it was.
    atomic_write_all([
        (item.path, workbook_writer(functools.partial(build_workbook, rubric, round_no, item.member)))
        for item in planned
    ])
    return planned


def check_round(round_no: int) -> None:
    if not 1 <= round_no <= ROUND_MAX:
        raise OfficestarError(
            f"รอบการประเมินต้องอยู่ระหว่าง 1 ถึง {ROUND_MAX} แต่ได้ {round_no}",
            f"the round must be from 1 to {ROUND_MAX}, not {round_no}",
        )


def member_names(members: Sequence[str]) -> list[str]:
    """The members' keys, in order; a name that cannot be written, or written twice, is refused.

    Names compare by their member key (docs/design.md, "Identity"), so two spellings
    of one name would be one member with two workbooks: refused, naming both.
    """
    keys: list[str] = []
    first: dict[str, str] = {}
    for name in members:
        found = forbidden_character(name)
        if found is not None:
            shown = escape_refused(name)
            raise OfficestarError(
                f"ชื่อกรรมการ '{shown}' มีอักขระควบคุม {found[1]} ซึ่งเขียนลงแบบประเมินไม่ได้",
                f"the member name '{shown}' holds the control character {found[1]}, "
                "which cannot be written into a workbook",
            )
        key = member_key(name)
        if not key:
            shown = escape_refused(name)
            raise OfficestarError(
                f"ชื่อกรรมการ '{shown}' ว่างหรือมีแต่อักขระที่มองไม่เห็น",
                f"the member name '{shown}' is empty or holds only invisible characters",
            )
        if key in first:
            raise OfficestarError(
                f"ชื่อกรรมการ {first[key]!r} และ {name!r} เป็นคนเดียวกัน (ต่างกันเพียงช่องว่างหรืออักขระที่มองไม่เห็น)"
                " จะเขียนแบบประเมินให้ครั้งเดียว: ระบุชื่อเพียงครั้งเดียว",
                f"the member names {first[key]!r} and {name!r} are one member (they differ only in spaces or "
                "invisible characters): give the name once",
            )
        first[key] = name
        keys.append(key)
    return keys


def build_workbook(
    rubric: Rubric, round_no: int, member: str | None, workbook_id: str | None = None
) -> Workbook:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    taken: set[str] = {sf.IDENTITY_SHEET}
    cover.title = sf.sheet_name(COVER_NAME, taken)
    workbook_id = workbook_id or str(uuid.uuid4())
    _write_cover(cover, rubric, round_no, member, workbook_id)
    offices = rubric.offices_for(member) if member else rubric.offices
    sheet_names: list[tuple[Office, str]] = []
    for office in offices:
        sheet = workbook.create_sheet(sf.sheet_name(office.th, taken))
        _write_office(sheet, rubric, round_no, office, cover.title)
        sheet_names.append((office, sheet.title))
    identity = workbook.create_sheet(sf.IDENTITY_SHEET)
    _write_identity(identity, rubric, round_no, member, workbook_id, sheet_names)
    identity.sheet_state = "veryHidden"
    identity.protection.sheet = True
    # Sheets cannot be added, deleted, renamed or moved by accident.
    workbook.security = WorkbookProtection(lockStructure=True)
    return workbook


def _page_setup(sheet: Worksheet, *, landscape: bool = False) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    footer = sheet.oddFooter
    assert footer is not None  # openpyxl always creates it
    footer.center.text = "หน้า &P / &N"
    footer.center.font = FONT


def _protect(sheet: Worksheet) -> None:
    # No password: protection prevents accidents, it is not a secret (docs/sheet-format.md).
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _cell(
    sheet: Worksheet, ref: str, value: object, font: Font = BODY, *, formula: bool = False
) -> None:
    cell = sheet[ref]
    cell.value = value
    if isinstance(value, str) and not formula:
        cell.data_type = "s"  # a name such as "=1+1" is text, never a formula
    cell.font = font
    cell.alignment = WRAP


def _write_cover(
    sheet: Worksheet, rubric: Rubric, round_no: int, member: str | None, workbook_id: str
) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 70
    sheet.merge_cells("A1:B1")
    _cell(sheet, "A1", f"แบบประเมิน {rubric.contest.th} ปีงบประมาณ พ.ศ. {rubric.fiscal_year}", TITLE)
    labels = {
        "contest": ("การประกวด", rubric.contest.th),
        "fiscal_year": ("ปีงบประมาณ (พ.ศ.)", rubric.fiscal_year),
        "round": ("รอบการประเมิน", round_no),
        "member": ("ชื่อกรรมการผู้ประเมิน", member or ""),
        "format": ("รุ่นแบบฟอร์ม", sf.FORMAT_VERSION),
        "fingerprint": ("รหัสเกณฑ์ (fingerprint)", rubric.fingerprint),
        "workbook_id": ("รหัสไฟล์ (workbook id)", workbook_id),
    }
    for key, ref in sf.COVER_CELLS.items():
        label, value = labels[key]
        row = sheet[ref].row
        _cell(sheet, f"A{row}", label, BOLD)
        _cell(sheet, ref, value, BODY if key in ("contest", "fiscal_year", "round", "member") else SMALL)
        sheet[ref].border = BOX
        if isinstance(value, str):
            sheet[ref].number_format = "@"
    member_cell = sheet[sf.COVER_CELLS["member"]]
    if not member:
        member_cell.protection = UNLOCKED
        member_cell.fill = INPUT_FILL
        sheet[f"A{member_cell.row + 1}"].value = "← พิมพ์ชื่อ-สกุลของท่านในช่องสีเหลือง"
        sheet[f"A{member_cell.row + 1}"].font = SMALL
    guide = [
        "วิธีกรอกคะแนน",
        "1. แต่ละแผ่นงานคือหน่วยงานที่รับการประเมิน 1 แห่ง กรอกคะแนนในช่องสีเหลือง "
        "คอลัมน์ \"คะแนนที่ได้\" ทีละเกณฑ์",
        "2. พิมพ์เป็นตัวเลขเท่านั้น เช่น 4 หรือ 4.5 ไม่เกินคะแนนเต็มของเกณฑ์นั้น "
        f"ทศนิยมไม่เกิน {rubric.precision} ตำแหน่ง ห้ามพิมพ์หน่วย (เช่น \"5 คะแนน\") "
        "และห้ามใช้สูตร",
        "3. ช่องว่าง หมายถึง \"ยังไม่ได้ให้คะแนน\" ไม่ใช่ศูนย์ ถ้าต้องการให้ 0 คะแนน ให้พิมพ์ 0",
        "4. บันทึกหลักฐานเชิงประจักษ์หรือหมายเหตุในคอลัมน์สุดท้ายได้",
        "5. ห้ามเปลี่ยนชื่อ ย้าย หรือลบแผ่นงาน ผลรวมในไฟล์มีไว้ช่วยตรวจทานเท่านั้น "
        "โปรแกรมจะคำนวณใหม่ทุกครั้ง",
        "6. บันทึกเป็นไฟล์ .xlsx เท่านั้น แล้วส่งกลับ: "
        + (rubric.contest.submit_to_th or rubric.contest.organiser_th or "ผู้จัดการประกวด"),
    ]
    start = max(sheet[ref].row for ref in sf.COVER_CELLS.values()) + 2
    for offset, line in enumerate(guide):
        ref = f"A{start + offset}"
        sheet.merge_cells(f"{ref}:B{start + offset}")
        _cell(sheet, ref, line, BOLD if offset == 0 else BODY)
    fit_rows(sheet)
    _page_setup(sheet)
    sheet.page_setup.fitToHeight = 1  # the cover is one A4 portrait page
    _protect(sheet)


def _write_office(sheet: Worksheet, rubric: Rubric, round_no: int, office: Office, cover: str) -> None:
    widths = {"A": 14, "B": 34, "C": 60, "D": 11, "E": 12, "F": 34}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.merge_cells("A1:F1")
    _cell(
        sheet,
        "A1",
        f"{rubric.contest.th} ปีงบประมาณ พ.ศ. {rubric.fiscal_year} รอบที่ {round_no}",
        TITLE,
    )
    row = sf.OFFICE_ID_ROW
    _cell(sheet, f"A{row}", "หน่วยงาน", BOLD)
    sheet.merge_cells(f"B{row}:C{row}")
    _cell(sheet, f"B{row}", office.th, BOLD)
    _cell(sheet, f"{sf.OFFICE_ID_LABEL_COLUMN}{row}", "รหัสหน่วยงาน", SMALL)
    _cell(sheet, f"{sf.OFFICE_ID_COLUMN}{row}", office.id, SMALL)
    sheet[f"{sf.OFFICE_ID_COLUMN}{row}"].number_format = "@"
    _cell(sheet, f"A{row + 1}", "ผู้ประเมิน", BOLD)
    sheet.merge_cells(f"B{row + 1}:C{row + 1}")
    quoted = cover.replace("'", "''")
    _cell(sheet, f"B{row + 1}", f"='{quoted}'!{sf.COVER_CELLS['member']}&\"\"", formula=True)

    headers = ["ข้อ", "ประเด็นการประเมิน", "รายละเอียด (แนวทางการให้คะแนน)", "คะแนนเต็ม",
               "คะแนนที่ได้", "หลักฐานเชิงประจักษ์ / หมายเหตุ"]
    for column, text in zip("ABCDEF", headers, strict=True):
        ref = f"{column}{sf.HEADER_ROW}"
        _cell(sheet, ref, text, BOLD)
        sheet[ref].fill = HEAD_FILL
        sheet[ref].border = BOX
        sheet[ref].alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")

    row = sf.FIRST_DATA_ROW
    shown = number_format(rubric.precision)
    subtotal_refs: list[str] = []
    for dimension in rubric.dimensions:
        _cell(sheet, f"A{row}", f"ด้านที่ {dimension.id}", BOLD)
        sheet.merge_cells(f"B{row}:C{row}")
        _cell(sheet, f"B{row}", dimension.th, BOLD)
        _cell(sheet, f"D{row}", dimension.max, BOLD)
        for column in "ABCDEF":
            sheet[f"{column}{row}"].fill = DIM_FILL
            sheet[f"{column}{row}"].border = BOX
        row += 1
        first = row
        for criterion in dimension.criteria:
            _criterion_row(sheet, row, criterion.id, criterion.th, criterion.detail, criterion.max, shown)
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=plain(criterion.max),
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=True,
                promptTitle=f"เกณฑ์ {criterion.id}"[:32],
                prompt=f"พิมพ์คะแนน 0 ถึง {plain(criterion.max)} "
                f"(ทศนิยมไม่เกิน {rubric.precision} ตำแหน่ง) ช่องว่าง = ยังไม่ได้ให้คะแนน",
                errorTitle="คะแนนไม่ถูกต้อง",
                error=f"คะแนนของเกณฑ์ {criterion.id} ต้องเป็นตัวเลข 0 ถึง "
                f"{plain(criterion.max)}",
                errorStyle="stop",
            )
            sheet.add_data_validation(validation)
            validation.add(f"{sf.SCORE_COLUMN}{row}")
            row += 1
        _cell(sheet, f"B{row}", f"รวมด้านที่ {dimension.id}", BOLD)
        _cell(sheet, f"D{row}", dimension.max, BOLD)
        _cell(sheet, f"E{row}", f"=SUM(E{first}:E{row - 1})", BOLD, formula=True)
        sheet[f"E{row}"].number_format = shown
        subtotal_refs.append(f"E{row}")
        row += 1
    _cell(sheet, f"B{row}", "รวมทั้งสิ้น", BOLD)
    _cell(sheet, f"D{row}", rubric.total, BOLD)
    _cell(sheet, f"E{row}", "=" + "+".join(subtotal_refs), BOLD, formula=True)
    sheet[f"E{row}"].number_format = shown
    for column in "ABCDEF":
        sheet[f"{column}{row}"].fill = HEAD_FILL
        sheet[f"{column}{row}"].border = BOX
    for cells in sheet.iter_rows(min_row=sf.FIRST_DATA_ROW, max_row=row, min_col=4, max_col=5):
        for each in cells:
            each.alignment = NUMBER
    fit_rows(sheet)
    sheet.freeze_panes = f"A{sf.HEADER_ROW + 1}"
    sheet.print_title_rows = f"{sf.HEADER_ROW}:{sf.HEADER_ROW}"
    _page_setup(sheet, landscape=True)
    _protect(sheet)


def number_format(precision: int) -> str:
    """The Excel format that shows a score with the rubric's decimal places (``0``, ``0.00``)."""
    return "0." + "0" * precision if precision > 0 else "0"


def _criterion_row(
    sheet: Worksheet, row: int, cid: str, title: str, detail: Sequence[str], maximum: object, shown: str
) -> None:
    _cell(sheet, f"{sf.ID_COLUMN}{row}", cid)
    sheet[f"{sf.ID_COLUMN}{row}"].number_format = "@"
    _cell(sheet, f"{sf.TITLE_COLUMN}{row}", title)
    _cell(sheet, f"{sf.DETAIL_COLUMN}{row}", "\n".join(f"- {line}" for line in detail), SMALL)
    _cell(sheet, f"{sf.MAX_COLUMN}{row}", maximum)
    score = sheet[f"{sf.SCORE_COLUMN}{row}"]
    score.protection = UNLOCKED
    score.fill = INPUT_FILL
    score.font = BOLD
    score.number_format = shown
    notes = sheet[f"{sf.NOTES_COLUMN}{row}"]
    notes.protection = UNLOCKED
    notes.font = BODY
    notes.alignment = WRAP
    notes.number_format = "@"
    for column in "ABCDEF":
        sheet[f"{column}{row}"].border = BOX


def _write_identity(
    sheet: Worksheet,
    rubric: Rubric,
    round_no: int,
    member: str | None,
    workbook_id: str,
    sheets: Sequence[tuple[Office, str]],
) -> None:
    values: dict[str, str | int] = {
        "format": sf.FORMAT_VERSION,
        "fingerprint": rubric.fingerprint,
        "fiscal_year": rubric.fiscal_year,
        "round": round_no,
        "member": member or "",
        "workbook_id": workbook_id,
    }
    for row, key in enumerate(sf.IDENTITY_KEYS, start=1):
        sheet.cell(row=row, column=1, value=key)
        cell = sheet.cell(row=row, column=2, value=values[key])
        cell.number_format = "@"
        if isinstance(values[key], str):
            cell.data_type = "s"
    for offset, (office, name) in enumerate(sheets):
        row = len(sf.IDENTITY_KEYS) + 1 + offset
        sheet.cell(row=row, column=1, value=sf.IDENTITY_OFFICE_KEY)
        sheet.cell(row=row, column=2, value=office.id)
        sheet.cell(row=row, column=3, value=name).data_type = "s"


__all__ = ["Planned", "build_workbook", "check_round", "member_names", "number_format", "plan", "write_templates"]
