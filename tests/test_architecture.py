"""The package's stages (docs/architecture.md): no import goes up a stage, no module grows too long."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "officestar_cli"
ARCHITECTURE_MD = ROOT / "docs" / "architecture.md"

# Lowest first. ``api`` sits beside ``cli``: the commands call it, it never calls them.
STAGES = ("base", "rubric", "workbook", "intake", "store", "scoring", "reports", "api", "cli")
LINES_MAX = 400

# Being removed; each entry fails the test once it is no longer needed.
KNOWN_UPWARD_IMPORTS: set[tuple[str, str]] = set()
KNOWN_LONG_MODULES: set[str] = set()


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int | None:
    """The stage's index; the package's ``__init__`` (the version) counts as base, ``__main__`` as cli."""
    parts = module.split(".")
    if parts[0] != "officestar_cli":
        return None
    if len(parts) == 1:
        return STAGES.index("base")
    if parts[1] == "__main__":
        return STAGES.index("cli")
    return STAGES.index(parts[1])


def imports_of(path: Path, package: Path = PACKAGE) -> set[str]:
    """Every officestar module ``path`` imports, at the top, in functions or for type checking."""
    found: set[str] = set()
    module = module_name(path, package)
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                package = module.split(".")[: len(module.split(".")) - node.level + (path.name == "__init__.py")]
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "officestar_cli" or name.startswith("officestar_cli.")}


def modules(package: Path = PACKAGE) -> list[Path]:
    return sorted(package.rglob("*.py"))


def upward_imports(package: Path = PACKAGE) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in modules(package):
        own = stage_of(module_name(path, package))
        assert own is not None, path
        for target in imports_of(path, package):
            where = package.parent / target.replace(".", "/")
            if not where.with_suffix(".py").exists() and not where.is_dir():
                continue  # ``from package import name``: the name, not a module
            theirs = stage_of(target)
            if theirs is not None and theirs > own:
                found.add((module_name(path, package), target))
    return found


def test_every_subpackage_is_a_stage() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(STAGES)
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top <= {"__init__.py", "__main__.py"}, top


def test_no_module_imports_a_higher_stage() -> None:
    found = upward_imports()
    assert found - KNOWN_UPWARD_IMPORTS == set(), "a lower stage imports a higher one (docs/architecture.md)"
    assert KNOWN_UPWARD_IMPORTS - found == set(), "no longer needed: remove it from KNOWN_UPWARD_IMPORTS"


def test_the_import_check_sees_every_kind_of_upward_import(tmp_path: Path) -> None:
    """The checker itself, on a small package: inside a function, relative, for type checking."""
    package = tmp_path / "officestar_cli"
    files = {
        "__init__.py": "__version__ = '0'\n",
        "base/__init__.py": "",
        "base/names.py": "from officestar_cli import __version__\n",
        "rubric/__init__.py": "",
        "rubric/model.py": "def f():\n    from officestar_cli.cli.app import main\n",
        "rubric/load.py": "from ..store import store\nfrom . import model\n",
        "workbook/__init__.py": "",
        "workbook/template.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import officestar_cli.reports.excel\n"
        ),
        "store/__init__.py": "",
        "store/store.py": "from officestar_cli.rubric.model import f\n",
        "reports/__init__.py": "",
        "reports/excel.py": "",
        "cli/__init__.py": "",
        "cli/app.py": "from officestar_cli.store import store\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, "utf-8")
    assert upward_imports(package) == {
        ("officestar_cli.rubric.model", "officestar_cli.cli.app"),
        ("officestar_cli.rubric.load", "officestar_cli.store"),
        ("officestar_cli.rubric.load", "officestar_cli.store.store"),
        ("officestar_cli.workbook.template", "officestar_cli.reports.excel"),
    }


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in modules()
        if (count := len(path.read_text("utf-8").splitlines())) > LINES_MAX
    }
    unexpected = {name: count for name, count in long.items() if name not in KNOWN_LONG_MODULES}
    assert unexpected == {}, f"over {LINES_MAX} lines: split by what the parts hold"
    assert KNOWN_LONG_MODULES - set(long) == set(), "no longer needed: remove it from KNOWN_LONG_MODULES"


def test_the_architecture_page_names_every_stage_and_module() -> None:
    text = ARCHITECTURE_MD.read_text("utf-8")
    drawn = re.search(r"base → rubric → .* → cli", text)
    assert drawn is not None and drawn.group().split(" → ") == list(STAGES)
    sections = set(re.findall(r"^## (.+)$", text, re.M))
    for stage in STAGES:
        assert stage in sections or any(stage in s.split(" and ") for s in sections), stage
    for path in modules():
        if path.name in ("__init__.py", "__main__.py"):
            continue
        assert path.stem in text or path.parent.name in text, f"docs/architecture.md does not mention {path.stem}"


@pytest.mark.parametrize("stage", STAGES[:-2])
def test_each_lower_stage_is_documented_with_what_it_may_import(stage: str) -> None:
    text = ARCHITECTURE_MD.read_text("utf-8")
    body = text.split(f"\n## {stage}\n", 1)[1].split("\n## ", 1)[0]
    assert "May import" in body or "imports nothing" in body, stage
