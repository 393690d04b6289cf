"""What a re-ingest reads: files whose bytes match their record's fingerprint are not parsed, an
edited file is, and a changed loader or a record without a fingerprint falls back to parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.plan as plan_mod
from tests.conftest import ACME_STORY



@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    for i in range(1, 4):
        (d / f"story-{i}.md").write_text(ACME_STORY.format(title=f"Story number {i}", month=i, extra=""))
    return d


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = plan_mod.parse_file

    def counting(path, real_path, data):
        seen.append(Path(path).name)
        return real(path, real_path, data)

    monkeypatch.setattr(plan_mod, "parse_file", counting)
    return seen


def _statuses(report) -> dict[str, str]:
    return {Path(r.target).name: r.status for r in report.results}


def test_unchanged_files_are_not_parsed_and_an_edit_is(indexer, folder, parsed):
    assert indexer.ingest([str(folder)]).ok
    assert sorted(parsed) == ["story-1.md", "story-2.md", "story-3.md"]
    parsed.clear()
    rep = indexer.ingest([str(folder)])
    assert parsed == [] and set(_statuses(rep).values()) == {"unchanged"}
    f = folder / "story-2.md"
    f.write_text(f.read_text() + "\nThe company later said the plant would stay open.\n")
    rep = indexer.ingest([str(folder)])
    assert parsed == ["story-2.md"] and _statuses(rep)["story-2.md"] == "updated"
    parsed.clear()
    assert indexer.ingest([str(folder)]).ok and parsed == []


def test_same_text_new_bytes_is_parsed_once_then_recorded(indexer, folder, parsed):
    assert indexer.ingest([str(folder)]).ok
    f = folder / "story-1.md"
    f.write_text(f.read_text() + "\n\n\n")  # other bytes, the same cleaned text
    parsed.clear()
    rep = indexer.ingest([str(folder)])
    assert parsed == ["story-1.md"] and _statuses(rep)["story-1.md"] == "unchanged" and rep.embedded == 0
    parsed.clear()
    assert indexer.ingest([str(folder)]).ok and parsed == []


def test_records_without_fingerprints_and_new_loading_code_parse_again(indexer, folder, parsed, monkeypatch):
    assert indexer.ingest([str(folder)]).ok
    store = indexer.store()
    store.manifest.set_fingerprints({sid: "" for sid in store.source_records()})  # an index built before them
    parsed.clear()
    rep = indexer.ingest([str(folder)])
    assert len(parsed) == 3 and set(_statuses(rep).values()) == {"unchanged"}
    parsed.clear()
    assert indexer.ingest([str(folder)]).ok and parsed == []
    import ingest.fingerprint as fpmod

    monkeypatch.setattr(fpmod, "_code_digest", lambda: b"another version of the loader")
    monkeypatch.setattr(plan_mod, "fingerprint", lambda data: fpmod.fingerprint(data))
    rep = indexer.ingest([str(folder)])
    assert len(parsed) == 3 and rep.embedded == 0


def test_a_symlink_out_of_the_folder_is_refused_even_when_its_target_is_indexed(indexer, folder, tmp_path, parsed):
    outside = tmp_path / "outside.md"
    outside.write_text(ACME_STORY.format(title="Outside story", month=5, extra=""))
    assert indexer.ingest([str(outside)]).ok
    (folder / "link.md").symlink_to(outside)
    rep = indexer.ingest([str(folder)])
    assert _statuses(rep)["link.md"] == "failed"
