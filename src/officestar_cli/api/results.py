"""The result objects of ``officestar_cli.api``: each knows whether its run was valid and builds
its own ``--json`` shape (docs/commands.md) from ``reports/json.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

    from officestar_cli.intake.batch import FileResult
    from officestar_cli.intake.issues import Issue
    from officestar_cli.rubric.model import Rubric
    from officestar_cli.scoring.aggregate import Correction, RoundResult
    from officestar_cli.store.corrections import FileEvent
    from officestar_cli.store.reading import StoredAttempt, StoredFile
    from officestar_cli.workbook.template import Planned



@dataclass
class RubricResult:
    """``officestar rubric``: the rubric, loaded and checked."""

    rubric: Rubric
    valid: bool = True  # a rubric that does not add up raises instead

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.rubric.as_json import rubric_as_json

        return rubric_as_json(self.rubric)


@dataclass
class TemplateResult:
    """``officestar template``: the blank workbooks written."""

    rubric: Rubric
    round: int
    folder: Path
    written: list[Planned]
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.json import template_as_json

        return template_as_json(self.rubric, self.round, self.folder, self.written)


@dataclass
class CheckResult:
    """``officestar check``: every file read and checked, nothing stored."""

    rubric: Rubric
    round: int
    files: list[FileResult]

    @property
    def valid(self) -> bool:
        """No file was rejected (warnings are allowed)."""
        return all(f.status != "rejected" for f in self.files)

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.reading.issues]

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.json import check_as_json

        return check_as_json(self.files, lang)


@dataclass
class RoundReport:
    """``officestar score`` and ``officestar rank``: the ranked round.

    ``files`` are this run's files with their status for ``score``, and None for
    ``rank``, which reads no file (its JSON lists what the store holds instead:
    ``ranking.files``). ``reports`` are the report files written, if any.
    """

    rubric: Rubric
    round: int
    ranking: RoundResult
    provisional: bool
    files: list[FileResult] | None = None
    reports: list[Path] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(f.status != "rejected" for f in self.files or [])

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files or [] for i in f.reading.issues] + self.ranking.notices

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.json import round_as_json, run_files_as_json, stored_files_as_json

        data = round_as_json(self.ranking, provisional=self.provisional)
        if self.files is None:
            data["files"] = stored_files_as_json(self.ranking.files)
            data["issues"] = []
        else:
            data["files"], data["issues"] = run_files_as_json(self.files, lang, changes=True)
        data["issues"] += [i.as_json(lang) for i in self.ranking.notices]
        return data

    def frame(self) -> pandas.DataFrame:
        """The offices as a pandas DataFrame (``pip install officestar[analysis]``)."""
        from officestar_cli.reports.frames import offices_frame

        return offices_frame(self.ranking)


@dataclass
class HistoryResult:
    """``officestar history``: what the store holds for a round, current and superseded, and the
    rejected attempts (which never count)."""

    rubric: Rubric
    round: int
    files: list[StoredFile]
    attempts: list[StoredAttempt] = field(default_factory=list)
    events: list[FileEvent] = field(default_factory=list)  # withdrawals and restorations
    corrections: list[Correction] | None = None  # with ``changes=True``: every superseding and its changes
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.json import history_as_json

        return history_as_json(self.rubric.fiscal_year, self.round, self.files, self.attempts, self.events,
                               self.corrections)


@dataclass
class InitResult:
    """``officestar init``: an editable rubric.yaml written into a folder."""

    path: Path
    replaced: bool
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        return {"rubric": str(self.path), "replaced": self.replaced}
