"""The answer engine: question (+ conversation) → retrieve → select → cite → compose an Answer.

The four stages live in their own modules (bot/retrieve.py, bot/select.py, bot/cite.py,
bot/compose.py), each with a small typed input and output; this module holds what they share —
the open index (reopened when another process re-indexed), the term statistics — and the order in
which they run. `Engine.ask` is the one entry point every interface (CLI, Slack) calls.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Callable

import numpy as np

from ingest.corrections.story import doc_facts
from ingest.embed import Embedder
from ingest.records import split_sentence_id
from ingest.rowcache import SentenceRows
from ingest.settings import Settings
from ingest.split import is_headline
from ingest.store import IndexDamaged, Store, StoreError, StoreUnavailable

from .answer import Answer, CorrectionEntry, IndexedSource
from .cite import cite, correction_listing
from .compose import ComposeRequest, Composer, OnToken, composer_from_settings
from .conversation import Conversation
from .later import ReadLog, StoryFacts, Surroundings, later_statements
from .metadata import Directory, metadata_answer
from .names import recase, respell
from .rerank import from_settings as rerank_from
from .retrieve import read_sentences, retrieve, understand
from .scorer import Scorer
from .scorer import cached as fitted_scorer
from .select import FittedSelector, Selector
from .termstats import TermStats

log = logging.getLogger(__name__)


_SURROGATE = re.compile("[\ud800-\udfff]")


class QuestionError(ValueError):
    """The question cannot be answered as asked (empty, too long); the message says why."""


class Engine:
    """One engine per process; safe to share between threads (the Slack app does).

    `composer` and `selector` are strategies: by default the composer is chosen from the settings
    (bot/compose.py) and the selector is the fitted scorer (bot/fitted/scorer.json, or `scorer`)."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, store: Store | None = None,
                 composer: Composer | None = None, selector: Selector | None = None,
                 scorer: Scorer | None = None, one_shot: bool = False) -> None:
        self.settings = settings
        # A one-shot command (`factdesk ask`) reads the sentence mirror when it is in step, so
        # chromadb is never imported (bot/coldstore.py); chat and Slack stay on Chroma.
        self.one_shot = one_shot
        self.embedder = embedder or Embedder(settings.embed_model, settings.embed_device, quantize=settings.embed_quantize,
                                              query_threads=settings.query_threads)
        self.composer: Composer = composer if composer is not None else composer_from_settings(settings)
        self.stats = TermStats()
        self.scorer = scorer or fitted_scorer()
        self.selector: Selector = selector if selector is not None else FittedSelector(
            self.scorer, self.stats, settings.max_citations,
            rerank=rerank_from(settings.rerank, settings.cross_dir, settings.query_threads),
            embed=getattr(self.embedder, "embed_few", self.embedder.embed))  # one ONNX session in a bot
        # The scorer's dense feature means what it means for the model it was fitted with.
        self.notice = self.scorer.model_notice(self.embedder.identity)
        if self.notice:
            log.warning(self.notice)
        self._store = store
        self._generation: str | None = None  # of the index this engine opened
        self._lock = threading.Lock()
        self._seen_generation: str | None = None  # as read before this question
        self._sources: Directory | None = None  # the sources' metadata lookups, for one generation
        self.rows: SentenceRows | None = None  # a long-lived bot's copy of the rows (`keep_warm`)
        self._facts: dict[str, StoryFacts | None] = {}  # later coverage's one-story test, per source
        self._facts_gen: str | None = None

    def keep_warm(self, wait: bool = False) -> None:
        """For a long-lived bot (chat, Slack): keep a copy of every sentence row in memory, read in
        a background thread now and again after each re-index (`ingest.rowcache`), so a question's
        vector query fetches no text or metadata. `wait`: block until the copy is ready. Off with
        FACTDESK_WARM_ROWS=0."""
        if not self.settings.warm_rows:
            return
        if self.rows is None:
            self.rows = SentenceRows()
        try:
            st = self.store()
        except StoreError:
            return  # best effort: the first question that opens the index starts the read
        self.rows.attach(st, self._seen_generation or self._generation)
        if wait:
            self.rows.wait()

    # -- index access ------------------------------------------------------------------
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                st = self._open()
                self._generation = st.generation()
                self._store = st
            return self._store

    def _open(self, fresh: bool = False) -> Store:
        if self.one_shot:
            from .coldstore import open_cold

            cold = open_cold(self.settings, self.embedder.identity)
            if cold is not None:
                return cold  # type: ignore[return-value]  (the reads a question makes)
        st = Store(self.settings, create=False, fresh=fresh)
        st.check_model(self.embedder.identity)
        return st

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
        if self.settings.server_mode or self._generation is None or gen == self._generation:
            return  # a server shows every process's writes; only the statistics need it
        self._reopen()

    def _reopen(self) -> None:
        fresh = self._open(fresh=True)
        with self._lock:
            self._store, self._generation = fresh, fresh.generation()

    def _directory(self) -> Directory:
        """The metadata lookups over the records the statistics hold for this generation (built
        once per generation, not per question)."""
        recs = self.stats.records
        d = self._sources
        if d is None or d.records is not recs:
            d = self._sources = Directory(recs)
        return d

    def reset_store(self) -> None:
        """Forget the open index (after a connection failure, or when the CLI rebuilt it)."""
        with self._lock:
            self._store = None

    def index_size(self) -> int:
        return self.store().count()

    # -- admin listings ----------------------------------------------------------------------
    def sources(self) -> list[IndexedSource]:
        """Every indexed source, oldest first, with how many of its sentences are flagged."""
        st = self.store()
        flagged: dict[str, int] = {}
        for lk in st.all_links():
            sid = split_sentence_id(lk.claim)[0]
            flagged[sid] = flagged.get(sid, 0) + 1
        records = sorted(st.source_records().values(), key=lambda r: (r.published, r.id))
        return [IndexedSource(r, flagged.get(r.id, 0)) for r in records]

    def corrections(self) -> list[CorrectionEntry]:
        """Every correction link, ordered by claim (`to_json()`: as `factdesk corrections --json` prints it)."""
        return correction_listing(self.store())

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
        bad = _SURROGATE.search(q)
        if bad:  # undecodable input bytes, or a lone surrogate escape in JSON: no text to embed
            raise QuestionError(f"invalid Unicode in the question (character {bad.start() + 1} is a lone "
                                "surrogate, e.g. from bytes that are not UTF-8)")
        return q

    def ask(self, question: str, conversation: Conversation | None = None, *,
            on_token: OnToken | None = None) -> Answer:
        """Answer one question (a follow-up when `conversation` holds earlier turns). `on_token`
        receives an LLM composer's draft as it streams; the returned Answer is the verified one."""
        q = self.validate(question)
        try:
            self._refresh()
            try:
                return self._answer(q, conversation, on_token)
            except IndexDamaged as e:
                if self.settings.server_mode:
                    raise
                if type(e).__name__ == "MirrorBroken":  # (bot.coldstore, not imported here) Chroma from now on
                    self.one_shot = False
                # A concurrent re-index can leave this process's vector index naming records
                # that were just deleted; retry once on a fresh view before calling it damaged.
                self._reopen()
                return self._answer(q, conversation, on_token)
        except StoreUnavailable:
            self.reset_store()  # reconnect on the next question
            raise

    def _story_facts(self, st: Store) -> Callable[[str], StoryFacts | None]:
        """A source's mean sentence vector (unit length, float32) and its body's text (a headline
        capitalises every word), for later coverage's one-story test, read from its stored rows once
        per index generation — asked only for a yes/no question naming something, of the cited
        sources and the later-dated sources among its candidates."""
        gen = self._seen_generation or self._generation
        if self._facts_gen != gen:
            self._facts.clear()
            self._facts_gen = gen

        def of(source_id: str) -> StoryFacts | None:
            if source_id not in self._facts:
                rows = st.source_sentences(source_id, with_vectors=True)
                c = doc_facts([], [r.vector for r in rows]).centroid
                self._facts[source_id] = None if c is None else StoryFacts(
                    c.astype(np.float32), " ".join(r.text for r in rows if not is_headline(r.text)))
            return self._facts[source_id]
        return of

    def recase(self, text: str) -> str:
        """The text with names typed in lowercase written as this index's sources write them
        (`bot.names.recase`, by the term statistics last read): how follow-ups find a lowercase
        subject, also when the Slack adapter replays a thread's earlier questions."""
        return recase(text, self.stats.written_as)

    def _answer(self, question: str, conversation: Conversation | None, on_token: OnToken | None) -> Answer:
        st = self.store()
        self.stats.refresh(st, self._seen_generation)
        if self.rows is not None:
            self.rows.attach(st, self._seen_generation or self._generation)
        meta = metadata_answer(question, self._directory, conversation)
        if meta is not None:
            return meta
        # A follow-up carries the subject it inherits ("Who backs it?" → "Who backs Megvii?").
        q = conversation.resolve(question, self.settings.tuning.follow_up, self.recase) if conversation else question
        if conversation is not None and conversation.turns:
            restated = self.composer.restate(question, conversation, q)
            if restated:
                meta = metadata_answer(restated, self._directory, None)
                if meta is not None:
                    return dataclasses.replace(meta, question=question, standalone=restated)
                q = restated
        query = understand(q, self.embedder, self.stats)
        candidates = retrieve(st, query, self.stats, self.settings)
        # A name typed with one slip ("sadam") is read as the candidates write it ("Saddam"), and the
        # question asked again: only then do its words match the sentences that name it.
        fixed = respell(q, [c.text for c in candidates], self.stats.holds)
        read_as = ""
        if fixed != q:
            q = read_as = fixed
            query = understand(q, self.embedder, self.stats)
            candidates = retrieve(st, query, self.stats, self.settings)
        reads = ReadLog(lambda ids: read_sentences(st, ids))
        selection = self.selector.select(query, candidates, reads)
        # Later coverage comes from the candidates already scored for this question, read beside
        # the neighbours selection read and the headlines held per generation; only its story test
        # (a yes/no question) reads whole sources, once each per generation. An abstention that
        # shows the nearest sentences shows what overtook them too.
        later = later_statements(selection.picked, selection.ranked, q, query.names, self.settings.tuning.later,
                                 Surroundings(self.stats.titles(), reads.seen), self._story_facts(st),
                                 self.settings.tuning.corrections.story_doc_sim)
        request = ComposeRequest(question=question, standalone=query.standalone, selection=selection,
                                 citations=cite(st, selection.picked, later), cite=lambda picks: cite(st, picks))
        answer = self.composer.compose(request, on_token)
        return dataclasses.replace(answer, read_as=read_as) if read_as else answer


__all__ = ["Engine", "QuestionError", "StoreError"]
