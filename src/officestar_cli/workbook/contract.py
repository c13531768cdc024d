"""The score workbook contract: names and places shared by the writer and the reader.

``docs/sheet-format.md`` describes the same contract for other programs; when
this module changes, that page and ``FORMAT_VERSION`` change with it.
"""

from __future__ import annotations

import re

FORMAT_VERSION = "officestar-score/1"

# The very hidden identity sheet: keys in column A, values in column B.
IDENTITY_SHEET = "_officestar"
IDENTITY_KEYS = ("format", "fingerprint", "fiscal_year", "round", "member", "workbook_id")
IDENTITY_OFFICE_KEY = "office"  # rows "office | <office id> | <sheet name when written>"

# The cover sheet: locked copies of the identity, one value per fixed cell.
COVER_CELLS = {
    "contest": "B3",
    "fiscal_year": "B4",
    "round": "B5",
    "member": "B6",
    "format": "B8",
    "fingerprint": "B9",
    "workbook_id": "B10",
}

# Office sheets.
OFFICE_ID_LABEL_COLUMN = "E"
OFFICE_ID_COLUMN = "F"
OFFICE_ID_ROW = 2  # where the template writes it; the reader searches rows 1..HEADER_SEARCH_ROWS
HEADER_SEARCH_ROWS = 10
HEADER_ROW = 4
ID_COLUMN = "A"
TITLE_COLUMN = "B"
DETAIL_COLUMN = "C"
MAX_COLUMN = "D"
SCORE_COLUMN = "E"
NOTES_COLUMN = "F"
FIRST_DATA_ROW = 5
# Rows a member may add (protection normally prevents it) before the reader stops looking.
SPARE_ROWS = 200

# Excel's rules for sheet names.
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name close to ``wanted``."""
    base = _BAD_SHEET_CHARS.sub("-", wanted).strip("'").strip() or "sheet"
    base = base[:SHEET_NAME_MAX]
    name, n = base, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def office_rows_limit(criteria: int, dimensions: int) -> int:
    """The last row the reader looks at on an office sheet."""
    return FIRST_DATA_ROW + criteria + 2 * dimensions + 2 + SPARE_ROWS

# Every workbook officestar writes as a report carries this custom document property
# (docProps/custom.xml), so that a report saved into a folder of returned workbooks is
# skipped with a note, never read as a member's file (docs/design.md, "Folders").
REPORT_MARKER_PROPERTY = "officestar-report"
