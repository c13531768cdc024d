"""The words for what happened to files after they were recorded: superseded, withdrawn,
restored, and what a correction changed (docs/design.md, "Withdraw and restore")."""

from __future__ import annotations

from officestar_cli.intake.changes import Change
from officestar_cli.reports.wording import tr
from officestar_cli.store.corrections import FileEvent
from officestar_cli.store.reading import StoredFile


def file_status(stored: StoredFile, sha_by_id: dict[int, str], lang: str, reason: str = "") -> str:
    """Current, superseded by which copy, or withdrawn (and why)."""
    if stored.withdrawn:
        why = f" ({reason})" if reason else ""
        return tr(lang, f"ถอนออก{why}", f"withdrawn{why}")
    if stored.superseded_by is None:
        return tr(lang, "ใช้อยู่", "current")
    newer = sha_by_id.get(stored.superseded_by, "")[:12]
    return tr(lang, f"ถูกแทนที่โดย {newer}", f"superseded by {newer}")


def withdrawal_reasons(events: list[FileEvent]) -> dict[int, str]:
    """The reason of each file's latest withdrawal, by file id."""
    found: dict[int, str] = {}
    for event in events:
        if event.action == "withdraw":
            found[event.file_id] = event.reason
    return found


def event_action(event: FileEvent, lang: str) -> str:
    return tr(lang, "ถอนออก", "withdrawn") if event.action == "withdraw" else tr(lang, "นำกลับมานับ", "restored")


def change_text(change: Change, lang: str, arrow: str = " → ") -> str:
    """One change of a correction: office, criterion, cell, old → new."""
    where = f"{change.office_id} {change.sheet}!{change.cell}" if change.cell else f"{change.office_id} {change.sheet}"
    if change.kind == "scored":
        return tr(lang, f"{where}: เพิ่งให้คะแนนหน่วยงานนี้", f"{where}: now scored")
    if change.kind == "unscored":
        return tr(lang, f"{where}: ไม่ได้ให้คะแนนหน่วยงานนี้แล้ว", f"{where}: no longer scored")
    old, new = change.old or "-", change.new or "-"
    if change.kind == "note":
        return tr(lang, f"{where} ข้อ {change.criterion_id} หมายเหตุ: {old!r}{arrow}{new!r}",
                  f"{where} criterion {change.criterion_id} note: {old!r}{arrow}{new!r}")
    if change.kind == "cell":
        return tr(lang, f"ข้อ {change.criterion_id} ย้ายเซลล์: {old}{arrow}{new}",
                  f"criterion {change.criterion_id} moved: {old}{arrow}{new}")
    return tr(lang, f"{where} ข้อ {change.criterion_id}: {old}{arrow}{new}",
              f"{where} criterion {change.criterion_id}: {old}{arrow}{new}")
