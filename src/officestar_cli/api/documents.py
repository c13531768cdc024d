"""What a recorded round gives each office and the province: feedback, the announcement, certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officestar_cli.api.inputs import PathLike, RubricLike
from officestar_cli.api.workflow import local_day, rank
from officestar_cli.base.errors import OfficestarError

if TYPE_CHECKING:
    from officestar_cli.reports.documents.write import Written
    from officestar_cli.reports.feedback import Feedback
    from officestar_cli.scoring.aggregate import RoundResult

__all__ = ["DocumentResult", "FeedbackResult", "announce", "certificates", "feedback"]


@dataclass
class FeedbackResult:
    """``officestar feedback``: each chosen office's own report, and the files written."""

    ranking: RoundResult
    written: list[tuple[Feedback, list[Path]]]
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.reports.feedback_files import feedback_json

        return {
            "round": self.ranking.round, "fiscal_year": self.ranking.fiscal_year,
            "offices": [{**feedback_json(fb, self.ranking), "files": [str(p) for p in paths]}
                        for fb, paths in self.written],
        }




def feedback(
    source: RubricLike = None,
    *,
    round_no: int | None = None,
    store: PathLike | None = None,
    offices: Sequence[str] = (),
    method: str | None = None,
    out: PathLike | None = None,
    date: dt.date | None = None,
    lang: str = "th",
) -> FeedbackResult:
    """Write each office (or the ``offices`` named) its own report of the round."""
    from officestar_cli.reports.feedback_files import write_feedback

    report = rank(source, round_no=round_no, store=store, method=method, reports=False, lang=lang)
    ranking = report.ranking
    wanted = list(dict.fromkeys(offices))
    unknown = [o for o in wanted if o not in report.rubric.office_by_id]
    if unknown:
        known = ", ".join(o.id for o in report.rubric.offices)
        raise OfficestarError(
            f"ไม่มีหน่วยงานรหัส {', '.join(unknown)} ในเกณฑ์ รหัสที่มี: {known}",
            f"No office with id {', '.join(unknown)} in the rubric; the ids are: {known}",
        )
    order = {o.id: i for i, o in enumerate(report.rubric.offices)}
    chosen = sorted((o for o in ranking.offices if not wanted or o.office.id in wanted),
                    key=lambda o: order[o.office.id])
    folder = Path(out) if out is not None else Path("reports") / f"round-{report.round}" / "feedback"
    written = write_feedback(ranking, folder, chosen, lang=lang, date=date or local_day(ranking.latest_import))
    return FeedbackResult(ranking, written)


@dataclass
class DocumentResult:
    """``officestar announce`` and ``officestar certificates``: the docx and PDF written."""

    ranking: RoundResult
    written: Written
    draft: bool
    valid: bool = True

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        return {"fiscal_year": self.ranking.fiscal_year, "round": self.ranking.round, "draft": self.draft,
                "docx": str(self.written.docx), "pdf": str(self.written.pdf), "font": self.written.font}


def _document(kind: str, source: RubricLike, round_no: int | None, store: PathLike | None, out: PathLike | None,
              date: dt.date | None, draft: bool, thai_digits: bool, min_tier: str | None) -> DocumentResult:
    from officestar_cli.reports.documents.content import parse_tier
    from officestar_cli.reports.documents.write import write_document

    report = rank(source, round_no=round_no, store=store, reports=False)
    rubric = report.rubric
    tier = parse_tier(min_tier, rubric) if min_tier is not None else None
    if tier is None and kind == "certificates" and rubric.tiers:
        tier = rubric.tiers[-1]  # every tier is honoured by default
    ranking = report.ranking
    folder = Path(out) if out is not None else Path("reports") / f"round-{report.round}"
    written = write_document(kind, ranking, folder, date or local_day(ranking.latest_import), draft=draft,
                             digits=thai_digits, min_tier=tier)
    return DocumentResult(ranking, written, draft)


def announce(source: RubricLike = None, *, round_no: int | None = None, store: PathLike | None = None,
             out: PathLike | None = None, date: dt.date | None = None, draft: bool = False,
             thai_digits: bool = False) -> DocumentResult:
    """The announcement of the round's results (docx and PDF); a provisional round only as a draft."""
    return _document("announcement", source, round_no, store, out, date, draft, thai_digits, None)


def certificates(source: RubricLike = None, *, round_no: int | None = None, store: PathLike | None = None,
                 out: PathLike | None = None, date: dt.date | None = None, draft: bool = False,
                 thai_digits: bool = False, min_tier: str | None = None) -> DocumentResult:
    """One certificate per honoured office (tier ``min_tier`` and up; default every tier)."""
    return _document("certificates", source, round_no, store, out, date, draft, thai_digits, min_tier)
