"""The rubric as data: load ``rubric.yaml``, check that it adds up, fingerprint it.

Every problem found is reported with the file, the YAML line and column and the
key, in Thai and English, and all of them are reported together.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from officestar_cli.base.errors import OfficestarError
from officestar_cli.base.names import member_key

RUBRIC_ENV = "OFFICESTAR_RUBRIC"
PACKAGED = "<officestar>/rubric.yaml"

Path_ = tuple[str | int, ...]


# --------------------------------------------------------------------------- model


class _Titled:
    """Anything with a Thai and an English title."""

    th: str
    en: str

    def title(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


@dataclass(frozen=True)
class Criterion(_Titled):
    id: str
    th: str
    en: str
    max: Decimal
    detail: tuple[str, ...]
    dimension_id: str


@dataclass(frozen=True)
class Dimension(_Titled):
    id: str
    th: str
    en: str
    max: Decimal
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Tier(_Titled):
    th: str
    en: str
    min: Decimal


@dataclass(frozen=True)
class Office(_Titled):
    id: str
    th: str
    en: str
    staff: int | None
    zone: str | None


@dataclass(frozen=True)
class Zone:
    id: str
    th: str
    en: str


@dataclass(frozen=True)
class Member:
    name: str
    zones: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contest(_Titled):
    name: str
    th: str
    en: str
    organiser_th: str = ""
    organiser_en: str = ""
    submit_to_th: str = ""
    submit_to_en: str = ""


@dataclass(frozen=True)
class Rubric:
    source: str
    contest: Contest
    fiscal_year: int
    round: int
    total: Decimal
    precision: int
    aggregation: str
    quorum: int | None
    kpi_target: Decimal
    tie_break: tuple[str, ...]
    tiers: tuple[Tier, ...]
    no_tier: Tier
    dimensions: tuple[Dimension, ...]
    offices: tuple[Office, ...]
    zones: tuple[Zone, ...] = ()
    committee: tuple[Member, ...] = ()

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)

    @cached_property
    def criterion_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def office_by_id(self) -> dict[str, Office]:
        return {o.id: o for o in self.offices}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self)

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]

    def tier_for(self, shown_total: Decimal) -> Tier | None:
        """The tier of a total as shown (already rounded to the display precision)."""
        for tier in self.tiers:
            if shown_total >= tier.min:
                return tier
        return None

    def offices_for(self, member_name: str) -> tuple[Office, ...]:
        """The offices a member scores: their assignment, or every office."""
        key = member_key(member_name)
        for member in self.committee:
            if member_key(member.name) == key and (member.zones or member.offices):
                wanted = set(member.offices)
                zones = set(member.zones)
                return tuple(o for o in self.offices if o.id in wanted or o.zone in zones)
        return self.offices

    def title(self, lang: str) -> str:
        return self.contest.title(lang)


def fingerprint(rubric: Rubric) -> str:
    """SHA-256 over what decides how scores are read and added (CONTRACT 3): the
    canonical content below."""
    return hashlib.sha256(canonical_content(rubric).encode("ascii")).hexdigest()


def canonical_content(rubric: Rubric) -> str:
    """What decides how scores are read and added, as one JSON text (the store keeps it
    per round): dimension and criterion ids with their maxima, office ids and the display
    precision; not titles, not wording, not the round or the fiscal year.
    Order-independent, so reordering the file changes nothing.
    """
    canonical = {
        "precision": rubric.precision,
        "dimensions": sorted(
            [
                d.id,
                _canon(d.max),
                sorted([c.id, _canon(c.max)] for c in d.criteria),
            ]
            for d in rubric.dimensions
        ),
        "offices": sorted(o.id for o in rubric.offices),
    }
    return json.dumps(canonical, ensure_ascii=True, separators=(",", ":"), sort_keys=True)


def _canon(value: Decimal) -> str:
    normal = value.normalize()
    return format(normal, "f")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class RubricProblem:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    key: str
    th: str
    en: str

    def render(self, lang: str) -> str:
        first, second = (self.th, self.en) if lang == "th" else (self.en, self.th)
        return f"{self.file}:{self.line}:{self.column}: {self.key}: {first} / {second}"


class RubricError(OfficestarError):
    """The rubric file cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[RubricProblem]) -> None:
        self.problems = problems
        th = "\n".join(p.render("th") for p in problems)
        en = "\n".join(p.render("en") for p in problems)
        super().__init__(
            f"ใช้ไฟล์เกณฑ์ไม่ได้ พบปัญหา {len(problems)} รายการ:\n{th}",
            f"The rubric cannot be used; {len(problems)} problem(s):\n{en}",
        )


# --------------------------------------------------------------------------- locating


def resolve_rubric_path(option: Path | None) -> Path | None:
    """``--rubric``, else ``$OFFICESTAR_RUBRIC``, else ``./rubric.yaml``; None means packaged."""
    if option is not None:
        return option
    env = os.environ.get(RUBRIC_ENV)
    if env:
        return Path(env)
    local = Path("rubric.yaml")
    if local.is_file():
        return local
    return None


def packaged_rubric_text() -> str:
    return resources.files("officestar_cli").joinpath("data/rubric.yaml").read_text("utf-8")


def load_rubric(option: Path | None = None) -> Rubric:
    path = resolve_rubric_path(option)
    if path is None:
        return parse_rubric(packaged_rubric_text(), PACKAGED)
    name = str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise _unreadable(name, "เป็นโฟลเดอร์ ไม่ใช่ไฟล์", "is a folder, not a file") from None
    except FileNotFoundError:
        raise _unreadable(name, "ไม่พบไฟล์", "file not found") from None
    except OSError as exc:
        raise _unreadable(name, f"อ่านไฟล์ไม่ได้ ({exc.strerror})", f"cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RubricError(
            [RubricProblem(name, line, 1, "-", "ไฟล์ไม่ใช่ UTF-8", "the file is not UTF-8 text")]
        ) from None
    return parse_rubric(text, name)


def _unreadable(name: str, th: str, en: str) -> RubricError:
    return RubricError([RubricProblem(name, 1, 1, "-", th, en)])


# --------------------------------------------------------------------------- parsing


@dataclass
class _Tree:
    """Plain data from the YAML nodes, plus where every value and key was written."""

    file: str
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    scalars: dict[Path_, str] = field(default_factory=dict)
    problems: list[RubricProblem] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        marks = self.key_marks if key else self.value_marks
        while path not in marks and path:
            path = path[:-1]
        return marks.get(path, (1, 1))

    def problem(self, path: Path_, th: str, en: str, *, key: bool = False) -> None:
        line, column = self.mark(path, key=key)
        self.problems.append(RubricProblem(self.file, line, column, _dotted(path), th, en))


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _build(node: yaml.Node, path: Path_, tree: _Tree, constructor: yaml.SafeLoader) -> Any:
    tree.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.CollectionNode):
        # An alias (*name) reuses a node: refused, so a self-reference or an alias bomb
        # cannot recurse or grow without bound.
        if id(node) in tree.seen:
            tree.problem(path, "ไม่รองรับการอ้างอิง YAML (&/*) ให้เขียนค่าเต็ม", "YAML aliases (&/*) are not supported")
            return None
        tree.seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            key = str(key)
            child = (*path, key)
            tree.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                tree.value_marks[child] = tree.key_marks[child]
                tree.problem(child, f"คีย์ '{key}' ซ้ำ", f"duplicate key '{key}'", key=True)
                continue
            out[key] = _build(value_node, child, tree, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), tree, constructor) for i, item in enumerate(node.value)]
    tree.scalars[path] = str(node.value)
    return constructor.construct_object(node, deep=True)


def parse_rubric(text: str, name: str) -> Rubric:
    tree = _Tree(name)
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if root is None:
            raise _unreadable(name, "ไฟล์ว่าง", "the file is empty")
        data = _build(root, (), tree, yaml.SafeLoader(""))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RubricError(
            [
                RubricProblem(
                    name,
                    line,
                    column,
                    "-",
                    f"เขียน YAML ไม่ถูกต้อง ({exc.problem})",
                    f"invalid YAML ({exc.problem})",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise _unreadable(name, f"เขียน YAML ไม่ถูกต้อง ({exc})", f"invalid YAML ({exc})") from None
    if not isinstance(data, dict):
        tree.problem((), "ไฟล์เกณฑ์ต้องเป็นชุดคีย์ (mapping)", "the rubric must be a mapping")
        raise RubricError(tree.problems)
    _check_structure(data, tree)
    _check_meaning(data, tree)
    if tree.problems:
        # jsonschema reports "required" once per missing key; keep each problem once.
        unique = sorted(set(tree.problems), key=lambda p: (p.line, p.column, p.key, p.en))
        raise RubricError(unique)
    return _make_rubric(data, tree)


# --------------------------------------------------------------------------- structure

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


def _check_structure(data: dict[str, Any], tree: _Tree) -> None:
    from jsonschema import Draft202012Validator

    from officestar_cli.rubric.schema import SCHEMA

    validator = Draft202012Validator(SCHEMA)
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


# --------------------------------------------------------------------------- meaning


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _decimal(tree: _Tree, path: Path_, value: Any) -> Decimal | None:
    """The number exactly as written (``4.5`` stays 4.5, never a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    text = tree.scalars.get(path, str(value)).replace("_", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal(repr(value))
    if not number.is_finite():
        tree.problem(path, "ต้องเป็นตัวเลขจำกัด (ไม่ใช่ inf/nan)", "must be a finite number")
        return None
    return number


def _check_unique(tree: _Tree, entries: list[tuple[Path_, Any]], what_th: str, what_en: str) -> None:
    seen: dict[Any, Path_] = {}
    for path, value in entries:
        if not isinstance(value, str):
            continue
        if value in seen:
            first_line = tree.mark(seen[value])[0]
            tree.problem(
                path,
                f"{what_th} '{value}' ซ้ำกับบรรทัด {first_line}",
                f"duplicate {what_en} '{value}' (first at line {first_line})",
            )
        else:
            seen[value] = path


def _check_meaning(data: dict[str, Any], tree: _Tree) -> None:
    dims = list(_items(data, "dimensions"))
    _check_unique(tree, [(("dimensions", i, "id"), d.get("id")) for i, d in dims], "รหัสด้าน", "dimension id")
    _check_unique(
        tree,
        [
            (("dimensions", i, "criteria", j, "id"), c.get("id"))
            for i, d in dims
            for j, c in _items(d, "criteria")
        ],
        "รหัสเกณฑ์",
        "criterion id",
    )
    _check_unique(
        tree, [(("offices", i, "id"), o.get("id")) for i, o in _items(data, "offices")],
        "รหัสหน่วยงาน", "office id",
    )
    _check_unique(tree, [(("zones", i, "id"), z.get("id")) for i, z in _items(data, "zones")], "รหัสโซน", "zone id")
    _check_unique(
        tree,
        [
            (("committee", i, "name"), member_key(m["name"]) if isinstance(m.get("name"), str) else None)
            for i, m in _items(data, "committee")
        ],
        "ชื่อกรรมการ",
        "committee member",
    )

    # Each dimension adds up to its maximum; the dimensions add up to the total.
    dimension_sum = Decimal(0)
    sums_known = True
    for i, dim in dims:
        dim_max = _decimal(tree, ("dimensions", i, "max"), dim.get("max"))
        crit_sum = Decimal(0)
        known = dim_max is not None
        for j, crit in _items(dim, "criteria"):
            cmax = _decimal(tree, ("dimensions", i, "criteria", j, "max"), crit.get("max"))
            if cmax is None or cmax <= 0:
                known = False
            else:
                crit_sum += cmax
        if known and dim_max is not None and crit_sum != dim_max:
            tree.problem(
                ("dimensions", i, "max"),
                f"ด้าน {dim.get('id')}: คะแนนเต็มของเกณฑ์รวมกันได้ {crit_sum} แต่ด้านนี้ประกาศ {dim_max}",
                f"dimension {dim.get('id')}: its criteria add up to {crit_sum} but it declares {dim_max}",
            )
        if dim_max is None or dim_max <= 0:
            sums_known = False
        else:
            dimension_sum += dim_max
    total = _decimal(tree, ("total",), data.get("total"))
    if sums_known and dims and total is not None and total > 0 and dimension_sum != total:
        tree.problem(
            ("total",),
            f"คะแนนเต็มของทุกด้านรวมกันได้ {dimension_sum} แต่ total ประกาศ {total}",
            f"the dimensions add up to {dimension_sum} but total declares {total}",
        )

    # Tiers: strictly descending lower bounds, within the total.
    previous: Decimal | None = None
    for i, tier in _items(data, "tiers"):
        low = _decimal(tree, ("tiers", i, "min"), tier.get("min"))
        if low is None:
            continue
        if previous is not None and low >= previous:
            tree.problem(
                ("tiers", i, "min"),
                f"ระดับต้องเรียงจากเกณฑ์สูงไปต่ำและไม่ซ้อนกัน: {low} ไม่ต่ำกว่า {previous} ของระดับก่อนหน้า",
                f"tiers must be sorted highest first without overlap: {low} is not below "
                f"the previous tier's {previous}",
            )
        if total is not None and low > total:
            tree.problem(
                ("tiers", i, "min"),
                f"เกณฑ์ขั้นต่ำ {low} สูงกว่าคะแนนเต็ม {total}",
                f"lower bound {low} is above the total {total}",
            )
        previous = low

    # Cross-references.
    # Only well-typed values: a wrong type was reported above and must not crash here.
    def strings(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    dim_ids = {d.get("id") for _, d in dims if isinstance(d.get("id"), str)}
    for i, ref in enumerate(strings(data.get("tie_break"))):
        if isinstance(ref, str) and ref not in dim_ids:
            tree.problem(("tie_break", i), f"ไม่มีด้านรหัส '{ref}'", f"no dimension with id '{ref}'")
    zone_ids = {z.get("id") for _, z in _items(data, "zones") if isinstance(z.get("id"), str)}
    office_ids = {o.get("id") for _, o in _items(data, "offices") if isinstance(o.get("id"), str)}
    for i, office in _items(data, "offices"):
        zone = office.get("zone")
        if isinstance(zone, str) and zone not in zone_ids:
            tree.problem(("offices", i, "zone"), f"ไม่มีโซนรหัส '{zone}' ใน zones", f"no zone '{zone}' in zones")
    for i, member in _items(data, "committee"):
        for j, zone in enumerate(strings(member.get("zones"))):
            if isinstance(zone, str) and zone not in zone_ids:
                tree.problem(("committee", i, "zones", j), f"ไม่มีโซนรหัส '{zone}'", f"no zone '{zone}'")
        for j, office_id in enumerate(strings(member.get("offices"))):
            if isinstance(office_id, str) and office_id not in office_ids:
                tree.problem(
                    ("committee", i, "offices", j),
                    f"ไม่มีหน่วยงานรหัส '{office_id}'",
                    f"no office '{office_id}'",
                )


# --------------------------------------------------------------------------- building


def _make_rubric(data: dict[str, Any], tree: _Tree) -> Rubric:
    def dec(path: Path_, value: Any) -> Decimal:
        number = _decimal(tree, path, value)
        assert number is not None  # checked in _check_meaning
        return number

    dimensions = []
    for i, d in enumerate(data["dimensions"]):
        criteria = tuple(
            Criterion(
                id=c["id"],
                th=c["th"],
                en=c["en"],
                max=dec(("dimensions", i, "criteria", j, "max"), c["max"]),
                detail=tuple(c.get("detail") or ()),
                dimension_id=d["id"],
            )
            for j, c in enumerate(d["criteria"])
        )
        dimensions.append(
            Dimension(d["id"], d["th"], d["en"], dec(("dimensions", i, "max"), d["max"]), criteria)
        )
    no_tier = data.get("no_tier") or {"th": "ไม่ผ่านเกณฑ์", "en": "Below threshold"}
    contest = data["contest"]
    return Rubric(
        source=tree.file,
        contest=Contest(**contest),
        fiscal_year=data["fiscal_year"],
        round=data["round"],
        total=dec(("total",), data["total"]),
        precision=data.get("precision", 2),
        aggregation=data.get("aggregation", "mean"),
        quorum=data.get("quorum"),
        kpi_target=dec(("kpi_target",), data.get("kpi_target", 80)),
        tie_break=tuple(data.get("tie_break") or ()),
        tiers=tuple(
            Tier(t["th"], t["en"], dec(("tiers", i, "min"), t["min"]))
            for i, t in enumerate(data["tiers"])
        ),
        no_tier=Tier(no_tier["th"], no_tier["en"], Decimal(0)),
        dimensions=tuple(dimensions),
        offices=tuple(
            Office(o["id"], o["th"], o["en"], o.get("staff"), o.get("zone")) for o in data["offices"]
        ),
        zones=tuple(Zone(z["id"], z["th"], z["en"]) for z in data.get("zones") or ()),
        committee=tuple(
            Member(m["name"], tuple(m.get("zones") or ()), tuple(m.get("offices") or ()))
            for m in data.get("committee") or ()
        ),
    )


def rubric_as_json(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain JSON data (numbers as strings: they are exact decimals)."""
    return {
        "source": rubric.source,
        "fingerprint": rubric.fingerprint,
        "contest": {
            "name": rubric.contest.name,
            "th": rubric.contest.th,
            "en": rubric.contest.en,
        },
        "fiscal_year": rubric.fiscal_year,
        "round": rubric.round,
        "total": _canon(rubric.total),
        "precision": rubric.precision,
        "aggregation": rubric.aggregation,
        "quorum": rubric.quorum,
        "kpi_target": _canon(rubric.kpi_target),
        "tie_break": list(rubric.tie_break),
        "tiers": [{"th": t.th, "en": t.en, "min": _canon(t.min)} for t in rubric.tiers],
        "no_tier": {"th": rubric.no_tier.th, "en": rubric.no_tier.en},
        "dimensions": [
            {
                "id": d.id,
                "th": d.th,
                "en": d.en,
                "max": _canon(d.max),
                "criteria_sum": _canon(sum((c.max for c in d.criteria), Decimal(0))),
                "criteria": [
                    {"id": c.id, "th": c.th, "en": c.en, "max": _canon(c.max), "detail": list(c.detail)}
                    for c in d.criteria
                ],
            }
            for d in rubric.dimensions
        ],
        "offices": [
            {"id": o.id, "th": o.th, "en": o.en, "staff": o.staff, "zone": o.zone} for o in rubric.offices
        ],
        "zones": [{"id": z.id, "th": z.th, "en": z.en} for z in rubric.zones],
        "committee": [
            {"name": m.name, "zones": list(m.zones), "offices": list(m.offices)} for m in rubric.committee
        ],
    }
