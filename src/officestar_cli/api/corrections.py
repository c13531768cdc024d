"""Undoing an import and excusing a member: ``withdraw``, ``restore`` and ``excuse``.

docs/design.md, "Withdraw and restore" and "Excused members". Each is recorded in the
store with its time and reason, and nothing is ever deleted: ``history`` lists every
withdrawal and restoration, the audit sheet of the Excel report too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officestar_cli.api.inputs import PathLike, RubricLike, load, store_path
from officestar_cli.base.errors import OfficestarError

if TYPE_CHECKING:
    from officestar_cli.rubric.model import Office, Rubric
    from officestar_cli.store.reading import StoredFile
    from officestar_cli.store.store import Store

LISTED = 20  # candidates named in a message at most


@dataclass
class FileChangeResult:
    """``officestar withdraw`` and ``officestar restore``: one file taken out of the round or back in."""

    action: str  # withdraw | restore
    rubric: Rubric
    round: int
    file: StoredFile  # as it was before
    reason: str
    changed: bool
    counts_again: list[StoredFile] = field(default_factory=list)  # withdraw: the earlier copy current again
    superseded: list[StoredFile] = field(default_factory=list)  # restore: the copies it replaced
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.json import stored_file_as_json

        return {
            "action": self.action, "fiscal_year": self.rubric.fiscal_year, "round": self.round,
            "file": stored_file_as_json(self.file), "reason": self.reason, "changed": self.changed,
            "counts_again": [stored_file_as_json(f) for f in self.counts_again],
            "superseded": [stored_file_as_json(f) for f in self.superseded],
        }


@dataclass
class ExcuseResult:
    """``officestar excuse``: a member excused from an office, or the excuse undone."""

    rubric: Rubric
    round: int
    member: str
    office: Office
    reason: str
    undo: bool
    changed: bool
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        return {"action": "undo" if self.undo else "excuse", "fiscal_year": self.rubric.fiscal_year,
                "round": self.round, "member": self.member, "office_id": self.office.id,
                "office": self.office.th, "reason": self.reason, "changed": self.changed}


def _listing(files: list[StoredFile]) -> str:
    shown = [f"{f.name} ({f.sha256[:12]}, {f.member})" for f in files[:LISTED]]
    more = len(files) - len(shown)
    return "; ".join(shown) + (f"; … +{more}" if more > 0 else "")


def _own_sha256(reference: str) -> str | None:
    path = Path(reference)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        return None


def _find(opened: Store, rubric: Rubric, round_no: int, reference: str) -> StoredFile:
    """The one recorded file of the round that ``reference`` (a file or a SHA-256 prefix) names."""
    from officestar_cli.store.corrections import matching

    files = opened.files(rubric.fiscal_year, round_no, current_only=False)
    if not files:
        raise OfficestarError(
            f"ฐานข้อมูลยังไม่มีแบบประเมินของปีงบประมาณ {rubric.fiscal_year} รอบที่ {round_no}",
            f"The store holds no workbook for FY {rubric.fiscal_year} round {round_no}",
        )
    own = _own_sha256(reference)
    found = matching(files, reference, own)
    if len(found) == 1:
        return found[0]
    if not found and own is not None:
        named = matching(files, reference, None)
        th = f" ไฟล์ที่บันทึกไว้ในชื่อเดียวกัน: {_listing(named)}" if named else ""
        en = f" Recorded under the same name: {_listing(named)}." if named else ""
        raise OfficestarError(
            f"ไฟล์ {reference!r} (SHA-256 {own[:12]}) ไม่ได้บันทึกไว้ในรอบที่ {round_no}: เนื้อหาไม่ตรงกับไฟล์ใดที่บันทึกไว้"
            f"{th} ถ้าต้องการไฟล์ที่บันทึกไว้ ให้ระบุ SHA-256 อย่างน้อย 4 ตัวแรก (ดูได้จาก officestar history)",
            f"The file {reference!r} (SHA-256 {own[:12]}) is not recorded for round {round_no}: its bytes match no "
            f"recorded file.{en} To name a recorded file, give at least the first 4 digits of its SHA-256 "
            "(officestar history lists them)",
        )
    if not found:
        raise OfficestarError(
            f"ไม่พบไฟล์ {reference!r} ในรอบที่ {round_no} ของฐานข้อมูล ไฟล์ที่บันทึกไว้: {_listing(files)} "
            "ระบุชื่อไฟล์หรือ SHA-256 อย่างน้อย 4 ตัวแรก (ดูได้จาก officestar history)",
            f"No file {reference!r} is recorded for round {round_no}. Recorded: {_listing(files)}. Give the "
            "file or at least the first 4 digits of its SHA-256 (officestar history lists them)",
        )
    raise OfficestarError(
        f"{reference!r} ตรงกับหลายไฟล์: {_listing(found)} ระบุ SHA-256 ให้ยาวขึ้น",
        f"{reference!r} matches several files: {_listing(found)}; give more of the SHA-256",
    )


def _reason(reason: str, required: bool) -> str:
    from officestar_cli.base.names import member_key

    text = " ".join(reason.split())
    if required and not member_key(text):  # only spaces or invisible characters: no reason at all
        raise OfficestarError("ต้องระบุเหตุผล (--reason) ที่ไม่ว่าง", "--reason must not be empty")
    return text


def withdraw(reference: str, source: RubricLike = None, *, reason: str, round_no: int | None = None,
             store: PathLike | None = None) -> FileChangeResult:
    """Take a recorded file out of its round: its scores stop counting; when it had superseded
    an earlier copy, that copy counts again."""
    from officestar_cli.store.store import Store

    loaded = load(source)
    round_value = round_no or loaded.round
    why = _reason(reason, True)
    with Store(store_path(store), create=False) as opened:
        stored = _find(opened, loaded, round_value, reference)
        if stored.withdrawn:
            return FileChangeResult("withdraw", loaded, round_value, stored, why, changed=False)
        before, again = opened.withdraw(stored.id, why)
    return FileChangeResult("withdraw", loaded, round_value, before, why, not before.withdrawn,
                            [again] if again else [])


def restore(reference: str, source: RubricLike = None, *, reason: str = "", round_no: int | None = None,
            store: PathLike | None = None) -> FileChangeResult:
    """Make a recorded file the current copy of its workbook again (its other copies become
    superseded), unless another workbook of the same member counts."""
    from officestar_cli.store.store import Store

    loaded = load(source)
    round_value = round_no or loaded.round
    why = _reason(reason, False)
    with Store(store_path(store), create=False) as opened:
        stored = _find(opened, loaded, round_value, reference)
        if stored.current:
            return FileChangeResult("restore", loaded, round_value, stored, why, changed=False)
        before, replaced, blocking = opened.restore(stored.id, why)
    if blocking:
        raise OfficestarError(
            f"กรรมการ {stored.member} มีแบบประเมินอีกชุดที่นับอยู่ ({_listing(blocking)}) จึงไม่นำไฟล์นี้กลับมานับ "
            "ให้ถอนชุดนั้นก่อนด้วย officestar withdraw",
            f"member {stored.member} has another workbook that counts ({_listing(blocking)}); this file was not "
            "restored. Withdraw that one first with officestar withdraw",
        )
    return FileChangeResult("restore", loaded, round_value, before, why, not before.current, superseded=replaced)


def _office(rubric: Rubric, given: str) -> Office:
    for office in rubric.offices:
        if given.strip() in (office.id, office.th, office.en):
            return office
    ids = ", ".join(o.id for o in rubric.offices)
    raise OfficestarError(f"ไม่มีหน่วยงาน {given!r} ในเกณฑ์ รหัสหน่วยงาน: {ids}",
                          f"No office {given!r} in the rubric; office ids: {ids}")


def excuse(source: RubricLike = None, *, member: str, office: str, reason: str = "", undo: bool = False,
           round_no: int | None = None, store: PathLike | None = None) -> ExcuseResult:
    """Excuse a committee member from one office for the round (``undo``: take the excuse back)."""
    from officestar_cli.api.workflow import refuse_strangers
    from officestar_cli.base.names import member_key
    from officestar_cli.store.corrections import standing_excuses
    from officestar_cli.store.store import Store

    loaded = load(source)
    round_value = round_no or loaded.round
    if not loaded.committee:
        raise OfficestarError(
            "งดเว้นได้เฉพาะเมื่อเกณฑ์ระบุคณะกรรมการ (committee ใน rubric.yaml)",
            "An excuse needs a declared committee (committee in rubric.yaml)",
        )
    refuse_strangers(loaded, [member], option="--member")
    name = next(m.name for m in loaded.committee if member_key(m.name) == member_key(member))
    target = _office(loaded, office)
    if target not in loaded.offices_for(name):
        raise OfficestarError(f"{name} ไม่ได้รับมอบหมายให้ประเมิน {target.th} ({target.id}) จึงไม่ต้องงดเว้น",
                              f"{name} is not assigned to {target.en} ({target.id}); there is nothing to excuse")
    why = _reason(reason, not undo)
    key = (member_key(name), target.id)
    in_rubric = any((member_key(e.member), e.office) == key for e in loaded.excused)
    with Store(store_path(store), create=False) as opened:
        standing = key in standing_excuses(opened.excuse_events(loaded.fiscal_year, round_value))
        # The rubric's excuse stands whatever the store says: undoing only the recorded one would
        # say the member is expected again while they are not.
        if undo and in_rubric:
            raise OfficestarError(
                f"การงดเว้น {name} จาก {target.id} อยู่ใน excused ของ rubric.yaml ให้แก้ที่ไฟล์เกณฑ์",
                f"{name} is excused from {target.id} by excused in rubric.yaml; edit the rubric instead",
            )
        if undo and not standing:
            return ExcuseResult(loaded, round_value, name, target, why, undo, changed=False)
        if not undo and (standing or in_rubric):
            return ExcuseResult(loaded, round_value, name, target, why, undo, changed=False)
        opened.excuse(loaded.fiscal_year, round_value, name, target.id, why, undo=undo)
    return ExcuseResult(loaded, round_value, name, target, why, undo, changed=True)
