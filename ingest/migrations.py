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


MIGRATIONS: list[Callable[[Store, Settings], None]] = [term_counts, sources_list]
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
    return found
