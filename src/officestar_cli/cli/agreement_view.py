"""``officestar agreement``: the command; what it prints is in ``cli/agreement_text.py``.

The result goes to stdout (docs/agreement.md explains each figure).
"""

from __future__ import annotations

from officestar_cli.cli.app import _rubric, command, guarded
from officestar_cli.cli.options import JsonOpt, LangOpt, RoundOpt, RubricOpt, StoreOpt, language, round_number
from officestar_cli.cli.terminal import Ui, emit_json
from officestar_cli.cli.usage import OfficestarCommand


@command(cls=OfficestarCommand)
def agreement(
    round_no: RoundOpt = None,
    store: StoreOpt = None,
    rubric_path: RubricOpt = None,
    json_out: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """ความสอดคล้องของกรรมการ: ICC, Kendall's W, Krippendorff's α, SEM และคะแนนที่ควรสอบถาม (เซลล์)

    Committee agreement: ICC, Kendall's W, Krippendorff's alpha, SEM, and the cells to ask about
    (docs/agreement.md). Figures that cannot be computed are shown with the reason; exit 0."""
    from officestar_cli import api

    ui = Ui(language(lang))
    round_value = round_number(round_no)
    with guarded(ui):
        result = api.agreement(_rubric(ui, rubric_path), round_no=round_value, store=store)
        if json_out:
            emit_json(result.to_json(ui.lang))
            return
        from officestar_cli.cli.agreement_text import show_agreement

        show_agreement(ui, result.found, result.rubric)


__all__ = ["agreement"]
