"""Query embeddings through ONNX Runtime, so answering a question never imports torch.

Importing torch and sentence-transformers costs seconds at every `factdesk ask`; the query side
needs only one short forward pass. The packaged model is exported to ONNX *locally* (from the
weights already on disk — nothing is downloaded) the first time the torch model is loaded, i.e.
during `factdesk ingest`, and kept in a cache folder keyed by the model folder. At question time
`OnnxEncoder` runs it with onnxruntime and the `tokenizers` library: the same tokenizer, mean
pooling and L2 normalisation as the sentence-transformers pipeline, so vectors agree with the
torch ones to cosine ≥ 0.9999 (tests/test_onnx_embed.py). Once exported, documents are embedded
through it too (about 1.3× faster than torch here, and ingest no longer imports torch).

`FACTDESK_ONNX=0` turns this off (torch for everything).

`FACTDESK_EMBED_QUANTIZE=int8` runs an int8 copy of that export instead (`quantize_int8`, made
once beside it): dynamic quantisation with per-channel weights of the linear layers, keeping each
layer's feed-forward output projection in fp32 — those lose the most (their inputs carry the
GELU's large outliers). Cosine to the fp32 vectors and the eval table are in the README.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
_EXPORT_LOCK = threading.Lock()


def temp_path(target: Path) -> Path:
    """A temporary file beside `target` that no other writer shares, renamed over it when whole.
    The pid alone is not enough: two containers sharing a cache or model volume both run as pid 1,
    and would write one file at once and rename a graph made of both."""
    import secrets

    return target.with_suffix(f".{os.getpid()}.{secrets.token_hex(4)}.tmp")


def enabled() -> bool:
    return os.environ.get("FACTDESK_ONNX", "1").strip().lower() not in ("0", "false", "no", "off")


def cache_root() -> Path:
    """Beside the model when it lives in this environment (one export per install, shared by every
    user and test home); else the user's cache folder."""
    explicit = os.environ.get("FACTDESK_ONNX_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factdesk" / "onnx"


def onnx_path(model_dir: str) -> Path:
    """Where the export of `model_dir` lives: inside the model folder if it is writable (the
    packaged model in the venv), else under the cache root. Keyed by the weights' size and mtime
    so a changed model is re-exported."""
    d = Path(model_dir)
    w = next((d / n for n in ("model.safetensors", "pytorch_model.bin") if (d / n).exists()), None)
    stamp = f"{d.resolve()}:{w.stat().st_size if w else 0}:{int(w.stat().st_mtime) if w else 0}"
    key = hashlib.sha1(stamp.encode()).hexdigest()[:12]
    if os.access(d, os.W_OK) and not os.environ.get("FACTDESK_ONNX_CACHE"):
        return d / "onnx-factdesk" / f"{key}.onnx"
    return cache_root() / f"{key}.onnx"


def _pooling(model_dir: str) -> tuple[str, bool, int]:
    """(pooling mode, normalise?, max_seq_length) from the sentence-transformers config files."""
    d = Path(model_dir)
    mode = "mean"
    pool_cfg = d / "1_Pooling" / "config.json"
    if pool_cfg.exists():
        cfg = json.loads(pool_cfg.read_text())
        if cfg.get("pooling_mode_cls_token"):
            mode = "cls"
        elif cfg.get("pooling_mode_max_tokens"):
            mode = "max"
    max_len = 256
    sb = d / "sentence_bert_config.json"
    if sb.exists():
        max_len = int(json.loads(sb.read_text()).get("max_seq_length", max_len))
    return mode, True, max_len


def export(st_model: Any, model_dir: str) -> Path | None:
    """Export the transformer of a loaded SentenceTransformer to ONNX (once). Best effort: a
    failure only means queries keep using torch."""
    if not enabled():
        return None
    # The export covers the transformer; pooling and normalisation are redone in numpy. A model
    # with any other module (a Dense projection, say) would come out different: keep it on torch.
    kinds = [type(m).__name__ for m in st_model]
    if not kinds or kinds[0] != "Transformer" or any(k not in ("Pooling", "Normalize") for k in kinds[1:]):
        log.info("ONNX export skipped: modules %s are not transformer + pooling", kinds)
        return None
    target = onnx_path(model_dir)
    if target.exists():
        return target
    with _EXPORT_LOCK:
        if target.exists():
            return target
        hf = st_model[0].auto_model
        was_training = hf.training
        hf.eval()
        try:
            export_graph(hf, target, "last_hidden_state", {0: "batch", 1: "seq"})
            return target
        except Exception as e:  # no onnx package, exporter change, read-only disk ...
            log.info("ONNX export skipped (%s: %s); queries use torch", type(e).__name__, e)
            return None
        finally:
            hf.train(was_training)


def export_graph(model: Any, target: Path, output: str, output_axes: dict[int, str]) -> None:
    """Export a Hugging Face model — (input ids, attention mask, token types) → the `output` field of
    its result — to an ONNX graph at `target`, batch and sequence length dynamic. Written to this
    writer's own temporary file and renamed when whole (a reader never sees half a graph); the
    temporary file is removed if the export fails. The exporter's warnings about the ops it maps
    are held (a user running `ingest` would see them). Shared by the embedder's export and the
    cross-encoder's (bot/crossenc.py)."""
    import warnings

    import torch

    class _Wrap(torch.nn.Module):
        def __init__(self, m: Any) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return getattr(self.m(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids), output)

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    ids = torch.ones(1, 8, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Wrap(model), (ids, ids, torch.zeros_like(ids)), str(tmp), input_names=names,
                              output_names=[output],
                              dynamic_axes={**{k: {0: "batch", 1: "seq"} for k in names}, output: output_axes},
                              opset_version=17, dynamo=False)
        os.replace(tmp, target)  # atomic: a reader never sees half a file
    finally:
        tmp.unlink(missing_ok=True)  # a half-written graph, which no later run would reuse or remove


QUANTIZE_MODES = ("", "int8")


def _excluded_int8(graph_nodes: list[Any]) -> list[str]:
    """The MatMuls kept in fp32: each layer's feed-forward output projection (`output/dense`, not
    the attention's). Measured on the eval sources' sentences (benchmarks/quantize.py): quantising
    every MatMul per-channel gives cosine 0.993 mean / 0.985 worst to fp32; keeping these six in
    fp32 gives 0.996 / 0.992 for ~90 % of the speed-up."""
    return [n.name for n in graph_nodes if n.op_type == "MatMul" and n.name.endswith("/output/dense/MatMul")
            and "/attention/" not in n.name]


def quantized_path(model_dir: str, mode: str) -> Path:
    return onnx_path(model_dir).with_suffix(f".{mode}.onnx")


def quantize_int8(source: Path, target: Path) -> Path | None:
    """Make the int8 copy of an fp32 export (once; atomic). Best effort: None when it fails."""
    if target.exists():
        return target
    with _EXPORT_LOCK:
        if target.exists():
            return target
        tmp = temp_path(target)
        try:
            import onnx
            from onnxruntime.quantization import QuantType, quantize_dynamic

            nodes = list(onnx.load(str(source), load_external_data=False).graph.node)
            # The quantiser logs advice through the root logger ("consider pre-processing"), which
            # would also install a handler on it: hold it quiet for the call.
            root, quiet = logging.getLogger(), logging.NullHandler()
            level = root.level
            root.addHandler(quiet)
            root.setLevel(logging.ERROR)
            try:
                quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                                 op_types_to_quantize=["MatMul"], nodes_to_exclude=_excluded_int8(nodes))
            finally:
                root.setLevel(level)
                root.removeHandler(quiet)
            os.replace(tmp, target)
            return target
        except Exception as e:
            log.warning("int8 quantisation failed (%s: %s)", type(e).__name__, e)
            tmp.unlink(missing_ok=True)
            return None


class OnnxEncoder:
    """Tokenise, run the exported transformer, pool and normalise — numpy only, no torch."""

    def __init__(self, model_dir: str, path: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.mode, self.normalize, max_len = _pooling(model_dir)
        self.tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tok.enable_truncation(max_len)
        self.tok.enable_padding(pad_id=self.tok.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        # Threads split each product's rows, never a sum: the vectors are the same bit for bit whatever
        # the number (a question: settings.query_threads; documents: every core).
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        if threads > 1:  # idle workers sleep: spinning ones took the other session's (or Chroma's) core
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        enc = self.tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        out = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        if self.mode == "cls":
            vec = out[:, 0]
        elif self.mode == "max":
            vec = np.where(mask[..., None] > 0, out, -1e9).max(axis=1)
        else:
            m = mask[..., None].astype(np.float32)
            vec = (out * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        if self.normalize:
            vec = vec / np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)
        return vec.astype(np.float32)


def usable_threads(threads: int) -> int:
    """`threads` (settings.query_threads) at most the machine's cores and at least one: what the
    question's encoder and the rerank stage's session are given, and what keys the latter's cache."""
    return max(1, min(int(threads), os.cpu_count() or 1))


def load_encoder(model_dir: str, threads: int = 1, quantize: str = "") -> OnnxEncoder | None:
    """The ONNX encoder for `model_dir` if it has been exported and onnxruntime works, else None.
    `quantize="int8"`: the int8 copy, made from the export on first use."""
    if not (enabled() or quantize) or not Path(model_dir).is_dir():
        return None
    path = onnx_path(model_dir)
    if not path.exists() or not (Path(model_dir) / "tokenizer.json").exists():
        return None
    if quantize:
        path = quantize_int8(path, quantized_path(model_dir, quantize))  # type: ignore[assignment]
        if path is None:
            return None
    try:
        return OnnxEncoder(model_dir, path, threads)
    except Exception as e:
        log.info("ONNX query encoder unavailable (%s: %s); using torch", type(e).__name__, e)
        return None
