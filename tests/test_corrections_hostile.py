"""Withdraw, restore and excuse used as a careless or hostile officer would: the round must
never look final when it is not, and the store must stay whole after every step
(docs/design.md, "Withdraw and restore", "Expected members and quorum")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from officestar_cli import api
from officestar_cli.base.errors import OfficestarError
from returned import mutate
from support.committee import EXAMPLES, MEMBERS, intact, rubric_with


def _copy(source: Path, dst: Path, shift: int) -> Path:
    """A later copy of ``source`` (same workbook id) with its first score cell set to ``shift``."""
    (checked,) = api.check(source).files
    _office, _criterion, _value, sheet, cell, _note = checked.reading.rows[0]

    def change(book: Workbook) -> None:
        book[sheet][cell].value = float(shift)

    return mutate(source, dst, change)


def _ranked(store: Path, rubric: Path | None = None) -> Any:
    intact(store)
    return api.rank(rubric, store=store, reports=False)


def _counting(report: Any) -> dict[str, str]:
    """Member -> SHA-256 of the file that counts for them."""
    return {f.member: f.sha256 for f in report.ranking.files}


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- which copy counts after a withdrawal ------------------------------------------------------------


@pytest.mark.parametrize("committee", [False, True])
def test_withdrawing_a_restored_older_copy_brings_back_the_copy_it_replaced(tmp_path: Path, committee: bool) -> None:
    """Restore the superseded original over its correction, then withdraw the original: the
    correction, never withdrawn, counts again; the member is neither dropped nor missing."""
    rubric = rubric_with(tmp_path, committee=[{"name": n} for n in MEMBERS]) if committee else None
    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES, rubric, store=store, reports=False)
    later = _copy(EXAMPLES[1], tmp_path / "later.xlsx", 0)
    api.score([later], rubric, store=store, reports=False)
    api.restore(str(EXAMPLES[1]), rubric, store=store)
    assert _counting(_ranked(store, rubric))["นาง ข"] == _sha(EXAMPLES[1])
    done = api.withdraw(str(EXAMPLES[1]), rubric, reason="ผิด", store=store)
    assert [f.sha256 for f in done.counts_again] == [_sha(later)]
    report = _ranked(store, rubric)
    assert _counting(report)["นาง ข"] == _sha(later)
    assert report.ranking.not_returned == [] and not report.provisional
    assert all("นาง ข" in o.scored_by for o in report.ranking.offices)


def test_three_copies_with_withdrawals_in_the_middle(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES, store=store, reports=False)
    a = EXAMPLES[2]
    b = _copy(a, tmp_path / "b.xlsx", 0)
    c = _copy(a, tmp_path / "c.xlsx", 1)
    api.score([b], store=store, reports=False)
    api.score([c], store=store, reports=False)
    member = "นางสาว ค"
    assert _counting(_ranked(store))[member] == _sha(c)
    api.withdraw(str(b), store=store, reason="กลาง")  # not current: nothing else changes
    assert _counting(_ranked(store))[member] == _sha(c)
    api.withdraw(str(c), store=store, reason="ล่าสุด")  # b is withdrawn: a counts
    assert _counting(_ranked(store))[member] == _sha(a)
    api.restore(str(c), store=store)
    assert _counting(_ranked(store))[member] == _sha(c)
    api.restore(str(a), store=store)  # a superseded copy, never withdrawn
    assert _counting(_ranked(store))[member] == _sha(a)
    api.withdraw(str(a), store=store, reason="เก่า")  # c (never withdrawn again) counts, not nobody
    assert _counting(_ranked(store))[member] == _sha(c)
    api.restore(str(b), store=store)  # withdrawn twice over, back in over c
    assert _counting(_ranked(store))[member] == _sha(b)
    api.withdraw(str(b), store=store, reason="กลาง")  # a is withdrawn: c counts again
    assert _counting(_ranked(store))[member] == _sha(c)
    api.withdraw(str(c), store=store, reason="ทั้งหมด")  # every copy withdrawn: the member is out
    report = _ranked(store)
    assert member not in _counting(report)
    assert all(member not in o.scored_by for o in report.ranking.offices)


# --- naming the file ---------------------------------------------------------------------------------


def _events(store: Path) -> list[tuple[str, str]]:
    return [(e.action, e.reason) for e in api.history(store=store).events]


def test_a_readable_file_that_was_never_recorded_names_no_recorded_file(tmp_path: Path) -> None:
    """A file on disk is named by its bytes: an unrecorded file that shares a recorded file's name
    (another folder, or the same path edited since) is refused, never taken for the recorded one."""
    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES, store=store, reports=False)
    (tmp_path / "new").mkdir()
    elsewhere = _copy(EXAMPLES[0], tmp_path / "new" / EXAMPLES[0].name, 0)
    in_place = tmp_path / "mine.xlsx"
    in_place.write_bytes(EXAMPLES[3].read_bytes())
    api.score([in_place], store=store, reports=False)  # the same bytes as EXAMPLES[3]: recorded once
    edited = _copy(in_place, tmp_path / "edited.xlsx", 0)
    in_place.write_bytes(edited.read_bytes())
    before = _counting(_ranked(store))
    for reference in (elsewhere, in_place):
        for action in (api.withdraw, api.restore):
            with pytest.raises(OfficestarError) as refused:
                action(str(reference), store=store, reason="ผิด")
            assert "ไม่ได้บันทึกไว้" in refused.value.th and "not recorded" in refused.value.en
            assert _sha(reference)[:12] in refused.value.th
    assert _events(store) == [] and _counting(_ranked(store)) == before
    # The recorded file itself, by its bytes or by its prefix, is still found.
    assert api.withdraw(str(EXAMPLES[0]), store=store, reason="ผิด").changed
    assert api.restore(_sha(EXAMPLES[0])[:8].upper(), store=store).changed
    assert api.withdraw(f"  {_sha(EXAMPLES[3])[:10]}  ", store=store, reason="ผิด").file.sha256 == _sha(EXAMPLES[3])


@pytest.mark.parametrize("reason", ["", "   ", "\u200b", "\u00a0\u200d", "\ufeff \u00ad"])
def test_a_reason_of_spaces_or_invisible_characters_is_no_reason(tmp_path: Path, reason: str) -> None:
    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES[:2], store=store, reports=False)
    with pytest.raises(OfficestarError) as refused:
        api.withdraw(_sha(EXAMPLES[0])[:8], store=store, reason=reason)
    assert "--reason" in refused.value.th
    committee = rubric_with(tmp_path, committee=[{"name": n} for n in MEMBERS])
    with pytest.raises(OfficestarError):
        api.excuse(committee, member=MEMBERS[0], office="lp-province", reason=reason, store=store)
    assert _events(store) == []
    assert api.history(committee, store=store).rubric  # the store still opens


# --- excuses -----------------------------------------------------------------------------------------


def _excused_notices(report: Any) -> set[tuple[str, str]]:
    """(member, sheet) of every excused-score warning."""
    return {(i.value, i.sheet) for i in report.ranking.notices if i.code == "excused-score"}


def _check_notices_match_counting(report: Any) -> None:
    """An excused-score warning says the score is not counted: it must not be."""
    by_sheet = {o.office.th: o for o in report.ranking.offices}
    for member, sheet in _excused_notices(report):
        assert member not in by_sheet[sheet].scored_by, (member, sheet)


def test_an_excuse_counts_only_under_a_committee_and_its_warning_never_lies(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    committee = rubric_with(tmp_path, committee=[{"name": n} for n in MEMBERS])
    api.score(EXAMPLES, committee, store=store, reports=False)
    api.excuse(committee, member="นาง\u200b จ", office="lp-province", reason="ลา", store=store)
    api.excuse(committee, member="นาย\u00a0ก", office="lp-mueang", reason="ลา", store=store)
    under = _ranked(store, committee)
    assert _excused_notices(under) == {("นาง จ", "สพจ.ลำปาง"), ("นาย ก", "เมืองลำปาง")}
    _check_notices_match_counting(under)
    assert not under.provisional
    # The same store ranked with the rubric's committee taken out: nobody is excused.
    plain = _ranked(store)
    assert _excused_notices(plain) == set()
    assert all(len(o.scored_by) == len(MEMBERS) for o in plain.ranking.offices)
    assert not plain.provisional
    # The excuse undone: counted again, and no warning under the committee either.
    api.excuse(committee, member="นาง จ", office="lp-province", undo=True, store=store)
    again = _ranked(store, committee)
    assert _excused_notices(again) == {("นาย ก", "เมืองลำปาง")}
    _check_notices_match_counting(again)
    province = next(o for o in again.ranking.offices if o.office.id == "lp-province")
    assert "นาง จ" in province.scored_by and province.complete


# --- strangers ---------------------------------------------------------------------------------------


def test_a_recorded_workbook_of_a_member_off_the_committee_is_named_not_dropped_silently(tmp_path: Path) -> None:
    """Recorded before the committee was declared: never averaged in, and never ignored unsaid."""
    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES, store=store, reports=False)
    # Four of the five on the committee, one of them typed with a zero-width space and an NBSP.
    names = ["นาย\u00a0ก\u200b", *MEMBERS[1:4]]
    four = rubric_with(tmp_path, committee=[{"name": n} for n in names])
    report = _ranked(store, four)
    stranger = [(i.value, i.file) for i in report.ranking.notices if i.code == "not-on-committee"]
    assert stranger == [("นาง จ", str(EXAMPLES[4]))]
    assert all("นาง จ" not in o.scored_by and len(o.scored_by) == 4 for o in report.ranking.offices)
    assert "not-on-committee" in {i["code"] for i in report.to_json()["issues"]}
    # Taken out on purpose: nothing left to say.
    api.withdraw(str(EXAMPLES[4]), four, store=store, reason="ไม่ใช่กรรมการ")
    assert [i for i in _ranked(store, four).ranking.notices if i.code == "not-on-committee"] == []
    # With all five declared, or none, nobody is a stranger.
    api.restore(str(EXAMPLES[4]), four, store=store)
    (tmp_path / "five").mkdir()
    five = rubric_with(tmp_path / "five", committee=[{"name": n} for n in MEMBERS])
    for rubric in (five, None):
        assert [i for i in _ranked(store, rubric).ranking.notices if i.code == "not-on-committee"] == []


# --- a blank workbook returns nothing ----------------------------------------------------------------


def _only(source: Path, dst: Path, keep: set[str]) -> Path:
    """A copy of ``source`` with every office but ``keep`` left blank (office-not-scored)."""
    (checked,) = api.check(source).files
    blanks = [(sheet, cell) for office, _c, _v, sheet, cell, _n in checked.reading.rows if office not in keep]

    def change(book: Workbook) -> None:
        for sheet, cell in blanks:
            book[sheet][cell].value = None

    return mutate(source, dst, change)


@pytest.mark.parametrize("committee", [True, False])
def test_a_quorum_never_makes_final_a_round_where_a_member_scored_nothing(tmp_path: Path, committee: bool) -> None:
    extra: dict[str, Any] = {"committee": [{"name": n} for n in MEMBERS]} if committee else {}
    rubric = rubric_with(tmp_path, quorum=4, **extra)
    store = tmp_path / "s.sqlite3"
    blank = _only(EXAMPLES[4], tmp_path / "blank.xlsx", set())
    report = api.score([*EXAMPLES[:4], blank], rubric, store=store, reports=False)
    assert [f.status for f in report.files] == ["recorded"] * 5
    assert report.ranking.not_returned == ["นาง จ"] and report.provisional
    assert all(o.complete and o.quorum_reached for o in report.ranking.offices)  # the quorum still ranks
    # One office scored is a workbook returned: the quorum covers the rest, the round is final.
    one = _only(EXAMPLES[4], tmp_path / "one.xlsx", {"lp-ngao"})
    api.score([one], rubric, store=store, reports=False)
    final = _ranked(store, rubric)
    assert final.ranking.not_returned == [] and not final.provisional
    if committee:  # ... unless that office is one she is excused from: nothing of hers counts
        api.excuse(rubric, member="นาง จ", office="lp-ngao", reason="ลา", store=store)
        excused = _ranked(store, rubric)
        assert excused.ranking.not_returned == ["นาง จ"] and excused.provisional


# --- what withdraw says ------------------------------------------------------------------------------


def _say(tmp_path: Path, *args: str | Path) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICESTAR_")}
    done = subprocess.run([sys.executable, "-m", "officestar_cli", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path, env={**env, "PYTHONIOENCODING": "utf-8"},
                          timeout=300, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_withdraw_says_which_copy_counts_now_or_that_none_does(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES[:2], store=store, reports=False)
    later = _copy(EXAMPLES[0], tmp_path / "later.xlsx", 0)
    api.score([later], store=store, reports=False)
    api.restore(str(EXAMPLES[0]), store=store)
    text = _say(tmp_path, "withdraw", EXAMPLES[0], "--reason", "ผิด", "--store", store)
    assert _sha(later)[:12] in text and "กลับมานับแทน" in text and "ก่อนหน้า" not in text  # later, not earlier
    api.restore(str(EXAMPLES[0]), store=store)
    # Withdrawing a copy that did not count says nothing of the kind.
    quiet = _say(tmp_path, "withdraw", later, "--reason", "x", "--store", store)
    assert "ถอน" in quiet and "ไม่มีแบบประเมินที่นับ" not in quiet and "กลับมานับแทน" not in quiet
    text = _say(tmp_path, "withdraw", EXAMPLES[0], "--reason", "ผิด", "--store", store)
    assert "นาย ก ไม่มีแบบประเมินที่นับในรอบที่ 2 แล้ว" in text
    english = _say(tmp_path, "withdraw", EXAMPLES[1], "--reason", "x", "--store", store, "--lang", "en")
    assert "นาง ข has no workbook that counts in round 2 now" in english


# --- two runs at once ----------------------------------------------------------------------------------


def test_a_withdrawal_or_restoration_made_meanwhile_is_not_recorded_twice(tmp_path: Path) -> None:
    """Two runs that both found the file as it was: the second one changes nothing."""
    from officestar_cli.store.store import Store

    store = tmp_path / "s.sqlite3"
    api.score(EXAMPLES[:2], store=store, reports=False)
    later = _copy(EXAMPLES[0], tmp_path / "later.xlsx", 0)
    api.score([later], store=store, reports=False)
    ids = {f.sha256: f.id for f in api.history(store=store).files}
    with Store(store, create=False) as first, Store(store, create=False) as second:
        for run in (first, second):
            run.withdraw(ids[_sha(later)], "ผิด")
        for run in (first, second):
            run.restore(ids[_sha(later)], "")
        for run in (first, second):
            run.withdraw(ids[_sha(EXAMPLES[1])], "ผิด")
    assert _events(store) == [("withdraw", "ผิด"), ("restore", ""), ("withdraw", "ผิด")]
    report = _ranked(store)
    assert _counting(report) == {"นาย ก": _sha(later)}
    assert report.ranking.not_returned == []


def test_undoing_a_recorded_excuse_that_the_rubric_also_makes_is_refused(tmp_path: Path) -> None:
    """``excuse --undo`` must not say the member is expected again while the rubric excuses them."""
    store = tmp_path / "s.sqlite3"
    committee = [{"name": n} for n in MEMBERS]
    recorded = rubric_with(tmp_path, committee=committee)
    api.score(EXAMPLES, recorded, store=store, reports=False)
    api.excuse(recorded, member="นาง จ", office="lp-province", reason="ลา", store=store)
    (tmp_path / "later").mkdir()
    both = rubric_with(tmp_path / "later", committee=committee,
                   excused=[{"member": "นาง\u200b จ", "office": "lp-province", "reason": "ขัดกันแห่งผลประโยชน์"}])
    with pytest.raises(OfficestarError) as refused:
        api.excuse(both, member="นาง จ", office="lp-province", undo=True, store=store)
    assert "rubric.yaml" in refused.value.th
    province = next(o for o in _ranked(store, both).ranking.offices if o.office.id == "lp-province")
    assert "นาง จ" in province.excused and "นาง จ" not in province.scored_by
    # With the rubric's entry gone, the recorded excuse is undone as usual.
    assert api.excuse(recorded, member="นาง จ", office="lp-province", undo=True, store=store).changed
    province = next(o for o in _ranked(store, recorded).ranking.offices if o.office.id == "lp-province")
    assert "นาง จ" in province.scored_by
