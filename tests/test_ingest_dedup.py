"""A sentence repeated across the sources of one run is embedded once, and every copy is stored
with that vector (real model, real Chroma)."""

from __future__ import annotations

import numpy as np

SHARED = "The company did not respond to a request for comment."


def _write(folder, name, body):
    (folder / f"{name}.md").write_text(f"---\nid: {name}\ntitle: {name}\npublished: 2024-05-0{name[-1]}\n---\n{body}\n",
                                       encoding="utf-8")


def test_repeated_sentences_are_embedded_once_and_stored_for_each_source(tmp_path, indexer, embedder):
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "wire1", f"Acme Corp closed its plant in Leeds on Monday. {SHARED}")
    _write(folder, "wire2", f"Borealis Bank cut its dividend by half. {SHARED}")
    _write(folder, "wire3", f"{SHARED} Caldera Pharma shares fell 4 percent.")
    calls = embedder.calls
    report = indexer.ingest([str(folder)])
    assert report.ok and [r.status for r in report.results] == ["added"] * 3
    assert embedder.calls - calls == 4  # three distinct sentences and the shared one, once
    assert [r.embedded for r in report.results] == [2, 2, 2]  # every sentence got a new vector
    store = indexer.store()
    copies = [r for sid in ("wire1", "wire2", "wire3") for r in store.source_sentences(sid, with_vectors=True)
              if r.text == SHARED]
    assert len(copies) == 3 and len({r.id for r in copies}) == 3
    alone = embedder.embed([SHARED])[0]
    for r in copies:  # the vector the model gives the sentence on its own
        assert float(np.dot(r.vector, alone)) > 0.9999
