"""Training data for the answer scorer (`python -m bot.train`), kept apart from the fitting so each
module stays readable: the external answer-selection splits (TrecQA, WikiQA) as question groups,
honestly constructed negatives, their term statistics and feature matrices, and our own dev
questions as the engine retrieves them. Only train and dev splits are ever read here.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.terms import content_terms

from .bm25 import BM25
from .features import FEATURES, vector, view

ROOT = Path(__file__).resolve().parent.parent
# The one seed of every training command (scorer, adapter, cross-encoder, stack): not tuned.
SEED = 20190614


def sha256(path: Path) -> str:
    """A data or fitted file's checksum, as the fitted files record it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()

# Constructed negatives: how many other questions' candidate lists each question is asked of.
NEGATIVE_LISTS = 1


@dataclass
class Group:
    """One question and its candidate sentences with labels (1 = answers it)."""

    question: str
    sentences: list[str]
    labels: list[int]
    constructed: bool = False


def _num(text: str) -> str:
    # TrecQA writes every number as <num>; a number is a number to the features.
    return text.replace("<num>", "1999")


def load_trecqa(path: Path) -> list[Group]:
    groups: dict[str, Group] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            q = _num(row["qtext"])
            g = groups.setdefault(q, Group(q, [], []))
            g.sentences.append(_num(row["atext"]))
            g.labels.append(int(row["label"]))
    return list(groups.values())


def load_wikiqa(folder: Path) -> list[Group]:
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()  # noqa: E731
    groups: dict[str, Group] = {}
    for qid, q, s, y in zip(read("id.txt"), read("a.toks"), read("b.toks"), read("sim.txt")):
        g = groups.setdefault(qid, Group(q, [], []))
        g.sentences.append(s)
        g.labels.append(int(float(y)))
    return list(groups.values())


def with_negatives(groups: list[Group], seed: int, lists: int = NEGATIVE_LISTS) -> list[Group]:
    """Each question also asked of another question's candidates (all labelled 0): the honest
    stand-in for a question the sources do not answer."""
    rng = random.Random(seed)
    out = list(groups)
    for i, g in enumerate(groups):
        others = [j for j in range(len(groups)) if j != i and groups[j].question != g.question]
        for j in rng.sample(others, min(lists, len(others))):
            out.append(Group(g.question, list(groups[j].sentences), [0] * len(groups[j].sentences), True))
    return out


def corpus(groups: list[Group]) -> BM25:
    """Term statistics over the split's distinct sentences, as the index keeps them."""
    df: Counter[str] = Counter()
    seen = set()
    for g in groups:
        for s in g.sentences:
            if s not in seen:
                seen.add(s)
                df.update(set(content_terms(s)))
    return BM25(df, len(seen))


def featurize(groups: list[Group], embedder, bm25: BM25 | None = None, adapt=None) -> list[np.ndarray]:
    """One feature matrix per group, in order. `adapt(question, vector)` gives the adapted question
    vector (bot/adapter.py; the plain one when None)."""
    bm25 = bm25 or corpus(groups)
    texts = list(dict.fromkeys([g.question for g in groups] + [s for g in groups for s in g.sentences]))
    vecs = dict(zip(texts, embedder.embed(texts)))
    out = []
    for g in groups:
        qv = view(g.question, bm25)
        qvec = vecs[g.question]
        qa = qvec if adapt is None else adapt(g.question, qvec)
        out.append(np.vstack([vector(qv, s, float(np.dot(qvec, vecs[s])), bm25, adapted=float(np.dot(qa, vecs[s])))
                              for s in g.sentences]))
    return out


# Our own news questions, development data: news.jsonl was written as dev; news-heldout and
# news-heldout2 were held out, run once each (their first-run figures are in the README) and are
# development data since. The blind sets written later (news-heldout3, realworld/heldout4) are never read.
OWN_DEV = tuple(ROOT / "data" / "eval" / f"{n}.jsonl" for n in ("news", "news-heldout", "news-heldout2"))


@dataclass
class Asked:
    """One of our own dev questions as the engine retrieves it: feature rows of its candidates,
    which of them hold an expected phrase, and whether rule 1 (a name no source mentions) already
    makes the engine abstain."""

    question: str
    answerable: bool
    x: np.ndarray
    labels: list[int]
    absent: bool
    index: np.ndarray  # each candidate's sentence index in its article
    headline: np.ndarray  # each candidate is its article's headline
    good: list[int]  # holds an expected or an `also` phrase (what sentence precision counts)
    article: str  # the source asked about: an answer's, else the nearest candidate's (folds by article)
    texts: list[str] = field(default_factory=list)  # the candidates' sentences (the cross-encoder reads them)
    sources: list[str] = field(default_factory=list)  # each candidate's source (neighbours are in one article)


def own_questions(path: Path, embedder, adapter: np.ndarray | None = None) -> list[Asked]:
    """Run the engine's retrieval and features over our own dev set (news articles written for
    this project, with unanswerable questions), in a temporary index."""
    import tempfile

    from ingest.pipeline import Indexer
    from ingest.split import is_headline
    from ingest.settings import Settings
    from ingest.store import Store

    from .conversation import Conversation
    from .evaluate import load_eval
    from .retrieve import read_sentences, retrieve, understand
    from .scorer import Scorer
    from .select import FittedSelector, absent_names
    from .termstats import TermStats

    header, items = load_eval(path)
    src = Path(header["sources"])
    src = src if src.is_absolute() or src.exists() else path.parent / src
    n = len(FEATURES)
    neutral = Scorer(np.zeros(n), np.ones(n), np.zeros(n), 0.0, 0.5, 0.5, embedder.identity, "(fitting)",
                     adapter=adapter)
    out: list[Asked] = []
    with tempfile.TemporaryDirectory(prefix="factdesk-train-") as tmp:
        s = Settings().model_copy(update={"data_dir": Path(tmp), "chroma_host": ""})
        report = Indexer(s, embedder=embedder).ingest([str(src)])
        if not report.ok:
            raise RuntimeError(f"{path}: sources failed to ingest")
        st = Store(s, create=False)
        stats = TermStats()
        stats.refresh(st)
        selector = FittedSelector(neutral, stats, s.max_citations)
        convs: dict[str, Conversation] = {}
        for q in items:
            conv = convs.setdefault(q["dialogue"], Conversation()) if q.get("dialogue") else None
            standalone = conv.resolve(q["question"]) if conv else q["question"]
            if conv is not None:
                conv.add(q["question"], None, standalone)
            query = understand(standalone, embedder, stats)
            cands = retrieve(st, query, stats, s)
            scored = selector.score(query, cands, lambda ids: read_sentences(st, ids))
            expect, good = q.get("expect", []), q.get("expect", []) + q.get("also", [])
            x = np.vstack([c.features for c in scored]) if scored else np.zeros((0, n))
            labels = [int(any(p in c.sentence.text for p in expect)) for c in scored]
            srcs = [c.sentence.source for c in scored]
            article = next((sr for sr, y in zip(srcs, labels) if y), None) or \
                (srcs[int(np.argmax(x[:, 0]))] if scored else "")
            out.append(Asked(standalone, bool(q.get("answerable", True)), x, labels,
                             bool(absent_names(standalone, stats, [c.sentence.text for c in scored])),
                             np.array([c.sentence.index for c in scored]),
                             np.array([is_headline(c.sentence.text) for c in scored]),
                             [int(any(p in c.sentence.text for p in good)) for c in scored], article,
                             [c.sentence.text for c in scored], srcs))
    return out
