"""Running officestar as an unprivileged user, from a copy that user can read.

Root ignores file modes, so permission cases drop to ``nobody`` (docs/design.md,
"Tests on real programs"). The checkout and its virtual environment may sit in a
folder only root can enter (a clone inside a private ``mktemp -d``), where
``nobody`` cannot import the package. So once per session the package, its data
and its installed dependencies are copied into a world-readable folder, and the
unprivileged process runs the base interpreter with that folder on its path.
"""

from __future__ import annotations

import functools
import importlib.metadata as metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import officestar_cli

NOBODY = 65534
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _runtime_distributions() -> list[metadata.Distribution]:
    """officestar's installed dependencies (not its extras), found through their metadata."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [r for r in metadata.requires("officestar") or [] if "extra ==" not in r]
    while todo:
        match = _NAME.match(todo.pop())
        if match is None:
            continue
        key = re.sub(r"[-_.]+", "-", match.group(0)).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(key)
        except metadata.PackageNotFoundError:
            continue  # a dependency for another platform or Python
        seen[key] = dist
        todo.extend(r for r in dist.requires or [] if "extra ==" not in r)
    return list(seen.values())


@functools.cache
def readable_runtime() -> Path:
    """A world-readable copy of the package (in its repository layout) and its dependencies."""
    base = Path(tempfile.mkdtemp(prefix="officestar-runtime-"))
    package = Path(officestar_cli.__file__).resolve().parent
    repository = package.parents[1]
    shutil.copytree(package, base / "src" / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("rubric.yaml", "templates", "pyproject.toml"):
        source = repository / data
        if source.is_dir():
            shutil.copytree(source, base / data)
        elif source.is_file():
            shutil.copy2(source, base / data)
    site = base / "site"
    for dist in _runtime_distributions():
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file)))
            if ".." in file.parts or not source.is_file():
                continue
            target = site / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for path in [base, *base.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return base


def interpreter() -> str:
    """The base interpreter behind the virtual environment (outside the checkout)."""
    return os.path.realpath(sys.executable)


def drop_privileges() -> list[str] | None:
    """The command prefix that runs a program as ``nobody``; None when there is none."""
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "nobody", "--"]
    return None


def python_as_nobody(*args: str) -> list[str]:
    """``python ARGS`` as nobody, importing officestar from the readable copy (see ``environment``)."""
    prefix = drop_privileges()
    if prefix is None:
        raise RuntimeError("neither setpriv nor runuser is installed (util-linux)")
    return [*prefix, interpreter(), *args]


def environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with the readable copy first on the module path."""
    runtime = readable_runtime()
    result = dict(os.environ if env is None else env)
    result["PYTHONPATH"] = os.pathsep.join([str(runtime / "src"), str(runtime / "site")])
    result.pop("PYTHONHOME", None)
    return result


@functools.cache
def nobody_can_run() -> bool:
    """True when tests run as root and can run officestar as nobody."""
    if os.geteuid() != 0 or drop_privileges() is None:
        return False
    done = subprocess.run(
        python_as_nobody("-c", "import officestar_cli.cli.app"),
        env=environment(), capture_output=True, check=False, timeout=120,
    )
    return done.returncode == 0
