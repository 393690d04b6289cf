"""Read sources — files, folders and URLs — into `Source` records, or fail with one clear reason.

Every failure is a `SourceError` whose message fits on one line, so ingest can report it
next to the source's name and carry on with the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from .clean import clean_text
from .records import Source

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 50 * 1024 * 1024
STATUSES = ("corrected", "superseded")


class SourceError(Exception):
    """A source that cannot be ingested; the message says why, on one line."""


def slugify(value: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return s[:80] or "source"


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def normalise_date(value: Any) -> str:
    """ISO date, keeping partial dates ("2019-06") partial; "" when absent."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    m = _DATE.match(str(value).strip())
    if not m:
        raise SourceError(f"published: {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.groups()
    try:
        if d:
            return dt.date(int(y), int(mo), int(d)).isoformat()
        if mo:
            if not 1 <= int(mo) <= 12:
                raise ValueError
            return f"{y}-{mo}"
    except ValueError:
        raise SourceError(f"published: {value!r} is not a valid date") from None
    return y


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between `---` lines at the very top; the body is returned untouched."""
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].strip() != "---":
        return {}, text
    m = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[first_nl + 1:], re.M)
    if not m:
        raise SourceError("malformed front matter: no closing '---' line")
    raw = text[first_nl + 1: first_nl + 1 + m.start()]
    body_start = first_nl + 1 + m.end()
    if text[body_start:body_start + 1] == "\n":
        body_start += 1
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as e:
        reason = str(e).replace("\n", " ")
        raise SourceError(f"malformed front matter: {reason[:200]}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError("malformed front matter: expected key: value pairs")
    return meta, text[body_start:]


def _validate_corrects(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise SourceError(f"corrects entry {i}: expected source, quote, status, note")
        src, quote = item.get("source"), item.get("quote")
        status = str(item.get("status", "corrected")).lower()
        if not src or not isinstance(src, str):
            raise SourceError(f"corrects entry {i}: 'source' (the corrected source's id) is required")
        if not quote or not isinstance(quote, str):
            raise SourceError(f"corrects entry {i}: 'quote' (exact words of the corrected sentence) is required")
        if status not in STATUSES:
            raise SourceError(f"corrects entry {i}: status must be one of {', '.join(STATUSES)}, not {status!r}")
        by = item.get("by")
        if by is not None and not isinstance(by, str):
            raise SourceError(f"corrects entry {i}: 'by' must be a quote from this source")
        out.append({"source": src, "quote": quote, "status": status, "note": str(item.get("note", "")), "by": by})
    return out


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise SourceError("empty file")
    if b"\x00" in data[:8192]:
        raise SourceError("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(f"not valid UTF-8 (byte {e.start})") from None
    return text


def _strip_markdown(body: str) -> str:
    """Headings lose their `#` markers (the heading words stay verbatim)."""
    return re.sub(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", r"\1", body, flags=re.M)


def build_source(
    body: str, meta: dict[str, Any], *, default_id: str, path: str = "", url: str = ""
) -> Source:
    cleaned = clean_text(body)
    if not cleaned.text.strip():
        raise SourceError("no article text left after cleaning")
    sid = meta.get("id") or default_id
    if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", sid):
        raise SourceError(f"id {sid!r}: use letters, digits, '.', '_' and '-'")
    title = str(meta.get("title") or "").strip()
    if not title:
        first = cleaned.text.split("\n", 1)[0].strip()
        title = first[:120]
    known = {"id", "title", "publisher", "published", "date", "url", "byline", "author", "corrects"}
    return Source(
        id=sid,
        title=title,
        text=cleaned.text,
        sha256=hashlib.sha256(
            (cleaned.text + "\x00" + repr(sorted((k, str(v)) for k, v in meta.items()))).encode()
        ).hexdigest(),
        publisher=str(meta.get("publisher") or ""),
        published=normalise_date(meta.get("published", meta.get("date"))),
        url=str(meta.get("url") or url or ""),
        path=path,
        byline=str(meta.get("byline") or meta.get("author") or cleaned.byline or ""),
        contacts=cleaned.contacts,
        furniture=cleaned.furniture + ([cleaned.dateline] if cleaned.dateline else []),
        corrects=_validate_corrects(meta.get("corrects")),
        extra={k: str(v) for k, v in meta.items() if k not in known},
    )


def load_html(html: str, *, default_id: str, path: str = "", url: str = "") -> Source:
    import trafilatura

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
        md = trafilatura.extract_metadata(html)
    except Exception as e:  # trafilatura raises assorted lxml errors on junk
        raise SourceError(f"could not parse HTML: {e}") from None
    if not text or not text.strip():
        raise SourceError("no article text found in the HTML")
    meta: dict[str, Any] = {}
    if md is not None:
        for key, attr in (("title", "title"), ("publisher", "sitename"), ("byline", "author"), ("url", "url")):
            val = getattr(md, attr, None)
            if val:
                meta[key] = val
        if getattr(md, "date", None):
            meta["published"] = md.date
    # trafilatura keeps one paragraph per line; make them blank-line separated paragraphs,
    # and put the headline first so it is a sentence like in text sources.
    paras = [p for p in text.split("\n") if p.strip()]
    if meta.get("title") and (not paras or paras[0].strip() != meta["title"].strip()):
        paras.insert(0, meta["title"])
    return build_source("\n\n".join(paras), meta, default_id=default_id, path=path, url=url)


def load_file(path: Path) -> Source:
    if not path.exists():
        raise SourceError("no such file")
    if path.is_dir():
        raise SourceError("is a folder")
    if path.suffix.lower() not in SUFFIXES:
        raise SourceError(f"unsupported file type {path.suffix or '(none)'}: use .txt, .md or .html")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"file too large ({size // 1_048_576} MB; the limit is {MAX_BYTES // 1_048_576} MB)")
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror}") from None
    text = _decode(data, path.name)
    default_id = slugify(path.stem)
    if path.suffix.lower() in HTML_SUFFIXES:
        return load_html(text, default_id=default_id, path=str(path.resolve()))
    meta, body = split_front_matter(text)
    if path.suffix.lower() in {".md", ".markdown"}:
        body = _strip_markdown(body)
    return build_source(body, meta, default_id=default_id, path=str(path.resolve()))


def load_url(url: str, timeout: float = 15.0) -> Source:
    import httpx

    parsed = urlparse(url)
    default_id = slugify(f"{parsed.netloc}-{parsed.path}")
    try:
        resp = httpx.get(url, timeout=timeout, follow_redirects=True, headers={"User-Agent": "factdesk/0.1"})
    except httpx.TimeoutException:
        raise SourceError(f"timed out after {timeout:g}s") from None
    except httpx.HTTPError as e:
        raise SourceError(f"could not fetch: {e.__class__.__name__}: {e}") from None
    if resp.status_code >= 400:
        raise SourceError(f"HTTP {resp.status_code} {resp.reason_phrase}")
    ctype = resp.headers.get("content-type", "")
    text = _decode(resp.content, url) if resp.content else ""
    if not text:
        raise SourceError("empty response")
    if "html" in ctype or text.lstrip()[:1] == "<":
        return load_html(text, default_id=default_id, url=url)
    meta, body = split_front_matter(text)
    return build_source(body, meta, default_id=default_id, url=url)


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def iter_files(folder: Path) -> Iterator[Path]:
    """Source files under a folder, recursively, in a stable order; hidden files skipped."""
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in SUFFIXES and not any(
            part.startswith(".") for part in p.relative_to(folder).parts
        ) and p.name.lower() not in {"readme.md", "readme.txt"}:
            yield p
