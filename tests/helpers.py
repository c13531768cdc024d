"""Helpers shared by tests that drive real programs (LibreOffice headless) or read their PDF text."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from pathlib import Path

SOFFICE_TIMEOUT = 180.0  # seconds; a first start with a fresh profile takes a few

_profile: Path | None = None


def soffice_profile() -> Path:
    """A private LibreOffice profile for this test process.

    LibreOffice refuses to start a second instance on a profile that is in use
    (a desktop session, a parallel run), and then silently converts nothing.
    """
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="officestar-soffice-profile-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(
    src: Path,
    outdir: Path,
    fmt: str,
    *,
    soffice: str | None = None,
    timeout: float = SOFFICE_TIMEOUT,
) -> Path:
    """Open ``src`` in LibreOffice headless and save it as ``fmt`` into ``outdir``.

    ``fmt`` is what ``--convert-to`` takes: ``xlsx``, ``pdf``, ``ods``, ``xls`` or
    ``xlsx:"Calc MS Excel 2007 XML"``. Returns the written file; raises
    ``RuntimeError`` with LibreOffice's output when nothing was written.
    """
    return soffice_convert_all([src], outdir, fmt, soffice=soffice, timeout=timeout)[0]


def soffice_convert_all(
    sources: list[Path],
    outdir: Path,
    fmt: str,
    *,
    soffice: str | None = None,
    timeout: float = SOFFICE_TIMEOUT,
) -> list[Path]:
    """Convert each of ``sources`` in one LibreOffice run (one start-up for many files)."""
    binary = soffice or find_soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    sources = [src.resolve() for src in sources]
    outdir = outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{src.stem}.{fmt.split(':', 1)[0]}" for src in sources]
    for src, target in zip(sources, targets, strict=True):
        if target == src:
            raise ValueError(f"converting {src} into its own folder would overwrite it")
        target.unlink(missing_ok=True)
    profile = soffice_profile()
    command = [
        binary,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    env = {**os.environ, "HOME": str(profile), "SAL_USE_VCLPLUGIN": "svp"}
    # soffice is a wrapper that starts soffice.bin: a session lets a timeout end both.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RuntimeError(f"LibreOffice did not finish converting {sources} within {timeout} s") from None
    missing = [target for target in targets if not target.is_file()]
    if process.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice did not write {missing} (exit {process.returncode})\n"
            f"command: {command}\nstdout: {stdout}\nstderr: {stderr}"
        )
    return targets


# The PDF's text layer repeats a consonant with SARA I and THANTHAKHAT ("ศักดิ์" comes out as
# "ศักดิ์ ดิ์") in some TLWG fonts although the page shows it once: see docs/documents.md.
_REPEATED_CLUSTER = re.compile(r"([\u0e01-\u0e2e]\u0e34\u0e4c)\s*\1")


def thai_text(text: str) -> str:
    """Text as compared: NFC, U+0E4D U+0E32 joined into U+0E33, no format characters, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _REPEATED_CLUSTER.sub(r"\1", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
