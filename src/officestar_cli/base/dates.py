"""Dates: Excel serial numbers, and Buddhist-era dates for reports."""

from __future__ import annotations

import datetime as dt

_EPOCH = dt.datetime(1899, 12, 30)
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)


_EPOCH_1904 = dt.datetime(1904, 1, 1)
_EPOCH_BEFORE_MARCH_1900 = dt.datetime(1899, 12, 31)
# The 1900 date system counts a 29 February 1900 that never was (serial 60), as Lotus 1-2-3 did:
# serials from 61 on count from 30 December 1899, the ones before from 31 December 1899.
_FIRST_TRUE_1900_SERIAL = 61


def excel_serial_to_iso(serial: float, date1904: bool = False) -> str:
    """The date (and time) a spreadsheet shows for a serial number, in either date system."""
    if not date1904 and 60 <= serial < _FIRST_TRUE_1900_SERIAL:
        return "1900-02-29"  # what the spreadsheet shows; no calendar has it
    if date1904:
        epoch = _EPOCH_1904
    elif 0 <= serial < 60:
        epoch = _EPOCH_BEFORE_MARCH_1900
    else:
        epoch = _EPOCH
    try:
        moment = epoch + dt.timedelta(days=serial)
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
