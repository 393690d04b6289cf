"""Later coverage that generalizes (issue 10, tenth session; bot/later.py, bot/later_within.py,
bot/later_subject.py): a paragraph of the cited story that shares only the words naming what a
current-state question asks about is no update of it, and a story's headline is never its stated
change; a later count or amount where the cited sentence gives one answers a how-many / how-much
question, while a figure of another kind does not; a later story's lead is read under its headline.
Every source here is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.later_subject import beyond_subject, subject_terms
from bot.later_within import same_measure, updates_within
from bot.select import Scored
from ingest.records import StoredSentence
from ingest.terms import content_terms


def _write(folder: Path, sid: str, published: str, *sentences: str) -> None:
    """A source whose first paragraph is its headline (as news copy is stored)."""
    (folder / f"{sid}.md").write_text(f"---\nid: {sid}\ntitle: \"{sentences[0]}\"\npublisher: Dale Courier (fictional)\n"
                                      f"published: {published}\n---\n" + "\n\n".join(sentences) + "\n", encoding="utf-8")


def _engine_over(stories: dict[str, tuple[str, list[str]]], tmp_path: Path, settings, embedder, indexer) -> Engine:
    """The stories written as dated sources, ingested (real Chroma, the real model), and an engine over them."""
    folder = tmp_path / "src"
    folder.mkdir()
    for sid, (published, sentences) in stories.items():
        _write(folder, sid, published, *sentences)
    assert indexer.ingest([str(folder)]).ok
    return Engine(settings, embedder=embedder)


def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


# -- the subject of a current-state question, as its form gives it -------------------------------------

@pytest.mark.parametrize("question, subject", [
    ("Is the Rafah crossing still closed?", "Rafah crossing"),
    ("Are the Tessel ferries currently suspended?", "Tessel ferries"),
    ("Can gay service members in the army still be discharged?", "gay service members in the army"),
    ("Is the Dalmora bridge closed?", "Dalmora bridge"),
    ("Does the Orrin league still ban the striker?", "Orrin league"),
    ("Is the Brenford museum no longer shut?", "Brenford museum"),
    ("Is the museum in Brenford shut any more?", "museum"),  # before "in", the state "any more" follows
])
def test_a_current_state_questions_subject_is_what_stands_before_still_or_the_state(question, subject):
    assert subject_terms(question) == _terms(subject)


def test_other_questions_name_no_subject_words_and_the_point_is_what_remains():
    for q in ("How many people died in the Easter bombings in Dalmora?", "Who won the Orrin league final?",
              "Was a girl trapped under the Enrique school?"):
        assert subject_terms(q) == frozenset(), q
    assert beyond_subject("Is the Rafah crossing still closed?", "On Tuesday the crossing stayed closed.")
    assert not beyond_subject("Is the Rafah crossing still closed?", "On Tuesday the crossing's operator met the union.")


# -- a same-story paragraph sharing only the subject's words is no update ---------------------------------

def _st(text: str, index: int, published: str = "2021-05-05") -> StoredSentence:  # a Wednesday
    return StoredSentence(id=f"a#{index}", source="a", index=index, start=0, end=len(text), text=text,
                          published=published)


@pytest.mark.parametrize("question, cited, beside, update", [
    ("Is the Rafah crossing still closed?",
     "The Rafah crossing was closed to travellers on Monday, the border authority said.",
     "On Tuesday the crossing's operator unveiled a new logo.",
     "On Tuesday the crossing remained closed, the authority said."),
    ("Are the Tessel ferries still suspended?",
     "The Tessel ferries were suspended on Monday after a crack was found in a hull.",
     "Later on Tuesday the ferries' owner presented its annual accounts.",
     "Later on Tuesday the ferries were still suspended, the owner said."),
    ("Is the Dalmora museum still shut?",
     "The Dalmora museum was shut on Monday after floodwater reached its galleries.",
     "By the afternoon the museum's gift shop had started a sale of calendars online.",
     "By the afternoon the museum said it would stay shut for a week."),
    ("Is the Orrin league striker still banned?",
     "The Orrin league striker was banned for three matches on Monday.",
     "On Tuesday the striker opened a bakery in his home town.",
     "On Tuesday an appeals panel lifted the ban on the striker, so he is banned no longer."),
])
def test_a_paragraph_sharing_only_the_subject_word_is_no_update(question, cited, beside, update):
    c = Scored(sentence=_st(cited, 1), dense=0.6, lex=0.5, names=1.0)
    off = Scored(sentence=_st(beside, 3), dense=0.45, lex=0.2, names=0.0)
    on = Scored(sentence=_st(update, 4), dense=0.45, lex=0.2, names=0.0)
    assert updates_within([c], [c, off, on], question) == [on]


STORIES = {
    "ferry": ("2021-05-05", ["Tessel ferry service suspended",
                             "The Tessel ferry service was suspended on Monday after a crack was found in the hull of "
                             "its only boat, the Orrin Ferry Company said.",
                             "Passengers were told to use the bus link through Brenford instead.",
                             "On Tuesday the ferry company's chairman presented the annual accounts to shareholders in "
                             "Brenford."]),
    "rafah": ("2021-05-05", ["Rafah crossing closed to travellers",
                             "The Rafah crossing was closed to travellers on Monday, the border authority said, after "
                             "clashes near the gate.",
                             "Hundreds of people waited at the gate through the night.",
                             "On Tuesday the crossing's operator unveiled a new logo and a website."]),
    "museum": ("2021-05-05", ["Dalmora museum shut after flood",
                              "The Dalmora museum was shut to visitors on Monday after floodwater reached its basement "
                              "galleries, its director said.",
                              "Staff moved paintings to the upper floors overnight.",
                              "Later on Tuesday the museum's gift shop launched a sale of calendars online."]),
}


def test_in_an_answer_neither_the_subject_only_paragraph_nor_the_headline_is_later(tmp_path, settings, embedder,
                                                                                   indexer):
    engine = _engine_over(STORIES, tmp_path, settings, embedder, indexer)
    asked = {"ferry": ("Is the Tessel ferry service still suspended?", "Is the ferry service to Tessel suspended?"),
             "rafah": ("Is the Rafah crossing still closed?", "Is the crossing at Rafah closed?"),
             "museum": ("Is the Dalmora museum still shut?", "Is the Dalmora museum shut?")}
    for sid, questions in asked.items():
        for q in questions:
            ans = engine.ask(q)
            shown = [(c.role, c.text) for c in ans.citations]
            assert ans.citations and "on Monday" in ans.citations[0].text, (q, shown)  # the account leads
            assert all(c.role != "later" for c in ans.citations), (q, shown)


# -- a later figure of the kind asked for ---------------------------------------------------------------

def test_a_later_figure_answers_a_how_many_or_how_much_question_only_when_it_is_of_that_kind():
    many = "How many people died in the Dalmora bombings?"
    assert same_measure(many, "Police said 290 people had been killed.", "The number of dead had risen to 359.")
    assert same_measure(many, "Police said 290 people had been killed.", "About 253 people had died, officials said.")
    assert not same_measure(many, "Police said 290 people had been killed.", "The state will pay $2 million to families.")
    assert not same_measure(many, "Police said 290 people had been killed.", "Turnout rose to 61 percent.")
    much = "How much did the Orrin economy shrink?"
    assert same_measure(much, "It shrank 0.2 percent in the quarter.", "Output grew 0.1% after revision.")
    assert not same_measure(much, "It shrank 0.2 percent in the quarter.", "The agency revised 40,000 records.")
    assert not same_measure("Who counted the dead?", "290 people had been killed.", "The dead numbered 359.")


TOLL = {
    "toll-1": ("2019-04-23", ["Dalmora Toll Climbs After Easter Attacks",
                              "Police said on Monday that 290 people had been killed in the Easter Sunday bombings of "
                              "churches and hotels in Dalmora.",
                              "Suicide bombers struck three churches and three hotels on Sunday morning."]),
    "toll-2": ("2019-04-25", ["Dalmora Count Rises Again",
                              "Police said on Wednesday the number of dead had risen to 359.",
                              "The Orrin Front group claimed responsibility for the bombings on Tuesday.",
                              "The government said it would pay $2 million to the families of the victims."]),
    "toll-3": ("2019-04-26", ["Dalmora Lowers Bombing Count by More Than 100",
                              "The Health Ministry said on Thursday that about 253 people had died, more than 100 fewer "
                              "than announced, because remains had been counted twice."]),
}


def test_later_counts_are_shown_newest_first_and_a_claim_of_responsibility_is_not(tmp_path, settings, embedder,
                                                                                  indexer):
    engine = _engine_over(TOLL, tmp_path, settings, embedder, indexer)
    for q in ("How many people died in the Easter bombings in Dalmora?",
              "How many people were killed in the Dalmora bombings at Easter?"):
        ans = engine.ask(q)
        shown = [(c.role, c.source, c.text) for c in ans.citations]
        later = [c for c in ans.citations if c.role == "later"]
        assert any("253 people" in c.text for c in later), (q, shown)  # the lead, read under its headline
        assert any("risen to 359" in c.text for c in later), (q, shown)
        assert not any("claimed responsibility" in c.text or "$2 million" in c.text for c in later), (q, shown)
        assert "253 people" in ans.citations[0].text, (q, shown)  # the newest leads


# -- a current-state question answered by how things stand now ----------------------------------------

def _sc(embedder, text: str, source: str, published: str, index: int, names: float, dense: float = 0.4,
        lex: float = 0.2, score: float = 0.1) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=dense, lex=lex, names=names, score=score)


NOW_CASES = [  # (cited, the later story's sentence naming the subject, the statement referring back, question)
    ("The council said on Thursday that next year's Orrin fair will be held at the Dalmora showground in June.",
     "Two days after picking the Dalmora showground for the Orrin fair, the council changed course.",
     "Late on Saturday its leader said that the search for a venue would start again.",
     "Is next year's Orrin fair still set for the Dalmora showground?"),
    ("Soldiers in Valdoria who say they are gay can still be discharged under the Orrin rule, the ministry said.",
     "The Orrin rule ended at midnight on Tuesday, the Valdorian ministry said.",
     "Its soldiers can no longer be dismissed for saying who they love, it said.",
     "Can gay soldiers in Valdoria still be discharged under the Orrin rule?"),
    ("The Tessel Line suspended its night trains to Brenford on Monday after a derailment.",
     "The Tessel Line said on Friday that its repairs near Brenford were finished.",
     "They are now running every hour, the company said.",
     "Are the Tessel Line's night trains to Brenford still suspended?"),
]


def test_a_statement_referring_back_that_says_how_things_stand_now_answers_still(embedder):
    from bot.later import Surroundings, later_statements

    for cited_text, before_text, stmt_text, q in NOW_CASES:
        cited = _sc(embedder, cited_text, "a", "2019-10-18", 1, names=1.0, dense=0.7, score=0.6)
        before = _sc(embedder, before_text, "b", "2019-10-20", 1, names=0.5)
        stmt = _sc(embedder, stmt_text, "b", "2019-10-20", 2, names=0.5, lex=0.0)
        around = Surroundings({"b": "A Headline"}, {"b#1": before.sentence})
        got = [s.sentence.text for s in later_statements([cited], [cited, before, stmt], q, ["orrin"], around=around)]
        assert stmt_text in got, (q, got)
        # Not of a time still to come, and not of a statement referring back to nothing of the subject.
        hope = _sc(embedder, "Its leader hopes to announce a site again this winter.", "b", "2019-10-20", 2, names=0.5,
                   lex=0.0)
        got = [s.sentence.text for s in later_statements([cited], [cited, hope], q, ["orrin"], around=around)]
        assert hope.sentence.text not in got, (q, got)
        other = Surroundings({"b": "A Headline"}, {"b#1": _st("Pellandia's reef is under review.", 1)})
        got = [s.sentence.text for s in later_statements([cited], [cited, stmt], q, ["orrin"], around=other)]
        assert stmt_text not in got, (q, got)


# -- a title alone names no one ---------------------------------------------------------------------

def test_a_shared_title_or_rank_alone_is_no_shared_subject():
    from bot.later_subject import same_subject

    for a, b in (("The networks project that Vice President Al Gore has won Florida.",
                  "President Obama called the ruling a victory."),
                 ("Prime Minister Theresa May said the vote would go ahead.",
                  "Prime Minister Boris Johnson said on Monday the deal was done."),
                 ("Chief Executive Dana Orrin said the plant would close.",
                  "Chief Executive Tom Vell of Brenford Mills said hiring would go on."),
                 ("Senator Ann Tessel opposed the bill.", "Senator Jo Marrow said on Friday she would back it.")):
        assert not same_subject(a, b), (a, b)
    # the name beside the title still counts
    assert same_subject("President Obama signed the bill on Friday.", "Obama said on Monday the law would stand.")
    assert same_subject("Prime Minister Jo Tessel said the vote would go ahead.", "Tessel called off the vote.")


# -- who said a thing is not what was said ----------------------------------------------------------

def test_an_attribution_is_left_out_of_what_a_sentence_says():
    from bot.later_subject import what_was_said

    assert what_was_said("Orrin had 328 million users in the quarter, the company said on Thursday.") == \
        "Orrin had 328 million users in the quarter"
    assert what_was_said("The government said on Friday that Orrin had agreed to register.") == \
        "Orrin had agreed to register."
    assert what_was_said("Police said 290 people had been killed.") == "290 people had been killed."
    assert what_was_said("The mill will close in June, its owner told reporters.") == "The mill will close in June"
    assert what_was_said("Officials handed the skipper her licence back on Monday.") == \
        "Officials handed the skipper her licence back on Monday."


def test_a_later_statement_sharing_only_the_attributions_word_is_not_on_the_point(embedder):
    from bot.later import Surroundings, later_statements

    q = "How many monthly users did Orrin have in the second quarter?"
    cited = _sc(embedder, "Orrin had 328 million monthly users in the second quarter, the company said on Thursday.",
                "a", "2017-07-28", 1, names=1.0, dense=0.7, score=0.6)
    for text in ("The government said Orrin had agreed to register as a local company.",
                 "Orrin's company lawyers filed the papers in Brenford on Tuesday.",
                 "Regulators said Orrin would have to pay the fine as a company, not through its founders."):
        other = _sc(embedder, text, "b", "2022-01-13", 2, names=1.0, dense=0.35, lex=0.0)
        got = [s.sentence.text for s in later_statements([cited], [cited, other], q, ["orrin"], around=Surroundings())]
        assert text not in got, (text, got)
    revised = _sc(embedder, "Orrin cut its count of monthly users for the quarter to 326 million, the company said.",
                  "c", "2017-10-27", 2, names=1.0, dense=0.6, lex=0.3)
    got = [s.sentence.text for s in later_statements([cited], [cited, revised], q, ["orrin"], around=Surroundings())]
    assert revised.sentence.text in got
