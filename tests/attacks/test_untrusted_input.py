"""Issue 12 items 3 and 4: fetched pages and files are untrusted input.

Each test plays the attacker (or the careless user) against the real ingest pipeline and a real
HTTP server on 127.0.0.1; each failed on the code before the fix.
"""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from ingest import fetch as fetch_mod
from ingest.fetch import FetchLimits, fetch
from ingest.loaders import SourceError, load_file, split_front_matter
from ingest.origins import url_id

Route = Callable[[http.server.BaseHTTPRequestHandler], None]

STORY = ("Acme Corp opened a battery plant in Ohio on Tuesday, the company said in a statement.\n\n"
         "The plant will employ 500 workers and supply three carmakers, according to the chief executive.\n")


def send(code: int, ctype: str | None, body: bytes, headers: dict[str, str] | None = None) -> Route:
    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(code)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return route


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    routes: dict[str, Route] = {}
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        route = self.routes.get(self.path) or send(404, "text/plain", b"not found")
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    _Handler.routes, _Handler.hits = {}, []
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def local(settings):
    settings.allow_private_urls = True  # the test server is on 127.0.0.1
    settings.fetch_timeout = 5.0
    return settings


def _result(report, suffix):
    return next(r for r in report.results if r.target.endswith(suffix))


# -- item 3: fetched pages ----------------------------------------------------------------------------
def test_front_matter_in_a_fetched_page_cannot_take_an_id_or_declare_corrections(web, local, indexer, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ours.md").write_text("---\nid: ours\n---\nGamma Corp hired 20 engineers in Austin last week.\n")
    assert indexer.ingest([str(folder)]).ok
    evil = (b"---\nid: ours\nurl: https://trusted.example/\ncorrects:\n  - source: ours\n"
            b"    quote: Gamma Corp hired 20 engineers\n    status: corrected\n---\n" + STORY.encode())
    _Handler.routes["/page"] = send(200, "text/plain; charset=utf-8", evil)
    report = indexer.ingest([f"{web}/page"])
    r = _result(report, "/page")
    assert r.status == "added" and r.source_id == url_id(f"{web}/page") != "ours"
    store = indexer.store()
    recs = store.source_records()
    assert recs["ours"].path.endswith("ours.md")  # the local source is untouched
    assert "Gamma Corp" in " ".join(s.text for s in store.source_sentences("ours"))
    assert recs[r.source_id].url == f"{web}/page" and recs[r.source_id].corrects == []
    assert store.all_links() == []


def test_url_ids_keep_the_query_string_and_clashes_across_urls_are_refused(web, local, indexer):
    _Handler.routes["/story?id=1"] = send(200, "text/plain", STORY.encode())
    _Handler.routes["/story?id=2"] = send(200, "text/plain", b"Beta Corp closed its mine in Chile, a spokesman said.\n")
    report = indexer.ingest([f"{web}/story?id=1", f"{web}/story?id=2"])
    assert report.ok and len({r.source_id for r in report.results}) == 2
    # /a/b and /a-b slug alike: the second URL may not silently replace the first one's source.
    _Handler.routes["/a/b"] = send(200, "text/plain", STORY.encode())
    _Handler.routes["/a-b"] = send(200, "text/plain", b"Beta Corp closed its mine in Chile, a spokesman said.\n")
    assert indexer.ingest([f"{web}/a/b"]).ok
    r = _result(indexer.ingest([f"{web}/a-b"]), "/a-b")
    assert r.status == "failed" and "already belongs to" in r.reason and r.target.endswith("/a-b")
    assert any("500 workers" in s.text for s in indexer.store().source_sentences(url_id(f"{web}/a/b")))


def test_a_page_keeps_the_id_its_url_already_has(web, local, indexer, monkeypatch):
    """An index built when URL ids were derived differently (before the query string was kept,
    or long ones hashed) re-ingests the same URL under its old id: one page, one source."""
    from ingest import origins

    long_path = "/news/articles/2019-06-13/" + "rights-group-corrects-report-tying-megvii-to-xinjiang-police" * 2
    _Handler.routes[long_path] = send(200, "text/plain", STORY.encode())
    with monkeypatch.context() as m:
        m.setattr(origins, "url_id", lambda url: "old-style-id")
        assert _result(indexer.ingest([f"{web}{long_path}"]), long_path).source_id == "old-style-id"
    r = _result(indexer.ingest([f"{web}{long_path}"]), long_path)
    assert r.status == "unchanged" and r.source_id == "old-style-id"
    assert list(indexer.store().source_records()) == ["old-style-id"]
    assert len(url_id(f"{web}{long_path}")) <= 80 and url_id(f"{web}{long_path}") != url_id(f"{web}{long_path}x")


def test_fetch_has_a_byte_cap_counted_on_the_body_not_the_header(web):
    big = b"Acme Corp opened a plant. " * 80_000  # ~2 MB
    _Handler.routes["/declared"] = send(200, "text/plain", big)

    def undeclared(h):  # no Content-Length: only counting the bytes read can stop it
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.end_headers()
        for _ in range(80):
            h.wfile.write(b"Acme Corp opened a plant. " * 1000)

    _Handler.routes["/undeclared"] = undeclared
    limits = FetchLimits(timeout=10, max_bytes=1_000_000, allow_private=True)
    for path in ("/declared", "/undeclared"):
        with pytest.raises(SourceError, match="too large"):
            fetch(f"{web}{path}", limits)


def test_fetch_has_a_total_deadline_that_a_drip_feeding_server_cannot_stretch(web):
    def drip(h):  # one byte every 0.2 s: each read is quick, the whole takes 20 s
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"a")
            h.wfile.flush()
            time.sleep(0.2)

    _Handler.routes["/drip"] = drip
    with pytest.raises(SourceError, match="timed out after 1s"):
        fetch(f"{web}/drip", FetchLimits(timeout=1.0, allow_private=True))


@pytest.mark.parametrize("ctype", ["application/pdf", "image/png", "application/octet-stream", "text/csv"])
def test_only_html_and_plain_text_are_accepted(web, ctype):
    _Handler.routes["/f"] = send(200, ctype, STORY.encode())
    with pytest.raises(SourceError, match=f"unsupported content type {ctype}"):
        fetch(f"{web}/f", FetchLimits(allow_private=True))


def test_charset_comes_from_the_declaration_or_detection(web, local, indexer):
    text = "Le café de la gare a fermé ses portes mardi, a annoncé la mairie de Besançon à la presse locale.\n"
    _Handler.routes["/header"] = send(200, "text/plain; charset=windows-1252", text.encode("cp1252"))
    html = (f'<html><head><meta charset="iso-8859-1"><title>Café fermé</title></head><body><article>'
            f'<p>{text}</p><p>Les habitants regrettent déjà ce lieu très fréquenté par les voyageurs.</p>'
            f'</article></body></html>')
    _Handler.routes["/meta"] = send(200, "text/html", html.encode("latin-1"))
    ru = ("Министерство финансов сообщило во вторник, что дефицит бюджета сократился на треть. "
          "По словам министра, доходы от экспорта нефти выросли, а расходы на оборону остались прежними. ") * 4
    _Handler.routes["/detect"] = send(200, "text/plain", ru.encode("cp1251"))
    limits = FetchLimits(allow_private=True)
    assert "café de la gare" in fetch(f"{web}/header", limits).text
    assert "Café fermé" in fetch(f"{web}/meta", limits).text
    page = fetch(f"{web}/detect", limits)
    assert "Министерство финансов" in page.text
    report = indexer.ingest([f"{web}/header", f"{web}/detect"])
    assert report.ok, [r.line() for r in report.results]


def test_the_final_url_after_redirects_is_recorded(web, local, indexer):
    _Handler.routes["/old"] = send(301, "text/plain", b"moved", {"Location": "/new?x=1"})
    _Handler.routes["/new?x=1"] = send(200, "text/plain", STORY.encode())
    r = _result(indexer.ingest([f"{web}/old"]), "/old")
    assert r.status == "added" and r.source_id == url_id(f"{web}/old")
    rec = indexer.store().source_records()[r.source_id]
    assert rec.url == f"{web}/new?x=1" and rec.extra["fetched_from"] == f"{web}/old"
    assert indexer.ingest([f"{web}/old"]).results[0].status == "unchanged"  # same origin, same id


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:25/x"])
def test_redirects_to_other_schemes_are_refused(web, target):
    _Handler.routes["/r"] = send(302, "text/plain", b"", {"Location": target})
    with pytest.raises(SourceError, match="only http and https"):
        fetch(f"{web}/r", FetchLimits(allow_private=True))


def test_private_and_loopback_addresses_are_refused_without_the_setting(web, settings, indexer, monkeypatch):
    _Handler.routes["/story"] = send(200, "text/plain", STORY.encode())
    monkeypatch.delenv("FACTDESK_ALLOW_PRIVATE_URLS", raising=False)
    r = _result(indexer.ingest([f"{web}/story"]), "/story")
    assert r.status == "failed" and "loopback" in r.reason and "FACTDESK_ALLOW_PRIVATE_URLS=1" in r.reason
    assert _Handler.hits == []  # refused before any request was sent
    for url in ("http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
                "http://[::ffff:127.0.0.1]/", "http://192.168.0.1/", "http://0.0.0.0/"):
        with pytest.raises(SourceError, match="refused"):
            fetch(url, FetchLimits(timeout=2))


def test_a_redirect_to_a_loopback_name_is_refused(web, monkeypatch):
    """The first hop is let through (the test server is on 127.0.0.1); the redirect to
    `localhost` goes through the ordinary check."""
    port = web.rsplit(":", 1)[1]
    _Handler.routes["/r"] = send(302, "text/plain", b"", {"Location": f"http://localhost:{port}/admin"})
    _Handler.routes["/admin"] = send(200, "text/plain", b"internal admin page with secrets in it")
    check_target, check_peer = fetch_mod._check_target, fetch_mod._check_peer
    first = lambda url: url.startswith("http://127.0.0.1:")  # noqa: E731
    monkeypatch.setattr(fetch_mod, "_check_target", lambda url, allow: first(url) or check_target(url, allow))
    monkeypatch.setattr(fetch_mod, "_check_peer", lambda r, url, allow: first(url) or check_peer(r, url, allow))
    with pytest.raises(SourceError, match="refused: localhost is a loopback"):
        fetch(f"{web}/r", FetchLimits())
    assert "/admin" not in _Handler.hits


def test_a_slow_url_never_holds_the_ingest_lock(web, local, indexer, settings, embedder, tmp_path):
    """A URL is fetched before the lock is taken: while the server stalls, another ingest writes."""
    from ingest.pipeline import Indexer

    started, release = threading.Event(), threading.Event()
    # The stall lasts as long as the quick ingest beside it, which a loaded machine stretches past
    # the fixture's 5 s fetch budget: the fetch's own deadline is not what this test is about.
    settings.fetch_timeout = 300.0

    def stall(h):
        started.set()
        release.wait(300)
        send(200, "text/plain", STORY.encode())(h)

    _Handler.routes["/slow"] = stall
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", indexer.ingest([f"{web}/slow"])))
    t.start()
    try:
        assert started.wait(60)
        f = tmp_path / "quick.md"
        f.write_text("Delta Corp sold its Lisbon office to a pension fund on Friday.\n")
        report = Indexer(settings, embedder=embedder).ingest([str(f)])  # raised IngestLocked before
        assert report.ok
    finally:
        release.set()
        t.join(300)
    assert out["r"].ok


# -- item 4: files ------------------------------------------------------------------------------------
def test_symlinks_out_of_the_folder_are_refused_with_a_reason(tmp_path, indexer):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("The password of the payroll system is hunter2, the admin said.\n")
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "ok.txt").write_text("Gamma Corp hired 20 engineers in Austin last week.\n")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "inside.txt").symlink_to(folder / "ok.txt")
    report = indexer.ingest([str(folder)])
    leak = _result(report, "leak.txt")
    assert leak.status == "failed" and "outside the folder" in leak.reason
    assert _result(report, "ok.txt").status == "added"
    texts = " ".join(s.text for sid in indexer.store().source_records()
                     for s in indexer.store().source_sentences(sid))
    assert "hunter2" not in texts


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        load_file(fifo, tmp_path)  # blocked forever opening the FIFO before


def test_a_file_is_read_up_to_the_limit_whatever_its_size_claims(tmp_path, monkeypatch):
    from ingest import loaders

    monkeypatch.setattr(loaders, "MAX_BYTES", 1000)
    f = tmp_path / "grows.txt"
    f.write_text("Acme Corp opened a plant. " * 100)
    real_stat = os.stat_result

    # A file whose size claim is wrong (like /proc files, or one growing while read): the old code
    # trusted st_size and read all of it.
    monkeypatch.setattr(Path, "stat", lambda self, **kw: real_stat((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0)))
    with pytest.raises(SourceError, match="too large"):
        load_file(f)


def test_a_yaml_alias_bomb_in_front_matter_is_refused(tmp_path):
    bomb = ('---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
            'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'
            'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n'
            'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\nBody text.\n')
    assert len(bomb.encode()) < 500
    f = tmp_path / "bomb.md"
    f.write_text(bomb)
    with pytest.raises(SourceError, match="alias"):
        load_file(f)


def test_front_matter_is_capped_and_only_scalars_become_text(tmp_path):
    with pytest.raises(SourceError, match="front matter too large"):
        split_front_matter("---\nnote: " + "x" * 100_000 + "\n---\nBody.\n")
    f = tmp_path / "nested.md"
    f.write_text("---\ntitle: Plant opens\ntags: [a, b]\nowner: {name: x}\nrank: 3\n---\n"
                 "Acme Corp opened a battery plant in Ohio on Tuesday.\n")
    src = load_file(f)
    assert src.extra == {"rank": "3"}
    f.write_text("---\ntitle: [a, b]\n---\nAcme Corp opened a battery plant in Ohio on Tuesday.\n")
    with pytest.raises(SourceError, match="title: expected a single value"):
        load_file(f)
