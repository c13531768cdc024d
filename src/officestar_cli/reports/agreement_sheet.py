"""The Excel report's agreement sheet: the figures, the flagged cells, the members (docs/agreement.md).

Each flag links to its member's row for that office in the sources sheet, where
the file, sheet and cells of every score are listed.
"""

from __future__ import annotations

from typing import Any

from officestar_cli.reports.agreement_report import agreement_of, figure_rows, reason_lines, standing_text
from officestar_cli.reports.excel import cells as x
from officestar_cli.reports.excel.sources import source_rows
from officestar_cli.reports.wording import DASH, tr
from officestar_cli.scoring.aggregate import METHODS, RoundResult
from officestar_cli.scoring.agreement import four, notes

LINK = x.Font(colour="0563C1")
def _figure(text: str) -> float | str:
    """A figure as a number (as shown: four decimals), a dash when not computed."""
    return text if text == DASH else float(text)


def agreement_sheet(workbook: Any, styles: x.Styles, result: RoundResult, lang: str, sources: str) -> x.Sheet:
    """Add the agreement sheet to the report ``workbook``; ``sources`` is the sources sheet's name."""

    def t(th: str, en: str) -> str:
        return tr(lang, th, en)

    sheet = x.Sheet(workbook, styles, t("ความสอดคล้อง", "Agreement"), result, lang)
    found = agreement_of(result)
    columns = [t("คะแนนรวม", "Total"), *(t(f"ด้าน {d}", f"Dim. {d}") for d in found.dimensions)]
    width = max(10, len(columns) + 1)
    sheet.widths([26, 26, 22, 10, 16, 10, 10, 14, 16, 20])
    sheet.title(1, t("ความสอดคล้องของกรรมการ", "Committee agreement"), width)
    sheet.title(
        2,
        t(
            f"กรรมการ {found.total.n_members} คน หน่วยงานที่ประเมินครบ {found.total.n_offices} แห่ง · ด้านเป็นสัดส่วน"
            "ของคะแนนเต็ม · SEM และ MDC95 ของคะแนนรวมเป็นคะแนน · ช่วงความเชื่อมั่น: คำสั่ง officestar agreement",
            f"{found.total.n_members} member(s), {found.total.n_offices} office(s) scored completely · dimensions "
            "as shares of their maximum · the total's SEM and MDC95 in points · intervals: officestar agreement",
        ),
        width,
        x.BODY,
    )
    row = 4
    sheet.header(row, [t("ตัวเลข", "Figure"), *columns])
    for name, values in figure_rows(found):
        row += 1
        sheet.put(row, 1, name, x.BOLD)
        for column, text in enumerate(values, start=2):
            sheet.put(row, column, _figure(text))
    row += 1
    for line in [tr(lang, th, en) for th, en in notes(found.total)] + [
        t("ไม่คำนวณ: ", "Not computed: ") + text for text in reason_lines(found, lang)
    ]:
        row += 1
        sheet.title(row, line, width, x.MUTED)
    row += 2
    sheet.title(row, t("คะแนนที่ควรสอบถามกรรมการ", "Scores to ask the member about"), width, x.BOLD)
    row += 1
    labels = [
        t("กรรมการ", "Member"), t("ไฟล์", "File"), t("แผ่นงาน", "Sheet"), t("เซลล์", "Cell"),
        t("หน่วยงาน", "Office"), t("ข้อ", "Criterion"), t("คะแนน", "Score"),
        t("มัธยฐานของคนอื่น", "Others' median"), "Dixon Q", t("ไปยังแถวที่มา", "Go to the source row"),
    ]
    for column, label in enumerate(labels, start=1):
        sheet.put(row, column, label, x.BOLD, x.HEAD_FILL, x.CENTRE)
    rows_of = source_rows(result)
    if not found.flags:
        row += 1
        sheet.title(row, t("ไม่มีคะแนนที่ห่างจากมัธยฐานของกรรมการคนอื่นเกินเกณฑ์",
                           "No score is far from the other members' median"), width, x.BODY)
    for flag in found.flags:
        row += 1
        dixon = DASH if flag.dixon_q is None else float(four(flag.dixon_q) or 0)
        cells: list[x.Value] = [
            flag.member, flag.file, flag.sheet or DASH, flag.cell or DASH, flag.office_id,
            flag.criterion_id, float(four(flag.value) or 0), float(four(flag.others_median) or 0), dixon,
        ]
        for column, value in enumerate(cells, start=1):
            sheet.put(row, column, value, x.BOLD if column == 4 else x.BODY)
        target = rows_of.get((flag.office_id, flag.member))
        if target is not None:
            quoted = sources.replace("'", "''")
            text = t(f"{sources} แถว {target}", f"{sources} row {target}")
            sheet.put(row, 10, text, LINK)  # the text and its format; then the link over it
            sheet.ws.write_url(row - 1, 9, f"internal:'{quoted}'!A{target}", sheet.styles.get(LINK),
                               string=text)
    if found.members_summary:
        row += 2
        sheet.title(row, t("กรรมการแต่ละคน", "Each member"), width, x.BOLD)
        row += 1
        for column, label in enumerate(
            [t("กรรมการ", "Member"), t("ความเข้มงวด (คะแนน)", "Leniency (points)"),
             t("สหสัมพันธ์กับคนอื่น", "Correlation with the others"), t("ต่ำกว่า 0.3", "Below 0.3")], start=1
        ):
            sheet.put(row, column, label, x.BOLD, x.HEAD_FILL, x.CENTRE)
        for member in found.members_summary:
            row += 1
            sheet.put(row, 1, member.member)
            sheet.put(row, 2, _figure(four(member.leniency) or DASH))
            sheet.put(row, 3, _figure(four(member.correlation) or DASH))
            sheet.put(row, 4, t("ควรตรวจ", "check") if member.flagged else "")
    row += 2
    sheet.title(row, t("หน่วยงานที่ผลเปลี่ยนตามวิธีรวมคะแนน", "Offices whose result depends on the method"),
                width, x.BOLD)
    row += 1
    if not found.method_sensitivity:
        sheet.title(row, t("ไม่มีหน่วยงานใดเปลี่ยนระดับหรืออันดับตามวิธีรวมคะแนน",
                           "No office changes tier or rank with the method"), width, x.BODY)
        return sheet
    for column, label in enumerate([t("หน่วยงาน", "Office"), *METHODS], start=1):
        sheet.put(row, column, label, x.BOLD, x.HEAD_FILL, x.CENTRE)
    for item in found.method_sensitivity:
        row += 1
        sheet.put(row, 1, result.rubric.office_by_id[item.office_id].title(lang))
        for column, method in enumerate(METHODS, start=2):
            standing = item.by_method[method]
            sheet.put(row, column, DASH if standing is None else standing_text(standing, lang))
    return sheet


__all__ = ["agreement_sheet"]
