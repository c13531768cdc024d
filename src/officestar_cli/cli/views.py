"""Human views of the results of ``officestar_cli.api``, kept apart from the commands.

Where each goes follows the rule in ``cli/terminal.py``: a command's result on
stdout, status lines and messages on stderr.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from officestar_cli.base.dates import thai_date
from officestar_cli.base.decimals import plain
from officestar_cli.cli.options import METHOD_NAMES
from officestar_cli.cli.terminal import Ui, escaped, shown_path
from officestar_cli.intake.changes import Change
from officestar_cli.intake.issues import Issue, display_value
from officestar_cli.rubric.load import PACKAGED
from officestar_cli.rubric.model import Rubric, Zone
from officestar_cli.scoring.exact import fmt, shown

if TYPE_CHECKING:  # types only: a view imports no more than the command it shows needs
    from officestar_cli.api.results import HistoryResult
    from officestar_cli.intake.batch import FileResult
    from officestar_cli.scoring.aggregate import RoundResult



def rubric_note(ui: Ui, rubric: Rubric) -> None:
    """One line on stderr naming the rubric used, when it is not ./rubric.yaml."""
    import os

    if rubric.source == PACKAGED:
        ui.say("เกณฑ์ที่ใช้: เกณฑ์ที่มากับโปรแกรม", "Rubric: the one packaged with officestar")
        return
    try:
        local = os.path.samefile(rubric.source, "rubric.yaml")
    except OSError:
        local = False
    if not local:
        ui.say(f"เกณฑ์ที่ใช้: {shown_path(rubric.source)}", f"Rubric: {shown_path(rubric.source)}")


def method_title(method: str, lang: str) -> str:
    th, en = METHOD_NAMES.get(method, (method, method))
    return th if lang == "th" else en


def show_rubric(ui: Ui, rubric: Rubric) -> None:
    """The rubric on stdout: its criteria with maxima and sums, then its settings."""
    t = ui.t
    title = (f"{rubric.title(ui.lang)} · {t('ปีงบประมาณ', 'FY')} {rubric.fiscal_year} · "
             f"{t('รอบที่', 'round')} {rubric.round}")
    rows: list[list[Any]] = []
    grand = Decimal(0)
    for dimension in rubric.dimensions:
        crit_sum = sum((c.max for c in dimension.criteria), Decimal(0))
        grand += dimension.max
        rows.append([(dimension.id, "bold"), (dimension.title(ui.lang), "bold"), plain(dimension.max),
                     plain(crit_sum)])
        for criterion in dimension.criteria:
            rows.append([f"  {criterion.id}", f"  {criterion.title(ui.lang)}", plain(criterion.max), ""])
    rows.append(["", (t("รวมทั้งสิ้น", "Total"), "bold"), plain(rubric.total), plain(grand)])
    ui.table([t("ข้อ", "id"), t("ด้าน / เกณฑ์", "dimension / criterion"), t("คะแนนเต็ม", "max"),
              t("ผลรวมเกณฑ์", "criteria sum")], rows, out=True, title=title, right=(2, 3))
    tiers = " · ".join(f"{tier.title(ui.lang)} ≥ {plain(tier.min)}" for tier in rubric.tiers)
    say = ui.line
    say(f"{t('ระดับ', 'Tiers')}: {tiers} · {t('ต่ำกว่านั้น', 'below')}: {rubric.no_tier.title(ui.lang)}", out=True)
    say(f"{t('หน่วยงาน', 'Offices')} ({len(rubric.offices)}): " + ", ".join(o.title(ui.lang) for o in rubric.offices),
        out=True)
    say(f"{t('วิธีรวมคะแนน', 'Method')}: {method_title(rubric.aggregation, ui.lang)} · "
        f"{t('ทศนิยม', 'decimals')}: {rubric.precision}", out=True)
    show_zones(ui, rubric)
    show_committee(ui, rubric)
    source = t("เกณฑ์ที่มากับโปรแกรม", "the rubric packaged with officestar") if rubric.source == PACKAGED \
        else shown_path(rubric.source)
    say(f"{t('ไฟล์เกณฑ์', 'Rubric file')}: {source}", out=True)
    say(f"fingerprint: {rubric.short_fingerprint}", out=True, style="bold")


def _zone_title(zone: Zone, lang: str) -> str:
    return zone.th if lang == "th" else zone.en


def show_zones(ui: Ui, rubric: Rubric) -> None:
    """Each zone with its offices, on stdout (nothing when the rubric has no zones)."""
    if not rubric.zones:
        return
    t = ui.t
    rows = [
        [zone.id, _zone_title(zone, ui.lang),
         ", ".join(o.title(ui.lang) for o in rubric.offices if o.zone == zone.id) or "—"]
        for zone in rubric.zones
    ]
    ui.table([t("รหัสโซน", "zone id"), t("โซน", "zone"), t("หน่วยงานในโซน", "offices in the zone")], rows,
             out=True, title=t(f"โซน ({len(rubric.zones)})", f"Zones ({len(rubric.zones)})"))


def show_committee(ui: Ui, rubric: Rubric) -> None:
    """Each committee member with what they score: their zones and offices, or every office."""
    t = ui.t
    if not rubric.committee:
        ui.line(t("คณะกรรมการ: เกณฑ์ไม่ได้ระบุ ใส่ชื่อกรรมการด้วย --evaluator เมื่อสร้างแบบประเมิน",
                  "Committee: none declared; name the members with --evaluator when writing the workbooks"),
                out=True)
        return
    zones = {z.id: z for z in rubric.zones}
    rows: list[list[Any]] = []
    for member in rubric.committee:
        parts = []
        if member.zones:
            named = ", ".join(_zone_title(zones[z], ui.lang) if z in zones else z for z in member.zones)
            parts.append(t(f"โซน {named}", f"zones {named}"))
        if member.offices:
            by_id = rubric.office_by_id
            named = ", ".join(by_id[o].title(ui.lang) if o in by_id else o for o in member.offices)
            parts.append(t(f"หน่วยงาน {named}", f"offices {named}"))
        scored = rubric.offices_for(member.name)
        assigned = " · ".join(parts) if parts else t("ทุกหน่วยงาน", "every office")
        rows.append([member.name, assigned, str(len(scored))])
    ui.table([t("กรรมการ", "member"), t("ให้คะแนน", "scores"), t("จำนวนหน่วยงาน", "offices")], rows, out=True,
             title=t(f"คณะกรรมการ ({len(rubric.committee)} คน)", f"Committee ({len(rubric.committee)})"), right=(2,))


STATUS = {
    "ok": ("ผ่าน", "OK", "green"),
    "rejected": ("ไม่ผ่าน", "rejected", "red"),
    "skipped": ("ข้าม", "skipped", "yellow"),
    "recorded": ("บันทึกแล้ว", "recorded", "green"),
    "unchanged": ("บันทึกไว้แล้ว (ไม่เปลี่ยน)", "already recorded", "cyan"),
}


def show_issues(ui: Ui, issues: Sequence[Issue], *, out: bool) -> None:
    """Issues as a table: where (file › sheet › cell), code, the value found, the message."""
    t = ui.t
    rows = []
    for found in issues:
        where = ui.sep.join(x for x in (shown_path(found.file), found.sheet, found.cell) if x)
        rows.append([where, (found.code, "red" if found.is_error else "yellow"), display_value(found.value),
                     found.message(ui.lang)])
    ui.table([t("ตำแหน่ง", "where"), t("รหัส", "code"), t("ค่าที่พบ", "value"), t("รายละเอียด", "message")],
             rows, out=out)


def change_lines(ui: Ui, found: Sequence[Change]) -> list[str]:
    """What a correction changed, one line each: office, criterion, cell, old → new."""
    from officestar_cli.reports.changes import change_text

    return [change_text(change, ui.lang, ui.arrow) for change in found]


def show_files(ui: Ui, results: Sequence[FileResult], *, out: bool) -> None:
    """Per file: its status line, then its issues; then a summary line.

    ``check``'s result, so on stdout for it (``out``); while ``score`` records, status on stderr.
    """
    t = ui.t
    pending: list[str] = []  # status lines since the last issue table, written at once

    def flush() -> None:
        if pending:
            ui.stream(out).write(escaped("\n".join(pending)) + "\n")
            pending.clear()

    for result in results:
        reading = result.reading
        th, en, _ = STATUS[result.status]
        label = t(th, en)
        if result.supersedes:
            label += t(f" (แทนฉบับ {result.supersedes[:8]})", f" (supersedes {result.supersedes[:8]})")
        who = f" · {reading.member}" if reading.member else ""
        pending.append(f"{label}  {shown_path(reading.file)}{who}")
        pending.extend(f"    {line}" for line in change_lines(ui, result.changes))
        if not reading.issues:
            continue
        flush()
        show_issues(ui, reading.issues, out=out)
    flush()
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    issues = sum(len(r.reading.issues) for r in results)
    errors = sum(r.reading.errors for r in results)
    parts = [f"{t(STATUS[k][0], STATUS[k][1])} {v}" for k, v in counts.items()]
    ui.line(
        t(f"สรุป: {len(results)} ไฟล์ · ", f"Summary: {len(results)} file(s) · ")
        + " · ".join(parts)
        + t(f" · ปัญหา {issues} รายการ (ข้อผิดพลาด {errors})", f" · {issues} issue(s), {errors} error(s)"),
        out=out, style="bold",
    )


TIER_STYLES = ("bold green", "green", "cyan")


def show_ranking(ui: Ui, result: RoundResult, *, provisional: bool) -> None:
    """The ranking on stdout, then the KPI line, in the rubric's precision as the reports print it."""
    from officestar_cli.reports.wording import rank_text, zone_rank_text

    t = ui.t
    rubric = result.rubric
    title = (
        f"{rubric.title(ui.lang)} · {t('ปีงบประมาณ', 'FY')} {result.fiscal_year} · "
        f"{t('รอบที่', 'round')} {result.round} · {t('วิธี', 'method')} {method_title(result.method, ui.lang)}"
    )
    if provisional:
        title += t(" · ผลเบื้องต้น (ยังไม่ครบ)", " · PROVISIONAL")
    counting = result.method != "mean"  # median and trimmed count some members only: say how many
    headers = [t("อันดับ", "Rank"), t("หน่วยงาน", "Office"), t("คะแนนรวม", "Total"), t("ระดับ", "Tier"),
               t("กรรมการ (นับ/ให้คะแนน)", "Members (counted/scored)") if counting else t("กรรมการ", "Members")]
    zones = {z.id: z for z in rubric.zones}
    if zones:
        headers += [t("โซน", "Zone"), t("อันดับในโซน", "Zone rank")]
    tier_index = {tier: i for i, tier in enumerate(rubric.tiers)}
    rows: list[list[Any]] = []
    for office in result.offices:
        if office.complete and office.shown is not None:
            total = fmt(office.shown, rubric.precision)
            tier = office.tier.title(ui.lang) if office.tier else rubric.no_tier.title(ui.lang)
            style = TIER_STYLES[min(tier_index[office.tier], 2)] if office.tier else "dim"
        else:
            total = "—"
            missing = ", ".join(office.missing) or "-"
            tier = t(f"ยังไม่ครบ (ขาด: {missing})", f"incomplete (missing: {missing})")
            style = "yellow"
        members = f"{len(office.counted)}/{len(office.scored)}" if counting else str(len(office.scored))
        # Ranks print as the reports print them: a shared rank is the same number on each office.
        cells: list[Any] = [rank_text(office), office.office.title(ui.lang), total, (tier, style), members]
        if zones:
            zone = zones.get(office.office.zone or "")
            cells += [zone.th if zone and ui.lang == "th" else zone.en if zone else "—", zone_rank_text(office)]
        rows.append(cells)
    ui.table(headers, rows, out=True, title=title, right=(0, 2, 4, 6))
    precision = rubric.precision
    ui.line(
        t(
            f"ประเมินครบ {percent(result.evaluated_share, precision)} · ได้รับระดับ "
            f"{percent(result.honoured_share, precision)} (เป้าหมาย {plain(rubric.kpi_target)}%)",
            f"Evaluated {percent(result.evaluated_share, precision)} · reached a tier "
            f"{percent(result.honoured_share, precision)} (target {plain(rubric.kpi_target)}%)",
        ),
        out=True,
    )
    from officestar_cli.reports.wording import committee_line

    ui.say(*(committee_line(result, lang) for lang in ("th", "en")))
    if result.not_returned:
        names = ", ".join(result.not_returned)
        ui.say(f"ยังไม่ส่งแบบประเมิน: {names}", f"Not returned yet: {names}", style="yellow")
    by_absent: dict[str, list[str]] = {}  # one line per set of absent members, not one per office
    for office in result.offices:
        if office.quorum_reached:
            by_absent.setdefault(", ".join(office.missing), []).append(office.office.title(ui.lang))
    for absent, offices in by_absent.items():
        where = ", ".join(offices)
        ui.say(f"ครบองค์ประชุม {len(offices)} แห่ง โดยขาด {absent}: {where}",
               f"Quorum reached at {len(offices)} office(s) without {absent}: {where}")
    for office in result.offices:
        where = office.office.title(ui.lang)
        for member, reason in office.excused.items():
            ui.say(f"{where}: งดเว้น {member} ({reason})", f"{where}: {member} excused ({reason})")


def percent(share: Fraction, precision: int) -> str:
    """A share as the reports print it: percent, rounded half-up to the rubric's precision."""
    return f"{fmt(shown(share * 100, precision), precision)}%"


def local_time(stamp: str, lang: str) -> str:
    """A stored UTC time in this machine's zone, named: '1 ธันวาคม 2569 16:05:09 +07'."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    local = moment.astimezone()
    zone = local.tzname() or local.strftime("%z")
    return f"{thai_date(local.date(), lang)} {local:%H:%M:%S} {zone}"


def show_history(ui: Ui, result: HistoryResult) -> None:
    """The store's files on stdout, import times in local time with the zone named; then the
    rejected attempts, which never count; then every withdrawal and restoration and, with
    ``--changes``, what each correction changed."""
    from officestar_cli.reports.changes import event_action, file_status, withdrawal_reasons

    t = ui.t
    rows, attempts = result.files, result.attempts
    sha_by_id = {f.id: f.sha256 for f in rows}
    reasons = withdrawal_reasons(result.events)
    listed = []
    for row in rows:
        status = file_status(row, sha_by_id, ui.lang, reasons.get(row.id, ""))
        listed.append([str(row.round), row.member, shown_path(row.name), row.sha256[:12],
                       local_time(row.imported_at, ui.lang), status])
    if not rows:
        ui.say("ยังไม่มีไฟล์ที่บันทึก", "Nothing recorded yet")
    else:
        ui.table([t("รอบ", "Round"), t("กรรมการ", "Member"), t("ไฟล์", "File"), "SHA-256",
                  t("เวลาบันทึก", "Imported"), t("สถานะ", "Status")], listed, out=True)
    if attempts:
        ui.table([t("รอบ", "Round"), t("กรรมการ", "Member"), t("ไฟล์", "File"), "SHA-256",
                  t("เวลา", "Time"), t("เหตุ", "Issues")],
                 [[str(a.round), a.member or "-", shown_path(a.name), (a.sha256 or "-")[:12],
                   local_time(a.attempted_at, ui.lang), ", ".join(a.codes)] for a in attempts], out=True,
                 title=t("ไฟล์ที่ไม่รับ (ไม่นับคะแนน)", "Rejected files (never counted)"))
    by_id = {f.id: f for f in rows}
    if result.events:
        ui.table([t("การกระทำ", "Action"), t("กรรมการ", "Member"), t("ไฟล์", "File"), "SHA-256", t("เวลา", "Time"),
                  t("เหตุผล", "Reason")],
                 [[event_action(e, ui.lang), by_id[e.file_id].member, shown_path(by_id[e.file_id].name),
                   by_id[e.file_id].sha256[:12], local_time(e.at, ui.lang), e.reason or "-"] for e in result.events],
                 out=True, title=t("การถอนไฟล์และการนำกลับมานับ", "Withdrawals and restorations"))
    if result.corrections is None:
        return
    if not result.corrections:
        ui.line(t("ไม่มีฉบับใดแทนฉบับเดิม", "No file has superseded another"), out=True)
    for old, new, found in result.corrections:
        ui.line(t(f"{shown_path(new.name)} ({new.sha256[:12]}, {new.member}) แทนฉบับ {old.sha256[:12]}:",
                  f"{shown_path(new.name)} ({new.sha256[:12]}, {new.member}) superseded {old.sha256[:12]}:"), out=True)
        for line in change_lines(ui, found) or [t("ไม่มีเซลล์ที่เปลี่ยน", "no cell changed")]:
            ui.line(f"    {line}", out=True)
