"""The workflow as library calls: rubric, template, check, score, rank, history, init (``officestar_cli.api``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from officestar_cli.api.inputs import PathLike, Paths, RubricLike, Tick, load, paths_of, store_path
from officestar_cli.api.results import (
    CheckResult,
    HistoryResult,
    InitResult,
    RoundReport,
    RubricResult,
    TemplateResult,
)
from officestar_cli.base.errors import OfficestarError

if TYPE_CHECKING:
    from officestar_cli.intake.batch import FileResult
    from officestar_cli.rubric.model import Rubric
    from officestar_cli.store.store import Store

__all__ = [
    "CheckResult",
    "HistoryResult",
    "InitResult",
    "OfficestarError",
    "RoundReport",
    "RubricResult",
    "TemplateResult",
    "check",
    "history",
    "init",
    "load",
    "rank",
    "rubric",
    "score",
    "template",
]


# --------------------------------------------------------------------------- commands


def init(folder: PathLike = ".", *, force: bool = False) -> InitResult:
    """Write the packaged rubric, with its comments, as ``FOLDER/rubric.yaml``; refuse to overwrite unless ``force``."""
    from officestar_cli.base.atomic import atomic_write_text, check_writable, ensure_folder
    from officestar_cli.base.errors import OutputError
    from officestar_cli.rubric.load import packaged_rubric_text

    target = Path(folder) / "rubric.yaml"
    existed = target.exists()
    if existed and not force:
        raise OutputError(
            f"มี {target} อยู่แล้ว ไม่เขียนทับ (ใช้ --force เพื่อเขียนทับ)",
            f"{target} already exists; not overwritten (use --force to replace it)",
        )
    check_writable(target)
    ensure_folder(target.parent)
    atomic_write_text(target, packaged_rubric_text())
    return InitResult(target, existed)


def rubric(source: RubricLike = None) -> RubricResult:
    """Load the rubric and check that it adds up (raises ``OfficestarError`` when it does not)."""
    return RubricResult(load(source))


def template(
    source: RubricLike = None,
    *,
    round_no: int | None = None,
    members: Sequence[str] | None = None,
    out: PathLike | None = None,
    force: bool = False,
) -> TemplateResult:
    """Write blank score workbooks, one per member (default: the rubric's committee)."""
    from officestar_cli.workbook.template import write_templates

    loaded = load(source)
    round_value = round_no or loaded.round
    names = list(members if members is not None else [m.name for m in loaded.committee])
    if any(not m.strip() for m in names):
        raise OfficestarError("ชื่อกรรมการต้องไม่ว่าง (--evaluator)", "--evaluator must not be empty")
    if members is not None and loaded.committee:
        refuse_strangers(loaded, names)
    folder = Path(out) if out is not None else Path("sheets") / f"round-{round_value}"
    written = write_templates(loaded, round_value, names, folder, force=force)
    return TemplateResult(loaded, round_value, folder, written)


def refuse_strangers(rubric: Rubric, names: Sequence[str], *, option: str = "--evaluator") -> None:
    """A declared committee is the list of who may score (docs/design.md, "Expected members and quorum")."""
    import difflib

    from officestar_cli.base.names import member_key

    committee = [m.name for m in rubric.committee]
    keys = {member_key(n) for n in committee}
    strangers = [n for n in names if member_key(n) not in keys]
    if strangers:
        close = {n: ", ".join(difflib.get_close_matches(member_key(n), committee, n=3, cutoff=0.0)) for n in strangers}
        th = "; ".join(f"{n} (ชื่อที่ใกล้เคียง: {c})" for n, c in close.items())
        en = "; ".join(f"{n} (closest: {c})" for n, c in close.items())
        raise OfficestarError(
            f"{option} ไม่อยู่ในคณะกรรมการของเกณฑ์: {th} แก้ชื่อ หรือเพิ่มชื่อใน committee ของ rubric.yaml",
            f"{option} not on the rubric's committee: {en}. Correct the name, or add it to the committee in "
            "rubric.yaml",
        )


def check(
    paths: Paths, source: RubricLike = None, *, round_no: int | None = None, progress: Tick | None = None
) -> CheckResult:
    """Read and check returned workbooks (files, folders or globs); store nothing."""
    from officestar_cli.intake.batch import check_results, read_all

    loaded = load(source)
    round_value = round_no or loaded.round
    found = paths_of(paths)
    readings = read_all(found, loaded, round_value, progress)
    return CheckResult(loaded, round_value, check_results(readings))


def score(
    paths: Paths,
    source: RubricLike = None,
    *,
    round_no: int | None = None,
    store: PathLike | None = None,
    method: str | None = None,
    out: PathLike | None = None,
    reports: bool = True,
    date: dt.date | None = None,
    lang: str = "th",
    progress: Tick | None = None,
) -> RoundReport:
    """Check and record returned workbooks, then rank the round and (unless ``reports=False``) write reports."""
    from officestar_cli.intake.batch import read_all
    from officestar_cli.store.record import record_all
    from officestar_cli.store.store import Store

    loaded = load(source)
    round_value = round_no or loaded.round
    _check_method(method)
    found = paths_of(paths)
    with Store(store_path(store), create=True) as opened:
        readings = read_all(found, loaded, round_value, progress)
        files = record_all(opened, readings, loaded, round_value)
        rejected = any(f.status == "rejected" for f in files)
        return _ranked(opened, loaded, round_value, method, out, reports, date, lang, files, rejected)


def rank(
    source: RubricLike = None,
    *,
    round_no: int | None = None,
    store: PathLike | None = None,
    method: str | None = None,
    out: PathLike | None = None,
    reports: bool = True,
    date: dt.date | None = None,
    lang: str = "th",
) -> RoundReport:
    """Rank a recorded round from the store alone and (unless ``reports=False``) write its reports."""
    from officestar_cli.store.store import Store

    loaded = load(source)
    round_value = round_no or loaded.round
    _check_method(method)
    with Store(store_path(store), create=False) as opened:
        if not opened.files(loaded.fiscal_year, round_value, current_only=True):
            if opened.files(loaded.fiscal_year, round_value, current_only=False):
                raise OfficestarError(
                    f"ทุกไฟล์ของปีงบประมาณ {loaded.fiscal_year} รอบที่ {round_value} ถูกถอนออกแล้ว ไม่มีคะแนนที่นับ "
                    "ดูด้วย officestar history และนำไฟล์กลับมานับด้วย officestar restore",
                    f"Every file of FY {loaded.fiscal_year} round {round_value} is withdrawn: no score counts. "
                    "See officestar history; officestar restore counts a file again",
                )
            raise OfficestarError(
                f"ฐานข้อมูลยังไม่มีแบบประเมินของปีงบประมาณ {loaded.fiscal_year} รอบที่ {round_value}",
                f"The store holds no workbook for FY {loaded.fiscal_year} round {round_value}",
            )
        return _ranked(opened, loaded, round_value, method, out, reports, date, lang, None, False)


def history(source: RubricLike = None, *, round_no: int | None = None, store: PathLike | None = None,
            changes: bool = False) -> HistoryResult:
    """Every file the store holds for the round (current, superseded, withdrawn), the rejected
    attempts, every withdrawal and restoration, and (``changes``) what each correction changed."""
    from officestar_cli.scoring.aggregate import corrections_of
    from officestar_cli.store.store import Store

    loaded = load(source)
    round_value = round_no or loaded.round
    fy = loaded.fiscal_year
    with Store(store_path(store), create=False) as opened, opened.snapshot():
        rows = opened.files(fy, round_value, current_only=False)
        attempts = opened.attempts(fy, round_value)
        events = opened.file_events(fy, round_value)
        found = corrections_of(opened, rows, [o.id for o in loaded.offices]) if changes else None
    return HistoryResult(loaded, round_value, rows, attempts, events, found)


# --------------------------------------------------------------------------- shared


def _check_method(method: str | None) -> None:
    from officestar_cli.scoring.aggregate import METHODS

    if method is not None and method not in METHODS:
        raise OfficestarError(
            f"วิธีรวมคะแนนต้องเป็น {', '.join(METHODS)} (ได้รับ {method!r})",
            f"method must be one of {', '.join(METHODS)} (got {method!r})",
        )


def _ranked(
    opened: Store, loaded: Rubric, round_value: int, method: str | None, out: PathLike | None, reports: bool,
    date: dt.date | None, lang: str, files: list[FileResult] | None, rejected: bool,
) -> RoundReport:
    """Aggregate the round and write its reports (shared by score and rank)."""
    from officestar_cli.scoring.aggregate import aggregate

    recorded_under = opened.round_fingerprint(loaded.fiscal_year, round_value)
    if recorded_under not in (None, loaded.fingerprint):
        from officestar_cli.intake.rubric_diff import recorded_under_another_rubric

        raise recorded_under_another_rubric(recorded_under, loaded, round_value,
                                            opened.round_rubric(loaded.fiscal_year, round_value))
    with opened.snapshot():  # another run may be recording into the same store
        result = aggregate(opened, loaded, round_value, method)
    provisional = rejected or not result.complete
    written: list[Path] = []
    if reports and result.files:
        from officestar_cli import __version__
        from officestar_cli.reports.write import write_reports

        folder = Path(out) if out is not None else Path("reports") / f"round-{round_value}"
        written = write_reports(result, folder, lang=lang, date=date or local_day(result.latest_import),
                                provisional=provisional, tool_version=__version__)
    return RoundReport(loaded, round_value, result, provisional, files, written)


def local_day(stamp: str | None) -> dt.date:
    """The day of a stored UTC time in this machine's time zone (the report date by default)."""
    if stamp is None:
        return dt.date(2000, 1, 1)
    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone().date()
