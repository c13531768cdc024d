"""officestar as a library: one function per command, one result object each.

Every command of the CLI is a call here: ``check``, ``score``, ``rank``,
``history``, ``rubric``, ``template`` and ``init`` (``api/workflow.py``), and
``feedback``, ``announce`` and ``certificates`` (``api/documents.py``), and
``agreement`` (``api/agreement.py``), ``compare`` (``api/compare.py``), and ``withdraw``,
``restore`` and ``excuse`` (``api/corrections.py``). Each
takes paths, a rubric and options, and returns one result object that knows
whether the run was valid, which files it saw, the Issues it found and (for
``score`` and ``rank``) the ranked round. Its ``to_json()`` is the one place a
``--json`` shape is built (the shapes are written in ``docs/commands.md``; the
pieces come from ``reports/json.py``).

Nothing here prints, and nothing here knows the terminal: the CLI gathers the
options, calls one function and shows the result. See ``docs/api.md``.

Problems the caller can fix (a broken rubric, no files, a foreign store, an
output that cannot be written) raise ``OfficestarError`` with a Thai and an
English message and the exit code the CLI uses; a bad workbook is never an
exception, it is an Issue in the result.
"""

from officestar_cli.api.agreement import AgreementResult, agreement
from officestar_cli.api.compare import CompareResult, compare
from officestar_cli.api.corrections import ExcuseResult, FileChangeResult, excuse, restore, withdraw
from officestar_cli.api.documents import DocumentResult, FeedbackResult, announce, certificates, feedback
from officestar_cli.api.workflow import (
    CheckResult,
    HistoryResult,
    InitResult,
    OfficestarError,
    RoundReport,
    RubricResult,
    TemplateResult,
    check,
    history,
    init,
    load,
    local_day,
    rank,
    rubric,
    score,
    template,
)

__all__ = [
    "AgreementResult",
    "CheckResult",
    "CompareResult",
    "DocumentResult",
    "ExcuseResult",
    "FeedbackResult",
    "FileChangeResult",
    "HistoryResult",
    "InitResult",
    "OfficestarError",
    "RoundReport",
    "RubricResult",
    "TemplateResult",
    "agreement",
    "announce",
    "certificates",
    "check",
    "compare",
    "excuse",
    "feedback",
    "history",
    "init",
    "load",
    "local_day",
    "rank",
    "restore",
    "rubric",
    "score",
    "template",
    "withdraw",
]
