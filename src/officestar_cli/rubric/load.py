"""Find the rubric file, read it, check it and build the Rubric.

``--rubric``, else ``$OFFICESTAR_RUBRIC``, else ``./rubric.yaml``, else the rubric
packaged with officestar (docs/design.md, "Files and folders"). Only a regular file
is opened: a FIFO or a device would block or never end.
"""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from officestar_cli.base.resources import data_text
from officestar_cli.rubric.checks import check_characters, check_meaning, decimal_at
from officestar_cli.rubric.marks import Marked, Path_, read_marked
from officestar_cli.rubric.model import (
    Contest,
    Criterion,
    Dimension,
    Documents,
    Excuse,
    Member,
    Office,
    Rubric,
    Signatory,
    Tier,
    Zone,
)
from officestar_cli.rubric.problems import RubricError, file_problem
from officestar_cli.rubric.schema import check_structure

RUBRIC_ENV = "OFFICESTAR_RUBRIC"
PACKAGED = "<officestar>/rubric.yaml"
SIZE_MAX = 4 * 1024 * 1024  # a rubric of every office in the country is well under 1 MB


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
    return data_text("rubric.yaml")


def load_rubric(option: Path | None = None) -> Rubric:
    path = resolve_rubric_path(option)
    if path is None:
        return parse_rubric(packaged_rubric_text(), PACKAGED)
    name = str(path)
    raw = _read_regular_file(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise file_problem(name, "ไฟล์ไม่ใช่ UTF-8", "the file is not UTF-8 text", line) from None
    return parse_rubric(text, name)


def _read_regular_file(path: Path, name: str) -> bytes:
    """The bytes of a regular file; anything else is refused before it is opened."""
    try:
        kind = path.stat().st_mode
    except FileNotFoundError:
        raise file_problem(name, "ไม่พบไฟล์", "file not found") from None
    except OSError as exc:
        raise file_problem(name, f"อ่านไฟล์ไม่ได้ ({exc.strerror})", f"cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(kind):
        raise file_problem(name, "เป็นโฟลเดอร์ ไม่ใช่ไฟล์", "is a folder, not a file")
    if not stat.S_ISREG(kind):
        raise file_problem(
            name,
            "ไม่ใช่ไฟล์ธรรมดา (เช่น FIFO หรืออุปกรณ์) จึงไม่เปิดอ่าน",
            "is not a regular file (a FIFO, a device or a socket): not opened",
        )
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening
        # it does not wait for a writer; the check below then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise file_problem(name, f"อ่านไฟล์ไม่ได้ ({exc.strerror})", f"cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise file_problem(name, "ไม่ใช่ไฟล์ธรรมดา จึงไม่อ่าน", "is not a regular file: not read")
        try:
            raw = handle.read(SIZE_MAX + 1)
        except OSError as exc:
            raise file_problem(name, f"อ่านไฟล์ไม่ได้ ({exc.strerror})", f"cannot read ({exc.strerror})") from None
    if len(raw) > SIZE_MAX:
        raise file_problem(
            name,
            f"ไฟล์ใหญ่เกิน {SIZE_MAX // (1024 * 1024)} MB สำหรับไฟล์เกณฑ์",
            f"is larger than {SIZE_MAX // (1024 * 1024)} MB, too large for a rubric",
        )
    return raw


def parse_rubric(text: str, name: str) -> Rubric:
    data, tree = read_marked(text, name)
    if not isinstance(data, dict):
        tree.problem((), "ไฟล์เกณฑ์ต้องเป็นชุดคีย์ (mapping)", "the rubric must be a mapping")
        raise RubricError(tree.problems)
    check_characters(tree)
    check_structure(data, tree)
    check_meaning(data, tree)
    if tree.problems:
        # jsonschema reports "required" once per missing key; keep each problem once.
        unique = sorted(set(tree.problems), key=lambda p: (p.line, p.column, p.key, p.en))
        raise RubricError(unique)
    return _make_rubric(data, tree)


def _make_rubric(data: dict[str, Any], tree: Marked) -> Rubric:
    documents = data.get("documents") or {}

    def dec(path: Path_, value: Any) -> Decimal:
        number = decimal_at(tree, path, value)
        assert number is not None  # checked in check_meaning
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
        excused=tuple(Excuse(e["member"], e["office"], e["reason"]) for e in data.get("excused") or ()),
        signatories=tuple(
            Signatory(s["name"], s.get("position", ""), s.get("role", "member"))
            for s in data.get("signatories") or ()
        ),
        documents=Documents(
            font=documents.get("font", ""),
            size=Decimal(str(documents.get("size", 16))),
            opening=documents.get("opening", ""),
            certificate=documents.get("certificate", ""),
        ),
        outlier_share=dec(("outlier_share",), data.get("outlier_share", 0.3)),
        outlier_steps=data.get("outlier_steps", 2),
    )
