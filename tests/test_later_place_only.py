"""Later coverage when the question names nothing but a country it asks about as where (bot/later.py
`verdict`, `_places`): a later statement restating the cited sentence's point in other words need not
carry that country ("What were exports from Canada in 2022?" — "Exports in 2022 came to $66 billion by
the agency's latest count"), as it need not carry a name the cited sentence lacks. A question naming
something besides the country still asks for it. Invented examples, real embedding model."""

from __future__ import annotations

from bot.later import Surroundings, later_statements
from bot.select import Scored
from ingest.records import StoredSentence

CITED = "Exports from Canada reached a record $61 billion in 2022, the statistics agency said on Thursday."
LATER = "Exports in 2022 came to $66 billion by the statistics agency's latest count, which draws on fuller customs data."


def _sc(embedder, text: str, source: str, published: str, names: float) -> Scored:
    s = StoredSentence(id=f"{source}#1", source=source, index=1, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.6, lex=0.5, names=names, score=0.6)


def _shown(embedder, question: str, names: list[str], cited_text: str = CITED, later_text: str = LATER) -> list[str]:
    cited = _sc(embedder, cited_text, "a", "2023-02-02", 1.0)
    later = _sc(embedder, later_text, "b", "2023-09-14", 0.0)
    got = later_statements([cited], [cited, later], question, names,
                           around=Surroundings({"a": "Exports Hit Record", "b": "Exports Higher Than Thought"}, {}))
    return [s.sentence.text for s in got]


def test_a_restatement_need_not_carry_a_country_asked_only_as_where(embedder):
    assert _shown(embedder, "What were exports from Canada in 2022?", ["canada"]) == [LATER]


def test_a_restatement_must_carry_what_else_the_question_and_the_cited_sentence_name(embedder):
    cited = "Orland Mining's exports from Canada reached a record $61 billion in 2022, the company said on Thursday."
    later = "Exports in 2022 came to $66 billion by the company's latest count, which draws on fuller customs data."
    assert _shown(embedder, "What were Orland Mining's exports from Canada in 2022?", ["orland", "mining", "canada"],
                  cited, later) == []
