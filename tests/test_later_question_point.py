"""Later coverage reaches the question's point, not only the cited sentence's (bot/later.py): when
the answer cites background ("ZTE relies on American suppliers …"), a later statement on the same
subject that shares a content word with the question ("… lifted its export ban on ZTE" for "Can
American companies sell to ZTE?") is shown; one that shares neither the cited sentence's point nor
the question's is not."""

from __future__ import annotations

from bot.later import later_statements
from bot.select import Scored
from ingest.records import StoredSentence


def _sc(embedder, text: str, source: str, published: str, dense: float = 0.5, lex: float = 0.3) -> Scored:
    s = StoredSentence(id=f"{source}#0", source=source, index=0, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=dense, lex=lex, names=0.5, score=0.1)


def test_a_later_statement_on_the_questions_point_is_shown(embedder):
    cited = _sc(embedder, "Varo Systems relies on American suppliers such as Qualcomm for its chips.", "a", "2018-04-17")
    lifted = _sc(embedder, "The Commerce Department lifted its export ban on Varo Systems, after the company paid a penalty.",
                 "b", "2018-07-14")
    other = _sc(embedder, "Varo Systems opened a new office in Lisbon on Friday.", "c", "2018-08-01")
    got = later_statements([cited], [cited, lifted, other], "Can American companies sell parts to Varo Systems?")
    texts = [s.sentence.text for s in got]
    assert lifted.sentence.text in texts
    assert other.sentence.text not in texts  # same subject, neither point


def test_the_question_point_does_not_replace_the_subject_rule(embedder):
    cited = _sc(embedder, "Varo Systems relies on American suppliers for its chips.", "a", "2018-04-17")
    unrelated = _sc(embedder, "The Commerce Department lifted its export ban on Delmont Telecom.", "b", "2018-07-14")
    assert later_statements([cited], [cited, unrelated], "Can American companies sell parts to Varo Systems?") == []
