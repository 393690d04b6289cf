"""The cross-encoder: a 6-layer MiniLM that reads the question and a candidate sentence together
and gives one relevance logit. The bi-encoder cosine and word statistics the fitted scorer uses
cannot tell an on-topic sentence from the one that answers (README "Answer selection"); reading
both texts in one pass can. The weights are trained here (`python -m bot.train_cross`) from the
packaged embedding model on TrecQA and WikiQA train, and live in `bot/fitted/cross/` with a card
(`card.json`) recording data checksums, seed, hyper-parameters, validation figures and the
stacking weights the engine uses (bot/rerank.py). Loaded lazily, once per process, offline.

At question time it runs through ONNX Runtime, not torch (`OnnxCross`): importing torch and
transformers costs seconds and ~400 MB in the bot, and the engine already runs the embedder's export
with onnxruntime. The committed fp16 weights are exported once (fp32 graph, then a dynamic int8 copy
made as the embedder's is, `ingest/onnx_embed.py`) into a cache folder keyed by the weights'
checksum; that first export imports torch, every later process does not. Logits of the int8 graph
against the torch model, and the ranking figures of both, are in the card's "onnx" section
(`python -m bot.train_cross --onnx-check`). `FACTDESK_ONNX=0` keeps the torch path.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.onnx_embed import usable_threads

log = logging.getLogger(__name__)

DIR = Path(__file__).resolve().parent / "fitted" / "cross"
CARD = "card.json"


class CrossEncoder:
    """Scores (question, sentence) pairs with the committed cross-encoder. `max_length` and the
    batch size come from the card (what it was trained with)."""

    def __init__(self, folder: Path | None = None) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.folder = Path(folder or DIR)
        self.card = json.loads((self.folder / CARD).read_text(encoding="utf-8"))
        self.max_length = int(self.card["hyper"]["max_length"])
        self.tok = AutoTokenizer.from_pretrained(str(self.folder), local_files_only=True)
        # The file is fp16 to keep the repository small; CPU matmuls run in fp32.
        self.model = AutoModelForSequenceClassification.from_pretrained(
            str(self.folder), local_files_only=True, dtype=torch.float32).eval()
        self._torch = torch

    def logits(self, question: str, sentences: list[str], batch: int = 32) -> np.ndarray:
        """One logit per sentence (higher = more likely to answer the question)."""
        torch = self._torch
        out: list[np.ndarray] = []
        with torch.inference_mode():
            for i in range(0, len(sentences), batch):
                chunk = sentences[i:i + batch]
                try:
                    enc = self.tok([question] * len(chunk), chunk, truncation="only_second",
                                   max_length=self.max_length, padding=True, return_tensors="pt")
                except Exception:  # the question alone fills the window: cut from both (`OnnxCross._encode`)
                    enc = self.tok([question] * len(chunk), chunk, truncation="longest_first",
                                   max_length=self.max_length, padding=True, return_tensors="pt")
                out.append(self.model(**enc).logits[:, 0].float().numpy())
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def _weights_key(folder: Path) -> str:
    """The weights' checksum (first 16 hex digits), read once per file state: `prepare` and
    `export_onnx` both ask, and hashing 45 MB is a tenth of a second."""
    w = folder / "model.safetensors"
    st = w.stat()
    return _checksum(str(w.resolve()), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=8)
def _checksum(path: str, size: int, mtime_ns: int) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def onnx_files(folder: Path) -> tuple[Path, Path]:
    """(fp32 export, int8 copy) of the weights in `folder`: inside it under `onnx-cache/` when
    writable (git-ignored) or when its int8 copy is there already (made by a user who could write,
    e.g. `factdesk ingest`, and read by a bot running as another), else the user's cache folder;
    FACTDESK_ONNX_CACHE overrides. Keyed by the weights' checksum, so new weights are exported anew
    and a stale export is never used."""
    from ingest.onnx_embed import cache_root

    key = _weights_key(folder)
    local = folder / "onnx-cache"
    if os.environ.get("FACTDESK_ONNX_CACHE"):
        base = cache_root() / "cross"
    elif os.access(folder, os.W_OK) or (local / f"{key}.int8.onnx").exists():
        base = local
    else:
        base = cache_root() / "cross"
    return base / f"{key}.onnx", base / f"{key}.int8.onnx"


def export_onnx(folder: Path) -> Path | None:
    """The int8 ONNX graph of the cross-encoder, exported and quantised on first call (torch is
    imported only then). None when exporting fails (the torch path is used)."""
    from ingest.onnx_embed import export_graph, quantize_int8

    fp32, int8 = onnx_files(folder)
    if int8.exists():
        return int8
    with _lock_export:
        if not fp32.exists():
            try:
                export_graph(CrossEncoder(folder).model, fp32, "logits", {0: "batch"})
            except Exception as e:
                log.warning("cross-encoder ONNX export failed (%s: %s); using torch", type(e).__name__, e)
                return None
    return quantize_int8(fp32, int8)


def prepare(folder: Path | None = None) -> None:
    """Make the int8 graph now if it is missing (`factdesk ingest` calls this when the rerank stage
    is on), so no reader's first question pays the one-time export (torch import and export, ~20 s)."""
    from ingest.onnx_embed import enabled

    folder = Path(folder or DIR)
    if enabled() and (folder / "model.safetensors").exists() and not onnx_files(folder)[1].exists():
        log.info("preparing the cross-encoder's ONNX graph (once)")
        export_onnx(folder)


class OnnxCross:
    """The same scoring as `CrossEncoder.logits`, through ONNX Runtime and the `tokenizers`
    library: no torch in the process."""

    def __init__(self, folder: Path, path: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.card = json.loads((folder / CARD).read_text(encoding="utf-8"))
        self.max_length = int(self.card["hyper"]["max_length"])
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # As transformers' truncation="only_second": the question is kept whole, the sentence cut.
        self.tok.enable_truncation(self.max_length, strategy="only_second")
        self.tok.no_padding()  # tokenizer.json may carry a padding setting; each pair is run alone
        # A question that alone fills the window cannot keep whole (the tokenizer raises): such a
        # pair is cut from the longer side instead, so a pasted paragraph is scored, not a crash.
        self.tok_long = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok_long.enable_truncation(self.max_length, strategy="longest_first")
        self.tok_long.no_padding()
        opts = ort.SessionOptions()
        # settings.query_threads: on 2 cores, 2 threads read three pairs in 9.4-10.4 ms against 12-13 ms,
        # the same logits (README "Configuration")
        opts.intra_op_num_threads = usable_threads(threads)
        opts.inter_op_num_threads = 1
        if opts.intra_op_num_threads > 1:  # idle workers sleep: spinning ones took the embedder's core
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def logits(self, question: str, sentences: list[str], batch: int = 32) -> np.ndarray:
        """One pair a run: the int8 graph quantises its activations with one scale per run, so in a
        batch a pair's logit would depend on the pairs beside it (and on their padding). Alone, a
        sentence gets the same score whatever else was retrieved. `batch` is ignored (the torch
        model's signature)."""
        out = np.zeros(len(sentences), dtype=np.float32)
        for i, e in enumerate(self._encode([(question, s) for s in sentences])):
            feed = {"input_ids": np.array([e.ids], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids], dtype=np.int64)}
            out[i] = self.session.run(None, feed)[0][0, 0]
        return out

    def _encode(self, pairs: list[tuple[str, str]]) -> list:  # tokenizers.Encoding
        """The pairs cut "only_second" as trained; a question too long for that is cut longest-first."""
        try:
            return self.tok.encode_batch(pairs)
        except Exception:  # tokenizers raises a bare Exception ("Sequence to truncate too short")
            return self.tok_long.encode_batch(pairs)


def load(folder: Path, threads: int = 1) -> CrossEncoder | OnnxCross:
    """The fastest working form of the committed model: the int8 ONNX graph (exported on first
    use), else torch."""
    from ingest.onnx_embed import enabled

    if enabled():
        path = export_onnx(folder)
        if path is not None:
            try:
                return OnnxCross(folder, path, threads)
            except Exception as e:
                log.warning("cross-encoder ONNX session failed (%s: %s); using torch", type(e).__name__, e)
    return CrossEncoder(folder)


_lock = threading.Lock()
_lock_export = threading.Lock()
_loaded: dict[tuple[str, int], CrossEncoder | OnnxCross | None] = {}  # (folder, threads)


def shared(folder: Path | None = None, threads: int = 1) -> CrossEncoder | OnnxCross | None:
    """The process's cross-encoder, loaded on first use; None (with one warning line, once) when
    the files are missing or unreadable, so the engine runs on without it."""
    folder = Path(folder or DIR)
    threads = usable_threads(threads)  # one session per real thread count
    key = (str(folder), threads)
    with _lock:
        if key not in _loaded:
            try:
                _loaded[key] = load(folder, threads)
            except Exception as e:  # missing folder, torn file, no transformers
                log.warning("cross-encoder rerank off: cannot load %s (%s)", folder,
                            str(e).splitlines()[0] if str(e) else type(e).__name__)
                _loaded[key] = None
        return _loaded[key]
