"""Where `--rebuild` builds its new index, and how that index replaces the old one.

The new index is built beside the old one — the folder `chroma.rebuild` in the data folder, or on
a Chroma server the collections of the prefix `<prefix>_rebuild` — so the old index answers, and
stays whole, until the new one is complete. Then a marker file (`rebuild.swap`) is written and
the swap runs: the old index is renamed aside, the new one takes its name, the old one is deleted,
the marker removed. Every step is idempotent and the marker says the new index is complete, so a
run killed mid-swap is finished by the next `ingest`, `remove` or `--rebuild` (they call
`finish_swap` under the ingest lock; readers never rename anything). Between the two renames
readers find no index for a moment and say so (`run factdesk ingest`).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from .settings import Settings

log = logging.getLogger(__name__)

LIVE, ASIDE, OLD = "chroma", "chroma.rebuild", "chroma.old"
MARKER = "rebuild.swap"
KINDS = ("sentences", "sources", "links")


def aside_settings(settings: Settings) -> Settings:
    """Settings of the index being rebuilt (server mode: another collection prefix)."""
    if not settings.server_mode:
        return settings
    return settings.model_copy(update={"collection_prefix": f"{settings.collection_prefix}_rebuild"})


def _names(prefix: str) -> dict[str, str]:
    return {k: f"{prefix}_{k}" for k in KINDS}


def discard_aside(settings: Settings) -> None:
    """Delete a (failed or abandoned) index being rebuilt. Never touches the live index."""
    if not settings.server_mode:
        shutil.rmtree(Path(settings.data_dir) / ASIDE, ignore_errors=True)
        return
    client = _client(settings)
    for name in _names(aside_settings(settings).collection_prefix).values():
        _delete(client, name)


def swap_in(settings: Settings) -> None:
    """The aside index is complete: make it the live one."""
    marker = Path(settings.data_dir) / MARKER
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps({"server": settings.server_mode, "prefix": settings.collection_prefix}))
    tmp.replace(marker)
    finish_swap(settings)


def finish_swap(settings: Settings) -> bool:
    """Complete a swap whose marker is present (idempotent). True when one was finished."""
    marker = Path(settings.data_dir) / MARKER
    if not marker.exists():
        return False
    if settings.server_mode:
        _swap_collections(settings)
    else:
        data = Path(settings.data_dir)
        live, aside, old = data / LIVE, data / ASIDE, data / OLD
        if aside.exists():
            if live.exists():
                shutil.rmtree(old, ignore_errors=True)
                live.rename(old)
            aside.rename(live)
        shutil.rmtree(old, ignore_errors=True)
    marker.unlink(missing_ok=True)
    log.info("rebuilt index swapped in at %s", settings.index_location)
    return True


def _client(settings: Settings) -> Any:
    """A Chroma client that opens (or creates) no collection."""
    from .store import Store

    return Store.connect_only(settings)


def _exists(client: Any, name: str) -> bool:
    try:
        client.get_collection(name)
        return True
    except Exception:  # noqa: BLE001 — chroma raises assorted "does not exist" errors
        return False


def _delete(client: Any, name: str) -> None:
    if _exists(client, name):
        client.delete_collection(name)


def _swap_collections(settings: Settings) -> None:
    client = _client(settings)
    live = _names(settings.collection_prefix)
    aside = _names(aside_settings(settings).collection_prefix)
    old = _names(f"{settings.collection_prefix}_old")
    for kind in KINDS:
        if not _exists(client, aside[kind]):
            continue
        if _exists(client, live[kind]):
            _delete(client, old[kind])
            client.get_collection(live[kind]).modify(name=old[kind])
        client.get_collection(aside[kind]).modify(name=live[kind])
    for kind in KINDS:
        _delete(client, old[kind])
