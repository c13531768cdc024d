"""The wheel carries the one copy of the shipped data and works outside the repository.

The repository holds the rubric and the report templates once, at its top; the
build configuration puts them into the wheel. This builds the wheel (hatchling,
no network), installs it into a fresh virtual environment and runs ``officestar``
from there, in a folder with no rubric of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, ROOT_RUBRIC
from officestar_cli.rubric.load import PACKAGED, load_rubric


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="the wheel is built with hatchling (the test extra has it)")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-q", "-w", out, ROOT, cwd=out)
    (built,) = out.glob("officestar-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding the wheel; the dependencies come from this one."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel,
        cwd=venv.parent)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=venv.parent).stdout.strip())
    # A plain path line: this environment's .pth files (the editable install) are not read.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return venv


def test_the_wheel_holds_the_data_once_and_no_test_helper(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read("officestar_cli/data/rubric.yaml") == ROOT_RUBRIC.read_bytes()
        templates = sorted(n for n in names if n.startswith("officestar_cli/data/templates/"))
        assert [Path(n).name for n in templates] == sorted(p.name for p in (ROOT / "templates").glob("*.j2"))
        for name in templates:
            assert archive.read(name) == (ROOT / "templates" / Path(name).name).read_bytes()
    assert not [n for n in names if "filler" in n or n.startswith("tests/")]
    assert not [n for n in names if n.endswith((".yaml", ".j2")) and not n.startswith("officestar_cli/data/")]


def test_officestar_rubric_runs_from_the_wheel_outside_the_repository(fresh: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    where = run(fresh / "bin" / "python", "-c", "import officestar_cli; print(officestar_cli.__file__)",
                cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(fresh), where.stdout
    result = run(fresh / "bin" / "officestar", "rubric", "--json", cwd=tmp_path, env=env)
    shown = json.loads(result.stdout)
    assert shown["source"] == PACKAGED
    assert shown["fingerprint"] == load_rubric(ROOT_RUBRIC).fingerprint
    human = run(fresh / "bin" / "officestar", "rubric", "--lang", "en", cwd=tmp_path, env=env)
    assert load_rubric(ROOT_RUBRIC).short_fingerprint in human.stdout + human.stderr


def test_the_report_templates_are_found_in_the_installed_package(fresh: Path, tmp_path: Path) -> None:
    code = (
        "from officestar_cli.base.resources import data_file\n"
        "from officestar_cli.reports.markdown import environment\n"
        "print(data_file('templates/report.md.j2'))\n"
        "print(environment().get_template('report.en.md.j2').filename or '')\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    found = run(fresh / "bin" / "python", "-c", code, cwd=tmp_path, env=env).stdout.splitlines()
    assert Path(found[0]).is_relative_to(fresh), found
    assert Path(found[0]).read_bytes() == (ROOT / "templates" / "report.md.j2").read_bytes()


def test_an_editable_install_finds_the_repository_copy() -> None:
    from officestar_cli.base.resources import data_file

    assert Path(str(data_file("rubric.yaml"))).resolve() == ROOT_RUBRIC.resolve()
    assert Path(str(data_file("templates/report.md.j2"))).resolve() == (ROOT / "templates" / "report.md.j2")
