"""The words for what an upgrade did to an index (`ingest.upgrades`), shared by the CLI and Slack.

A user whose flags change after an upgrade is told once, in one line, with real counts; a reader
whose index still carries an older detector's links is told the next ingest recomputes them."""

from __future__ import annotations

from ingest.upgrades import PendingUpgrade, UpgradeRecord


def _versions(rec: UpgradeRecord) -> str:
    parts = []
    if rec.schema_to != rec.schema_from:
        parts.append(f"schema {rec.schema_from} → {rec.schema_to}")
    if rec.detector_to != rec.detector_from:
        parts.append(f"detector {rec.detector_from} → {rec.detector_to}")
    return ", ".join(parts)


def changes(rec: UpgradeRecord) -> str:
    """'correction links recomputed — 1,046 kept, 3 added, 2 removed; editor decisions replayed: 5
    (1 no longer matches a sentence)', or 'correction links unchanged'."""
    lk = rec.links
    if lk is None:
        return "correction links unchanged"
    kept = f"{lk.kept:,} kept" + (f" ({lk.changed:,} with another status or correcting sentence)" if lk.changed else "")
    out = f"correction links recomputed — {kept}, {lk.added:,} added, {lk.removed:,} removed"
    if rec.decisions:
        out += f"; editor decisions replayed: {rec.decisions:,}"
        if rec.unmatched:
            out += f" ({rec.unmatched:,} no longer {'matches' if rec.unmatched == 1 else 'match'} a sentence)"
    return out


def upgrade_line(rec: UpgradeRecord) -> str:
    """The one line a command prints (after `factdesk: `) when opening the index upgraded it."""
    versions = _versions(rec)
    return f"index upgraded{f' ({versions})' if versions else ''}: {changes(rec)}"


def pending_line(p: PendingUpgrade) -> str:
    """For readers, which never upgrade: what the next `factdesk ingest` will do."""
    if p.relinks:
        return (f"this index's correction links come from detector {p.detector_found} (this version's is "
                f"{p.detector_current}): the next `factdesk ingest` recomputes them")
    return f"this index has schema {p.schema_found} (latest {p.schema_latest}): the next `factdesk ingest` upgrades it"


def status_line(rec: UpgradeRecord) -> str:
    """`factdesk status`'s 'last upgrade' row: when, from → to, counts."""
    when = f"{rec.at[:10]} {rec.at[11:16]} UTC" if len(rec.at) >= 16 else rec.at
    versions = _versions(rec)
    return f"{when}{f' ({versions})' if versions else ''}: {changes(rec)}"


__all__ = ["changes", "pending_line", "status_line", "upgrade_line"]
