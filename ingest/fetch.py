"""Fetch a web page for ingest, treating everything about it as untrusted.

A URL names someone else's server: it may be slow on purpose, send gigabytes, answer with a PDF,
redirect to `file:` or to a service on our own network. So a fetch has one total deadline (not a
per-read timeout a drip-feeding server can stretch forever), a byte cap counted on the decoded
body (a gzip bomb stops at the cap), accepts only HTML and plain text, and follows at most a few
redirects itself, checking each hop's scheme and address. Loopback, private, link-local and other
non-public addresses are refused unless FACTDESK_ALLOW_PRIVATE_URLS=1 (tests and intranets).

The address is checked twice: the host's resolved addresses before connecting, and the peer the
socket actually connected to once the response arrives (so a DNS answer that changes between the
two — rebinding — is still caught before the body is read). Through an HTTP proxy only the first
check is possible, and a name the local resolver cannot resolve is left to the proxy.

Fetching is separate from indexing so the indexer can fetch every URL before it takes the ingest
lock: a slow server never holds up another writer.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .loaders import META_CHARSET, SourceError

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
USER_AGENT = "factdesk/0.1 (+https://github.com/factdesk)"


@dataclass(frozen=True)
class Page:
    """A fetched page: the URL asked for, where it ended up after redirects, its kind and text."""

    url: str
    final_url: str
    kind: str  # "html" | "text"
    text: str
    charset: str


@dataclass(frozen=True)
class FetchLimits:
    """How much a fetch may cost: seconds in total, decoded bytes, and whether non-public
    addresses may be reached."""

    timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    allow_private: bool = False


def fetch(url: str, limits: FetchLimits) -> Page:
    """The page at `url`, or a SourceError with a one-line reason. The deadline is kept by the
    caller's clock: the work runs in a daemon thread, and when time is up the caller gets its
    error at once while the thread is told to stop at its next read (its own per-operation
    timeouts end it soon after)."""
    result: list[Page | BaseException] = []
    cancel = threading.Event()
    deadline = time.monotonic() + limits.timeout

    def work() -> None:
        try:
            result.append(_fetch(url, limits, deadline, cancel))
        except BaseException as e:  # noqa: BLE001 — handed to the caller
            result.append(e)

    t = threading.Thread(target=work, name="factdesk-fetch", daemon=True)
    t.start()
    t.join(max(0.0, deadline - time.monotonic()) + 0.05)
    if not result:
        cancel.set()
        raise SourceError(f"timed out after {limits.timeout:g}s (the whole fetch must finish within that)")
    out = result[0]
    if isinstance(out, BaseException):
        raise out
    return out


def _fetch(url: str, limits: FetchLimits, deadline: float, cancel: threading.Event) -> Page:
    current = url
    with httpx.Client(follow_redirects=False, headers={"User-Agent": USER_AGENT,
                                                        "Accept": "text/html, text/plain;q=0.9"}) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            proxied = _check_target(current, limits.allow_private)
            left = deadline - time.monotonic()
            if left <= 0:
                raise SourceError(f"timed out after {limits.timeout:g}s (the whole fetch must finish within that)")
            try:
                with client.stream("GET", current, timeout=httpx.Timeout(left)) as resp:
                    if not proxied:
                        _check_peer(resp, current, limits.allow_private)
                    if resp.is_redirect:
                        loc = resp.headers.get("location", "")
                        if not loc:
                            raise SourceError(f"HTTP {resp.status_code} redirect without a Location")
                        current = urljoin(current, loc)
                        continue
                    if resp.status_code >= 400:
                        raise SourceError(f"HTTP {resp.status_code} {resp.reason_phrase}")
                    kind, declared = _kind(resp.headers.get("content-type", ""))
                    data = _read_capped(resp, limits, deadline, cancel)
            except httpx.TimeoutException:
                raise SourceError(f"timed out after {limits.timeout:g}s (the whole fetch must finish within that)") from None
            except httpx.HTTPError as e:
                raise SourceError(f"could not fetch: {e.__class__.__name__}: {_one_line(str(e))}") from None
            if not data.strip():
                raise SourceError("empty response")
            if kind is None:
                kind = _sniff(data)
            text, charset = decode(data, declared, html=kind == "html")
            return Page(url=url, final_url=current, kind=kind, text=text, charset=charset)
    raise SourceError(f"more than {MAX_REDIRECTS} redirects")


def _one_line(s: str) -> str:
    return " ".join(s.split())[:200]


# -- where a request may go ------------------------------------------------------------------------
def _check_target(url: str, allow_private: bool) -> bool:
    """Refuse a scheme other than http(s) or a non-public host; True when a proxy will connect."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceError(f"refused: {parts.scheme or 'a relative'}: address ({_one_line(url)[:80]}); "
                          "only http and https are fetched")
    host = parts.hostname
    if not host:
        raise SourceError(f"no host in {_one_line(url)[:80]}")
    proxied = bool(urllib.request.getproxies().get(parts.scheme)) and not urllib.request.proxy_bypass(host)
    if allow_private:
        return proxied
    try:
        addrs = {ai[4][0] for ai in socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                                        type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        if proxied:
            return True
        raise SourceError(f"could not resolve host {host!r}") from None
    for a in addrs:
        _refuse_private(host, a)
    return proxied


def _check_peer(resp: httpx.Response, url: str, allow_private: bool) -> None:
    if allow_private:
        return
    stream = resp.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        _refuse_private(urlsplit(url).hostname or "?", str(peer[0]))


def _refuse_private(host: str, addr: str) -> None:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        what = "a loopback" if ip.is_loopback else "a private or reserved"
        raise SourceError(f"refused: {host} is {what} address ({ip}); "
                          "set FACTDESK_ALLOW_PRIVATE_URLS=1 to fetch from your own network")


# -- what a response may be ------------------------------------------------------------------------
def _kind(content_type: str) -> tuple[str | None, str]:
    """("html" | "text" | None when undeclared, the declared charset)."""
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    m = re.search(r"charset\s*=\s*\"?([^\";\s]+)", params, re.I)
    charset = m.group(1) if m else ""
    if not media:
        return None, charset
    if media in HTML_TYPES:
        return "html", charset
    if media in TEXT_TYPES:
        return "text", charset
    raise SourceError(f"unsupported content type {media}: only HTML and plain text pages are ingested")


def _sniff(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise SourceError("binary content, not text")
    return "html" if data.lstrip()[:1] == b"<" else "text"


def _read_capped(resp: httpx.Response, limits: FetchLimits, deadline: float, cancel: threading.Event) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise SourceError(f"page too large ({int(declared):,} bytes; the limit is {limits.max_bytes:,})")
    buf = bytearray()
    for chunk in resp.iter_bytes(CHUNK):  # decoded bytes: a compressed bomb stops at the cap too
        buf += chunk
        if len(buf) > limits.max_bytes:
            raise SourceError(f"page too large (over {limits.max_bytes:,} bytes)")
        if cancel.is_set() or time.monotonic() > deadline:
            raise SourceError(f"timed out after {limits.timeout:g}s (the whole fetch must finish within that)")
    return bytes(buf)


def decode(data: bytes, declared: str, *, html: bool) -> tuple[str, str]:
    """Text and the charset used: a byte-order mark, then the declared charset (HTTP header, or
    an HTML <meta> in the first 4 KB), then UTF-8, then statistical detection."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    candidates = [declared]
    if html:
        m = META_CHARSET.search(data[:4096])
        if m:
            candidates.append(m.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for enc in candidates:
        if not enc:
            continue
        try:
            return data.decode(enc), enc.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        raise SourceError("cannot tell the text's character encoding")
    return str(best), best.encoding
