"""Schema changes as numbered migrations, run by the next writer (ingest, remove) under its lock.

An index records its schema version in the manifest (`Reserved.SCHEMA`); an index without the
record has the baseline layout (version 1: the layout of commit 3c40c78). Each migration upgrades
one version to the next from what is stored — never by re-embedding — and the version is written
after it succeeded, so a migration cut short runs again (each is idempotent). Readers (chat, Slack)
never migrate: they read every version from 1 up, falling back where a newer record is missing.

To change the schema: add a function below, append it to MIGRATIONS (its number is its position
+ 2), and say in its docstring what it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from . import sourcelist
from .records import stored_text
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)


def term_counts(store: Store, settings: Settings) -> None:
    """2: every complete source has its term counts (`__df__<id>`), made from its stored text, and
    summed totals are published for the current generation. (Indexes from before term counts
    existed lack them; the pipeline used to backfill them on every run.)"""
    records = {sid: r for sid, r in store.source_records().items() if r.state == "complete"}
    missing = sorted(set(records) - store.with_term_counts(sorted(records)))
    for a in range(0, len(missing), store.max_batch):
        got = store.get_sources(missing[a:a + store.max_batch])
        store.terms.write_texts([(sid, r.sha256, r.sentences, r.text)
                                 for sid, r in got.items()])
    if missing or (store.term_totals() or ("",))[0] != store.generation():
        store.publish_generation()


def sources_list(store: Store, settings: Settings) -> None:
    """3: the plain sources list (`sources.json` in the data folder) exists, so `--rebuild` of an
    index built before it can find every source even when Chroma's files become unreadable."""
    if sourcelist.read(settings.data_dir) is None:
        records = {sid: r for sid, r in store.source_records().items() if r.state == "complete"}
        sourcelist.write(settings.data_dir, sourcelist.from_records(records, []))


def relink_all(store: Store, settings: Settings) -> None:
    """4: correction links and cues come from the current detector (`DETECTOR_VERSION` in
    ingest/corrections, recorded in the manifest): an index whose links another detector version
    computed gets every sentence's stored cue recomputed from its text and every link re-derived over
    the whole index, the editor's decisions (corrections.yml) replayed. Nothing is re-embedded: the
    detector reads the stored sentences and vectors. Also run by `upgrade` whenever the recorded
    detector version is older than the code's."""
    from .corrections import DETECTOR_VERSION
    from .corrections.relink import relink
    from .corrections.signals import cue

    if store.manifest.detector_version() >= DETECTOR_VERSION:
        return
    # Cues first: relinking finds later evidence among sentences by their cue.
    for rec in store.sentence_pages(["metadatas", "documents"], page=store.max_batch):
        now = [(i, m, cue(t)) for i, m, d in zip(rec["ids"], rec["metadatas"], rec["documents"])
               if (t := stored_text(d, m)) is not None]
        stale = [(i, {"cue": c}) for i, m, c in now if m.get("cue", "") != c]  # Chroma merges the keys
        if stale:
            store.update_sentence_metadata([i for i, _ in stale], [m for _, m in stale])
    live = {sid for sid, r in store.source_records().items() if r.state == "complete"}
    warnings: list[str] = []
    flagged, unflagged = relink(store, live, set(), warnings)
    for w in warnings:
        log.warning("%s", w)
    log.info("correction links recomputed by detector %d: %d newly flagged, %d unflagged", DETECTOR_VERSION,
             flagged, unflagged)
    store.manifest.set_detector_version(DETECTOR_VERSION)


def link_sources(store: Store, settings: Settings) -> None:
    """5: every link and candidate carries the ids of the sources it depends on as a list (`srcs`
    metadata), so re-indexing one edited source reads only the links touching it
    (`Store.links_touching`) instead of every link in the archive. Links are re-put from their
    stored metadata: nothing is re-derived or re-embedded."""
    store.put_links([*store.all_links(), *store.candidate_links()])


def sentence_mirror(store: Store, settings: Settings) -> None:
    """6: the sentence mirror (`ingest.mirror`: every sentence row, vector and link in files of our
    own beside the catalog) exists, so a one-shot `factdesk ask` answers without importing Chroma.
    Copied from the stored rows and vectors; nothing is re-embedded. (Every writer's start also
    copies it again whenever it is out of step: after a crash, or a rebuild swapped in.)"""
    store.mirror.ensure(store)


MIGRATIONS: list[Callable[[Store, Settings], None]] = [term_counts, sources_list, relink_all, link_sources,
                                                       sentence_mirror]
LATEST = len(MIGRATIONS) + 1


def upgrade(store: Store, settings: Settings) -> int:
    """Bring the index to the latest schema; returns the version it had."""
    found = store.manifest.schema_version()
    for version, migrate in enumerate(MIGRATIONS, start=2):
        if version > found:
            log.info("upgrading the index at %s to schema %d: %s", settings.index_location, version,
                     (migrate.__doc__ or "").split(":", 1)[-1].strip().split(".")[0])
            migrate(store, settings)
            store.manifest.set_schema_version(version)
    if found >= 4:  # a later detector than the one the links came from (cheap check otherwise)
        relink_all(store, settings)
    store.mirror.ensure(store)  # in step from here (copied when it was not), followed by every write
    return found
