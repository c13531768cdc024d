"""How the interpreter is set up for a run (kept apart: both the CLI and the reading workers use it)."""

from __future__ import annotations

import gc

# A national round makes millions of small objects and next to no reference cycles; the
# default collects the youngest generation every 700 allocations, which cost 7% of reading
# and a fifth of aggregating (docs/performance.md). Cycles are still collected, only later.
GC_THRESHOLD = (50_000, 10, 10)


def relax_garbage_collection() -> None:
    gc.set_threshold(*GC_THRESHOLD)
