"""`python -m benchmarks.tutorial_eval [EVAL.jsonl ...]`: the LangChain tutorial pipeline
(RecursiveCharacterTextSplitter 1000/200 + langchain-chroma + the same embeddings, k = 4) scored
on factdesk's eval sets with the same measures as `factdesk eval`, for the README's comparison.

Sentence-level precision for the tutorial counts the sentences inside each returned chunk: a
reader must find the answer in them, so every sentence quoted is a sentence cited.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.phases import _STEmbeddings
from bot.evaluate import load_eval
from ingest.split import split_spans

ROOT = Path(__file__).resolve().parent.parent


def score_tutorial(path: Path) -> dict[str, float]:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    class Emb(_STEmbeddings, Embeddings):
        pass

    header, items = load_eval(path)
    src = Path(header["sources"])
    src = src if src.exists() else path.parent / src
    files = sorted(p for p in src.rglob("*") if p.suffix in {".txt", ".md", ".html"})
    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": str(p)}) for p in files]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    with tempfile.TemporaryDirectory() as tmp:
        store = Chroma.from_documents(chunks, Emb(), persist_directory=tmp, collection_name="tutorial")
        hits = answerable = cited = correct = answered_unanswerable = unanswerable = 0
        for q in items:
            got = store.similarity_search(q["question"], k=4)
            if not q.get("answerable", True):
                unanswerable += 1
                answered_unanswerable += bool(got)
                continue
            answerable += 1
            good = q.get("expect", []) + q.get("also", [])
            hits += any(any(p in d.page_content for p in q.get("expect", [])) for d in got)
            for d in got:
                for s, e in split_spans(d.page_content):
                    cited += 1
                    correct += any(p in d.page_content[s:e] for p in good)
    return {"hit_rate": round(hits / answerable, 3), "sentence_precision": round(correct / max(1, cited), 3),
            "citations_per_answer": 4, "abstention": round(1 - answered_unanswerable / max(1, unanswerable), 3)}


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "data" / "eval").glob("*.jsonl"))
    for p in paths:
        print(p.name, score_tutorial(p))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
