"""What every command of ``officestar_cli.api`` takes: a rubric, paths, a store path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from officestar_cli.rubric.model import Rubric

PathLike = Union[str, Path]  # noqa: UP007 - evaluated at run time on Python 3.10 by typing helpers
Paths = Union[PathLike, Iterable[PathLike]]  # noqa: UP007
RubricLike = Union["Rubric", PathLike, None]
Tick = Callable[[], None]
"""Called once per file read, for a progress bar."""



def load(source: RubricLike = None) -> Rubric:
    """A rubric: one already loaded, a path, or None for ``$OFFICESTAR_RUBRIC`` / ./rubric.yaml / packaged."""
    from officestar_cli.rubric.load import load_rubric
    from officestar_cli.rubric.model import Rubric

    if isinstance(source, Rubric):
        return source
    return load_rubric(None if source is None else Path(source))


def paths_of(paths: Paths) -> list[Path]:
    from officestar_cli.intake.paths import Inputs, expand_inputs

    if isinstance(paths, Inputs):
        return paths  # already expanded: it knows which entries a folder listing gave
    given = [str(paths)] if isinstance(paths, (str, Path)) else [str(p) for p in paths]
    return expand_inputs(given)


def store_path(store: PathLike | None) -> Path:
    from officestar_cli.store.store import resolve_store_path

    return resolve_store_path(None if store is None else Path(store))
