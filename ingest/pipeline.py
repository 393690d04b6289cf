"""The ingest pipeline, in phases: plan → embed → check declared → journaled write → relink → publish.

Re-indexing costs what changed: a source whose content hash is unchanged is skipped, and in a
changed source only sentences whose text is new are embedded (vectors of unchanged sentences are
reused, like `llm`'s content hashes). Each phase lives in its own module (`plan`, `prepare`,
`write`, `relink`); this one holds the order, the lock and the journal.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import heap, sourcelist
from .embed import Embedder
from .lock import IngestLock
from .migrations import upgrade
from .plan import Job, expand, plan, recover
from .prepare import check_declared, embed, rows_of
from .corrections.relink import Judge, relink
from .report import IngestReport, Progress, SourceResult
from .settings import Settings
from .store import Store, StoreError, disk_error_text
from .swap import finish_swap
from .upgrades import UpgradeRecord
from .write import is_under, prune_missing, write_sources

log = logging.getLogger(__name__)


class DecisionsUnreadable(StoreError):
    """corrections.yml cannot be read: nothing is written until it is fixed (`Indexer.check_decisions`)."""

__all__ = ["IngestReport", "Indexer", "Judge", "Progress", "SourceResult", "relink"]


def _detector_caches() -> Iterator:
    """The correction detector's memo caches: every `functools.lru_cache` function defined in a
    loaded `ingest.corrections` module (found, not listed: the detector's modules add their own)."""
    seen: set[int] = set()
    for name, mod in list(sys.modules.items()):
        if mod is None or not (name == "ingest.corrections" or name.startswith("ingest.corrections.")):
            continue
        for fn in list(vars(mod).values()):
            if callable(getattr(fn, "cache_clear", None)) and hasattr(fn, "cache_info") and id(fn) not in seen \
                    and str(getattr(fn, "__module__", "")).startswith("ingest.corrections"):
                seen.add(id(fn))
                yield fn


def detector_cache_entries() -> int:
    """How many entries the detector's memo caches hold (0 between runs: `drop_detector_caches`)."""
    return sum(fn.cache_info().currsize for fn in _detector_caches())


def drop_detector_caches() -> int:
    """Empty the detector's memo caches when a run ends; returns how many entries they held.

    They serve one run's relinking (a sentence is read against many candidates), but a relink of
    the whole archive leaves them full: at 100k sentences ~1.4 M entries and ~2.2 M objects the
    garbage collector tracks. Kept, they cost nothing until the process's next full collection,
    which walks them all (1.5-2.8 s each at 100k) inside whatever runs then: the benchmark's first
    edit after a fresh ingest paid it in planning (1.80 s, against 0.22-0.30 s in a process that
    had not relinked the archive). Emptied, the next run pays a few recomputations instead."""
    n = 0
    for fn in _detector_caches():
        n += fn.cache_info().currsize
        fn.cache_clear()
    return n


class Indexer:
    """Owns the store and the embedder for one ingest run (or many, in --watch).

    `judge`: the optional correction judge (an LLM, from `bot.judge`), passed in by the adapter."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, judge: Judge | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embed_model, settings.embed_device,
                                             quantize=settings.embed_quantize)
        self.judge = judge
        self._store: Store | None = None
        self.guard: Callable[[], None] | None = None  # while a run holds the lock: its lease check
        # Told when opening the index upgraded it (migrations ran or links were recomputed): the
        # adapter says so to the user. `upgraded` keeps this process's latest record.
        self.on_upgrade: Callable[[UpgradeRecord], None] | None = None
        self.upgraded: UpgradeRecord | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings, create=True)
        self._store.guard = self.guard
        return self._store

    @contextmanager
    def locked(self, *, migrate: bool = True) -> Iterator[IngestLock]:
        """Hold the ingest lock (and, on a server, the writer lease) with every write checked;
        finish a rebuild's interrupted swap and (unless `migrate` is off: a rebuild must not
        touch the old index) upgrade an older index's schema first."""
        with IngestLock(self.settings) as lock, heap.run():  # what a run froze is handed back (ingest/heap.py)
            self.guard = lock.guard
            try:
                if finish_swap(self.settings):  # a new index under the same path: not this process's cached client
                    self._store = None if self.settings.server_mode else Store(self.settings, create=True, fresh=True)
                if migrate:  # (a rebuild opens nothing of the old index: it may be damaged)
                    record = upgrade(self.store(), self.settings)
                    if record is not None:
                        self.upgraded = record
                        if self.on_upgrade is not None:
                            self.on_upgrade(record)
                    self.store().manifest.cache_records(True)  # nobody else writes them meanwhile
                yield lock
            finally:
                self.guard = None
                if self._store is not None:
                    self._store.mirror.settle(self._store)  # in step though nothing was published
                    self._store.guard = None
                    self._store.manifest.cache_records(False)
                drop_detector_caches()

    # -- entry points -------------------------------------------------------------------------
    def ingest(self, targets: Sequence[str], *, prune: bool = False, rebuild: bool = False,
               drop_missing: bool = False, progress: Progress | None = None) -> IngestReport:
        """Index `targets`. `rebuild`: build a new index beside the old one from every recorded
        source plus `targets`, and swap only when that succeeded (see `ingest.rebuild`)."""
        self.check_decisions()
        if rebuild:
            from .rebuild import rebuild_index

            return rebuild_index(self, targets, drop_missing=drop_missing, progress=progress)
        report = IngestReport()
        jobs, failed, folders = expand(self.settings, targets)  # URLs fetched before the lock
        report.results.extend(failed)
        with self.locked():
            self.run(jobs, folders, report, prune=prune, progress=progress)
            self.record_sources(folders, report)
        return report

    def run(self, jobs: Sequence[Job], folders: list[Path], report: IngestReport, *, prune: bool = False,
            progress: Progress | None = None) -> None:
        """One ingest run, phase by phase; the caller holds the lock."""
        store = self.store()
        store.check_model(self.embedder.identity, self.embedder.dim, record=True)
        crashed = store.journal_open()
        recovered = recover(store) if crashed else set()
        todo = plan(store, jobs, report, self.settings)
        embed(self.embedder, todo.pending, progress)
        pending = check_declared(store, todo.pending, todo.manifest, report)
        refused = {p.source.id for p in todo.pending} - {p.source.id for p in pending}
        todo.replaced = {old: new for old, new in todo.replaced.items() if new not in refused}  # kept as it was
        journal = bool(pending or prune or crashed or todo.dropped or todo.replaced)
        if journal:
            store.begin_journal("ingest")
        heap.settle()  # the parsed sources and their vectors live to the end: out of the collector's walks
        write_sources(store, pending)
        for sid in [*todo.dropped, *todo.replaced]:
            store.delete_source(sid)
        removed = prune_missing(store, todo.manifest, folders, {p.source.id for p in pending} | set(todo.seen)) \
            if prune else []
        edits = {p.source.id: c for p in pending if (c := p.changed()) is not None}
        heap.settle()  # and the rows and cues written
        self._relink(store, {p.source.id for p in pending}, {*removed, *todo.dropped, *todo.replaced, *recovered},
                     report, edits, {p.source.id: rows_of(p) for p in pending})
        store.mark_sources([(p.source, len(p.sentences)) for p in pending], "complete",
                           {p.source.id: p.fingerprint for p in pending})
        if todo.refresh:
            store.manifest.set_fingerprints(todo.refresh)
        report.results += [SourceResult(p.target, p.status, p.source.id, sentences=len(p.sentences),
                                        embedded=p.embedded) for p in pending]
        report.results += [SourceResult(sid, "removed", sid) for sid in [*removed, *todo.dropped]]
        report.results += [SourceResult(sid, "removed", sid, reason=f"its file now has id {new!r}")
                           for sid, new in todo.replaced.items()]
        if journal:
            self._publish(store)

    def remove(self, source_ids: Iterable[str]) -> IngestReport:
        self.check_decisions()
        report = IngestReport()
        with self.locked():
            store = self.store()
            crashed = store.journal_open()
            recovered = recover(store) if crashed else set()
            manifest = store.source_records()
            gone: list[str] = []
            for sid in source_ids:
                if sid not in manifest:
                    report.fail(sid, "no source with that id (see `factdesk sources`)", sid)
                    continue
                if not gone:
                    store.begin_journal("remove")
                store.delete_source(sid)
                gone.append(sid)
                report.results.append(SourceResult(sid, "removed", sid))
            if gone or crashed:
                # Half-written (`writing`) sources stay marked; the next ingest redoes them.
                self._relink(store, set(), set(gone) | recovered, report)
                self._publish(store)
            self.record_sources([], report)
        return report

    def check_decisions(self) -> None:
        """Refuse to write while the editor's decisions cannot be read: every write relinks and
        replays them, and relinking without them drops the editor's links and shows the links the
        editor rejected as flags again, to every reader, until the file is fixed."""
        from .corrections import review

        try:
            review.load(review.decisions_path(self.settings))
        except review.ReviewError as e:
            raise DecisionsUnreadable(f"{e}: fix it and run again; nothing was indexed (indexing now would "
                                      "drop the editor's decisions from the index)") from None

    # -- phases -----------------------------------------------------------------------------------
    def _relink(self, store: Store, affected: set[str], removed: set[str], report: IngestReport,
                changed: dict[str, set[int]] | None = None, known: dict[str, list] | None = None) -> None:
        report.flagged, report.unflagged = relink(store, affected, removed, report.warnings, judge=self.judge,
                                                  changed=changed, known=known)

    @staticmethod
    def _publish(store: Store) -> None:
        """Summed term counts under a new generation, then the journal closed: readers reopen."""
        store.publish_generation()
        store.end_journal()

    def record_sources(self, folders: Sequence[Path], report: IngestReport) -> None:
        """Rewrite the plain sources list (`ingest.sourcelist`) from the manifest: every complete
        source, and the folders given so far that still exist or still hold a listed source."""
        store = self.store()
        records = {sid: r for sid, r in store.source_records().items() if r.state == "complete"}
        old = sourcelist.read(self.settings.data_dir)
        known = [*(old.folders if old else []), *(str(f) for f in folders)]
        keep = [f for f in dict.fromkeys(known)
                if Path(f).is_dir() or any(is_under(Path(r.path or "/"), Path(f)) for r in records.values())]
        try:
            sourcelist.write(self.settings.data_dir, sourcelist.from_records(records, keep))
        except OSError as e:
            report.warnings.append(f"could not write {sourcelist.list_path(self.settings.data_dir)}: "
                                   f"{disk_error_text(e)}; `ingest --rebuild` relies on it")
