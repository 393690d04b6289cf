"""The question adapter: a linear map W applied to the question's embedding only, fitted so that
cos(W q, s) ranks answer sentences above the other candidates of the same question.

Why: a question ("Who owns Megvii?") and the declarative sentence that answers it ("Alibaba holds
a stake in Megvii") are different kinds of text; a symmetric sentence embedding scores the
question against sentences that *resemble* it. An asymmetric map on the question side can learn
to look for the answer's shape instead. W starts at the identity and is L2-regularised toward it,
so with no evidence it changes nothing; stored sentence vectors are never touched (no
re-embedding), and at query time it is one d×d matrix–vector product.

Fitted on external labels only (WikiQA train + TrecQA train, bot/training_data.py) with a listwise
loss: a softmax over each question's candidates, maximising the probability of its correct ones.
The regularisation strength and the number of epochs are chosen on WikiQA dev + TrecQA dev
(mean of MAP and MRR). The weights live in bot/fitted/adapter.npz with the seed, the data's
SHA-256 and the embedding model (`python -m bot.adapter` writes it; `--check` compares).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FITTED = Path(__file__).resolve().parent / "fitted" / "adapter.npz"
# Training settings, all recorded in the fitted file. Not tuned: the seed (training_data.SEED); Adam's usual step size;
# the batch; three folds for the out-of-fold vectors. Chosen on the dev splits: strength and epochs.
SEED = 20190614  # the same value as training_data.SEED; kept here so the engine's import of this module stays light
# Softmax temperature of the listwise loss (cosines live in [-1, 1]; 0.05 is the usual contrastive
# value, e.g. SimCSE/sentence-transformers' MultipleNegativesRankingLoss scale 20). Not tuned.
TEMPERATURE = 0.05
# Grid the regularisation strength is chosen from on the dev splits, and the most epochs tried.
STRENGTHS = (0.001, 0.01, 0.03, 0.1)
MAX_EPOCHS = 12
BATCH = 32  # questions per step
FOLDS = 3  # out-of-fold adapted vectors for stage 1's training questions (out_of_fold)
LR = 1e-3


@dataclass(frozen=True)
class Adapter:
    """W (d×d), and the out-of-fold adapted vectors of stage 1's training questions."""

    w: np.ndarray
    embed_model: str
    path: str
    oof: dict[str, np.ndarray] | None = None  # TrecQA train question -> out-of-fold adapted vector (training only)

    def apply(self, q: np.ndarray) -> np.ndarray:
        return adapt(self.w, q)


def adapt(w: np.ndarray | None, q: np.ndarray) -> np.ndarray:
    """W q, re-normalised (q itself without W): cos(W q, s) is then a dot product. A vector of
    another size (another embedding model: the engine already warns at start to run `make train`)
    is left as it is rather than failing every question."""
    if w is None or len(q) != w.shape[1]:
        return q
    v = w @ np.asarray(q, dtype=np.float32)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else q


def load(path: Path | str = FITTED) -> Adapter | None:
    """The fitted adapter, or None when the file is absent (the engine then uses q as it is)."""
    p = Path(path)
    if not p.exists():
        return None
    with np.load(p, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        oof = dict(zip((str(q) for q in z["oof_questions"]), np.asarray(z["oof_q"], dtype=np.float32)))
        w = np.eye(len(z["delta"]), dtype=np.float32) + np.asarray(z["delta"], dtype=np.float32)
        return Adapter(w, str(meta.get("embed_model", "")), str(p), oof)


def save(path: Path, w: np.ndarray, oof_questions: list[str], oof_q: np.ndarray, meta: dict) -> None:
    """W is stored as W − I in float16 (entries are small: ~300 kB instead of 590; W read back is
    within 1e-4 of the fitted one, and training and the engine both read it back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        np.savez_compressed(f, delta=(w - np.eye(len(w), dtype=w.dtype)).astype(np.float16),
                            oof_questions=np.array(oof_questions), oof_q=oof_q.astype(np.float16),
                            meta=np.array(json.dumps(meta, sort_keys=True)))


def read_meta(path: Path = FITTED) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return json.loads(str(z["meta"]))


@dataclass
class Lists:
    """Questions' vectors and their candidates' vectors with labels, for fitting and scoring."""

    q: np.ndarray  # (n, d)
    cands: list[np.ndarray]  # per question (m_i, d)
    labels: list[np.ndarray]  # per question (m_i,)


def lists(groups, embedder) -> Lists:
    """Vectors for bot/training_data.Group lists (each distinct text embedded once)."""
    texts = list(dict.fromkeys([g.question for g in groups] + [s for g in groups for s in g.sentences]))
    vecs = dict(zip(texts, embedder.embed(texts)))
    return Lists(np.vstack([vecs[g.question] for g in groups]),
                 [np.vstack([vecs[s] for s in g.sentences]) for g in groups],
                 [np.asarray(g.labels, dtype=np.float32) for g in groups])


def scores(w: np.ndarray | None, data: Lists) -> list[np.ndarray]:
    """cos(W q, s) for every candidate of every question (plain cosine when w is None)."""
    q = data.q if w is None else data.q @ w.T
    q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    return [c @ qi for qi, c in zip(q, data.cands)]


def fit_one(train: Lists, strength: float, epochs: int, seed: int = SEED, each=None) -> np.ndarray:
    """W after `epochs` passes of Adam over the questions (batches of BATCH), loss = mean listwise
    softmax cross-entropy + strength × ||W − I||². `each(epoch, W)` sees W after every epoch."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    use = [i for i, y in enumerate(train.labels) if 0 < y.sum() < len(y)]  # a list with something to rank
    d = train.q.shape[1]
    eye = torch.eye(d)
    w = torch.nn.Parameter(torch.eye(d))
    opt = torch.optim.Adam([w], lr=LR)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(use)
        for b in range(0, len(order), BATCH):
            idx = order[b:b + BATCH]
            m = max(len(train.labels[i]) for i in idx)
            c = np.zeros((len(idx), m, d), dtype=np.float32)
            y = np.zeros((len(idx), m), dtype=np.float32)
            mask = np.zeros((len(idx), m), dtype=bool)
            for k, i in enumerate(idx):
                n = len(train.labels[i])
                c[k, :n], y[k, :n], mask[k, :n] = train.cands[i], train.labels[i], True
            q = torch.nn.functional.normalize(torch.from_numpy(train.q[idx]) @ w.T, dim=1)
            s = torch.einsum("bd,bmd->bm", q, torch.from_numpy(c)) / TEMPERATURE
            s = s.masked_fill(~torch.from_numpy(mask), -1e9)
            pos = s.masked_fill(torch.from_numpy(y) == 0, -1e9)
            loss = (torch.logsumexp(s, 1) - torch.logsumexp(pos, 1)).mean() + strength * ((w - eye) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        if each:
            each(epoch, w.detach().numpy().copy())
    return w.detach().numpy().copy()


def choose(train: Lists, dev: list[tuple[list, Lists]], seed: int = SEED, strengths=STRENGTHS,
           max_epochs: int = MAX_EPOCHS, log=print) -> tuple[np.ndarray, dict]:
    """Fit W for each strength, score the dev splits after every epoch, keep the (strength, epoch)
    with the best mean of MAP and MRR over the dev splits; the identity when nothing beats it."""
    from .train import ranking

    d = train.q.shape[1]
    grid: dict[str, float] = {}
    best: list = [-1.0, 0, None, None]

    def dev_score(w: np.ndarray) -> float:
        vals = [ranking(groups, scores(w, data)) for groups, data in dev]
        return float(np.mean([(v["map"] + v["mrr"]) / 2 for v in vals]))

    base = dev_score(np.eye(d, dtype=np.float32))
    for lam in strengths:
        def each(epoch: int, w: np.ndarray, lam: float = lam) -> None:
            sc = grid[f"{lam}/{epoch}"] = round(dev_score(w), 4)
            if sc > best[0]:
                best[:] = [sc, epoch, lam, w]
        fit_one(train, lam, max_epochs, seed, each)
        log(f"adapter: strength {lam}: dev score by epoch {[grid[f'{lam}/{e}'] for e in range(1, max_epochs + 1)]}")
    if best[3] is None or best[0] <= base:
        return np.eye(d, dtype=np.float32), {"strength": None, "epochs": 0, "dev_score": round(base, 4),
                                             "identity_dev_score": round(base, 4), "grid": grid}
    return best[3], {"strength": best[2], "epochs": best[1], "dev_score": best[0],
                     "identity_dev_score": round(base, 4), "grid": grid}


def out_of_fold(held: Lists, rest: Lists, strength: float, epochs: int, seed: int = SEED, folds: int = FOLDS) -> np.ndarray:
    """Adapted vectors of `held`'s questions, each from a W fitted without its fold (on `rest` and
    the other folds): the scorer's stage 1 is fitted on TrecQA train, which W also saw, and an
    in-sample adapted cosine would look better there than it is anywhere else."""
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(held.labels)) % folds
    out = np.zeros_like(held.q)
    for k in range(folds):
        keep = [i for i in range(len(held.labels)) if fold[i] != k]
        train = concat([rest, Lists(held.q[keep], [held.cands[i] for i in keep], [held.labels[i] for i in keep])])
        w = fit_one(train, strength, epochs, seed)
        q = held.q[fold == k] @ w.T
        out[fold == k] = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    return out


def concat(parts: list[Lists]) -> Lists:
    return Lists(np.vstack([p.q for p in parts]), [c for p in parts for c in p.cands], [y for p in parts for y in p.labels])


def build(embedder, trecqa: Path, wikiqa: Path, seed: int = SEED, log=print) -> tuple[np.ndarray, list[str], np.ndarray, dict]:
    """Fit W on WikiQA train + TrecQA train, choose its strength and epochs on their dev splits,
    and compute TrecQA train's out-of-fold adapted question vectors. Test splits are never read."""
    from .train import ROOT, ranking, sha256
    from .training_data import load_trecqa, load_wikiqa

    files = [trecqa / "train.csv", trecqa / "dev.csv"] + [wikiqa / s / f for s in ("train", "dev")
                                                          for f in ("a.toks", "b.toks", "id.txt", "sim.txt")]
    groups = {"trecqa_train": load_trecqa(files[0]), "trecqa_dev": load_trecqa(files[1]),
              "wikiqa_train": load_wikiqa(wikiqa / "train"), "wikiqa_dev": load_wikiqa(wikiqa / "dev")}
    data = {k: lists(g, embedder) for k, g in groups.items()}
    dev = [(groups[k], data[k]) for k in ("trecqa_dev", "wikiqa_dev")]
    w, rec = choose(concat([data["trecqa_train"], data["wikiqa_train"]]), dev, seed, log=log)
    oof = out_of_fold(data["trecqa_train"], data["wikiqa_train"], rec["strength"], rec["epochs"], seed) \
        if rec["strength"] is not None else data["trecqa_train"].q
    validation = {k: {"plain": ranking(groups[k], scores(None, data[k])), "adapted": ranking(groups[k], scores(w, data[k]))}
                  for k in ("trecqa_dev", "wikiqa_dev")}
    meta = {"about": "question adapter W for factdesk (bot/adapter.py): cos(W q, s); written by python -m bot.adapter",
            "embed_model": embedder.identity, "seed": seed, "temperature": TEMPERATURE, "lr": LR, "batch": BATCH,
            "folds": FOLDS, "strengths": list(STRENGTHS), "max_epochs": MAX_EPOCHS,
            "chosen": {k: v for k, v in rec.items() if k != "grid"}, "dev_grid": rec["grid"],
            "fit": ["data/external/trecqa/train.csv", "data/external/wikiqa/train/ (castorini/data WikiQA/train)"],
            "chosen_on": ["data/external/trecqa/dev.csv", "data/external/wikiqa/dev/"],
            "sha256": {str(p.relative_to(ROOT)): sha256(p) for p in files}, "validation": validation}
    return w, [g.question for g in groups["trecqa_train"]], oof, meta


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from .train import TRECQA, WIKIQA

    ap = argparse.ArgumentParser(prog="python -m bot.adapter", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=FITTED)
    ap.add_argument("--wikiqa", type=Path, default=WIKIQA, help="folder with castorini/data WikiQA/train and dev")
    ap.add_argument("--check", action="store_true", help="refit and compare with --out instead of writing it")
    args = ap.parse_args(argv)
    if not (args.wikiqa / "train" / "sim.txt").exists() or not (args.wikiqa / "dev" / "sim.txt").exists():
        print(f"no WikiQA train/dev under {args.wikiqa} (data/external/README.md says how to get them)", file=sys.stderr)
        return 2
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    s = get_settings()
    w, qs, oof, meta = build(Embedder(s.embed_model, s.embed_device), TRECQA, args.wikiqa)
    if args.check:
        diffs = compare(w, meta, load(args.out), read_meta(args.out))
        print("reproduces " + str(args.out) if not diffs else "differs: " + "; ".join(diffs))
        return 1 if diffs else 0
    save(args.out, w, qs, oof, meta)
    print(f"wrote {args.out}: {json.dumps(meta['chosen'])} validation {json.dumps(meta['validation'])}")
    return 0


def compare(w: np.ndarray, meta: dict, old: Adapter | None, old_meta: dict, tol: float = 0.02) -> list[str]:
    """What differs in a refit: the chosen strength and epochs, the data, or W beyond `tol`."""
    if old is None:
        return ["no committed adapter"]
    out = [f"{k}: {meta['chosen'].get(k)} vs {old_meta['chosen'].get(k)}" for k in ("strength", "epochs")
           if meta["chosen"].get(k) != old_meta["chosen"].get(k)]
    if meta["sha256"] != old_meta["sha256"]:
        out.append("training data checksums differ")
    gap = float(np.abs(w - old.w).max())
    if gap > tol:
        out.append(f"W differs by up to {gap:.4f}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
