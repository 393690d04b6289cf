"""ONNX Runtime query embeddings equal the torch (sentence-transformers) ones, and `factdesk ask`
answers without importing torch once the model has been exported."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, SOURCES

TEXTS = [
    "Did the police app use Megvii's face matching?",
    "Human Rights Watch has withdrawn an assertion from a May report that linked rising Chinese AI star Megvii "
    "and its facial recognition software to an app used in controversial mass surveillance in the western "
    "region of Xinjiang.",
    "Who wrote this?",
    "IJOP",
    "“We appreciate the corrections made by Human Rights Watch,” Megvii said — 169,000 employees, $30 billion.",
    "Ürümqi 乌鲁木齐 police app " * 40,  # longer than the model's 256-token limit: truncation must agree
]


@pytest.fixture(scope="module")
def onnx_encoder(embedder):
    from ingest.onnx_embed import export, load_encoder

    embedder.model  # loading the torch model exports it (once per install)
    path = export(embedder.model, embedder._target)
    assert path is not None and path.exists(), "the ONNX export failed; is the `onnx` package installed?"
    enc = load_encoder(embedder._target)
    assert enc is not None
    return enc


def test_onnx_vectors_equal_torch_vectors(embedder, onnx_encoder):
    torch_vecs = embedder.embed(TEXTS)
    onnx_vecs = onnx_encoder.encode(TEXTS)
    assert onnx_vecs.shape == torch_vecs.shape
    cos = (onnx_vecs * torch_vecs).sum(axis=1) / (
        np.linalg.norm(onnx_vecs, axis=1) * np.linalg.norm(torch_vecs, axis=1))
    assert cos.min() >= 0.9999, cos
    # one at a time (no padding) agrees too
    for t, tv in zip(TEXTS, torch_vecs):
        assert float(np.dot(onnx_encoder.encode([t])[0], tv)) >= 0.9999


def test_embed_one_uses_onnx_when_exported(embedder, onnx_encoder, monkeypatch):
    from ingest.embed import Embedder

    e = Embedder()
    monkeypatch.setattr(e, "embed", lambda *a, **k: pytest.fail("torch path used for a query"))
    v = e.embed_one(TEXTS[0])
    assert e._model is None  # the torch model was never loaded
    assert float(np.dot(v, embedder.embed([TEXTS[0]])[0])) >= 0.9999


def test_onnx_can_be_turned_off(monkeypatch, onnx_encoder):
    from ingest.embed import Embedder

    monkeypatch.setenv("FACTDESK_ONNX", "0")
    e = Embedder()
    calls = []
    monkeypatch.setattr(e, "embed", lambda texts, progress=None: calls.append(texts) or np.zeros((1, 384)))
    e.embed_one("x")
    assert calls == [["x"]]


def test_factdesk_ask_does_not_import_torch(tmp_path, onnx_encoder, indexer):
    """A cold `factdesk ask` over an existing index answers and never imports torch or
    sentence-transformers — the seconds those imports cost are the cold start."""
    assert indexer.ingest([str(SOURCES)]).ok
    # A one-shot ask ends with os._exit (no interpreter teardown): raise instead, to look at sys.modules.
    probe = ("import os, sys, runpy\ndef _exit(rc):\n    raise SystemExit(rc)\nos._exit = _exit\n"
             "sys.argv = ['factdesk', 'ask', '--json', \"Did the police app use Megvii's face "
             "matching?\"]\ntry:\n    runpy.run_module('bot.cli', run_name='__main__')\nexcept SystemExit as e:\n"
             "    rc = e.code\nprint('TORCH' if 'torch' in sys.modules else 'NO-TORCH', "
             "'ST' if 'sentence_transformers' in sys.modules else 'NO-ST', file=sys.stderr)\nsys.exit(rc)\n")
    env = {**os.environ, "FACTDESK_DATA_DIR": str(indexer.settings.data_dir), "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert '"answered": true' in p.stdout
    assert "NO-TORCH NO-ST" in p.stderr, p.stderr


def test_a_model_with_more_than_pooling_stays_on_torch(tmp_path, monkeypatch):
    """The ONNX export covers the transformer only; a model with a Dense projection must not be
    exported, or its vectors (questions and documents) would silently differ from torch's."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer, models

    from ingest.embed import Embedder, resolve_model
    from ingest.onnx_embed import onnx_path

    monkeypatch.setenv("FACTDESK_ONNX_CACHE", str(tmp_path / "onnx"))
    torch.manual_seed(0)
    base = SentenceTransformer(resolve_model("")[1], device="cpu")
    dense = models.Dense(in_features=base.get_sentence_embedding_dimension(), out_features=32)
    model_dir = tmp_path / "dense-model"
    SentenceTransformer(modules=[*base, dense], device="cpu").save(str(model_dir))
    e = Embedder(str(model_dir))
    assert e.dim == 32
    assert not onnx_path(str(model_dir)).exists()
    v = e.embed(["The plant will employ 500 workers."])
    assert v.shape == (1, 32)
    assert np.allclose(e.embed_one("The plant will employ 500 workers."), v[0], atol=1e-5)


def test_the_first_export_prints_nothing_but_the_ingest_report(tmp_path) -> None:
    """The ONNX exporter warns about the ops it maps; a user's first `factdesk ingest` (which makes
    the export) must show its report, not the exporter's warnings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text("---\ntitle: A\npublished: 2020-01-02\n---\nThe bridge over the Tarn reopened on Monday.\n", encoding="utf-8")
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "share"),
               FACTDESK_ONNX_CACHE=str(tmp_path / "cache"), HF_HUB_OFFLINE="1", PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(src)], env=env, capture_output=True,
                         text=True, timeout=600, cwd=str(root))
    assert out.returncode == 0, out.stderr[-2000:]
    assert list((tmp_path / "cache").glob("*.onnx")), "the export was made"
    assert "Warning" not in out.stderr and "opset" not in out.stderr, out.stderr[-2000:]


def test_question_threads_change_time_not_vectors(embedder, onnx_encoder, monkeypatch):
    """`FACTDESK_QUERY_THREADS` sets the question encoder's threads (capped at the machine's cores);
    a question's vector is the same bit for bit with one thread or two, so the setting cannot move
    an answer."""
    from pydantic import ValidationError

    from ingest.embed import Embedder
    from ingest.onnx_embed import load_encoder
    from ingest.settings import Settings

    one, two = load_encoder(embedder._target, threads=1), load_encoder(embedder._target, threads=2)
    for t in TEXTS:
        assert np.array_equal(one.encode([t]), two.encode([t]))
    monkeypatch.delenv("FACTDESK_QUERY_THREADS", raising=False)
    assert Settings(_env_file=None).query_threads == 2
    monkeypatch.setenv("FACTDESK_QUERY_THREADS", "1")
    assert Settings(_env_file=None).query_threads == 1
    e = Embedder(query_threads=1)
    assert e.query_threads == 1 and e._question_encoder().session.get_session_options().intra_op_num_threads == 1
    assert Embedder(query_threads=64).query_threads == min(64, os.cpu_count() or 1)
    monkeypatch.setenv("FACTDESK_QUERY_THREADS", "0")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)
