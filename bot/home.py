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
    links: list[dict[str, Any]] = field(default_factory=list)  # newest correcting statement first

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
                "recent_corrections": self.links[:RECENT_LINKS]}


def _newest_by(link: dict[str, Any]) -> str:
    return max((b.get("published", "") for b in link.get("by", [])), default="")


def index_status(engine: Any) -> IndexStatus:
    """Everything `sources`, `status` and App Home show, read once."""
    rows = engine.sources()
    links = engine.corrections()
    records = engine.store().source_records()
    corrects: Counter[str] = Counter()
    for lk in links:
        for sid in {b["source"] for b in lk.get("by", [])}:
            corrects[sid] += 1
    out = []
    for r in rows:
        rec = records.get(r["id"], {})
        path = str(rec.get("path") or "")
        out.append(SourceRow(
            id=r["id"], title=r.get("title", ""), publisher=r.get("publisher", ""), published=r.get("published", ""),
            url=r.get("url", ""), path=path, sentences=int(r.get("sentences", 0)), flagged=int(r.get("flagged", 0)),
            corrects=corrects.get(r["id"], 0), indexed_at=str(rec.get("indexed_at") or ""),
            missing=bool(path) and not Path(path).exists(), state=r.get("state", ""), byline=r.get("byline", "")))
    info = engine.store().model_info()  # the model that built the index, as recorded in it
    model = f"{info[0]} ({info[1]} dimensions)" if info else "(not recorded)"
    ordered = sorted(links, key=_newest_by, reverse=True)
    return IndexStatus(sources=out, model=str(model), location=engine.settings.index_location, links=ordered)


def indexed_when(stamp: str) -> str:
    """2026-11-26T14:00:09Z → 2026-11-26 14:00 UTC; "—" when not recorded."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else "—"


__all__ = ["IndexStatus", "RECENT_LINKS", "SourceRow", "index_status", "indexed_when"]
