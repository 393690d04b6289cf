"""Keep Python's cyclic garbage collector off what an ingest run already holds.

Why: a fresh ingest allocates millions of small objects (sentence rows, the detector's per-text
caches), so the collector's full passes come several times a run, and each walks every tracked
object — the parsed sources and rows the run holds until it ends among them — to free nothing: in
a fresh 10k ingest six full collections freed 0-3 objects each and took 0.7-1.1 s (docs/MEASUREMENTS.md,
"Ingest: full garbage collections"). `settle()` at a phase boundary moves every object alive then
into the permanent generation (`gc.freeze`), so later passes walk only what was made since; `run()`
hands them all back to the collector when the run ends (`gc.unfreeze`). Relinking a whole archive
also settles every few hundred sources (`ingest.corrections.relink`): the detector's caches it fills
are held to the run's end too. Nothing is left
uncollected for longer than the run, and collections still happen (they are not suppressed: an
earlier try that suppressed them made relinking slower, MEASUREMENTS "Ingest outside the model").

A process that froze objects of its own before the run (a forking server's start-up heap) is left
alone: the run then freezes nothing, so unfreezing cannot hand back what it did not freeze.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_owner = 0  # how many runs (nested or not) are inside `run()` with freezing allowed


@contextmanager
def run() -> Iterator[None]:
    """One ingest run: what `settle` froze inside it is handed back to the collector at its end."""
    global _owner
    allowed = _owner > 0 or gc.get_freeze_count() == 0
    _owner += allowed
    try:
        yield
    finally:
        _owner -= allowed
        if allowed and _owner == 0:
            gc.unfreeze()


def settle() -> None:
    """A phase boundary inside `run()`: what is alive now is kept out of later collections' walks."""
    if _owner > 0:
        gc.freeze()


__all__ = ["run", "settle"]
