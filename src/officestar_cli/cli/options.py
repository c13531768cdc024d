"""The options the commands share, their bilingual help, and the parsers of their values.

Values are taken as text and parsed here, so that a bad value gets a Thai (or,
with ``--lang en``, English) message and exit 2 like every other usage error
(``cli/usage.py``). Help text is written Thai first, then English, separated by
a blank line; ``--help`` shows both, ``--help --lang en`` the English only
(docs/commands.md).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from officestar_cli.cli.usage import UsageProblem


def bi(th: str, en: str) -> str:
    """Help text in both languages, Thai first."""
    return f"{th}\n\n{en}"


RubricOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at run time on Python 3.10
    typer.Option(
        "--rubric", metavar="PATH", show_default=False,
        help=bi("ไฟล์เกณฑ์ ค่าเริ่มต้น: $OFFICESTAR_RUBRIC ถ้าไม่มีใช้ ./rubric.yaml ถ้าไม่มีใช้เกณฑ์ที่มากับโปรแกรม",
                "Rubric file. Default: $OFFICESTAR_RUBRIC, else ./rubric.yaml, else the rubric packaged "
                "with officestar."),
    ),
]
LangOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", metavar="th|en", show_default=False,
                 help=bi("ภาษาของข้อความ: th (ไทย ค่าเริ่มต้น) หรือ en", "Language of messages: th (Thai, default) or en.")),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help=bi("พิมพ์ผลเป็น JSON หนึ่งชุดทาง stdout", "Print one JSON object on stdout instead.")),
]
RoundOpt = Annotated[
    Optional[str],  # noqa: UP045 - parsed by round_number for a Thai message
    typer.Option("--round", metavar="N", show_default=False,
                 help=bi("รอบการประเมิน (1 ขึ้นไป) ค่าเริ่มต้น: รอบในเกณฑ์",
                         "Evaluation round (1 or more). Default: the rubric's round.")),
]
StoreOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--store", metavar="PATH", show_default=False,
                 help=bi("ฐานข้อมูลรอบ (SQLite) ค่าเริ่มต้น: $OFFICESTAR_STORE ถ้าไม่มีใช้ ./officestar.sqlite3",
                         "Round store (SQLite). Default: $OFFICESTAR_STORE, else ./officestar.sqlite3.")),
]
OutOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--out", metavar="DIR", show_default=False,
                 help=bi("โฟลเดอร์ที่เขียนรายงาน ค่าเริ่มต้น: reports/round-N/",
                         "Folder the reports are written into. Default: reports/round-N/.")),
]
MethodOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--method", metavar="mean|median|trimmed", show_default=False,
                 help=bi("วิธีรวมคะแนนของกรรมการ: mean (ค่าเฉลี่ย) median (มัธยฐาน) หรือ trimmed "
                         "(ตัดสูงสุดและต่ำสุดแล้วเฉลี่ย) ค่าเริ่มต้น: ตามเกณฑ์",
                         "How members' totals combine: mean, median or trimmed. Default: the rubric's.")),
]
DateOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--date", metavar="YYYY-MM-DD", show_default=False,
                 help=bi("วันที่ของรายงาน ปปปป-ดด-วว ใช้เลขไทยได้ ปี 2400 ขึ้นไปเป็น พ.ศ. (2567-08-31 คือ "
                         "31 สิงหาคม 2567) ปี 1900–2399 เป็น ค.ศ. ค่าเริ่มต้น: วันที่บันทึกล่าสุด",
                         "Report date as YYYY-MM-DD (Thai digits allowed). A year of 2400 or more is Buddhist "
                         "era (2567-08-31 is 31 August 2024), 1900-2399 is CE. Default: the latest import.")),
]
FilesArg = Annotated[
    Optional[list[str]],  # noqa: UP045 - optional so that a missing argument gets a Thai message
    typer.Argument(metavar="FILES...", show_default=False,
                   help=bi("แบบประเมินที่ส่งคืน (.xlsx): ไฟล์ โฟลเดอร์ หรือรูปแบบ *",
                           "Returned workbooks (.xlsx): files, folders or globs.")),
]


_before_the_command: str | None = None


def set_command_line_lang(value: str | None) -> None:
    """``officestar --lang en COMMAND``: the language given before the command, for it to use."""
    global _before_the_command
    _before_the_command = value


def language(value: str | None) -> str:
    from officestar_cli.cli.terminal import default_lang

    value = value if value is not None else _before_the_command
    if value is None:
        return default_lang()
    chosen = value.strip().lower()
    if chosen not in ("th", "en"):
        raise UsageProblem("--lang", f"ใช้ th หรือ en (ได้รับ {value!r})", f"use th or en (got {value!r})")
    return chosen


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def round_number(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip().translate(THAI_DIGITS)
    from officestar_cli.rubric.model import ROUND_MAX

    if not text.isascii() or not text.isdigit() or len(text) > 3 or not 1 <= int(text) <= ROUND_MAX:
        raise UsageProblem("--round", f"รอบต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง {ROUND_MAX} (ได้รับ {value!r})",
                           f"the round must be a whole number from 1 to {ROUND_MAX} (got {value!r})")
    return int(text)


METHOD_NAMES = {"mean": ("ค่าเฉลี่ย", "mean"), "median": ("มัธยฐาน", "median"),
                "trimmed": ("ค่าเฉลี่ยตัดสูงสุดและต่ำสุด", "trimmed mean")}


def method_name(value: str | None) -> str | None:
    if value is None:
        return None
    chosen = value.strip().lower()
    if chosen not in METHOD_NAMES:
        listed = ", ".join(f"{k} ({th})" for k, (th, _) in METHOD_NAMES.items())
        raise UsageProblem("--method", f"ใช้ได้เฉพาะ {listed} (ได้รับ {value!r})",
                           f"use one of {', '.join(METHOD_NAMES)} (got {value!r})")
    return chosen


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
BUDDHIST_ERA = 543


def report_date(value: str | None) -> dt.date | None:
    """YYYY-MM-DD, Thai digits allowed; a year of 2400 or more is BE, 1900-2399 CE (docs/commands.md)."""
    if value is None:
        return None
    text = value.strip().translate(THAI_DIGITS)
    match = _DATE.fullmatch(text) if text.isascii() else None
    problem = UsageProblem(
        "--date",
        f"วันที่ {value!r} ไม่ถูกต้อง ใช้ ปปปป-ดด-วว เช่น 2567-08-31 (พ.ศ.) หรือ 2024-08-31 (ค.ศ.)",
        f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2567-08-31 (Buddhist era) or 2024-08-31 (CE)",
    )
    if match is None:
        raise problem
    year, month, day = (int(g) for g in match.groups())
    if year >= 2400:
        year -= BUDDHIST_ERA
    elif not 1900 <= year <= 2399:
        raise problem
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise problem from None
