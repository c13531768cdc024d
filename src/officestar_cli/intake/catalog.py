"""The catalog of Issue codes: for each, its severity and its message in Thai and English.

``docs/issues.md`` lists the same codes with their fixes; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Entry:
    severity: Severity
    th: str
    en: str


# Message templates take the Issue's fields and ``extra`` keys with str.format.
CATALOG: dict[str, Entry] = {
    # container
    "not-a-file": Entry("error", "ไม่ใช่ไฟล์ (เป็นโฟลเดอร์หรืออุปกรณ์)", "not a file (a folder or a device)"),
    "unreadable-file": Entry("error", "เปิดอ่านไฟล์ไม่ได้ ({reason})", "cannot read the file ({reason})"),
    "lock-file": Entry(
        "warning",
        "ข้ามไฟล์ล็อกของ Excel (~$) ที่เกิดขณะเปิดไฟล์ค้างไว้ ไม่ใช่แบบประเมิน",
        "skipped an Excel lock file (~$), left while a workbook is open; it is not a score workbook",
    ),
    "apple-double": Entry(
        "warning",
        "ข้ามไฟล์ ._ ที่เครื่อง Mac สร้างไว้คู่กับไฟล์จริง ไม่ใช่แบบประเมิน",
        "skipped a macOS AppleDouble file (._), which a Mac writes beside the real file; not a score workbook",
    ),
    "hidden-file": Entry(
        "warning",
        "ข้ามไฟล์ซ่อน (ชื่อขึ้นต้นด้วยจุด) ไม่ใช่แบบประเมิน",
        "skipped a hidden file (its name starts with a dot); not a score workbook",
    ),
    "sub-folder": Entry(
        "warning",
        "ไม่ได้เปิดดูโฟลเดอร์ย่อยนี้ ถ้ามีแบบประเมินอยู่ข้างใน ให้ระบุโฟลเดอร์นี้ในคำสั่งด้วย",
        "this sub-folder was not entered; if it holds score workbooks, give it on the command line too",
    ),
    "report-file": Entry(
        "warning",
        "ข้ามรายงานที่ officestar สร้างเอง ไม่ใช่แบบประเมินของกรรมการ",
        "skipped a report officestar wrote itself; not a member's score workbook",
    ),
    "not-a-workbook": Entry(
        "error", "ไม่ใช่ไฟล์ Excel (.xlsx) ({reason})", "not an Excel workbook (.xlsx) ({reason})"
    ),
    "legacy-format": Entry(
        "error",
        "เป็นไฟล์รูปแบบ {kind} กรุณาเปิดแล้วบันทึกเป็น .xlsx (Excel Workbook) แล้วส่งใหม่",
        "this is a {kind} file; open it and save as .xlsx (Excel Workbook), then send it again",
    ),
    "encrypted-workbook": Entry(
        "error",
        "ไฟล์ถูกตั้งรหัสผ่าน กรุณาเอารหัสผ่านออก (ไฟล์ › ข้อมูล › ป้องกันเวิร์กบุ๊ก) แล้วบันทึกใหม่",
        "the workbook is password-encrypted; remove the password (File › Info › Protect Workbook) "
        "and save again",
    ),
    "corrupt-workbook": Entry(
        "error", "ไฟล์เสียหรือไม่สมบูรณ์ ({reason})", "the workbook is damaged or incomplete ({reason})"
    ),
    "unsafe-xml": Entry(
        "error",
        "ไฟล์มีคำสั่ง XML ที่ไม่ปลอดภัย (DOCTYPE/entity) ใน {part} จึงไม่อ่าน",
        "the workbook contains unsafe XML (DOCTYPE/entity) in {part}; it was not read",
    ),
    "too-large": Entry(
        "error",
        "ไฟล์ใหญ่หรือซับซ้อนเกินขีดจำกัด ({reason}) แบบประเมินปกติมีขนาดเล็กกว่านี้มาก",
        "the workbook exceeds a limit ({reason}); a score workbook is far smaller",
    ),
    # identity
    "not-a-score-sheet": Entry(
        "error",
        "ไม่ใช่แบบประเมินของ officestar (ไม่พบข้อมูลประจำไฟล์) ให้ใช้ไฟล์จาก officestar template",
        "not an officestar score workbook (no identity found); use a file from officestar template",
    ),
    "identity-from-cells": Entry(
        "warning",
        "ไม่พบแผ่นงานข้อมูลประจำไฟล์ที่ซ่อนไว้ (โปรแกรมที่ใช้บันทึกอาจลบหรือแสดงไว้) "
        "จึงใช้ข้อมูลจากหน้าปกแทน",
        "the hidden identity sheet is gone or no longer very hidden (the program that saved the "
        "file may have changed it); the cover's locked cells were used instead",
    ),
    "identity-mismatch": Entry(
        "error",
        "ข้อมูลประจำไฟล์ไม่ตรงกัน: {field} ในแผ่นงานซ่อนเป็น {expected} แต่หน้าปกเป็น {value}",
        "the identity disagrees: {field} is {expected} in the hidden sheet but {value} on the cover",
    ),
    "unknown-format": Entry(
        "error",
        "รุ่นแบบฟอร์ม {value} ไม่รองรับ (รองรับ {expected})",
        "format version {value} is not supported (expected {expected})",
    ),
    "wrong-rubric": Entry(
        "error",
        "ไฟล์นี้สร้างจากเกณฑ์อื่น (รหัสเกณฑ์ {value}) ไม่ใช่เกณฑ์ปัจจุบัน ({expected}) {differences} "
        "ให้ใช้ --rubric กับไฟล์เกณฑ์ที่ใช้สร้าง หรือส่งแบบประเมินใหม่จาก officestar template",
        "made from another rubric (fingerprint {value}, this rubric is {expected}) {differences}; pass the "
        "rubric it was made from with --rubric, or send the member a new workbook from officestar template",
    ),
    "wrong-fiscal-year": Entry(
        "error",
        "เป็นแบบประเมินปีงบประมาณ {value} แต่เกณฑ์เป็นปี {expected}",
        "a workbook of fiscal year {value}, but the rubric is for {expected}",
    ),
    "wrong-round": Entry(
        "error", "เป็นแบบประเมินรอบที่ {value} ไม่ใช่รอบที่ {expected}", "a workbook of round {value}, not round {expected}"
    ),
    "unknown-member": Entry(
        "error",
        "กรรมการ {value} ไม่อยู่ในรายชื่อคณะกรรมการของเกณฑ์ ชื่อที่ใกล้เคียง: {expected} "
        "แก้ชื่อที่หน้าปกช่อง {cell} หรือเพิ่มชื่อใน committee ของ rubric.yaml",
        "member {value} is not on the rubric's committee; closest names: {expected}. "
        "Correct the name on the cover, cell {cell}, or add it to the committee in rubric.yaml",
    ),
    "missing-member-name": Entry(
        "error",
        "ไม่มีชื่อกรรมการผู้ประเมิน ให้กรอกชื่อที่หน้าปกช่อง {cell}",
        "no committee member name; type it on the cover, cell {cell}",
    ),
    # structure
    "missing-office": Entry(
        "error",
        "ไม่พบแผ่นงานของหน่วยงาน {value} (อาจถูกลบ) ให้ใช้ไฟล์เดิมจาก officestar template",
        "no sheet for office {value} (deleted?); use the original file from officestar template",
    ),
    "duplicate-office": Entry(
        "error",
        "หน่วยงาน {value} มีมากกว่าหนึ่งแผ่นงาน ({expected})",
        "office {value} appears on more than one sheet ({expected})",
    ),
    "unknown-sheet": Entry(
        "warning", "แผ่นงานนี้ไม่ใช่ส่วนหนึ่งของแบบประเมิน จึงไม่อ่าน", "this sheet is not part of the score workbook; ignored"
    ),
    "missing-criterion": Entry(
        "error",
        "ไม่พบแถวเกณฑ์ {value} ในคอลัมน์ A (อาจถูกลบหรือแก้ไข)",
        "no row for criterion {value} in column A (deleted or edited?)",
    ),
    "duplicate-criterion": Entry(
        "error",
        "เกณฑ์ {value} มีมากกว่าหนึ่งแถว ({expected})",
        "criterion {value} appears on more than one row ({expected})",
    ),
    "office-not-scored": Entry(
        "warning",
        "ยังไม่ได้ให้คะแนนหน่วยงานนี้เลย (ช่องคะแนนว่างทั้งหมด) จะนับว่ากรรมการท่านนี้ไม่ได้ประเมินหน่วยงานนี้",
        "no score at all for this office (every score cell is blank); counted as not scored by this member",
    ),
    "merged-score": Entry(
        "error",
        "ช่องคะแนนถูกผสานเซลล์ ({value}) ให้ยกเลิกการผสานเซลล์แล้วกรอกคะแนนใหม่",
        "the score cell is merged ({value}); unmerge it and type the score again",
    ),
    "stray-value": Entry(
        "warning",
        "มีข้อมูลนอกพื้นที่แบบประเมิน ({value}) ซึ่งไม่ถูกนำมาคิดคะแนน",
        "a value outside the score area ({value}) is not counted",
    ),
    # cells
    "blank-score": Entry(
        "error",
        "ยังไม่ได้ให้คะแนน (ช่องว่างไม่ใช่ศูนย์) ถ้าต้องการให้ 0 ให้พิมพ์ 0",
        "not scored (a blank is not a zero); type 0 if 0 is meant",
    ),
    "not-a-number": Entry(
        "error",
        "คะแนนต้องเป็นตัวเลข เช่น 4 หรือ 4.5 {hint}",
        "the score must be a number such as 4 or 4.5 {hint}",
    ),
    "score-above-max": Entry(
        "error", "คะแนน {value} เกินคะแนนเต็ม {expected}", "score {value} is above the maximum {expected}"
    ),
    "negative-score": Entry("error", "คะแนนติดลบ ({value}) ไม่ได้", "score {value} is negative"),
    "too-many-decimals": Entry(
        "error",
        "คะแนน {value} มีทศนิยมเกิน {expected} ตำแหน่ง",
        "score {value} has more than {expected} decimals",
    ),
    "formula-in-score": Entry(
        "error",
        "ช่องคะแนนเป็นสูตร ({value}) ให้พิมพ์ตัวเลขคะแนนแทน",
        "the score cell holds a formula ({value}); type the number instead",
    ),
    "display-differs": Entry(
        "error",
        "ช่องคะแนนจัดรูปแบบเป็น {kind} จึงแสดง {shown} แต่ค่าที่บันทึกจริงคือ {value} "
        "ให้เปลี่ยนรูปแบบเซลล์เป็นตัวเลขทั่วไปแล้วพิมพ์คะแนนใหม่",
        "the score cell is formatted as {kind}, so it shows {shown} while the value recorded would be "
        "{value}; set the cell's format to a plain number and type the score again",
    ),
    "rounded-display": Entry(
        "warning",
        "ช่องคะแนนแสดง {shown} แต่ค่าที่บันทึกคือ {value} (รูปแบบเซลล์ปัดเศษทศนิยม) "
        "ถ้าไม่ใช่คะแนนที่ตั้งใจ ให้แก้แล้วส่งใหม่",
        "the score cell shows {shown} but holds {value} (its format rounds the decimals); if that is "
        "not the score meant, correct it and send the file again",
    ),
    "number-as-text": Entry(
        "warning",
        "คะแนน {value} ถูกพิมพ์เป็นข้อความ จึงรับเป็น {expected} แต่ผลรวมในไฟล์ของกรรมการจะไม่นับช่องนี้",
        "the score {value} was typed as text and read as {expected}; the workbook's own subtotals "
        "leave this cell out",
    ),
    "scores-moved": Entry(
        "error",
        "ช่องคะแนนว่าง แต่พบคะแนนในคอลัมน์หมายเหตุข้างเคียง ({value}) อาจเกิดจากการแทรกเซลล์แล้วเลื่อนไปทางขวา "
        "ให้ย้ายคะแนนกลับมาที่คอลัมน์ {expected}",
        "the score cells are blank but scores stand in the notes column beside them ({value}), as "
        "after inserting cells and shifting right; move the scores back into column {expected}",
    ),
    "criterion-moved": Entry(
        "error",
        "แถวเกณฑ์ {value} ถูกเลื่อนลงไปอยู่ที่ {cell} (มีการแทรกแถวจำนวนมาก) ให้ลบแถวที่แทรกไว้ออก "
        "หรือใช้ไฟล์เดิมจาก officestar template",
        "the row of criterion {value} has moved down to {cell} (many rows were inserted); delete the "
        "inserted rows or use the original file from officestar template",
    ),
    "invisible-member-name": Entry(
        "error",
        "ชื่อกรรมการ ({value}) มีแต่อักขระที่มองไม่เห็น ให้พิมพ์ชื่อจริงที่หน้าปกช่อง {cell}",
        "the member name ({value}) holds only invisible characters; type the real name on the cover, "
        "cell {cell}",
    ),
    "illegal-identity-character": Entry(
        "error",
        "ข้อมูลประจำไฟล์ ({field}) ในช่อง {cell} มีอักขระที่ไฟล์ Excel เก็บไม่ได้ (เช่น อักขระควบคุม) "
        "จึงไม่บันทึกไฟล์นี้ ให้ใช้ไฟล์เดิมจาก officestar template หรือพิมพ์ช่องนี้ใหม่",
        "the identity field {field} in cell {cell} holds a character a workbook cannot hold (such as a "
        "control character); the file is not recorded: use the original file from officestar template or type "
        "the cell again",
    ),
    "illegal-character": Entry(
        "warning",
        "หมายเหตุในช่อง {cell} มีอักขระที่ไฟล์ Excel เก็บไม่ได้ (เช่น อักขระควบคุม) จึงบันทึกเป็น U+FFFD แทนอักขระนั้น",
        "the note in cell {cell} held a character a workbook cannot hold (such as a control character); it is "
        "recorded with U+FFFD in its place",
    ),
    # across files and the store
    "duplicate-member": Entry(
        "error",
        "กรรมการ {value} ส่งแบบประเมินรอบนี้มากกว่าหนึ่งชุด ({expected}) จึงไม่บันทึก",
        "member {value} has more than one workbook this round ({expected}); not recorded",
    ),
    "correction-rejected": Entry(
        "warning",
        "กรรมการ {value} ส่งฉบับแก้ไขนี้หลังฉบับที่นับอยู่ แต่ฉบับแก้ไขถูกปฏิเสธ จึงยังนับคะแนนจากฉบับเดิม ({expected}) "
        "แก้ข้อผิดพลาดในฉบับแก้ไขแล้วรัน officestar score ใหม่",
        "member {value} sent this correction after the copy that counts, but it was rejected, so the "
        "scores still come from the earlier copy ({expected}). Fix the correction and score it again",
    ),
    "recorded-superseded": Entry(
        "warning",
        "ไฟล์นี้บันทึกไว้แล้วแต่มีฉบับใหม่กว่าแทนที่ จึงไม่นับ หากต้องการนับฉบับนี้อีก: officestar restore {value}",
        "this file is recorded already but a newer copy replaced it, so it does not count; to count it "
        "again: officestar restore {value}",
    ),
    "recorded-withdrawn": Entry(
        "warning",
        "ไฟล์นี้บันทึกไว้แล้วแต่ถูกถอนออกจากรอบ จึงไม่นับ หากต้องการนับอีก: officestar restore {value}",
        "this file is recorded already but was withdrawn from the round, so it does not count; to count "
        "it again: officestar restore {value}",
    ),
    "excused-score": Entry(
        "warning",
        "กรรมการ {value} ได้รับการงดเว้นการประเมินหน่วยงานนี้ ({expected}) คะแนนที่กรอกในชีตนี้จึงไม่นับ",
        "member {value} is excused from this office ({expected}); the scores entered on this sheet "
        "do not count",
    ),
    "not-on-committee": Entry(
        "warning",
        "กรรมการ {value} ไม่อยู่ในคณะกรรมการของเกณฑ์ (บันทึกไว้ก่อนระบุหรือแก้ committee) คะแนนในไฟล์นี้จึงไม่นับ",
        "member {value} is not on the rubric's committee (recorded before the committee was declared or "
        "changed); the scores in this file do not count",
    ),
    "conflicting-copies": Entry(
        "error",
        "ไฟล์ชุดเดียวกัน (รหัสไฟล์ {value}) มีหลายฉบับที่ต่างกันในการรันครั้งนี้: {copies} "
        "จึงไม่บันทึกสักฉบับ {advice}",
        "different copies of one workbook (id {value}) in this run: {copies}; none was "
        "recorded. {advice}",
    ),
    "same-file-twice": Entry(
        "warning",
        "ไฟล์เดียวกันถูกระบุซ้ำ ({expected}) จะบันทึกครั้งเดียว",
        "the same file was given twice ({expected}); recorded once",
    ),
    "store-cannot-hold": Entry(
        "error",
        "บันทึกค่านี้ลงฐานข้อมูลไม่ได้ ({reason}) แก้ช่องนี้แล้วส่งใหม่",
        "the store cannot hold this value ({reason}); correct the cell and send the workbook again",
    ),
    "store-rubric-mismatch": Entry(
        "error",
        "ฐานข้อมูลรอบนี้บันทึกด้วยเกณฑ์ {expected} แต่ไฟล์นี้ใช้เกณฑ์ {value} จึงไม่บันทึก "
        "ฐานข้อมูลเก็บไว้เพียงรหัสเกณฑ์ ไม่ได้เก็บเนื้อหาของเกณฑ์ จึงบอกไม่ได้ว่าต่างกันที่ข้อใด "
        "ให้ใช้ --rubric กับไฟล์เกณฑ์ที่มีรหัส {expected} และแบบประเมินที่สร้างจากเกณฑ์นั้น "
        "หรือถ้าตั้งใจเปลี่ยนเกณฑ์ ให้ใช้ --store ไฟล์ใหม่",
        "the store holds this round under rubric {expected}, but this workbook uses {value}; not recorded. "
        "The store keeps only the fingerprint, not the rubric itself, so it cannot say what differs: pass "
        "the rubric whose fingerprint is {expected} with --rubric and workbooks made from it, or, if the "
        "rubric really changed, start a new store with --store",
    ),
}
