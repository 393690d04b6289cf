"""Validate the real-world correction eval parts (dev, heldout, heldout2, heldout3, heldout4, heldout5, heldout6, heldout7, heldout8, heldout9, heldout10, ..., heldout20, heldout21, heldout22, heldout23, heldout24, heldout25, heldout26, heldout27).

Run from the repository root: `python data/eval/realworld/check.py [part ...]`.
Checks, per part: every phrase named in the header (links, no_link) and in the questions occurs
verbatim in that part's sources — links and no-link pairs exactly once across the part, inside one
sentence when the project's splitter is importable; a correcting or later statement is strictly
later than its claim (a later `published` date, or later in the same source for same-source
episodes); the header's `flags` equal the links; every part covers every family; no source id or
episode is shared between parts. Exits 1 on any problem.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ["dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23", "heldout24", "heldout25", "heldout26", "heldout27"]
FAMILIES = {"retraction", "negation", "plan_reversal", "status_change", "list_window", "figure", "same_source"}
FIELDS = ("id", "title", "publisher", "published")


def read_source(path: Path) -> tuple[dict[str, str], str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    head, body = text[4:].split("\n---\n", 1)
    meta = {}
    for line in head.splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip().strip('"')
    return meta, body


def sentences(body: str) -> list[str] | None:
    """The project's own sentence split of the cleaned text, or None when it cannot be imported."""
    try:
        sys.path.insert(0, str(HERE.parents[2]))
        from ingest.clean import clean_text
        from ingest.split import split_spans
    except Exception:
        return None
    text = clean_text(body).text
    return [text[a:b] for a, b in split_spans(text)]


def check_part(part: str, errors: list[str]) -> dict:
    lines = [json.loads(x) for x in (HERE / f"{part}.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    header, questions = lines[0], lines[1:]
    folder = HERE / header["sources"]
    src = {}
    for p in sorted(folder.glob("*.md")):
        meta, body = read_source(p)
        missing = [f for f in FIELDS if not meta.get(f)]
        if missing:
            errors.append(f"{part}/{p.name}: front matter lacks {missing}")
        if meta.get("id") != p.stem:
            errors.append(f"{part}/{p.name}: id {meta.get('id')!r} differs from the file name")
        date = dt.date.fromisoformat(meta["published"])
        if not dt.date(2000, 1, 1) <= date <= dt.date(2023, 12, 31):
            errors.append(f"{part}/{p.name}: published {date} outside 2000-2023")
        src[meta["id"]] = {"date": date, "body": body, "sents": sentences(body)}

    def locate(phrase: str, what: str, once: bool = True) -> tuple[str, int] | None:
        hits = [(sid, s["body"].find(phrase)) for sid, s in src.items() if phrase in s["body"]]
        if not hits:
            errors.append(f"{part}: {what} phrase not in any source: {phrase!r}")
            return None
        if once and (len(hits) > 1 or src[hits[0][0]]["body"].count(phrase) > 1):
            errors.append(f"{part}: {what} phrase occurs more than once: {phrase!r}")
        sid = hits[0][0]
        sents = src[sid]["sents"]
        if sents is not None and not any(phrase in s for s in sents):
            errors.append(f"{part}: {what} phrase spans a sentence break or was cleaned away: {phrase!r}")
        return hits[0]

    def later(a: tuple[str, int] | None, b: tuple[str, int] | None, what: str) -> None:
        if a is None or b is None:
            return
        if a[0] == b[0]:
            if not b[1] > a[1]:
                errors.append(f"{part}: {what}: later phrase precedes the claim in {a[0]}")
        elif not src[b[0]]["date"] > src[a[0]]["date"]:
            errors.append(f"{part}: {what}: {b[0]} ({src[b[0]]['date']}) is not later than {a[0]} ({src[a[0]]['date']})")

    families = Counter()
    flags: dict[str, set[str]] = {}
    for lk in header["links"]:
        families[lk["family"]] += 1
        flags.setdefault(lk["status"], set()).add(lk["claim"])
        if lk["family"] not in FAMILIES:
            errors.append(f"{part}: unknown family {lk['family']!r}")
        c = locate(lk["claim"], "claim")
        if c and c[0] != lk["claim_source"]:
            errors.append(f"{part}: claim source mismatch for {lk['claim']!r}")
        for i, by in enumerate(lk["by"]):
            b = locate(by, "by")
            later(c, b, f"link {lk['claim'][:40]!r}")
            if i == 0 and b and b[0] != lk["by_source"]:
                errors.append(f"{part}: by source mismatch for {by!r}")
            if c and b and lk["family"] == "same_source" and c[0] != b[0]:
                errors.append(f"{part}: same_source link across sources: {lk['claim']!r}")
            if c and b and lk["family"] != "same_source" and c[0] == b[0]:
                errors.append(f"{part}: {lk['family']} link inside one source: {lk['claim']!r}")
    declared = {k: set(v) for k, v in header["flags"].items() if v}
    if declared != flags:
        errors.append(f"{part}: header flags differ from the links")
    missing = FAMILIES - set(families)
    if missing:
        errors.append(f"{part}: families not covered: {sorted(missing)}")
    flagged = {p for v in flags.values() for p in v}
    for nl in header["no_link"]:
        c, lt = locate(nl["claim"], "no-link claim"), locate(nl["later"], "no-link later")
        later(c, lt, f"no-link {nl['claim'][:40]!r}")
        if nl["claim_flagged"] != (nl["claim"] in flagged):
            errors.append(f"{part}: claim_flagged wrong for {nl['claim']!r}")
        bys = [b for lk in header["links"] if lk["claim"] == nl["claim"] for b in lk["by"]]
        if any(nl["later"] in b or b in nl["later"] for b in bys):
            errors.append(f"{part}: no-link pair is also a link: {nl['claim']!r}")
    episodes = {e["id"] for e in header["episodes"]}
    for q in questions:
        if q.get("episode") not in episodes:
            errors.append(f"{part}: question {q['question']!r} names no known episode")
        phrases = q.get("expect", []) + q.get("also", []) + q.get("newest", [])
        phrases += [p for ps in (q.get("flag") or {}).values() for p in ps]
        for p in phrases:
            locate(p, "question", once=False)
        for p in [p for ps in (q.get("flag") or {}).values() for p in ps]:
            if p not in flagged:
                errors.append(f"{part}: question flag phrase is no link claim: {p!r}")
    used = {s for e in header["episodes"] for s in e["sources"]}
    if used != set(src):
        errors.append(f"{part}: sources in the folder and in the episodes differ: {sorted(used ^ set(src))}")
    return {"part": part, "episodes": len(header["episodes"]), "sources": len(src), "links": len(header["links"]),
            "no_link": len(header["no_link"]), "questions": len(questions), "families": dict(sorted(families.items())),
            "source_ids": set(src), "episode_ids": episodes}


def main(argv: list[str]) -> int:
    errors: list[str] = []
    parts = [p for p in (argv or PARTS) if (HERE / f"{p}.jsonl").exists()]
    reports = [check_part(p, errors) for p in parts]
    for i, a in enumerate(reports):
        for b in reports[i + 1:]:
            for key in ("source_ids", "episode_ids"):
                if a[key] & b[key]:
                    errors.append(f"{a['part']} and {b['part']} share {key}: {sorted(a[key] & b[key])}")
    for r in reports:
        print(f"{r['part']}: {r['episodes']} episodes, {r['sources']} sources, {r['links']} links, "
              f"{r['no_link']} must-not-link pairs, {r['questions']} questions")
        print("   links per family: " + ", ".join(f"{k} {v}" for k, v in r["families"].items()))
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
