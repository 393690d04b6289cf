"""`python -m benchmarks.later_coverage`: later coverage on the real-world parts, shown and wrong.

`factdesk eval` reports "later coverage shown" (a current-state question's answer cites the
newest relevant statement). This adds its precision: every part's index holds all of the part's
episodes, so a citation with `role: "later"` from a source of another episode than the question's
is later coverage about another subject — noise shown as "Later". Per part: later shown, hit rate,
sentence precision, answers showing a wrong-episode later statement (and how many later citations
there were, right and wrong episode), and how often a current-state question's answer leads with its
newest-dated statement (`newest_leads`) and with the labelled newest one (`labelled_newest_leads`),
and how many answers quote a labelled corrected or superseded claim with nothing of its episode
beside it saying what became of it (`claim_alone`, of `quoting_flagged_claim`). `--dump FILE`
writes each question's citations (role, source, episode, text) as JSON Lines for reading misses.

For each current-state question whose answer misses the newest statement the report names why
(`why_missed`): the answer abstained; no candidate holds the statement (retrieval); it is in the
cited sentence's own story (the newest story's stated change was not found); later coverage's own
verdict on it (bot/later.py `verdict`: not later, not relevant, background, not named, subject,
point); or it qualified but another statement of its story, the limit or the citation stage won.

`--sets` picks parts (default: every realworld part not listed as blind); a blind part is
refused (benchmarks/blind.py). This measures development data: every part run here is spent.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.blind import EVAL, LIST, refused

def spent_parts() -> list[str]:
    """Every realworld part not listed as blind, in the order they were written (dev, heldout, heldout2, …).
    Fails closed: without the blind list nothing is taken to be spent."""
    if not LIST.exists():
        raise SystemExit(f"{LIST} is missing: which parts are blind is unknown; name the parts with --sets")
    names = [f"realworld/{p.stem}" for p in (EVAL / "realworld").glob("*.jsonl")]

    def order(n: str) -> tuple[int, str]:
        m = re.fullmatch(r"realworld/heldout(\d*)", n)
        return (0 if n == "realworld/dev" else 1, f"{int(m.group(1) or 0):06d}" if m else n)

    blind = set(refused(names))
    return sorted((n for n in names if n not in blind), key=order)


def episode_of(header: dict[str, Any]) -> dict[str, str]:
    """Source id → episode id, from the part's header."""
    return {src: e["id"] for e in header.get("episodes") or [] for src in e["sources"]}


def later_precision(items: list[dict[str, Any]], answers: list[Any], episodes: dict[str, str]) -> dict[str, Any]:
    """Later citations from the question's own episode (right) and from another (wrong), and the
    answers showing at least one wrong one."""
    right = wrong = answers_wrong = 0
    for q, a in zip(items, answers):
        ep = q.get("episode")
        bad = [c for c in a.citations if c.role == "later" and ep and episodes.get(c.source) not in (None, ep)]
        wrong += len(bad)
        right += sum(1 for c in a.citations if c.role == "later") - len(bad)
        answers_wrong += bool(bad)
    return {"later_citations_right_episode": right, "later_citations_wrong_episode": wrong,
            "answers_with_wrong_episode_later": answers_wrong}


def claim_alone(items: list[dict[str, Any]], answers: list[Any], episodes: dict[str, str]) -> dict[str, Any]:
    """Answers quoting a labelled corrected or superseded claim (the question's `flag` phrases) with
    nothing of its episode beside it that says what became of it — no citation with role
    "correction" or "later" from the question's own episode. The must-not: a withdrawn finding
    quoted as plain fact."""
    quoting = alone = 0
    which = []
    for q, a in zip(items, answers):
        claims = [p for ps in (q.get("flag") or {}).values() for p in ps]
        if not claims or not any(p in c.text for c in a.citations for p in claims):
            continue
        quoting += 1
        ep = q.get("episode")
        if not any(c.role in ("correction", "later") and episodes.get(c.source) == ep for c in a.citations):
            alone += 1
            which.append(q["question"])
    return {"quoting_flagged_claim": quoting, "claim_alone": alone, "claim_alone_questions": which}


class Seen:
    """Records what later coverage was handed for the last question (the engine's call, observed)."""

    def __init__(self) -> None:
        import bot.engine

        self.last: dict[str, Any] = {}
        # the engine's own function, not the wrapper an earlier part's Seen left in its place
        original = getattr(bot.engine.later_statements, "__wrapped__", bot.engine.later_statements)
        signature = inspect.signature(original)

        def observed(*args, **kwargs):  # type: ignore[no-untyped-def]
            out = original(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            a = bound.arguments
            self.last = {"cited": a.get("cited"), "pool": a.get("pool"), "names": a.get("question_names", ()),
                         "tuning": a.get("tuning"), "around": a.get("around"), "out": out}
            return out

        observed.__wrapped__ = original  # type: ignore[attr-defined]
        bot.engine.later_statements = observed


def why_missed(q: dict[str, Any], answer: Any, seen: dict[str, Any]) -> str:
    """Why the newest statement is not in the answer (module docstring)."""
    from bot.later import Surroundings, verdict
    from bot.later_story import Stories
    from bot.story import period_years

    if not answer.answered or not seen:
        return "abstained"
    newest = [s for s in seen["pool"] if any(p in s.sentence.text for p in q["newest"])]
    if not newest:
        return "not a candidate"
    s = newest[0]
    cited = seen["cited"]
    if any(c.sentence.source == s.sentence.source for c in cited):
        return "in the cited story (stated change not found)"
    # The verdict as later_statements asks it: the same surroundings, stories and asked years.
    pool, around = seen["pool"], seen["around"]
    stories = Surroundings(around.titles, {**{p.sentence.id: p.sentence for p in pool}, **around.read})
    whole = Stories((p.sentence for p in pool), seen["tuning"])
    asked = frozenset(period_years(q["question"], ""))
    reasons = [verdict(c, s, q["question"], seen["names"], seen["tuning"], around, asked, stories, whole)[0]
               for c in cited]
    if all(reasons):
        return f"verdict: {reasons[0]}"
    if s.sentence.id in {o.sentence.id for o in seen["out"]}:
        return "shown by later coverage, dropped by the citation stage"
    if any(o.sentence.source == s.sentence.source for o in seen["out"]):
        return "another statement of its story shown"
    return "qualified, cut by the limit"


def run_part(name: str, settings: Any, embedder: Any, dump: Any = None) -> dict[str, Any]:
    from bot.engine import Engine
    from bot.evaluate import load_eval, score, score_families
    from bot.indexing import make_indexer

    path = EVAL / f"{name}.jsonl"
    header, items = load_eval(path)
    sources = path.parent / header["sources"]
    episodes = episode_of(header)
    with tempfile.TemporaryDirectory(prefix="factdesk-later-") as tmp:
        s = settings.model_copy(update={"data_dir": Path(tmp), "chroma_host": "",
                                        "corrections_file": sources / "corrections.yml"})
        report = make_indexer(s, embedder).ingest([str(sources)])
        if not report.ok:
            raise RuntimeError(f"{name}: sources failed to ingest")
        engine = Engine(s, embedder=embedder)
        seen = Seen()
        answers, why = [], {}
        for q in items:
            seen.last = {}
            answers.append(engine.ask(q["question"]))
            if q.get("newest") and not any(p in c.text for c in answers[-1].citations for p in q["newest"]):
                why[q["question"]] = why_missed(q, answers[-1], seen.last)
        texts = {sid: r.text for sid, r in engine.store().get_sources(list(engine.store().source_records())).items()}
        links = engine.corrections()
    base = score(items, answers, texts, header.get("flags"))
    fams = score_families(header, links, items, answers)
    asked = [(q, a) for q, a in zip(items, answers) if q.get("newest") and a.citations]
    out = {"part": name, "later_shown": fams["later_shown"], "hit_rate": base["hit_rate"],
           # the answer leads with its newest-dated statement / with the labelled newest statement
           "newest_leads": round(sum(a.citations[0].published == max(c.published for c in a.citations)
                                     for _, a in asked) / len(asked), 3) if asked else None,
           "labelled_newest_leads": round(sum(any(p in a.citations[0].text for p in q["newest"])
                                              for q, a in asked) / len(asked), 3) if asked else None,
           "sentence_precision": base["sentence_precision"], "link_recall": fams["link_recall"],
           **later_precision(items, answers, episodes), **claim_alone(items, answers, episodes),
           "later_missed": fams["later_missed"], "why_missed": why}
    if dump is not None:
        for q, a in zip(items, answers):
            shown = any(p in c.text for c in a.citations for p in q.get("newest") or [])
            dump.write(json.dumps({"part": name, "question": q["question"], "episode": q.get("episode"),
                                   "newest": q.get("newest"), "shown": shown if q.get("newest") else None,
                                   "citations": [{"role": c.role, "source": c.source, "published": c.published, "score": c.score,
                                                  "episode": episodes.get(c.source), "text": c.text}
                                                 for c in a.citations]}) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="", help="comma-separated parts, as under data/eval/")
    ap.add_argument("--dump", help="write each question's citations here (JSON Lines)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    names = [n for n in args.sets.split(",") if n] or spent_parts()
    blind = refused(names)
    if blind:
        print(f"refused: blind sets {', '.join(blind)}", file=sys.stderr)
        return 2
    from ingest.embed import Embedder
    from ingest.settings import Settings

    settings = Settings()
    embedder = Embedder(settings.embed_model, settings.embed_device)
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    try:
        rows = [run_part(n, settings, embedder, dump) for n in names]
    finally:
        if dump is not None:
            dump.close()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'part':<22} {'later shown':>11} {'hit':>6} {'precision':>9} {'wrong-ep answers':>16} {'later right/wrong':>17}"
          f" {'newest leads':>12} {'claim alone':>11}")
    for r in rows:
        print(f"{r['part']:<22} {r['later_shown']!s:>11} {r['hit_rate']!s:>6} {r['sentence_precision']!s:>9} "
              f"{r['answers_with_wrong_episode_later']:>16} "
              f"{r['later_citations_right_episode']:>8}/{r['later_citations_wrong_episode']:<8} "
              f"{r['labelled_newest_leads']!s:>12} {r['claim_alone']:>5}/{r['quoting_flagged_claim']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
