"""An incremental ingest keeps a claim's flag while any unchanged evidence still corrects it: it
stores the links and candidates a fresh build (`--rebuild`) of the same files stores.

A stored link merges the evidence of several sentences, here of two sources: the Ohio plant's
"5,000 workers" is corrected by the paper's own correction and by a wire story. Editing or removing
one of them re-derives the link, and relinking used to search again only from what changed: the
other source's evidence, unchanged, was never looked at again, so its sentences left the link —
and when what changed no longer corrected the claim (the wire story removed; a sentence added next
to the correction), the claim was shown unflagged until `ingest --rebuild`. Real Chroma, the real
pipeline; the reference is a fresh build of the files as they are after the change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import Indexer
from ingest.settings import Settings
from ingest.store import Store

ROOT = Path(__file__).resolve().parent.parent
MULTI = ROOT / "data" / "eval" / "multisource"
WIRE = """---
id: voltaic-wire
title: "Voltaic Motors plant to employ 500, not 5,000"
publisher: Wire (fictional)
published: 2021-03-10
---
Voltaic Motors' Ohio battery plant will employ 500 workers when it reaches full production, not 5,000 as reported earlier, the company said.

Shares of Voltaic rose 2 percent on Wednesday.
"""
CLAIM = "voltaic-ohio-plant#2"  # "The plant will employ 5,000 workers when it reaches full production in 2024, …"


def _links(s: Settings) -> list[tuple]:
    store = Store(s)
    return sorted((lk.id, lk.claim, tuple(lk.by), lk.status, lk.origin, lk.family, lk.note)
                  for lk in [*store.all_links(), *store.candidate_links()])


def _remove_wire(ix: Indexer, folder: Path) -> None:
    (folder / "05-wire.md").unlink()
    assert ix.remove(["voltaic-wire"]).ok


def _edit_beside_wire_evidence(ix: Indexer, folder: Path) -> None:
    p = folder / "05-wire.md"
    p.write_text(p.read_text().replace("rose 2 percent", "fell 3 percent"))
    assert ix.ingest([str(folder)]).ok


def _append_to_the_correction(ix: Indexer, folder: Path) -> None:
    p = folder / "02-voltaic-correction.md"
    p.write_text(p.read_text() + "\nThe company declined further comment.\n")
    assert ix.ingest([str(folder)]).ok


@pytest.mark.parametrize("change", [_remove_wire, _edit_beside_wire_evidence, _append_to_the_correction],
                         ids=["remove-one-corrector", "edit-beside-its-evidence", "append-to-the-other"])
def test_a_change_to_one_corrector_keeps_the_others_evidence(tmp_path, embedder, change):
    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    (folder / "05-wire.md").write_text(WIRE)
    s = Settings(_env_file=None, data_dir=tmp_path / "incremental", sources_dir=folder)
    ix = Indexer(s, embedder=embedder)
    assert ix.ingest([str(folder)]).ok
    first = {lk[1]: lk for lk in _links(s)}
    by = first[CLAIM][2]
    assert any(b.startswith("voltaic-wire#") for b in by) and any(b.startswith("voltaic-correction#") for b in by), \
        "the claim is corrected by both sources"
    change(ix, folder)
    fresh = Settings(_env_file=None, data_dir=tmp_path / "fresh", sources_dir=folder)
    assert Indexer(fresh, embedder=embedder).ingest([str(folder)]).ok
    want = _links(fresh)
    assert any(lk[1] == CLAIM and lk[3] == "corrected" for lk in want)
    assert _links(s) == want
