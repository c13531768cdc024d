"""What a cell's XML means: the one rule both reading paths apply (docs/reliability.md,
"One reading truth").

A cell is its type (``t``), its first ``<f>``, its first ``<v>`` and its first ``<is>``:

- ``<is>`` present: the cell is that inline string, whatever ``<v>`` says;
- an empty ``<v/>`` is no value: with no formula the cell is empty (``<c t="s"><v/></c>``
  included);
- ``t="s"``: the shared string the value indexes (a bad index is a corrupt workbook);
- ``t="str"`` and ``t="inlineStr"``: a string, ST_Xstring escapes decoded; a formula only
  when an ``<f>`` is there;
- a number (no ``t``, or ``t="n"``) not written as a number literal (``4_0``, Thai digits)
  is the text it is, so it can be no score;
- any other type is kept as written (b, e, d, or an unknown one).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from officestar_cli.intake.xlsx.model import Cell, XlsxError, column_letter, int_or
from officestar_cli.intake.xlsx.text import clean, number_literal


class StringTable(Protocol):
    @property
    def strings(self) -> list[str]: ...

    @property
    def illegal_strings(self) -> frozenset[int]: ...


def inline_text(runs: Iterable[str], marker: str | None) -> tuple[str, bool]:
    """An inline string from its runs, each decoded on its own (as Excel escapes them)."""
    parts: list[str] = []
    illegal = False
    for run in runs:
        text, flagged = clean(run, marker, True)
        parts.append(text)
        illegal = illegal or flagged
    return "".join(parts), illegal


def make_cell(
    table: StringTable, sheet: str, row: int, col: int, raw_kind: str, value: str | None,
    inline: tuple[str, bool] | None, formula: str | None, date_style: bool, marker: str | None,
) -> Cell | None:
    """The cell, or None for an empty one; ``value`` is the text of the first ``<v>``,
    ``inline`` the text of the first ``<is>`` and whether it held an illegal character."""
    illegal = False
    if formula:
        formula, illegal = clean(formula, marker, False)
    if inline is not None:
        return Cell(row, col, "s", inline[0], formula, date_style, illegal or inline[1])
    raw_kind = raw_kind or "n"
    if not value:
        if formula is None:
            return None
        kind = "s" if raw_kind in ("s", "str", "inlineStr") else raw_kind
        return Cell(row, col, kind, value, formula, date_style, illegal)
    if raw_kind == "s":
        index = int_or(value, -1)
        strings = table.strings
        if not 0 <= index < len(strings):
            raise XlsxError("corrupt-workbook", f"{sheet}!{column_letter(col)}{row}: bad string index")
        return Cell(row, col, "s", strings[index], formula, date_style, illegal or index in table.illegal_strings)
    if raw_kind in ("str", "inlineStr"):
        text, flagged = clean(value, marker, True)
        return Cell(row, col, "s", text, formula, date_style, illegal or flagged)
    text, flagged = clean(value, marker, False)
    kind = "s" if raw_kind == "n" and not number_literal(text) else raw_kind
    return Cell(row, col, kind, text, formula, date_style, illegal or flagged)
