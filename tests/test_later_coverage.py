"""Later coverage in every answer (issue 10, item 1): statements from later-dated sources on the
same subject and point are shown, newest first and dated, with `role: "later"` when no link
confirms a correction; "is X still …" questions lead with the newest statement; a retracted
finding is never quoted without its retraction; undated sources never count as later."""

from __future__ import annotations

import json

from bot.engine import Engine
from bot.later import is_current_state, newest_first
from tests.sources import write_source


_src = write_source


def _engine(tmp_path, settings, embedder, indexer, *sources) -> Engine:
    folder = tmp_path / "src"
    folder.mkdir()
    for s in sources:
        _src(folder, *s)
    assert indexer.ingest([str(folder)]).ok
    return Engine(settings, embedder=embedder)


MINE_MAY = ("mine-may", "2021-05-03", "Kestrel Mining plans to reopen the Dunmore copper mine next spring, its chief "
            "executive said.", "The mine closed in 2015 after copper prices fell.")
MINE_SEPT = ("mine-sept", "2021-09-14", "Kestrel Mining said the Dunmore copper mine will reopen in April with 300 "
             "workers.", "The company has hired a new site manager.")
MINE_UNDATED = ("mine-undated", "", "Kestrel Mining may reopen the Dunmore copper mine in the spring, a union "
                "leaflet said.")


def test_later_coverage_is_shown_newest_first_with_its_role_and_date(tmp_path, settings, embedder, indexer):
    eng = _engine(tmp_path, settings, embedder, indexer, MINE_MAY, MINE_SEPT, MINE_UNDATED)
    ans = eng.ask("What are Kestrel Mining's plans for the Dunmore mine?")
    assert ans.answered
    texts = [c.text for c in ans.citations]
    sept = next(c for c in ans.citations if c.source == "mine-sept")
    may = next(c for c in ans.citations if c.source == "mine-may")
    assert ans.citations[0] is sept and sept.n < may.n, texts  # the newest relevant statement leads
    assert may.role == "answer" and may.correction is None  # a consistent later detail flags nothing
    assert sept.role == "later" and sept.correction is None
    assert "Later (14 September 2021, Dale Courier (fictional)): Kestrel Mining said" in ans.answer
    # whatever the question's wording, a dated newest statement leads an undated one
    other = eng.ask("Will the Dunmore copper mine reopen?")
    assert other.citations[0].source == "mine-sept", [c.text for c in other.citations]
    assert all(c.role != "later" for c in ans.citations if c.source == "mine-undated")
    d = ans.to_json()
    assert {c["role"] for c in d["citations"]} <= {"answer", "later", "correction"}
    assert json.loads(json.dumps(d))["citations"][0]["role"] == sept.role


def test_undated_sources_never_count_as_later(tmp_path, settings, embedder, indexer):
    from bot.later import later_statements
    from bot.select import Scored
    from ingest.records import StoredSentence

    texts = ["Kestrel Mining plans to reopen the Dunmore copper mine next spring.",
             "Kestrel Mining said the Dunmore copper mine will reopen in April.",
             "Kestrel Mining said the Dunmore copper mine will reopen in June."]
    vecs = embedder.embed(texts)

    def sc(i: int, source: str, published: str) -> Scored:
        s = StoredSentence(id=f"{source}#0", source=source, index=0, start=0, end=len(texts[i]), text=texts[i],
                           published=published, vector=vecs[i])
        return Scored(sentence=s, dense=0.6, lex=0.5, names=1.0, score=1.0)

    cited = sc(0, "a", "2021-05-03")
    pool = [cited, sc(1, "b", ""), sc(2, "c", "2021-09-01")]
    got = later_statements([cited], pool, "When will the mine reopen?")
    assert [s.sentence.source for s in got] == ["c"]
    # newest first by date; an undated statement never leads
    assert newest_first(["a#0", "b#0", "c#0"], {"a#0": "2021-05-03", "b#0": "", "c#0": "2021-09-01"}) == \
        ["c#0", "a#0", "b#0"]


def test_is_x_still_leads_with_the_newest_statement(tmp_path, settings, embedder, indexer):
    eng = _engine(tmp_path, settings, embedder, indexer,
                  ("bridge-1", "2022-01-10", "The Kessler Road bridge remains closed to traffic after the flood, "
                   "the county said.", "Engineers are assessing the damage."),
                  ("bridge-2", "2022-03-02", "The Kessler Road bridge reopened to traffic on Tuesday after repairs.",
                   "The repairs cost the county $2 million."))
    ans = eng.ask("Is the Kessler Road bridge still closed?")
    assert ans.answered and ans.citations[0].source == "bridge-2", [c.text for c in ans.citations]
    claim = next(c for c in ans.citations if c.source == "bridge-1")
    assert claim.correction is not None and claim.correction.status == "superseded"
    assert ans.citations[0].role == "correction"


def test_a_retracted_finding_is_never_quoted_without_its_retraction(tmp_path, settings, embedder, indexer):
    eng = _engine(tmp_path, settings, embedder, indexer,
                  ("walnut-1", "2020-05-04", "Eating walnuts daily improves memory in older adults, according to a "
                   "study by the Arden Institute.", "The study followed 400 volunteers for two years."),
                  ("walnut-2", "2020-11-20", "The Arden Institute retracted the walnut study after finding errors in "
                   "its data.", "The institute apologised to readers."))
    quoted = 0
    for q in ("Do walnuts improve memory?", "What did the Arden Institute study find about walnuts?",
              "Does eating walnuts daily improve memory in older adults?"):
        ans = eng.ask(q)
        assert ans.answered
        claims = [c for c in ans.citations if "improves memory" in c.text]
        quoted += bool(claims)
        for c in claims:
            assert c.correction is not None and c.correction.status == "corrected"
            retraction = [x for x in ans.citations if "retracted the walnut study" in x.text]
            assert retraction and retraction[0].n < c.n and retraction[0].role == "correction"
            assert ans.answer.startswith("Note:")
    assert quoted  # the finding itself was quoted at least once, and always with its retraction


def test_current_state_questions_are_recognised():
    for q in ("Is X still banned?", "Did Amazon go ahead with the Queens campus?", "Is Megvii on the entity list?",
              "Are fraternity activities still suspended?", "Is the WHO still pausing the trial?"):
        assert is_current_state(q), q
    for q in ("Who developed the app?", "What did the report say?", "How many workers will the plant employ?"):
        assert not is_current_state(q), q
