"""`python -m benchmarks.failure_causes`: why the engine fails on our eval sets, question by question.

Every question of each set is asked of the real engine in a fresh index (as `factdesk eval` does);
the selector's full ranking is recorded beside the answer, and each failure gets one cause:

answerable questions without a correct citation
  - `answered from source metadata` — taken for a question about the piece itself (its byline, …)
  - `not retrieved`        — no expected sentence among the candidates the select stage sees (recall@40)
  - `abstained, answer 1st` — the engine declined although the best-scored sentence is the answer
  - `abstained, answer lower` — declined, and the answer was not the best-scored sentence
  - `abstained: rule 1`    — declined because the question names something the index lacks
  - `abstained: rule 7` / `rule 8` / `rule 9` — declined by that rule of bot/select.py (`Selection.why`):
                             no sentence of the kind asked, none holding the focus, none in the speaker's words
  - `answered, answer 2nd` / `answer 3rd–5th` / `answer below 5th` — quoted something else first
  - `answered, a rule replaced the top answer` — the best-scored sentence was the answer; a rule chose others
unanswerable questions that were answered
  - `absent entity`        — the question names something the quoted sentence (with its neighbours and
                             headline) does not mention
  - `absent figure type`   — it asks for a number, time, amount or place the quoted sentence lacks
  - `on-topic, no answer`  — neither: a sentence on the subject that does not say what is asked
and, over answered questions, `wrong further citation` (a quoted sentence beyond the first that holds
no expected or acceptable phrase) — what lowers sentence precision.

`--sets a,b` picks the sets (default: the spent news sets and questions); `--list` prints
each failure. Refuses the blind sets listed in data/eval/BLIND (benchmarks/blind.py): those are run
once by the lead, never analysed before.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.blind import refused

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = ["news", "news-heldout", "news-heldout2", "news-heldout3", "news-heldout4", "news-heldout5",
                "news-heldout6", "questions"]
CAUSES = ("answered from source metadata", "not retrieved", "abstained, answer 1st", "abstained, answer lower", "abstained: rule 1",
          "abstained: rule 7", "abstained: rule 8", "abstained: rule 9",
          "answered, answer 2nd", "answered, answer 3rd-5th", "answered, answer below 5th",
          "answered, a rule replaced the top answer", "absent entity", "absent figure type", "on-topic, no answer",
          "wrong further citation")


class Recording:
    """Wraps a selector and keeps its last Selection (the engine does not expose it)."""

    def __init__(self, inner) -> None:
        self.inner, self.last = inner, None

    def select(self, query, candidates, neighbours):
        self.last = self.inner.select(query, candidates, neighbours)
        self.last_query = query
        return self.last


def classify(q: dict[str, Any], answer, sel, absent: bool) -> list[str]:
    """The causes of one question's failures (empty when it has none)."""
    from bot.question import has_type_evidence, wants_type

    expect, good = q.get("expect", []), q.get("expect", []) + q.get("also", [])
    has = lambda text, ps: any(p in text for p in ps)  # noqa: E731
    ranked = sel.ranked if sel else []
    cited = [c.text for c in answer.citations if c.field is None]
    out: list[str] = []
    if q.get("answerable", True):
        if answer.answered:
            out += ["wrong further citation" for t in cited[1:] if not has(t, good)]
        if answer.answered and any(has(c.text, expect) for c in answer.citations):
            return out
        if sel is None and any(c.field for c in answer.citations):
            return ["answered from source metadata"]
        rank = next((i for i, c in enumerate(ranked, 1) if has(c.sentence.text, expect)), None)
        if rank is None:
            return ["not retrieved"] + out
        if not answer.answered:
            why = getattr(sel, "why", "") if sel else ""
            if why in ("rule 7", "rule 8", "rule 9"):
                return [f"abstained: {why}"]
            return ["abstained: rule 1" if absent else "abstained, answer 1st" if rank == 1 else "abstained, answer lower"]
        if rank == 1:
            return ["answered, a rule replaced the top answer"] + out
        return ["answered, answer 2nd" if rank == 2 else "answered, answer 3rd-5th" if rank <= 5
                else "answered, answer below 5th"] + out
    if not answer.answered or not sel or not sel.chosen:
        return []
    top = sel.chosen[0]
    if top.names < 1.0:
        return ["absent entity"]
    standalone = answer.standalone or q["question"]
    if wants_type(standalone) and not has_type_evidence(standalone, top.sentence.text):
        return ["absent figure type"]
    return ["on-topic, no answer"]


def run_set(path: Path, embedder, scorer, listing: bool) -> dict[str, Any]:
    from bot.conversation import Conversation
    from bot.engine import Engine
    from bot.evaluate import load_eval, score
    from bot.select import absent_names
    from ingest.pipeline import Indexer
    from ingest.settings import Settings

    header, items = load_eval(path)
    src = Path(header["sources"])
    src = src if src.is_absolute() or src.exists() else path.parent / src
    causes: Counter[str] = Counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="factdesk-causes-") as tmp:
        s = Settings().model_copy(update={"data_dir": Path(tmp), "chroma_host": ""})
        if not Indexer(s, embedder=embedder).ingest([str(src)]).ok:
            raise RuntimeError(f"{path}: sources failed to ingest")
        engine = Engine(s, embedder=embedder, scorer=scorer)
        rec = Recording(engine.selector)  # the engine's own selector, every rule on (rule 8 reads its embedder)
        engine.selector = rec
        answers, convs = [], {}
        for q in items:
            conv = convs.setdefault(q["dialogue"], Conversation()) if q.get("dialogue") else None
            rec.last = None
            a = engine.ask(q["question"], conv)
            if conv is not None:
                conv.add(q["question"], a, a.standalone)
            answers.append(a)
            sel = rec.last
            absent = bool(sel and absent_names(a.standalone or q["question"], engine.stats,
                                               [c.sentence.text for c in sel.ranked]))
            got = classify(q, a, sel, absent)
            causes.update(got)
            if got:
                rows.append({"question": q["question"], "standalone": a.standalone, "causes": got,
                             "top": [(round(c.score, 3), c.sentence.text[:90]) for c in (sel.ranked[:3] if sel else [])],
                             "cited": [c.text[:90] for c in a.citations]})
        st = engine.store()
        texts = {sid: r.text for sid, r in st.get_sources(list(st.source_records())).items()}
    r = score(items, answers, texts, header.get("flags"))
    out = {k: r[k] for k in ("hit_rate", "sentence_precision", "abstention", "false_abstention",
                             "answerable", "unanswerable")}
    out["causes"] = {c: causes.get(c, 0) for c in CAUSES}
    if listing:
        out["failures"] = rows
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.failure_causes", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(DEFAULT_SETS))
    ap.add_argument("--scorer", type=Path, default=None)
    ap.add_argument("--list", action="store_true", help="print every failure with the top three candidates")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    blind = refused([n for n in args.sets.split(",") if n])
    if blind:
        ap.error(f"{', '.join(blind)}: blind (data/eval/BLIND): run once by the lead, not analysed")
    from bot.scorer import FITTED, load
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    settings = get_settings()
    embedder = Embedder(settings.embed_model, settings.embed_device)
    scorer = load(args.scorer or FITTED)
    report = {}
    for name in [n for n in args.sets.split(",") if n]:
        path = Path(name) if name.endswith(".jsonl") else ROOT / "data" / "eval" / f"{name}.jsonl"
        report[path.stem] = run_set(path, embedder, scorer, args.list)
        if not args.json:
            r = report[path.stem]
            print(f"{path.stem}: hit {r['hit_rate']} precision {r['sentence_precision']} abstention "
                  f"{r['abstention']} false abstention {r['false_abstention']} "
                  f"({r['answerable']} answerable, {r['unanswerable']} not)", flush=True)
            for c, n in r["causes"].items():
                print(f"    {c:<42} {n}")
            for f in r.get("failures", []):
                print(f"  - {f['question']} [{f['standalone']}] {f['causes']}")
                for p, t in f["top"]:
                    print(f"        {p:.3f} {t}")
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
