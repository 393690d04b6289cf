"""Later coverage does not rest on a shared country alone (bot/later.py `_country_only`): for a question
about how things stand now, a later sentence that shares only a country's name with the cited one, says
nothing on its point and whose story's headline names nothing else of it is another story ("Iceland"
on a grey list and in a whaling story). A later story whose headline names the subject still counts.
Every source here is invented (the countries are real, the events are not)."""

from __future__ import annotations

from bot.engine import Engine


def _write(folder, sid, title, published, *sentences):
    (folder / f"{sid}.md").write_text(f"---\nid: {sid}\ntitle: {title}\npublisher: Dale Courier (fictional)\n"
                                      f"published: {published}\n---\n" + "\n\n".join([title, *sentences]) + "\n",
                                      encoding="utf-8")


def test_a_later_story_sharing_only_a_country_is_not_later_coverage(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "grey-2019", "Watchdog Keeps Iceland on Its Grey List", "2019-10-18",
           "The Tarvo Council kept Iceland on its grey list of countries with weak controls on money laundering on Friday.",
           "The council meets three times a year.")
    _write(folder, "whales-2023", "Whalers May Sail Again", "2023-09-01",
           "Hvalur, the only company still hunting whales off Iceland, may send its boats out again on Friday.",
           "The fishing ministry paused the hunt in June.")
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask("Is Iceland still on the Tarvo Council's grey list?")
    shown = [(c.role, c.text) for c in ans.citations]
    assert any("kept Iceland on its grey list" in t for _, t in shown), shown
    assert not any("whales" in t for _, t in shown), shown


def test_a_later_story_whose_headline_names_the_subject_still_counts(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "jets-2010", "Ostral Air Grounds Its Superjumbos", "2010-11-05",
           "Ostral Air grounded its six superjumbos on Thursday after an engine on one of them failed over Indonesia "
           "on a flight from Singapore.", "The plane landed safely back in Singapore.")
    _write(folder, "jets-back-2010", "Ostral Air Superjumbos Return", "2010-11-27",
           "The airline's superjumbos carried passengers again on Saturday, with a flight from Sydney to London by way "
           "of Singapore.", "They will stay off the route to Los Angeles for now.")
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask("Are Ostral Air's superjumbos still grounded?")
    shown = [(c.role, c.text) for c in ans.citations]
    assert any(r == "later" and "carried passengers again" in t for r, t in shown), shown
