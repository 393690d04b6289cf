"""Keeping the index in step with the files: what `remove` and `ingest` do beyond indexing.

- `remove` takes what a person has at hand — an id, the file's path (or a folder of them), or the
  URL it was fetched from — and resolves it against the source records.
- `ingest` says which indexed sources' files are gone, and `ingest --prune` given a deleted file
  removes its source instead of failing on the missing path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.records import SourceRecord

NOT_FOUND = "no indexed source has that id, file path or URL (see `factdesk sources`)"


def _same_path(a: str, b: str) -> bool:
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except (OSError, RuntimeError):
        return False


def _under(path: str, folder: str) -> bool:
    try:
        return Path(path).resolve().is_relative_to(Path(folder).expanduser().resolve())
    except (OSError, RuntimeError):
        return False


def resolve(records: dict[str, SourceRecord], refs: list[str]) -> tuple[list[str], list[str]]:
    """(source ids, refs that name no indexed source). A ref is an id, a URL a source was fetched
    from, a source's file path, or a folder (every source whose file was under it)."""
    ids: list[str] = []
    unknown: list[str] = []
    for ref in refs:
        if ref in records:
            found = [ref]
        elif ref.startswith(("http://", "https://")):
            found = [sid for sid, r in records.items() if r.url.rstrip("/") == ref.rstrip("/")]
        else:
            found = [sid for sid, r in records.items() if r.path and _same_path(r.path, ref)]
            if not found and not Path(ref).is_file():
                found = [sid for sid, r in records.items() if r.path and _under(r.path, ref)]
        if found:
            ids += [sid for sid in found if sid not in ids]
        else:
            unknown.append(ref)
    return ids, unknown


def missing_files(records: dict[str, SourceRecord]) -> list[tuple[str, str]]:
    """(id, path) of indexed file sources whose file is gone."""
    return sorted((sid, r.path) for sid, r in records.items() if r.path and not Path(r.path).exists())


def missing_warning(missing: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{sid} ({path})" for sid, path in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (f"{len(missing)} indexed source(s) whose file is gone: {shown}{more}; "
            "run `factdesk ingest --prune FOLDER` (or `factdesk remove PATH`) to remove them from the index")


def remove(indexer: Any, refs: list[str]):
    """`Indexer.remove` for ids, paths and URLs; refs that name nothing fail with a clear reason."""
    from ingest.pipeline import IngestReport, SourceResult

    ids, unknown = resolve(indexer.store().source_records(), refs)
    report = indexer.remove(ids) if ids else IngestReport()
    report.results.extend(SourceResult(ref, "failed", reason=NOT_FOUND) for ref in unknown)
    return report


def split_gone_targets(indexer: Any, targets: list[str]) -> tuple[list[str], list[str]]:
    """With --prune: (targets to ingest, ids of indexed sources named by targets that no longer
    exist). A deleted file (or folder) given to `ingest --prune` is pruned, not a failure."""
    gone = [t for t in targets if not t.startswith(("http://", "https://")) and not Path(t).exists()]
    if not gone:
        return targets, []
    ids, unknown = resolve(indexer.store().source_records(), gone)
    keep = [t for t in targets if t not in gone or t in unknown]
    return keep, ids
