"""Writing outputs atomically: a temporary file in the same folder, then a rename.

An output that is read-only, or open in Excel (which leaves ``~$name`` beside
it), is a clear error and is left exactly as it was. Every ``OSError`` of a step
(creating the folder, creating, writing and syncing the temporary file, the
rename) becomes one ``OutputError`` naming the file and saying what happened in
words (docs/reliability.md, "Outputs and the store"); removing the temporary file
afterwards never hides that error. A group of files (a round's reports, the blank
workbooks) is written whole or not at all: every temporary file is written and
synced before the first rename.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from officestar_cli.base.errors import OutputError

if TYPE_CHECKING:
    from openpyxl import Workbook

Writer = Callable[[Path], None]
TEMPORARY_PREFIX = ".~officestar-"

_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_NO_PERMISSION = (errno.EACCES, errno.EPERM)


def _reason(exc: OSError, folder: Path) -> tuple[str, str]:
    """What happened, in words: the disk is full, read-only, no permission, or the system's message."""
    if exc.errno in _DISK_FULL:
        return "ดิสก์เต็ม", "the disk is full"
    if exc.errno == errno.EROFS:
        return (f"โฟลเดอร์ {folder} อยู่บนดิสก์ที่เป็นแบบอ่านอย่างเดียว (read-only)",
                f"{folder} is on a read-only file system")
    if exc.errno in _NO_PERMISSION:
        return f"ไม่มีสิทธิ์เขียนในโฟลเดอร์ {folder}", f"no permission to write in {folder}"
    said = exc.strerror or str(exc)
    code = errno.errorcode.get(exc.errno or 0)
    said = f"{said} [{code}]" if code else said
    return f"ระบบปฏิบัติการแจ้งข้อผิดพลาด: {said}", f"the system says: {said}"


def _write_failed(exc: OSError, target: Path, *, group: bool) -> OutputError:
    th, en = _reason(exc, target.parent)
    if group:
        kept = ("ยังไม่ได้เขียนไฟล์ใดของชุดนี้ ไฟล์เดิมยังอยู่ครบ ไม่ถูกแก้ไข",
                "nothing of this set was written; the existing files were left as they were")
    else:
        kept = ("ไฟล์เดิมยังอยู่ครบ ไม่ถูกแก้ไข", "the existing file was left as it was")
    return OutputError(f"เขียนไฟล์ {target} ไม่ได้: {th} {kept[0]}", f"Cannot write {target}: {en}; {kept[1]}")


def _rename_failed(exc: OSError, target: Path, replaced: Sequence[Path]) -> OutputError:
    th, en = _reason(exc, target.parent)
    if exc.errno in _NO_PERMISSION:
        th, en = th + " หรือไฟล์เปิดค้างอยู่ในโปรแกรมอื่น", en + ", or it is open in another program"
    th = f"แทนที่ไฟล์ {target} ด้วยฉบับใหม่ไม่ได้: {th} ไฟล์เดิมยังอยู่ครบ"
    en = f"Cannot put the new {target} in place: {en}; the existing file was left as it was"
    if replaced:
        listed = ", ".join(str(p) for p in replaced)
        th += f" (เขียนฉบับใหม่แล้ว: {listed})"
        en += f" (already replaced: {listed})"
    return OutputError(th, en)


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise OutputError(
            f"สร้างโฟลเดอร์ผลลัพธ์ไม่ได้: {blocking} เป็นไฟล์อยู่แล้ว",
            f"Cannot create the output folder: {blocking} is a file",
        ) from None
    except OSError as exc:
        th, en = _reason(exc, folder.parent)
        raise OutputError(
            f"สร้างโฟลเดอร์ผลลัพธ์ {folder} ไม่ได้: {th}",
            f"Cannot create the output folder {folder}: {en}",
        ) from None


def check_writable(target: Path) -> None:
    """Refuse early, before any work, when ``target`` cannot be replaced."""
    lock = target.with_name("~$" + target.name)
    try:
        if lock.exists():
            raise OutputError(
                f"ไฟล์ {target} เปิดค้างอยู่ในโปรแกรมอื่น (พบ {lock.name}) กรุณาปิดไฟล์แล้วลองใหม่",
                f"{target} is open in another program ({lock.name} exists); close it and try again",
            )
        if target.exists() and not os.access(target, os.W_OK):
            raise OutputError(
                f"ไฟล์ {target} เป็นแบบอ่านอย่างเดียว จึงเขียนทับไม่ได้ (ไฟล์เดิมยังอยู่ครบ)",
                f"{target} is read-only and cannot be replaced (it was left as it was)",
            )
        if target.is_dir():
            raise OutputError(f"{target} เป็นโฟลเดอร์ เขียนไฟล์ทับไม่ได้", f"{target} is a folder")
    except OSError as exc:  # a folder on the way the user may not look into
        raise _write_failed(exc, target, group=False) from None


def _sync(path: Path) -> None:
    # Opened for writing (without truncating): some systems sync only a descriptor open for writing.
    descriptor = os.open(path, os.O_WRONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(temporaries: Sequence[Path]) -> list[Path]:
    """Remove what exists of ``temporaries``; return those that are still there."""
    left = []
    for temporary in temporaries:
        try:
            temporary.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            with contextlib.suppress(OSError):
                if os.path.lexists(temporary):
                    left.append(temporary)
    return left


def atomic_write_all(items: Sequence[tuple[Path, Writer]]) -> None:
    """Write every ``(target, write)``: ``write`` fills a temporary file that then replaces ``target``.

    Every temporary file is written and synced before the first rename, so a full disk,
    a read-only mount or a missing permission leaves every existing target as it was.
    Raises ``OutputError``, whose message is the first failure's.
    """
    group = len(items) > 1
    for target, _write in items:
        check_writable(target)
    for folder in dict.fromkeys(target.parent for target, _write in items):
        ensure_folder(folder)
    # Each name is known before its file exists, so that a Ctrl-C landing right after it is
    # created still finds it to remove (mkstemp returns the name only once it has made the file).
    temporaries = [t.parent / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}{t.suffix}" for t, _write in items]
    renamed = 0
    try:
        for (target, write), temporary in zip(items, temporaries, strict=True):
            try:
                # 0o666 less the umask: the permissions any new file of the user's gets, kept by the rename.
                os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
                write(temporary)
                _sync(temporary)
            except OSError as exc:
                raise _write_failed(exc, target, group=group) from None
        for (target, _write), temporary in zip(items, temporaries, strict=True):
            try:
                os.replace(temporary, target)
            except OSError as exc:
                raise _rename_failed(exc, target, [t for t, _w in items[:renamed]]) from None
            renamed += 1
    except BaseException as failure:
        left = _remove(temporaries[renamed:])
        if left and isinstance(failure, OutputError):
            listed = ", ".join(str(p) for p in left)
            raise OutputError(
                f"{failure.th} (ลบไฟล์ชั่วคราว {listed} ไม่ได้ กรุณาลบเอง)",
                f"{failure.en} (the temporary file {listed} could not be removed; delete it)",
            ) from None
        raise


def atomic_write(target: Path, write: Writer) -> None:
    atomic_write_all([(target, write)])


def workbook_writer(workbook: Workbook | Callable[[], Workbook]) -> Writer:
    """A writer saving ``workbook`` (or the one ``workbook()`` builds, when the file is written)."""

    def write(path: Path) -> None:
        book = workbook() if callable(workbook) else workbook
        # Saved in memory first: openpyxl leaves its archive open when a write to a file fails.
        buffer = io.BytesIO()
        book.save(buffer)
        path.write_bytes(buffer.getvalue())

    return write


def bytes_writer(data: bytes) -> Writer:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def text_writer(text: str) -> Writer:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8", newline="\n")

    return write


def atomic_save_workbook(workbook: Workbook, target: Path) -> None:
    atomic_write(target, workbook_writer(workbook))


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write(target, text_writer(text))


__all__ = [
    "TEMPORARY_PREFIX",
    "Writer",
    "atomic_save_workbook",
    "atomic_write",
    "atomic_write_all",
    "atomic_write_text",
    "bytes_writer",
    "check_writable",
    "ensure_folder",
    "text_writer",
    "workbook_writer",
]
