"""The first phase of an ingest: what is there to do?

`expand` turns targets (files, folders, URLs) into load jobs — URLs are fetched here, before the
ingest lock is taken, so a slow server holds up no writer. `plan` loads each job and compares it
with the manifest: unchanged (same content hash, and every sentence really stored), added, updated,
or failed with a one-line reason; and it picks up what a crashed run left half-written. Nothing is
embedded or written here except the crash sweep (`recover`), which runs under the lock.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .fetch import FetchLimits, fetch
from .fingerprint import digest, file_stat, fingerprint, mark, same_stat, worth_recording
from .loaders import SourceError, iter_files, load_file, parse_file, read_file
from .origins import is_url, keep_recorded_id, origin_clash, origin_of, source_from_page
from .records import Sentence, Source, SourceRecord
from .report import IngestReport, SourceResult
from .settings import Settings
from .split import split_sentences
from .store import Store

log = logging.getLogger(__name__)

Job = tuple[str, Callable[[], Source]]  # (target as given, how to load it)


@dataclass
class FileJob:
    """Loading a file, in two steps the planner can stop between: `read` (checks and bytes, to
    fingerprint) and `parse`; calling it does both."""

    path: Path
    root: Path | None = None

    def read(self) -> tuple[Path, bytes]:
        return read_file(self.path, self.root)

    def stat(self, dirs: dict[str, str]) -> tuple[str, os.stat_result] | None:
        return file_stat(self.path, self.root, dirs)

    def marked(self) -> tuple[Path, bytes, str]:
        """Read the file: its real path, bytes and what its record keeps (`ingest.fingerprint.mark`)."""
        began = time.time_ns()
        real, data = self.read()
        return real, data, mark(fingerprint(data), file_stat(real, None, {}), began)

    def parse(self, real: Path, data: bytes) -> Source:
        return parse_file(self.path, real, data)

    def __call__(self) -> Source:
        return load_file(self.path, self.root)


@dataclass
class Pending:
    """A source to (re)write: its sentences, the vectors it can reuse, and later its vectors."""

    source: Source
    target: str
    sentences: list[Sentence]
    status: str  # added | updated
    reuse: dict[str, np.ndarray]
    vectors: np.ndarray | None = None
    embedded: int = 0
    fingerprint: str = ""  # of the file it was read from (`ingest.fingerprint`), "" for pages
    old: dict[int, str] | None = None  # the stored version's sentences by position (None: new source)
    old_published: str = ""

    def may_shrink(self) -> bool:
        """Whether sentences past this version's end may be stored (an older, longer version, or
        one whose stored sentences are not known): only then is the tail deleted."""
        if self.status == "added":
            return False
        return self.old is None or any(i >= len(self.sentences) for i in self.old)

    def changed(self) -> set[int] | None:
        """Positions whose sentence is new or different from the stored version's, and those past
        its new end; None when the whole source must be relinked (new, or its date changed)."""
        if self.old is None or self.old_published != self.source.published:
            return None
        now = {s.index: s.text for s in self.sentences}
        return {i for i in now.keys() | self.old.keys() if now.get(i) != self.old.get(i)}


@dataclass
class Plan:
    pending: list[Pending] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)  # source id -> target it was loaded from
    dropped: list[str] = field(default_factory=list)  # half-written sources that cannot be redone
    manifest: dict[str, SourceRecord] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)  # unchanged source id -> fingerprint to record
    # Ids whose file now declares another id (its `id:` edited): the file is indexed under the new
    # one, so the old record would keep every sentence a second time, never missing, never pruned.
    replaced: dict[str, str] = field(default_factory=dict)  # old id -> the id its file declares now


def fetch_limits(s: Settings) -> FetchLimits:
    return FetchLimits(s.fetch_timeout, s.fetch_max_bytes, s.allow_private_urls)


def expand(settings: Settings, targets: Sequence[str]) -> tuple[list[Job], list[SourceResult], list[Path]]:
    """Load jobs for the targets, targets that failed already, and the folders that yielded files
    (only those may be pruned: an emptied or unmounted folder never is)."""
    jobs: list[Job] = []
    failed: list[SourceResult] = []
    folders: list[Path] = []
    listed: set[str] = set()  # a file reached twice (a folder and a file in it, one folder twice) is one job

    def once(path: Path) -> bool:
        key = os.path.abspath(path)  # a string operation: no system call per file of a large archive
        if key in listed:
            return False
        listed.add(key)
        return True

    for t in targets:
        if is_url(t):
            if t in listed:
                continue
            listed.add(t)
            try:
                page = fetch(t, fetch_limits(settings))
            except SourceError as e:
                failed.append(SourceResult(t, "failed", reason=str(e)))
                continue
            jobs.append((t, lambda page=page: source_from_page(page)))
            continue
        p = Path(t).expanduser()
        if p.is_dir():
            files = list(iter_files(p))
            if files:
                folders.append(p.resolve())
            else:
                failed.append(SourceResult(t, "failed", reason="no .txt, .md or .html files in this folder; "
                                           "nothing pruned"))
            jobs.extend((str(f), FileJob(f, p)) for f in files if once(f))
        elif p.exists():
            if once(p):
                jobs.append((str(p), FileJob(p)))
        else:
            failed.append(SourceResult(t, "failed", reason="no such file or folder"))
    return jobs, failed, folders


def _pending(store: Store, src: Source, target: str, status: str, old: SourceRecord | None, fp: str = "",
             *, whole: bool = False) -> Pending:
    """A source to write, with what its stored version lets it reuse: vectors by sentence text
    (unchanged sentences are not re-embedded) and the old sentences by position (relinking then
    re-derives only what changed; `whole`: a repaired or half-written source is relinked whole)."""
    p = Pending(src, target, split_sentences(src.id, src.text), status, {}, fingerprint=fp)
    if old is not None:
        rows = store.source_sentences(src.id, with_vectors=True)
        p.reuse = {r.text: r.vector for r in rows}
        # Only a complete record's sentences are the old version: a crashed run may have written
        # some of the new ones already (`writing`), and then what changed is not known.
        if not whole and old.state == "complete":
            p.old, p.old_published = {r.index: r.text for r in rows}, old.published
    return p


def plan(store: Store, jobs: Sequence[Job], report: IngestReport, settings: Settings) -> Plan:
    out = Plan(manifest=store.source_records())
    unchanged: list[tuple[str, int, Callable[[], tuple[Source, str]]]] = []  # id, sentences, (source, fingerprint)
    origins = {origin_of(rec): sid for sid, rec in out.manifest.items()}
    # A file whose bytes (and loading code) match a complete record of the same path is unchanged
    # without being parsed: an unchanged or one-file re-ingest of a large archive parses nothing else.
    by_path = {rec.path: sid for sid, rec in out.manifest.items()
               if rec.path and rec.fingerprint and rec.state == "complete"}
    dirs: dict[str, str] = {}  # folder -> its real path, resolved once
    loaded: dict[str, str] = {}  # real path of each file indexed (or unchanged) this run -> its id
    parsed: dict[str, str] = {}  # real path of each file parsed this run -> the id it declares
    clashes: list[tuple[str, Source, str, str]] = []  # (target, source, fingerprint, why) of ids held elsewhere
    for target, load in jobs:
        fp = ""
        try:
            if isinstance(load, FileJob):
                # Unchanged by its stat (not read at all), or by the digest of its bytes (not parsed).
                quick = None if settings.hash_all_files else load.stat(dirs)
                sid = by_path.get(quick[0], "") if quick else ""
                if sid and sid not in out.seen and same_stat(out.manifest[sid].fingerprint, quick[1]):
                    _unchanged(out, report, unchanged, sid, target,
                               lambda load=load, fp=out.manifest[sid].fingerprint: (load.parse(*load.read()), fp))
                    continue
                real, data, fp = load.marked()
                sid = by_path.get(str(real), "")
                if sid and sid not in out.seen and digest(out.manifest[sid].fingerprint) == digest(fp):
                    _unchanged(out, report, unchanged, sid, target,
                               lambda load=load, real=real, data=data, fp=fp: (load.parse(real, data), fp))
                    if worth_recording(out.manifest[sid].fingerprint, fp):  # touched, or settled since
                        out.refresh[sid] = fp
                    continue
                src = keep_recorded_id(load.parse(real, data), origins)
            else:
                src = keep_recorded_id(load(), origins)
        except SourceError as e:
            report.fail(target, str(e))
            continue
        except Exception as e:  # a loader bug must not stop the other sources
            log.exception("loading %s", target)
            report.fail(target, f"{type(e).__name__}: {e}")
            continue
        if src.id in out.seen:
            report.fail(target, f"id {src.id!r} is also used by {out.seen[src.id]}; set a unique `id:` in its "
                        "front matter", src.id)
            continue
        out.seen[src.id] = target
        if src.path:
            parsed[src.path] = src.id
        old = out.manifest.get(src.id)
        clash = origin_clash(old, src)
        if clash:
            clashes.append((target, src, fp, clash))  # decided once every file of the run is read
            continue
        _accept(store, out, report, unchanged, loaded, target, src, fp)
    # An id claimed from a file that still exists may move when that file now declares another id
    # (two files that swapped names); otherwise the clash stands.
    for target, src, fp, clash in clashes:
        before = out.manifest[src.id].path
        if before and parsed.get(before, src.id) != src.id:
            _accept(store, out, report, unchanged, loaded, target, src, fp)
        else:
            report.fail(target, clash, src.id)
    out.replaced = {sid: loaded[rec.path] for sid, rec in sorted(out.manifest.items())
                    if rec.path in loaded and loaded[rec.path] != sid and sid not in out.seen}
    # A source marked complete must hold its sentences (another writer, or a damaged server, may
    # have removed some): one that does not is repaired like a changed source.
    short = _incomplete(store, out.manifest, [(sid, n) for sid, n, _ in unchanged])
    if short:
        log.warning("sources marked complete but missing sentences, repaired: %s", sorted(short))
        report.results = [r for r in report.results if not (r.status == "unchanged" and r.source_id in short)]
    for sid, _, again in unchanged:
        if sid in short:
            src, fp = again()
            out.refresh.pop(sid, None)
            out.pending.append(_pending(store, src, out.seen[sid], "updated", out.manifest[sid], fp, whole=True))
    # A `writing` record this run did not load is a crashed run's half-written source: redo it
    # from its file, or, when that is gone, finish it off.
    stale = [sid for sid, rec in out.manifest.items() if rec.state != "complete" and sid not in out.seen]
    for sid in stale:
        try:
            src, origin = _reload(out.manifest[sid], sid, settings)
        except Exception as e:  # noqa: BLE001 — any failure: the half-written source must go
            report.warnings.append(f"{sid}: an interrupted ingest left it half-written and it "
                                   f"cannot be redone ({e}); removed it")
            out.dropped.append(sid)
            continue
        out.pending.append(_pending(store, src, origin, "updated", out.manifest[sid], whole=True))
    return out


def _accept(store: Store, out: Plan, report: IngestReport, unchanged: list, loaded: dict[str, str], target: str,
            src: Source, fp: str) -> None:
    """A parsed source that may take its id: unchanged, or to (re)write."""
    old = out.manifest.get(src.id)
    if src.path:
        loaded[src.path] = src.id
    # Same bytes at another path (a file renamed, its id kept) is not unchanged: its record must
    # follow the file, or the source reads as missing and `remove OLD-PATH` would drop it. It is
    # rewritten as updated, every vector reused and nothing relinked (no sentence changed).
    if old and old.state == "complete" and old.sha256 == src.sha256 and (old.path or "") == (src.path or ""):
        report.results.append(SourceResult(target, "unchanged", src.id, sentences=old.sentences))
        unchanged.append((src.id, old.sentences, lambda src=src, fp=fp: (src, fp)))
        if fp and old.fingerprint != fp:
            out.refresh[src.id] = fp
        return
    out.pending.append(_pending(store, src, target, "updated" if old else "added", old, fp))


def _unchanged(out: Plan, report: IngestReport, unchanged: list, sid: str, target: str,
               again: Callable[[], tuple[Source, str]]) -> None:
    out.seen[sid] = target
    n = out.manifest[sid].sentences
    report.results.append(SourceResult(target, "unchanged", sid, sentences=n))
    unchanged.append((sid, n, again))


def _incomplete(store: Store, manifest: dict[str, SourceRecord], items: list[tuple[str, int]]) -> set[str]:
    """Which unchanged sources lack sentences. When every record is complete and the index holds
    exactly as many sentences as they list, none does (one count, not a read of every id: a
    crashed run's leftovers are swept before planning, so nothing else can make up the number)."""
    if all(r.state == "complete" for r in manifest.values()) and \
            store.count() == sum(r.sentences for r in manifest.values()):
        return set()
    return store.incomplete(items)


def _reload(rec: SourceRecord, sid: str, settings: Settings) -> tuple[Source, str]:
    path, url = rec.path, origin_of(rec)
    if path and Path(path).exists():
        src = load_file(Path(path))
    elif not path and is_url(url):
        src = source_from_page(fetch(url, fetch_limits(settings)))
    else:
        raise SourceError("its file is gone")
    if src.id != sid:
        raise SourceError(f"its file now has id {src.id!r}")
    return src, path or url


def recover(store: Store) -> set[str]:
    """After a crash: finish interrupted removals and delete sentences that no manifest record
    owns. Returns the ids of sources that are gone, so their links are re-derived. (`writing`
    records are redone by `plan`, like any changed source.) Runs only under the ingest lock (and,
    on a server, the writer lease), so the open journal it acts on is never a live writer's."""
    gone: set[str] = set()
    for sid, rec in store.source_records().items():
        if rec.state == "removing":
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
