"""What an ingest or remove run tells its caller: one result per source, and the run's totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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
        if self.status == "removed" and self.reason:
            return f"removed: {name}: {self.reason}"
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

    def fail(self, target: str, reason: str, source_id: str = "") -> None:
        self.results.append(SourceResult(target, "failed", source_id, reason))


Progress = Callable[[str, int], None]  # (event, n): ("total", n) once, then ("advance", n)
