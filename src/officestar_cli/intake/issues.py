"""Findings are data: every input problem is an ``Issue`` with a stable code.

The catalog (``intake/catalog.py``) holds, for each code, its severity and its message
in Thai and English. ``docs/issues.md`` lists the same codes with their fixes; a test
keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from officestar_cli.intake.catalog import CATALOG as CATALOG
from officestar_cli.intake.catalog import Entry as Entry
from officestar_cli.intake.catalog import Severity


@dataclass(frozen=True)
class Issue:
    code: str
    file: str
    sheet: str | None = None
    cell: str | None = None
    value: Any = None
    expected: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.code not in CATALOG:
            raise KeyError(f"unknown issue code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return CATALOG[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str) -> str:
        entry = CATALOG[self.code]
        fields: dict[str, Any] = {
            "value": display_value(self.value),
            "expected": self.expected if self.expected is not None else "",
            "cell": self.cell or "",
            "reason": "",
            "kind": "",
            "part": "",
            "field": "",
            "hint": "",
            "differences": "",
        }
        for key, text in self.extra:
            # "hint_th"/"hint_en" fill "{hint}" in the matching language.
            base, _, suffix = key.rpartition("_")
            if suffix in ("th", "en"):
                if suffix == lang:
                    fields[base] = text
            else:
                fields[key] = text
        text = (entry.th if lang == "th" else entry.en).format(**fields)
        return " ".join(text.split())

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": json_value(self.value),
            "expected": self.expected,
            "message": self.message(lang),
        }


def issue(code: str, file: str, **kwargs: Any) -> Issue:
    """Build an Issue; keyword arguments that are not fields go into ``extra``."""
    fields = {k: kwargs.pop(k) for k in ("sheet", "cell", "value", "expected") if k in kwargs}
    extra = tuple((k, str(v)) for k, v in kwargs.items())
    return Issue(code, file, extra=extra, **fields)


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    return value


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return repr(value)
    return str(json_value(value))
