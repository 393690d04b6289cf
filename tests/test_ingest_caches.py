"""The correction detector's memo caches serve one run and are empty when it ends.

A relink of the whole archive (a fresh ingest, a detector upgrade) filled them with ~1.4 M entries
at 100k sentences; kept, they made the process's next full garbage collection walk ~2.2 M objects
inside whatever ran next (the benchmark's first edit after a fresh ingest paid ~1.5 s in planning).
Counted here by the caches' own entry counts, not by time."""

from __future__ import annotations


import pytest

import ingest.pipeline as pipeline_mod
from ingest.pipeline import detector_cache_entries


@pytest.fixture
def filled(monkeypatch) -> list[int]:
    """The caches' entry count right after each relink of a run (while the run still holds them)."""
    seen: list[int] = []
    real = pipeline_mod.relink

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        out = real(*a, **k)
        seen.append(detector_cache_entries())
        return out

    monkeypatch.setattr(pipeline_mod, "relink", counting)
    return seen


def test_a_run_leaves_the_detector_caches_empty(indexer, acme_folder, filled):
    rep = indexer.ingest([str(acme_folder)])
    assert rep.ok
    assert filled and filled[-1] > 0  # the relink did use them (else this test proves nothing)
    assert detector_cache_entries() == 0
    f = acme_folder / "later.md"
    f.write_text(f.read_text() + "\nThe company said 300 of the 400 jobs would stay.\n")
    filled.clear()
    rep = indexer.ingest([str(acme_folder)])
    assert rep.ok and [r.status for r in rep.results if r.status == "updated"] == ["updated"]
    assert filled and filled[-1] > 0
    assert detector_cache_entries() == 0


def test_a_removal_and_a_failed_run_leave_them_empty(indexer, acme_folder, filled, monkeypatch):
    rep = indexer.ingest([str(acme_folder)])
    assert rep.ok
    later = next(r.source_id for r in rep.results if r.target.endswith("later.md"))
    rep = indexer.remove([later])
    assert rep.ok and detector_cache_entries() == 0

    relinked = pipeline_mod.relink

    def fails_after_relinking(*a, **k):  # type: ignore[no-untyped-def]
        relinked(*a, **k)
        raise RuntimeError("a step after relinking failed")

    monkeypatch.setattr(pipeline_mod, "relink", fails_after_relinking)
    with pytest.raises(RuntimeError):
        indexer.ingest([str(acme_folder)])
    assert filled[-1] > 0 and detector_cache_entries() == 0
