"""One writer per Chroma server and collection prefix: a lease record kept in the index itself.

A file lock only excludes writers that share a data folder; two hosts (or two data folders)
pointing at one server would interleave, and the second would take the first's open journal for a
crash and "recover" — deleting half-written work of a live writer. So in server mode the writer
holds a lease stored in Chroma, where every writer looks: owner token, host, pid, heartbeat and
expiry, in the `__lease__` record of the sources collection.

Taking it: read the record; if another owner's lease has not expired, refuse. Otherwise write ours,
wait `settle` seconds, read it back: only if it is still ours do we hold it. A heartbeat thread
renews it every third of its lifetime, and every write first checks (at most once a second) that
the lease is still ours, stopping the run if it is not (`LeaseLost`; the journal lets the next
holder recover). A writer that dies leaves a lease that expires after `ttl` seconds.

The race window, since Chroma has no compare-and-set: two writers that both read "free" and whose
write → read-back sequences do not overlap can both believe they hold the lease — it needs one
writer's read and write to be more than `settle` seconds apart while the other's whole
write-settle-read happens in between (a stalled process or a very slow server). A writer stalled past
its lease's expiry (SIGSTOP, a long GC, a network partition) can still land the one write it had in
flight when it resumes; its next check then stops it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from .manifest import Reserved

log = logging.getLogger(__name__)

LEASE_ID = Reserved.LEASE.value
_DUMMY = [1.0]


class IngestLocked(Exception):
    """Another writer holds this index; the message says who and what to do."""


class LeaseHeld(Exception):
    """Another live writer holds the lease."""


class LeaseLost(IngestLocked):
    """This writer's lease was taken over (it expired while we stalled): stop writing."""


@dataclass(frozen=True)
class LeaseRecord:
    owner: str
    host: str
    pid: int
    heartbeat: float
    expires: float

    def describe(self) -> str:
        return f"host {self.host}, pid {self.pid}"


class Lease:
    """The writer lease on one Chroma collection (`col`, the manifest collection)."""

    def __init__(self, col: Any, *, ttl: float = 60.0, settle: float = 0.3) -> None:
        self.col = col
        self.ttl = ttl
        self.settle = settle
        self.owner = uuid.uuid4().hex
        self.host = socket.gethostname()
        self._confirmed = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lost = False

    # -- reading and writing the record --------------------------------------------------------
    def read(self) -> LeaseRecord | None:
        rec = self.col.get(ids=[LEASE_ID], include=["metadatas"])
        if not rec["ids"]:
            return None
        m = rec["metadatas"][0] or {}
        try:
            return LeaseRecord(str(m["owner"]), str(m.get("host", "")), int(m.get("pid", 0)),
                               float(m.get("heartbeat", 0.0)), float(m.get("expires", 0.0)))
        except (KeyError, TypeError, ValueError):
            return None  # an unreadable lease protects nobody: treat as free

    def _write(self) -> None:
        now = time.time()
        self.col.upsert(ids=[LEASE_ID], embeddings=[_DUMMY], documents=[""], metadatas=[{
            "kind": "lease", "owner": self.owner, "host": self.host, "pid": os.getpid(),
            "heartbeat": now, "expires": now + self.ttl}])

    # -- life cycle ---------------------------------------------------------------------------------
    def acquire(self) -> None:
        cur = self.read()
        if cur and cur.owner != self.owner and cur.expires > time.time():
            raise LeaseHeld(cur.describe())
        self._write()
        time.sleep(self.settle)
        back = self.read()
        if not back or back.owner != self.owner:
            raise LeaseHeld(back.describe() if back else "a writer that just released it")
        self._confirmed = time.monotonic()
        self._thread = threading.Thread(target=self._beat, name="factdesk-lease", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                cur = self.read()
                if not cur or cur.owner != self.owner:
                    self._lost = True
                    log.warning("the ingest lease was taken over by %s", cur.describe() if cur else "nobody")
                    return
                self._write()
                self._confirmed = time.monotonic()
            except Exception as e:  # noqa: BLE001 — a server hiccup: try again next beat; check() decides
                log.info("lease heartbeat failed: %s", e)

    def check(self) -> None:
        """Before a write: raise LeaseLost unless the lease is still ours (read at most once a second)."""
        if self._lost:
            raise LeaseLost("this ingest lost its lease on the index (it stalled past the lease's expiry); "
                            "another writer took over — run `factdesk ingest` again when it ends")
        if time.monotonic() - self._confirmed < 1.0:
            return
        cur = self.read()
        if not cur or cur.owner != self.owner:
            self._lost = True
            self.check()
        self._confirmed = time.monotonic()

    def move_to(self, col: Any) -> None:
        """Carry the lease into another collection (a rebuilt manifest about to be renamed live)."""
        self.check()
        self.col = col
        self._write()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            cur = self.read()
            if cur and cur.owner == self.owner:
                self.col.delete(ids=[LEASE_ID])
        except Exception as e:  # noqa: BLE001 — it expires on its own
            log.info("could not release the ingest lease (%s); it expires in %gs", e, self.ttl)
