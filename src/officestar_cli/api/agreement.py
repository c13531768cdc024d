"""Can the committee's scores be trusted: the agreement figures of a recorded round (docs/agreement.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from officestar_cli.api.inputs import PathLike, RubricLike
from officestar_cli.api.workflow import rank

if TYPE_CHECKING:
    from officestar_cli.rubric.model import Rubric
    from officestar_cli.scoring.agreement import RoundAgreement

__all__ = ["AgreementResult", "agreement"]


@dataclass
class AgreementResult:
    """``officestar agreement``: ICC, Kendall's W, Krippendorff's alpha, SEM, the flagged cells."""

    rubric: Rubric
    found: RoundAgreement
    valid: bool = True  # undefined figures are reported with their reason, not as a failure

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        from officestar_cli.scoring.agreement import agreement_as_json

        return agreement_as_json(self.found, lang)


def agreement(source: RubricLike = None, *, round_no: int | None = None,
              store: PathLike | None = None) -> AgreementResult:
    """The agreement of the committee on a recorded round."""
    from officestar_cli.scoring.agreement import round_agreement

    report = rank(source, round_no=round_no, store=store, reports=False)
    return AgreementResult(report.rubric, round_agreement(report.ranking))
