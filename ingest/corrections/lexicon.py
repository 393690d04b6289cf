"""The word lists and pair-level patterns of correction detection, in one documented place.
The numbers sit in the `corrections` section of `ingest/tuning.py`; the sentence-level pattern
tables (what a retraction, a lifted state, a revised figure look like) in `patterns.py`. Every
entry is a general pattern of news English a reader would defend on any text, not one story's
words.
"""

from __future__ import annotations

import re
from functools import lru_cache

# -- names (subject.py) ------------------------------------------------------------------------
# Capitalised words that open news sentences or name calendar time: never a subject.
NOT_NAMES = frozenset("""
the a an but it this that these those in on at after before when while however correction update also
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
earlier later last next first initially originally then since now meanwhile separately yet still
mr ms mrs dr he she they we its their his her our there here some many several officials police
""".split())
# Capitalised words that name a kind of body, not one body: sharing only these is no shared subject.
GENERIC_NAMES = frozenset("""
university department ministry national state states united government court council company group
international american chinese european federal republic new north south east west city county
association institute center centre board committee agency commission office bank party union
""".split())
# Speech verbs are in nearly every news sentence: sharing one says nothing about the point.
SPEECH = frozenset({"say", "tell", "state", "accord", "ad", "report", "announc", "statement"})

# -- the note (detect.py): who withdrew something ("Withdrawn by Human Rights Watch") ----------
ACTOR = re.compile(r"((?:[A-Z][\w.&'-]*\s){0,4}[A-Z][\w.&'-]*)\s+(?:has |have |had )?"
                   r"(withdr[ae]w\w*|retract\w*|correct(?:ed|s)|rescind\w*|revok\w*|recant\w*|pulled)\b")

# -- the family rules (families.py) ------------------------------------------------------------
# An act a party can take back (its retraction supersedes rather than corrects).
ACT = re.compile(r"\b(?:concession|endorsement|resignation|offer|bid|pledge|promise|nomination|invitation|"
                 r"apology|support|recognition)s?\b", re.I)
# Words that name a document, and verbs of a finding it reports (a retracted document takes its findings).
DOC_WORD = re.compile(r"\b(?:reports?|stud(?:y|ies)|surveys?|papers?|polls?|analys[ie]s|rankings?|findings?|"
                      r"articles?|account|story|stories|memos?|documents?|dossiers?)\b", re.I)
FINDING = re.compile(r"\b(?:found|finds|find|show(?:s|ed|n)?|suggest\w*|conclud\w*|argu(?:es|ed|ing)|according to|reported|claim\w*|"
                     r"link\w*|indicat\w*|reveal\w*|demonstrat\w*|said|says|say|can|could|causes?|caused|raises?|"
                     r"cuts?|reduces?|increases?|improves?|halves?|developed|died)\b", re.I)
# A claim that is what a medium reported, wrote or aired ("Fox News reported on Tuesday … that …"): the article
# or broadcast is its document, whatever the sentence calls it.
MEDIUM_REPORTED = re.compile(r"\b(?:reported|wrote|broadcast|aired)\b(?:[^.;]{0,80}?)\bthat\b")
# A sentence opening by referring back to what the sentence before named.
ANAPHOR = re.compile(r"(?:The|This|These|Those|It|They|He|She|Its|Their|His|Her) (?!\w+ of\b)", re.I)
# What an act is done to, named by a definite description or a pronoun ("took the country off the
# list", "put it back on the register"): an anaphor, whose antecedent comes before it in the text —
# never in the sentence after (there "Zimbabwe … stays on it" is another entity, not the one acted on).
OBJECT_ANAPHOR = re.compile(
    r"\b(?:took|taken|takes?|taking|removed|removes?|removing|dropped|drops?|dropping|struck|strikes?|delisted|"
    r"delists?|added|adds?|adding|put|puts|putting|placed|places?|placing|moved|moves?|moving|kept|keeps?|"
    r"designated|designates?|listed|lists?|returned|restored|reinstated|lifted|cleared)\s+"
    r"(?:(?:the|this|that)\s+(?:[a-z-]+\s+)?(?:country|nation|company|firm|group|organi[sz]ation|state|government|"
    r"bank|lender|insurer|species|party|network|carrier|airline|regime|territory|militia|movement|site|city|"
    r"island|sect|entity|business|maker|manufacturer|charity|agency|body|man|woman|person)|it|them|him|her)\b")
NO_LONGER = re.compile(r"\bno longer \w+(?: \w+){0,7}?(?=[,;:.]|\s(?:after|because|since|when|while|but|and|as)\b|$)|\bno longer \w+(?: \w+){0,4}", re.I)
# A claim dating what it reports to a year ("placed on the list in June 2018"): history when earlier than its source.
# ("since 1934" is not: it says the state still holds.)
# A state in the past perfect ("had been on the list since 1988"): held up to an earlier point the story tells of.
PLUPERFECT = re.compile(r"\bhad (?:long |already )?(?:been|remained|stood)\b", re.I)
YEAR = re.compile(r"\b(?:in|from) (?:(?:early|late|mid-?)\s?)?(?:[A-Z][a-z]+ )?((?:19|20)\d\d)\b")
# Any past perfect ("had sued …", "had been on the list"): what came before the story's own events.
PAST_PERFECT = re.compile(r"\bhad\s+(?!to\b)\w+", re.I)


@lru_cache(maxsize=100_000)
def dated_before(text: str, published: str) -> bool:
    """The sentence dates what it reports to a year before its own source's ("was placed on the
    list in June 2018", in a 2022 story): background history, not the story's news."""
    m = YEAR.search(text)
    return bool(m and published[:4].isdigit() and int(m.group(1)) < int(published[:4]))
# A figure's qualifier ("more than 50,000"): which later figures it already allows.
QUALIFIED = re.compile(r"\b(more than|over|at least|nearly|almost|about|around|roughly|some|up to|fewer than|"
                       r"less than|under)\s+$", re.I)
# A later figure worded as a revision of an earlier one.
# A figure given anew (regex fragments, shared by the revision cues in patterns.py and families.py): the first
# account's figure ("their first estimate", "the provisional count"), a new one set against it ("well above their
# first estimate"), and a measurer's figure now ("now puts net migration in 2022 at 745,000").
FIRST_ESTIMATE = (r"(?:first|initial|earlier|original|previous|provisional|preliminary) (?:estimate|figure|count|tally|"
                  r"total|reading|number)s?")
AGAINST_FIRST = r"(?:above|below|up from|down from|short of|(?:higher|lower|more|fewer|less|greater|smaller|bigger) than) (?:the |its |their |his |her )?(?:[\w'’-]+ )?" + FIRST_ESTIMATE
NOW_GIVES = r"now (?:puts?|estimates?|counts?|reckons?|gives?|numbers?)"
EXPLICIT_REVISION = re.compile(r"\b(?:than (?:\w+ ){0,3}(?:first|initially|originally|previously|earlier) "
                               r"(?:reported|said|estimated|thought|disclosed|announced|gave)|times the (?:number|figure|"
                               r"estimate)|revised|corrected|restated|gave last|" + AGAINST_FIRST + r")\b", re.I)

# A later statement that the quantity was more or less than an earlier account gave, without the new value ("The
# Wenchuan quake was stronger than Chinese seismologists first reported", "run about twice as deep as first
# disclosed", "went further than the panel found", "far fewer than the figure given", "was about £250 million too
# high"): the earlier figure is corrected. Not an expectation ("higher than analysts expected"), nor an opinion of
# a figure ("turned down the offer as too low").
THAN_REPORTED = re.compile(
    r"\b(?:more|less|fewer|larger|smaller|higher|lower|stronger|weaker|deeper|bigger|worse|wider|further|greater|"
    r"longer|shorter|heavier)\b[^.;]{0,60}?\bthan (?:the |its |their )?(?:[\w'’-]+ ){0,3}?(?:(?:first|initially|"
    r"originally|previously|earlier) )?(?:reported|said|stated|estimated|thought|disclosed|announced|found|given|gave|"
    r"uncovered|published)\b|\b(?:twice|three times|four times|half) as \w+ as (?:[\w'’-]+ ){0,3}?(?:first|initially|"
    r"originally|previously) (?:reported|said|stated|estimated|thought|disclosed|announced|found)\b|"
    r"\b(?:was|were|had been|has been|is|are) (?:[\w£$€.,'’-]+ ){0,4}too (?:high|low)\b", re.I)

# What follows a negator without denying anything: a reporting or knowing verb ("has not disclosed",
# "did not respond", "was not clear"), a degree word, or a figure (then it is a figure's correction).
NOT_A_DENIAL = re.compile(
    r"\s*(?:(?:yet|immediately|publicly|officially|formally|previously|been|be|have|had|always|also|fully|so)\s+)*"
    r"(?:only|yet|just|least|longer|doubt|comment\w*|immediately|disclos\w*|sa(?:y|id)|respond\w*|repl\w*|reveal\w*|"
    r"specif\w*|elaborat\w*|know\w*|clear|confirm\w*|return\w*|answer\w*|give|gave|given|provid\w*|detail\w*|"
    r"identif\w*|name[ds]?|explain\w*|expect\w*|intend\w*|plan\w*|sure|certain|aware|(?:about |around |minus )?[$€£]?\d[\d,.]*)\b", re.I)

# A ranking, not a denial: a sentence opening with "No …" or "Never …" whose verb is comparative ("No wildfire in
# the state's history has killed more people", "Never has a side scored more goals") says its subject tops a
# scale, which agrees with a claim that it equals or leads it. Not "no more than 20" (a bound on a figure).
_AUX = r"(?:has|have|had|is|are|was|were|did|does|do|will)"
RANKING = re.compile(r"\s*(?:no|never|none|nothing|nobody|no one)\b(?:\s+(?!(?:and|but|or|that|whether|if|which|who|"
                     + _AUX[3:-1] + r")\b)[\w'’.-]+){0,8}?\s+" + _AUX + r"\s+(?:(?!(?:no|not|never|n['’]t)\b)[\w'’-]+\s+){0,3}?(?:more|fewer|less|bigger|larger|greater|higher|"
                     r"lower|worse|deadlier|longer|stronger|faster)\b", re.I)

# An award taken back ("stripped Andreea Răducan of her all-around gold medal", "took away his 2010 Tour de France
# victory", "took back the first prize it awarded", "the title was revoked"), and a claim that someone won one
# ("won the Tour de France", "First prize … went to", "gave the overall prize to").
_PRIZE = (r"(?:title(?! to\b)|titles|medal|medals|gold(?! (?:reserves?|bars?|coins?|mines?|prices?)\b)|prize|award|crown|"
          r"victory|trophy|championship)")  # not "the title to the land", "gold reserves"
AWARD_TAKEN = re.compile(
    # "stripped Andreea Răducan of her all-around gold medal", "was stripped of his title"
    r"\bstrip(?:ped|s|ping)? (?:[\w'’.-]+ ){0,5}?of (?:his|her|its|their|the) (?:[\w'’-]+ ){0,4}?" + _PRIZE + r"\b|"
    # "took away his 2010 Tour de France victory", "took back the first prize" (not "took the title away from
    # Calder Rovers with a 2-1 win": a contest won from a rival)
    r"\b(?:took|takes|taken|taking|take) (?:away|back) (?:[\w'’.-]+ ){0,5}?" + _PRIZE + r"\b(?! (?:from|off)\b)|"
    r"\b(?:took|takes|taken|taking|take) (?:his|her|its|their) (?:[\w'’.-]+ ){0,4}?" + _PRIZE + r" (?:away|back)\b(?! (?:from|off)\b)|"
    r"\b" + _PRIZE + r" (?:[\w'’.-]+ ){0,4}?(?:was|were|has been|have been|had been) (?:withdrawn|revoked|rescinded|"
    r"taken away|stripped|annulled)\b|\brevok(?:ed|es|ing) (?:[\w'’.-]+ ){0,4}?" + _PRIZE + r"\b", re.I)
AWARD_WON = re.compile(
    r"\b(?:won|wins|clinched|clinches)\b|\b" + _PRIZE + r"\b[^.;]{0,80}?\b(?:went|goes) to\b|"
    r"\b(?:gave|gives|awarded|awards|handed|presented) (?:[\w'’.-]+ ){0,4}?" + _PRIZE + r"\b", re.I)

# What a correction notice says was wrong, up to where it gives the right value ("incorrectly stated that the
# plant employs 500 workers; it employs 5,000"): when the clause gives the wrong value, a figure after it is the
# right one (families._given_as_right; not one after "not").
WRONGLY_STATED = re.compile(r"\b(?:incorrectly|wrongly|erroneously|mistakenly|inaccurately)\s+(?:[\w'’-]+\s+){0,2}?"
                            r"(?:stated|said|reported|gave|described|put|quoted|listed|referred|identified|cited)\b[^;:—–]*", re.I)
# The words that give a figure as the right one in a correction notice ("should have been rounded up to 9.77",
# "the correct figure is 4.1 million", "revised to $20"): a claim that gave that figure agrees with the notice.
RIGHT_VALUE = re.compile(r"(?:\b(?:up|down|corrected|revised|amended|changed|rounded)\s+to|\bshould have (?:been|read|said)|"
                         r"\b(?:is|was|are|were) (?:actually|in fact|really)|\bthe (?:correct|right|actual) "
                         r"(?:figure|number|total|time|amount) (?:is|was))\s+(?:about\s+|roughly\s+)?[$€£]?$", re.I)

# -- states at two times (polarity.py): each class of predicate and its opposite polarity -------
_OBJ = r"((?:\s+(?:the |a |an |its |his |her |their )?[\w'’.&-]+){1,6})"  # what the verb governs
# A decision that undoes an earlier act or order ("quashed the cancellation", "overturned the ban").
REVERSAL_VERB = (r"(?:quash(?:ed|es|ing)?|overturn(?:ed|s|ing)?|overrul(?:ed|es|ing)|struck down|strikes? down|"
                 r"striking down|revers(?:ed|es|ing)|annul(?:led|s|ling)?|set aside|sets aside|vacat(?:ed|es|ing)|"
                 r"invalidat(?:ed|es|ing)|revok(?:ed|es|ing)|rescind(?:ed|s|ing)?|lift(?:ed|s|ing)?|withdr[ae]w)")
REVERSAL = re.compile(r"\b" + REVERSAL_VERB + _OBJ, re.I)
# "did not overturn", "has not been lifted": a reversal negated says the state persists.
NOT_REVERSED = re.compile(r"\s*(?:[\w'’]+\s+){0,2}?(?:" + REVERSAL_VERB[3:-1] + r"|upheld|uphold)\b", re.I)
# A decision that keeps or repeats an act ("upheld the decision to cancel", "reinstated the ban").
UPHOLD = re.compile(r"\b(?:upheld|upholds|uphold|reinstat(?:ed|es|ing)|reimpos(?:ed|es|ing))\b", re.I)
# A condition a claim names ("free to play unless the minister cancels the visa").
UNLESS = re.compile(r"\bunless\b((?:\s+[\w'’.&-]+){2,12})", re.I)
# A scheduled or announced event ("will take effect", "is set to open", "is due to start").
FUTURE = re.compile(r"\b(?:will|is set to|are set to|is due to|are due to|is scheduled to|are scheduled to|was to|"
                    r"were to)\s+(?!not\b)[\w'’-]+", re.I)
# What stops it ("blocked the ban from taking effect", "postponed the vote", "delayed the launch").
PREVENT = re.compile(r"\b(?:block(?:ed|s|ing)?|barr(?:ed|ing)|stopp(?:ed|ing)|stops?|prevent(?:ed|s|ing)?|"
                     r"halt(?:ed|s|ing)?|delay(?:ed|s|ing)?|postpon(?:ed|es|ing)|put off|enjoin(?:ed|s)?)"
                     r"(?:\s+[\w'’.&-]+){0,6}?\s+(?:from\s+\w+ing(?:\s+\w+)?|until\b(?:\s+\w+){1,3})", re.I)
# One taking another's place in a membership or post ("Z will take the place of X", "replaced X").
REPLACE = re.compile(r"\b(?:replac(?:ed|es|ing)|replace|(?:take|takes|took|taking|taken) (?:the |its |their )?"
                     r"(?:place|spot|seat) of|in place of|displac(?:ed|es|ing))\b", re.I)
# A negative membership ("is not in the S&P 500", "is not a member of", "not among the").
MEMBERSHIP_NEGATIVE = re.compile(r"\b(?:is|are|was|were|has not been|have not been)\s+not\s+(?:yet\s+)?(?:in|on|part of|"
                                 r"a member of|members of|among|included in|listed (?:in|on))\s+(?:the|any|a)\b", re.I)
# An allegation: what one party says another did ("alleges", "accused of", "charged with").
ALLEGATION = re.compile(r"\b(?:alleg(?:e|es|ed|ing|ation|ations)|accus(?:e|es|ed|ing|ation|ations)|charged with|"
                        r"indicted (?:for|on))\b", re.I)
# The accused cleared by an authority ("declared them innocent", "acquitted", "charges were dropped").
EXONERATION = re.compile(r"\b(?:exonerat(?:ed|es|ing)|acquitt(?:ed|al)|declared (?:\w+ ){0,2}innocent|"
                         r"cleared (?:[\w'’-]+ ){0,4}of|found (?:\w+ ){0,2}not guilty|(?:dropped|dismissed|withdrew) (?:all |the )?(?:\w+ ){0,2}charges|"
                         r"charges (?:\w+ ){0,3}(?:were|have been|had been) (?:dropped|dismissed|withdrawn))\b", re.I)

# -- quantities (measures.py) -----------------------------------------------------------------
# Words after a figure that scale it rather than say what it counts.
MAGNITUDE = re.compile(r"(?:hundred|thousand|million|billion|trillion|bn|m|k|percent|per|cent|%|of|a|an|the|more|"
                       r"than|some|about|around|nearly|almost|over|under|and|or|to)", re.I)
# A figure that is a change over a period ("fell 21 percent", "up 3%", "rose by").
MOVE_BEFORE = re.compile(r"\b(?:rose|rise[sn]?|fell|fall(?:s|en)?|gained|gains?|lost|loses?|jumped|jumps?|dropped|drops?|"
                         r"slid|slides?|slipped|climbed|climbs?|surged|surges?|plunged|plunges?|tumbled|soared|sank|"
                         r"declined|declines?|increased|decreased|grew|shrank|up|down|added|shed)\s+(?:by\s+)?"
                         r"(?:about\s+|some\s+|nearly\s+|almost\s+|more than\s+)?$", re.I)
# Running counts of events: tallies that grow as events go on (content-term stems).
TALLY = frozenset({"death", "dead", "die", "kill", "case", "infect", "infecti", "injur", "injuri", "victim", "arrest",
                   "casualti", "fatal", "toll", "hospit", "hospitalis", "evacue", "vote"})
# A story placing a statement on a day of the week ("On Monday, …", "on Tuesday the company …").
WEEKDAY = re.compile(r"(?:^|\b(?:[Oo]n|[Bb]y|[Ll]ate|[Ee]arly) )(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday(text: str) -> int | None:
    """The day of the week (Monday 0) a sentence places itself on ("On Thursday …"), or None."""
    m = WEEKDAY.search(text)
    return WEEKDAYS.index(m.group(1).lower()) if m else None
# A sentence whose subject is the document itself describes it (author, venue), reporting no finding.
DESCRIBES_DOC = re.compile(r"(?:The|These|Those|This|That|Its|Their|His|Her) (?:[\w'’-]+ ){0,2}(?:memos?|documents?|"
                           r"reports?|stud(?:y|ies)|papers?|surveys?|articles?|letters?|dossiers?) (?:was|were|is|are|"
                           r"had been|have been|has been) (?!found|shown)")
# ... or opens with the document as the subject of a verb that is not a finding's ("The study, published
# in X, combines laboratory tests …", "The paper followed 3,000 patients"): its method, not a finding.
DOC_METHOD = re.compile(r"(?:The|These|Those|This|That|Its|Their) (?:[\w'’-]+ ){0,2}(?:stud(?:y|ies)|papers?|surveys?|"
                        r"articles?|reports?)(?:, [^,]{1,120},)? (?!(?:also |further |first )?(?:found|finds?|show|"
                        r"suggest|conclud|claim|report|estimat|says?|said|link|indicat|reveal|demonstrat|argu|predict|"
                        r"warn)\w*)[a-z]+\b")
# A figure tied to a period ("last year", "in the third quarter", "in 2019", "annual"): that period's quantity.
PERIOD = re.compile(r"\b(?:last|this|next|previous|prior|the past|per|a|each|every) (?:fiscal )?(?:year|quarter|month|"
                    r"week|season)\b|\b(?:in|for|during) (?:the )?(?:first|second|third|fourth|final) (?:quarter|half)\b|"
                    r"\b(?:in|for|during|since) (?:fiscal )?(?:19|20)\d\d\b|\b(?:annual|annually|quarterly|monthly|"
                    r"yearly|year-on-year|a year earlier)\b", re.I)

# -- restatement under a reversing operator (restate.py) ---------------------------------------
# A small closed set of operators; what they apply to always comes from the claim's own words.
# Negators: what they govern is said not to hold ("is no longer listed", "not by the enemy").
NEGATOR_WORDS = frozenset({"not", "no", "never", "none", "neither", "nor", "cannot"})
# Words that may sit between an operator and the word it governs: auxiliaries, determiners,
# possessives, prepositions, degree words ("is not on the list", "has no longer been listed").
GOVERN_GAP = frozenset("""
a an the its their his her our any longer yet ever even still also be been being is are was were am has have
had do does did will would shall should can could may might must on in at by as of to from among into under
over within for with this that these those such so very fully formally officially publicly quietly finally
""".split())
# Verbs that end, withdraw or take away what they govern ("released … from house arrest", "withdrew
# its offer", "lifted the ban", "annulled the decree that made it a museum"), by stem (not after a
# determiner: "a drop in", "the end of"). "releas"/"free" govern only what follows "from" (a report
# is released too).
END_VERB = frozenset("""lift end remov strip delist stop ceas halt annul revok rescind revers overturn withdraw abandon
scrap termin cancel shelv ditch drop quash repeal expel oust dissolv dismantl releas freed free""".split())  # by stem
FROM_ONLY = frozenset({"releas", "freed", "free"})
# Verbs of change before "from X to Y" ("downgraded the panda from endangered to vulnerable"), by stem;
# without one, "pressure from investors to cut costs" moves nothing.
CHANGE_VERB = frozenset("""move chang downgrad upgrad reclassifi convert switch shift turn revis transfer demot
promot reduc lower rais cut""".split())
# Phrasal forms of the same ("called off", "walked away from", "pulled out of", "took X off").
END_PHRASE = re.compile(r"\b(?:call(?:ed|s|ing)? off|walk(?:ed|s|ing)? away from|pull(?:ed|s|ing)? out of|"
                        r"back(?:ed|s|ing)? out of|g[ai]ve up|giving up|put an end to|(?:struck|taken|took|takes) off|"
                        r"lost (?:its|their|his|her) (?:status|place|seat|title) as)\b", re.I)
# Frame words a negation or an ending passes through to what they frame ("no plans to close", "no
# reason to"): reversed alone they restate none of the claim's point (by stem).
FRAME_WORDS = frozenset("plan intent intend intent idea move step effort way time thing part need reason basis sign "
                        "hope aim expect".split())
# Tokens that end an operator's reach: a new clause.
RELATIVE = frozenset("that which who whom whose".split())  # a relative clause describes; its names are not the object
CLAUSE_END = frozenset("but while although though because after before since when whereas unless if and".split())
# A statement of what might be, or a question: nothing it says is reversed.
HYPOTHETICAL = re.compile(r"\?|^\s*(?:If|Whether|Unless)\b|\b(?:[Cc]ould|[Mm]ight|may)\b")
# A party conceding what it had denied ("admitted that he had used", "acknowledged that").
ADMISSION = re.compile(r"\b(?:admit(?:s|ted|ting)?|acknowledg(?:ed|es|ing)|conced(?:ed|es|ing)|confess(?:ed|es|ing)?)\b", re.I)
# The claim's own source taking back or revising what it published, whatever it calls it ("said it
# was retracting the item", "has changed its account"): the claim's attribution decides, not the noun.
SOURCE_REVISION = re.compile(r"\b(?:retract(?:ed|s|ing)?|recant(?:ed|s|ing)?|disavow(?:ed|s|ing)?|(?:withdr[ae]w(?:n|s|ing)?|"
                             r"withdraw|took back|takes back|(?:chang|revis|correct|amend)(?:ed|es|ing|s)?) (?:its|their|the|his|"
                             r"her) (?:account|report|reporting|story|article|item|version|claim|statement)|"
                             r"(?:gave|gives|issued|issues|offered|offers|published|publishes) (?:a|an) (?:revised|corrected|"
                             r"amended) (?:account|version|statement|report))\b", re.I)
# "<Source>'s description … was not accurate": a statement of falsity about what the source published.
POSSESSOR = re.compile(r"([A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,3})['’]s\b")


# Every search above first asks whether one of its literals occurs (literals.py): same results, less CPU.
from .literals import guard_module  # noqa: E402

guard_module(globals())
