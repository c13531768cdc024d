"""The analysts' DataFrame agrees with the JSON of the same round."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import RunCli
from officestar_cli.reports.frames import offices_frame
from officestar_cli.rubric.load import load_rubric
from officestar_cli.scoring.aggregate import aggregate
from officestar_cli.store.store import Store

ROOT = Path(__file__).resolve().parent.parent


def test_offices_frame_matches_the_json(tmp_path: Path, run_cli: RunCli) -> None:
    store = tmp_path / "s.sqlite3"
    examples = [str(p) for p in sorted((ROOT / "examples" / "round-2").glob("*.xlsx"))]
    done = run_cli("score", *examples, "--store", str(store), "--no-report", "--json")
    assert done.exit_code == 0, done.stderr
    offices = {o["office_id"]: o for o in json.loads(done.stdout)["offices"]}
    rubric = load_rubric(ROOT / "rubric.yaml")
    with Store(store, create=False) as opened:
        frame = offices_frame(aggregate(opened, rubric, 2))
    assert len(frame) == 14
    for office_id, row in frame.iterrows():
        expected = offices[str(office_id)]
        assert row["rank"] == expected["rank"]
        assert row["total"] == Decimal(expected["total"])
        assert (row["tier"] if isinstance(row["tier"], str) else None) == expected["tier"]
        assert row["dimension_1"] == Decimal(expected["dimensions"]["1"])
    assert frame.loc["lp-wang-nuea", "total"] == Decimal("80.00")
