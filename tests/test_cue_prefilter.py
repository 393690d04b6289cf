"""The cue pre-filter (ingest/corrections/literals.py) is exact: with it, every guarded pattern
finds what the pattern alone finds, and every sentence gets the same signals and cue as without it.

Run over every sentence of the development sources (data/sources and every eval set's sources,
never a blind set), the benchmark's synthetic corpus, and generated variants that stress what a
pre-filter can get wrong: case (upper, swapped), the characters the regex engine folds to ASCII
letters ("ſ", "ı", "İ", the Kelvin sign), sentences joined, words shuffled, and every pattern's own
literals planted into sentences (so most patterns do match somewhere).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from benchmarks.blind import blind_sets
from ingest.corrections import lexicon, literals, patterns, signals
from ingest.loaders import load_file
from ingest.split import split_sentences

ROOT = Path(__file__).resolve().parent.parent
LOOKALIKE = str.maketrans({"s": "ſ", "i": "ı", "I": "İ", "k": "K", "K": "K"})


def _guarded() -> list[tuple[str, literals.Guarded]]:
    out = []
    for mod in (patterns, lexicon):
        for name, value in vars(mod).items():
            if isinstance(value, literals.Guarded):
                out.append((f"{mod.__name__}.{name}", value))
            elif isinstance(value, dict):
                out += [(f"{mod.__name__}.{name}[{k}]", v) for k, v in value.items() if isinstance(v, literals.Guarded)]
    return out


def _sources() -> list[str]:
    """Every development sentence: the sets data/eval/BLIND lists (unrun) are never read."""
    unrun = [ROOT / "data" / "eval" / name for name in blind_sets()]
    out = []
    for base in (ROOT / "data" / "eval", ROOT / "data" / "sources"):
        for f in sorted(base.rglob("*")):
            if f.is_file() and f.suffix in (".md", ".txt") and f.name != "README.md" and not _under(f, unrun):
                src = load_file(f, f.parent)
                out += [s.text for s in split_sentences(src.id, src.text)]
    return list(dict.fromkeys(out))


def _under(f: Path, sets: list[Path]) -> bool:
    """Whether `f` belongs to one of `sets` (a set is its folder and its .jsonl beside it)."""
    return any(f.is_relative_to(d) or f == d.with_suffix(".jsonl") for d in sets)


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from benchmarks.corpus import generate

    base = _sources()
    assert len(base) > 2000, "the development sources are where they were"
    folder = tmp_path_factory.mktemp("corpus")
    corpus = generate(folder, 1500)
    synthetic = [s.text for f in corpus.files for s in split_sentences(f.stem, f.read_text())]
    rnd = random.Random(15)
    lits = sorted({lit for _, g in _guarded() for lit in (literals.required(g.rx) or ())})
    variants = []
    for t in rnd.sample(base, 600):
        words = t.split()
        rnd.shuffle(words)
        variants += [t.upper(), t.swapcase(), t.translate(LOOKALIKE), " ".join(words)]
    for _ in range(1500):  # literals planted: the patterns' own words in running text
        words = rnd.choice(base).split()
        for _ in range(rnd.randint(1, 4)):
            words.insert(rnd.randint(0, len(words)), rnd.choice(lits))
        variants.append(" ".join(words))
    variants += [a + " " + b for a, b in zip(rnd.sample(base, 300), rnd.sample(base, 300))]
    return list(dict.fromkeys(base + synthetic + variants))


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span()
                                         and a.groups() == b.groups())


def test_every_guarded_pattern_finds_what_the_pattern_finds(texts: list[str]) -> None:
    """A skip is the only thing a guard can change (a search it lets through is the pattern's own
    call), so: wherever it skips, the pattern alone finds nothing."""
    guarded = _guarded()
    assert len(guarded) > 60 and sum(g.need != -1 for _, g in guarded) > 50, "most patterns are guarded"
    skipped, passed = 0, 0
    for t in texts:
        present = literals.present(t)
        for name, g in guarded:
            if g.need == -1 or g.need & present:
                passed += 1
            else:
                skipped += 1
                assert g.search(t) is None and g.rx.search(t) is None, (name, t)
    assert skipped > len(texts) * 40 and passed > len(texts) * 5  # both sides exercised


def test_finditer_findall_and_positions_as_the_pattern(texts: list[str]) -> None:
    for t in texts[::7]:
        for name, g in _guarded():
            assert [m.span() for m in g.finditer(t)] == [m.span() for m in g.rx.finditer(t)], (name, t)
            assert g.findall(t) == g.rx.findall(t), (name, t)
            assert _same(g.search(t, 5), g.rx.search(t, 5)), (name, t)


def test_the_literal_scan_finds_every_literal_in_the_text(texts: list[str]) -> None:
    """One trie scan per text stands for a substring test of every literal: compared with that."""
    bits = literals._INDEX.bits
    for t in texts[::25]:
        low = literals.fold(t)
        want = sum(bit for lit, bit in bits.items() if lit in low)
        assert literals.present(t) == want, t


def test_folding_is_the_regex_engines_own() -> None:
    """Every character that a case-insensitive regex takes for a literal's character folds to the
    same character as it (over all of Unicode, for every character the literals use)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    chars = {ch for _, g in _guarded() for lit in (literals.required(g.rx) or ()) for ch in lit}
    assert {"s", "i", "k"} <= chars
    for ch in sorted(chars):
        for other in re.findall(re.escape(ch), every, re.I):
            assert literals.fold(other) == literals.fold(ch), (ch, other)
        assert len(literals.fold(ch + "İ")) == 2  # one character for one, unlike str.lower


def _all_caches_clear() -> None:
    import importlib

    for name in ("signals", "measures", "restate", "phrases", "polarity", "families", "subject", "lexicon", "detect"):
        mod = importlib.import_module(f"ingest.corrections.{name}")
        for value in vars(mod).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def test_signals_and_cues_unchanged(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: the sentence-level results the detector stores and pairs by, with the
    pre-filter and with every guard forced open (the patterns alone)."""
    from ingest.corrections.measures import quantities

    texts = texts[:3000] + texts[3000::3]
    _all_caches_clear()
    new = [(signals.signals(t), signals.cue(t), quantities(t)) for t in texts]
    monkeypatch.setattr(literals, "present", lambda text: -1)
    _all_caches_clear()
    old = [(signals.signals(t), signals.cue(t), quantities(t)) for t in texts]
    _all_caches_clear()
    assert new == old
    assert {c for _, c, _ in new} == {"strong", "update", "weak", ""}


def test_the_answer_path_leaves_its_patterns_plain() -> None:
    """A cold `ask` imports lexicon patterns but not the detector: nothing is derived or scanned
    there, each method is the pattern's own; importing the detector arms them."""
    import subprocess
    import sys

    code = ("import bot.later\nfrom ingest.corrections import lexicon as L\n"
            "assert L.PAST_PERFECT.search == L.PAST_PERFECT.rx.search and L.YEAR.need == -1\n"
            "from ingest.corrections import signals\n"
            "assert L.PAST_PERFECT.search != L.PAST_PERFECT.rx.search and L.PAST_PERFECT.need != -1\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
