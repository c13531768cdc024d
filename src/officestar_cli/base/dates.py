"""Dates: Excel serial numbers, and Buddhist-era dates for reports."""

from __future__ import annotations

import datetime as dt

_EPOCH = dt.datetime(1899, 12, 30)
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)


def excel_serial_to_iso(serial: float) -> str:
    try:
        moment = _EPOCH + dt.timedelta(days=serial)
    except OverflowError:
        return str(serial)
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def thai_date(day: dt.date, lang: str = "th") -> str:
    """25 พฤศจิกายน 2569 (Buddhist era), or 25 November 2026 (BE 2569) in English."""
    if lang == "th":
        return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"
    return f"{day.day} {day:%B} {day.year} (BE {day.year + 543})"
