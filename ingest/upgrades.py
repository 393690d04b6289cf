"""What opening an older index for writing did to it, as a typed record the adapters render.

A newsroom user whose flags change after an upgrade must be told: `ingest.migrations.upgrade`
returns an `UpgradeRecord` whenever it ran a migration or recomputed the correction links of an
index that held sources (a fresh, empty index is built, not upgraded: no record), and keeps the
latest one in the manifest (`Reserved.UPGRADE`) so `factdesk status` can show it later. Link counts
compare the shown links before and after the relink by their stable ids (a link's id is its
claim's sentence id). `pending` says, without writing, whether the next writer will upgrade —
what a reader (the Slack bot, `status`) can tell a user whose flags come from an older detector.

This module knows nothing of the CLI or Slack: wording is theirs (bot/upgrade_note.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .dates import utc_now

if TYPE_CHECKING:
    from .records import CorrectionLink
    from .store import Store


class UpgradeRecordError(ValueError):
    """The stored upgrade record cannot be read (damaged metadata); the index itself is untouched."""


@dataclass(frozen=True)
class LinkChanges:
    """Shown correction links (not candidates) before and after a relink, compared by id."""

    kept: int  # claims flagged before and after
    changed: int  # of the kept, those whose status or correcting sentences changed
    added: int  # a claim newly flagged
    removed: int  # a claim no longer flagged

    @classmethod
    def compare(cls, before: Mapping[str, tuple], after: Mapping[str, tuple]) -> LinkChanges:
        """`before`/`after`: link id → everything the link holds (`link_keys`)."""
        both = before.keys() & after.keys()
        return cls(kept=len(both), changed=sum(1 for i in both if before[i] != after[i]), added=len(after.keys() - before.keys()),
                   removed=len(before.keys() - after.keys()))


@dataclass(frozen=True)
class UpgradeRecord:
    """One upgrade of an index: versions from → to, which migrations ran, and, when the correction
    links were recomputed, how they changed and how many editor decisions were replayed."""

    at: str  # UTC, ISO 8601 (as `indexed_at`)
    schema_from: int
    schema_to: int
    detector_from: int
    detector_to: int
    migrations: tuple[int, ...] = ()  # numbers of the migrations that ran
    links: LinkChanges | None = None  # None: the links were not recomputed
    decisions: int = 0  # editor decisions (corrections.yml) replayed by the relink
    unmatched: int = 0  # of them, those that no longer match a sentence in the index

    @property
    def relinked(self) -> bool:
        return self.links is not None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["migrations"] = list(self.migrations)
        return out

    @classmethod
    def from_json(cls, obj: Any) -> UpgradeRecord:
        """The record from its JSON form; `UpgradeRecordError` for anything else."""
        try:
            if not isinstance(obj, dict):
                raise TypeError(f"an object was expected, not {type(obj).__name__}")
            links = obj.get("links")
            ints = {k: _int(obj[k]) for k in ("schema_from", "schema_to", "detector_from", "detector_to")}
            migrations = obj.get("migrations", [])
            if not isinstance(migrations, list):  # a string would be read digit by digit ("45" → 4, 5)
                raise TypeError(f"migrations: a list was expected, not {type(migrations).__name__}")
            migrations = tuple(_int(m) for m in migrations)
            return cls(at=str(obj["at"]), **ints, migrations=migrations,
                       links=None if links is None else LinkChanges(**{k: _int(links[k]) for k in
                                                                       ("kept", "changed", "added", "removed")}),
                       decisions=_int(obj.get("decisions", 0)), unmatched=_int(obj.get("unmatched", 0)))
        except (KeyError, TypeError, ValueError) as e:
            raise UpgradeRecordError(f"the index's last-upgrade record is unreadable ({_short(e)})") from e


@dataclass(frozen=True)
class PendingUpgrade:
    """What the next writer (`factdesk ingest`, `remove`) will do to this index: readers never upgrade."""

    schema_found: int
    schema_latest: int
    detector_found: int
    detector_current: int

    @property
    def relinks(self) -> bool:
        return self.detector_found < self.detector_current


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise TypeError(f"not a number: {v!r}"[:80])
    return int(v)


def _short(e: Exception) -> str:
    return " ".join(str(e).split())[:120] or type(e).__name__


def link_keys(links: list[CorrectionLink]) -> dict[str, tuple]:
    """Shown links (never candidates) by id, with what each holds, for `LinkChanges.compare`."""
    return {lk.id: (tuple(sorted(lk.by)), lk.status) for lk in links if lk.status != "candidate"}


def save(store: Store, record: UpgradeRecord) -> None:
    store.manifest.set_last_upgrade(json.dumps(record.to_json()))


def last(store: Store) -> UpgradeRecord | None:
    """The latest upgrade recorded in the index, None if it never was; `UpgradeRecordError` when the
    record is damaged (the caller says so in one line; nothing else depends on it)."""
    raw = store.manifest.last_upgrade()
    if raw is None:
        return None
    try:
        obj = json.loads(raw)
    except ValueError as e:
        raise UpgradeRecordError(f"the index's last-upgrade record is unreadable ({_short(e)})") from e
    return UpgradeRecord.from_json(obj)


def pending(store: Store) -> PendingUpgrade | None:
    """The upgrade the next writer will make, or None when the index is current or holds no source."""
    from .corrections import DETECTOR_VERSION
    from .migrations import LATEST

    schema, detector = store.manifest.schema_version(), store.manifest.detector_version()
    if schema >= LATEST and detector >= DETECTOR_VERSION:
        return None
    if not store.source_records():
        return None
    return PendingUpgrade(schema, LATEST, detector, DETECTOR_VERSION)


__all__ = ["LinkChanges", "PendingUpgrade", "UpgradeRecord", "UpgradeRecordError", "last", "link_keys", "pending",
           "save"]
