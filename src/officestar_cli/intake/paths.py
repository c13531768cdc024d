"""Turn command-line arguments (files, unexpanded globs, folders) into paths."""

from __future__ import annotations

import glob
from pathlib import Path

from officestar_cli.base.errors import OfficestarError

_GLOB_CHARS = set("*?[")


def expand_inputs(arguments: list[str]) -> list[Path]:
    """Files as given, globs the shell did not expand, and every .xlsx in a folder.

    A name that matches nothing is kept, so that it is reported as unreadable;
    when nothing at all matches, that is a usage error (exit 2).
    """
    if not arguments:
        raise OfficestarError(
            "ระบุไฟล์แบบประเมินที่ส่งคืน (.xlsx) หรือโฟลเดอร์ เช่น officestar check returned/",
            "Give the returned workbooks (.xlsx) or a folder, e.g. officestar check returned/",
        )
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir() and path.suffix.lower() != ".xlsx":
            paths.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx"))
        elif not path.exists() and _GLOB_CHARS & set(argument):
            paths.extend(Path(p) for p in sorted(glob.glob(argument)))
        else:
            paths.append(path)
    if not paths or not any(p.exists() for p in paths):
        listed = " ".join(arguments) or "(none)"
        raise OfficestarError(
            f"ไม่พบไฟล์แบบประเมินที่ระบุ: {listed}", f"No workbook matched: {listed}"
        )
    return paths
