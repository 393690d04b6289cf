"""A chain of corrections (290 ← 359 ← 253): the middle statement both corrects the first and is
corrected by the last. An answer shows each sentence once — the middle one with what corrected it
just before it — never the same sentence twice (bot/cite.py `_order`). Sources invented; the links
are declared (`corrects:` front matter), so the chain does not depend on the detector."""

from __future__ import annotations

from bot.engine import Engine


def _write(folder, sid: str, published: str, text: str, corrects: tuple[str, str] | None = None) -> None:
    fm = f"---\nid: {sid}\ntitle: {sid}\npublisher: Dale Courier (fictional)\npublished: {published}\n"
    if corrects:
        fm += f"corrects:\n  - source: {corrects[0]}\n    quote: \"{corrects[1]}\"\n    status: corrected\n"
    (folder / f"{sid}.md").write_text(fm + "---\n" + text + "\n", encoding="utf-8")


def test_a_sentence_both_correcting_and_corrected_is_shown_once(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "velm-1", "2019-04-23", "Police said 290 people had been killed in the Velm bombings of churches and hotels.")
    _write(folder, "velm-2", "2019-04-25", "Police said 359 people had been killed in the Velm bombings.",
           ("velm-1", "290 people had been killed"))
    _write(folder, "velm-3", "2019-04-26", "The health ministry said 253 people had been killed in the Velm bombings.",
           ("velm-2", "359 people had been killed"))
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask("How many people were killed in the Velm bombings of churches and hotels?")
    ids = [(c.source, c.sentence) for c in ans.citations]
    assert len(ids) == len(set(ids)), ids
    by_source = {c.source: n for n, c in enumerate(ans.citations)}
    assert {"velm-1", "velm-2", "velm-3"} <= set(by_source), ids
    # each flagged statement comes after what corrected it
    assert by_source["velm-3"] < by_source["velm-2"] < by_source["velm-1"], ids
