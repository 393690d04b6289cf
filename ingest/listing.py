"""Which files of a folder are sources, in a stable order: the listing a folder ingest starts with.

Kept apart from `ingest.loaders` (which decides what a file's bytes become, and whose code is part
of every file's fingerprint): how a folder is walked changes no source.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
_SKIPPED = {"readme.md", "readme.txt"}


def iter_files(folder: Path) -> Iterator[Path]:
    """Source files under a folder, recursively, in a stable order; hidden files skipped.

    The order is that of the sorted paths (each folder's entries by name, a folder's files right
    after its name), read with one `os.scandir` a folder: no stat of each file, which `rglob`
    plus `is_file` paid for every file of the archive. Symlinked folders are not entered and
    unreadable ones are skipped, as `Path.rglob` does; a symlink to a file is listed."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        if _is(e.is_dir, follow_symlinks=False):
            yield from iter_files(folder / e.name)
        elif _is(e.is_file) and suffix(e.name) in SUFFIXES and e.name.lower() not in _SKIPPED:
            yield folder / e.name


def _is(test, **kw) -> bool:  # type: ignore[no-untyped-def]
    """A DirEntry type test; False where `Path.is_file`/`is_dir` would say so (gone, a loop)."""
    try:
        return bool(test(**kw))
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise


def suffix(name: str) -> str:
    """`Path(name).suffix`, lower-cased, without making a Path."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""
