"""A write Chroma cannot compact on a nearly full disk ("Failed to apply logs to the metadata
segment", with the space it took freed again by the time the error is seen) is reported as the full
disk when the batch needs more room than is left — not as damage with `--rebuild` advice."""

from __future__ import annotations

import pytest

from tests.conftest import SOURCES


@pytest.mark.parametrize("free, full", [(2 << 20, True), (10**12, False)])  # above LOW_SPACE_BYTES both
def test_a_batch_larger_than_the_space_left_is_the_full_disk(indexer, monkeypatch, free, full):
    import chromadb.api.models.Collection as C

    import ingest.gateway as gateway
    from ingest.store import DiskFull, IndexDamaged, Store

    assert indexer.ingest([str(SOURCES)]).ok
    st = Store(indexer.settings)

    def fails(self, *a, **kw):
        raise RuntimeError("Error in compaction: Failed to apply logs to the metadata segment")
    monkeypatch.setattr(C.Collection, "upsert", fails)
    monkeypatch.setattr(gateway, "_free_bytes", lambda folder: free)
    with pytest.raises(DiskFull if full else IndexDamaged) as e:
        st.upsert(st.sources_col, ["a-source"], ["x" * 400_000], [{"kind": "source"}])
    assert ("full" in str(e.value)) is full and ("--rebuild" in str(e.value)) is not full
