"""The data files officestar ships: the rubric and the report templates.

The repository holds one copy of each, at its top (``rubric.yaml``, ``templates/``);
the wheel's build configuration puts them into the package as ``data/``. An
installed package finds them there with ``importlib.resources``; an editable
install, whose package folder is the repository's ``src/officestar_cli``, falls
back to the repository's copy.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable

_PACKAGE = "officestar_cli"


def _repository() -> Path | None:
    root = Path(__file__).resolve().parents[3]
    return root if (root / "pyproject.toml").is_file() and (root / "src" / _PACKAGE).is_dir() else None


def data_file(relative: str) -> Traversable:
    """``relative`` (``rubric.yaml``, ``templates/report.md.j2``) from the package, else the repository."""
    packaged = resources.files(_PACKAGE).joinpath("data", *relative.split("/"))
    if packaged.is_file():
        return packaged
    root = _repository()
    if root is not None and (root / relative).is_file():
        return root / relative
    raise FileNotFoundError(f"officestar's data file {relative} is missing from the installation")


def data_text(relative: str) -> str:
    return data_file(relative).read_text("utf-8")
