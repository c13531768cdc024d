"""The JSON shapes of every command (docs/commands.md); keys are never translated.

Pure functions from results to plain data. ``officestar_cli.api`` puts them
together in each result's ``to_json()``; nothing else builds a ``--json`` shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officestar_cli.scoring.aggregate import OfficeResult, RoundResult
from officestar_cli.scoring.exact import fmt, shown

if TYPE_CHECKING:
    from officestar_cli.intake.batch import FileResult
    from officestar_cli.rubric.model import Rubric
    from officestar_cli.scoring.aggregate import Correction
    from officestar_cli.store.corrections import FileEvent
    from officestar_cli.store.reading import StoredAttempt, StoredFile
    from officestar_cli.workbook.template import Planned


def office_as_json(result: OfficeResult, precision: int) -> dict[str, Any]:
    complete = result.complete and result.shown is not None
    return {
        "office": result.office.th,
        "office_id": result.office.id,
        "total": fmt(result.shown, precision) if complete and result.shown is not None else None,
        "tier": result.tier.th if result.tier is not None else None,
        "rank": result.rank,
        "zone": result.office.zone,
        "zone_rank": result.zone_rank,
        "members": len(result.scored),
        "scored_by": result.scored_by,
        "missing": result.missing,
        "complete": result.complete,
        "quorum_reached": result.quorum_reached,
        "excused": dict(result.excused),
        "dimensions": {
            key: fmt(shown(value, precision), precision) for key, value in result.dimensions.items()
        }
        if complete
        else {},
    }


def round_as_json(result: RoundResult, *, provisional: bool) -> dict[str, Any]:
    """The ranked round; ``files`` and ``issues`` are added by the command that knows them."""
    precision = result.rubric.precision
    return {
        "round": result.round,
        "fiscal_year": result.fiscal_year,
        "method": result.method,
        "provisional": provisional,
        **({"not_returned": result.not_returned} if result.rubric.committee or result.not_returned else {}),
        "offices": [office_as_json(o, precision) for o in result.offices],
    }


def file_as_json(result: FileResult, *, changes: bool = False) -> dict[str, Any]:
    """One file of this run with the status the run gave it (check or score); for ``score``
    (``changes``) also what it changed from the copy it supersedes."""
    r = result.reading
    return ({"changes": [c.as_json() for c in result.changes]} if changes else {}) | {
        "file": r.file,
        "sha256": r.sha256,
        "member": r.member,
        "workbook_id": r.workbook_id,
        "round": r.round,
        "status": result.status,
        "supersedes": result.supersedes,
        "errors": r.errors,
        "warnings": r.warnings,
    }


def run_files_as_json(files: Sequence[FileResult], lang: str, *, changes: bool = False
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The files of a run and every Issue found in them (messages in ``lang``)."""
    return (
        [file_as_json(f, changes=changes) for f in files],
        [i.as_json(lang) for f in files for i in f.reading.issues],
    )


def check_as_json(files: Sequence[FileResult], lang: str) -> dict[str, Any]:
    listed, issues = run_files_as_json(files, lang)
    return {"valid": all(f.status != "rejected" for f in files), "files": listed, "issues": issues}


def stored_file_as_json(stored: StoredFile) -> dict[str, Any]:
    """A file as the store knows it: no status or counts, which only a run over the file knows."""
    return {
        "file": stored.name,
        "sha256": stored.sha256,
        "member": stored.member,
        "workbook_id": stored.workbook_id,
        "round": stored.round,
        "imported_at": stored.imported_at,
    }


def stored_files_as_json(files: Sequence[StoredFile]) -> list[dict[str, Any]]:
    return [stored_file_as_json(f) for f in files]


def history_as_json(
    fiscal_year: int, round_no: int, files: Sequence[StoredFile], attempts: Sequence[StoredAttempt] = (),
    events: Sequence[FileEvent] = (), corrections: Sequence[Correction] | None = None,
) -> dict[str, Any]:
    sha_by_id = {f.id: f.sha256 for f in files}
    data = {
        "fiscal_year": fiscal_year,
        "round": round_no,
        "files": [stored_file_as_json(f) | {"current": f.current, "withdrawn": f.withdrawn,
                                            "superseded_by": sha_by_id.get(f.superseded_by or 0)} for f in files],
        "events": [{"action": e.action, "sha256": sha_by_id.get(e.file_id), "reason": e.reason, "at": e.at}
                   for e in events],
        "rejected": [
            {"round": a.round, "member": a.member, "file": a.name, "sha256": a.sha256,
             "workbook_id": a.workbook_id, "attempted_at": a.attempted_at, "codes": list(a.codes)}
            for a in attempts
        ],
    }
    if corrections is not None:
        data["corrections"] = [{"file": new.name, "sha256": new.sha256, "supersedes": old.sha256,
                                "member": new.member, "changes": [c.as_json() for c in found]}
                               for old, new, found in corrections]
    return data


def template_as_json(rubric: Rubric, round_no: int, folder: Path, written: Sequence[Planned]) -> dict[str, Any]:
    return {
        "fiscal_year": rubric.fiscal_year,
        "round": round_no,
        "folder": str(folder),
        "files": [{"file": str(p.path), "member": p.member} for p in written],
    }
