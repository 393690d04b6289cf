"""A fresh build's exact search (`RunSearches.exact_nearest`) gives every query the `n` rows nearest by
`rank` over all held rows — and ranks only about `n` rows per shared vector, not every copy.

Why: the synthetic archive repeats sentences word for word, more copies of each the larger it grows
(38 % of the 100k benchmark's rows repeat another); ranking every copy of every picked vector made
relinking grow faster than the archive (docs/MEASUREMENTS.md, fourteenth session)."""

from __future__ import annotations

import numpy as np
import pytest

from ingest import searches
from ingest.records import StoredSentence
from ingest.searches import RunSearches, rank


class _Store:
    """Just enough of `Store` for a search over rows the run holds."""

    def __init__(self, n: int) -> None:
        self.n = n

    def count(self) -> int:
        return self.n


def _row(source: str, index: int, vec: np.ndarray) -> StoredSentence:
    v = np.asarray(vec, dtype=np.float32)
    return StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=1, text=source,
                          vector=v / np.linalg.norm(v))


def _archive(seed: int = 3) -> tuple[list[StoredSentence], list[StoredSentence]]:
    """300 distinct vectors, a dozen of them repeated 5 to 60 times (ids in no particular order),
    and queries among and beside them."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(300, 16)).astype(np.float32)
    rows = [_row(f"u{i:03d}", 0, v) for i, v in enumerate(base)]
    for k, i in enumerate(rng.choice(300, size=12, replace=False)):
        for c in rng.permutation(int(rng.integers(5, 61))):
            rows.append(_row(f"r{k:02d}x{c:02d}", int(c % 3), base[i]))
    queries = [rows[int(i)] for i in rng.choice(len(rows), size=25, replace=False)]
    queries += [_row(f"q{j}", 0, base[int(rng.integers(300))] + rng.normal(scale=0.3, size=16)) for j in range(10)]
    return rows, queries


@pytest.mark.parametrize("block", [searches.BLOCK, 64, 7])
@pytest.mark.parametrize("n", [1, 5, 30])
def test_exact_nearest_equals_ranking_every_held_row(monkeypatch, block: int, n: int) -> None:
    monkeypatch.setattr(searches, "BLOCK", block)  # several blocks: their picks are cut again together
    rows, queries = _archive()
    search = RunSearches(_Store(len(rows)), {})
    search.hold(rows)
    got = search.exact_nearest(queries, n)
    for q in queries:
        assert [r.id for r in got[q.id]] == [r.id for r in rank(q.vector, rows, n)]


def test_exact_nearest_ranks_about_n_rows_per_shared_vector(monkeypatch) -> None:
    rows, queries = _archive()
    seen: list[int] = []

    def counted(vector, cands, n):  # type: ignore[no-untyped-def]
        seen.append(len(cands))
        return rank(vector, cands, n)

    monkeypatch.setattr(searches, "rank", counted)
    search = RunSearches(_Store(len(rows)), {})
    search.hold(rows)
    search.exact_nearest(queries, 5)
    # Each query's picks: its 5 nearest distinct vectors (and any tied within float32 noise), at most 5 rows each.
    assert seen and max(seen) <= 5 * 6
