"""A store error on a nearly full disk is reported as a full disk, not as damage: Chroma's log
compaction fails there with an error that names something else, and "damaged, run --rebuild" would
send the user to a rebuild that needs more space still (the real 3 MB tmpfs test in
tests/attacks/test_index_safety.py hit it when the fill point moved)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ingest import gateway
from ingest.settings import Settings

COMPACTION = RuntimeError("InternalError: Error in compaction: Failed to apply logs to the metadata segment")


def _raise(tmp_path, e):
    s = Settings(_env_file=None, data_dir=tmp_path / "data")
    gateway.Gateway._raise(SimpleNamespace(settings=s), e)


def test_an_unnamed_store_error_on_a_nearly_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    monkeypatch.setattr(gateway, "LOW_SPACE_BYTES", 1 << 62)  # every filesystem is "nearly full"
    with pytest.raises(gateway.DiskFull) as got:
        _raise(tmp_path, COMPACTION)
    assert "full" in str(got.value) and "--rebuild" not in str(got.value)


def test_the_same_error_with_space_left_is_damage(tmp_path, monkeypatch):
    monkeypatch.setattr(gateway, "LOW_SPACE_BYTES", 0)
    with pytest.raises(gateway.IndexDamaged) as got:
        _raise(tmp_path, COMPACTION)
    assert "--rebuild" in str(got.value)
