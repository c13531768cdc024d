"""Writing outputs atomically: a temporary file in the same folder, then a rename.

An output that is read-only, or open in Excel (which leaves ``~$name`` beside
it), is a clear error and is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from officestar_cli.base.errors import OutputError

if TYPE_CHECKING:
    from openpyxl import Workbook


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            f"สร้างโฟลเดอร์ผลลัพธ์ไม่ได้: {folder} เป็นไฟล์อยู่แล้ว",
            f"Cannot create the output folder: {folder} is a file",
        ) from None
    except OSError as exc:
        raise OutputError(
            f"สร้างโฟลเดอร์ผลลัพธ์ {folder} ไม่ได้ ({exc.strerror})",
            f"Cannot create the output folder {folder} ({exc.strerror})",
        ) from None


def check_writable(target: Path) -> None:
    """Refuse early, before any work, when ``target`` cannot be replaced."""
    lock = target.with_name("~$" + target.name)
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


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    check_writable(target)
    ensure_folder(target.parent)
    # The name is known before the file exists, so that a Ctrl-C landing right after it is
    # created still finds it to remove (mkstemp returns the name only once it has made the file).
    temporary = target.parent / f".~officestar-{uuid.uuid4().hex}{target.suffix}"
    try:
        try:
            # 0o666 less the umask: the permissions any new file of the user's gets, kept by the rename.
            os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except OSError as exc:
            raise OutputError(
                f"เขียนไฟล์ในโฟลเดอร์ {target.parent} ไม่ได้ ({exc.strerror})",
                f"Cannot write into {target.parent} ({exc.strerror})",
            ) from None
        yield temporary
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise OutputError(
                f"แทนที่ไฟล์ {target} ไม่ได้ ({exc.strerror}) อาจเปิดค้างอยู่ในโปรแกรมอื่น",
                f"Cannot replace {target} ({exc.strerror}); is it open in another program?",
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    with _atomic(target) as temporary:
        write(temporary)


def atomic_save_workbook(workbook: Workbook, target: Path) -> None:
    atomic_write(target, lambda path: workbook.save(path))


def atomic_write_text(target: Path, text: str) -> None:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8", newline="\n")

    atomic_write(target, write)
