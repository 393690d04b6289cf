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
from dataclasses import dataclass

from . import sourcelist
from .records import stored_text
from .settings import Settings
from .store import Store
from .dates import utc_now
from .upgrades import LinkChanges, UpgradeRecord, link_keys, save

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Relinked:
    """What `relink_all` did: links before → after, and the editor decisions it replayed."""

    links: LinkChanges
    decisions: int
    unmatched: int


def term_counts(store: Store, settings: Settings) -> None:
    """2: every complete source has its term counts (`__df__<id>`), made from its stored text, and
    summed totals are published for the current generation. (Indexes from before term counts
    existed lack them; the pipeline used to backfill them on every run.)"""
    records = {sid: r for sid, r in store.source_records().items() if r.state == "complete"}
    missing = sorted(set(records) - store.with_term_counts(sorted(records)))
    _count_terms(store, missing)
    if missing or (store.term_totals() or ("",))[0] != store.generation():
        store.publish_generation()


def sources_list(store: Store, settings: Settings) -> None:
    """3: the plain sources list (`sources.json` in the data folder) exists, so `--rebuild` of an
    index built before it can find every source even when Chroma's files become unreadable."""
    if sourcelist.read(settings.data_dir) is None:
        records = {sid: r for sid, r in store.source_records().items() if r.state == "complete"}
        sourcelist.write(settings.data_dir, sourcelist.from_records(records, []))


def relink_all(store: Store, settings: Settings) -> Relinked | None:
    """4: correction links and cues come from the current detector (`DETECTOR_VERSION` in
    ingest/corrections, recorded in the manifest): an index whose links another detector version
    computed gets every sentence's stored cue recomputed from its text and every link re-derived over
    the whole index, the editor's decisions (corrections.yml) replayed. Nothing is re-embedded: the
    detector reads the stored sentences and vectors. Also run by `upgrade` whenever the recorded
    detector version is older than the code's. Returns what changed (None: the links were current)."""
    from .corrections import DETECTOR_VERSION
    from .corrections.relink import relink

    if store.manifest.detector_version() >= DETECTOR_VERSION:
        return None
    before = link_keys(store.all_links())
    _recompute_cues(store)
    live = {sid for sid, r in store.source_records().items() if r.state == "complete"}
    warnings: list[str] = []
    flagged, unflagged = relink(store, live, set(), warnings)
    for w in warnings:
        log.warning("%s", w)
    log.info("correction links recomputed by detector %d: %d newly flagged, %d unflagged", DETECTOR_VERSION,
             flagged, unflagged)
    decisions, unmatched = _decisions(store)
    store.manifest.set_detector_version(DETECTOR_VERSION)
    return Relinked(LinkChanges.compare(before, link_keys(store.all_links())), decisions, unmatched)


def _recompute_cues(store: Store) -> None:
    """Every sentence's stored cue from its text (relinking finds later evidence by its cue)."""
    from .corrections.signals import cue

    for rec in store.sentence_pages(["metadatas", "documents"], page=store.max_batch):
        now = [(i, m, cue(t)) for i, m, d in zip(rec["ids"], rec["metadatas"], rec["documents"])
               if (t := stored_text(d, m)) is not None]
        stale = [(i, {"cue": c}) for i, m, c in now if m.get("cue", "") != c]  # Chroma merges the keys
        if stale:
            store.update_sentence_metadata([i for i, _ in stale], [m for _, m in stale])


def _decisions(store: Store) -> tuple[int, int]:
    """(editor decisions the relink replayed, those that no longer match a sentence); (0, 0) when
    corrections.yml is absent or unreadable (the relink has already warned about that)."""
    from .corrections import review
    from .corrections.relink import decision_finder

    try:
        decisions = review.load(review.decisions_path(store.settings))
    except review.ReviewError:
        return 0, 0
    if not decisions:
        return 0, 0
    find = decision_finder(store)
    return len(decisions), sum(1 for d in decisions if not review.matches(d, find))


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


def names_written(store: Store, settings: Settings) -> None:
    """7: every source's term counts also count how its names are written (`^LinkedIn`: sentences
    writing "LinkedIn" with its capitals, headlines aside; ingest.termcounts), so a
    follow-up typed in lowercase ("who started linkedin") finds its subject. Recounted from each
    source's stored text and the totals published again; nothing is re-embedded."""
    # The mirror follows from here (in step, it is only stamped): the totals published below reach
    # it as they do after any ingest, instead of a copy of every row and vector at the writer's start.
    store.mirror.ensure(store)
    ids = sorted(sid for sid, r in store.source_records().items() if r.state == "complete")
    _count_terms(store, ids)
    if ids:
        store.publish_generation()


def accented_words(store: Store, settings: Settings) -> None:
    """8: term counts read words with accented letters whole and without their accents ("Ibáñez"
    counts as "ibanez", where it counted as the fragments "ib", "áñ", "ez" that no question finds),
    and names' forms keep the accents ("^Ibáñez"). Recounted from each source's stored text and the
    totals published again; nothing is re-embedded. (The correction links follow from the detector
    version, which this change raised: `relink_all` re-derives them from the stored sentences.)"""
    names_written(store, settings)


def _count_terms(store: Store, source_ids: list[str]) -> None:
    """Write these sources' term counts from their stored text, a batch of sources at a time."""
    for a in range(0, len(source_ids), store.max_batch):
        got = store.get_sources(source_ids[a:a + store.max_batch])
        store.terms.write_texts([(sid, r.sha256, r.sentences, r.text) for sid, r in got.items()])


MIGRATIONS: list[Callable[[Store, Settings], object]] = [term_counts, sources_list, relink_all, link_sources,
                                                         sentence_mirror, names_written, accented_words]
LATEST = len(MIGRATIONS) + 1


def upgrade(store: Store, settings: Settings) -> UpgradeRecord | None:
    """Bring the index to the latest schema and detector. Returns what that did — kept in the
    manifest as the last upgrade, for the adapters to tell the user — or None when nothing ran, or
    when the index held no source (a new index is being built, not upgraded)."""
    from .corrections import DETECTOR_VERSION

    found, detector = store.manifest.schema_version(), store.manifest.detector_version()
    ran: list[int] = []
    relinked: Relinked | None = None
    for version, migrate in enumerate(MIGRATIONS, start=2):
        if version > found:
            log.info("upgrading the index at %s to schema %d: %s", settings.index_location, version,
                     (migrate.__doc__ or "").split(":", 1)[-1].strip().split(".")[0])
            got = migrate(store, settings)
            relinked = got if isinstance(got, Relinked) else relinked
            store.manifest.set_schema_version(version)
            ran.append(version)
    if found >= 4:  # a later detector than the one the links came from (cheap check otherwise)
        relinked = relink_all(store, settings) or relinked
    store.mirror.ensure(store)  # in step from here (copied when it was not), followed by every write
    if not (ran or relinked) or not store.source_records():
        return None
    record = UpgradeRecord(at=utc_now(), schema_from=found, schema_to=max(found, LATEST), detector_from=detector,
                           detector_to=DETECTOR_VERSION if relinked else detector, migrations=tuple(ran),
                           links=relinked.links if relinked else None,
                           decisions=relinked.decisions if relinked else 0,
                           unmatched=relinked.unmatched if relinked else 0)
    save(store, record)
    return record
