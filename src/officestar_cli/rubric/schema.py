"""The structure of ``rubric.yaml`` as a JSON Schema (draft 2020-12).

Structure only: sums, duplicates, tier order and cross-references are checked
in ``rubric.py``, where the messages can name what adds up to what.
"""

from typing import Any

_TEXT = {"type": "string", "minLength": 1}
_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"}
_POSITIVE = {"type": "number", "exclusiveMinimum": 0}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "format", "contest", "fiscal_year", "round", "total", "tiers", "dimensions", "offices",
    ],
    "properties": {
        "format": {"const": 1},
        "contest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "th", "en"],
            "properties": {
                "name": _TEXT,
                "th": _TEXT,
                "en": _TEXT,
                "organiser_th": _TEXT,
                "organiser_en": _TEXT,
                "submit_to_th": _TEXT,
                "submit_to_en": _TEXT,
            },
        },
        "fiscal_year": {"type": "integer", "minimum": 2400, "maximum": 3000},
        "round": {"type": "integer", "minimum": 1, "maximum": 12},
        "total": _POSITIVE,
        "precision": {"type": "integer", "minimum": 0, "maximum": 4},
        "aggregation": {"enum": ["mean", "median", "trimmed"]},
        "quorum": {"type": ["integer", "null"], "minimum": 1},
        "kpi_target": {"type": "number", "minimum": 0, "maximum": 100},
        "tie_break": {"type": "array", "items": _ID},
        "outlier_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},  # docs/agreement.md
        "outlier_steps": {"type": "integer", "minimum": 0},
        "tiers": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["th", "en", "min"],
                "properties": {"th": _TEXT, "en": _TEXT, "min": {"type": "number", "minimum": 0}},
            },
        },
        "no_tier": {
            "type": "object",
            "additionalProperties": False,
            "required": ["th", "en"],
            "properties": {"th": _TEXT, "en": _TEXT},
        },
        "dimensions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "th", "en", "max", "criteria"],
                "properties": {
                    "id": _ID,
                    "th": _TEXT,
                    "en": _TEXT,
                    "max": _POSITIVE,
                    "criteria": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "th", "en", "max"],
                            "properties": {
                                "id": _ID,
                                "th": _TEXT,
                                "en": _TEXT,
                                "max": _POSITIVE,
                                "detail": {"type": "array", "items": _TEXT},
                            },
                        },
                    },
                },
            },
        },
        "offices": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "th", "en"],
                "properties": {
                    "id": _ID,
                    "th": _TEXT,
                    "en": _TEXT,
                    "staff": {"type": "integer", "minimum": 0},
                    "zone": _ID,
                },
            },
        },
        "zones": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "th", "en"],
                "properties": {"id": _ID, "th": _TEXT, "en": _TEXT},
            },
        },
        "committee": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": _TEXT,
                    "zones": {"type": "array", "items": _ID},
                    "offices": {"type": "array", "items": _ID},
                },
            },
        },
    },
}
