"""What the index holds, in one place: the rows of `factdesk sources`, the summary of
`factdesk status` and the Slack App Home tab all read `index_status`, so they never disagree.

Built on the engine's public listings (sources, corrections) and the source records, and adds
what a desk needs to trust the index: when each source was indexed, whether a file source's file
is still there, and how many claims each source corrects."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.upgrades import PendingUpgrade, UpgradeRecord, UpgradeRecordError

from .answer import CorrectionEntry

RECENT_LINKS = 5  # correction links shown on the App Home tab and in `factdesk status`


@dataclass
class SourceRow:
    id: str
    title: str
    publisher: str
    published: str
    url: str
    path: str
    sentences: int
    flagged: int  # its sentences that a later statement corrected or superseded
    corrects: int  # claims (in any source) that its sentences correct or supersede
    indexed_at: str  # UTC, "" for sources indexed before this was recorded
    missing: bool  # a file source whose file is gone
    state: str = ""
    byline: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IndexStatus:
    sources: list[SourceRow]
    model: str
    location: str
    links: list[CorrectionEntry] = field(default_factory=list)  # newest correcting statement first
    last_upgrade: UpgradeRecord | None = None  # the index's latest upgrade (`ingest.upgrades`)
    upgrade_error: str = ""  # the stored upgrade record is damaged: said in one line, nothing else lost
    pending: PendingUpgrade | None = None  # what the next ingest will upgrade (readers never do)

    @property
    def sentences(self) -> int:
        return sum(s.sentences for s in self.sources)

    @property
    def flagged(self) -> int:
        return sum(s.flagged for s in self.sources)

    @property
    def last_indexed(self) -> str:
        return max((s.indexed_at for s in self.sources), default="")

    @property
    def missing(self) -> list[SourceRow]:
        return [s for s in self.sources if s.missing]

    def to_json(self) -> dict[str, Any]:
        return {"sources": len(self.sources), "sentences": self.sentences, "flagged": self.flagged,
                "corrections": len(self.links), "last_indexed": self.last_indexed, "model": self.model,
                "location": self.location, "missing": [s.id for s in self.missing],
                "recent_corrections": [lk.to_json() for lk in self.links[:RECENT_LINKS]],
                "last_upgrade": self.last_upgrade.to_json() if self.last_upgrade else None,
                "pending_upgrade": asdict(self.pending) if self.pending else None}


def index_status(engine: Any) -> IndexStatus:
    """Everything `sources`, `status` and App Home show, read once."""
    rows = engine.sources()
    links = engine.corrections()
    corrects: Counter[str] = Counter()
    for lk in links:
        for sid in {b.source for b in lk.correction.by}:
            corrects[sid] += 1
    out = []
    for s in rows:
        r = s.record
        out.append(SourceRow(
            id=r.id, title=r.title, publisher=r.publisher, published=r.published, url=r.url, path=r.path,
            sentences=r.sentences, flagged=s.flagged, corrects=corrects.get(r.id, 0), indexed_at=r.indexed_at,
            missing=bool(r.path) and not Path(r.path).exists(), state=r.state, byline=r.byline))
    info = engine.store().model_info()  # the model that built the index, as recorded in it
    model = f"{info[0]} ({info[1]} dimensions)" if info else "(not recorded)"
    ordered = sorted(links, key=lambda lk: lk.newest_by, reverse=True)
    last, problem, pending = upgrade_state(engine.store())
    return IndexStatus(sources=out, model=str(model), location=engine.settings.index_location, links=ordered,
                       last_upgrade=last, upgrade_error=problem, pending=pending)


def upgrade_state(store: Any) -> tuple[UpgradeRecord | None, str, PendingUpgrade | None]:
    """(the index's last upgrade, why its records cannot be read or "", what the next ingest will
    upgrade). A damaged record is reported, never raised: the rest of the status still shows."""
    from ingest import upgrades
    from ingest.store import StoreError

    last, problem, pending = None, "", None
    try:
        last = upgrades.last(store)
    except UpgradeRecordError as e:
        problem = str(e)
    try:
        pending = upgrades.pending(store)
    except StoreError as e:
        problem = problem or str(e)
    return last, problem, pending


def indexed_when(stamp: str) -> str:
    """2026-11-26T14:00:09Z → 2026-11-26 14:00 UTC; "—" when not recorded."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else "—"


__all__ = ["IndexStatus", "RECENT_LINKS", "SourceRow", "index_status", "indexed_when", "upgrade_state"]
