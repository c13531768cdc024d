"""How the contest moved: two recorded rounds of one store compared (docs/commands.md, ``compare``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officestar_cli.api.inputs import PathLike, RubricLike, load
from officestar_cli.api.workflow import local_day
from officestar_cli.base.errors import OfficestarError

if TYPE_CHECKING:
    from officestar_cli.rubric.model import Rubric
    from officestar_cli.scoring.compare import Comparison
    from officestar_cli.store.store import Store

__all__ = ["CompareResult", "compare", "parse_round"]

RoundId = tuple[int, int]  # (fiscal year, round)
_SPEC = re.compile(r"(\d{4})/(\d{1,2})")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_round(text: str, option: str = "--from") -> RoundId:
    """``2567/2`` (Thai digits allowed) as (fiscal year, round); anything else is exit 2 with the form."""
    from officestar_cli.rubric.model import ROUND_MAX

    cleaned = text.strip().translate(_THAI_DIGITS)
    found = _SPEC.fullmatch(cleaned) if cleaned.isascii() else None
    if found is not None:
        year, round_no = int(found.group(1)), int(found.group(2))
        if 2400 <= year <= 3000 and 1 <= round_no <= ROUND_MAX:
            return year, round_no
    raise OfficestarError(
        f"{option}: ต้องเป็น ปีงบประมาณ/รอบ เช่น 2567/2 (ปี พ.ศ. 2400–3000 รอบ 1–{ROUND_MAX}) ได้รับ {text!r}",
        f"{option}: use FISCAL-YEAR/ROUND, e.g. 2567/2 (Buddhist-era year 2400-3000, round 1-{ROUND_MAX}); "
        f"got {text!r}",
    )


@dataclass
class CompareResult:
    """``officestar compare``: every office's move from one round to another."""

    rubric: Rubric
    comparison: Comparison
    reports: list[Path] = field(default_factory=list)
    valid: bool = True  # what cannot be compared is listed, not a failure

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.compare_json import comparison_as_json

        data = comparison_as_json(self.comparison, lang)
        data["reports"] = [str(p) for p in self.reports]
        return data


def _missing(which: RoundId) -> OfficestarError:
    year, round_no = which
    return OfficestarError(
        f"ฐานข้อมูลไม่มีผลของปีงบประมาณ {year} รอบที่ {round_no} (ดูรอบที่มีด้วย officestar history)",
        f"The store holds no round FY {year} round {round_no} (officestar history lists what it holds)",
    )


def _ranked_round(opened: Store, given: Rubric, which: RoundId) -> tuple[Any, bool]:
    from officestar_cli.scoring.aggregate import aggregate
    from officestar_cli.scoring.recorded import recorded_rubric

    year, round_no = which
    if opened.round_fingerprint(year, round_no) is None or not opened.files(year, round_no, current_only=True):
        raise _missing(which)
    found = recorded_rubric(given, opened, year, round_no)
    return aggregate(opened, found.rubric, round_no), found.known


def compare(
    source: RubricLike = None,
    *,
    earlier: RoundId | str,
    later: RoundId | str,
    store: PathLike | None = None,
    out: PathLike | None = None,
    reports: bool = True,
    date: dt.date | None = None,
    lang: str = "th",
) -> CompareResult:
    """Compare round ``earlier`` with round ``later`` (each ``(fiscal year, round)`` or ``"2567/2"``)
    of one store and (unless ``reports=False``) write the Excel, Markdown and HTML reports."""
    from officestar_cli.scoring.compare import compare_results, noise_of
    from officestar_cli.store.store import Store, resolve_store_path

    given = load(source)
    before_id = parse_round(earlier, "--from") if isinstance(earlier, str) else earlier
    after_id = parse_round(later, "--to") if isinstance(later, str) else later
    path = resolve_store_path(None if store is None else Path(store))
    with Store(path, create=False) as opened, opened.snapshot():  # both rounds from one view of the store
        before, before_known = _ranked_round(opened, given, before_id)
        after, after_known = _ranked_round(opened, given, after_id)
    comparison = compare_results(before, after, noise_of(after), (before_known, after_known))
    written: list[Path] = []
    if reports:
        from officestar_cli import __version__
        from officestar_cli.reports.compare_report import write_compare_reports

        folder = Path(out) if out is not None else Path("reports") / f"round-{after.round}"
        written = write_compare_reports(comparison, folder, lang=lang, date=date or local_day(after.latest_import),
                                        tool_version=__version__)
    return CompareResult(given, comparison, written)
