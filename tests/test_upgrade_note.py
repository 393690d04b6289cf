"""A user is told, in one line, when opening an index upgraded it — and with real counts.

An index built by an earlier version is upgraded by the next writer (numbered migrations; a
relink of every correction link when its detector is older). Flags that change silently cannot be
trusted, so every command that opens the index for writing prints one line to stderr (whatever
`--verbose`) saying what ran and how the links changed — compared before and after by their
stable ids — and `factdesk status` shows the last upgrade, kept in the index's manifest. Opening
a current index prints nothing; a damaged version or upgrade record is one line, nothing lost.

The old index is built by the code of commit f7eefa5, as `tests/test_detector_migration.py` does."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

from tests.conftest import ROOT, SOURCES, cli_runner
from tests.oldtree import index_with, tree_at

PREVIOUS = "f7eefa5"  # detector 1, schema 3 (as tests/test_detector_migration.py)
EPISODE = ROOT / "data" / "eval" / "realworld" / "heldout2"
VISA = "Australian Border Force cancelled Novak Djokovic's visa on his arrival in Melbourne late on Wednesday"
QUASHED = "A federal judge quashed the cancellation of Novak Djokovic's visa on Monday"


def _links(settings) -> dict[str, tuple]:
    """Shown links by id (their claim's sentence id), read straight from the index."""
    from ingest.store import Store

    return {lk.id: (tuple(sorted(lk.by)), lk.status) for lk in Store(settings, fresh=True).all_links()}


def _upgrade_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "index upgraded" in ln]


def test_an_older_index_says_once_what_its_upgrade_did(tmp_path, embedder, monkeypatch, capsys):
    from ingest.corrections import DETECTOR_VERSION
    from ingest.corrections.review import record
    from ingest.migrations import LATEST
    from ingest.store import Store

    base = tree_at(PREVIOUS, tmp_path / "previous")
    s, folder = index_with(base, sorted(EPISODE.glob("rw-djokovic-*.md")) + sorted(EPISODE.glob("rw-montana-*.md")),
                           tmp_path)
    old = Store(s, fresh=True)
    assert (old.manifest.schema_version(), old.manifest.detector_version()) == (3, 1)
    before = _links(s)
    # Two editor decisions: one the relink replays, one whose sentences are no longer in the index.
    visa = next(r.text for r in old.where_sentences({"source": "rw-djokovic-2022-01-06"}) if VISA in r.text)
    quashed = next(r.text for r in old.where_sentences({"source": "rw-djokovic-2022-01-10"}) if QUASHED in r.text)
    record(folder / "corrections.yml", "reject", visa, quashed)
    record(folder / "corrections.yml", "accept", "A sentence no source holds any longer.",
           "Another sentence that was edited away.", status="corrected", note="gone")

    run = cli_runner(monkeypatch, embedder, capsys, folder, s.data_dir)
    code, out, err = run("ingest", str(folder))
    assert code == 0, out + err
    after = _links(s)
    assert before != after  # the current detector changes these flags: the user must hear of it
    kept, added, removed = len(before.keys() & after.keys()), len(after.keys() - before.keys()), \
        len(before.keys() - after.keys())
    changed = sum(1 for i in before.keys() & after.keys() if before[i] != after[i])
    lines = _upgrade_lines(err)
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("factdesk: index upgraded (schema 3 → ")
    assert f"schema 3 → {LATEST}, detector 1 → {DETECTOR_VERSION}" in line
    assert re.search(rf"— {kept:,} kept( \({changed:,} with [^)]*\))?, {added:,} added, {removed:,} removed", line), line
    assert bool(changed) == ("with another status" in line)
    assert "editor decisions replayed: 2 (1 no longer matches a sentence)" in line

    # Opened again: current, nothing to say.
    code, out, err = run("ingest", str(folder))
    assert code == 0 and not _upgrade_lines(err), err
    assert _links(s) == after

    # `status` shows the last upgrade, kept in the index.
    monkeypatch.setenv("COLUMNS", "400")  # the row unwrapped
    code, out, err = run("status")
    assert code == 0, err
    row = next(ln for ln in out.splitlines() if ln.strip().startswith("last upgrade"))
    assert f"{kept:,} kept" in row and f"{added:,} added" in row and f"{removed:,} removed" in row
    code, out, err = run("status", "--json")
    rec = json.loads(out)["last_upgrade"]
    assert (rec["schema_from"], rec["schema_to"], rec["detector_from"], rec["detector_to"]) == \
        (3, LATEST, 1, DETECTOR_VERSION)
    assert rec["links"] == {"kept": kept, "changed": changed, "added": added, "removed": removed}
    assert (rec["decisions"], rec["unmatched"]) == (2, 1)
    assert json.loads(out)["pending_upgrade"] is None


def _current_index(tmp_path: Path, embedder, monkeypatch, capsys):
    """An index built by today's `factdesk ingest` of the bundled sources and the demo's later report."""
    src = tmp_path / "src"
    shutil.copytree(SOURCES, src)
    for p in sorted((ROOT / "docs" / "demo-sources").glob("*")):
        if p.is_file():
            shutil.copy(p, src / p.name)
    run = cli_runner(monkeypatch, embedder, capsys, src, tmp_path / "data")
    code, out, err = run("ingest", str(src))
    assert code == 0, out + err
    assert not _upgrade_lines(err)  # a new index is built, not upgraded
    from ingest.settings import Settings

    return run, src, Settings(_env_file=None, data_dir=tmp_path / "data", sources_dir=src)


def test_an_older_detector_alone_is_reported_with_exact_counts(tmp_path, embedder, monkeypatch, capsys):
    """Schema current, detector one version back, one link deleted and one made up: the relink
    brings the deleted one back and drops the made-up one, and the line counts exactly that."""
    from ingest.corrections import DETECTOR_VERSION
    from ingest.records import CorrectionLink
    from ingest.store import Store

    run, src, s = _current_index(tmp_path, embedder, monkeypatch, capsys)
    true_links = _links(s)
    assert true_links, "the demo's report corrects the bundled article"
    st = Store(s, fresh=True)
    gone = sorted(true_links)[0]
    st.delete_links([gone])
    linked = set(true_links)
    claim = next(r.id for r in st.where_sentences({"source": {"$ne": ""}}) if r.id not in linked)
    by = next(r.id for r in st.where_sentences({"source": {"$ne": ""}}) if r.id not in linked | {claim})
    st.put_links([CorrectionLink(claim=claim, by=[by], status="corrected", origin="detected", note="made up",
                                 score=0.5)])
    st.manifest.set_detector_version(DETECTOR_VERSION - 1)

    # Readers never upgrade, but say that the flags they show are an older detector's.
    pending = (f"factdesk: this index's correction links come from detector {DETECTOR_VERSION - 1} "
               f"(this version's is {DETECTOR_VERSION}): the next `factdesk ingest` recomputes them")
    code, out, err = run("corrections")
    assert code == 0 and pending in err.splitlines() and not _upgrade_lines(err), err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # a chat over piped stdin, with no turn
    code, out, err = run("chat", "--json")
    assert code == 0 and err.splitlines() == [pending], err
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    import bot.slack

    monkeypatch.setattr(bot.slack, "run", lambda *a, **k: 0)  # the startup, not the server
    code, out, err = run("slack")
    assert code == 0 and err.splitlines() == [pending], err
    assert Store(s, fresh=True).manifest.detector_version() == DETECTOR_VERSION - 1  # nothing upgraded

    code, out, err = run("ingest", "--json", str(src))  # every file unchanged: only the upgrade runs
    assert code == 0, out + err
    assert json.loads(out)["upgrade"]["links"] == {"kept": len(true_links) - 1, "changed": 0, "added": 1,
                                                   "removed": 1}
    lines = _upgrade_lines(err)
    assert len(lines) == 1, err
    assert lines[0] == (f"factdesk: index upgraded (detector {DETECTOR_VERSION - 1} → {DETECTOR_VERSION}): "
                        f"correction links recomputed — {len(true_links) - 1:,} kept, 1 added, 1 removed")
    assert _links(s) == true_links
    code, out, err = run("ingest", str(src))
    assert code == 0 and not _upgrade_lines(err), err
    for cmd in ("corrections", "slack", "chat"):
        code, out, err = run(cmd)
        assert code == 0 and not err.strip(), (cmd, err)


def test_damaged_upgrade_metadata_is_one_line_and_loses_nothing(tmp_path, embedder, monkeypatch, capsys):
    from ingest.manifest import Reserved
    from ingest.store import Store

    run, src, s = _current_index(tmp_path, embedder, monkeypatch, capsys)
    st = Store(s, fresh=True)
    links, sentences = _links(s), st.count()

    # A damaged detector version: refused before anything is written.
    st.manifest._put(Reserved.DETECTOR, {"kind": "detector", "version": "eleven"})
    code, out, err = run("ingest", str(src))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "unreadable correction detector version" in err, err
    assert "--rebuild" in err
    after = Store(s, fresh=True)
    assert _links(s) == links and after.count() == sentences
    assert after.manifest._get(Reserved.DETECTOR)["metadatas"][0]["version"] == "eleven"  # left as found
    # `--rebuild` recovers (it opens nothing of the damaged records), with every link.
    code, out, err = run("ingest", "--rebuild")
    assert code == 0, out + err
    assert _links(s) == links
    # A rebuilt index is today's: the next ingest has nothing to upgrade and says nothing.
    code, out, err = run("ingest", str(src))
    assert code == 0 and not _upgrade_lines(err) and not err.strip(), err

    # A damaged last-upgrade record: `status` says so in one line and shows everything else.
    Store(s, fresh=True).manifest.set_last_upgrade("{not json")
    code, out, err = run("status")
    assert code == 0
    assert err.strip().splitlines() == ["factdesk: the index's last-upgrade record is unreadable "
                                        + err.split("unreadable ", 1)[1].strip()], err
    assert "sentences" in out and f"{len(links):,} link(s)" in out
    Store(s, fresh=True).manifest.set_last_upgrade(json.dumps({"at": "x", "schema_from": []}))
    code, out, err = run("status", "--json")
    assert code == 0 and json.loads(out)["last_upgrade"] is None and len(err.strip().splitlines()) == 1, err


def test_a_version_record_of_unicode_digits_is_refused_in_one_line_not_a_traceback():
    """"²" (and other digit characters `int` cannot read) passed `str.isdigit`, then `int` raised a
    ValueError traceback instead of the one-line `IndexDamaged`; "١٢" is a number `int` reads."""
    from types import SimpleNamespace

    import pytest

    from ingest.gateway import IndexDamaged
    from ingest.manifest import Manifest

    def manifest(value):  # type: ignore[no-untyped-def]
        m = Manifest.__new__(Manifest)
        m._get = lambda rid, *a, **kw: {"ids": [rid.value], "metadatas": [{"version": value}]}  # type: ignore[method-assign]
        m.gw = SimpleNamespace(settings=SimpleNamespace(index_location="/tmp/index"))
        return m

    for bad in ("²", "4²", "eleven", 4.0, True):
        with pytest.raises(IndexDamaged, match="unreadable correction detector version"):
            manifest(bad).detector_version()
    assert manifest("١٢").detector_version() == 12 and manifest(" 13 ").schema_version() == 13


def test_a_damaged_migrations_list_is_refused_not_read_digit_by_digit():
    import pytest

    from ingest.upgrades import UpgradeRecord, UpgradeRecordError

    good = {"at": "2026-11-27T16:00:00Z", "schema_from": 3, "schema_to": 6, "detector_from": 1, "detector_to": 13,
            "migrations": [4, 5], "links": None}
    assert UpgradeRecord.from_json(good).migrations == (4, 5)
    with pytest.raises(UpgradeRecordError, match="unreadable"):
        UpgradeRecord.from_json(good | {"migrations": "45"})
