"""What counts as a score (PRODUCT.md, "Numbers users can defend").

A number, or text that is plainly a number (Thai digits and surrounding spaces,
no-break spaces included, are fine). Anything else is an Issue code, never a
guess: ``"4,5"``, ``"5 คะแนน"``, ``nan``, booleans, dates, error values and
formulas are refused; a blank is "not scored", never 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from officestar_cli.intake.xlsx.model import Cell

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Spaces a copy from a web page or LINE may bring, stripped at both ends.
_SPACES = " \t\r\n\u00a0\u2007\u202f\u2009\u200b\u3000\ufeff"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Verdict:
    """Either a score, a blank (both None), or an Issue code with a hint."""

    score: Decimal | None = None
    code: str | None = None
    hint_th: str = ""
    hint_en: str = ""
    raw: object = None

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


def raw_value(cell: Cell | None) -> object:
    """The value as found, for messages and JSON."""
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

            return excel_serial_to_iso(number)
        return number if number != int(number) or "e" in cell.text.lower() else int(number)
    return cell.text


def judge(cell: Cell | None, maximum: Decimal, precision: int) -> Verdict:
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
    return _judge(cell, maximum, precision)


def _judge(cell: Cell, maximum: Decimal, precision: int) -> Verdict:
    raw = raw_value(cell)
    if cell.formula is not None:
        return Verdict(code="formula-in-score", raw=raw)
    if cell.kind == "e":
        return _nan(raw, "(พบค่าผิดพลาด " + str(raw) + ")", "(found the error value " + str(raw) + ")")
    if cell.kind == "b":
        return _nan(raw, "(พบค่าจริง/เท็จ)", "(found a TRUE/FALSE value)")
    if cell.kind == "d" or (cell.kind == "n" and cell.date_style):
        return _nan(raw, "(พบวันที่ ช่องนี้อาจถูกจัดรูปแบบเป็นวันที่)", "(found a date; the cell may be formatted as a date)")
    text = cell.text or ""
    if cell.kind == "n":
        number = _from_number_text(text)
        if number is None:
            return _nan(raw, "", "")
    else:
        cleaned = text.strip(_SPACES).translate(_THAI_DIGITS)
        if not cleaned:
            return Verdict(raw=raw)  # spaces only: still blank
        if "," in cleaned and _NUMBER.match(cleaned.replace(",", ".")):
            return _nan(raw, "(ใช้จุดเป็นทศนิยม เช่น 4.5 ไม่ใช่ 4,5)", "(use a dot for decimals: 4.5, not 4,5)")
        if not _NUMBER.match(cleaned):
            return _nan(raw, "(ไม่ต้องพิมพ์หน่วยหรือข้อความ)", "(no units or words)")
        number = Decimal(cleaned)
    return _bounds(number, maximum, precision, raw)


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
