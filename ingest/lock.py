"""One ingest at a time per index: a second run fails fast instead of interleaving writes.

Embedded index: an advisory file lock in the data folder, where the index lives. Chroma server:
that same file lock (for writers on this host) plus a lease record in the server's own manifest
collection (`ingest.lease`), so writers on other hosts or with other data folders are refused too.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from .lease import IngestLocked, Lease, LeaseHeld
from .settings import Settings

__all__ = ["IngestLock", "IngestLocked"]


class IngestLock:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if settings.server_mode:
            # One lock per server and collection prefix, kept beside this user's data.
            key = hashlib.sha1(f"{settings.chroma_host}:{settings.chroma_port}:{settings.collection_prefix}".encode()).hexdigest()[:12]
            self.path = Path(settings.data_dir) / f"ingest-{key}.lock"
        else:
            self.path = Path(settings.data_dir) / "ingest.lock"
        self._fd: int | None = None
        self.lease: Lease | None = None

    @property
    def guard(self) -> Callable[[], None] | None:
        """Called before every write to the index: raises when this writer may no longer write."""
        return self.lease.check if self.lease else None

    def __enter__(self) -> IngestLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = self.path.read_text().strip() or "another process"
            raise IngestLocked(f"another `factdesk ingest` (pid {holder}) is writing this index; try again when it ends") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        if self.settings.server_mode:
            try:
                self._take_lease()
            except BaseException:
                self._unlock()
                raise
        return self

    def _take_lease(self) -> None:
        from .store import Store

        s = self.settings
        store = Store(s, create=True)
        lease = Lease(store.sources_col, ttl=s.ingest_lease_seconds)
        try:
            lease.acquire()
        except LeaseHeld as e:
            raise IngestLocked(f"another `factdesk ingest` ({e}) holds the lease on {s.index_location} "
                               f"(prefix {s.collection_prefix!r}); try again when it ends — a crashed "
                               f"writer's lease expires within {s.ingest_lease_seconds:g}s") from None
        except Exception as e:  # noqa: BLE001 — server errors, said once by the store
            store._raise(e)
        self.lease = lease

    def _unlock(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __exit__(self, *exc: object) -> None:
        if self.lease is not None:
            self.lease.release()
            self.lease = None
        self._unlock()
