"""Ingest against a real Chroma and the real model: incremental, exact, and safe on bad input."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest

from conftest import ARTICLE, SEED_ID, SOURCES
from ingest.loaders import load_file, split_front_matter


def _snapshot(store):
    from ingest.records import stored_text

    rows = store.sentences.get(include=["documents", "metadatas"])  # the text: metadata, or an older row's document
    return sorted(zip(rows["ids"], map(stored_text, rows["documents"], rows["metadatas"]))), store.source_records()


def test_bundled_article_is_byte_for_byte_after_front_matter():
    original = (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "megvii-hrw-correction-2019.txt")
    if not original.exists():
        pytest.skip("shared corpus not beside the checkout")
    meta, body = split_front_matter(ARTICLE.read_text(encoding="utf-8"))
    assert body.encode() == original.read_bytes()
    assert meta["publisher"] == "Bloomberg" and str(meta["published"]) == "2019-06"


def test_cleaning_keeps_byline_and_drops_furniture():
    src = load_file(ARTICLE)
    assert "ADVERTISEMENT" not in src.text and "©2019" not in src.text and "To contact" not in src.text
    assert src.byline == "Blake Schmidt in Hong Kong"
    assert any("bschmidt16@bloomberg.net" in c for c in src.contacts)
    assert src.text.startswith("Rights Group Corrects Report Tying Megvii to Xinjiang Police")


def test_ingest_twice_is_unchanged_and_embeds_nothing(indexer, embedder):
    first = indexer.ingest([str(SOURCES)])
    assert [r.status for r in first.results] == ["added"]
    before = _snapshot(indexer.store())
    calls = embedder.calls
    second = indexer.ingest([str(SOURCES)])
    assert [r.status for r in second.results] == ["unchanged"]
    assert embedder.calls == calls
    assert _snapshot(indexer.store()) == before


def test_every_stored_sentence_is_exact(indexer):
    indexer.ingest([str(SOURCES)])
    st = indexer.store()
    text = st.get_sources([SEED_ID])[SEED_ID].text
    raw = ARTICLE.read_text(encoding="utf-8")
    rows = st.source_sentences(SEED_ID)
    assert len(rows) == 20
    for r in rows:
        assert text[r.start:r.end] == r.text
        assert r.text in raw


def test_editing_one_sentence_reembeds_only_it_and_leaves_no_orphans(tmp_path, indexer, embedder):
    folder = tmp_path / "src"
    folder.mkdir()
    f = folder / "a.txt"
    shutil.copy(ARTICLE, f)
    indexer.ingest([str(folder)])
    n_before = len(indexer.store().source_sentences(SEED_ID))
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("CETC didn’t respond to calls and emails requesting comment on the report.",
                              "CETC declined to comment."), encoding="utf-8")
    calls = embedder.calls
    report = indexer.ingest([str(folder)])
    assert [r.status for r in report.results] == ["updated"]
    assert embedder.calls - calls == 1
    rows = indexer.store().source_sentences(SEED_ID)
    assert len(rows) == n_before and rows[-1].text == "CETC declined to comment."
    # Shrink the source: the tail sentences must go.
    f.write_text("---\nid: megvii-hrw-correction-2019\n---\nOnly one sentence now.\n", encoding="utf-8")
    indexer.ingest([str(folder)])
    assert [r.text for r in indexer.store().source_sentences(SEED_ID)] == ["Only one sentence now."]
    assert indexer.store().count() == 1


def test_prune_and_remove(tmp_path, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "one.md").write_text("# One\n\nAlpha Corp opened a plant in Ohio.\n", encoding="utf-8")
    (folder / "two.md").write_text("# Two\n\nBeta Corp closed a plant in Texas.\n", encoding="utf-8")
    indexer.ingest([str(folder)])
    assert set(indexer.store().source_records()) == {"one", "two"}
    (folder / "two.md").unlink()
    report = indexer.ingest([str(folder)], prune=True)
    assert ("removed", "two") in [(r.status, r.source_id) for r in report.results]
    assert set(indexer.store().source_records()) == {"one"}
    assert not indexer.store().source_sentences("two")
    report = indexer.remove(["one", "nope"])
    assert [r.status for r in report.results] == ["removed", "failed"] and not report.ok
    assert indexer.store().count() == 0


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802
        code, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        if self.path == "/slow":
            import time

            time.sleep(3)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


HTML = b"""<html><head><title>Acme Opens Plant</title><meta name="author" content="Jo Reporter">
<meta property="article:published_time" content="2021-05-04"><meta property="og:site_name" content="Example News"></head>
<body><nav>Home | World</nav><article><h1>Acme Opens Plant</h1>
<p>Acme Corp opened a battery plant in Ohio on Tuesday, the company said in a statement to reporters.</p>
<p>The plant will employ 500 workers and supply three carmakers, according to the chief executive.</p>
</article><footer>Copyright 2021</footer></body></html>"""


def test_url_ingest_and_url_errors(web, settings, indexer):
    _Handler.routes = {"/story": (200, "text/html; charset=utf-8", HTML)}
    settings.fetch_timeout = 1.0
    settings.allow_private_urls = True  # the test server is on 127.0.0.1
    report = indexer.ingest([f"{web}/story", f"{web}/missing", f"{web}/slow"])
    by = {r.target.rsplit("/", 1)[1]: r for r in report.results}
    assert by["story"].status == "added"
    assert by["missing"].status == "failed" and "404" in by["missing"].reason
    assert by["slow"].status == "failed" and "timed out" in by["slow"].reason
    rec = indexer.store().source_records()[by["story"].source_id]
    assert rec.title == "Acme Opens Plant" and rec.published == "2021-05-04"
    texts = [r.text for r in indexer.store().source_sentences(by["story"].source_id)]
    assert any("employ 500 workers" in t for t in texts)


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"  \n", "empty file"),
    ("bin.txt", b"\x00\x01\x02binary", "binary"),
    ("latin1.txt", "caf\u00e9 story".encode("latin-1"), "UTF-8"),
    ("fm.md", b"---\ntitle: [unclosed\n---\nBody text here.\n", "malformed front matter"),
    ("noclose.md", b"---\ntitle: x\nBody text here.\n", "malformed front matter"),
    ("date.md", b"---\npublished: someday\n---\nBody text here.\n", "not a date"),
    ("nodate.md", b"---\npublished: 2024-13-45\n---\nBody text here.\n", "not a valid date"),
    ("feb30.md", b"---\ndate: 2023-02-30\n---\nBody text here.\n", "not a valid date"),
    ("slashes.md", b"---\npublished: 2019/06/10\n---\nBody text here.\n", "not a date"),
    ("packed.md", b"---\npublished: 20190610\n---\nBody text here.\n", "not a date"),
    ("pic.png", b"\x89PNG", "unsupported file type"),
])
def test_bad_files_fail_clearly_and_leave_the_index(tmp_path, indexer, name, data, reason):
    indexer.ingest([str(SOURCES)])
    before = _snapshot(indexer.store())
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nGamma Corp hired 20 engineers in Austin.\n", encoding="utf-8")
    report = indexer.ingest([str(bad), str(good), str(tmp_path / "missing.txt")])
    status = {Path(r.target).name: r for r in report.results}
    assert status[name].status == "failed" and reason in status[name].reason
    assert "\n" not in status[name].reason
    assert status["missing.txt"].status == "failed"
    assert status["good.md"].status == "added"  # one failing file does not stop the others
    assert not report.ok
    ids, recs = _snapshot(indexer.store())
    assert set(before[1]) <= set(recs) and set(before[0]) <= set(ids)


def test_duplicate_ids_are_refused(tmp_path, indexer):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.md").write_text("One sentence here.\n", encoding="utf-8")
    (tmp_path / "b" / "story.md").write_text("Another sentence here.\n", encoding="utf-8")
    report = indexer.ingest([str(tmp_path / "a"), str(tmp_path / "b")])
    assert sorted(r.status for r in report.results) == ["added", "failed"]
    assert any("unique `id:`" in r.reason for r in report.results if r.status == "failed")


def test_dates_are_kept_whole_or_refused():
    """A date is read whole or not at all: "2019/06/10" once became "2019" without a word, which
    dated the source to a year — and a year is never later than "2019-06", so it silently stopped
    correcting anything dated that year."""
    from ingest.loaders import SourceError, normalise_date

    assert normalise_date("2019-06-10T10:00:00Z") == "2019-06-10"
    assert normalise_date("2019-06-10 10:00") == "2019-06-10"
    assert normalise_date("2019-06") == "2019-06"
    assert normalise_date(2019) == "2019"
    for bad in ("2019/06/10", "20190610", 20190610, "2019-6", "2019.06", "2019-06-10garbage"):
        with pytest.raises(SourceError, match="not a date"):
            normalise_date(bad)


def test_malformed_front_matter_says_what_and_where_in_one_short_line(tmp_path):
    """PyYAML's message, flattened, quoted the parser's snippet with runs of spaces and its
    "<unicode string>" twice; now the problem and the line and column of the file."""
    from ingest.loaders import SourceError, load_file

    bad = tmp_path / "bad.md"
    bad.write_text("---\nid: [unclosed\ntitle: x\n---\nThe park opened a playground.\n", encoding="utf-8")
    with pytest.raises(SourceError) as e:
        load_file(bad)
    msg = str(e.value)
    assert msg.startswith("malformed front matter: ") and "<unicode string>" not in msg and "  " not in msg
    assert "line 3, column 6" in msg and "expected ',' or ']'" in msg


def test_front_matter_written_with_windows_line_endings_loads(tmp_path):
    """A file saved with CRLF line endings failed with "no closing '---' line": the closing line
    is "---\r". Its text is still kept byte for byte."""
    from ingest.loaders import load_file

    f = tmp_path / "crlf.md"
    f.write_bytes(b"---\r\nid: crlf-file\r\npublished: 2024-03-01\r\ntitle: CRLF title\r\n---\r\n"
                  b"The transit agency added late-night bus service on weekends.\r\n")
    src = load_file(f)
    assert (src.id, src.title, src.published) == ("crlf-file", "CRLF title", "2024-03-01")
    assert src.text.startswith("The transit agency") and "---" not in src.text


def test_a_numeric_or_date_id_is_taken_as_written(tmp_path):
    """`id: 20240105` is YAML's integer and was refused with "use letters, digits, …" — it is digits."""
    from ingest.loaders import SourceError, load_file

    for raw, want in (("20240105", "20240105"), ("2024-01-05", "2024-01-05"), ("007", "007"), ("0123", "0123")):
        f = tmp_path / "n.md"
        f.write_text(f"---\nid: {raw}\n---\nThe city opened a new library branch.\n")
        assert load_file(f).id == want
    f.write_text("---\nid: yes\n---\nThe city opened a new library branch.\n")
    with pytest.raises(SourceError, match="id"):
        load_file(f)


def test_a_saved_html_page_in_its_declared_charset_loads(tmp_path):
    """A page saved from a browser keeps its charset: a windows-1252 page whose <meta> says so was
    refused as "not valid UTF-8", though the same page fetched by URL decodes by that <meta>.
    A text file stays UTF-8 only (it declares nothing)."""
    from ingest.loaders import SourceError, load_file

    page = tmp_path / "cafe.html"
    page.write_bytes('<html><head><meta charset="windows-1252"><title>Café owners protest</title></head><body>'
                     '<article><h1>Café owners protest</h1><p>Café owners in the old town protested the new parking '
                     'rules on Monday, saying they would lose customers.</p></article></body></html>'.encode("cp1252"))
    src = load_file(page)
    assert "Café owners in the old town protested" in src.text
    undeclared = tmp_path / "plain.html"
    undeclared.write_bytes("<html><body><p>Café owners protested the parking rules.</p></body></html>".encode("cp1252"))
    with pytest.raises(SourceError, match="not valid UTF-8"):
        load_file(undeclared)


def test_a_utf16_file_with_its_byte_order_mark_loads(tmp_path):
    """Notepad's "Unicode" is UTF-16 with a byte-order mark; such a file was refused as "binary
    file, not text" (its every other byte is NUL)."""
    from ingest.loaders import load_file

    f = tmp_path / "u16.md"
    f.write_bytes("---\r\nid: u16\r\npublished: 2024-02-02\r\n---\r\nThe harbour reopened on Monday.\r\n".encode("utf-16"))
    src = load_file(f)
    assert (src.id, src.published) == ("u16", "2024-02-02") and src.text.startswith("The harbour reopened")


def test_a_url_named_twice_is_fetched_once(web, settings, indexer):
    """The same URL twice in one command failed its second copy: "id … is also used by" itself."""
    _Handler.routes = {"/story": (200, "text/html; charset=utf-8", HTML)}
    settings.allow_private_urls = True
    report = indexer.ingest([f"{web}/story", f"{web}/story"])
    assert [r.status for r in report.results] == ["added"] and report.ok
