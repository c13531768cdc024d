"""The privilege-dropping helpers work wherever the checkout is, a private 0700 folder included."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import unprivileged

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only root drops privileges; others run as themselves")


def test_nobody_imports_officestar_from_the_readable_copy_not_from_the_checkout() -> None:
    if unprivileged.drop_privileges() is None:
        pytest.fail("running as root and neither setpriv nor runuser is installed (util-linux)")
    probe = (
        "import os, officestar_cli, officestar_cli.cli.app, typer, rich, openpyxl, xlsxwriter, jinja2, yaml, "
        "jsonschema; print(os.geteuid()); print(officestar_cli.__file__)"
    )
    done = subprocess.run(
        unprivileged.python_as_nobody("-c", probe), env=unprivileged.environment(),
        capture_output=True, text=True, check=False, timeout=120, cwd="/",
    )
    assert done.returncode == 0, done.stderr
    uid, where = done.stdout.split()
    assert int(uid) == unprivileged.NOBODY
    runtime = unprivileged.readable_runtime()
    assert Path(where).is_relative_to(runtime)
    checkout = Path(__file__).resolve().parents[1]
    assert not Path(where).is_relative_to(checkout)


def test_every_folder_of_the_readable_copy_can_be_entered_by_anyone() -> None:
    runtime = unprivileged.readable_runtime()
    for path in [runtime, *runtime.rglob("*")]:
        mode = path.stat().st_mode
        assert mode & 0o004, path  # readable by others
        if path.is_dir():
            assert mode & 0o001, path  # and enterable
    assert (runtime / "rubric.yaml").is_file()
