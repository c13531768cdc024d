"""Returned workbooks for the reader, store and check tests.

A workbook is made by ``officestar_cli.workbook.template.build_workbook``, saved, filled
by ``fill.fill_workbook`` the way a member would, and then changed one hazard at
a time: with openpyxl (what a member's spreadsheet program could do) or by
rewriting a part of the zip (what only a broken or hostile file does).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook

from fill import fill_workbook
from officestar_cli.intake.reader import Reading
from officestar_cli.intake.xlsx.container import Limits, XlsxFile
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook.template import build_workbook

Found = tuple[str, str | None, str | None]


def score_for(rubric: Rubric, shift: Decimal = Decimal(0)) -> Callable[[str, str], Decimal]:
    """A different score in every cell, so a row or sheet read in the wrong place shows.

    ``shift`` moves every score by a few hundredths, for a second, different copy
    of the same workbook.
    """
    office_index = {office.id: i for i, office in enumerate(rubric.offices)}
    criterion_index = {criterion.id: i for i, criterion in enumerate(rubric.criteria)}

    def score(office_id: str, criterion_id: str) -> Decimal:
        fraction = (
            Decimal("0.40")
            + Decimal("0.02") * office_index[office_id]
            + Decimal("0.01") * criterion_index[criterion_id]
            + shift
        )
        maximum = rubric.criterion_by_id[criterion_id].max
        return min(maximum, (maximum * fraction).quantize(Decimal("0.01")))

    return score


def expected_scores(
    rubric: Rubric, score: Callable[[str, str], Decimal], offices: list[str] | None = None
) -> dict[tuple[str, str], Decimal]:
    wanted = offices if offices is not None else [o.id for o in rubric.offices]
    return {(o, c.id): score(o, c.id) for o in wanted for c in rubric.criteria}


def scores_of(reading: Reading) -> dict[tuple[str, str], Decimal]:
    return {(s.office_id, s.criterion_id): s.value for s in reading.scores}


def found(reading: Reading) -> list[Found]:
    """Every Issue of a reading as (code, sheet, cell), in the order reported."""
    return [(i.code, i.sheet, i.cell) for i in reading.issues]


def make_template(
    rubric: Rubric, round_no: int, member: str | None, dst: Path, workbook_id: str | None = None
) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(rubric, round_no, member, workbook_id).save(dst)
    return dst


def make_filled(
    rubric: Rubric,
    round_no: int,
    member: str | None,
    dst: Path,
    *,
    workbook_id: str | None = None,
    shift: Decimal = Decimal(0),
    typed_member: str | None = None,
) -> Path:
    """A template for ``member``, filled with ``score_for(rubric, shift)``."""
    blank = dst.with_name(dst.stem + "-template.xlsx")
    make_template(rubric, round_no, member, blank, workbook_id)
    fill_workbook(blank, dst, rubric, score_for(rubric, shift), typed_member)
    blank.unlink()
    return dst


def mutate(src: Path, dst: Path, change: Callable[[Workbook], object]) -> Path:
    """Open ``src`` with openpyxl, apply ``change``, save as ``dst``."""
    workbook = load_workbook(src)
    change(workbook)
    dst.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(dst)
    return dst


def copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member that holds ``sheet`` (e.g. ``xl/worksheets/sheet4.xml``)."""
    with XlsxFile(path.read_bytes(), Limits.for_offices(100)) as book:
        for info in book.sheets:
            if info.name == sheet:
                return info.part
    raise KeyError(sheet)


def rewrite_parts(src: Path, dst: Path, changes: dict[str, Callable[[bytes], bytes | None]]) -> Path:
    """Copy the zip ``src`` to ``dst`` with some members changed (None drops a member)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data: bytes | None = old.read(info)
            change = changes.get(info.filename)
            if change is not None:
                data = change(data or b"")
            if data is not None:
                new.writestr(info.filename, data)
    return dst
