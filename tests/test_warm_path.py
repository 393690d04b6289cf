"""The warm answer path's reads (issue 15: warm query at 100k): each read returns exactly what the
slower form it replaced returned. Real Chroma, no timing asserted."""

from __future__ import annotations

from ingest.records import CorrectionLink
from ingest.store import Store


def test_links_for_claims_reads_shown_links_by_claim_and_never_candidates(settings):
    st = Store(settings, create=True)
    shown = CorrectionLink(claim="a#1", by=["b#0"], status="corrected", origin="detected", note="n", score=0.9)
    other = CorrectionLink(claim="c#2", by=["d#0", "e#1"], status="superseded", origin="declared")
    unsure = CorrectionLink(claim="f#0", by=["g#0"], status="candidate", origin="detected")
    unsure_a = CorrectionLink(claim="a#1", by=["h#0"], status="candidate", origin="detected")
    st.put_links([shown, other, unsure, unsure_a])
    got = st.links_for_claims(["a#1", "f#0", "a#1", "missing#3", "c#2"])  # repeated and unknown ids too
    assert got == {"a#1": shown, "c#2": other}
    assert st.links_for_claims([]) == {}
    assert st.links_for_claims(["f#0"]) == {}  # an unsure pair is an editor's, never a flag
    assert set(st.links_for_claims(["a#1", "c#2", "f#0"])) == {lk.claim for lk in st.all_links()}
