"""The command layer: gather options, call one library function, print the outcome.

Heavy libraries (openpyxl, jinja2, pandas) are imported inside the commands
that use them, so ``officestar --help`` stays instant.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer

from officestar_cli import __version__
from officestar_cli.errors import OfficestarError
from officestar_cli.exitcodes import ExitCode
from officestar_cli.ui import Ui, default_lang, emit_json

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
    from officestar_cli.rubric import load_rubric, rubric_as_json

    ui = Ui(_lang(lang))
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        if json_out:
            emit_json(rubric_as_json(loaded))
            return
        from officestar_cli.views import show_rubric

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
    from officestar_cli.rubric import load_rubric

    ui = Ui(_lang(lang))
    with guarded(ui):
        loaded = load_rubric(rubric_path)
        round_value = round_no or loaded.round
        members = list(evaluator or [m.name for m in loaded.committee])
        if any(not m.strip() for m in members):
            raise OfficestarError("ชื่อกรรมการต้องไม่ว่าง (--evaluator)", "--evaluator must not be empty")
        folder = out if out is not None else Path("sheets") / f"round-{round_value}"
        from officestar_cli.template import write_templates

        written = write_templates(loaded, round_value, members, folder, force=force)
        for item in written:
            who = item.member or ui.t("(ว่าง ให้กรรมการกรอกชื่อที่หน้าปก)", "(blank: member types a name on the cover)")
            ui.err.print(f"  {item.path}  {who}", markup=False)
        ui.say(
            f"เขียนแบบประเมิน {len(written)} ไฟล์ ปีงบประมาณ {loaded.fiscal_year} รอบที่ {round_value} ใน {folder}",
            f"Wrote {len(written)} workbook(s) for FY {loaded.fiscal_year} round {round_value} in {folder}",
            style="green",
        )


def main() -> None:
    app()


__all__ = ["app", "main"]
