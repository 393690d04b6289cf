"""Writing small dated sources for tests: one helper for every test that needs a folder of stories."""

from __future__ import annotations

from pathlib import Path


def write_source(folder: Path, sid: str, published: str | None, *sentences: str,
                 publisher: str = "Dale Courier (fictional)") -> None:
    """One source file with front matter (no `published` line when `published` is empty: an
    undated source) and the sentences as paragraphs."""
    date = f"published: {published}\n" if published else ""
    (folder / f"{sid}.md").write_text(f"---\nid: {sid}\ntitle: {sid}\npublisher: {publisher}\n{date}---\n"
                                      + "\n\n".join(sentences) + "\n", encoding="utf-8")
