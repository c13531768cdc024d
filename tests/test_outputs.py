"""Outputs that cannot be written: a full disk, a read-only mount, no permission (docs/reliability.md).

Every output goes through ``base/atomic.py``. Faults are injected in-process at each
step (creating the folder, creating, writing and syncing the temporary file, the
rename, and the cleanup after a failure) for the round's reports (``score --out``),
the blank workbooks (``template --out``) and the feedback files (``feedback --out``):
each must be exit 2 with a message naming the file and saying what happened, leave
no temporary file, and leave every earlier output byte for byte as it was. When the
tests run as root, a real tmpfs filled up and a real read-only mount do the same.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import RunCli
from officestar_cli.base.atomic import TEMPORARY_PREFIX, atomic_write, atomic_write_all, text_writer
from officestar_cli.base.errors import OutputError
from officestar_cli.rubric.model import Rubric
from returned import make_filled

DAY_BEFORE = "2024-08-29"
DAY = "2024-08-30"

# What the message says for each errno, in Thai (the default language) and English.
SAID = {
    errno.ENOSPC: ("ดิสก์เต็ม", "the disk is full"),
    errno.EROFS: ("อ่านอย่างเดียว (read-only)", "read-only file system"),
    errno.EACCES: ("ไม่มีสิทธิ์เขียน", "no permission to write"),
    errno.EPERM: ("ไม่มีสิทธิ์เขียน", "no permission to write"),
}
FAULTS = (errno.ENOSPC, errno.EROFS, errno.EACCES)
STEPS = ("folder", "create", "write", "fsync", "rename")


def _fault(code: int, path: object = None) -> OSError:
    return OSError(code, os.strerror(code), None if path is None else str(path))


def _ours(path: object) -> bool:
    return os.path.basename(os.fsdecode(path)).startswith(TEMPORARY_PREFIX)  # type: ignore[arg-type]


class _FailingFile:
    """A real file whose first write stores half the data, then fails as a full disk would."""

    def __init__(self, real: Any, code: int) -> None:
        self._real = real
        self._code = code

    def write(self, data: bytes | str) -> int:
        self._real.write(data[: len(data) // 2])
        self._real.close()
        raise _fault(self._code, self._real.name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()


def inject(monkeypatch: pytest.MonkeyPatch, step: str, code: int, *, folder: Path) -> None:
    """Make ``step`` of writing an output fail with ``code``; ``folder`` is the one that may not be made."""
    if step == "folder":
        real_mkdir = os.mkdir

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if Path(os.fsdecode(path)) in (folder, *folder.parents) and not Path(os.fsdecode(path)).exists():
                raise _fault(code, path)
            real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
    elif step == "create":
        real_open = os.open

        def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if _ours(path) and flags & os.O_CREAT:
                raise _fault(code, path)
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", os_open)
    elif step == "write":
        real_io_open = io.open

        def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            opened = real_io_open(file, mode, *args, **kwargs)
            if isinstance(file, (str, bytes, os.PathLike)) and _ours(file) and "w" in mode:
                return _FailingFile(opened, code)
            return opened

        monkeypatch.setattr(io, "open", io_open)
    elif step == "fsync":

        def fsync(fd: int) -> None:
            raise _fault(code)

        monkeypatch.setattr(os, "fsync", fsync)
    elif step == "rename":
        real_replace = os.replace

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if _ours(src):
                raise _fault(code, src)
            real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "replace", replace)
    else:  # pragma: no cover - a typo in a parameter
        raise AssertionError(step)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def said(stderr: str) -> str:
    return " ".join(stderr.split())


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(TEMPORARY_PREFIX)] if folder.exists() else []


# ---------------------------------------------------------------- earlier outputs, made once


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> dict[str, Path]:
    """A recorded round with its reports, blank workbooks and one office's feedback files."""
    from conftest import invoke

    base = tmp_path_factory.mktemp("earlier")
    good = make_filled(rubric, rubric.round, "นาย ทดสอบ ผลลัพธ์", base / "good.xlsx")
    store = base / "round.sqlite3"
    scored = invoke(["score", good, "--store", store, "--out", base / "reports", "--date", DAY_BEFORE])
    assert scored.exit_code == 0, scored.output
    made = invoke(["template", "--evaluator", "นาย ก", "--evaluator", "นาง ข", "--out", base / "sheets"])
    assert made.exit_code == 0, made.output
    office = rubric.offices[0].id
    fed = invoke(["feedback", "--store", store, "--office", office, "--out", base / "feedback", "--date", DAY_BEFORE])
    assert (base / "feedback").is_dir() and fed.exit_code in (0, 2), fed.output
    for name in ("reports", "sheets", "feedback"):
        assert snapshot(base / name), name
    return {"good": good, "store": store, "base": base}


def _command(kind: str, earlier: dict[str, Path], work: Path, out: Path, rubric: Rubric) -> list[str | Path]:
    if kind == "reports":
        store = work / "round.sqlite3"
        shutil.copyfile(earlier["store"], store)
        return ["score", earlier["good"], "--store", store, "--out", out, "--date", DAY]
    if kind == "sheets":
        return ["template", "--evaluator", "นาย ก", "--evaluator", "นาง ข", "--out", out, "--force"]
    store = work / "round.sqlite3"
    shutil.copyfile(earlier["store"], store)
    return ["feedback", "--store", store, "--office", rubric.offices[0].id, "--out", out, "--date", DAY]


# ---------------------------------------------------------------- each step, each fault, each kind of output


@pytest.mark.parametrize("kind", ["reports", "sheets", "feedback"])
@pytest.mark.parametrize("code", FAULTS, ids=[errno.errorcode[c] for c in FAULTS])
@pytest.mark.parametrize("step", STEPS)
def test_a_failing_step_is_exit_2_and_changes_nothing(
    kind: str, code: int, step: str, earlier: dict[str, Path], tmp_path: Path, rubric: Rubric,
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    shutil.copytree(earlier["base"] / kind, out)
    before = snapshot(out)
    target_folder = out / "new" / "deeper" if step == "folder" else out
    args = _command(kind, earlier, tmp_path, target_folder, rubric)
    inject(monkeypatch, step, code, folder=target_folder)
    done = run_cli(*args)
    monkeypatch.undo()

    assert done.exit_code == 2, done.output
    message = " ".join(done.stderr.split())  # the terminal wraps long lines at spaces
    assert "Traceback" not in done.output
    # Thai words run together; the terminal may break a line between them.
    assert "".join(SAID[code][0].split()) in "".join(message.split()), message
    if step == "folder":
        assert str(target_folder) in message and "สร้างโฟลเดอร์ผลลัพธ์" in message
        assert not (out / "new").exists()
    else:
        assert f"{out}{os.sep}officestar-" in message, message  # names the output file, not the temporary one
        assert TEMPORARY_PREFIX not in message
    assert temporaries(out) == []
    assert snapshot(out) == before  # every earlier output byte for byte, nothing added


def test_the_cleanup_never_hides_the_first_error(
    earlier: dict[str, Path], tmp_path: Path, rubric: Rubric, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk fills while writing, and removing the temporary file fails too (a read-only remount)."""
    out = tmp_path / "out"
    shutil.copytree(earlier["base"] / "reports", out)
    before = snapshot(out)
    inject(monkeypatch, "write", errno.ENOSPC, folder=out)
    real_unlink = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if _ours(path):
            raise _fault(errno.EROFS, path)
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    done = run_cli(*_command("reports", earlier, tmp_path, out, rubric))
    monkeypatch.undo()

    assert done.exit_code == 2, done.output
    message = said(done.stderr)
    assert "ดิสก์เต็ม" in message and "อ่านอย่างเดียว" not in message, message
    left = temporaries(out)
    assert len(left) == 1 and left[0] in message  # the one it could not remove is named, to delete
    (out / left[0]).unlink()
    assert snapshot(out) == before


def test_the_cleanup_removes_every_temporary_file_of_a_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The third file of a set fails: the two written temporary files go too, the targets stay."""
    targets = [tmp_path / f"r{i}.md" for i in range(3)]
    for target in targets:
        target.write_text("earlier", encoding="utf-8")
    real_io_open = io.open
    opened: list[str] = []

    def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_io_open(file, mode, *args, **kwargs)
        if _ours(file) and "w" in mode:
            opened.append(os.fspath(file))
            if len(opened) == 3:
                return _FailingFile(handle, errno.ENOSPC)
        return handle

    monkeypatch.setattr(io, "open", io_open)
    with pytest.raises(OutputError) as raised:
        atomic_write_all([(t, text_writer("new")) for t in targets])
    monkeypatch.undo()
    assert len(opened) == 3
    assert str(targets[2]) in raised.value.en and "the disk is full" in raised.value.en
    assert "nothing of this set was written" in raised.value.en
    assert [t.read_text(encoding="utf-8") for t in targets] == ["earlier"] * 3
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("code", [*SAID, errno.EIO])
def test_the_message_says_what_happened_in_both_languages(
    code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    inject(monkeypatch, "fsync", code, folder=tmp_path)
    with pytest.raises(OutputError) as raised:
        atomic_write(target, text_writer("x"))
    monkeypatch.undo()
    error = raised.value
    assert int(error.exit_code) == 2
    assert str(target) in error.th and str(target) in error.en
    if code in SAID:
        assert SAID[code][0] in error.th and SAID[code][1] in error.en
    else:  # the system's own words beside a Thai sentence
        assert os.strerror(code) in error.en and "EIO" in error.en
        assert "ระบบปฏิบัติการแจ้งข้อผิดพลาด" in error.th and os.strerror(code) in error.th
    assert not target.exists() and temporaries(tmp_path) == []


def test_a_folder_on_the_way_that_cannot_be_looked_into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``stat`` refused (EACCES) while checking the target: an OutputError, not a PermissionError."""
    target = tmp_path / "locked" / "report.md"
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fsdecode(path).startswith(str(tmp_path / "locked")):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    with pytest.raises(OutputError) as raised:
        atomic_write(target, text_writer("x"))
    monkeypatch.undo()
    assert "no permission" in raised.value.en and str(target) in raised.value.en


# ---------------------------------------------------------------- real mounts (root only)


def _mount(*args: str) -> None:
    reason = ""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        reason = "mounting a tmpfs needs root; these tests run as another user"
    elif shutil.which("mount") is None:
        reason = "there is no mount command"
    else:
        done = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=60, check=False)
        if done.returncode == 0:
            return
        reason = f"mounting is not permitted here: {(done.stderr or done.stdout).strip()}"
    if os.environ.get("CI"):
        reason += " (CI is set: the container may refuse mounts, which does not fail CI)"
    pytest.skip(reason)


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    points: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"mnt{len(points)}"
        point.mkdir()
        _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point))
        points.append(point)
        return point

    try:
        yield mount
    finally:
        for point in reversed(points):
            done = subprocess.run(["umount", str(point)], capture_output=True, timeout=60, check=False)
            if done.returncode != 0:
                subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=60, check=False)


def _fill(folder: Path) -> None:
    descriptor = os.open(folder / "filler.bin", os.O_CREAT | os.O_WRONLY, 0o644)
    try:
        while os.write(descriptor, b"\0" * 4096):
            pass
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


def test_a_real_full_disk(
    mounted: Callable[..., Path], earlier: dict[str, Path], tmp_path: Path, rubric: Rubric, run_cli: RunCli
) -> None:
    point = mounted("64k")
    _fill(point)
    before = snapshot(point)
    done = run_cli(*_command("reports", earlier, tmp_path, point, rubric))
    assert done.exit_code == 2, done.output
    message = said(done.stderr)
    assert "ดิสก์เต็ม" in message and f"{point}{os.sep}officestar-" in message, message
    assert temporaries(point) == [] and snapshot(point) == before


@pytest.mark.parametrize("where", ["earlier reports", "empty", "new folder"])
def test_a_real_read_only_mount(
    where: str, mounted: Callable[..., Path], earlier: dict[str, Path], tmp_path: Path, rubric: Rubric,
    run_cli: RunCli,
) -> None:
    point = mounted("4m")
    if where == "earlier reports":
        for report in (earlier["base"] / "reports").iterdir():
            shutil.copyfile(report, point / report.name)
    before = snapshot(point)
    _mount("-o", "remount,ro", str(point))
    out = point / "new" if where == "new folder" else point
    done = run_cli(*_command("reports", earlier, tmp_path, out, rubric))
    assert done.exit_code == 2, done.output
    message = said(done.stderr)
    assert "อ่านอย่างเดียว" in message and str(out) in message, message
    assert temporaries(point) == [] and snapshot(point) == before
