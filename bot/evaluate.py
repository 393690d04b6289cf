"""`factdesk eval`: score the engine on a JSONL eval set, over a fresh index of the set's sources.

The first line names the sources folder (`{"sources": "data/sources"}`) and, under "flags", the
claims that must be flagged (status → phrases; any other link is a false flag); every other line is a
question with the phrases a correct citation contains (`expect`), acceptable extras (`also`),
flags that must show (`flag`), `no_flag`, `correction_leads`, and `dialogue` to chain follow-ups.
A fresh temporary index keeps the figures independent of whatever the user has ingested.

Correction sets (data/eval/realworld/) also list, in the header, every expected link with its
detection `family` (`links`) and later mentions that must not link (`no_link`); questions whose
answer changed over time carry `newest` (phrases of the newest relevant statement). For these the
report adds, per family: link recall, link precision and "later coverage shown"; and, beside it,
"later story shown" and "stale quotes" (`score_newer`: in the JSON `newer_story_shown`, `stale_quotes`,
`answers_quoting_dated`).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from ingest.embed import Embedder
from ingest.settings import Settings

from .answer import Answer, CorrectionEntry
from .conversation import Conversation


def load_eval(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header (the first object) and the questions. Every later line must be a question: one
    whose "question" key was mistyped would otherwise merge into the header and drop out unseen."""
    header: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    first = True
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except ValueError as e:
            raise ValueError(f"{path}:{n}: not JSON ({e})") from None
        if not isinstance(d, dict):
            raise ValueError(f"{path}:{n}: expected a JSON object, not {type(d).__name__}")
        if "question" in d and not isinstance(d["question"], str):
            raise ValueError(f"{path}:{n}: 'question' must be text")
        if "question" in d:
            items.append(d)
        elif first:
            header.update(d)
        else:
            raise ValueError(f'{path}:{n}: no "question" (only the first line, the header, goes without one)')
        first = False
    if not items:
        raise ValueError(f"{path}: no questions (one JSON object a line, each with a \"question\")")
    return header, items


def _has(text: str, phrases: list[str]) -> bool:
    return any(p in text for p in phrases)


def score(items: list[dict[str, Any]], answers: list[Answer], source_texts: dict[str, str],
          expected_flags: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Answer-level figures. A cited flag is false unless a question's `flag` or the header's
    `flags` (`expected_flags`: the claims the index must flag) names its claim, or its question
    says `no_flag`."""
    answerable = [(q, a) for q, a in zip(items, answers) if q.get("answerable", True)]
    unanswerable = [(q, a) for q, a in zip(items, answers) if not q.get("answerable", True)]
    hits = cited = correct = 0
    flag_need = flag_ok = 0
    false_flags = 0
    lead_ok = lead_need = 0
    verbatim_ok = verbatim_all = 0
    failures: list[dict[str, Any]] = []
    all_flag_phrases = [p for q in items for ps in (q.get("flag") or {}).values() for p in ps]
    all_flag_phrases += [p for ps in (expected_flags or {}).values() for p in ps]
    for q, a in answerable:
        expect = q.get("expect", [])
        good = expect + q.get("also", [])
        ok = a.answered and any(_has(c.text, expect) for c in a.citations)
        hits += ok
        if a.answered:
            cited += len(a.citations)
            correct += sum(1 for c in a.citations if _has(c.text, good))
        if not ok:
            failures.append({"question": q["question"], "why": "no correct citation" if a.answered else "abstained",
                             "cited": [c.text[:80] for c in a.citations]})
        for status, phrases in (q.get("flag") or {}).items():
            for c in a.citations:
                if _has(c.text, phrases):
                    flag_need += 1
                    if c.correction and c.correction.status == status:
                        flag_ok += 1
                    else:
                        failures.append({"question": q["question"], "why": f"cited claim not flagged {status}",
                                         "cited": [c.text[:80]]})
        if q.get("correction_leads") and a.citations:
            lead_need += 1
            lead_ok += a.citations[0].correction is None
    for q, a in zip(items, answers):
        for c in a.citations:
            if c.correction and (q.get("no_flag") or not _has(c.text, all_flag_phrases)):
                false_flags += 1
                failures.append({"question": q["question"], "why": "false flag", "cited": [c.text[:80]]})
            if c.start is not None:
                verbatim_all += 1
                verbatim_ok += source_texts.get(c.source, "")[c.start:c.end] == c.text
    abstained = sum(1 for _, a in unanswerable if not a.answered)
    for q, a in unanswerable:
        if a.answered:
            failures.append({"question": q["question"], "why": "answered an unanswerable question",
                             "cited": [c.text[:80] for c in a.citations]})
    n_ans = len(answerable)
    return {
        "questions": len(items),
        "answerable": n_ans,
        "unanswerable": len(unanswerable),
        "hit_rate": round(hits / n_ans, 3) if n_ans else None,
        "sentence_precision": round(correct / cited, 3) if cited else None,
        "citations_per_answer": round(cited / max(1, sum(1 for _, a in answerable if a.answered)), 2),
        "abstention": round(abstained / len(unanswerable), 3) if unanswerable else None,
        "false_abstention": round(sum(1 for _, a in answerable if not a.answered) / n_ans, 3) if n_ans else None,
        "verbatim_rate": round(verbatim_ok / verbatim_all, 3) if verbatim_all else None,
        "flag_recall": round(flag_ok / flag_need, 3) if flag_need else None,
        "false_flags": false_flags,
        "correction_leads": round(lead_ok / lead_need, 3) if lead_need else None,
        "failures": failures,
    }


def score_links(expected: dict[str, list[str]], links: list[CorrectionEntry]) -> dict[str, Any]:
    """Index-level flags: every expected claim flagged with its status, and no other link —
    whether or not any question happened to cite it."""
    found = {(lk.correction.status, lk.claim.text) for lk in links}
    need = [(status, p) for status, phrases in expected.items() for p in phrases]
    hit = sum(1 for status, p in need if any(st == status and p in text for st, text in found))
    wanted = [p for _, p in need]
    false = [text for _, text in found if not any(p in text for p in wanted)]
    return {"index_flag_recall": round(hit / len(need), 3) if need else None, "index_false_flags": len(false),
            "index_false_flag_claims": [t[:80] for t in false]}


# Detector family names (ingest.corrections.signals) → the eval sets' family names.
_FAMILY_NAMES = {"plan": "plan_reversal", "status": "status_change"}


def _link_family(lk: CorrectionEntry) -> str:
    """The family a detected link claims, in the eval's names (for false links)."""
    if lk.correction.by and all(b.source == lk.claim.source for b in lk.correction.by):
        return "same_source"
    fam = lk.family
    return _FAMILY_NAMES.get(fam, fam or "unlabelled")


_DATED_ID = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def _story_key(source_id: str) -> str:
    """The episode a real-world part's source belongs to, read from its id ("rw-broadcom-2018-03-15"
    → "rw-broadcom")."""
    return _DATED_ID.sub("", source_id)


def score_newer(items: list[dict[str, Any]], answers: list[Answer], source_texts: dict[str, str]) -> dict[str, Any]:
    """Later coverage read at the level of the story, beside `later_shown`'s exact sentence: for
    questions with `newest`, the share whose answer quotes some sentence of the source holding the
    newest statement (`newer_story_shown`: the reader sees the later story, if not its best
    sentence); and the answers that quote a sentence of a dated episode source while a later source
    of the same episode exists and nothing of it is quoted (`stale_quotes`, of
    `answers_quoting_dated`) — the guarantee "never the old claim alone", counted. Episodes are read
    from the real-world parts' dated source ids ("rw-broadcom-2018-03-15" → "rw-broadcom")."""
    need = ok = 0
    for q, a in zip(items, answers):
        if not q.get("newest"):
            continue
        need += 1
        holders = {sid for sid, t in source_texts.items() if any(p in t for p in q["newest"])}
        if holders & {c.source for c in a.citations}:
            ok += 1
    dated = {sid: m.group(0)[1:] for sid in source_texts for m in [_DATED_ID.search(sid)] if m}
    quoting = stale = 0
    for a in answers:
        shown = {c.source for c in a.citations}
        quoted = shown & dated.keys()
        if not quoted:
            continue
        quoting += 1
        later = {sid for q in quoted for sid, day in dated.items()
                 if _story_key(sid) == _story_key(q) and day > dated[q]}
        if later and not later & shown:
            stale += 1
    return {"newer_story_shown": round(ok / need, 3) if need else None, "stale_quotes": stale,
            "answers_quoting_dated": quoting}


def score_off_story(episodes: list[dict[str, Any]], items: list[dict[str, Any]], answers: list[Answer]) -> dict[str, Any]:
    """Later coverage's precision by story, in a real-world part whose questions each belong to one
    episode: of the citations shown as later coverage or as a correction (`role` "later" or
    "correction"), those from a source of another episode (`later_off_story`, of `later_cited`) —
    "Is Iceland still on the FATF grey list?" answered with a later sentence about Icelandic
    whaling. Every such citation is wrong for the question; one from the episode may still be the
    wrong sentence (`later_shown` reads the sentence)."""
    sources = {e["id"]: set(e["sources"]) for e in episodes}
    cited = off = 0
    off_list: list[str] = []
    for q, a in zip(items, answers):
        own = sources.get(q.get("episode", ""))
        if own is None:
            continue
        for c in a.citations:
            if c.role in ("later", "correction"):
                cited += 1
                if c.source not in own:
                    off += 1
                    off_list.append(f"{q['question'][:60]} ← {c.text[:60]}")
    return {"later_cited": cited, "later_off_story": off, "later_off_story_list": off_list}


def score_families(header: dict[str, Any], links: list[CorrectionEntry], items: list[dict[str, Any]],
                   answers: list[Answer]) -> dict[str, Any]:
    """Per family: link recall (the expected claim flagged with its status by a sentence holding
    one of the expected `by` phrases), link precision (detected links that are expected ones, each
    false link counted against the family it claims), later coverage shown (questions with
    `newest` whose answer cites a sentence holding one of those phrases); plus must-not-link pairs
    that did link."""
    expected = header.get("links") or []
    fams: dict[str, dict[str, int]] = {}

    def fam(name: str) -> dict[str, int]:
        return fams.setdefault(name, {"links": 0, "found": 0, "detected_ok": 0, "detected_false": 0,
                                      "later_need": 0, "later_ok": 0})

    def matches(e: dict[str, Any], lk: CorrectionEntry, need_by: bool = True) -> bool:
        if e["claim"] not in lk.claim.text or e["status"] != lk.correction.status:
            return False
        return not need_by or any(p in b.text for b in lk.correction.by for p in e["by"])

    missed: list[str] = []
    for e in expected:
        f = fam(e["family"])
        f["links"] += 1
        if any(matches(e, lk) for lk in links):
            f["found"] += 1
        else:
            missed.append(f"{e['family']}: {e['claim'][:70]}")
    false_links: list[str] = []
    for lk in links:
        hit = next((e for e in expected if matches(e, lk, need_by=False)), None)
        if hit is not None:
            fam(hit["family"])["detected_ok"] += 1
        else:
            name = _link_family(lk)
            fam(name)["detected_false"] += 1
            false_links.append(f"{name}: {lk.claim.text[:70]} ← {lk.correction.by[0].text[:60] if lk.correction.by else ''}")
    no_link_broken = [f"{n['kind']}: {n['claim'][:50]} ← {n['later'][:50]}" for n in header.get("no_link") or []
                      if any(n["claim"] in lk.claim.text and any(n["later"] in b.text for b in lk.correction.by)
                             for lk in links)]
    later_missed: list[str] = []
    for q, a in zip(items, answers):
        if not q.get("newest"):
            continue
        f = fam(q.get("family") or "unlabelled")
        f["later_need"] += 1
        if any(_has(c.text, q["newest"]) for c in a.citations):
            f["later_ok"] += 1
        else:
            later_missed.append(q["question"])

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    per = {name: {"link_recall": ratio(f["found"], f["links"]),
                  "link_precision": ratio(f["detected_ok"], f["detected_ok"] + f["detected_false"]),
                  "later_shown": ratio(f["later_ok"], f["later_need"]), **f} for name, f in sorted(fams.items())}
    tot = {k: sum(f[k] for f in fams.values()) for k in ("links", "found", "detected_ok", "detected_false",
                                                          "later_need", "later_ok")}
    return {"families": per,
            "link_recall": ratio(tot["found"], tot["links"]),
            "link_precision": ratio(tot["detected_ok"], tot["detected_ok"] + tot["detected_false"]),
            "later_shown": ratio(tot["later_ok"], tot["later_need"]),
            "no_link_pairs": len(header.get("no_link") or []), "no_link_broken": no_link_broken,
            "missed_links": missed, "false_links": false_links, "later_missed": later_missed}


def run_eval(settings: Settings, embedder: Embedder, path: Path) -> dict[str, Any]:
    from .indexing import make_indexer

    from .engine import Engine

    header, items = load_eval(path)
    sources = Path(header.get("sources", settings.sources_dir))
    if not sources.is_absolute():
        sources = (path.parent / sources) if (path.parent / sources).exists() else sources
    with tempfile.TemporaryDirectory(prefix="factdesk-eval-") as tmp:
        update: dict[str, Any] = {"data_dir": Path(tmp), "chroma_host": ""}
        if "corrections_file" in type(settings).model_fields:  # editor decisions beside the set's sources
            update["corrections_file"] = sources / "corrections.yml"
        s = settings.model_copy(update=update)
        report = make_indexer(s, embedder).ingest([str(sources)])
        if not report.ok:
            raise RuntimeError("eval sources failed to ingest: " + "; ".join(r.line() for r in report.results))
        engine = Engine(s, embedder=embedder)
        answers: list[Answer] = []
        convs: dict[str, Conversation] = {}
        for q in items:
            conv = convs.setdefault(q["dialogue"], Conversation()) if q.get("dialogue") else None
            a = engine.ask(q["question"], conv)
            if conv is not None:
                conv.add(q["question"], a, a.standalone)
            answers.append(a)
        texts = {sid: r.text for sid, r in engine.store().get_sources(list(engine.store().source_records())).items()}
        links = engine.corrections()
    result = score(items, answers, texts, header.get("flags"))
    result.update(score_newer(items, answers, texts))
    if header.get("episodes"):
        result.update(score_off_story(header["episodes"], items, answers))
    if "flags" in header:
        result.update(score_links(header["flags"], links))
    if "links" in header:
        result.update(score_families(header, links, items, answers))
    result["file"] = str(path)
    return result


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def format_report(r: dict[str, Any]) -> str:
    rows = [
        ("questions", f"{r['questions']} ({r['answerable']} answerable, {r['unanswerable']} not)"),
        ("hit rate", r["hit_rate"]), ("sentence precision", r["sentence_precision"]),
        ("citations per answer", r["citations_per_answer"]),
        ("abstention on unanswerable", r["abstention"]), ("false abstention", r["false_abstention"]),
        ("verbatim rate", r["verbatim_rate"]), ("flag recall", r["flag_recall"]),
        ("false flags", r["false_flags"]), ("correction leads", r["correction_leads"]),
    ]
    if "index_flag_recall" in r:
        rows += [("index flag recall", r["index_flag_recall"]), ("index false flags", r["index_false_flags"])]
    if "later_cited" in r:
        rows += [("later from another story", f"{r['later_off_story']} of {r['later_cited']} later or correcting citations")]
    if r.get("answers_quoting_dated"):
        rows += [("later story shown", r.get("newer_story_shown")),
                 ("stale quotes", f"{r['stale_quotes']} of {r['answers_quoting_dated']} answers quoting a dated story")]
    out = [f"eval: {r['file']}"] + [f"  {k:<28} {v}" for k, v in rows]
    if "families" in r:
        out += [f"  {'link recall':<28} {r['link_recall']}", f"  {'link precision':<28} {r['link_precision']}",
                f"  {'later coverage shown':<28} {r['later_shown']}",
                f"  {'must-not-link pairs linked':<28} {len(r['no_link_broken'])} of {r['no_link_pairs']}",
                "  per family:                  recall  precision  later shown"]
        out += [f"    {name:<26} {_fmt(f['link_recall']):>6}  {_fmt(f['link_precision']):>9}  {_fmt(f['later_shown']):>11}"
                for name, f in r["families"].items()]
        for key, title in (("missed_links", "missed links"), ("false_links", "false links"),
                           ("no_link_broken", "must-not-link pairs that linked"),
                           ("later_missed", "newest statement not cited"),
                           ("later_off_story_list", "later coverage from another story")):
            if r.get(key):
                out.append(f"{title}:")
                out += [f"  - {t}" for t in r[key]]
    if r.get("index_false_flag_claims"):
        out.append("falsely flagged claims:")
        out += [f"  - {t}" for t in r["index_false_flag_claims"]]
    if r["failures"]:
        out.append("failures:")
        out += [f"  - {f['question']} — {f['why']}: {f['cited']}" for f in r["failures"]]
    return "\n".join(out)
