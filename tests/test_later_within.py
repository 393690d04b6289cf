"""Later coverage inside one story and across names (bot/later_within.py, bot/later.py, bot/cite.py):
a story's own update told after a cited first account — a paragraph opening on a later time frame,
time of day or weekday, or on an update's label — is shown and leads the answer; a finding taken up
in other words by a later story is shown though no name is shared; the question's names
carried by the cited sentence's story make the shared subject; an ordinary opening word does not
hide a content word. Every source here is invented."""

from __future__ import annotations

from bot.engine import Engine
from bot.later import Surroundings, later_statements
from bot.later_order import newest_first
from bot.later_story import restates
from bot.later_subject import point_overlap, without_opening
from bot.later_within import opening, overtakes, told_after, updates_within
from bot.select import Scored
from ingest.records import StoredSentence
from tests.sources import write_source


def _st(text: str, index: int, source: str = "a", cue: str | None = None) -> StoredSentence:
    return StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                          published="2019-03-02", cue=cue)


def _sc(embedder, text: str, source: str, published: str, index: int = 1, dense: float = 0.5, lex: float = 0.3,
        names: float = 1.0, score: float = 0.1) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=dense, lex=lex, names=names, score=score)


# -- what a story tells after a sentence ---------------------------------------------------------------

def test_a_later_time_of_day_or_weekday_orders_two_sentences_of_a_story():
    first = _st("9:10 a.m. — The harbour master closes the Tessel dock to all ships.", 1)
    assert told_after(first, _st("11:45 a.m. — The harbour master reopens the Tessel dock.", 3))
    assert not told_after(first, _st("8:05 a.m. — Fog rolls in over the Tessel dock.", 2))
    late = _st("11:50 p.m. — The count in Brenford reaches the last ward.", 1)
    assert told_after(late, _st("2:15 a.m. — Brenford's returning officer declares the result.", 4))  # past midnight
    # a weekday is the one just gone before the story's date (2 March 2019 was a Saturday)
    monday = _st("The Orrin league suspended the striker on Monday for a late tackle.", 1)
    assert told_after(monday, _st("On Wednesday an appeals panel cut the ban to one match.", 3))
    friday = _st("The striker returned to training on Friday, his club said.", 1)
    assert not told_after(friday, _st("On Sunday the league had opened its inquiry.", 3))  # Sunday: six days back
    assert not told_after(_st("On Wednesday an appeals panel met.", 1), _st("The league met on Monday.", 3))


def test_a_paragraph_opening_on_a_later_time_frame_or_an_updates_label_is_told_after():
    first = _st("The museum's director said the painting had been stolen overnight.", 1)
    for text in ("Later on Sunday the police said the painting was found in a storeroom.",
                 "By the afternoon the painting was back on the wall.",
                 "Hours later the museum said the painting had merely been moved for cleaning.",
                 "Within hours a guard found the painting in a crate.",
                 "Late in the evening, after a search of the cellars, the painting turned up.",
                 "Update: The painting was found in a storeroom, the museum said.",
                 "Update, 4 p.m.: The painting has been found.",
                 # a part of the day with its usual modifier, an hour
                 "By late morning the police said the painting had been found in a storeroom.",
                 "By mid-afternoon the painting was back on the wall.",
                 "Within the hour a guard found the painting in a crate.",
                 "Within an hour a guard found the painting in a crate.",
                 "Sunday, before dawn: A guard found the painting in a crate."):
        assert told_after(first, _st(text, 4)), text
        assert not told_after(_st(first.text, 4), _st(text, 1)), text  # what comes further down, not before


def test_a_live_blogs_entry_labels_order_its_entries():
    first = _st("Tuesday, 1:07 pm: A post on the Tarn Herald's account says two blasts hit the Orrin bridge.", 1)
    assert told_after(first, _st("Tuesday, 1:30 p.m.: The Herald says its account was hijacked.", 3))
    assert told_after(first, _st("Tuesday, shortly after: The Herald says its account was hijacked.", 3))
    assert not told_after(_st("Tuesday, 2 pm: The bridge reopens.", 1), _st("Tuesday, 1:30 pm: Police arrive.", 3))
    assert opening("Tuesday, 1:30 pm: Police arrive.") == "time"
    assert opening("Tuesday was a quiet day: nothing moved on the bridge.") == ""  # no label: no comma, no time
    # A sentence opening on its day with a colon is no entry: the label must end on a time.
    assert opening("Tuesday, the Herald's editor told staff: the account is ours again.") == ""
    assert not told_after(first, _st("Tuesday, the Herald's editor told staff: the account is ours again.", 3))
    assert opening("Sunday, March 3: The bridge reopens.") == "time"


def test_entries_labelled_with_two_days_are_ordered_by_day_before_clock():
    # 2 March 2019 was a Saturday: "Friday, 1 pm" is the morning after "Thursday, 11:45 pm"
    night = _st("Thursday, 11:45 pm: The police chief said two gunmen had fired from a rooftop.", 1)
    assert told_after(night, _st("Friday, 1 pm: Investigators said one man had fired every shot.", 4))
    assert told_after(night, _st("Saturday, 9 am: The city reopened its centre.", 5))
    assert not told_after(_st("Friday, 1 pm: Investigators spoke.", 1), _st("Thursday, 11:45 pm: Shots rang out.", 4))
    # one day's entries still go by their clocks, and a timeline still runs on past midnight
    assert not told_after(_st("Friday, 2 pm: The bridge reopens.", 1), _st("Friday, 1:30 pm: Police arrive.", 3))
    assert told_after(_st("11:50 p.m. — The count reaches the last ward.", 1), _st("2:15 a.m. — The result.", 4))
    # the story's own date plays no part: a blog dated its first day (a Thursday) runs on into Friday
    thursday = StoredSentence(id="b#1", source="b", index=1, start=0, end=10, text="Thursday, 9 am: Polls open.",
                              published="2019-02-28")
    friday = StoredSentence(id="b#3", source="b", index=3, start=0, end=10, text="Friday, 1 pm: The count ends.",
                            published="2019-02-28")
    assert told_after(thursday, friday) and not told_after(friday, thursday)


def test_a_sentence_under_an_entry_label_is_told_when_its_entry_is(embedder):
    q = "Did two blasts hit the Orrin bridge?"
    day = "2013-04-23"  # a Tuesday
    cited = _sc(embedder, "Tuesday, 1:07 pm: A post on the Tarn Herald's account says two blasts hit the Orrin bridge.",
                "a", day, index=1)
    label = _st("Tuesday, shortly after: The Herald's staff say the account was hijacked.", 3, source="a")
    under = _sc(embedder, "No blast hit the Orrin bridge, the city's police say.", "a", day, index=4)
    assert updates_within([cited], [cited, under], q, known={label.id: label}) == [under]
    assert updates_within([cited], [cited, under], q) == []  # the label unknown: nothing places it after


def test_a_count_asked_of_a_live_blog_shows_its_last_count(embedder):
    q = "How many people were killed in the shooting at the Orrin club?"
    day = "2016-06-12"  # a Sunday
    cited = _sc(embedder, "Sunday, 2:02 am: Gunfire breaks out at the Orrin club; an officer exchanges shots with the attacker.",
                "a", day, index=1, score=0.3)
    first = _sc(embedder, "Sunday, morning: The police chief tells reporters that about 20 people have been killed.",
                "a", day, index=3, score=0.05)
    label = _st("Sunday, late morning: The toll is far higher.", 4, source="a")
    last = _sc(embedder, "Fifty people died, including the gunman, city officials say.", "a", day, index=5, score=0.02)
    aside = _sc(embedder, "Sunday, afternoon: Two officers at the Orrin club were praised by the mayor.", "a", day, index=6,
                score=0.04)  # a count, but not of what is asked
    got = later_statements([cited], [cited, first, last, aside], q, (), around=Surroundings({}, {label.id: label}))
    assert got and got[0].sentence.id == last.sentence.id, [s.sentence.text for s in got]


def test_what_does_not_order_two_sentences_of_a_story():
    first = _st("The Pell valley flooded on Friday, the council said.", 1)
    for text in ("About 700 families now live in the Pell valley.",  # a bare "now" describes what holds
                 "The council plans to finish the new levee later this year.",  # a time still to come
                 "The council later said the levee had held.",  # an aside inside the sentence
                 "Speaking later at the town hall, the mayor thanked the volunteers.",
                 "Since then the valley's farms have grown barley and oats."):
        assert not told_after(first, _st(text, 3)), text
    update = _st("Later on Friday the council said the levee had held.", 3)
    assert not told_after(update, _st(first.text, 1))  # earlier in the story
    assert not told_after(first, _st(update.text, 3, source="b"))  # another story


def test_an_update_overtakes_a_first_account_but_not_a_statement_of_change():
    first = _st("Rescuers said a boy was trapped under the Corran school.", 1)
    update = _st("By evening the navy said every pupil at the Corran school had been accounted for.", 3)
    assert overtakes(first, update)
    news = _st("The council on Friday lifted the ban on the Corran fair.", 1, cue="update")
    consequence = _st("Hours later, the organisers said the fair would open on Saturday.", 2)
    assert told_after(news, consequence) and not overtakes(news, consequence)
    again = _st("The Corran fair opened again on Friday.", 1)
    assert not overtakes(again, consequence)


def test_a_storys_update_on_the_point_is_found_and_an_aside_is_not(embedder):
    q = "What was the strength of the Varro earthquake?"
    cited = _sc(embedder, "A strong earthquake shook Varro on Saturday, toppling old buildings.", "a", "2015-04-25")
    update = _sc(embedder, "Later on Saturday the survey settled on a strength of 6.8.", "a", "2015-04-25", index=5)
    aside = _sc(embedder, "Later on Saturday a football match in the capital went ahead as planned.", "a",
                "2015-04-25", index=6, dense=0.1, lex=0.0)
    assert [s.sentence.text for s in updates_within([cited], [cited, update, aside], q)] == [update.sentence.text]
    got = later_statements([cited], [cited, aside, update], q, ["varro"])
    assert [s.sentence.text for s in got] == [update.sentence.text]
    # the update leads the answer it overtakes (same date: only the story orders them)
    order = newest_first(["a#1", "a#5"], {"a#1": "2015-04-25", "a#5": "2015-04-25"}, prefer=["a#5"],
                         answers={"a#1"}, after={"a#5"})
    assert order == ["a#5", "a#1"]
    assert newest_first(["a#1", "a#5"], {"a#1": "2015-04-25", "a#5": "2015-04-25"}, prefer=["a#5"],
                        answers={"a#1"}) == ["a#1", "a#5"]


def test_an_update_taking_the_first_account_back_is_on_its_point_in_its_own_words(embedder):
    # "Within the hour his family said the reports were untrue": no word of the question, no name of the
    # cited sentence — told after it, and the detector's stored cue says it takes something back.
    q = "Did the Orsay mayor Alain Brun resign on Friday evening?"
    cited = _sc(embedder, "On Friday evening a local radio station reported that Alain Brun had resigned as mayor of Orsay.",
                "a", "2012-01-22", index=1)
    text = "Within the hour his office said the reports were untrue and that he was at his desk."
    taken_back = Scored(sentence=_st(text, 2, cue="strong"), dense=0.35, lex=0.0, names=0.0, score=0.01)
    plain = Scored(sentence=_st(text, 2), dense=0.35, lex=0.0, names=0.0, score=0.01)
    for s in (taken_back, plain):
        object.__setattr__(s.sentence, "vector", embedder.embed([text])[0])
        object.__setattr__(s.sentence, "published", "2012-01-22")
    assert [s.sentence.text for s in updates_within([cited], [cited, taken_back], q)] == [text]
    assert updates_within([cited], [cited, plain], q) == []  # the same words with no cue: no update of its point
    # a change of state (the "update" cue) in a timed entry is no taking back: "police had arrested two men"
    state = Scored(sentence=_st("By the afternoon police had arrested two men at the town hall.", 2, cue="update"),
                   dense=0.35, lex=0.0, names=0.0, score=0.01)
    object.__setattr__(state.sentence, "published", "2012-01-22")
    assert updates_within([cited], [cited, state], q) == []
    # a paragraph opening on a day of the week still needs the question's words, cue or not
    day = Scored(sentence=_st("On Saturday his office said the reports were untrue.", 2, cue="strong"), dense=0.35,
                 lex=0.0, names=0.0, score=0.01)
    object.__setattr__(day.sentence, "published", "2012-01-22")
    assert updates_within([cited], [cited, day], q) == []


def test_a_note_appended_to_the_story_on_the_cited_subject_is_its_update(embedder):
    # The newsroom's appended note names what the cited sentence names: an update of it, however far its
    # words are from the question's. A live blog's timed entry, or a note on something else, is not.
    q = "Who won the Carnlough sheep show?"
    cited = _sc(embedder, "The judge, Owen Byrne, named the ram Blackthorn the champion of the Carnlough show on Sunday.",
                "a", "2015-12-21", index=1)

    def para(text: str) -> Scored:
        s = _st(text, 3)
        object.__setattr__(s, "published", "2015-12-21")
        return Scored(sentence=s, dense=0.2, lex=0.0, names=0.0, score=0.01)

    note = para("Update: Byrne has apologised for misreading his card, and the prize goes to Greyfell.")
    timed = para("Update, 3 p.m.: Byrne has apologised for misreading his card, and the prize goes to Greyfell.")
    other = para("Update: The Lisnaskea show has moved its date to March.")
    clock = para("Update: 3:15 p.m. - Byrne thanked the volunteers who ran the show.")
    assert [s.sentence.text for s in updates_within([cited], [cited, note], q)] == [note.sentence.text]
    assert updates_within([cited], [cited, timed], q) == []  # a timed entry far from the question
    assert updates_within([cited], [cited, clock], q) == []  # its time after the colon: an entry too
    assert updates_within([cited], [cited, other], q) == []  # a note naming nothing of the cited sentence
    # a story labelling two paragraphs is a live blog: its bare labels are entries, not a note
    again = para("Update: Byrne thanked the volunteers who ran the show.")
    object.__setattr__(again.sentence, "index", 5)
    object.__setattr__(again.sentence, "id", "a#5")
    assert updates_within([cited], [cited, note, again], q) == []


# -- end to end: the answer to a question about an overtaken first account ----------------------------------

STORIES = [  # (sentences of one story, question, the update that must lead)
    (["Fire at the Orlen Mill", "2:40 a.m. — Firefighters say two workers are missing inside the Orlen flour mill.",
      "3:10 a.m. — The mill's owner asks neighbours to keep their windows shut.",
      "5:55 a.m. — Firefighters say both missing workers of the Orlen flour mill were found safe in a storeroom."],
     "Are the two workers still missing at the Orlen flour mill?", "found safe in a storeroom"),
    (["Wrong Winner Named at the Carnlough Show",
      "The judge named the ram Blackthorn the champion of the Carnlough sheep show on Sunday.",
      "Its owner was given the silver cup.",
      "Update: The judge apologised for misreading his card, and the Carnlough title belongs to the ram Greyfell."],
     "Which ram won the Carnlough sheep show?", "the Carnlough title belongs to the ram Greyfell"),
    (["Runner Disqualified at the Dunmore Games",
      "The Dunmore Games disqualified the runner Ilse Varga on Monday for stepping off the track in her heat.",
      "She had pulled up after about 300 metres.",
      "Late in the evening, after her coach produced a doctor's note, officials let Varga back into the Dunmore "
      "Games."],
     "Was Ilse Varga disqualified from the Dunmore Games?", "let Varga back into the Dunmore Games"),
]


def test_a_storys_own_update_is_shown_and_leads_the_answer(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    for n, (sentences, _, _) in enumerate(STORIES):
        write_source(folder, f"story{n}", f"2019-0{n + 3}-02", *sentences)
    assert indexer.ingest([str(folder)]).ok
    engine = Engine(settings, embedder=embedder)
    for sentences, q, update in STORIES:
        ans = engine.ask(q)
        shown = [(c.role, c.text) for c in ans.citations]
        assert ans.citations and update in ans.citations[0].text, (q, shown)
        assert ans.citations[0].role == "later", (q, shown)


# -- a later story on the point in other words, and the question's names through the cited story -----------

def test_a_finding_taken_up_in_other_words_is_shown_without_a_shared_name(embedder):
    q = "Can the new Tarn fever spread between people?"
    cited = _sc(embedder, "Preliminary tests by Ostrian health officials have found no clear evidence that the new "
                          "fever spreads between people, the Health Assembly said.", "a", "2020-01-14", names=1.0)
    for text in ("The new fever can pass from person to person, the country's leading lung doctor said on Monday.",
                 "Doctors now say the new fever does spread between people, after fourteen nurses fell ill.",
                 "The new fever passes easily between people, a panel of the nation's doctors found on Monday."):
        later = _sc(embedder, text, "b", "2020-01-21", dense=0.6, names=0.0)
        assert restates(cited.sentence, later.sentence), text
        got = later_statements([cited], [cited, later], q, ["tarn"])
        assert [s.sentence.text for s in got] == [text], text
    # the same words on another point are not taken up
    other = _sc(embedder, "A new bridge over the river can carry people between the two towns.", "b", "2020-01-21",
                dense=0.35, names=0.0)
    assert not restates(cited.sentence, other.sentence)
    assert later_statements([cited], [cited, other], q, ["tarn"]) == []


def test_the_questions_names_carried_by_the_cited_story_make_the_subject(embedder):
    q = "Can the protein Velorase cut plastic?"
    cited = _sc(embedder, "A little-known team at Harwick Polytechnic says a protein from a cave microbe can cut "
                          "plastic into harmless pieces.", "a", "2016-05-10", names=1.0)
    around = Surroundings({"a": "Team Reports Plastic-Eating Protein", "b": "Velorase Paper Pulled"},
                          {"a#2": _st("The protein, Velorase, works at room temperature, the team reported.", 2)})
    for text in ("The Quill Journal withdrew the paper on the plastic-cutting protein Velorase on Wednesday.",
                 "Velorase does not cut plastic after all, laboratories that repeated the work found.",
                 "The team asked for its Velorase paper on cutting plastic to be withdrawn."):
        later = _sc(embedder, text, "b", "2017-08-03", names=1.0)
        assert [s.sentence.text for s in later_statements([cited], [cited, later], q, ["velorase"], around=around)] \
            == [text], text
        # when the cited sentence's story does not carry the question's names, no shared subject
        alone = _sc(embedder, cited.sentence.text, "a", "2016-05-10", names=0.0)
        assert later_statements([alone], [alone, later], q, ["velorase"], around=around) == [], text


def test_an_ordinary_opening_word_neither_hides_nor_adds_a_content_word():
    assert point_overlap("Is Ostria still part of the Group of Six meetings?",
                         "Meeting in Tallin, the other five said they would meet in June without Ostria.") == {"meet"}
    # a name that is also a dictionary word, opening a sentence, is not a content word
    assert without_opening("Twitter had 300 million users.") == " had 300 million users."
    assert not point_overlap("Twitter had 300 million users in the spring.", "Twitter deleted a post on Wednesday.")


# -- end to end: a finding and what became of it, told with other names ------------------------------------

FINDINGS = [  # (claim source, later source, question, words of the claim, words of what became of it)
    (("Preliminary tests by Ostrian health officials have found no clear evidence that the new fever spreads "
      "between people, the Health Assembly said.", "The fever was first seen at a fish market in Tarn."),
     ("The new fever does spread between people, the country's leading lung doctor, Ivo Marek, said on Monday.",
      "Fourteen nurses have fallen ill."),
     "Can the new fever from Tarn spread between people?", "no clear evidence", "does spread between people"),
    (("A small team at Harwick Polytechnic says a protein from a cave microbe can cut plastic into harmless pieces.",
      "The protein, Velorase, works at room temperature, the team reported in the Quill Journal."),
     ("The Quill Journal withdrew the paper on the plastic-cutting protein Velorase on Wednesday.",
      "Other laboratories had failed for a year to repeat the work."),
     "Can the protein Velorase cut plastic?", "can cut plastic", "withdrew the paper"),
]


def test_a_finding_is_quoted_with_what_became_of_it_told_in_other_names(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    for n, (claim, later, _, _, _) in enumerate(FINDINGS):
        write_source(folder, f"claim{n}", "2016-05-10", *claim)
        write_source(folder, f"later{n}", "2017-08-03", *later)
    assert indexer.ingest([str(folder)]).ok
    engine = Engine(settings, embedder=embedder)
    for n, (_, _, q, claim_words, later_words) in enumerate(FINDINGS):
        ans = engine.ask(q)
        shown = [(c.role, c.text) for c in ans.citations]
        assert any(claim_words in c.text for c in ans.citations), (q, shown)
        beside = [c for c in ans.citations if later_words in c.text]
        assert beside and beside[0].role in ("later", "correction") and beside[0] is ans.citations[0], (q, shown)


def test_the_benchmark_counts_a_flagged_claim_quoted_alone():
    from types import SimpleNamespace as NS

    from benchmarks.later_coverage import claim_alone

    items = [{"question": "q1", "episode": "e1", "flag": {"corrected": ["the old claim"]}},
             {"question": "q2", "episode": "e1", "flag": {"superseded": ["the old claim"]}},
             {"question": "q3", "episode": "e2", "flag": {"corrected": ["another claim"]}}]
    answers = [NS(citations=[NS(text="So said the old claim.", role="answer", source="a1")]),
               NS(citations=[NS(text="It is over.", role="later", source="a2"),
                             NS(text="So said the old claim.", role="answer", source="a1")]),
               NS(citations=[NS(text="Something else.", role="answer", source="b1")])]
    got = claim_alone(items, answers, {"a1": "e1", "a2": "e1", "b1": "e2"})
    assert got == {"quoting_flagged_claim": 2, "claim_alone": 1, "claim_alone_questions": ["q1"]}
    # a later statement of another episode does not count as what became of the claim
    got = claim_alone(items[1:2], answers[1:2], {"a1": "e1", "a2": "e9"})
    assert got["claim_alone"] == 1


def test_the_benchmark_records_the_engines_call_part_after_part(monkeypatch):
    # Each part makes a new observer; the second must record the call, not see the first's wrapper.
    import bot.engine

    from benchmarks.later_coverage import Seen

    monkeypatch.setattr(bot.engine, "later_statements", lambda cited, pool, question, question_names=(), *rest: ["out"])
    original = bot.engine.later_statements
    Seen()
    second = Seen()
    assert bot.engine.later_statements("c", "p", "q", ["n"]) == ["out"]
    assert (second.last["cited"], second.last["pool"], second.last["names"], second.last["out"]) == ("c", "p", ["n"], ["out"])
    assert bot.engine.later_statements.__wrapped__ is original


def test_an_abstention_shows_the_update_of_a_first_account_first(tmp_path, settings, embedder, indexer):
    """Abstaining (nobody named the mayor), the answer shows the nearest sentences for context: the
    first account's update among them leads it."""
    folder = tmp_path / "src"
    folder.mkdir()
    write_source(folder, "fire", "2019-03-02", "Fire at the Tolland Hall",
                 "Early on Saturday the fire service said three people had been hurt in the fire at the Tolland hall.",
                 "By the afternoon the fire service put the number hurt in the Tolland hall fire at eleven.")
    assert indexer.ingest([str(folder)]).ok
    engine = Engine(settings, embedder=embedder)
    ans = engine.ask("What did the mayor say about the people hurt in the Tolland hall fire?")
    texts = [(c.role, c.text) for c in ans.citations]
    assert not ans.answered and any("three people had been hurt" in t for _, t in texts), texts
    assert "at eleven" in ans.citations[0].text, texts
    ans = engine.ask("How many people were hurt in the Tolland hall fire?")
    assert ans.answered and "at eleven" in ans.citations[0].text, [(c.role, c.text) for c in ans.citations]


def test_an_update_told_before_one_the_answer_quotes_is_not_shown_as_later(embedder):
    """When the answer quotes the first account and the story's newest update both, an update told
    between them is not the story's newest word: no later line, however close to the question."""
    q = "Is the Tessel dock still closed?"
    first = _sc(embedder, "9:10 a.m. — The harbour master closes the Tessel dock to all ships.", "a", "2019-03-02", 1)
    middle = _sc(embedder, "10:20 a.m. — The harbour master says the Tessel dock will stay closed for now.", "a",
                 "2019-03-02", 2, dense=0.7)
    newest = _sc(embedder, "11:45 a.m. — The harbour master reopens the Tessel dock to all ships.", "a", "2019-03-02", 3)
    pool = [first, middle, newest]
    # quoting the first account alone, the story's updates after it are later coverage
    assert middle in updates_within([first], pool, q)
    # quoting the first account and the newest update, the one between them is not
    assert updates_within([first, newest], pool, q) == []
    assert middle.sentence.id not in {s.sentence.id for s in later_statements([first, newest], pool, q, ["tessel"])}
