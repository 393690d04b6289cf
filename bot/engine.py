"""The answer engine: question (+ conversation) → retrieve → select → compose an Answer.

Retrieval is hybrid: dense vectors from Chroma, plus exact matching of name-like tokens
("IJOP", "CETC", "Face++") that small embedding models blur. Selection is calibrated to abstain:
a sentence is cited only when it is both close in meaning and shares the question's key
words — and a question naming something no candidate mentions needs a much closer match. Every
citation is checked against its source's stored text before it is returned.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.dates import human
from ingest.embed import Embedder
from ingest.records import CorrectionLink, split_sentence_id
from ingest.settings import Settings
from ingest.store import IndexDamaged, Store, StoreError, StoreUnavailable
from ingest.terms import content_terms, name_tokens, stem

from .answer import Answer, Citation
from .conversation import Conversation
from .metadata import metadata_answer
from .question import (
    attributed_to,
    fits_type,
    has_type_evidence,
    is_headline,
    lexical_overlap,
    question_terms,
    speaker_of,
)
from .termstats import TermStats

log = logging.getLogger(__name__)


class QuestionError(ValueError):
    """The question cannot be answered as asked (empty, too long); the message says why."""


# Calibration (all-MiniLM-L6-v2 cosine, plus IDF-weighted key-word overlap). These are floors
# for "this sentence is about what was asked"; they are checked on the eval set and on the
# multi-source test corpus, not tuned to one article. Small sentence embeddings mostly measure
# "same topic", so the question's rare words carry the decision, and dense similarity alone
# must be high to count.
DENSE_ALONE = 0.62  # close enough in meaning without sharing the key words
STRONG_LEX = 0.5  # most of the question's weighted key words are in the sentence ...
STRONG_LEX_DENSE = 0.15  # ... and it is at least loosely about the same thing
SOME_LEX = 0.34
SOME_LEX_DENSE = 0.3
FEW_LEX = 0.1  # a named subject, a key word, and clearly the same topic
FEW_LEX_DENSE = 0.5
MULTI_NAME_DENSE = 0.35  # ... or loosely so, when it also names two or more things the question
# names, or holds the kind of answer asked for (an amount of money, a number, a time)
UNKNOWN_TERM_PENALTY = 0.08  # a key word the sources never use makes dense-only answers suspect
SPEAKER_BONUS = 0.2  # "what did X say": a sentence reporting X's words
CONTEXT_DENSE = 0.3  # nearest sentences shown beside "the sources don't say" must be this close
MARGIN = 0.2  # score lead over the runner-up that marks a clear winner
MARGIN_DENSE = 0.3
HEADLINE_PENALTY = 0.2  # a headline restates the story; a body sentence says more
N_NEIGHBOURS = 12
NAME_WEIGHT = 0.1
KEEP_WITHIN = 0.08  # further citations must score within this of the best
LEX_WEIGHT = 0.8
N_DENSE = 40
N_LEXICAL = 40

@dataclass
class Candidate:
    row: dict[str, Any]
    dense: float
    lex: float
    names: float  # share of the question's names the sentence mentions (1.0 when none asked)
    score: float = 0.0
    n_names: int = 0  # how many names the question has
    typed: bool = False  # the question asks for money/number/time and the sentence has one


class Engine:
    """One engine per process; safe to share between threads (the Slack app does)."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, store: Store | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embed_model, settings.embed_device)
        self._store = store
        self._lock = threading.Lock()
        self.stats = TermStats()
        self._seen_generation: str | None = None  # as read before this question

    # -- index access ------------------------------------------------------------------
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                st = Store(self.settings, create=False)
                st.check_model(self.embedder.identity)
                self._generation = st.generation()
                self._store = st
            return self._store

    def _refresh(self) -> None:
        """Another process may have re-indexed since this engine opened the index, and an
        embedded Chroma client never sees another process's vector writes: when the index's
        generation token changed, reopen it (fresh) so new sources are found without a restart."""
        with self._lock:
            st = self._store
        if st is None:
            return
        gen = st.generation()
        self._seen_generation = gen
        if self.settings.server_mode or gen == getattr(self, "_generation", gen):
            return  # a server shows every process's writes; only the statistics need it
        fresh = Store(self.settings, create=False, fresh=True)
        fresh.check_model(self.embedder.identity)
        with self._lock:
            self._store, self._generation = fresh, gen

    def _reset_store(self) -> None:
        with self._lock:
            self._store = None

    def index_size(self) -> int:
        return self.store().count()

    def sources(self) -> list[dict[str, Any]]:
        st = self.store()
        recs = st.source_records()
        flagged: dict[str, int] = {}
        for lk in st.all_links():
            sid = split_sentence_id(lk.claim)[0]
            flagged[sid] = flagged.get(sid, 0) + 1
        out = []
        for sid, r in sorted(recs.items(), key=lambda kv: (kv[1].get("published", ""), kv[0])):
            out.append({"id": sid, "title": r.get("title", ""), "publisher": r.get("publisher", ""),
                        "published": r.get("published", ""), "url": r.get("url", ""), "byline": r.get("byline", ""),
                        "sentences": int(r.get("sentences", 0)), "flagged": flagged.get(sid, 0),
                        "state": r.get("state", "")})
        return out

    def corrections(self) -> list[dict[str, Any]]:
        st = self.store()
        links = st.all_links()
        ids = {lk.claim for lk in links} | {b for lk in links for b in lk.by}
        rows = st.get_sentences(sorted(ids))
        recs = st.source_records()
        out = []
        for lk in sorted(links, key=lambda x: x.claim):
            claim = rows.get(lk.claim)
            if not claim:
                continue
            out.append({"claim": self._sentence_json(claim, recs), **self._correction_json(lk, rows, recs)})
        return out

    # -- answering ------------------------------------------------------------------------
    def validate(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise QuestionError("empty question: ask something about the sources")
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(
                f"question too long ({len(q):,} characters; the limit is {self.settings.max_question_chars:,})")
        if not re.search(r"\w", q):
            raise QuestionError("the question has no words in it")
        return q

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        q = self.validate(question)
        try:
            self._refresh()
            try:
                return self._ask(q, conversation)
            except IndexDamaged:
                if self.settings.server_mode:
                    raise
                # A concurrent re-index can leave this process's vector index naming records
                # that were just deleted; retry once on a fresh view before calling it damaged.
                fresh = Store(self.settings, create=False, fresh=True)
                fresh.check_model(self.embedder.identity)
                with self._lock:
                    self._store, self._generation = fresh, fresh.generation()
                return self._ask(q, conversation)
        except StoreUnavailable:
            self._reset_store()  # reconnect on the next question
            raise

    def _ask(self, q: str, conversation: Conversation | None) -> Answer:
        st = self.store()
        context = conversation.context_for(q) if conversation else None
        self.stats.refresh(st, self._seen_generation)
        meta = metadata_answer(q, lambda: self.stats.records, conversation)
        if meta is not None:
            return meta
        qvec = self.embedder.embed_one(q)
        cvec = self.embedder.embed_one(f"{context} {q}") if context else None
        qterms = question_terms(q, self.stats.idf)
        # A key word the sources never use makes a dense-only match suspect.
        unknown = any(self.stats.df(t) == 0 for t in qterms)
        if context:
            for t, w in question_terms(context, self.stats.idf).items():
                qterms.setdefault(t, 0.3 * w)
        qnames = {n.lower() for n in name_tokens(q)}
        # Names decide *whether* a sentence is about the right thing (a separate factor, also
        # satisfied by a neighbouring sentence); the other key words decide what it says.
        name_stems = set(content_terms(" ".join(qnames)))
        qterms = {t: w for t, w in qterms.items() if t not in name_stems} or qterms
        cands = self._candidates(st, qvec, cvec, q + (" " + context if context else ""))
        scored = []
        for row in cands.values():
            dense = float(np.dot(qvec, row["vector"]))
            if cvec is not None:
                dense = 0.65 * dense + 0.35 * float(np.dot(cvec, row["vector"]))
            lex = lexical_overlap(qterms, row["text"])
            low = row["text"].lower()
            names = (sum(1 for n in qnames if n in low) / len(qnames)) if qnames else 1.0
            c = Candidate(row, dense, lex, names, n_names=len(qnames))
            c.score = dense + LEX_WEIGHT * lex - (HEADLINE_PENALTY if is_headline(row["text"]) else 0.0)
            scored.append(c)
        scored.sort(key=lambda c: -c.score)
        if qnames:
            self._names_from_neighbours(st, [c for c in scored[:N_NEIGHBOURS] if c.names < 1.0], qnames)
            for c in scored:
                c.score += NAME_WEIGHT * c.names
        speaker = speaker_of(q)
        if speaker:
            for c in scored:
                if attributed_to(speaker, c.row["text"]):
                    c.score += SPEAKER_BONUS
        scored.sort(key=lambda c: -c.score)
        for c in scored:
            c.typed = has_type_evidence(q, c.row["text"])
        chosen = [c for c in scored if self._answers(c, unknown) and fits_type(q, c.row["text"])]
        if qnames and any(c.names == 1.0 for c in chosen):
            # The question names its subject: sentences that never mention it (nor does the
            # sentence beside them) give way to those that do.
            chosen = [c for c in chosen if c.names > 0]
        if not chosen and len(scored) > 1:
            # A sentence that stands far above every other, names all the question names and
            # shares a key word answers even when no absolute floor is met.
            top, second = scored[0], scored[1]
            if (top.names == 1.0 and top.lex > 0 and top.dense >= MARGIN_DENSE
                    and top.score - second.score >= MARGIN and fits_type(q, top.row["text"])):
                chosen = [top]
        if chosen:
            best = chosen[0].score
            chosen = [c for c in chosen if c.score >= best - KEEP_WITHIN][: self.settings.max_citations]
        answered = bool(chosen)
        # Abstaining: the nearest sentences go along for context only if they are on the topic
        # at all; an off-topic question gets none (never pad with unrelated sentences).
        picked = chosen if answered else [c for c in scored[:2] if c.dense >= CONTEXT_DENSE]
        answer = self.compose_answer(q, picked, answered, st, standalone=f"{context} {q}" if context else q)
        if self.settings.llm or getattr(self, "composer", None):
            # Optional LLM composer (bot/composer.py): it gets the scored candidates and this
            # extractive answer, and returns that answer unchanged whenever the LLM is unusable.
            from .composer import compose

            return compose(self, q, scored, answer, conversation)
        return answer

    def _candidates(self, st: Store, qvec: np.ndarray, cvec: np.ndarray | None, text: str) -> dict[str, dict[str, Any]]:
        cands: dict[str, dict[str, Any]] = {}
        for vec in (qvec, cvec):
            if vec is None:
                continue
            for row in st.query(vec, N_DENSE):
                cands.setdefault(row["id"], row)
        for tok in dict.fromkeys(name_tokens(text)):
            # Exact matching is for rare names the embedding blurs; a name in hundreds of
            # sentences is found by meaning, and scanning for it would cost a full-text search.
            if self.stats.df(stem(tok.lower().strip("'’."))) > N_LEXICAL:
                continue
            for variant in dict.fromkeys((tok, tok.upper(), tok.capitalize())):
                for row in st.containing(variant, N_LEXICAL):
                    cands.setdefault(row["id"], row)
        return cands

    @staticmethod
    def _names_from_neighbours(st: Store, cands: list[Candidate], qnames: set[str]) -> None:
        """News copy names someone once and then says "the company" or closes a quote with
        "Megvii said": a name in the sentence just before or after counts as mentioned."""
        want = {}
        for c in cands:
            src, idx = c.row["source"], int(c.row["index"])
            for j in (idx - 1, idx + 1):
                if j >= 0:
                    want[f"{src}#{j}"] = c
        if not want:
            return
        got = st.get_sentences(list(want))
        for sid, row in got.items():
            c = want[sid]
            low = (c.row["text"] + " " + row["text"]).lower()
            c.names = max(c.names, sum(1 for n in qnames if n in low) / len(qnames))

    @staticmethod
    def _answers(c: Candidate, unknown_term: bool) -> bool:
        if c.lex >= STRONG_LEX and c.dense >= STRONG_LEX_DENSE:
            return True
        if c.names == 0.0:  # the question names something this sentence never mentions
            return False
        if c.lex >= SOME_LEX and c.dense >= SOME_LEX_DENSE:
            return True
        extra_evidence = c.n_names >= 2 or c.typed
        if c.names == 1.0 and c.lex >= FEW_LEX and c.dense >= (MULTI_NAME_DENSE if extra_evidence else FEW_LEX_DENSE):
            return True
        return c.dense >= DENSE_ALONE + (UNKNOWN_TERM_PENALTY if unknown_term else 0.0)

    # -- composing ----------------------------------------------------------------------------
    def compose_answer(self, q: str, picked: list[Candidate], answered: bool, st: Store, standalone: str) -> Answer:
        ids = [c.row["id"] for c in picked]
        links = st.links_for_claims(ids)
        scores = {c.row["id"]: c.score for c in picked}
        # What corrected a quoted claim is always quoted with it, before it.
        by_ids = [b for lk in links.values() for b in lk.by if b not in scores]
        extra = st.get_sentences(by_ids) if by_ids else {}
        rows = {c.row["id"]: c.row for c in picked} | extra
        more_links = st.links_for_claims(list(extra)) if extra else {}
        links |= more_links
        recs = st.get_sources(sorted({r["source"] for r in rows.values()}))
        valid = {sid: r for sid, r in rows.items() if self._verify(r, recs)}
        order = self._order(list(valid), links, scores, valid)
        all_ids = {b for lk in links.values() for b in lk.by} | set(valid)
        by_rows = st.get_sentences([i for i in all_ids if i not in valid]) | valid
        # What corrected a claim is quoted too, so it is verified like any citation.
        missing = sorted({r["source"] for r in by_rows.values()} - set(recs))
        recs |= st.get_sources(missing) if missing else {}
        by_rows = {i: r for i, r in by_rows.items() if self._verify(r, recs)}
        cits = []
        for n, sid in enumerate(order, 1):
            r = valid[sid]
            rec = recs.get(r["source"], {})
            lk = links.get(sid)
            cits.append(Citation(
                n=n, source=r["source"], title=rec.get("title", ""), published=rec.get("published", ""),
                url=rec.get("url", ""), sentence=int(r["index"]), start=int(r["start"]), end=int(r["end"]),
                text=r["text"], score=round(float(scores.get(sid, 0.0)), 4), publisher=rec.get("publisher", ""),
                correction=self._correction_json(lk, by_rows, recs) if lk else None))
        return Answer(question=q, answered=answered and bool(cits), answer=self._text(cits, answered and bool(cits)),
                      citations=cits, standalone=standalone)

    def _verify(self, row: dict[str, Any], recs: dict[str, dict[str, Any]]) -> bool:
        """A citation is returned only if its text is exactly its source's text at its offsets —
        which also hides sentences caught mid-way through a concurrent re-index."""
        rec = recs.get(row["source"])
        if not rec or rec.get("sha256") != row.get("sha", rec.get("sha256")):
            return False
        return rec.get("text", "")[int(row["start"]):int(row["end"])] == row["text"]

    @staticmethod
    def _order(ids: list[str], links: dict[str, CorrectionLink], scores: dict[str, float], rows: dict[str, Any]) -> list[str]:
        flagged = [i for i in ids if i in links]
        if not flagged:
            return sorted(ids, key=lambda i: (rows[i].get("published", ""), rows[i]["source"], int(rows[i]["index"])))
        out: list[str] = []
        for claim in sorted(flagged, key=lambda i: -scores.get(i, 0.0)):
            for b in links[claim].by:
                if b in rows and b not in out:
                    out.append(b)
            out.append(claim)
        rest = sorted((i for i in ids if i not in out), key=lambda i: (rows[i]["source"], int(rows[i]["index"])))
        return out + rest

    @staticmethod
    def _text(cits: list[Citation], answered: bool) -> str:
        if not answered:
            return ("The sources don't say. Nothing in them answers this question"
                    + ("; the closest sentences are listed for context only." if cits else "."))
        lead = []
        where = {(c.source, c.sentence): c.n for c in cits}
        for c in cits:
            if c.correction:
                note = c.correction["note"]
                refs = " ".join(f"[{where[(b['source'], b['sentence'])]}]" for b in c.correction["by"]
                                if (b["source"], b["sentence"]) in where)
                if c.correction["status"] == "superseded":
                    by = c.correction["by"][0] if c.correction["by"] else {}
                    when = f" ({by.get('title') or by.get('source')}, {human(by.get('published', ''))})" if by else ""
                    lead.append(f"Note: the statement in [{c.n}] was later overtaken by events{when}."
                                + (f" What overtook it is quoted first: {refs}." if refs else ""))
                else:
                    what = "withdrawn" if note.lower().startswith(("withdrawn", "retracted")) else "corrected"
                    lead.append(f"Note: the claim in [{c.n}] was later {what} ({note})."
                                + (f" What corrected it is quoted first: {refs}." if refs else ""))
        if not lead:
            srcs = list(dict.fromkeys((c.title, c.publisher, c.published) for c in cits))
            if len(srcs) == 1:
                t, p, d = srcs[0]
                lead.append(f"According to “{t}”" + (f" ({', '.join(x for x in (p, human(d) if d else '') if x)})" if (p or d) else "") + ":")
            else:
                lead.append(f"According to {len(srcs)} sources:")
        body = " ".join(f"{c.text} [{c.n}]" for c in cits)
        return "\n".join(lead) + "\n" + body

    # -- JSON pieces --------------------------------------------------------------------------
    @staticmethod
    def _sentence_json(row: dict[str, Any], recs: dict[str, dict[str, Any]]) -> dict[str, Any]:
        rec = recs.get(row["source"], {})
        return {"source": row["source"], "title": rec.get("title", ""), "sentence": int(row["index"]),
                "start": int(row["start"]), "end": int(row["end"]), "text": row["text"],
                "published": rec.get("published", row.get("published", ""))}

    def _correction_json(self, lk: CorrectionLink, rows: dict[str, dict[str, Any]],
                         recs: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {"status": lk.status, "note": lk.note, "origin": lk.origin,
                "by": [self._sentence_json(rows[b], recs) for b in lk.by if b in rows]}

    # -- metadata questions ---------------------------------------------------------------------


__all__ = ["Engine", "QuestionError", "StoreError"]
