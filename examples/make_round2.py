"""Make the example round: five committee members' returned workbooks for the 14 offices.

Deterministic: the same script gives the same scores and workbook ids. Run from
the project root:

    python examples/make_round2.py

It writes ``examples/round-2/`` (five valid workbooks) and
``examples/round-2-with-errors/`` (the same with typical member mistakes, for
trying ``officestar check``). The scores are invented but plausible, and built
to show two things a reader of the report should see:

- a tie: เกาะคา and แม่ทะ both average exactly 72.00 and share a rank;
- a rounding boundary: วังเหนือ averages 79.996, which is shown as 80.00 and is
  therefore ดีเด่น (the tier is decided on the total as shown).
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

from officestar_cli.rubric.load import load_rubric
from officestar_cli.rubric.model import Rubric
from officestar_cli.workbook.template import build_workbook, file_stem

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the workbook filler lives with the tests (tests/support)
from support.filler import fill_workbook  # noqa: E402

MEMBERS = ("นาย ก", "นาง ข", "นางสาว ค", "นาย ง", "นาง จ")
ROUND = 2
STEP = Decimal("0.25")
# Office id -> the exact sum of the five member totals (mean = sum / 5).
TARGETS = {
    "lp-ko-kha": Decimal("360.00"),  # mean 72.00
    "lp-mae-tha": Decimal("360.00"),  # mean 72.00: a tie with เกาะคา
    "lp-wang-nuea": Decimal("399.98"),  # mean 79.996 -> shown 80.00 -> ดีเด่น
}
# How good each office is, as a share of the maximum (invented, for variety).
QUALITY = {
    "lp-province": 0.90, "lp-mueang": 0.86, "lp-thoen": 0.66, "lp-hang-chat": 0.77,
    "lp-ngao": 0.58, "lp-ko-kha": 0.72, "lp-chae-hom": 0.69, "lp-mae-tha": 0.72,
    "lp-wang-nuea": 0.80, "lp-sop-prap": 0.63, "lp-mae-mo": 0.83, "lp-mae-phrik": 0.61,
    "lp-soem-ngam": 0.74, "lp-mueang-pan": 0.68,
}

Scores = dict[str, dict[str, dict[str, Decimal]]]  # member -> office -> criterion -> score


def make_scores(rubric: Rubric) -> Scores:
    rng = random.Random(2567)
    scores: Scores = {}
    for member in MEMBERS:
        bias = rng.uniform(-0.05, 0.05)
        scores[member] = {}
        for office in rubric.offices:
            row: dict[str, Decimal] = {}
            for criterion in rubric.criteria:
                share = min(max(QUALITY[office.id] + bias + rng.uniform(-0.12, 0.12), 0.2), 1.0)
                raw = Decimal(str(share)) * criterion.max
                row[criterion.id] = min((raw / STEP).quantize(Decimal(1)) * STEP, criterion.max)
            scores[member][office.id] = row
    for office_id, target in TARGETS.items():
        _hit(scores, rubric, office_id, target)
    return scores


def _hit(scores: Scores, rubric: Rubric, office_id: str, target: Decimal) -> None:
    """Move scores of one office, within 0..max, until the members' totals sum to ``target``."""
    delta = target - sum(sum(scores[m][office_id].values()) for m in MEMBERS)
    cells = [(m, c) for c in rubric.criteria for m in MEMBERS]
    for member, criterion in cells:
        if delta == 0:
            break
        current = scores[member][office_id][criterion.id]
        room = criterion.max - current if delta > 0 else -current
        move = min(delta, room) if delta > 0 else max(delta, room)
        scores[member][office_id][criterion.id] = current + move
        delta -= move
    if delta != 0:
        raise SystemExit(f"cannot reach {target} for {office_id}")


def write_round(rubric: Rubric, scores: Scores, out: Path, mistakes: bool) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        for index, member in enumerate(MEMBERS, start=1):
            workbook_id = str(uuid.UUID(int=random.Random(f"{member}-{ROUND}").getrandbits(128), version=4))
            blank = Path(tmp) / f"{index}.xlsx"
            build_workbook(rubric, ROUND, member, workbook_id).save(blank)
            table = {o: dict(c) for o, c in scores[member].items()}
            values: dict[tuple[str, str], object] = {
                (o, c): v for o, row in table.items() for c, v in row.items()
            }
            if mistakes:
                _mistakes(values, index)
            target = out / (file_stem(rubric, ROUND, index, member) + ".xlsx")
            fill_workbook(blank, target, rubric, lambda o, c, v=values: v[(o, c)])


def _mistakes(values: dict[tuple[str, str], object], index: int) -> None:
    """The typical slips: a blank cell, a score above the maximum, a comma for a decimal point."""
    if index == 1:
        values[("lp-thoen", "1.2")] = None
    if index == 2:
        values[("lp-ngao", "4.1")] = Decimal("12")
    if index == 3:
        values[("lp-mae-mo", "3.2")] = "3,5"
        values[("lp-sop-prap", "5.1")] = "8 คะแนน"


def main() -> None:
    rubric = load_rubric(ROOT / "rubric.yaml")
    scores = make_scores(rubric)
    write_round(rubric, scores, ROOT / "examples" / "round-2", mistakes=False)
    write_round(rubric, scores, ROOT / "examples" / "round-2-with-errors", mistakes=True)
    for office_id in ("lp-ko-kha", "lp-mae-tha", "lp-wang-nuea"):
        total = sum(sum(scores[m][office_id].values()) for m in MEMBERS) / len(MEMBERS)
        print(f"{office_id}: mean {total}", file=sys.stderr)


if __name__ == "__main__":
    main()
