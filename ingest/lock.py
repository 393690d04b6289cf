"""One ingest at a time per index: a second run fails fast instead of interleaving writes."""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from .settings import Settings


class IngestLocked(Exception):
    pass


class IngestLock:
    def __init__(self, settings: Settings) -> None:
        if settings.server_mode:
            # One lock per server and collection prefix, kept beside this user's data.
            key = hashlib.sha1(f"{settings.chroma_host}:{settings.chroma_port}:{settings.collection_prefix}".encode()).hexdigest()[:12]
            self.path = Path(settings.data_dir) / f"ingest-{key}.lock"
        else:
            self.path = Path(settings.data_dir) / "ingest.lock"
        self._fd: int | None = None

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
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
