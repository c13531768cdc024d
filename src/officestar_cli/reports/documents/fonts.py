"""Finding a Thai font for the PDF (docs/documents.md, "Fonts").

The fonts are the ones the PDF engine itself finds on the system (so what is
found is what is used), or only those in the folders named by
``$OFFICESTAR_FONT_DIRS`` (separated like ``PATH``). The first family found of:
the rubric's ``documents.font``; TH SarabunPSK and its successors; Laksaman (a
free copy of TH SarabunPSK's metrics in ``fonts-thai-tlwg``); other free fonts
that cover Thai.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from officestar_cli.base.errors import OfficestarError

FONT_DIRS_ENV = "OFFICESTAR_FONT_DIRS"
# The official document fonts first, then free fonts that cover Thai, most like them first.
PREFERRED = (
    "TH SarabunPSK", "TH Sarabun New", "TH SarabunIT๙", "Sarabun", "Laksaman",
    "Noto Serif Thai", "Noto Sans Thai", "Kinnari", "Norasi", "Garuda", "Loma", "Umpush", "Waree",
    "Sawasdee", "Leelawadee UI", "Leelawadee", "Tahoma", "Thonburi", "Angsana New", "Cordia New",
)


@dataclass(frozen=True)
class ThaiFont:
    family: str
    folder: Path  # handed to the engine as its only font folder, so nothing else can stand in
    bold: bool


class NoThaiFont(OfficestarError):
    def __init__(self, wanted: str, kept: tuple[str, str] = ("ไฟล์ docx", "the docx")) -> None:
        """``kept``: what was written all the same (Thai, English), e.g. the feedback's xlsx, md and html."""
        named = f" (เกณฑ์ระบุ {wanted})" if wanted else ""
        named_en = f" (the rubric names {wanted})" if wanted else ""
        super().__init__(
            f"ไม่พบฟอนต์ภาษาไทยในเครื่องนี้{named} จึงสร้าง PDF ไม่ได้ ({kept[0]} เขียนไว้แล้ว) "
            "กรุณาติดตั้งฟอนต์ TH SarabunPSK หรือ TH Sarabun New หรือบน Debian/Ubuntu: "
            "sudo apt-get install fonts-thai-tlwg แล้วลองใหม่",
            f"No Thai font was found{named_en}, so no PDF was written ({kept[1]} was). "
            "Install TH SarabunPSK or TH Sarabun New, or on Debian/Ubuntu: "
            "sudo apt-get install fonts-thai-tlwg, and try again",
        )


def _installed() -> dict[str, tuple[Path, bool]]:
    """family (case-folded) -> (folder of its regular face, whether a bold face is there)."""
    import typst

    configured = os.environ.get(FONT_DIRS_ENV)
    if configured is not None:
        folders = [p for p in configured.split(os.pathsep) if p]
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=folders)
    else:
        fonts = typst.Fonts(include_system_fonts=True, include_embedded_fonts=False)
    found: dict[str, tuple[Path, bool]] = {}
    bold: set[str] = set()
    for info in sorted(fonts.fonts(), key=lambda f: (f.family, f.weight, f.style, f.path or "")):
        key = info.family.casefold()
        if info.weight >= 600 and info.style == "normal":
            bold.add(key)
        if info.path and info.style == "normal" and info.weight < 600 and key not in found:
            found[key] = (Path(info.path).parent, False)
    for key in bold & found.keys():
        found[key] = (found[key][0], True)
    # Keep the family names as the engine spells them.
    return found


def find_thai_font(wanted: str = "", kept: tuple[str, str] = ("ไฟล์ docx", "the docx")) -> ThaiFont:
    """The font the PDF is set in; NoThaiFont (exit 2, what to install, ``kept``) when there is none."""
    installed = _installed()
    for family in ((wanted,) if wanted else ()) + PREFERRED:
        hit = installed.get(family.casefold())
        if hit is not None:
            return ThaiFont(family, hit[0], hit[1])
    raise NoThaiFont(wanted, kept)
