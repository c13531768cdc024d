"""The one map from outcomes to exit codes (docs/design.md, "Exit codes")."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done; warnings may have been printed
    REJECTED = 1  # some input was rejected; the good inputs were still processed
    USAGE = 2  # bad option, bad rubric, no files, bad store, unwritable output
    INTERRUPTED = 130  # Ctrl-C; nothing half-written is left behind
