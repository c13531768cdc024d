"""One sheet's cells as the reader reads them, and a cell's text as the member typed it."""

from __future__ import annotations

from dataclasses import dataclass

from officestar_cli.intake.xlsx.model import SheetCells, SheetInfo


@dataclass
class Sheet:
    info: SheetInfo
    cells: SheetCells

    def text(self, row: int, col: int) -> str:
        cell = self.cells.cells.get((row, col))
        if cell is None or cell.text is None:
            return ""
        if cell.kind == "n":
            return number_text(cell.text)
        return cell.text.strip()

    def illegal(self, row: int, col: int) -> bool:
        """Whether the cell held a character XML cannot hold (now U+FFFD; docs/design.md, "Cell values")."""
        cell = self.cells.cells.get((row, col))
        return cell is not None and cell.illegal


def number_text(text: str) -> str:
    try:
        number = float(text)
    except ValueError:
        return text.strip()
    return str(int(number)) if number.is_integer() else repr(number)
