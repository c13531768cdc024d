"""Docs that cannot drift: every Issue code and every command is documented, and no more."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from conftest import ROOT
from officestar_cli.cli.app import app
from officestar_cli.intake.issues import CATALOG
from officestar_cli.intake.xlsx.container import Limits

DOCS = ROOT / "docs"
ISSUES_MD = DOCS / "issues.md"
COMMANDS_MD = DOCS / "commands.md"
COMMANDS = (
    "init", "rubric", "template", "check", "score", "rank", "history", "feedback", "announce", "certificates",
    "agreement", "withdraw", "restore", "excuse", "compare",
)

# A code is a backticked lowercase-hyphen word opening a table row or a heading.
_ROW = re.compile(r"^\|\s*`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`\s*\|\s*([a-z]+)\s*\|", re.M)
_HEADING = re.compile(r"^#{2,4}\s+`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`\s*$", re.M)


def _sections(text: str, level: str) -> dict[str, str]:
    """Heading text → the text under it, up to the next heading of the same level or higher."""
    parts = re.split(rf"^(#{{1,{len(level)}}}\s.*)$", text, flags=re.M)
    return {parts[i].lstrip("#").strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.fixture(scope="module")
def issues_md() -> str:
    return ISSUES_MD.read_text("utf-8")


@pytest.fixture(scope="module")
def commands_md() -> str:
    return COMMANDS_MD.read_text("utf-8")


@pytest.fixture(scope="module")
def cli() -> Any:
    """The click group typer builds (typer may vendor click, so no click import here)."""
    return typer.main.get_command(app)


# ---------------------------------------------------------------- issue codes


def test_every_code_has_a_section(issues_md: str) -> None:
    documented = _HEADING.findall(issues_md)
    assert len(documented) == len(set(documented)), "a code has two sections"
    assert set(CATALOG) - set(documented) == set(), "codes missing from docs/issues.md"
    assert set(documented) - set(CATALOG) == set(), "docs/issues.md names codes that do not exist"


def test_the_index_lists_every_code_with_its_severity(issues_md: str) -> None:
    rows = dict(_ROW.findall(issues_md))
    assert set(rows) == set(CATALOG)
    assert rows == {code: entry.severity for code, entry in CATALOG.items()}


def test_every_section_has_severity_meaning_and_fix_in_both_languages(issues_md: str) -> None:
    sections = {k.strip("`"): v for k, v in _sections(issues_md, "###").items()}
    thai = re.compile(r"[\u0e00-\u0e7f]")
    for code, entry in CATALOG.items():
        body = sections[code]
        assert body.strip().startswith(f"{entry.severity} ·"), f"{code}: severity first"
        meaning, _, fix = body.partition("**วิธีแก้ / Fix:**")
        assert fix.strip(), f"{code}: no fix"
        for part, name in ((meaning, "meaning"), (fix, "fix")):
            assert thai.search(part), f"{code}: {name} has no Thai"
            assert re.search(r"[A-Za-z]{4,}", part), f"{code}: {name} has no English"


def test_the_codes_named_anywhere_in_issues_md_exist(issues_md: str) -> None:
    """Any backticked code-like word is a real code (or a documented non-code)."""
    named = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", issues_md))
    assert named - set(CATALOG) == set()


# ---------------------------------------------------------------- commands


def test_the_cli_has_the_commands_the_docs_expect(cli: Any) -> None:
    assert set(cli.commands) == set(COMMANDS)


def test_every_command_has_a_section_with_its_options_and_exit_codes(
    commands_md: str, cli: Any
) -> None:
    sections = _sections(commands_md, "##")
    for name, command in cli.commands.items():
        heading = f"`officestar {name}`"
        assert heading in sections, f"docs/commands.md has no section {heading}"
        body = sections[heading]
        for param in command.params:
            if param.param_type_name == "option":
                for opt in param.opts:
                    pattern = rf"`{re.escape(opt)}[`\s=]"
                    assert re.search(pattern, body), f"{name}: option {opt} is not documented"
            else:
                assert (param.name or "").upper() in body, f"{name}: argument {param.name}"
        assert "Exit codes:" in body, f"{name}: exit codes"
        assert f"officestar {name} " in body, f"{name}: usage line"


def test_the_exit_code_table_matches_the_code(commands_md: str) -> None:
    from officestar_cli.base.exit_codes import ExitCode

    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", commands_md, re.M))
    assert {int(code) for code in table} == {int(code) for code in ExitCode}


def _commands_named(text: str) -> set[str]:
    """Commands named as code: `officestar NAME` inline, or a line of a fenced block."""
    named = set(re.findall(r"`officestar ([a-z][a-z-]*)", text))
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S):
        named |= set(re.findall(r"(?:^|[\s/])officestar ([a-z][a-z-]*)", block, re.M))
    return named


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_commands_named_in_the_docs_exist(path: Path, cli: Any) -> None:
    """README.md and docs/ may only name commands that exist."""
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet")
    named = _commands_named(path.read_text("utf-8"))
    assert named - set(cli.commands) == set(), f"{path.name} names commands that do not exist"


def test_readme_and_docs_name_every_command() -> None:
    texts = [COMMANDS_MD.read_text("utf-8")]
    readme = ROOT / "README.md"
    if readme.exists():
        texts.append(readme.read_text("utf-8"))
    joined = "\n".join(texts)
    for name in COMMANDS:
        assert f"officestar {name}" in joined


# ---------------------------------------------------------------- reading limits


def _reading_limits_section() -> str:
    for path in sorted(DOCS.glob("*.md")):
        sections = _sections(path.read_text("utf-8"), "##")
        if "Reading limits" in sections and len(sections["Reading limits"]) > 400:
            return sections["Reading limits"]
    pytest.fail("no '## Reading limits' section in docs/")


def test_reading_limits_are_documented_with_the_code_values() -> None:
    body = _reading_limits_section().replace("\u202f", " ")
    limits = Limits(max_sheets=0)
    mib = 1024 * 1024
    for value in (
        f"{limits.max_part_bytes // mib} MiB",
        f"{limits.max_ratio}",
        f"{limits.max_cells_per_sheet:,}",
        f"{limits.max_shared_strings:,}",
        f"{Limits.for_offices(0).max_file_bytes // mib} MiB",
        f"{Limits.for_offices(0).max_total_bytes // mib} MiB",
        "offices + 10",
        "DOCTYPE",
        "UTF-8",
    ):
        assert value in body, f"'Reading limits' does not mention {value!r}"


# ---------------------------------------------------------------- design decisions

DESIGN_MD = DOCS / "design.md"
_DESIGN_REFERENCE = re.compile(r'docs/design\.md,? "([^"]+)"(?: and "([^"]+)")?')


def _project_texts() -> list[Path]:
    folders = [ROOT / "src", ROOT / "tests", ROOT / "benchmarks", ROOT / "examples", DOCS]
    files = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".py", ".md", ".j2")]
    return [*files, ROOT / "README.md", ROOT / ".ci" / "run"]


def test_every_design_section_a_comment_names_exists() -> None:
    sections = set(_sections(DESIGN_MD.read_text("utf-8"), "##"))
    named: dict[str, str] = {}
    for path in _project_texts():
        for match in _DESIGN_REFERENCE.finditer(path.read_text("utf-8")):
            for title in match.groups():
                if title:
                    named.setdefault(title, str(path.relative_to(ROOT)))
    assert len(named) >= 8, named
    missing = {title: where for title, where in named.items() if title not in sections}
    assert missing == {}, "docs/design.md has no such section"


def test_code_and_docs_point_at_the_projects_own_design_page() -> None:
    outside = re.compile(r"\b(CONTRACT|PRODUCT|STYLE)\.md\b|\.\./shared")
    found = [
        str(p.relative_to(ROOT))
        for p in _project_texts()
        if p != Path(__file__) and outside.search(p.read_text("utf-8"))
    ]
    assert found == []
