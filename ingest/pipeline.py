"""The ingest pipeline: load → clean → split → embed (only what changed) → store → relink.

Re-indexing costs what changed: a source whose content hash is unchanged is skipped, and in a
changed source only sentences whose text is new are embedded (vectors of unchanged sentences
are reused, like `llm`'s content hashes).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import corrections as corr
from .embed import Embedder
from .fetch import FetchLimits, fetch
from .loaders import SourceError, iter_files, load_file
from .origins import is_url, keep_recorded_id, origin_clash, origin_of, source_from_page
from .lock import IngestLock
from .records import Sentence, Source
from .settings import Settings
from .split import split_sentences
from .store import IndexDamaged, Store, StoreError

log = logging.getLogger(__name__)


@dataclass
class SourceResult:
    target: str
    status: str  # added | updated | unchanged | removed | failed
    source_id: str = ""
    reason: str = ""
    sentences: int = 0
    embedded: int = 0

    def line(self) -> str:
        name = self.source_id or self.target
        if self.status == "failed":
            return f"failed: {self.target}: {self.reason}"
        detail = f" ({self.sentences} sentences, {self.embedded} embedded)" if self.status in ("added", "updated") else ""
        return f"{self.status}: {name}{detail}"


@dataclass
class IngestReport:
    results: list[SourceResult] = field(default_factory=list)
    flagged: int = 0
    unflagged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(r.status == "failed" for r in self.results)

    @property
    def embedded(self) -> int:
        return sum(r.embedded for r in self.results)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out


Progress = Callable[[str, int], None]  # (event, n): ("total", n) once, then ("advance", n)


@dataclass
class _Pending:
    source: Source
    target: str
    sentences: list[Sentence]
    status: str
    reuse: dict[str, np.ndarray]
    vectors: np.ndarray | None = None
    embedded: int = 0


class Indexer:
    """Owns the store and the embedder for one ingest run (or many, in --watch)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embed_model, settings.embed_device, quantize=settings.embed_quantize)
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings, create=True)
        return self._store

    # -- targets ----------------------------------------------------------------------
    def _fetch_limits(self) -> FetchLimits:
        s = self.settings
        return FetchLimits(s.fetch_timeout, s.fetch_max_bytes, s.allow_private_urls)

    def _expand(self, targets: Sequence[str]) -> tuple[list[tuple[str, Callable[[], Source]]], list[SourceResult], list[Path]]:
        jobs: list[tuple[str, Callable[[], Source]]] = []
        failed: list[SourceResult] = []
        folders: list[Path] = []
        for t in targets:
            if is_url(t):
                # Fetched now, before the caller takes the ingest lock: a slow server holds up no writer.
                try:
                    page = fetch(t, self._fetch_limits())
                except SourceError as e:
                    failed.append(SourceResult(t, "failed", reason=str(e)))
                    continue
                jobs.append((t, lambda page=page: source_from_page(page)))
                continue
            p = Path(t).expanduser()
            if p.is_dir():
                folders.append(p.resolve())
                files = list(iter_files(p))
                if not files:
                    failed.append(SourceResult(t, "failed", reason="no .txt, .md or .html files in this folder"))
                jobs.extend((str(f), lambda f=f, root=p: load_file(f, root)) for f in files)
            elif p.exists():
                jobs.append((str(p), lambda p=p: load_file(p)))
            else:
                failed.append(SourceResult(t, "failed", reason="no such file or folder"))
        return jobs, failed, folders

    # -- main entry -----------------------------------------------------------------------
    def ingest(self, targets: Sequence[str], *, prune: bool = False, rebuild: bool = False,
               progress: Progress | None = None) -> IngestReport:
        report = IngestReport()
        jobs, failed, folders = self._expand(targets)
        report.results.extend(failed)
        with IngestLock(self.settings):
            if rebuild:
                self._wipe()
            store = self.store()
            store.check_model(self.embedder.identity, self.embedder.dim, record=True)
            crashed = store.journal_open()
            recovered = self._recover(store) if crashed else set()
            manifest = store.source_records()
            pending: list[_Pending] = []
            seen: dict[str, str] = {}
            unchanged: list[tuple[Source, int]] = []
            origins = {origin_of(rec): sid for sid, rec in manifest.items()}
            for target, load in jobs:
                try:
                    src = keep_recorded_id(load(), origins)
                except SourceError as e:
                    report.results.append(SourceResult(target, "failed", reason=str(e)))
                    continue
                except Exception as e:  # a loader bug must not stop the other sources
                    log.exception("loading %s", target)
                    report.results.append(SourceResult(target, "failed", reason=f"{type(e).__name__}: {e}"))
                    continue
                if src.id in seen:
                    report.results.append(SourceResult(target, "failed", src.id,
                                                       f"id {src.id!r} is also used by {seen[src.id]}; set a unique `id:` in its front matter"))
                    continue
                seen[src.id] = target
                old = manifest.get(src.id)
                clash = origin_clash(old, src)
                if clash:
                    report.results.append(SourceResult(target, "failed", src.id, clash))
                    continue
                if old and old.get("state") == "complete" and old.get("sha256") == src.sha256 and not rebuild:
                    report.results.append(SourceResult(target, "unchanged", src.id, sentences=int(old.get("sentences", 0))))
                    unchanged.append((src, int(old.get("sentences", 0))))
                    continue
                status = "updated" if old else "added"
                reuse = {}
                if old:
                    reuse = {r["text"]: r["vector"] for r in store.source_sentences(src.id, with_vectors=True)}
                pending.append(_Pending(src, target, split_sentences(src.id, src.text), status, reuse))

            # Sources indexed before term counts were stored get them now (no embedding needed).
            if unchanged:
                have = store.with_term_counts([src.id for src, _ in unchanged])
                store.mark_sources([(src, n) for src, n in unchanged if src.id not in have], "complete")

            # A `writing` record this run did not load is a crashed run's half-written source:
            # redo it from its file, or, when that is gone, finish it off.
            stale = [sid for sid, rec in manifest.items() if rec.get("state") != "complete" and sid not in seen]
            redo, dropped = self._redo_stale(stale, manifest, report)
            pending += redo

            self._embed(pending, progress)
            pending = self._check_declared(pending, manifest, report)

            journal = bool(pending or prune or crashed or dropped)
            if journal:
                store.begin_journal("ingest")
            # Write content first; the manifest says `complete` only after links are true.
            bumped = time.monotonic()
            # Sources go in groups (few large writes, not three small ones per source); within a
            # group the order is the same: records say `writing` before their sentences land.
            for group in _groups(pending, store.max_batch):
                store.mark_sources([(p.source, len(p.sentences)) for p in group], "writing")
                store.put_sentences_many([(p.source, p.sentences, p.vectors,
                                           [corr.sentence_meta(s.text) for s in p.sentences]) for p in group])
                if time.monotonic() - bumped > 1.0:  # readers in other processes reopen and see
                    store.bump_generation()          # what is written so far (a write costs ~50 ms)
                    bumped = time.monotonic()
            for sid in dropped:
                store.delete_source(sid)
            removed = self._prune(store, manifest, folders, {p.source.id for p in pending} | set(seen)) if prune else []
            affected = {p.source.id for p in pending}
            report.flagged, report.unflagged = relink(store, affected, set(removed) | set(dropped) | recovered,
                                                      report.warnings)
            store.mark_sources([(p.source, len(p.sentences)) for p in pending], "complete")
            for p in pending:
                report.results.append(SourceResult(p.target, p.status, p.source.id,
                                                   sentences=len(p.sentences), embedded=p.embedded))
            report.results.extend(SourceResult(sid, "removed", sid) for sid in [*removed, *dropped])
            if journal:
                store.publish_generation()
                store.end_journal()
            elif (store.term_totals() or ("",))[0] != store.generation():
                store.publish_generation()  # an index from before summed counts were stored
        return report

    def _recover(self, store: Store) -> set[str]:
        """After a crash: finish interrupted removals and delete sentences that no manifest record
        owns. Returns the ids of sources that are gone, so their links are re-derived.
        (`writing` records are redone by the caller, like any changed source.)"""
        gone: set[str] = set()
        for sid, rec in store.source_records().items():
            if rec.get("state") == "removing":
                store.delete_source(sid)
                gone.add(sid)
        records = store.source_records()
        for sid, ids in store.sentence_sources().items():
            if sid not in records:
                store.delete_sentences(ids)
                gone.add(sid)
        # Links whose sentences belong to no source any more are stale too.
        for lk in store.all_links():
            gone |= {s for s in lk.sources() if s not in records}
        if gone:
            log.info("recovered from an interrupted ingest: swept %s", sorted(gone))
        return gone

    def _redo_stale(self, stale: list[str], manifest: dict[str, Any],
                    report: IngestReport) -> tuple[list[_Pending], list[str]]:
        redo: list[_Pending] = []
        dropped: list[str] = []
        for sid in stale:
            rec = manifest[sid]
            path, url = rec.get("path") or "", origin_of(rec)
            try:
                if path and Path(path).exists():
                    src = load_file(Path(path))
                elif not path and is_url(url):
                    src = source_from_page(fetch(url, self._fetch_limits()))
                else:
                    raise SourceError("its file is gone")
                if src.id != sid:
                    raise SourceError(f"its file now has id {src.id!r}")
            except Exception as e:  # noqa: BLE001 — any failure: the half-written source must go
                report.warnings.append(f"{sid}: an interrupted ingest left it half-written and it "
                                       f"cannot be redone ({e}); removed it")
                dropped.append(sid)
                continue
            reuse = {r["text"]: r["vector"] for r in self.store().source_sentences(sid, with_vectors=True)}
            redo.append(_Pending(src, path or url, split_sentences(sid, src.text), "updated", reuse))
        return redo, dropped

    def remove(self, source_ids: Iterable[str]) -> IngestReport:
        report = IngestReport()
        with IngestLock(self.settings):
            store = self.store()
            crashed = store.journal_open()
            recovered = self._recover(store) if crashed else set()
            manifest = store.source_records()
            gone: list[str] = []
            for sid in source_ids:
                if sid not in manifest:
                    report.results.append(SourceResult(sid, "failed", sid, "no source with that id (see `factdesk sources`)"))
                    continue
                if not gone:
                    store.begin_journal("remove")
                store.delete_source(sid)
                gone.append(sid)
                report.results.append(SourceResult(sid, "removed", sid))
            if gone or crashed:
                # Half-written (`writing`) sources stay marked; the next ingest redoes them.
                report.flagged, report.unflagged = relink(store, set(), set(gone) | recovered, report.warnings)
                store.publish_generation()
                store.end_journal()
        return report

    # -- steps ------------------------------------------------------------------------------
    def _embed(self, pending: list[_Pending], progress: Progress | None) -> None:
        todo = [(p, i) for p in pending for i, s in enumerate(p.sentences) if s.text not in p.reuse]
        if progress:
            progress("total", len(todo))
        vecs = self.embedder.embed([p.sentences[i].text for p, i in todo],
                                   progress=(lambda n: progress("advance", n)) if progress else None)
        dim = vecs.shape[1] if len(todo) else self.embedder.dim
        fresh = {}
        for (p, i), v in zip(todo, vecs):
            fresh[(id(p), i)] = v
        for p in pending:
            out = np.zeros((len(p.sentences), dim), dtype=np.float32)
            for i, s in enumerate(p.sentences):
                if (id(p), i) in fresh:
                    out[i] = fresh[(id(p), i)]
                    p.embedded += 1
                else:
                    out[i] = p.reuse[s.text]
            p.vectors = out

    def _check_declared(self, pending: list[_Pending], manifest: dict[str, Any], report: IngestReport) -> list[_Pending]:
        """A source whose `corrects:` entries do not resolve fails whole, before anything is written."""
        batch = {p.source.id: p for p in pending}
        keep = []
        for p in pending:
            if not p.source.corrects:
                keep.append(p)
                continue
            targets: dict[str, list[corr.Row]] = {}
            for e in p.source.corrects:
                sid = e["source"]
                if sid in targets:
                    continue
                if sid in batch:
                    q = batch[sid]
                    targets[sid] = [_row(s, q.vectors[i], q.source.published) for i, s in enumerate(q.sentences)]
                elif sid in manifest:
                    targets[sid] = [corr.Row.of(r) for r in self.store().source_sentences(sid, with_vectors=True)]
            own = [_row(s, p.vectors[i], p.source.published) for i, s in enumerate(p.sentences)]
            try:
                corr.declared_links(p.source.id, p.source.corrects, own, targets)
            except corr.DeclaredError as e:
                report.results.append(SourceResult(p.target, "failed", p.source.id, str(e)))
                continue
            keep.append(p)
        return keep

    def _prune(self, store: Store, manifest: dict[str, Any], folders: list[Path], present: set[str]) -> list[str]:
        removed = []
        for sid, rec in manifest.items():
            path = rec.get("path") or ""
            if not path or sid in present:
                continue
            p = Path(path)
            if any(_is_under(p, f) for f in folders) and not p.exists():
                store.delete_source(sid)
                removed.append(sid)
        return removed

    def _wipe(self) -> None:
        """--rebuild: drop the collections (or a damaged folder) and start clean."""
        self._store = None
        s = self.settings
        if not s.server_mode:
            folder = Path(s.data_dir) / "chroma"
            if folder.exists():
                shutil.rmtree(folder)
            # This process may hold a cached client of the deleted files: start from a fresh one.
            self._store = Store(s, create=True, fresh=True)
            return
        try:
            store = Store(s, create=True)
            for name in store.names.values():
                store.client.delete_collection(name)
        except StoreError:
            raise
        except Exception as e:
            raise IndexDamaged(f"could not reset the index at {s.index_location}: {e}") from None


def _groups(pending: list[_Pending], max_sentences: int) -> Iterable[list[_Pending]]:
    """Consecutive sources holding up to ~max_sentences sentences together (at least one each)."""
    group: list[_Pending] = []
    n = 0
    for p in pending:
        if group and n + len(p.sentences) > max_sentences:
            yield group
            group, n = [], 0
        group.append(p)
        n += len(p.sentences)
    if group:
        yield group


def _is_under(p: Path, folder: Path) -> bool:
    try:
        p.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


_row = corr.row
relink = corr.relink  # the corrections package owns relinking; ingest calls it through this name


