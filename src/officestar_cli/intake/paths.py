"""Turn command-line arguments (files, unexpanded globs, folders) into paths, and the one
rule for what a folder holds (docs/design.md, "Folders").

Inside a folder every entry is accounted for: a workbook is read; a file that is
certainly not a member's (an Excel lock file, a macOS AppleDouble file, a hidden
file, a sub-folder, officestar's own report) is skipped with a note naming it; a
spreadsheet in another format is an error, so that a member's file saved the wrong
way is never skipped in silence.
"""

from __future__ import annotations

import errno
import glob
import os
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from officestar_cli.base.errors import OfficestarError
from officestar_cli.workbook.contract import REPORT_MARKER_PROPERTY

_GLOB_CHARS = set("*?[")
# Spreadsheets of other formats, by suffix: (Issue code, what to call the format).
OTHER_FORMATS: dict[str, tuple[str, str]] = {
    ".xls": ("legacy-format", ".xls (Excel 97-2003)"),
    ".xlsm": ("legacy-format", ".xlsm (Excel with macros)"),
    ".xlsb": ("legacy-format", ".xlsb (Excel binary)"),
    ".ods": ("legacy-format", ".ods (OpenDocument)"),
    ".numbers": ("legacy-format", ".numbers (Apple Numbers)"),
    ".csv": ("not-a-workbook", ".csv"),
}
# The report marker lives in docProps/custom.xml, which is a few hundred bytes.
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_PART_MAX = 256 * 1024


class Verdict(NamedTuple):
    """What the folder rule says of one entry: an Issue code, whether it is only a note (the
    entry is skipped), and the keyword arguments of its message."""

    code: str
    note: bool
    kind: str = ""


class Inputs(list[Path]):
    """The paths to read, in order, remembering which of them a folder listing gave (those
    the folder rule applies to, docs/design.md "Folders")."""

    def __init__(self, paths: list[Path] | None = None, listed: set[Path] | None = None) -> None:
        super().__init__(paths or [])
        self.listed: set[Path] = set(listed or ())


def shown(path: Path | str) -> str:
    """A file name as text: a byte that is not UTF-8 (kept by Python as a lone surrogate)
    becomes ``\\xNN``, so that every output and the store get valid text."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape") if _only_escapes(text) else None
        if raw is not None:
            return raw.decode("utf-8", "backslashreplace")
        return text.encode("utf-8", "backslashreplace").decode("ascii")
    return text


def _only_escapes(text: str) -> bool:
    """Whether every surrogate in ``text`` is one that surrogateescape made from a byte."""
    return all(not 0xD800 <= ord(ch) <= 0xDFFF or 0xDC80 <= ord(ch) <= 0xDCFF for ch in text)


def name_verdict(path: Path, listed: bool) -> Verdict | None:
    """The rule by name: ``listed`` says whether a folder listing gave the path (a file given
    by name is read whatever its suffix, and its content decides)."""
    name = path.name
    if name.startswith("~$"):
        return Verdict("lock-file", True)
    if name.startswith("._"):
        return Verdict("apple-double", True)
    if name.startswith("."):
        return Verdict("hidden-file", True)
    if not listed:
        return None
    if path.is_dir():
        return Verdict("sub-folder", True)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return None
    if suffix in OTHER_FORMATS:
        code, kind = OTHER_FORMATS[suffix]
        return Verdict(code, False, kind)
    return None  # not listed: see _wanted


def _wanted(path: Path) -> bool:
    """Which entries of a folder are accounted for: every workbook or spreadsheet of another
    format, every sub-folder and every file the rule skips by name. A file of no spreadsheet
    format (a letter, a picture, a readme) is no member's workbook and is left out."""
    name = path.name
    if name.startswith((".", "~$")):
        return True
    try:
        if path.is_dir():
            return True
    except OSError:
        return True
    suffix = path.suffix.lower()
    return suffix == ".xlsx" or suffix in OTHER_FORMATS


def small_part(archive: zipfile.ZipFile, name: str, cap: int = _CUSTOM_PART_MAX) -> bytes | None:
    """A document-properties part of at most ``cap`` bytes, or None when it is missing, larger
    or damaged: these parts only ever add a note, so a damaged one is simply not there (the
    container reports damage where it matters)."""
    try:
        info = archive.getinfo(name)
        if info.file_size > cap:
            return None
        with archive.open(info) as handle:
            return handle.read(cap + 1)[:cap]
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError):
        return None


def is_report(archive: zipfile.ZipFile) -> bool:
    """Whether a workbook carries officestar's report marker (a custom document property)."""
    data = small_part(archive, _CUSTOM_PART)
    if data is None:
        return False
    marker = f'name="{REPORT_MARKER_PROPERTY}"'.encode()
    return marker in data or marker.replace(b'"', b"'") in data


def expand_inputs(arguments: list[str]) -> Inputs:
    """Files as given, globs the shell did not expand, and every entry of a folder.

    A name that matches nothing is kept, so that it is reported as unreadable;
    when nothing at all matches, that is a usage error (exit 2), and so is a folder
    that cannot be listed.
    """
    if not arguments:
        raise OfficestarError(
            "ระบุไฟล์แบบประเมินที่ส่งคืน (.xlsx) หรือโฟลเดอร์ เช่น officestar check returned/",
            "Give the returned workbooks (.xlsx) or a folder, e.g. officestar check returned/",
        )
    paths = Inputs()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir() and path.suffix.lower() != ".xlsx":
            entries = _list_folder(path)
            paths.extend(entries)
            paths.listed.update(entries)
        elif not path.exists() and _GLOB_CHARS & set(argument):
            paths.extend(Path(p) for p in sorted(glob.glob(argument)))
        else:
            paths.append(path)
    if not paths or not any(p.exists() for p in paths):
        listed = " ".join(shown(a) for a in arguments) or "(none)"
        raise OfficestarError(
            f"ไม่พบไฟล์แบบประเมินที่ระบุ: {listed}", f"No workbook matched: {listed}"
        )
    return paths


def _list_folder(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if _wanted(p))
    except OSError as exc:
        name = shown(folder)
        reason = exc.strerror or type(exc).__name__
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise OfficestarError(
                f"ไม่มีสิทธิ์เปิดดูโฟลเดอร์ {name} ({reason}) ให้ตรวจสิทธิ์ของโฟลเดอร์ หรือคัดลอกไฟล์ไปไว้ที่อื่น",
                f"No permission to list the folder {name} ({reason}); check its permissions or copy "
                "the files elsewhere",
            ) from None
        raise OfficestarError(
            f"เปิดดูโฟลเดอร์ {name} ไม่ได้ ({reason})", f"Cannot list the folder {name} ({reason})"
        ) from None
