"""The tenth session's relink and cue CPU cuts change no result: each cache or pre-filter is compared
with the code it replaced (kept here as the reference) over every development sentence, the
benchmark's synthetic corpus and generated variants (case, look-alike letters, shuffled words,
planted literals, sentences joined) — the `texts` of tests/test_cue_prefilter.py, no blind set.
"""

from __future__ import annotations

from ingest import terms
from ingest.corrections import literals, patterns, phrases, restate, signals, subject
from ingest.terms import QUESTION_WORDS, STOPWORDS, _DIGIT, _SENTENCE_BREAKS, _WORD, _norm
from tests.test_cue_prefilter import texts  # noqa: F401  (the module-scoped fixture)


def _old_tokens(text: str) -> tuple[restate.Tok, ...]:
    """restate.tokens before the per-word cache."""
    out = []
    for i, m in enumerate(restate._TOK.finditer(text)):
        w = m.group(0)
        low = _norm(w)
        content = ((low not in STOPWORDS or low in restate._VERBS) and low not in restate.NEGATOR_WORDS
                   and low != "longer" and len(low) > 1) and not any(c.isdigit() for c in low) and w not in restate._PUNCT
        name = i > 0 and (w[:1].isupper() or (len(w) > 1 and w.isupper()))
        out.append(restate.Tok(low, restate.stem_of(low) if content else "", name))
    return tuple(out)


def _old_name_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """terms._name_tokens before the per-word cache."""
    plain: list[str] = []
    with_initial: list[str] = []
    for m in _WORD.finditer(text):
        raw = m.group()
        if raw.islower() and "+" not in raw and not _DIGIT.search(raw):
            continue
        w = raw.rstrip(".'’")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if len(w) < 2:
            continue
        low = w.lower()
        if low in STOPWORDS or low in QUESTION_WORDS:
            continue
        at = m.start()
        starts = at == 0 or text[max(0, at - 2):at].strip() in _SENTENCE_BREAKS
        inner_capital = w[1:] != low[1:]
        if w.isupper() or _DIGIT.search(w) or "+" in w or (w[0].isupper() and (not starts or inner_capital)):
            plain.append(w)
            with_initial.append(w)
        elif starts and w[0].isupper():
            if inner_capital:
                plain.append(w)
            with_initial.append(w)
    return tuple(plain), tuple(with_initial)


def _negator(t: restate.Tok) -> bool:
    return t.low in restate.NEGATOR_WORDS or t.low.endswith("n't") or t.low.endswith("n’t")


def _old_operator_negators(toks: tuple[restate.Tok, ...]) -> list[int]:
    return [i for i, t in enumerate(toks) if _negator(t)]


def test_tokens_and_name_tokens_as_before(texts: list[str]) -> None:  # noqa: F811
    sample = texts + [t.lower() for t in texts[::5]] + ["", "A", "U.S. o'clock", "FROM from From"]
    for t in sample:
        toks = restate.tokens(t)
        assert toks == _old_tokens(t), t
        # the negators restate._operators itself finds (inline now), against the old per-token test
        assert [i for i, kind in restate._operators(t) if kind in ("neg", "no longer")] == _old_operator_negators(toks), t
        assert terms._name_tokens(t) == _old_name_tokens(t), t


def test_opposites_prefilter_is_exact(texts: list[str]) -> None:  # noqa: F811
    """Where the union of the opposites finds nothing, no single word of a pair occurs; elsewhere
    each position is the pair word's own search."""
    pairs = [w for p in patterns.ANTONYMS for w in p]
    planted = [f"{t} {w}" for t, w in zip(texts[::40], pairs * 100)]
    skipped = 0
    for t in texts + planted:
        want = tuple(m.start() if (m := rx.search(t)) else -1 for pair in signals.ANTONYM_RX for rx in pair)
        assert phrases._opposite_starts(t) == want, t
        skipped += not signals._OPPOSITE_WORD.search(t)
    assert 0 < skipped < len(texts)


def test_guarded_attribution_searches_find_what_the_patterns_find(texts: list[str]) -> None:  # noqa: F811
    assert isinstance(subject._SPEAKER, literals.Guarded) and subject._SPEAKER.need != -1  # armed with the detector
    assert isinstance(subject._POSSESSIVE, literals.Guarded) and subject._POSSESSIVE.need != -1
    for t in texts:
        for g in (subject._SPEAKER, subject._POSSESSIVE):
            assert [m.span() for m in g.finditer(t)] == [m.span() for m in g.rx.finditer(t)], t


def test_moved_only_after_from(texts: list[str]) -> None:  # noqa: F811
    """signals reads `polarity` for a "moved" operand only when a token is "from": it is given nowhere else."""
    moved = 0
    for t in texts:
        has_moved = any(k == "moved" for _, _, k, _ in restate.polarity(t))
        moved += has_moved
        if not any(x.low == "from" for x in restate.tokens(t)):
            assert not has_moved, t
    assert moved > 0


def test_word_caches_are_bounded_and_the_detectors_are_emptied_after_a_run() -> None:
    """The per-word caches hold a vocabulary, bounded; the detector's is emptied with its others
    when a run ends (ingest.pipeline.drop_detector_caches)."""
    from ingest.pipeline import _detector_caches, drop_detector_caches

    restate.tokens("Officials said the bridge reopened.")
    assert restate._word in set(_detector_caches()) and restate._word.cache_info().currsize > 0
    drop_detector_caches()
    assert restate._word.cache_info().currsize == 0
    assert 0 < (terms._name_word.cache_info().maxsize or 0) <= 200_000
