"""The Chroma gateway: connection, the three collections, batching, and errors mapped once.

Everything factdesk stores goes through here. A Chroma failure becomes one `StoreError` with a
message that says what to do — the server is not answering, the disk is full (a plain re-ingest
recovers), the index is missing (`ingest`) or damaged (only then `ingest --rebuild`) — and every
write first calls the writer's `guard` (its lease, in server mode: `ingest.lease`). Writes larger
than the server's batch limit are split.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .settings import Settings

SCHEMA = 1  # collection metadata of the baseline layout; schema versions proper: ingest.migrations
DUMMY = [1.0]  # sources and links need no similarity search; Chroma still wants a vector


class StoreError(Exception):
    """The index cannot be used; the message tells the user what to do."""


class IndexMissing(StoreError): pass  # noqa: E701


class IndexDamaged(StoreError): pass  # noqa: E701


class ModelMismatch(StoreError): pass  # noqa: E701


class StoreUnavailable(StoreError): pass  # noqa: E701


def _refusing_embedding_function():
    """Chroma's default embedding function downloads a model; factdesk always passes its own
    vectors, and this makes any slip an immediate, explicit error instead of a download."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class RefuseToEmbed(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            raise RuntimeError("factdesk passes its own vectors: Chroma must never embed")

        @staticmethod
        def name() -> str:
            return "factdesk-refuse"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> RefuseToEmbed:
            return RefuseToEmbed()

    # A collection's stored schema names its embedding function; a process that opens (rather
    # than creates) the collection rebuilds it by that name from Chroma's registry, and warned
    # "Could not reconstruct embedding function factdesk-refuse" on every write until it is known.
    from chromadb.utils.embedding_functions import known_embedding_functions

    known_embedding_functions.setdefault(RefuseToEmbed.name(), RefuseToEmbed)
    return RefuseToEmbed()


class DiskFull(StoreError):
    """The disk holding the index is full: nothing is damaged, a plain re-ingest recovers."""


_DISK_FULL = ("disk is full", "no space left", "enospc", "disk full", "database or disk is full", "quota exceeded")


def is_disk_full(e: BaseException) -> bool:
    if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return any(k in f"{type(e).__name__} {e}".lower() for k in _DISK_FULL)


# Below this much free space, a store error is the full disk whatever it names: SQLite and Chroma's
# log compaction fail on a full disk with errors that say something else ("Failed to apply logs to
# the metadata segment"), and "damaged, rebuild" would be the wrong advice (a rebuild needs more space).
LOW_SPACE_BYTES = 1 << 20
# Bytes a character of a document or metadata takes in the embedded index as written (measured 5.2 for
_BYTES_PER_CHAR = 6  # a document: the log's copy, the full-text index and the metadata of a 448 KB text: 2.3 MB)


def nearly_full(folder: Path | str) -> bool:
    """The filesystem holding `folder` (or its nearest existing parent) has under LOW_SPACE_BYTES free."""
    return _free_bytes(folder) < LOW_SPACE_BYTES


def _free_bytes(folder: Path | str) -> float:
    p = Path(folder)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        st = os.statvfs(p)
    except (OSError, AttributeError):
        return float("inf")
    return st.f_bavail * st.f_frsize


def disk_error_text(e: BaseException) -> str:
    """A one-line reason for an OS error, saying "the disk is full" when it is."""
    if is_disk_full(e):
        return "the disk is full"
    return getattr(e, "strerror", None) or f"{type(e).__name__}: {e}"


def disk_full_error(settings: Settings) -> DiskFull:
    where = (f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}" if settings.server_mode
             else f"the disk holding {settings.data_dir}")
    return DiskFull(f"{where} is full: free some space, then run `factdesk ingest` again "
                    "(what was indexed before is kept; an interrupted run is finished by the next one)")


def _is_connection_error(e: Exception) -> bool:
    text = f"{type(e).__name__} {e}".lower()
    return any(k in text for k in ("connect", "connection", "timed out", "timeout", "unreachable", "refused"))


def chunks(n: int, size: int) -> Iterable[tuple[int, int]]:
    for i in range(0, n, size):
        yield i, min(n, i + size)


class Gateway:
    """One Chroma client and factdesk's three collections (sentences, sources, links)."""

    def __init__(self, settings: Settings, *, create: bool = False, fresh: bool = False,
                 folder: str = "chroma") -> None:
        """`fresh`: do not reuse this process's cached embedded client (see `_connect`).
        `folder`: the embedded index's folder inside the data folder (`--rebuild` builds aside)."""
        self.settings = settings
        self.folder = folder
        self.guard: Callable[[], None] | None = None  # set by the writer holding the lock
        self._ef = _refusing_embedding_function()
        self.client = self._connect(create, fresh)
        self._opened = self._identity()
        p = settings.collection_prefix
        self.names = {"sentences": f"{p}_sentences", "sources": f"{p}_sources", "links": f"{p}_links"}
        self._cols: dict[str, Any] = {}
        self._open(create)
        try:
            self.max_batch = max(1, int(self.client.get_max_batch_size()))
        except Exception:
            self.max_batch = 1000

    @classmethod
    def connect_only(cls, settings: Settings) -> Any:
        """A server client that opens no collection (for renaming collections)."""
        self = cls.__new__(cls)
        self.settings, self.folder = settings, "chroma"
        return self._connect(create=True)

    # -- connection -------------------------------------------------------------------
    def _connect(self, create: bool, fresh: bool = False):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from chromadb.api.shared_system_client import SharedSystemClient

        s = self.settings
        cs = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if s.server_mode:
            headers = {"Authorization": f"Bearer {s.chroma_auth_token}"} if s.chroma_auth_token else None
            try:
                return chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, ssl=s.chroma_ssl,
                                           headers=headers, settings=cs)
            except Exception as e:
                raise StoreUnavailable(
                    f"cannot reach the Chroma server at {s.chroma_host}:{s.chroma_port} ({type(e).__name__}); "
                    "is `chroma run` up?") from None
        path = Path(s.data_dir) / self.folder
        if not create and not (path / "chroma.sqlite3").exists():
            raise IndexMissing(f"no index at {s.data_dir}: run `factdesk ingest` first")
        path.mkdir(parents=True, exist_ok=True)
        # chromadb caches one client system per folder and process, and that system's vector
        # index never sees another process's writes. For a fresh view, drop the cached one
        # (without stopping it: older Store objects may still use it) and read what is on disk.
        if fresh:
            SharedSystemClient._identifier_to_system.pop(str(path), None)
        try:
            return chromadb.PersistentClient(path=str(path), settings=cs)
        except Exception as e:
            if is_disk_full(e):
                raise disk_full_error(s) from None
            raise IndexDamaged(
                f"the index at {s.data_dir} is damaged ({type(e).__name__}): run `factdesk ingest --rebuild`"
            ) from None

    def _open(self, create: bool) -> None:
        try:
            for key, name in self.names.items():
                if create:
                    meta = {"hnsw:space": "cosine", "factdesk_schema": SCHEMA}
                    self._cols[key] = self.client.get_or_create_collection(
                        name, embedding_function=self._ef, metadata=meta)
                else:
                    self._cols[key] = self.client.get_collection(name, embedding_function=self._ef)
        except Exception as e:
            self._raise(e, missing_ok=not create)

    def _raise(self, e: Exception, missing_ok: bool = False):
        s = self.settings
        if isinstance(e, StoreError):
            raise e
        if is_disk_full(e):
            raise disk_full_error(s) from None
        if s.server_mode and _is_connection_error(e):
            raise StoreUnavailable(
                f"the Chroma server at {s.chroma_host}:{s.chroma_port} is not answering; "
                "factdesk will retry on the next question") from None
        if missing_ok and ("does not exist" in str(e) or "not found" in str(e).lower()):
            raise IndexMissing(f"no index at {s.index_location}: run `factdesk ingest` first") from None
        text = f"{type(e).__name__} {e}".lower()
        # Not damage: nothing a rebuild would fix, and a rebuild is what "damaged" recommends.
        if "readonly" in text or "read-only" in text or "permission denied" in text or \
                (isinstance(e, OSError) and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS)):
            raise StoreUnavailable(f"the index at {s.index_location} cannot be written (read-only or permission "
                                   "denied): check the folder's permissions, then run the command again") from None
        if "database is locked" in text:
            raise StoreUnavailable(f"the index at {s.index_location} is busy (locked by another process); "
                                   "try again in a moment") from None
        if not s.server_mode and nearly_full(s.data_dir):
            raise disk_full_error(s) from None
        raise IndexDamaged(
            f"the index at {s.index_location} is damaged ({type(e).__name__}: {str(e)[:120]}): "
            "run `factdesk ingest --rebuild`") from None

    def _write(self, fn, *args, **kwargs):
        """Every write goes through here: the writer's guard (its lease, in server mode) first."""
        if self.guard is not None:
            self.guard()
        return self._call(fn, *args, **kwargs)

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            self._raise(e)

    @property
    def sentences(self):
        return self._cols["sentences"]

    @property
    def sources_col(self):
        return self._cols["sources"]

    @property
    def links_col(self):
        return self._cols["links"]

    def _identity(self) -> tuple[int, int] | None:
        """Which database file this client opened (embedded): a rebuild swaps in another one."""
        if self.settings.server_mode:
            return None
        try:
            st = (Path(self.settings.data_dir) / self.folder / "chroma.sqlite3").stat()
            return st.st_dev, st.st_ino
        except OSError:
            return None

    def replaced(self) -> bool:
        """True when the folder this client opened has been replaced since (`--rebuild` swapped
        in a new index, or it was deleted): a reader must reopen, its client still sees the old
        files."""
        return self._opened is not None and self._identity() != self._opened

    # -- batched operations ---------------------------------------------------------------
    def upsert(self, col: Any, ids: Sequence[str], documents: Sequence[str] | None,
               metadatas: Sequence[dict[str, Any]], embeddings: Sequence[Any] | None = None) -> None:
        """Upsert in batches no larger than the server's limit (records without vectors get a dummy;
        `documents` None: none written, Chroma's full-text index left alone)."""
        for a, b in chunks(len(ids), self.max_batch):
            vecs = list(embeddings[a:b]) if embeddings is not None else [DUMMY] * (b - a)
            docs = {"documents": list(documents[a:b])} if documents is not None else {}
            try:
                self._write(col.upsert, ids=list(ids[a:b]), embeddings=vecs, metadatas=list(metadatas[a:b]), **docs)
            except IndexDamaged:
                # Chroma's log compaction fails on a full disk saying something else, and frees what
                # it took when it gives up: a batch needing more than the space left is the full disk.
                need = sum(_BYTES_PER_CHAR * (len(str(d)) + len(str(m))) + 4 * len(v) + 256
                           for d, m, v in zip(docs.get("documents", [""] * (b - a)), metadatas[a:b], vecs))
                if not self.settings.server_mode and _free_bytes(self.settings.data_dir) < need:
                    raise disk_full_error(self.settings) from None
                raise

    def delete_ids(self, col: Any, ids: Sequence[str]) -> None:
        for a, b in chunks(len(ids), self.max_batch):
            self._write(col.delete, ids=list(ids[a:b]))

    def existing_ids(self, col: Any, ids: Sequence[str]) -> set[str]:
        """Which of these ids have a record (ids only: cheap)."""
        have: set[str] = set()
        for a, b in chunks(len(ids), self.max_batch):
            have.update(self._call(col.get, ids=list(ids[a:b]), include=[])["ids"])
        return have
