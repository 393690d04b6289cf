"""Document frequencies of words across the index, for the engine's rarity weights."""

from __future__ import annotations

import math
import threading
from collections import Counter

from ingest.records import SourceRecord
from ingest.store import Store
from ingest.termcounts import split_cased
from ingest.terms import content_terms, unaccent


class TermStats:
    """Document frequencies per source, read from the term counts ingest stores and refreshed only
    when the index's generation token changes — and then only for sources whose content hash
    changed — so a question costs one small read, and a growing archive what changed."""

    def __init__(self) -> None:
        self._per_source: dict[str, tuple[str, Counter[str], int]] = {}
        self._df: Counter[str] = Counter()
        self._cased: dict[str, tuple[str, int]] = {}
        self._n = 0
        self._generation: str | None = None
        self._lock = threading.Lock()
        self._records: dict[str, SourceRecord] | None = None
        self._titles: dict[str, str] | None = None
        self._years: frozenset[str] | None = None
        self._months: frozenset[str] | None = None
        self._store: Store | None = None

    @property
    def records(self) -> dict[str, SourceRecord]:
        """The manifest as of the current generation, read only when something needs it."""
        if self._records is None and self._store is not None:
            self._records = self._store.source_records()
        return self._records or {}

    def years(self) -> frozenset[str]:
        """The years sources are dated to ("2015" for a source published 2015-12-17), once per
        generation: a question naming the year of its story ("the December 2015 court order") names
        something the sources hold even when no sentence writes the year out."""
        if self._years is None:
            self._years = frozenset(r.published[:4] for r in self.records.values() if r.published[:4].isdigit())
        return self._years

    def months(self) -> frozenset[str]:
        """The months sources are dated to ("2015-12" for a source published 2015-12-17), once per
        generation: a question dating its story ("in August 2017", "on April 23") names a time the
        sources cover even when no sentence writes the month out (news copy says "on Tuesday")."""
        if self._months is None:
            self._months = frozenset(r.published[:7] for r in self.records.values()
                                     if len(r.published) >= 7 and r.published[:4].isdigit())
        return self._months

    def titles(self) -> dict[str, str]:
        """Every source's title as of the current generation (one indexed read of two columns of
        the source catalog, once per generation; not the whole records)."""
        if self._titles is None and self._store is not None:
            self._titles = self._store.source_titles()
        return self._titles or {}

    def refresh(self, st: Store, generation: str | None = None, force: bool = False) -> None:
        gen = st.generation() if generation is None else generation
        if not force and gen == self._generation:
            return
        with self._lock:
            self._store, self._records, self._titles, self._years, self._months = st, None, None, None, None
            totals = st.term_totals()
            if totals is not None and totals[0] == gen and gen:
                # Ingest summed the counts for exactly this generation: one read.
                df, cased = split_cased(totals[2])
                self._df, self._n, self._cased = Counter(df), totals[1], _forms(cased)
                self._per_source.clear()
                self._generation = gen
                return
            self._refresh_per_source(st)
            self._generation = gen

    def _refresh_per_source(self, st: Store) -> None:
        recs = self.records
        changed = False
        for sid in list(self._per_source):
            if sid not in recs or recs[sid].sha256 != self._per_source[sid][0]:
                del self._per_source[sid]
                changed = True
        todo = [sid for sid, rec in recs.items() if sid not in self._per_source and rec.state == "complete"]
        stored = st.term_counts(todo) if todo else {}
        for sid in todo:
            sha = recs[sid].sha256
            if sid in stored and stored[sid][0] == sha:
                _, n, counts = stored[sid]
                self._per_source[sid] = (sha, Counter(counts), n)
            else:  # an index written before term counts were stored
                df: Counter[str] = Counter()
                rows = st.source_sentences(sid)
                for r in rows:
                    df.update(set(content_terms(r.text)))
                self._per_source[sid] = (sha, df, len(rows))
            changed = True
        if changed or not self._df:
            total: Counter[str] = Counter()
            for _, df, _n in self._per_source.values():
                total.update(df)
            terms, cased = split_cased(total)
            self._df, self._cased = Counter(terms), _forms(cased)
            self._n = sum(n for _, _, n in self._per_source.values())

    def bm25(self):
        """A BM25 scorer over the current counts (one per generation, built on demand)."""
        from .bm25 import BM25

        key = (self._generation, self._n, len(self._df))
        if getattr(self, "_bm25_key", None) != key:
            self._bm25, self._bm25_key = BM25(self._df, self._n), key
        return self._bm25

    def written_as(self, word: str) -> str | None:
        """How the sources write a word typed in lowercase, when they mostly write it as a name:
        "LinkedIn" for "linkedin" when more than half of the sentences holding the word write it
        with a capital (headlines aside). None otherwise — also on an index whose counts predate
        the names' forms (schema 7 adds them)."""
        got = self._cased.get(unaccent(word.lower()))
        if got is None:
            return None
        form, count = got
        terms = content_terms(word)
        held = max((self._df.get(t, 0) for t in terms), default=0)
        return form if count * 2 > held else None

    def df(self, term: str) -> int:
        return self._df.get(term, 0)

    def holds(self, word: str) -> bool:
        """Some indexed sentence holds every content term of `word` (a stop word holds trivially): what
        rule 1 and the engine's respelling ask of a word a reader typed."""
        return all(self.df(t) > 0 for t in content_terms(word))

    def idf(self, term: str) -> float:
        return math.log((self._n + 1) / (self._df.get(term, 0) + 0.5))


def _forms(cased: dict[str, int]) -> dict[str, tuple[str, int]]:
    """Names' written forms → lowercase word: (its most frequent form, sentences writing it so in
    any form): "LinkedIn" and "LINKEDIN" both count for "linkedin"."""
    out: dict[str, tuple[str, int]] = {}
    for form, count in sorted(cased.items(), key=lambda kv: (-kv[1], kv[0])):
        if count <= 0:
            continue
        low = unaccent(form.lower())  # "Ibáñez" is the name a reader types as "ibanez"
        best, total = out.get(low, (form, 0))
        out[low] = (best, total + count)
    return out
