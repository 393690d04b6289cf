"""A correction note names what changed in a phrase a reader can read: inside the clause it quotes,
not ending on a word that needs another ("Corrected: not incorporate arsenic into its DNA; the")."""

from ingest.corrections.restate import _TOK, _phrase


def phrase_at(text: str, word: str) -> str:
    return _phrase(text, _TOK.findall(text).index(word))


def test_phrase_stops_at_a_clause_break():
    t = ("Two studies published on Sunday in Science found that GFAJ-1 does not incorporate arsenic into "
         "its DNA; the bacterium still needs phosphorus to grow.")
    got = phrase_at(t, "incorporate")
    assert got == "GFAJ-1 does not incorporate arsenic into its DNA"
    assert ";" not in phrase_at(t, "DNA")


def test_phrase_starts_after_a_break_and_drops_a_leading_comma():
    t = "The ministry said on Monday that the ban, imposed in March, had been lifted (officials confirmed)."
    assert phrase_at(t, "lifted") == "had been lifted"
    t2 = "Officials said: the crossing reopened on Tuesday after three weeks."
    assert phrase_at(t2, "reopened").startswith("the crossing reopened")  # not "said :"


def test_phrase_does_not_end_on_a_function_word():
    for t, w in [("The company dropped its bid for the rival on Friday, and its shares rose.", "dropped"),
                 ("The council scrapped the plan to build the tower in the park.", "scrapped"),
                 ("Regulators reinstated the licence of the airline that had been grounded.", "reinstated")]:
        last = phrase_at(t, w).split()[-1].lower()
        assert last not in {"the", "a", "an", "its", "of", "to", "for", "in", "that", "and"}, (t, last)
        assert w in phrase_at(t, w)


def test_a_one_word_phrase_survives():
    assert phrase_at("Not true.", "Not") == "Not true"
