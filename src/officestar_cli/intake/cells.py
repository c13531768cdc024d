"""What counts as a score (docs/design.md, "What the member sees").

A number, or text that is plainly a number (Thai digits and surrounding spaces,
no-break spaces included, are accepted with a warning, since the workbook's own
subtotals leave text out). Anything else is an Issue code, never a guess:
``"4,5"``, ``"5 คะแนน"``, ``nan``, booleans, dates, error values, formulas and
numbers too long to be a score are refused; a blank is "not scored", never 0.

What the member sees is what is recorded: ``display`` judges a score against the
number format of its cell (a percent or scaled format is an error, one that
rounds the shown value a warning).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from officestar_cli.intake.xlsx.model import Cell

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Spaces a copy from a web page or LINE may bring, stripped at both ends.
_SPACES = " \t\r\n\u00a0\u2007\u202f\u2009\u200b\u3000\ufeff"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# A score is at most a few digits; a double's shortest text is at most 24 characters. Anything
# longer is refused before it is converted (Python refuses integers of more than 4,300 digits,
# and a stored score must read back).
MAX_NUMBER_CHARS = 32


@dataclass(frozen=True)
class Verdict:
    """Either a score, a blank (both None), or an Issue code with a hint."""

    score: Decimal | None = None
    code: str | None = None
    hint_th: str = ""
    hint_en: str = ""
    raw: object = None
    typed_as_text: bool = False  # accepted, but typed as text: a warning (number-as-text)

    @property
    def blank(self) -> bool:
        return self.score is None and self.code is None

    @property
    def text(self) -> str:
        """The score as recorded in the store."""
        return str(self.score)


BLANK = Verdict()
# Verdicts on plain numbers, by (text, maximum, precision): a round repeats a few values
# (4.25, 3, 2.5, ...) hundreds of thousands of times. Verdicts are immutable, so sharing is safe.
_NUMBERS: dict[tuple[str | None, Decimal, int], Verdict] = {}
_NUMBERS_KEPT = 4096


def raw_value(cell: Cell | None, date1904: bool = False) -> object:
    """The value as found, for messages and JSON (a date as the workbook shows it, in the
    workbook's date system)."""
    if cell is None:
        return None
    if cell.formula is not None:
        return "=" + cell.formula
    if cell.kind == "b":
        return cell.text in ("1", "true", "TRUE")
    if cell.kind == "n" and cell.text is not None:
        try:
            number = float(cell.text)
        except ValueError:
            return cell.text
        if not math.isfinite(number):  # NaN, INF, 1e400: no int, no date; keep the text as written
            return cell.text
        if cell.date_style:
            from officestar_cli.base.dates import excel_serial_to_iso

            return excel_serial_to_iso(number, date1904)
        return number if number != int(number) or "e" in cell.text.lower() else int(number)
    return cell.text


def judge(cell: Cell | None, maximum: Decimal, precision: int, date1904: bool = False) -> Verdict:
    if cell is None:
        return BLANK
    if cell.kind == "n" and cell.formula is None and not cell.date_style:
        key = (cell.text, maximum, precision)
        verdict = _NUMBERS.get(key)
        if verdict is None:
            if len(_NUMBERS) >= _NUMBERS_KEPT:
                _NUMBERS.clear()
            verdict = _NUMBERS[key] = _judge(cell, maximum, precision)
        return verdict
    return _judge(cell, maximum, precision, date1904)


def _judge(cell: Cell, maximum: Decimal, precision: int, date1904: bool = False) -> Verdict:
    raw = raw_value(cell, date1904)
    if cell.formula is not None:
        return Verdict(code="formula-in-score", raw=raw)
    if cell.kind == "e":
        return _nan(raw, "(พบค่าผิดพลาด " + str(raw) + ")", "(found the error value " + str(raw) + ")")
    if cell.kind == "b":
        return _nan(raw, "(พบค่าจริง/เท็จ)", "(found a TRUE/FALSE value)")
    if cell.kind == "d" or (cell.kind == "n" and cell.date_style):
        return _nan(
            raw,
            f"(พบวันที่ {raw} ช่องนี้อาจถูกจัดรูปแบบเป็นวันที่)",
            f"(found the date {raw}; the cell may be formatted as a date)",
        )
    text = cell.text or ""
    if cell.kind == "n":
        if len(text) > MAX_NUMBER_CHARS:
            return _too_long(raw, text)
        number = _from_number_text(text)
        if number is None:
            return _nan(raw, "", "")
        return _bounds(number, maximum, precision, raw)
    cleaned = text.strip(_SPACES).translate(_THAI_DIGITS)
    if not cleaned:
        return Verdict(raw=raw)  # spaces only: still blank
    if len(cleaned) > MAX_NUMBER_CHARS:
        return _too_long(raw, cleaned)
    if "," in cleaned and _NUMBER.match(cleaned.replace(",", ".")):
        return _nan(raw, "(ใช้จุดเป็นทศนิยม เช่น 4.5 ไม่ใช่ 4,5)", "(use a dot for decimals: 4.5, not 4,5)")
    if not _NUMBER.match(cleaned):
        return _nan(raw, "(ไม่ต้องพิมพ์หน่วยหรือข้อความ)", "(no units or words)")
    verdict = _bounds(Decimal(cleaned), maximum, precision, raw)
    if verdict.score is not None:
        return Verdict(score=verdict.score, raw=raw, typed_as_text=True)
    return verdict


def _too_long(raw: object, text: str) -> Verdict:
    shown = text if len(text) <= 40 else f"{text[:20]}…{text[-8:]}"
    return Verdict(
        code="not-a-number",
        hint_th=f"(ตัวเลขยาว {len(text):,} ตัวอักษร ซึ่งไม่ใช่คะแนน)",
        hint_en=f"(a number {len(text):,} characters long is not a score)",
        raw=shown if isinstance(raw, str) and len(raw) > 40 else raw,
    )


def _nan(raw: object, th: str, en: str) -> Verdict:
    return Verdict(code="not-a-number", hint_th=th, hint_en=en, raw=raw)


def _from_number_text(text: str) -> Decimal | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    # Spreadsheets store doubles; the shortest repr is the number the member typed
    # (4.4999999999999996 is how some programs write 4.5).
    try:
        return Decimal(repr(value))
    except InvalidOperation:  # pragma: no cover - repr of a finite float is always valid
        return None


def _bounds(number: Decimal, maximum: Decimal, precision: int, raw: object) -> Verdict:
    if number < 0:
        return Verdict(code="negative-score", raw=raw)
    if number > maximum:
        return Verdict(code="score-above-max", raw=raw)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > precision:
        return Verdict(code="too-many-decimals", raw=raw)
    return Verdict(score=number, raw=raw)


# ---------------------------------------------------------------- what the cell shows

_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_PLACEHOLDER = "0#?"
_SCALING = re.compile(r"[0#?](,+)(?![0#?,])")


@dataclass(frozen=True)
class Display:
    """How a number format shows a score: ``kind`` names a format that shows another value
    (an error), else ``shown`` is the text shown when it rounds the score (a warning)."""

    shown: str
    kind_th: str = ""
    kind_en: str = ""

    @property
    def differs(self) -> bool:
        return bool(self.kind_en)


def _sections(code: str) -> list[str]:
    out, current, quoted, bracket = [], [], False, False
    escaped = False
    for ch in code:
        if escaped:
            current.append(ch)
            escaped = False
            continue
        if ch == "\\" and not quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "[" and not quoted:
            bracket = True
        elif ch == "]" and not quoted:
            bracket = False
        elif ch == ";" and not quoted and not bracket:
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
    out.append("".join(current))
    return out


def format_decimals(code: str) -> int | None:
    """How many decimals a format shows for a positive number; None for General, text and
    forms that show every digit (scientific, fractions)."""
    bare = _LITERALS.sub("", _sections(code)[0]).lower()
    if "general" in bare or not any(ch in bare for ch in _PLACEHOLDER) or "e" in bare or "/" in bare:
        return None
    _, dot, decimals = bare.partition(".")
    return sum(1 for ch in decimals if ch in _PLACEHOLDER) if dot else 0


def display(value: Decimal, code: str) -> Display | None:
    """What a cell formatted with ``code`` shows for the score ``value``, when that is not
    the score as recorded (None: it shows the score)."""
    sections = _sections(code)
    section = sections[2] if value == 0 and len(sections) >= 3 else sections[0]
    bare = _LITERALS.sub("", section).lower()
    if "general" in bare or bare.strip() == "@":
        return None
    if not any(ch in bare for ch in _PLACEHOLDER):
        if "@" in bare or (value == 0 and len(sections) >= 3):
            return None  # text, or a zero shown as a dash (as accounting formats do)
        # only literal text: the cell shows the text, never the score
        shown = "".join(m.group(0).strip('"') for m in _LITERALS.finditer(section) if m.group(0)[0] in '"\\')
        return Display(shown.replace("\\", "").strip() or "-", "ข้อความที่ไม่แสดงตัวเลข", "text that shows no number")
    if "e" in bare or "/" in bare:
        return None  # scientific notation and fractions show the value itself
    decimals = format_decimals(section) or 0
    shown_value = value
    kind_th = kind_en = ""
    if "%" in bare:
        shown_value = value * 100
        kind_th, kind_en = "ร้อยละ (%)", "a percentage"
    scaling = _SCALING.search(bare)
    if scaling is not None:
        shown_value = shown_value / Decimal(1000) ** len(scaling.group(1))
        kind_th, kind_en = "ตัวเลขหารด้วยพัน (,)", "a number scaled by thousands (,)"
    quantum = Decimal(1).scaleb(-decimals)
    rounded = shown_value.quantize(quantum, rounding=ROUND_HALF_UP)
    shown = format(rounded, "f") + ("%" if "%" in bare else "")
    if kind_en:
        return Display(shown, kind_th, kind_en)
    if rounded != value:
        return Display(shown)
    return None
