"""The command layer: gather options, call one library function, print the outcome.

Heavy libraries (openpyxl, jinja2, pandas) are imported inside the commands
that use them, so ``officestar --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from officestar_cli import __version__
from officestar_cli.base.errors import OfficestarError
from officestar_cli.base.exit_codes import ExitCode
from officestar_cli.base.interpreter import relax_garbage_collection
from officestar_cli.cli.terminal import Ui, default_lang, emit_json

if TYPE_CHECKING:
    from officestar_cli.rubric.model import Rubric
    from officestar_cli.store.store import Store

app = typer.Typer(
    name="officestar",
    help=(
        "officestar: run a rubric-scored office contest (การประกวด) from blank score "
        "workbooks (แบบประเมิน) to signed results (ผลการประเมิน). "
        "Workflow: rubric → template → check → score → rank."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

RubricOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at run time on Python 3.10
    typer.Option(
        "--rubric",
        help="Rubric file (เกณฑ์). Default: $OFFICESTAR_RUBRIC, else ./rubric.yaml, "
        "else the rubric packaged with officestar.",
        show_default=False,
    ),
]
LangOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", help="Language of messages: th (ไทย, default) or en.", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout instead.")]
RoundOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--round", min=1, help="Evaluation round (รอบ). Default: the rubric's round.",
                 show_default=False),
]


def _lang(value: str | None) -> str:
    if value is None:
        return default_lang()
    value = value.strip().lower()
    if value not in ("th", "en"):
        raise typer.BadParameter("use th or en / ใช้ th หรือ en", param_hint="--lang")
    return value


@contextlib.contextmanager
def guarded(ui: Ui) -> Iterator[None]:
    """Map user-fixable problems and Ctrl-C to messages and exit codes; bugs keep tracebacks."""
    try:
        yield
    except OfficestarError as exc:
        ui.err.print(exc.message(ui.lang), style="bold red", markup=False)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        ui.say("หยุดตามคำสั่ง (Ctrl-C) ไม่มีไฟล์ใดถูกเขียนค้างไว้", "Interrupted (Ctrl-C); nothing half-written was left")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except sqlite3.DatabaseError as exc:
        from officestar_cli.store.store import unusable_store

        problem = unusable_store(exc)
        if problem is None:
            raise
        ui.err.print(problem.message(ui.lang), style="bold red", markup=False)
        raise typer.Exit(int(problem.exit_code)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"officestar {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """officestar: rubric-scored office contests (Office Star CDD LAMPANG)."""


# --------------------------------------------------------------------------- rubric


@app.command()
def rubric(
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Show the rubric (เกณฑ์การประเมิน) and check that it adds up: dimensions, criteria,
    tiers (ระดับ), offices (หน่วยงาน) and the fingerprint. Exit 2 when it is broken."""
    from officestar_cli.rubric.model import load_rubric, rubric_as_json

    ui = Ui(_lang(lang))
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        if json_out:
            emit_json(rubric_as_json(loaded))
            return
        from officestar_cli.cli.views import show_rubric

        show_rubric(ui, loaded)


# --------------------------------------------------------------------------- template


@app.command()
def template(
    round_no: RoundOpt = None,
    evaluator: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--evaluator",
            help="Committee member (กรรมการ) to write a workbook for; repeat for each. "
            "Default: the rubric's committee; with none, one blank workbook.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", help="Folder to write into. Default: sheets/round-N/.", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing workbooks.")] = False,
    rubric_path: RubricOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write blank score workbooks (แบบประเมิน .xlsx), one per committee member."""
    from officestar_cli.rubric.model import load_rubric

    ui = Ui(_lang(lang))
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        round_value = round_no or loaded.round
        members = list(evaluator or [m.name for m in loaded.committee])
        if any(not m.strip() for m in members):
            raise OfficestarError("ชื่อกรรมการต้องไม่ว่าง (--evaluator)", "--evaluator must not be empty")
        folder = out if out is not None else Path("sheets") / f"round-{round_value}"
        from officestar_cli.workbook.template import write_templates

        written = write_templates(loaded, round_value, members, folder, force=force)
        for item in written:
            who = item.member or ui.t("(ว่าง ให้กรรมการกรอกชื่อที่หน้าปก)", "(blank: member types a name on the cover)")
            ui.err.print(f"  {item.path}  {who}", markup=False)
        ui.say(
            f"เขียนแบบประเมิน {len(written)} ไฟล์ ปีงบประมาณ {loaded.fiscal_year} รอบที่ {round_value} ใน {folder}",
            f"Wrote {len(written)} workbook(s) for FY {loaded.fiscal_year} round {round_value} in {folder}",
            style="green",
        )


StoreOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--store", help="Round store (ฐานข้อมูลรอบ, SQLite). Default: $OFFICESTAR_STORE, "
                 "else ./officestar.sqlite3.", show_default=False),
]
OutOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--out", help="Folder the reports are written into. Default: reports/round-N/.",
                 show_default=False),
]
MethodOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--method", help="How members' totals combine (วิธีรวมคะแนน): mean, median or trimmed. "
                 "Default: the rubric's.", show_default=False),
]
DateOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--date", help="Report date as YYYY-MM-DD (CE). Default: the latest import.",
                 show_default=False),
]
FilesArg = Annotated[
    Optional[list[str]],  # noqa: UP045 - optional so that a missing argument gets a Thai message
    typer.Argument(help="Returned workbooks (.xlsx): files, folders or globs.", show_default=False),
]


def _method(value: str | None) -> str | None:
    from officestar_cli.scoring.aggregate import METHODS

    if value is not None and value not in METHODS:
        raise typer.BadParameter(f"use one of {', '.join(METHODS)}", param_hint="--method")
    return value


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD / ใช้รูปแบบ ปปปป-ดด-วว (ค.ศ.)", param_hint="--date") from None


@app.command()
def check(
    files: FilesArg = None,
    round_no: RoundOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Check returned workbooks and list every problem as file › sheet › cell (ตรวจแบบประเมิน).
    Stores nothing. Exit 1 when any file has an error."""
    from officestar_cli.intake.batch import all_issues, check_results, read_all
    from officestar_cli.intake.paths import expand_inputs
    from officestar_cli.rubric.model import load_rubric

    ui = Ui(_lang(lang))
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        paths = expand_inputs(files or [])
        with _progress(ui, len(paths)) as tick:
            readings = read_all(paths, loaded, round_no or loaded.round, tick)
        results = check_results(readings)
        issues = all_issues(readings)
        valid = all(r.status != "rejected" for r in results)
        if json_out:
            emit_json(
                {
                    "valid": valid,
                    "files": [r.as_json() for r in results],
                    "issues": [i.as_json(ui.lang) for i in issues],
                }
            )
        else:
            from officestar_cli.cli.views import show_files

            show_files(ui, results, stored=False)
    if not valid:
        raise typer.Exit(int(ExitCode.REJECTED))


@contextlib.contextmanager
def _progress(ui: Ui, total: int) -> Iterator[Callable[[], None] | None]:
    """A progress bar on stderr when reading more than a few files."""
    if total <= 5 or not ui.err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(ui.t("อ่านแบบประเมิน", "Reading")), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=ui.err, transient=True,
    ) as progress:
        task = progress.add_task("read", total=total)
        yield lambda: progress.advance(task)


@app.command()
def score(
    files: FilesArg = None,
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    method: MethodOpt = None,
    rubric_path: RubricOpt = None,
    date: DateOpt = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="Record and rank only; write no reports.")] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Validate and record returned workbooks, then aggregate, tier and rank the round and
    write the reports (บันทึกคะแนน จัดระดับ จัดอันดับ และออกรายงาน). Exit 1 if any file was rejected."""
    from officestar_cli.intake.batch import all_issues, read_all
    from officestar_cli.intake.paths import expand_inputs
    from officestar_cli.rubric.model import load_rubric
    from officestar_cli.store.record import record_all
    from officestar_cli.store.store import Store, resolve_store_path

    ui = Ui(_lang(lang))
    chosen = _method(method)
    day = _date(date)
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        round_value = round_no or loaded.round
        paths = expand_inputs(files or [])
        with Store(resolve_store_path(store), create=True) as opened:
            with _progress(ui, len(paths)) as tick:
                readings = read_all(paths, loaded, round_value, tick)
            results = record_all(opened, readings, loaded, round_value)
            rejected = any(r.status == "rejected" for r in results)
            if not json_out:
                from officestar_cli.cli.views import show_files

                show_files(ui, results, stored=True)
            _finish(ui, opened, loaded, round_value, chosen, out, day, no_report, json_out,
                    rejected=rejected, files=[r.as_json() for r in results],
                    issues=[i.as_json(ui.lang) for i in all_issues(readings)])
    if rejected:
        raise typer.Exit(int(ExitCode.REJECTED))


@app.command()
def rank(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    out: OutOpt = None,
    method: MethodOpt = None,
    rubric_path: RubricOpt = None,
    date: DateOpt = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="Rank only; write no reports.")] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Rebuild the ranking and the reports from the round store alone (จัดอันดับจากฐานข้อมูล)."""
    from officestar_cli.rubric.model import load_rubric
    from officestar_cli.store.store import Store, resolve_store_path

    ui = Ui(_lang(lang))
    chosen = _method(method)
    day = _date(date)
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        round_value = round_no or loaded.round
        with Store(resolve_store_path(store), create=False) as opened:
            if not opened.files(loaded.fiscal_year, round_value, current_only=True):
                raise OfficestarError(
                    f"ฐานข้อมูลยังไม่มีแบบประเมินของปีงบประมาณ {loaded.fiscal_year} รอบที่ {round_value}",
                    f"The store holds no workbook for FY {loaded.fiscal_year} round {round_value}",
                )
            _finish(ui, opened, loaded, round_value, chosen, out, day, no_report, json_out,
                    rejected=False, files=None, issues=None)


def _finish(
    ui: Ui, opened: Store, loaded: Rubric, round_value: int, method: str | None, out: Path | None,
    day: dt.date | None, no_report: bool, json_out: bool, *, rejected: bool,
    files: list[dict[str, Any]] | None, issues: list[dict[str, Any]] | None,
) -> None:
    """Aggregate the round, print it, and write the reports (shared by score and rank)."""
    from officestar_cli.reports.json import round_as_json
    from officestar_cli.scoring.aggregate import aggregate

    if opened.round_fingerprint(loaded.fiscal_year, round_value) not in (None, loaded.fingerprint):
        raise OfficestarError(
            f"ฐานข้อมูลรอบนี้บันทึกด้วยเกณฑ์อื่น ({opened.round_fingerprint(loaded.fiscal_year, round_value)}"
            f") ไม่ใช่ {loaded.short_fingerprint} ใช้ --rubric ให้ตรงกับที่ใช้บันทึก",
            "This round was recorded under another rubric; pass the matching one with --rubric",
        )
    with opened.snapshot():  # another run may be recording into the same store
        result = aggregate(opened, loaded, round_value, method)
    provisional = rejected or not result.complete
    written: list[Path] = []
    if not no_report and result.files:
        from officestar_cli import __version__ as version
        from officestar_cli.reports.write import write_reports

        folder = out if out is not None else Path("reports") / f"round-{round_value}"
        report_day = day or _day_of(result.latest_import)
        written = write_reports(result, folder, lang=ui.lang, date=report_day, provisional=provisional,
                                tool_version=version)
    if json_out:
        data = round_as_json(result, provisional=provisional)
        if files is not None:
            data["files"] = files
        if issues is not None:
            data["issues"] = issues
        emit_json(data)
        return
    from officestar_cli.cli.views import show_ranking

    show_ranking(ui, result, provisional=provisional)
    for path in written:
        ui.say(f"รายงาน: {path}", f"Report: {path}")


def _day_of(stamp: str | None) -> dt.date:
    if stamp is None:
        return dt.date(2000, 1, 1)
    return dt.datetime.fromisoformat(stamp).date()


@app.command()
def history(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """List what the store holds per member: file, SHA-256, import time, current or
    superseded (ประวัติการบันทึก)."""
    from officestar_cli.rubric.model import load_rubric
    from officestar_cli.store.store import Store, resolve_store_path

    ui = Ui(_lang(lang))
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        with Store(resolve_store_path(store), create=False) as opened, opened.snapshot():
            rows = opened.files(loaded.fiscal_year, round_no or loaded.round, current_only=False)
            attempts = opened.attempts(loaded.fiscal_year, round_no or loaded.round)
        if json_out:
            emit_json({"fiscal_year": loaded.fiscal_year, "round": round_no or loaded.round, "files": [
                {"round": f.round, "member": f.member, "file": f.name, "sha256": f.sha256,
                 "workbook_id": f.workbook_id, "imported_at": f.imported_at,
                 "current": f.superseded_by is None} for f in rows], "rejected": [
                {"round": a.round, "member": a.member, "file": a.name, "sha256": a.sha256,
                 "workbook_id": a.workbook_id, "attempted_at": a.attempted_at, "codes": list(a.codes)}
                for a in attempts]})
            return
        from officestar_cli.cli.views import show_history

        show_history(ui, rows, attempts)


def main() -> None:
    relax_garbage_collection()
    app()


__all__ = ["app", "main"]
