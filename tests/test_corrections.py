"""An import can be undone without deleting the store: withdraw, restore, excuse; and a
correction says which cells it changed (docs/design.md, "Withdraw and restore")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from officestar_cli import api
from returned import make_filled, mutate
from support.committee import EXAMPLES, MEMBERS, ROOT, intact, json_of, officestar, rubric_with


def _rank(tmp_path: Path, store: Path, rubric: Path = ROOT / "rubric.yaml") -> dict[str, Any]:
    done = officestar(tmp_path, "rank", "--store", store, "--rubric", rubric, "--no-report", "--json")
    assert done.returncode == 0, done.stderr
    return json_of(done)


def _corrected(tmp_path: Path, source: Path, how_many: int) -> tuple[Path, list[tuple[str, str, str, str, str]]]:
    """A later copy of ``source`` (same workbook id) with ``how_many`` score cells changed;
    returns it and (office, criterion, cell, old, new) for each change."""
    (checked,) = api.check(source).files
    rows = checked.reading.rows
    picked = [rows[i * 17 % len(rows)] for i in range(how_many)]
    changed = []
    for office, criterion, value, sheet, cell, _note in picked:
        new = "0" if Decimal(value) != 0 else "1"
        changed.append((office, criterion, f"{sheet}!{cell}", value, new))

    def change(book: Workbook) -> None:
        for (_office, _criterion, where, _old, new) in changed:
            sheet, cell = where.split("!")
            book[sheet][cell].value = float(new)

    return mutate(source, tmp_path / f"corrected-{source.name}", change), changed


def test_withdraw_then_restore_gives_the_same_result(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert officestar(tmp_path, "score", *EXAMPLES, "--store", store, "--no-report").returncode == 0
    before = _rank(tmp_path, store)
    withdrawn = officestar(tmp_path, "withdraw", EXAMPLES[0], "--reason", "ส่งผิดไฟล์", "--store", store, "--json")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert json_of(withdrawn)["changed"] is True and json_of(withdrawn)["reason"] == "ส่งผิดไฟล์"
    intact(store)
    during = _rank(tmp_path, store)
    assert "นาย ก" not in {f["member"] for f in during["files"]}
    assert all("นาย ก" not in o["scored_by"] for o in during["offices"])
    assert during["offices"] != before["offices"]
    history = json_of(officestar(tmp_path, "history", "--store", store, "--json"))
    (gone,) = [f for f in history["files"] if f["withdrawn"]]
    assert gone["member"] == "นาย ก" and gone["current"] is False
    assert [(e["action"], e["reason"]) for e in history["events"]] == [("withdraw", "ส่งผิดไฟล์")]
    text = officestar(tmp_path, "history", "--store", store)
    assert "ถอนออก (ส่งผิดไฟล์)" in text.stdout
    restored = officestar(tmp_path, "restore", gone["sha256"][:8], "--store", store)
    assert restored.returncode == 0, restored.stderr
    intact(store)
    assert _rank(tmp_path, store) == before
    events = json_of(officestar(tmp_path, "history", "--store", store, "--json"))["events"]
    assert [e["action"] for e in events] == ["withdraw", "restore"]


def test_withdrawing_a_correction_makes_the_earlier_copy_count_again(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert officestar(tmp_path, "score", *EXAMPLES, "--store", store, "--no-report").returncode == 0
    first = _rank(tmp_path, store)
    later, _ = _corrected(tmp_path, EXAMPLES[1], 3)
    scored = officestar(tmp_path, "score", later, "--store", store, "--no-report", "--json")
    assert scored.returncode == 0
    assert _rank(tmp_path, store)["offices"] != first["offices"]
    done = officestar(tmp_path, "withdraw", later, "--reason", "แก้ผิด", "--store", store, "--json")
    assert done.returncode == 0, done.stderr
    (again,) = json_of(done)["counts_again"]
    assert again["file"] == str(EXAMPLES[1])
    intact(store)
    assert _rank(tmp_path, store)["offices"] == first["offices"]
    # Scoring the withdrawn file again changes nothing and says how to count it.
    repeat = officestar(tmp_path, "score", later, "--store", store, "--no-report", "--json")
    entry = json_of(repeat)["files"][0]
    assert entry["status"] == "unchanged"
    (warning,) = json_of(repeat)["issues"]
    assert warning["code"] == "recorded-withdrawn" and "officestar restore" in warning["message"]
    assert _rank(tmp_path, store)["offices"] == first["offices"]
    # The superseded original, given again while the later copy counts, says so too.
    assert officestar(tmp_path, "restore", later, "--store", store).returncode == 0
    original = json_of(officestar(tmp_path, "score", EXAMPLES[1], "--store", store, "--no-report", "--json"))
    assert [i["code"] for i in original["issues"]] == ["recorded-superseded"]


def test_a_correction_lists_exactly_the_cells_it_changed(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert officestar(tmp_path, "score", *EXAMPLES, "--store", store, "--no-report").returncode == 0
    later, changed = _corrected(tmp_path, EXAMPLES[2], 2)
    done = officestar(tmp_path, "score", later, "--store", store, "--no-report", "--json")
    (entry,) = json_of(done)["files"]
    assert entry["status"] == "recorded" and entry["supersedes"]
    found = sorted((c["office_id"], c["criterion_id"], f"{c['sheet']}!{c['cell']}", Decimal(c["old"]),
                    Decimal(c["new"])) for c in entry["changes"])
    assert found == sorted((o, c, w, Decimal(old), Decimal(new)) for o, c, w, old, new in changed)
    assert all(c["kind"] == "value" for c in entry["changes"]) and len(entry["changes"]) == 2
    # Printed under the file's line, and kept for history --changes.
    text = officestar(tmp_path, "score", _corrected(tmp_path / "again", later, 1)[0], "--store", store, "--no-report")
    assert "→" in text.stderr or "->" in text.stderr
    history = json_of(officestar(tmp_path, "history", "--store", store, "--changes", "--json"))
    assert [len(c["changes"]) for c in history["corrections"]] == [2, 1]
    shown = officestar(tmp_path, "history", "--store", store, "--changes")
    for _office, criterion, where, _old, new in changed:
        assert where in shown.stdout and criterion in shown.stdout and new in shown.stdout


def test_an_ambiguous_prefix_or_an_unknown_file_is_exit_2_with_the_candidates(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert officestar(tmp_path, "score", *EXAMPLES, "--store", store, "--no-report").returncode == 0
    shas = [f["sha256"] for f in json_of(officestar(tmp_path, "history", "--store", store, "--json"))["files"]]
    unknown = officestar(tmp_path, "withdraw", "nothing-like-it.xlsx", "--reason", "x", "--store", store)
    assert unknown.returncode == 2
    assert all(sha[:12] in unknown.stderr for sha in shas)
    # A prefix shorter than four digits names no file.
    for sha in shas:
        assert officestar(tmp_path, "withdraw", sha[:3], "--reason", "x", "--store", store).returncode == 2
    # Two files recorded under the same last name: that name is ambiguous.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = mutate(EXAMPLES[0], tmp_path / "a" / "same.xlsx", lambda book: None)
    second = mutate(EXAMPLES[1], tmp_path / "b" / "same.xlsx", lambda book: None)
    assert officestar(tmp_path, "score", first, second, "--store", store, "--no-report").returncode == 0
    both = officestar(tmp_path, "withdraw", "same.xlsx", "--reason", "x", "--store", store)
    assert both.returncode == 2 and str(first) in both.stderr and str(second) in both.stderr
    empty = officestar(tmp_path, "withdraw", shas[0][:8], "--reason", "  ", "--store", store)
    assert empty.returncode == 2 and "--reason" in empty.stderr
    english = officestar(tmp_path, "withdraw", "zzzz", "--reason", "x", "--store", store, "--lang", "en")
    assert english.returncode == 2 and "No file" in english.stderr
    assert json_of(officestar(tmp_path, "history", "--store", store, "--json"))["events"] == []


def test_restore_is_refused_while_another_workbook_of_the_member_counts(tmp_path: Path) -> None:
    from officestar_cli.rubric.load import load_rubric

    rubric = load_rubric(ROOT / "rubric.yaml")
    store = tmp_path / "s.sqlite3"
    one = make_filled(rubric, 2, "นาย ข้าม", tmp_path / "one.xlsx")
    other = make_filled(rubric, 2, "นาย ข้าม", tmp_path / "other.xlsx", shift=Decimal("-0.25"))
    assert officestar(tmp_path, "score", one, "--store", store, "--no-report").returncode == 0
    assert officestar(tmp_path, "withdraw", one, "--reason", "ผิดชุด", "--store", store).returncode == 0
    assert officestar(tmp_path, "score", other, "--store", store, "--no-report").returncode == 0
    refused = officestar(tmp_path, "restore", one, "--store", store)
    assert refused.returncode == 2 and "other.xlsx" in refused.stderr and "withdraw" in refused.stderr
    intact(store)
    files = json_of(officestar(tmp_path, "history", "--store", store, "--json"))["files"]
    assert [(Path(f["file"]).name, f["current"]) for f in files] == [("one.xlsx", False), ("other.xlsx", True)]


def test_no_committee_a_member_whose_only_file_was_rejected_is_missing(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    bad = mutate(EXAMPLES[4], tmp_path / "bad.xlsx", lambda book: book.worksheets[1].__setitem__("E6", None))
    done = officestar(tmp_path, "score", *EXAMPLES[:4], bad, "--store", store, "--no-report", "--json")
    assert done.returncode == 1
    data = json_of(done)
    assert data["provisional"] is True and data["not_returned"] == ["นาง จ"]
    assert all(not o["complete"] and "นาง จ" in o["missing"] for o in data["offices"])
    later = _rank(tmp_path, store)  # the rejection is remembered: rank alone is still provisional
    assert later["provisional"] is True and later["not_returned"] == ["นาง จ"]
    assert all(o["tier"] is None for o in later["offices"])


def test_excused_in_the_rubric_completes_the_office_without_the_member(tmp_path: Path) -> None:
    rubric = rubric_with(
        tmp_path, committee=[{"name": n} for n in MEMBERS],
        excused=[{"member": "นาง จ", "office": "lp-mueang", "reason": "ขัดกันแห่งผลประโยชน์"}])
    store = tmp_path / "s.sqlite3"
    four = officestar(tmp_path, "score", *EXAMPLES[:4], "--store", store, "--rubric", rubric, "--no-report", "--json")
    offices = {o["office_id"]: o for o in json_of(four)["offices"]}
    assert offices["lp-mueang"]["complete"] is True and offices["lp-mueang"]["missing"] == []
    assert all(not o["complete"] for key, o in offices.items() if key != "lp-mueang")
    full = officestar(tmp_path, "score", EXAMPLES[4], "--store", store, "--rubric", rubric, "--no-report", "--json")
    data = json_of(full)
    mueang = next(o for o in data["offices"] if o["office_id"] == "lp-mueang")
    assert "นาง จ" not in mueang["scored_by"] and mueang["members"] == 4
    assert Decimal(mueang["total"]) == Decimal(offices["lp-mueang"]["total"])  # her scores are not counted
    (warning,) = [i for i in data["issues"] if i["code"] == "excused-score"]
    assert warning["value"] == "นาง จ" and "ขัดกันแห่งผลประโยชน์" in warning["message"]
    assert data["provisional"] is False


def test_excuse_by_command_and_undo(tmp_path: Path) -> None:
    rubric = rubric_with(tmp_path, committee=[{"name": n} for n in MEMBERS])
    store = tmp_path / "s.sqlite3"
    args = ("--store", store, "--rubric", rubric)
    assert officestar(tmp_path, "score", *EXAMPLES[:4], *args, "--no-report").returncode == 0
    done = officestar(tmp_path, "excuse", "--member", "นาง  จ", "--office", "lp-mueang", "--reason", "ไม่ได้ลงพื้นที่", *args,
                "--json")
    assert done.returncode == 0, done.stderr
    assert json_of(done) | {"changed": True} == json_of(done) and json_of(done)["member"] == "นาง จ"
    mueang = next(o for o in _rank(tmp_path, store, rubric)["offices"] if o["office_id"] == "lp-mueang")
    assert mueang["complete"] is True and mueang["missing"] == []
    out = tmp_path / "reports"
    assert officestar(tmp_path, "rank", *args, "--out", out).returncode == 0
    from openpyxl import load_workbook

    book = load_workbook(next(out.glob("*.xlsx")), read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("งดเว้น" in c and "ไม่ได้ลงพื้นที่" in c for c in cells)
    undone = officestar(tmp_path, "excuse", "--member", "นาง จ", "--office", "lp-mueang", "--undo", *args)
    assert undone.returncode == 0, undone.stderr
    mueang = next(o for o in _rank(tmp_path, store, rubric)["offices"] if o["office_id"] == "lp-mueang")
    assert mueang["complete"] is False and mueang["missing"] == ["นาง จ"]
    intact(store)


def test_an_excuse_is_refused_where_it_cannot_mean_anything(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    plain = officestar(tmp_path, "excuse", "--member", "นาย ก", "--office", "lp-mueang", "--reason", "x",
                       "--store", store)
    assert plain.returncode == 2 and "committee" in plain.stderr  # no committee declared
    zoned = [{"name": n} for n in MEMBERS[:4]] + [{"name": "นาง จ", "offices": ["lp-ngao"]}]
    rubric = rubric_with(tmp_path, committee=zoned)
    args = ("--store", store, "--rubric", rubric)
    stranger = officestar(tmp_path, "excuse", "--member", "นาง จันทร์", "--office", "lp-mueang", "--reason", "x", *args)
    assert stranger.returncode == 2 and "นาง จ" in stranger.stderr
    office = officestar(tmp_path, "excuse", "--member", "นาย ก", "--office", "nowhere", "--reason", "x", *args)
    assert office.returncode == 2 and "lp-mueang" in office.stderr
    unassigned = officestar(tmp_path, "excuse", "--member", "นาง จ", "--office", "lp-mueang", "--reason", "x", *args)
    assert unassigned.returncode == 2
    no_reason = officestar(tmp_path, "excuse", "--member", "นาย ก", "--office", "lp-mueang", *args)
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    missing = officestar(tmp_path, "excuse", "--member", "นาย ก", "--office", "lp-mueang", "--reason", "x", *args)
    assert missing.returncode == 2 and str(store) in missing.stderr and not store.exists()  # no store made
    assert officestar(tmp_path, "score", EXAMPLES[0], *args, "--no-report").returncode == 0
    nothing = officestar(tmp_path, "excuse", "--member", "นาย ก", "--office", "lp-mueang", "--undo", *args, "--json")
    assert nothing.returncode == 0 and json_of(nothing)["changed"] is False


def test_a_reference_names_a_file_by_bytes_prefix_or_name() -> None:
    from officestar_cli.store.corrections import matching
    from officestar_cli.store.reading import StoredFile

    def stored(file_id: int, name: str, sha: str) -> StoredFile:
        return StoredFile(file_id, name, sha, 1, "m", "w", "f", "t", None, 2567, 2)

    files = [stored(1, "in/a.xlsx", "abcd12" + "0" * 58), stored(2, "in/b.xlsx", "abcd34" + "0" * 58),
             stored(3, "other/a.xlsx", "ef" * 32)]
    assert [f.id for f in matching(files, "abcd", None)] == [1, 2]  # ambiguous: both listed
    assert [f.id for f in matching(files, "ABCD3", None)] == [2]
    assert matching(files, "abc", None) == []  # too short to be a prefix
    assert [f.id for f in matching(files, "in/a.xlsx", None)] == [1]  # the name as recorded
    assert [f.id for f in matching(files, "a.xlsx", None)] == [1, 3]  # its last part: ambiguous
    assert [f.id for f in matching(files, "anything", "ef" * 32)] == [3]  # the file's own bytes


def test_a_rejected_correction_is_named_while_the_earlier_copy_counts(tmp_path: Path) -> None:
    """A later copy that was rejected leaves the earlier scores counting: every combine says so."""
    store = tmp_path / "s.sqlite3"
    assert officestar(tmp_path, "score", *EXAMPLES, "--store", store, "--no-report").returncode == 0
    assert json_of(officestar(tmp_path, "rank", "--store", store, "--no-report", "--json"))["issues"] == []
    blanked = [mutate(EXAMPLES[i], tmp_path / f"bad-{i}.xlsx", lambda book: book.worksheets[1].__setitem__("E6", None))
               for i in (1, 3)]
    assert officestar(tmp_path, "score", *blanked, "--store", store, "--no-report").returncode == 1
    data = json_of(officestar(tmp_path, "rank", "--store", store, "--no-report", "--json"))
    warned = sorted((i["code"], i["value"], Path(i["file"]).name) for i in data["issues"])
    assert warned == [("correction-rejected", "นาง ข", "bad-1.xlsx"), ("correction-rejected", "นาย ง", "bad-3.xlsx")]
    text = officestar(tmp_path, "rank", "--store", store, "--no-report")
    assert "correction-rejected" in text.stderr and "officestar score" in text.stderr
    fixed, _ = _corrected(tmp_path, EXAMPLES[1], 1)
    assert officestar(tmp_path, "score", fixed, "--store", store, "--no-report").returncode == 0
    after = json_of(officestar(tmp_path, "rank", "--store", store, "--no-report", "--json"))["issues"]
    assert [i["value"] for i in after] == ["นาย ง"]  # the good later copy settles นาง ข's


def test_withdrawing_a_superseded_copy_says_what_counts_is_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert officestar(tmp_path, "score", *EXAMPLES, "--store", store, "--no-report").returncode == 0
    later, _ = _corrected(tmp_path, EXAMPLES[3], 1)
    assert officestar(tmp_path, "score", later, "--store", store, "--no-report").returncode == 0
    before = _rank(tmp_path, store)
    done = officestar(tmp_path, "withdraw", EXAMPLES[3], "--reason", "ฉบับเก่า", "--store", store)
    assert done.returncode == 0 and "ถูกแทนที่อยู่แล้ว" in done.stdout and "คะแนนในไฟล์นี้ไม่นับ" not in done.stdout
    assert _rank(tmp_path, store) == before
    intact(store)
