"""What the xlsx layer hands to the reader: sheets, cells, and the one error it raises."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class XlsxError(Exception):
    """The container cannot be read; ``code`` is an Issue code."""

    def __init__(self, code: str, reason: str = "", **extra: str) -> None:
        super().__init__(reason or code)
        self.code = code
        self.reason = reason
        self.extra = extra


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str


class Cell(NamedTuple):
    """One cell as the workbook means it (docs/reliability.md, "One reading truth").

    ``illegal`` is True when the text (or formula) held characters XML 1.0 does not allow,
    written raw, as a character reference or as an ``_xHHHH_`` escape: each of them is
    U+FFFD in ``text``, so no such character goes further; the reader decides what the
    cell may then be (a note: a warning; a score or identity cell: an error)."""

    row: int
    col: int
    kind: str  # n, s (any text), b, e, d; as written in the file's t attribute, shared strings resolved
    text: str | None  # the value as written (number text, string, error name)
    formula: str | None
    date_style: bool
    illegal: bool = False

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


@dataclass
class SheetCells:
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    stray: list[Cell] = field(default_factory=list)  # values outside the asked area (first few)
    stray_count: int = 0


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int] | None:
    match = _REF.match(ref.upper())
    if not match:
        return None
    return int(match.group(2)), column_index(match.group(1))


def merge_area(ref: str) -> tuple[int, int, int, int] | None:
    """``"A1:F1"`` as (row, column, row, column)."""
    first, _, last = ref.partition(":")
    a, b = split_ref(first), split_ref(last or first)
    return (a[0], a[1], b[0], b[1]) if a and b else None


def place(out: SheetCells, cell: Cell, max_row: int, max_col: int) -> None:
    if cell.row <= max_row and cell.col <= max_col:
        out.cells[(cell.row, cell.col)] = cell
    else:
        stray(out, cell)


def stray(out: SheetCells, cell: Cell) -> None:
    out.stray_count += 1
    if len(out.stray) < 5:
        out.stray.append(cell)


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def int_or(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default
