"""Shared fixtures: the project root, the shipped rubric, a CLI runner, real programs.

Programs that tests drive for real (LibreOffice, pdftotext, Thai fonts) skip with
a stated reason when missing, except when ``CI`` is set: then the test fails,
because ``.ci/run`` installs them (docs/design.md, "Tests on real programs").
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from officestar_cli.cli.app import app
from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric

ROOT = Path(__file__).resolve().parent.parent
ROOT_RUBRIC = ROOT / "rubric.yaml"
INFOGRAPHIC_RUBRIC = ROOT / "examples" / "rubric-infographic.yaml"

# Environment that would change what a command does or prints.
_ISOLATED_ENV = (
    "OFFICESTAR_RUBRIC",
    "OFFICESTAR_STORE",
    "OFFICESTAR_LANG",
    "OFFICESTAR_XML_PARSER",
    "NO_COLOR",
    "FORCE_COLOR",
)
TERMINAL_WIDTH = "120"


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same terminal width and no officestar settings from the shell."""
    for name in _ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", TERMINAL_WIDTH)
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def rubric_text() -> str:
    return ROOT_RUBRIC.read_text("utf-8")


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return load_rubric(ROOT_RUBRIC)


# ---------------------------------------------------------------- the CLI


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        """Both streams, for assertions that do not care where a message went."""
        return self.stdout + self.stderr


def _runner(env: Mapping[str, str | None]) -> CliRunner:
    # Older typer (click-based) mixed stderr into stdout unless told otherwise;
    # newer ones always keep them apart and have no ``mix_stderr``.
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(env=env, mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner(env=env)


RunCli = Callable[..., CliResult]


def invoke(args: Sequence[str], env: Mapping[str, str | None] | None = None) -> CliResult:
    """Run ``officestar ARGS`` in-process with stdout and stderr captured apart."""
    environment: dict[str, str | None] = {"COLUMNS": TERMINAL_WIDTH, "TERM": "dumb"}
    environment.update(env or {})
    result = _runner(environment).invoke(app, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # A traceback is a bug in officestar: show it instead of a bare exit code.
        raise result.exception
    return CliResult(result.exit_code, result.stdout, result.stderr, result.exception)


@pytest.fixture
def run_cli() -> RunCli:
    """``run_cli("rubric", "--json", env={...})`` → CliResult(exit_code, stdout, stderr)."""

    def run(*args: str | Path, env: Mapping[str, str | None] | None = None) -> CliResult:
        return invoke([str(a) for a in args], env)

    return run


# ---------------------------------------------------------------- real programs


def require(what: str, found: str | None, hint: str) -> str:
    """Return ``found``; when missing, skip (or fail under CI) naming what and why."""
    if found:
        return found
    reason = f"{what} is not installed ({hint}); `.ci/run` installs it"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so a missing program fails the run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of the LibreOffice binary (soffice or libreoffice)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return require("LibreOffice (soffice)", found, "apt-get install libreoffice-calc")


@pytest.fixture(scope="session")
def pdftotext() -> str:
    return require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")


@pytest.fixture(scope="session")
def thai_fonts() -> list[str]:
    """Families of the installed fonts that cover Thai (fontconfig)."""
    fc_list = shutil.which("fc-list")
    families: list[str] = []
    if fc_list:
        listed = subprocess.run(
            [fc_list, ":lang=th", "family"], capture_output=True, text=True, timeout=60, check=False
        )
        families = sorted(
            {line.split(",")[0].strip() for line in listed.stdout.splitlines() if line}
        )
    require("A Thai font", ", ".join(families), "apt-get install fonts-thai-tlwg")
    return families
