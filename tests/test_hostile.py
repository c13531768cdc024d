"""Every hostile input, through the real command, under a time and a memory limit.

For each input of ``tests/hostile/corpus.py`` (built once per session):

- ``officestar check --json INPUT`` alone: the expected Issue codes, naming the
  file (and the sheet and cell, for a cell's problem), and the expected exit code;
- ``officestar score --json INPUT GOOD`` on a store that already holds another
  good workbook: the good file is recorded whole, what was there is unchanged,
  and the input is recorded exactly as the case says (or not at all);
- ``officestar history --json`` then lists the good file as current.

Then the output hazards (an output folder or report that cannot be written, a
store that is not ours). No run may print a traceback, pass the time limit or
the memory limit. The last test prints the figure quoted in docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from hostile.corpus import (
    CASES,
    GOOD_FILES,
    ODD_MEMBERS,
    ODD_OFFICE_NAMES,
    ROOT,
    RUBRIC,
    Case,
    build_corpus,
    nobody_can_run,
    rubric_for,
)
from hostile.runner import NOBODY, Run, officestar, store_dump, store_scores, stored_files
from officestar_cli.rubric.load import load_rubric

CRITERIA = len(load_rubric(RUBRIC).criteria)
OFFICES = len(load_rubric(RUBRIC).offices)
# Issues about one cell must say which sheet and cell.
CELL_CODES = {
    "blank-score", "not-a-number", "score-above-max", "negative-score", "too-many-decimals",
    "formula-in-score", "merged-score", "stray-value",
}
IS_ROOT = os.geteuid() == 0
REPORT = "officestar-2567-round-2"


@dataclass
class Outcome:
    """The runs of one hostile input and what was wrong with them (empty lists: all well)."""

    name: str
    runs: list[Run] = field(default_factory=list)
    check: list[str] = field(default_factory=list)
    score: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def crashes(self) -> int:
        return sum(1 for run in self.runs if run.crashed)

    @property
    def losses(self) -> int:
        return sum(1 for problem in self.check + self.score if problem.startswith("LOSS"))


@dataclass(frozen=True)
class Session:
    workspace: Path
    corpus: Path
    good: Path  # a good workbook, mixed with every input
    baseline: Path  # a store holding one other good workbook
    outcomes: dict[str, Outcome]


# ---------------------------------------------------------------- one input


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _issue_codes(data: dict[str, Any] | None) -> set[str]:
    return {i["code"] for i in (data or {}).get("issues", [])}


def _common(run: Run, case: Case, problems: list[str]) -> dict[str, Any] | None:
    if run.crashed:
        problems.append("CRASH " + run.describe())
        return None
    data = run.json()
    if data is None:
        problems.append("no JSON on stdout\n" + run.describe())
        return None
    if run.exit_code != case.exit:
        problems.append(f"exit {run.exit_code}, expected {case.exit}\n{run.describe()}")
    missing = set(case.codes) - _issue_codes(data)
    if missing:
        problems.append(f"missing Issue codes {sorted(missing)}; got {sorted(_issue_codes(data))}")
    unwanted = set(case.absent) & _issue_codes(data)
    if unwanted:
        problems.append(f"Issue codes that must not be reported: {sorted(unwanted)}")
    return data


def _belongs(name: str, argument: str) -> bool:
    """Whether a file the command reports came from ``argument`` (a file, a folder or a glob)."""
    if name == argument:
        return True
    if "*" in argument:
        return Path(name).parent == Path(argument).parent
    return Path(argument).is_dir() and name.startswith(argument.rstrip(os.sep) + os.sep)


def _judge_check(run: Run, case: Case, argument: str) -> list[str]:
    problems: list[str] = []
    data = _common(run, case, problems)
    if data is None:
        return problems
    rejected = [f for f in data["files"] if f["status"] == "rejected"]
    if (case.exit == 1) != bool(rejected):
        problems.append(f"LOSS: exit {case.exit} but rejected files {rejected}")
    for item in data["issues"]:
        if not item["file"] or not _belongs(item["file"], argument):
            problems.append(f"an Issue does not name the input: {item}")
        if item["code"] in CELL_CODES and not (item["sheet"] and item["cell"]):
            problems.append(f"an Issue about a cell names no sheet and cell: {item}")
        if not item["message"]:
            problems.append(f"an Issue without a message: {item}")
    for file in data["files"]:
        if file["status"] == "rejected" and file["errors"] == 0:
            problems.append(f"LOSS: rejected without an error Issue: {file}")
    return problems


def _judge_score(run: Run, history: Run, case: Case, good: Path, store: Path,
                 baseline: list[tuple[Any, ...]]) -> list[str]:
    problems: list[str] = []
    data = _common(run, case, problems)
    if data is None:
        return problems
    by_file = {f["file"]: f for f in data["files"]}
    if by_file.get(str(good), {}).get("status") != "recorded":
        problems.append(f"LOSS: the good file was not recorded: {by_file.get(str(good))}")
    dump = store_dump(store)
    lost = [row for row in baseline if row not in dump]
    if lost:
        problems.append(f"LOSS: rows already in the store changed or vanished: {lost[:3]}")
    before = {row[1] for row in baseline if row[0] == "files"}
    new = [f for f in stored_files(store) if f.id not in before]
    good_sha = _sha(good)
    hostile = [f for f in new if f.sha256 != good_sha]
    if not any(f.sha256 == good_sha and f.superseded_by is None for f in new):
        problems.append("LOSS: the good file is not current in the store")
    if len(hostile) != case.recorded:
        problems.append(f"LOSS: {len(hostile)} file(s) of the input recorded, expected {case.recorded}")
    for stored in new:
        scored = case.scored_offices if stored.sha256 != good_sha else OFFICES
        if stored.scores != scored * CRITERIA or stored.offices != OFFICES:
            problems.append(f"LOSS: {stored.name} holds {stored.scores} scores in {stored.offices} offices")
    for stored in hostile:
        values = store_scores(store, stored.id)
        for key, wanted in case.scores.items():
            if key not in values or float(values[key]) != float(wanted):
                problems.append(f"LOSS: {stored.name} {key} recorded {values.get(key)}, expected {wanted}")
    listed = history.json()
    if history.crashed or listed is None:
        problems.append("CRASH history " + history.describe())
    else:
        current = {f["sha256"] for f in listed["files"] if f["current"]}
        if good_sha not in current or len(listed["files"]) != len(stored_files(store)):
            problems.append(f"LOSS: history does not list the store: {listed['files']}")
    return problems


def _workspace(session: Session, kind: str, name: str, as_nobody: bool) -> tuple[Path, Path]:
    """A fresh folder for one run and a copy of the baseline store, owned by nobody when the run is."""
    folder = session.workspace / kind / name
    folder.mkdir(parents=True)
    store = folder / "store.sqlite3"
    shutil.copyfile(session.baseline, store)
    if as_nobody:
        for path in (folder, store):
            os.chown(path, NOBODY, NOBODY)
    return folder, store


def _run_case(case: Case, argument: str, session: Session) -> Outcome:
    outcome = Outcome(case.id)
    as_nobody = case.as_nobody and IS_ROOT
    if as_nobody and not nobody_can_run():
        outcome.skipped = "cannot switch to an unprivileged user (setpriv)"
        return outcome
    folder, store = _workspace(session, "runs", case.id, as_nobody)
    rubric = str(rubric_for(case, session.corpus))
    check = officestar(["check", "--json", "--lang", "en", "--rubric", rubric, argument],
                       cwd=folder, as_nobody=as_nobody)
    score = officestar(
        ["score", "--json", "--lang", "en", "--rubric", rubric, "--store", str(store),
         "--out", str(folder / "reports"), argument, str(session.good)],
        cwd=folder, as_nobody=as_nobody,
    )
    history = officestar(["history", "--json", "--rubric", rubric, "--store", str(store)],
                         cwd=folder, as_nobody=as_nobody)
    outcome.runs = [check, score, history]
    outcome.check = _judge_check(check, case, argument)
    outcome.score = _judge_score(score, history, case, session.good, store, store_dump(session.baseline))
    if case.id == "odd-names" and not score.crashed:
        outcome.score.extend(_odd_names_in_reports(folder / "reports"))
    return outcome


def _odd_names_in_reports(folder: Path) -> list[str]:
    """Names that look like formulas or Markdown are text in the .xlsx and keep the table's columns."""
    problems: list[str] = []
    workbook = load_workbook(folder / f"{REPORT}.xlsx")
    seen: set[str] = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    text = str(cell.value)
                    if any(name in text for name in (*ODD_MEMBERS, *ODD_OFFICE_NAMES.values())):
                        problems.append(f"{sheet.title}!{cell.coordinate} is a formula: {text!r}")
                elif isinstance(cell.value, str):
                    seen.update(n for n in (*ODD_MEMBERS, *ODD_OFFICE_NAMES.values()) if n in cell.value)
    missing = {n for n in ODD_MEMBERS if n not in seen}
    if missing:
        problems.append(f"member names missing from the .xlsx report: {sorted(missing)}")
    markdown = (folder / f"{REPORT}.md").read_text("utf-8")
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    for table in tables:
        widths = {_columns(row) for row in table}
        if len(widths) != 1:
            problems.append(f"a Markdown table lost its columns: {table[:4]}")
    return problems


def _columns(row: str) -> int:
    """Cells of a Markdown table row: pipes that are not escaped."""
    count, escaped = 0, False
    for ch in row:
        if ch == "|" and not escaped:
            count += 1
        escaped = ch == "\\" and not escaped
    return count


# ---------------------------------------------------------------- output hazards


@dataclass(frozen=True)
class Scenario:
    id: str
    hazard: str
    prepare: Callable[[Path], list[str]]  # makes the run folder, returns the extra arguments
    as_nobody: bool = False


def _out_not_writable(folder: Path) -> list[str]:
    out = folder / "reports"
    out.mkdir()
    out.chmod(0o555)
    return ["--out", str(out)]


def _report_read_only(folder: Path) -> list[str]:
    out = folder / "reports"
    out.mkdir()
    for suffix in (".xlsx", ".md"):
        report = out / (REPORT + suffix)
        report.write_bytes(b"an earlier report")
        report.chmod(0o444)
    if IS_ROOT:
        os.chown(out, NOBODY, NOBODY)
    return ["--out", str(out)]


def _report_open_in_excel(folder: Path) -> list[str]:
    out = folder / "reports"
    out.mkdir()
    (out / f"{REPORT}.xlsx").write_bytes(b"an earlier report")
    (out / f"~${REPORT}.xlsx").write_bytes(b"\x07somchai")
    return ["--out", str(out)]


def _out_is_a_file(folder: Path) -> list[str]:
    (folder / "reports").write_bytes(b"a file where the folder should be")
    return ["--out", str(folder / "reports")]


def _store_not_ours(folder: Path) -> list[str]:
    (folder / "store.sqlite3").write_bytes("ไม่ใช่ฐานข้อมูล\n".encode() * 100)
    return []


def _store_foreign_sqlite(folder: Path) -> list[str]:
    store = folder / "store.sqlite3"
    store.unlink()
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.commit()
    db.close()
    return []


def _store_is_a_folder(folder: Path) -> list[str]:
    store = folder / "store.sqlite3"
    store.unlink()
    store.mkdir()
    return []


def _store_read_only(folder: Path) -> list[str]:
    (folder / "store.sqlite3").chmod(0o444)
    if IS_ROOT:  # the run is an unprivileged user's: the store stays root's
        os.chown(folder / "store.sqlite3", 0, 0)
    return []


def _store_damaged(folder: Path) -> list[str]:
    store = folder / "store.sqlite3"
    data = bytearray(store.read_bytes())
    page = 4096
    for offset in range(page, len(data), page):
        data[offset : offset + 64] = b"\xa5" * 64  # every page's header, the first page's intact
    store.write_bytes(bytes(data))
    return []


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("out-not-writable", "the output folder is not writable", _out_not_writable, as_nobody=True),
    Scenario("report-read-only", "an earlier report is read-only", _report_read_only, as_nobody=True),
    Scenario("report-open", "the report is open in Excel (a ~$ lock file beside it)", _report_open_in_excel),
    Scenario("out-is-a-file", "--out names a file", _out_is_a_file),
    Scenario("store-not-ours", "--store names a text file", _store_not_ours),
    Scenario("store-foreign-sqlite", "--store names another program's SQLite file", _store_foreign_sqlite),
    Scenario("store-is-a-folder", "--store names a folder", _store_is_a_folder),
    Scenario("store-read-only", "the store is read-only to the user", _store_read_only, as_nobody=True),
    Scenario("store-damaged", "the store's pages are damaged", _store_damaged),
)


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def _run_scenario(scenario: Scenario, session: Session) -> Outcome:
    outcome = Outcome(scenario.id)
    as_nobody = scenario.as_nobody and IS_ROOT
    if as_nobody and not nobody_can_run():
        outcome.skipped = "cannot switch to an unprivileged user (setpriv)"
        return outcome
    folder, store = _workspace(session, "scenarios", scenario.id, as_nobody)
    extra = scenario.prepare(folder)
    if "--out" not in extra:
        extra = ["--out", str(folder / "out")]
    before = _snapshot(folder)
    run = officestar(
        ["score", "--lang", "en", "--rubric", str(RUBRIC), "--store", str(store), *extra, str(session.good)],
        cwd=folder, as_nobody=as_nobody,
    )
    outcome.runs = [run]
    if run.crashed:
        outcome.score.append("CRASH " + run.describe())
        return outcome
    if run.exit_code != 2:
        outcome.score.append(f"exit {run.exit_code}, expected 2\n{run.describe()}")
    if not run.stderr.strip():
        outcome.score.append("no message on stderr")
    after = _snapshot(folder)
    for name, content in before.items():
        if name != "store.sqlite3" and after.get(name, b"<gone>") != content:
            outcome.score.append(f"LOSS: {name} was changed")
    leftovers = [name for name in after if ".~officestar-" in name]
    if leftovers:
        outcome.score.append(f"temporary files left: {leftovers}")
    return outcome


# ---------------------------------------------------------------- all at once


def _run_all_at_once(arguments: dict[str, str], session: Session) -> Outcome:
    """Every input in one run: enough files for the reader's worker processes, and every
    cross-file check at once. Inputs that were rejected alone stay rejected, with their codes."""
    outcome = Outcome("all-at-once")
    cases = [c for c in CASES if not c.as_nobody]
    folder = session.workspace / "runs" / "all-at-once"
    folder.mkdir(parents=True)
    store = folder / "store.sqlite3"
    shutil.copyfile(session.baseline, store)
    run = officestar(
        ["score", "--json", "--lang", "en", "--rubric", str(RUBRIC), "--store", str(store), "--out",
         str(folder / "reports"), *(arguments[c.id] for c in cases), str(session.good)],
        cwd=folder,
    )
    outcome.runs = [run]
    data = None if run.crashed else run.json()
    if data is None:
        outcome.score.append("CRASH " + run.describe())
        return outcome
    if run.exit_code != 1:
        outcome.score.append(f"exit {run.exit_code}, expected 1")
    files = {f["file"]: f for f in data["files"]}
    codes: dict[str, set[str]] = {}
    for item in data["issues"]:
        codes.setdefault(item["file"], set()).add(item["code"])
    if len(files) < 64:
        outcome.score.append(f"only {len(files)} files: the worker processes were not used")
    if files.get(str(session.good), {}).get("status") != "recorded":
        outcome.score.append("LOSS: the good file was not recorded")
    stored = {f.sha256 for f in stored_files(store)}
    for case in cases:
        if case.exit != 1:
            continue
        mine = [name for name in files if _belongs(name, arguments[case.id])]
        if not mine:
            outcome.score.append(f"{case.id}: its file is not in the run's files")
        for name in mine:
            if files[name]["status"] == "recorded" or (files[name]["sha256"] or "") in stored:
                outcome.score.append(f"LOSS: {case.id}: {name} was recorded although it was rejected alone")
        if mine and not set(case.codes) <= set().union(*(codes.get(n, set()) for n in mine)):
            outcome.score.append(f"{case.id}: missing {case.codes}")
    return outcome


# ---------------------------------------------------------------- the session


@pytest.fixture(scope="session")
def session() -> Iterator[Session]:
    workspace = Path(tempfile.mkdtemp(prefix="officestar-hostile-"))
    workspace.chmod(0o755)  # the permission cases run as an unprivileged user
    try:
        corpus = workspace / "corpus"
        arguments = build_corpus(corpus)
        good_folder = workspace / "good"
        good_folder.mkdir(mode=0o755)
        good = good_folder / GOOD_FILES[0].name
        shutil.copyfile(GOOD_FILES[0], good)
        baseline = workspace / "baseline.sqlite3"
        made = officestar(["score", "--json", "--no-report", "--rubric", str(RUBRIC), "--store",
                           str(baseline), str(GOOD_FILES[1])], cwd=workspace)
        assert made.exit_code == 0, made.describe()
        partial = Session(workspace, corpus, good, baseline, {})
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            jobs = {c.id: pool.submit(_run_case, c, arguments[c.id], partial) for c in CASES}
            jobs.update({s.id: pool.submit(_run_scenario, s, partial) for s in SCENARIOS})
            jobs["all-at-once"] = pool.submit(_run_all_at_once, arguments, partial)
            outcomes = {name: job.result() for name, job in jobs.items()}
        yield Session(workspace, corpus, good, baseline, outcomes)
    finally:
        for path in [workspace, *workspace.rglob("*")]:  # the permission cases, removable again
            if not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(workspace, ignore_errors=True)


def _outcome(session: Session, name: str) -> Outcome:
    outcome = session.outcomes[name]
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    return outcome


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.group for c in CASES} == {"container", "size", "content", "output"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_alone(session: Session, case: Case) -> None:
    problems = _outcome(session, case.id).check
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_score_mixed_with_a_good_file(session: Session, case: Case) -> None:
    problems = _outcome(session, case.id).score
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_output_hazard(session: Session, scenario: Scenario) -> None:
    problems = _outcome(session, scenario.id).score
    assert not problems, "\n\n".join(problems)


def test_every_input_at_once(session: Session) -> None:
    problems = _outcome(session, "all-at-once").score
    assert not problems, "\n\n".join(problems)


def test_no_run_passed_the_limits(session: Session) -> None:
    slow = [(o.name, round(r.seconds, 1)) for o in session.outcomes.values() for r in o.runs if r.seconds > 30]
    assert not slow, f"runs close to the time limit: {slow}"


def test_figure(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    """The line docs/reliability.md quotes."""
    ran = [o for o in session.outcomes.values() if not o.skipped]
    inputs = len([o for o in ran if o.name != "all-at-once"])
    crashes = sum(o.crashes for o in ran)
    losses = sum(o.losses for o in ran)
    runs = [r for o in ran for r in o.runs]
    slowest = max(runs, key=lambda r: r.seconds)
    line = (f"{inputs} hostile inputs, {crashes} crashes, {losses} silent losses ({len(runs)} officestar "
            f"runs, the slowest {slowest.seconds:.1f} s: {slowest.args[0]} {slowest.args[-1]})")
    with capsys.disabled():
        print(f"\n{line}")
    assert crashes == 0 and losses == 0, line


def test_reliability_doc_lists_every_hazard_and_the_figure() -> None:
    text = (ROOT / "docs" / "reliability.md").read_text("utf-8")
    missing = [name for name in [*(c.id for c in CASES), *(s.id for s in SCENARIOS)] if f"`{name}`" not in text]
    assert not missing, f"docs/reliability.md does not list {missing}"
    assert f"**{len(CASES) + len(SCENARIOS)} hostile inputs, 0 crashes, 0 silent losses**" in text
