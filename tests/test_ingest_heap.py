"""An ingest run keeps the garbage collector's full passes off what it already holds (ingest/heap.py)
and hands every object back when it ends, failed or not; a process's own frozen objects are left
as they were. Counted by `gc.get_freeze_count()`, not by time."""

from __future__ import annotations

import gc

import pytest

import ingest.pipeline as pipeline_mod


@pytest.fixture
def frozen_at_relink(monkeypatch) -> list[int]:
    """How many objects were frozen when each relink of a run began."""
    seen: list[int] = []
    real = pipeline_mod.relink

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        seen.append(gc.get_freeze_count())
        return real(*a, **k)

    monkeypatch.setattr(pipeline_mod, "relink", counting)
    return seen


@pytest.fixture(autouse=True)
def _nothing_frozen_around():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_run_freezes_what_it_holds_and_hands_it_back(indexer, acme_folder, frozen_at_relink):
    assert indexer.ingest([str(acme_folder)]).ok
    assert frozen_at_relink and frozen_at_relink[-1] > 0  # relinking's full passes skip the run's rows
    assert gc.get_freeze_count() == 0  # nothing stays out of the collector's reach after the run


def test_a_failed_run_hands_them_back_too(indexer, acme_folder, monkeypatch):
    def fails(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("relinking failed")

    monkeypatch.setattr(pipeline_mod, "relink", fails)
    with pytest.raises(RuntimeError):
        indexer.ingest([str(acme_folder)])
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_its_own_objects_is_left_alone(indexer, acme_folder, frozen_at_relink):
    gc.freeze()  # e.g. a forking server's start-up heap
    own = gc.get_freeze_count()
    assert own > 0
    assert indexer.ingest([str(acme_folder)]).ok
    # the run froze nothing more (objects frozen here may be freed meanwhile: never more than `own`; a run
    # that froze would add every object it made since, thousands)
    assert len(frozen_at_relink) == 1 and frozen_at_relink[0] <= own
    assert 0 < gc.get_freeze_count() <= own  # and did not unfreeze what it had not frozen (that leaves 0)


def test_relinking_a_whole_archive_settles_as_it_goes(indexer, acme_folder, monkeypatch):
    """The detector's caches grow through a whole-archive relink: every `_SETTLE_EVERY` sources what is
    alive is frozen (here every source), and the run still hands everything back when it ends."""
    import ingest.corrections.relink as relink_mod
    import ingest.heap as heap_mod

    monkeypatch.setattr(relink_mod, "_SETTLE_EVERY", 1)
    during: list[int] = []
    real_relink, real_settle = pipeline_mod.relink, heap_mod.settle
    inside = [False]

    def relinking(*a, **k):  # type: ignore[no-untyped-def]
        inside[0] = True
        try:
            return real_relink(*a, **k)
        finally:
            inside[0] = False

    def settle() -> None:
        real_settle()
        if inside[0]:
            during.append(gc.get_freeze_count())

    monkeypatch.setattr(pipeline_mod, "relink", relinking)
    monkeypatch.setattr(heap_mod, "settle", settle)
    assert indexer.ingest([str(acme_folder)]).ok
    assert len(during) == 2 and all(n > 0 for n in during)  # both sources
    assert gc.get_freeze_count() == 0
