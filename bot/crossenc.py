"""The cross-encoder: a 6-layer MiniLM that reads the question and a candidate sentence together
and gives one relevance logit. The bi-encoder cosine and word statistics the fitted scorer uses
cannot tell an on-topic sentence from the one that answers (README "Answer selection"); reading
both texts in one pass can. The weights are trained here (`python -m bot.train_cross`) from the
packaged embedding model on TrecQA and WikiQA train, and live in `bot/fitted/cross/` with a card
(`card.json`) recording data checksums, seed, hyper-parameters, validation figures and the
stacking weights the engine uses (bot/rerank.py). Loaded lazily, once per process, offline.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import numpy as np

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
                enc = self.tok([question] * len(chunk), chunk, truncation="only_second",
                               max_length=self.max_length, padding=True, return_tensors="pt")
                out.append(self.model(**enc).logits[:, 0].float().numpy())
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


_lock = threading.Lock()
_loaded: dict[str, CrossEncoder | None] = {}


def shared(folder: Path | None = None) -> CrossEncoder | None:
    """The process's cross-encoder, loaded on first use; None (with one warning line, once) when
    the files are missing or unreadable, so the engine runs on without it."""
    folder = Path(folder or DIR)
    key = str(folder)
    with _lock:
        if key not in _loaded:
            try:
                _loaded[key] = CrossEncoder(folder)
            except Exception as e:  # missing folder, torn file, no transformers
                log.warning("cross-encoder rerank off: cannot load %s (%s)", folder,
                            str(e).splitlines()[0] if str(e) else type(e).__name__)
                _loaded[key] = None
        return _loaded[key]
