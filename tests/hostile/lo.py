"""LibreOffice headless, for the corpus (.xls) and the round-trip tests.

A private profile per process (``-env:UserInstallation``): LibreOffice refuses a
second instance on a profile in use and then silently converts nothing.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
from pathlib import Path

TIMEOUT = 180.0  # a first start with a fresh profile takes a few seconds; a hang takes forever
PROFILE = Path(f"/tmp/lo-hostile-{os.getpid()}")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _cleanup() -> None:
    shutil.rmtree(PROFILE, ignore_errors=True)


def convert(src: Path, outdir: Path, fmt: str, *, timeout: float = TIMEOUT) -> Path:
    """Open ``src`` in LibreOffice and save it as ``fmt`` (xlsx, ods, xls) into ``outdir``."""
    return convert_all([src], outdir, fmt, timeout=timeout)[0]


def convert_all(sources: list[Path], outdir: Path, fmt: str, *, timeout: float = TIMEOUT) -> list[Path]:
    """Open each of ``sources`` in one LibreOffice run and save it as ``fmt`` into ``outdir``."""
    binary = find_soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    if not PROFILE.exists():
        atexit.register(_cleanup)
    sources = [src.resolve() for src in sources]
    outdir = outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{src.stem}.{fmt.split(':', 1)[0]}" for src in sources]
    for src, target in zip(sources, targets, strict=True):
        if target == src:
            raise ValueError(f"converting {src} into its own folder would overwrite it")
        target.unlink(missing_ok=True)
    command = [
        binary, f"-env:UserInstallation={PROFILE.as_uri()}", "--headless", "--norestore",
        "--nolockcheck", "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources),
    ]
    env = {**os.environ, "HOME": str(PROFILE), "SAL_USE_VCLPLUGIN": "svp"}
    # soffice is a wrapper around soffice.bin: a session lets a timeout end both.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RuntimeError(f"LibreOffice did not convert {sources} within {timeout} s") from None
    missing = [target for target in targets if not target.is_file()]
    if process.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice did not write {missing} (exit {process.returncode})\n{stdout}\n{stderr}"
        )
    return targets
