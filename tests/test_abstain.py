"""Abstaining on unanswerable questions (README, issue 11 "Abstention"): select rule 8 (a question's
focus — the attribute it asks for — must be in the quoted sentence, by stem or by a word the model
puts close to it), rule 9 ("what did X say" is not answered with others' words) and the money
reading of "how much … money". Each unanswerable question has an answerable twin, and each test
shows the question answered with its mechanism switched off. Story and questions invented here."""

from __future__ import annotations

import pytest

import bot.select as select_mod
from bot.focus import focus_of, focus_similarity, holds_stem, load
from bot.question import attributed_to, fits_type
from tests.sources import write_source

STORY = (
    "Korvane Mining Reports Record Year at Tallisford",
    "Korvane Mining said on Monday that its revenue rose to $400 million last year, helped by higher copper prices.",
    "The company employs 2,300 people across three pits near Tallisford.",
    "Miriam Okafor, the leader of the Tallisford miners' union, said the record year showed that wages must rise.",
    "The chief executive, Anna Feld, joined Korvane in 2019 from a rival copper producer.",
    "The Tallisford pit produced 41,000 tonnes of copper in the year, a third more than before.",
    "“The deep seam at Tallisford will stay open for another decade. We will hire 200 more miners in the "
    "spring,” Anna Feld said in a statement.",
    "The union held a strike ballot on Monday, in which 61 percent of members voted for a walkout.",
    "Korvane said it would reopen its flooded north pit in March.",
    "Its new excavator, one of 3 built in Germany, was shipped to the pit from Hamburg in January.",
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    from bot.engine import Engine
    from ingest.pipeline import Indexer
    from ingest.settings import Settings

    root = tmp_path_factory.mktemp("abstain")
    (root / "src").mkdir()
    write_source(root / "src", "korvane-year", "2024-03-04", *STORY)
    s = Settings(_env_file=None, data_dir=root / "data", sources_dir=root / "src", chroma_host="")
    assert Indexer(s, embedder=embedder).ingest([str(root / "src")]).ok
    return Engine(s, embedder=embedder)


def _cites(answer, phrase: str) -> bool:
    return answer.answered and any(phrase in c.text for c in answer.citations)


def test_the_focus_is_the_attribute_the_question_asks_for():
    assert focus_of("What salary does Korvane pay Anna Feld?") == "salary"
    assert focus_of("How many spectators attended the final?") == "spectators"
    assert focus_of("Who is the president of the miners' union?") == "president"
    assert focus_of("what was the turnout in the ballot") == "turnout"
    assert focus_of("How much does the new excavator weigh?") == "weigh"  # a verb focus
    assert focus_of("When was Korvane founded?") == "founded"
    # A kind of answer rule 7 checks, a kind of name, or a verb after "what": no focus.
    for q in ("How much prize money did they get?", "What year did it open?", "What company bought it?",
              "What caused the collapse?", "How many people work there?", "Who was the bridge named for?"):
        assert focus_of(q) is None, q


def test_a_sentence_holds_the_focus_by_stem_or_by_a_close_word(embedder):
    from bot.focus import WordVectors

    words = WordVectors(embedder.embed)
    assert holds_stem("salaries", "Its salary was cut.")
    tau = load()
    assert tau is not None and 0.0 < tau < 1.0  # fitted on TrecQA/WikiQA train (bot/fitted/focus.json)
    assert focus_similarity("employees", STORY[2], words) >= tau  # "employs"
    assert focus_similarity("salary", STORY[3], words) >= tau  # "wages"
    assert focus_similarity("salary", STORY[4], words) < tau  # joining the company is not a salary


def test_rule_8_declines_a_sentence_giving_another_attribute(engine, monkeypatch):
    q = "What salary does Korvane pay its chief executive?"
    assert not engine.ask(q).answered
    assert _cites(engine.ask("How much revenue did Korvane report last year?"), "$400 million")  # the twin
    assert _cites(engine.ask("How many workers does Korvane employ?"), "2,300 people")  # by a close word
    monkeypatch.setattr(select_mod, "focus_of", lambda question: None)  # rule 8 off: answered
    assert engine.ask(q).answered


def test_rule_8_declines_a_sentence_without_the_verb_asked_about(engine, monkeypatch):
    q = "How much does Korvane's new excavator weigh?"
    assert not engine.ask(q).answered
    assert _cites(engine.ask("When was Korvane's new excavator shipped to the pit?"), "in January")  # the twin
    monkeypatch.setattr(select_mod, "focus_of", lambda question: None)  # rule 8 off: the shipping answers
    assert _cites(engine.ask(q), "in January")


def test_rule_9_declines_what_someone_else_said(engine, monkeypatch):
    q = "What did the mayor of Tallisford say about the record year?"
    assert not engine.ask(q).answered
    assert _cites(engine.ask("What did the union leader say about the record year?"), "wages must rise")  # the twin
    assert engine.ask("Did the mayor of Tallisford tell the union to call off the strike ballot?").answered  # yes/no
    monkeypatch.setattr(select_mod, "speaker_of", lambda question: None)  # rule 9 off: answered
    assert engine.ask(q).answered


def test_a_quotation_is_attributed_where_it_ends(engine, monkeypatch):
    """Rule 2/9: a quotation's first sentence names no speaker; the next one does ("… Feld said")."""
    q = "What did Anna Feld say about the deep seam?"
    assert _cites(engine.ask(q), "will stay open for another decade")
    monkeypatch.setattr(select_mod, "with_quote_ends", lambda pool, neighbours, speaker: {c.id: c.text for c in pool})
    assert not _cites(engine.ask(q), "will stay open for another decade")


def test_rule_7_a_question_about_the_future_is_not_answered_with_a_past_date(engine, monkeypatch):
    q = "When will the union hold its next strike ballot?"
    assert not engine.ask(q).answered
    assert _cites(engine.ask("When will Korvane reopen the north pit?"), "in March")  # the twin
    monkeypatch.setattr(select_mod, "asks_future", lambda question: False)  # off: the past ballot's date answers
    assert _cites(engine.ask(q), "on Monday")


def test_attribution_reads_reporting_verbs_and_any_word_of_a_long_speaker():
    assert attributed_to("anna feld", "Anna Feld wrote to staff that the pit would stay open.")
    assert attributed_to("the union boss", "The union's leader, Miriam Okafor, warned of a strike.", loose=True)
    assert not attributed_to("the union boss", "The union's leader, Miriam Okafor, warned of a strike.")
    assert not attributed_to("the mayor", "Miriam Okafor said wages must rise.", loose=True)


def test_how_much_money_asks_for_an_amount_of_money():
    q = "How much prize money did the winners get?"
    assert not fits_type(q, "The winners beat the champions 3-1 in the final on Sunday.")
    assert fits_type(q, "The winners took home $2 million.")
