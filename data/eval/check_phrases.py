"""Check an eval JSONL set against its sources before anyone runs it.

Every `expect`/`also`/`flag` phrase must occur verbatim in a source of the set's folder and, as the
index splits it, inside one sentence (a phrase spanning two sentences can never be cited). Also checks
that unanswerable questions carry no phrases, that answerable ones have `expect`, that no question is
repeated, and that no source id is shared between the files given (a held-out set must not share
articles with its dev set).

    python data/eval/check_phrases.py data/eval/news.jsonl data/eval/news-heldout.jsonl

Exits 1 and lists every problem if any check fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ingest.loaders import iter_files, load_file  # noqa: E402
from ingest.split import split_sentences  # noqa: E402

KEYS = {"question", "answerable", "expect", "also", "dialogue", "flag", "no_flag", "correction_leads"}


def _load(path: Path) -> tuple[dict, list[tuple[int, dict]]]:
    header: dict = {}
    items: list[tuple[int, dict]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            d = json.loads(line)
            if "question" in d:
                items.append((n, d))
            else:
                header.update(d)
    return header, items


def check(path: Path) -> tuple[list[str], set[str], dict[str, int]]:
    header, items = _load(path)
    folder = Path(header["sources"])
    if not folder.is_absolute():
        folder = path.parent / folder
    raw: list[str] = []
    sentences: list[str] = []
    ids: set[str] = set()
    for f in iter_files(folder):
        raw.append(f.read_text(encoding="utf-8"))
        src = load_file(f)
        ids.add(src.id)
        sentences += [s.text for s in split_sentences(src.id, src.text)]
    problems: list[str] = []
    seen: set[str] = set()
    counts = {"sources": len(raw), "questions": len(items), "answerable": 0, "unanswerable": 0,
              "follow_up_turns": 0, "dialogues": len({d["dialogue"] for _, d in items if d.get("dialogue")})}
    for n, d in items:
        where = f"{path}:{n}"
        unknown = set(d) - KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        q = d["question"]
        if q in seen and not d.get("dialogue"):
            problems.append(f"{where}: repeated question {q!r}")
        seen.add(q)
        answerable = d.get("answerable", True)
        counts["answerable" if answerable else "unanswerable"] += 1
        counts["follow_up_turns"] += bool(d.get("dialogue"))
        phrases = d.get("expect", []) + d.get("also", []) + [p for ps in (d.get("flag") or {}).values() for p in ps]
        if answerable and not d.get("expect"):
            problems.append(f"{where}: answerable question without expect")
        if not answerable and phrases:
            problems.append(f"{where}: unanswerable question carries phrases")
        for p in phrases:
            if not any(p in t for t in raw):
                problems.append(f"{where}: {p!r} not verbatim in any source of {folder}")
            elif not any(p in s for s in sentences):
                problems.append(f"{where}: {p!r} is in a source but spans a sentence boundary")
    return problems, ids, counts


def main(argv: list[str]) -> int:
    problems: list[str] = []
    owner: dict[str, str] = {}
    for name in argv or ["data/eval/news.jsonl"]:
        path = Path(name)
        found, ids, counts = check(path)
        problems += found
        for sid in ids:
            if sid in owner:
                problems.append(f"source id {sid!r} is in both {owner[sid]} and {path}")
            owner[sid] = str(path)
        print(f"{path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f", problems {len(found)}")
    for p in problems:
        print("  - " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
