"""The structure of ``rubric.yaml`` as a JSON Schema (draft 2020-12).

Structure only: sums, duplicates, tier order and cross-references are checked
in ``rubric.checks``, where the messages can name what adds up to what. Schema
errors are translated here into problems in Thai and English at the YAML mark.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from officestar_cli.rubric.model import ROUND_MAX

if TYPE_CHECKING:
    from officestar_cli.rubric.marks import Marked, Path_


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
        "round": {"type": "integer", "minimum": 1, "maximum": ROUND_MAX},
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
        # Members excused from an office (docs/design.md, "Excused members"); not in the fingerprint.
        "excused": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["member", "office", "reason"],
                "properties": {"member": _TEXT, "office": _ID, "reason": _TEXT},
            },
        },
        # Who signs the announcement and the certificates (docs/rubric.md); not in the fingerprint.
        "signatories": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": _TEXT,
                    "position": {"type": "string"},
                    "role": {"enum": ["chair", "member", "approver"]},
                },
            },
        },
        # The documents' font and wording (docs/rubric.md); not in the fingerprint.
        "documents": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "font": _TEXT,
                "size": {"type": "number", "minimum": 8, "maximum": 36},
                "opening": _TEXT,
                "certificate": _TEXT,
            },
        },
    },
}


_TYPE_NAMES = {
    "string": ("ข้อความ", "text"),
    "integer": ("จำนวนเต็ม", "a whole number"),
    "number": ("ตัวเลข", "a number"),
    "object": ("ชุดคีย์ (mapping)", "a mapping"),
    "array": ("รายการ (list)", "a list"),
    "null": ("ว่าง (null)", "null"),
}


def _type_names(expected: Any) -> tuple[str, str]:
    kinds = expected if isinstance(expected, list) else [expected]
    th = " หรือ ".join(_TYPE_NAMES.get(k, (k, k))[0] for k in kinds)
    en = " or ".join(_TYPE_NAMES.get(k, (k, k))[1] for k in kinds)
    return th, en


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    """Draft 2020-12, with two rules made strict.

    ``integer`` is an int, never a float with no fraction (``fiscal_year: 2568.0``
    would otherwise pass and be written into workbooks as ``2568.0``); ``pattern``
    must match the whole text (in a pattern ``$`` also matches before a final line
    feed, so an id ``"1.1\\n"`` would pass).
    """
    import re

    from jsonschema import Draft202012Validator, ValidationError, validators

    def integer(_checker: Any, instance: Any) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    def whole_pattern(_validator: Any, pattern: str, instance: Any, _schema: Any) -> Any:
        if isinstance(instance, str) and re.fullmatch(pattern, instance) is None:
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    strict = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        validators={"pattern": whole_pattern},
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", integer),
    )
    return strict(SCHEMA)


def check_structure(data: dict[str, Any], tree: Marked) -> None:
    """Every way ``data`` departs from SCHEMA, as problems at their marks."""
    validator = _validator()
    for error in validator.iter_errors(data):
        path: Path_ = tuple(error.absolute_path)
        kind = error.validator
        instance = error.instance
        if kind == "required" and isinstance(instance, dict):
            for key in error.validator_value:
                if key not in instance:
                    tree.problem(path, f"ขาดคีย์ที่จำเป็น '{key}'", f"missing required key '{key}'")
        elif kind == "additionalProperties" and isinstance(instance, dict):
            allowed = sorted(error.schema.get("properties", {}))
            for key in instance:
                if key not in allowed:
                    tree.problem(
                        (*path, key),
                        f"ไม่รู้จักคีย์ '{key}' (ที่ใช้ได้: {', '.join(allowed)})",
                        f"unknown key '{key}' (allowed: {', '.join(allowed)})",
                        key=True,
                    )
        elif kind == "type":
            th, en = _type_names(error.validator_value)
            tree.problem(path, f"ต้องเป็น{th} แต่พบ {instance!r}", f"must be {en}, found {instance!r}")
        elif kind == "exclusiveMinimum":
            tree.problem(
                path,
                f"ต้องเป็นจำนวนบวก (มากกว่า {error.validator_value}) แต่พบ {instance!r}",
                f"must be a positive number (above {error.validator_value}), found {instance!r}",
            )
        elif kind == "minimum":
            tree.problem(
                path,
                f"ต้องไม่น้อยกว่า {error.validator_value} แต่พบ {instance!r}",
                f"must be at least {error.validator_value}, found {instance!r}",
            )
        elif kind == "maximum":
            tree.problem(
                path,
                f"ต้องไม่มากกว่า {error.validator_value} แต่พบ {instance!r}",
                f"must be at most {error.validator_value}, found {instance!r}",
            )
        elif kind in ("enum", "const"):
            options = error.validator_value if kind == "enum" else [error.validator_value]
            listed = ", ".join(str(o) for o in options)
            tree.problem(
                path,
                f"ต้องเป็นหนึ่งใน {listed} แต่พบ {instance!r}",
                f"must be one of {listed}, found {instance!r}",
            )
        elif kind == "pattern":
            tree.problem(
                path,
                f"รหัส {instance!r} ใช้ไม่ได้: ใช้ตัวอักษรอังกฤษ ตัวเลข . _ - ไม่เกิน 40 ตัว",
                f"id {instance!r} is not valid: use ASCII letters, digits, . _ - (at most 40)",
            )
        elif kind == "minLength":
            tree.problem(path, "ต้องไม่เว้นว่าง", "must not be empty")
        elif kind == "minItems":
            tree.problem(
                path,
                f"ต้องมีอย่างน้อย {error.validator_value} รายการ",
                f"must have at least {error.validator_value} item(s)",
            )
        else:  # pragma: no cover - every keyword the schema uses is handled above
            tree.problem(path, error.message, error.message)
