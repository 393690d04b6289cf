"""A source file's fingerprint: is it byte for byte what was indexed, read by the same loader?

A re-ingest of an archive whose files did not change must not parse them again (front matter,
HTML, cleaning cost ~4 ms a file: 40 s at 10,000 sources). The manifest records each file
source's fingerprint — the SHA-256 of its bytes and of the loading code (`ingest/loaders.py`,
`clean.py`, `dates.py`, which decide what a file's bytes become) — and the planner skips a file
whose fingerprint matches a complete record of the same path. A change to the loading code
changes every fingerprint, so the next run parses every file once more (and, as always, re-embeds
only sources whose cleaned text changed).

Reading and hashing every file still grew with the archive (0.73 s for 9,115 files), so the
record also keeps the file's size, mtime_ns and inode as seen when it was read, and the moment it
was read (`mark`). A file whose stat matches is unchanged without reading its bytes (`same_stat`),
as git's index does — except a file that was "racily clean": modified less than `RACY_NS` before
it was read, when a later write in the same timestamp tick could leave the stat unchanged; such a
file is read and hashed again. An edit that restores size and mtime by hand is not seen by the
stat; `FACTDESK_HASH_ALL=1` (`Settings.hash_all_files`) reads and hashes every file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache
from pathlib import Path

from .listing import SUFFIXES, suffix

# A file modified this close to the moment it was read may change again within the same mtime tick
# (coarse kernel clocks, 1-2 s on FAT and some network filesystems): its stat proves nothing.
RACY_NS = 2_000_000_000

_LOADING_CODE = ("loaders.py", "clean.py", "dates.py")


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _LOADING_CODE:
        try:
            h.update((here / name).read_bytes())
        except OSError:  # an installed copy without sources: fingerprints still tell bytes apart
            h.update(name.encode())
    return h.digest()


def fingerprint(data: bytes) -> str:
    """The fingerprint of a file's bytes under this version of the loading code."""
    return hashlib.sha256(_code_digest() + data).hexdigest()


def file_stat(path: Path, root: Path | None, dirs: dict[str, str]) -> tuple[str, os.stat_result] | None:
    """A source file's real path and stat without reading it (None for anything `read_file` must
    judge: a symlink, not a regular file, another suffix, outside `root`). One lstat a file: the
    folders' real paths are resolved once per plan (`dirs`, by folder). Strings, not `Path`
    objects, past the lstat: at 9,115 files the pathlib work cost three times the syscalls."""
    p = os.fspath(path)
    parent, name = os.path.split(p)
    top = os.fspath(root) if root is not None else None
    try:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode) or suffix(name) not in SUFFIXES:
            return None
        for d in (parent, top):
            if d is not None and d not in dirs:
                dirs[d] = os.path.realpath(d)
    except (OSError, RuntimeError):
        return None
    real = os.path.join(dirs[parent], name)
    inside = top is None or real.startswith(dirs[top].rstrip(os.sep) + os.sep)
    return (real, st) if inside else None


def mark(fp: str, got: tuple[str, os.stat_result] | None, read_ns: int) -> str:
    """What a record keeps of a file: its fingerprint, then (when known) its size, mtime_ns and
    inode after it was read, the moment the read began and the loading code's digest."""
    if got is None:
        return fp
    st = got[1]
    return f"{fp} {st.st_size} {st.st_mtime_ns} {st.st_ino} {read_ns} {_code_digest().hex()[:16]}"


def digest(recorded: str) -> str:
    """The fingerprint of the bytes, without the stat (records before stats hold only this)."""
    return recorded.split(" ", 1)[0]


def same_stat(recorded: str, st: os.stat_result) -> bool:
    """True when `st` proves the file is what was fingerprinted: same size, mtime, inode and loading
    code, and the mtime safely older than the read (not racily clean)."""
    parts = recorded.split(" ")
    if len(parts) != 6:
        return False
    _, size, mtime, ino, read_ns, code = parts
    return (size == str(st.st_size) and mtime == str(st.st_mtime_ns) and ino == str(st.st_ino)
            and code == _code_digest().hex()[:16] and int(mtime) < int(read_ns) - RACY_NS)


def worth_recording(recorded: str, new: str) -> bool:
    """Whether an unchanged file's new mark should replace its record (a write): only when it lets
    later runs skip reading the file — settled (not racily clean) — and the record does not
    already say as much. A racy file is hashed each run until it settles, with no write."""
    p, q = new.split(" "), recorded.split(" ")
    if len(p) != 6 or int(p[2]) >= int(p[4]) - RACY_NS:
        return False
    return len(q) != 6 or q[1:4] + q[5:] != p[1:4] + p[5:] or int(q[2]) >= int(q[4]) - RACY_NS
