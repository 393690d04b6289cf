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


# -- word analysis: the faster forms give exactly what the plain forms gave ------------------------
def _reference_content_terms(text: str) -> list[str]:
    from ingest.terms import _CJK, _OTHER_WORD, STOPWORDS, _norm, stem, words

    out = []
    for raw in words(text):
        w = _norm(raw)
        parts = w.split("-") if "-" in w else [w]
        out += [stem(p) for p in parts if p and p not in STOPWORDS and len(p) > 1]
    out += _CJK.findall(text)
    out += [w.lower() for w in _OTHER_WORD.findall(text) if not w.isascii()]
    return out


def _reference_name_tokens(text: str, initial: bool = False) -> list[str]:
    from ingest.terms import _WORD, QUESTION_WORDS, STOPWORDS

    out: list[str] = []
    for m in _WORD.finditer(text):
        w = m.group(0).rstrip(".'’")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if len(w) < 2 or w.lower() in STOPWORDS or w.lower() in QUESTION_WORDS:
            continue
        starts = m.start() == 0 or text[max(0, m.start() - 2):m.start()].strip() in {".", "?", "!", "\"", "“"}
        if (w.isupper() and len(w) >= 2) or any(c.isdigit() for c in w) or "+" in w or (
            w[0].isupper() and (not starts or any(c.isupper() for c in w[1:]))
        ):
            out.append(w)
        elif starts and w[0].isupper() and (any(c.isupper() for c in w[1:]) or initial):
            out.append(w)
    return out


def test_content_terms_and_name_tokens_match_their_plain_forms_on_every_source_sentence():
    from pathlib import Path

    from ingest.split import split_sentences
    from ingest.terms import _content_terms, name_tokens

    root = Path(__file__).resolve().parent.parent / "data"
    texts = [s.text for p in sorted(root.rglob("*.md")) + sorted(root.rglob("*.txt"))
             for s in split_sentences(p.stem, p.read_text(encoding="utf-8"))]
    texts += ["Face++ and 3M's e-mail; Beijing-based IJOP.", "x", "the iPhone 11 launch", "Who owns Megvii?",
              "said U.S. officials. “Voltaic said”", "Séralini a Gdańsk 北京 café", "re-examine it’s 2019-06"]
    assert len(texts) > 1000
    for t in texts:
        assert _content_terms(t) == _reference_content_terms(t), t
        for initial in (False, True):
            assert name_tokens(t, initial=initial) == _reference_name_tokens(t, initial=initial), t
