"""Read sources — files, folders and URLs — into `Source` records, or fail with one clear reason.

Every failure is a `SourceError` whose message fits on one line, so ingest can report it
next to the source's name and carry on with the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .clean import clean_text
from .listing import HTML_SUFFIXES, SUFFIXES, TEXT_SUFFIXES, iter_files  # noqa: F401  (re-exported)
from .records import Source

MAX_BYTES = 50 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024  # a page of metadata; more is not metadata
STATUSES = ("corrected", "superseded")


class SourceError(Exception):
    """A source that cannot be ingested; the message says why, on one line."""


def slugify(value: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return s[:80] or "source"


# The whole value, or the date before a time ("2019-06-10T10:00Z", "2019-06-10 10:00"): a prefix of
# "2019/06/10" or "20190610" read as the year "2019" would silently date the source to a year.
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s])")


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


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without aliases: `*name` lets a few hundred bytes expand into gigabytes (the
    "billion laughs"), and front matter never needs one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise SourceError("front matter uses a YAML alias (*name); aliases are not allowed")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        """A date-shaped value that is no real date ("2024-13-45", "2023-02-30") stays text, so
        the field's own check names it ("published: '2024-13-45' is not a valid date") instead of
        PyYAML's bare ValueError escaping as a logged traceback."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


    def construct_yaml_int(self, node: Any) -> Any:
        """A number not written in plain decimal ("007", "0x1f", "1_000") stays text as written:
        YAML 1.1 would make `id: 007` the id "7" (and `0123` octal 83)."""
        value = super().construct_yaml_int(node)
        return value if str(value) == str(node.value) else self.construct_scalar(node)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _NoAliasLoader.construct_yaml_timestamp)
_NoAliasLoader.add_constructor("tag:yaml.org,2002:int", _NoAliasLoader.construct_yaml_int)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, dt.date))


def _text(meta: dict[str, Any], *keys: str) -> str:
    """The first present key's value as text; a list or mapping where one value belongs is an error."""
    for k in keys:
        v = meta.get(k)
        if v is None or v == "":
            continue
        if not _scalar(v):
            raise SourceError(f"{k}: expected a single value, not a {'list' if isinstance(v, list) else 'mapping'}")
        return str(v)
    return ""


def yaml_reason(e: yaml.YAMLError, first_line: int = 1) -> str:
    """PyYAML's problem and where it is in the file, not its multi-line snippet of the text. Its
    marks count from 0 in the YAML text, which starts on the file's line `first_line` (front
    matter: 2, after the opening `---`)."""
    problem, mark = getattr(e, "problem", None), getattr(e, "problem_mark", None)
    if not problem:
        return " ".join(str(e).split())[:200]
    where = f" (line {mark.line + first_line}, column {mark.column + 1})" if mark is not None else ""
    context = getattr(e, "context", None)
    said = f"{context}: {problem}" if context else str(problem)
    return f"{' '.join(said.split())[:200]}{where}"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between `---` lines at the very top; the body is returned untouched."""
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].strip() != "---":
        return {}, text
    m = re.search(r"^(?:---|\.\.\.)[ \t]*\r?$", text[first_nl + 1:], re.M)  # "---\r\n": saved on Windows
    if not m:
        raise SourceError("malformed front matter: no closing '---' line")
    raw = text[first_nl + 1: first_nl + 1 + m.start()]
    if len(raw) > MAX_FRONT_MATTER:
        raise SourceError(f"front matter too large ({len(raw):,} characters; the limit is {MAX_FRONT_MATTER:,})")
    body_start = first_nl + 1 + m.end()
    if text[body_start:body_start + 1] == "\n":
        body_start += 1
    try:
        meta = yaml.load(raw, Loader=_NoAliasLoader) if raw.strip() else {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as e:
        raise SourceError(f"malformed front matter: {yaml_reason(e, first_line=2)}") from None
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


# An HTML page names its charset in a <meta> of its head (a page saved from a browser keeps it).
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def _decode(data: bytes, name: str, *, html: bool = False) -> str:
    """UTF-8 text; an HTML file that is not UTF-8 is read in the charset its <meta> declares (as a
    fetched page is). A text file declares nothing, so it is UTF-8 or refused."""
    if not data.strip():
        raise SourceError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark (Notepad's "Unicode")
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise SourceError(f"not valid UTF-16 (byte {e.start})") from None
    if b"\x00" in data[:8192]:
        raise SourceError("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        m = META_CHARSET.search(data[:4096]) if html else None
        if m:
            try:
                return data.decode(m.group(1).decode("ascii", "ignore"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise SourceError(f"not valid UTF-8 (byte {e.start})") from None
    return text


def _strip_markdown(body: str) -> str:
    """Headings lose their `#` markers (the heading words stay verbatim)."""
    return re.sub(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", r"\1", body, flags=re.M)


def build_source(
    body: str, meta: dict[str, Any], *, default_id: str, path: str = "", url: str = "", fetched: bool = False
) -> Source:
    """A Source from a body and its metadata. A fetched page's metadata is the page author's word,
    not the user's: it never chooses the id (it could overwrite a local source), never declares
    corrections, and never changes the recorded URL (the one actually fetched)."""
    if fetched:
        meta = {k: v for k, v in meta.items() if str(k) not in _UNTRUSTED_KEYS}
    cleaned = clean_text(body)
    if not cleaned.text.strip():
        raise SourceError("no article text left after cleaning")
    sid = meta.get("id") or default_id
    if isinstance(sid, (int, dt.date)) and not isinstance(sid, bool):
        sid = str(sid)  # YAML reads `id: 20240105` as a number and `id: 2024-01-05` as a date: the id is as written
    if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", sid):
        raise SourceError(f"id {str(sid)[:60]!r}: use letters, digits, '.', '_' and '-'")
    title = _text(meta, "title").strip()
    if not title:
        first = cleaned.text.split("\n", 1)[0].strip()
        title = first[:120]
    published = meta.get("published", meta.get("date"))
    if not _scalar(published):
        raise SourceError("published: expected a single date")
    known = {"id", "title", "publisher", "published", "date", "url", "byline", "author", "corrects"}
    return Source(
        id=sid,
        title=title,
        text=cleaned.text,
        sha256=hashlib.sha256(
            (cleaned.text + "\x00" + repr(sorted((str(k), str(v)) for k, v in meta.items()))).encode()
        ).hexdigest(),
        publisher=_text(meta, "publisher"),
        published=normalise_date(published),
        url=url if fetched else (_text(meta, "url") or url),
        path=path,
        byline=_text(meta, "byline", "author") or cleaned.byline or "",
        contacts=cleaned.contacts,
        furniture=cleaned.furniture + ([cleaned.dateline] if cleaned.dateline else []),
        corrects=[] if fetched else _validate_corrects(meta.get("corrects")),
        extra={str(k): str(v) for k, v in meta.items() if str(k) not in known and _scalar(v)},
    )


_UNTRUSTED_KEYS = {"id", "corrects", "url"}


def load_html(html: str, *, default_id: str, path: str = "", url: str = "", fetched: bool = False) -> Source:
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
    return build_source("\n\n".join(paras), meta, default_id=default_id, path=path, url=url, fetched=fetched)


def load_file(path: Path, root: Path | None = None) -> Source:
    """A source file. Only a regular file is read (a FIFO or device would block or never end), at
    most MAX_BYTES of it whatever its size claims; under a folder (`root`) its real path must stay
    inside that folder, so a symlink cannot pull /etc/passwd or another user's files into the index."""
    real, data = read_file(path, root)
    return parse_file(path, real, data)


def read_file(path: Path, root: Path | None = None) -> tuple[Path, bytes]:
    """`load_file`'s checks and read, without parsing: (real path, bytes). The planner fingerprints
    the bytes and parses them (`parse_file`) only when the file changed."""
    if not path.exists():
        raise SourceError("broken symlink" if path.is_symlink() else "no such file")
    if path.is_dir():
        raise SourceError("is a folder")
    if path.suffix.lower() not in SUFFIXES:
        raise SourceError(f"unsupported file type {path.suffix or '(none)'}: use .txt, .md or .html")
    real = path.resolve()
    if root is not None and not real.is_relative_to(root.resolve()):
        raise SourceError(f"refused: a symlink to {real}, outside the folder {root}")
    return real, _read_regular(real)


def parse_file(path: Path, real: Path, data: bytes) -> Source:
    """The Source in a file's bytes (read by `read_file`)."""
    text = _decode(data, path.name, html=path.suffix.lower() in HTML_SUFFIXES)
    default_id = slugify(path.stem)
    if path.suffix.lower() in HTML_SUFFIXES:
        return load_html(text, default_id=default_id, path=str(real))
    meta, body = split_front_matter(text)
    if path.suffix.lower() in {".md", ".markdown"}:
        body = _strip_markdown(body)
    return build_source(body, meta, default_id=default_id, path=str(real))


def _read_regular(real: Path) -> bytes:
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what was opened.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise SourceError("not a regular file")
        try:
            data = f.read(MAX_BYTES + 1)
        except OSError as e:
            raise SourceError(f"cannot read: {e.strerror}") from None
    if len(data) > MAX_BYTES:
        raise SourceError(f"file too large (over {MAX_BYTES // 1_048_576} MB, the limit)")
    return data
