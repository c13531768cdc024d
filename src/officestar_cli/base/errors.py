"""The one base exception for states officestar cannot continue from.

A bad cell in a workbook is not an exception: it is an ``Issue``. These are for
set-up problems (a broken rubric, a store that is not ours, an output that cannot
be written), and each carries its message in Thai and English and its exit code.
"""

from __future__ import annotations

from officestar_cli.base.exit_codes import ExitCode


class OfficestarError(Exception):
    """A problem the user can fix; reported without a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, th: str, en: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(en)
        self.th = th
        self.en = en
        if exit_code is not None:
            self.exit_code = exit_code

    def message(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


class OutputError(OfficestarError):
    """An output file or folder cannot be written."""


class StoreError(OfficestarError):
    """The round store is missing, foreign, too new or locked."""
