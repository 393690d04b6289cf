"""Where a source came from, and the ids that follow from it: a URL's default id, a fetched page
made into a Source, and the rules that keep one origin on one id (never two origins on one id).

Kept apart from `loaders` (which reads bytes into Sources) because these rules are about the
index's identity of a source across runs, not about reading it."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .loaders import build_source, load_html, split_front_matter
from .records import Source, SourceRecord


def url_id(url: str) -> str:
    """The default id of a URL source: host, path and query, so `?id=1` and `?id=2` are two
    sources. A slug that had to be shortened gets a hash of the whole URL, so two long URLs never
    share one by truncation."""
    parsed = urlparse(url)
    base = f"{parsed.netloc}-{parsed.path}" + (f"-{parsed.query}" if parsed.query else "")
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "source"
    if len(slug) <= 80:
        return slug
    return slug[:71].rstrip("-") + "-" + hashlib.sha256(url.encode()).hexdigest()[:8]


def source_from_page(page: Any) -> Source:
    """A Source from a fetched `ingest.fetch.Page`: id from the URL asked for (stable across
    re-ingests), `url` the final one after redirects, `fetched_from` the one asked for."""
    default_id = url_id(page.url)
    if page.kind == "html":
        src = load_html(page.text, default_id=default_id, url=page.final_url, fetched=True)
    else:
        meta, body = split_front_matter(page.text)
        src = build_source(body, meta, default_id=default_id, url=page.final_url, fetched=True)
    src.extra["fetched_from"] = page.url
    return src


def origin_of(rec: SourceRecord) -> str:
    """Where a source record came from: its file, or the URL it was fetched from."""
    return str(rec.path or rec.extra.get("fetched_from") or rec.url or "")


def keep_recorded_id(src: Source, origins: dict[str, str]) -> Source:
    """A fetched page keeps the id its URL already has in the index (`origins`: origin → id), so
    a change in how ids are derived from URLs (the query string, the hash on long ones) never
    turns one page into two sources. Files choose their ids themselves."""
    asked = src.extra.get("fetched_from")
    known = origins.get(str(asked)) if asked else None
    if known and known != src.id:
        return dataclasses.replace(src, id=known)
    return src


def origin_clash(old: SourceRecord | None, src: Source) -> str | None:
    """Why `src` may not take the id of the already indexed `old`, or None. A different origin
    (another file, a URL, another URL) may take it over only when the old file is gone."""
    if not old:
        return None
    before, now = origin_of(old), src.path or str(src.extra.get("fetched_from") or src.url)
    if not before or not now or before == now:
        return None
    if old.path and not is_url(before) and not Path(before).exists():
        return None  # the file moved: the new one takes over its id
    return f"id {src.id!r} already belongs to {before}; set a unique `id:` in its front matter"


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))
