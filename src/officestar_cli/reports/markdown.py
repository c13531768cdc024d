"""The Markdown report, rendered from the Jinja2 templates in ``templates/``.

The templates get only preformatted strings: every number is already text from
``exact.fmt`` (half-up to the rubric's precision), so a template cannot round
or add. Text from users goes through the ``cell`` filter, so that a name is shown
as it was typed, whatever Markdown or HTML it holds (docs/design-reports.md, "Text").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from officestar_cli.reports import wording as w
from officestar_cli.reports.agreement_report import agreement_context
from officestar_cli.reports.changes import file_status, withdrawal_reasons
from officestar_cli.reports.text import safe_text
from officestar_cli.scoring.aggregate import OfficeResult, RoundResult

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = {"th": "report.md.j2", "en": "report.en.md.j2"}
# Markdown's inline punctuation: code spans, emphasis, links and images, strike-through, tables.
_MARKDOWN_ESCAPES = re.compile(r"([\\|`*_\[\]~])")
_HTML_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}


def cell(value: object) -> str:
    """Text shown as it is, inside a Markdown table cell, a list item or a heading.

    Control characters become U+FFFD and line breaks (any kind) spaces. For
    HTML, ``&``, ``<`` and ``>`` become entities, so no tag, comment or entity
    typed in a name reaches a renderer (``<img onerror=…>``, ``<script>``,
    ``<!--``). For Markdown, the backslash, ``|``, the backtick, ``*``, ``_``,
    ``[``, ``]`` and ``~`` are escaped, and so is a leading ``#``. A leading
    ``=``, ``+``, ``-`` or ``@`` is kept as it is: inside a table cell or after
    other text it is plain text in Markdown.
    """
    text = " ".join(safe_text(str(value)).splitlines())
    text = _MARKDOWN_ESCAPES.sub(r"\\\1", text.translate(_HTML_ESCAPES))
    return "\\" + text if text.startswith("#") else text


def template_source(name: str) -> str:
    """A report template from the shipped data (``templates/`` in the repository)."""
    from officestar_cli.base.resources import data_text

    return data_text(f"templates/{name}")


def environment() -> Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(template_source),
        autoescape=False,  # Markdown, not HTML; table cells go through ``cell``
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = cell
    return env


def render_markdown(result: RoundResult, *, lang: str, date: dt.date, provisional: bool, tool_version: str) -> str:
    template = environment().get_template(TEMPLATES["en" if lang == "en" else "th"])
    return template.render(context(result, lang=lang, date=date, provisional=provisional, tool_version=tool_version))


def context(result: RoundResult, *, lang: str, date: dt.date, provisional: bool, tool_version: str) -> dict[str, Any]:
    rubric = result.rubric
    zones = any(o.office.zone for o in result.offices)
    ties = w.Ties(result)
    return {
        "title": rubric.title(lang),
        "fiscal_year": result.fiscal_year,
        "round": result.round,
        "date": w.report_date(date, lang),
        "signers": w.signers(result),  # the declared committee, else the round's members
        "method": w.method_text(result.method, lang),
        "method_detail": w.method_detail(lang),
        "rounding": w.rounding_text(rubric, lang),
        "tie_rule": w.tie_rule(rubric, lang),
        "provisional": provisional,
        "provisional_reason": w.provisional_reason(result, lang),
        "committee_line": w.committee_line(result, lang),
        "zones": zones,
        "total_max": w.plain(rubric.total),
        "ranking": [_ranking_row(o, result, lang, ties) for o in result.offices],
        "tiers": _tiers(result, lang),
        "incomplete": [
            {
                "office": o.office.title(lang),
                "missing": w.names(o.missing),
                "scored": w.names(o.scored_by),
                "status": w.status_text(o, lang),
            }
            for o in result.offices
            if not o.complete
        ],
        "not_returned": w.names(result.not_returned) if result.not_returned else "",
        "absent_by_quorum": [{"office": o.office.title(lang), "missing": w.names(o.missing)}
                             for o in result.offices if o.quorum_reached],
        "excused": [{"office": o.office.title(lang), "member": member, "reason": reason}
                    for o in result.offices for member, reason in o.excused.items()],
        "kpi": _kpi(result, lang),
        "dimensions": [{"id": d.id, "title": d.title(lang), "max": w.plain(d.max)} for d in rubric.dimensions],
        "per_dimension": [
            {
                "office": o.office.title(lang),
                "values": [w.num(o.dimensions.get(d.id), rubric.precision) for d in rubric.dimensions],
                "total": w.num(o.total, rubric.precision),
            }
            for o in result.offices
        ],
        "methods": [{"office": o.office.title(lang), "note": w.office_method(o, lang)} for o in result.offices],
        "files": _files(result, lang),
        "fingerprint": result.fingerprint or w.DASH,
        "rubric_fingerprint": rubric.fingerprint,
        "tool": f"officestar {tool_version}",
        "traceability": w.traceability(lang),
        "agreement": agreement_context(result, lang),  # templates/agreement*.md.j2
    }


def _ranking_row(office: OfficeResult, result: RoundResult, lang: str, ties: w.Ties) -> dict[str, str]:
    zone = office.office.zone
    zone_title = next(
        (z.th if lang == "th" else z.en for z in result.rubric.zones if z.id == zone),
        zone or w.DASH,
    )
    return {
        "rank": w.rank_text(office),
        "office": office.office.title(lang),
        "zone": zone_title,
        "zone_rank": w.zone_rank_text(office),
        "total": w.num(office.shown, result.rubric.precision),
        "tier": w.tier_text(office, result.rubric, lang),
        "status": w.status_text(office, lang),
        "tie": ties.text(office, lang) or w.DASH,
    }


def _tiers(result: RoundResult, lang: str) -> list[dict[str, Any]]:
    rubric = result.rubric
    groups: list[dict[str, Any]] = [
        {
            "title": tier.title(lang),
            "bound": "≥ " + w.plain(tier.min),
            "offices": [o.office.title(lang) for o in result.offices if o.tier == tier],
        }
        for tier in rubric.tiers
    ]
    groups.append(
        {
            "title": rubric.no_tier.title(lang),
            "bound": "< " + w.plain(rubric.tiers[-1].min) if rubric.tiers else "",
            "offices": [o.office.title(lang) for o in result.offices if o.complete and o.tier is None],
        }
    )
    return groups


def _kpi(result: RoundResult, lang: str) -> dict[str, Any]:
    k = w.kpi(result)
    return {
        "target": k.target,
        "offices": k.offices,
        "evaluated": k.evaluated,
        "evaluated_pct": k.evaluated_pct,
        "evaluated_met": w.met_text(k.evaluated_met, lang),
        "honoured": k.honoured,
        "honoured_pct": k.honoured_pct,
        "honoured_met": w.met_text(k.honoured_met, lang),
    }


def _files(result: RoundResult, lang: str) -> list[dict[str, str]]:
    sha_by_id = {f.id: f.sha256 for f in result.history}
    reasons = withdrawal_reasons(result.events)
    return [
        {
            "name": f.name,
            "member": f.member,
            "sha": f.sha256[:12],
            "imported": w.imported(f.imported_at, lang),
            "status": file_status(f, sha_by_id, lang, reasons.get(f.id, "")),
        }
        for f in result.history
    ]


__all__ = ["TEMPLATES", "cell", "context", "environment", "render_markdown"]
