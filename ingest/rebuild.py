"""`factdesk ingest --rebuild` without loss.

A rebuild re-reads every source the index records — from the plain list in the data folder
(`ingest.sourcelist`, readable when Chroma's files are not) and from Chroma's manifest when that
still opens — plus any paths given: recorded folders whole, files and URLs one by one. Everything
is loaded before anything is written; if a recorded source (or a given path) cannot be loaded the
rebuild is refused and nothing changes, unless `drop_missing` says to go on without it. The new
index is built beside the old one and swapped in only when every source it must hold is complete
in it (`ingest.swap`); any failure on the way — a full disk, a bad declared correction, Ctrl-C —
deletes the half-built index and leaves the old one as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import sourcelist
from .corrections import DETECTOR_VERSION
from .migrations import LATEST
from .origins import is_url, keep_recorded_id
from .records import Source
from .plan import expand
from .report import IngestReport, Progress, SourceResult
from .store import Store
from .write import is_under
from .swap import ASIDE, aside_settings, discard_aside, finish_swap, swap_in

if TYPE_CHECKING:
    from .pipeline import Indexer
    from .settings import Settings

log = logging.getLogger(__name__)


@dataclass
class _Plan:
    jobs: list[tuple[str, Callable[[], Source]]] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    required: set[str] = field(default_factory=set)  # ids the new index must hold to be swapped in
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, id, reason)


def recorded_sources(indexer: Indexer) -> sourcelist.SourceList:
    """Every source the index records: the plain list, plus Chroma's manifest if it opens."""
    from_chroma = None
    try:
        records = {sid: r for sid, r in Store(indexer.settings).source_records().items()
                   if r.state != "removing"}
        from_chroma = sourcelist.from_records(records, [])
    except Exception as e:  # noqa: BLE001 — a damaged or missing index: the plain list must do
        log.info("rebuild: Chroma's manifest is unreadable (%s); using %s", e,
                 sourcelist.list_path(indexer.settings.data_dir))
    return sourcelist.merged(from_chroma, sourcelist.read(indexer.settings.data_dir))


def plan(indexer: Indexer, listed: sourcelist.SourceList, targets: Sequence[str],
         report: IngestReport) -> _Plan:
    """Load every recorded source and every given target; note what cannot be loaded."""
    folders = [Path(f) for f in listed.folders]
    wanted = [str(f) for f in folders]
    wanted += [s.origin for s in listed.sources.values()
               if s.origin and not (s.path and any(is_under(Path(s.path), f) for f in folders))]
    wanted += [t for t in targets]
    wanted = list(dict.fromkeys(wanted))
    jobs, failed, expanded = expand(indexer.settings, wanted)
    out = _Plan(folders=expanded, required=set(listed.sources))
    errors = {r.target: r.reason for r in failed}
    loaded: dict[str, Source] = {}
    origins = {s.origin: sid for sid, s in listed.sources.items() if s.origin}
    for target, load in jobs:
        try:
            src = keep_recorded_id(load(), origins)
        except Exception as e:  # noqa: BLE001 — reported with its target, like a plain ingest
            errors[target] = str(e) or type(e).__name__
            continue
        if src.id in loaded:
            errors[target] = f"id {src.id!r} is also used by {loaded[src.id].path or loaded[src.id].url}"
            continue
        loaded[src.id] = src
        out.jobs.append((target, lambda src=src: src))
    given = {str(Path(t).expanduser().resolve()) if not is_url(t) else t: t for t in targets}
    for sid, s in sorted(listed.sources.items()):
        if sid in loaded:
            continue
        folder = next((f for f in folders if s.path and is_under(Path(s.path), f)), None)
        reason = errors.get(s.origin) or (errors.get(str(folder)) if folder else None)
        if not reason:
            reason = ("its file is gone" if s.path and not Path(s.path).exists()
                      else "it no longer yields a source with this id")
        out.problems.append((s.origin or sid, sid, reason))
    for target, reason in errors.items():
        resolved = target if is_url(target) else str(Path(target).expanduser().resolve())
        if resolved in given or target in targets:
            out.problems.append((target, "", reason))
        elif not any(p[0] == target for p in out.problems):
            report.results.append(SourceResult(target, "failed", reason=reason))  # a new file that never indexed
    return out


def rebuild_index(indexer: Indexer, targets: Sequence[str], *, drop_missing: bool = False,
                  progress: Progress | None = None) -> IngestReport:
    from .pipeline import Indexer
    from .settings import Settings

    report = IngestReport()
    settings = indexer.settings
    # Everything is read and fetched first, without the lock: a slow URL holds up no writer.
    listed = recorded_sources(indexer)
    if not listed.sources and not listed.folders and not targets:
        targets = [str(settings.sources_dir)]  # nothing recorded: the default folder, like `ingest`
    p = plan(indexer, listed, targets, report)
    with indexer.locked(migrate=False) as lock:
        finish_swap(settings)
        if p.problems:
            for origin, sid, reason in p.problems:
                dropped = drop_missing and sid
                report.results.append(SourceResult(origin, "removed" if dropped else "failed", sid, reason))
            if not drop_missing:
                report.warnings.append(
                    f"rebuild refused, nothing changed: {len(p.problems)} source(s) cannot be loaded; restore "
                    "them, or run `factdesk ingest --rebuild --drop-missing` to rebuild without them")
                return report
            report.warnings.append(f"--drop-missing: rebuilding without {', '.join(sid or o for o, sid, _ in p.problems)}")
            p.required -= {sid for _, sid, _ in p.problems}
        before = _flagged_claims(settings)
        aside = aside_settings(settings)
        discard_aside(settings)  # what an earlier failed rebuild may have left
        builder = Indexer(aside, embedder=indexer.embedder, judge=indexer.judge)
        builder._store = Store(aside, create=True, fresh=True, folder="chroma" if settings.server_mode else ASIDE)
        builder._store.guard = builder.guard = lock.guard
        try:
            builder.run(p.jobs, p.folders, report, prune=False, progress=progress)
            done = {sid for sid, r in builder._store.source_records().items() if r.state == "complete"}
        except BaseException:
            discard_aside(settings)
            raise
        missing = sorted(p.required - done)
        if missing:
            discard_aside(settings)
            report.warnings.append(f"rebuild refused, nothing changed: {', '.join(missing)} could not be rebuilt "
                                   "(see above); fix them, or pass --drop-missing")
            report.results = [r for r in report.results if r.status == "failed"]
            return report
        # Built whole by this code: its layout and links are current, so it records the versions
        # (else the next ingest would relink every link again and call that an upgrade).
        builder._store.manifest.set_schema_version(LATEST)
        builder._store.manifest.set_detector_version(DETECTOR_VERSION)
        if lock.lease is not None:  # the new manifest collection carries the lease through the swap
            lock.lease.move_to(builder._store.sources_col)
        if before is not None:  # flagged and unflagged as against the index replaced, not the empty one built
            after = {lk.claim for lk in builder._store.all_links()}
            report.flagged, report.unflagged = len(after - before), len(before - after)
        swap_in(settings)
        indexer._store = Store(settings, create=True, fresh=True)
        indexer.record_sources(p.folders, report)
    return report


def _flagged_claims(settings: Settings) -> set[str] | None:
    """The claims the live index flags (sentence ids: a source's position and text, the same in a
    rebuild of the same files), or None when it cannot be read — damaged or absent, which is what
    a rebuild is for; then the counts are the new index's own."""
    try:
        return {lk.claim for lk in Store(settings, create=False).all_links()}
    except Exception:  # noqa: BLE001 — any failure to read the old index only loses the comparison
        return None
