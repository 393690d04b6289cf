"""The word lists and pair-level patterns of correction detection, in one documented place.
The numbers sit in the `corrections` section of `ingest/tuning.py`; the sentence-level pattern
tables (what a retraction, a lifted state, a revised figure look like) in `patterns.py`. Every
entry is a general pattern of news English a reader would defend on any text, not one story's
words.
"""

from __future__ import annotations

import re

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
                      r"articles?|account|story|stories)\b", re.I)
FINDING = re.compile(r"\b(?:found|finds|find|show(?:s|ed|n)?|suggest\w*|conclud\w*|according to|reported|claim\w*|"
                     r"link\w*|indicat\w*|reveal\w*|demonstrat\w*|said|says|can|could|causes?|caused|raises?|"
                     r"cuts?|reduces?|increases?|improves?|halves?|developed|died)\b", re.I)
# A sentence opening by referring back to what the sentence before named.
ANAPHOR = re.compile(r"(?:The|This|These|Those|It|They|He|She|Its|Their|His|Her) (?!\w+ of\b)", re.I)
NO_LONGER = re.compile(r"\bno longer \w+(?: \w+){0,4}", re.I)
# A claim dating what it reports to a year ("placed on the list in June 2018"): history when earlier than its source.
YEAR = re.compile(r"\b(?:in|since|from) (?:(?:early|late|mid-?)\s?)?(?:[A-Z][a-z]+ )?((?:19|20)\d\d)\b")
# A figure's qualifier ("more than 50,000"): which later figures it already allows.
QUALIFIED = re.compile(r"\b(more than|over|at least|nearly|almost|about|around|roughly|some|up to|fewer than|"
                       r"less than|under)\s+$", re.I)
# A later figure worded as a revision of an earlier one.
EXPLICIT_REVISION = re.compile(r"\b(?:than (?:\w+ ){0,3}(?:first|initially|originally|previously|earlier) "
                               r"(?:reported|said|estimated|thought|disclosed|announced|gave)|times the (?:number|figure|"
                               r"estimate)|revised|corrected|restated|gave last)\b", re.I)

# What follows a negator without denying anything: a reporting or knowing verb ("has not disclosed",
# "did not respond", "was not clear"), a degree word, or a figure (then it is a figure's correction).
NOT_A_DENIAL = re.compile(
    r"\s*(?:(?:yet|immediately|publicly|officially|formally|previously|been|be|have|had|always|also|fully|so)\s+)*"
    r"(?:only|yet|just|least|longer|doubt|comment\w*|immediately|disclos\w*|sa(?:y|id)|respond\w*|repl\w*|reveal\w*|"
    r"specif\w*|elaborat\w*|know\w*|clear|confirm\w*|return\w*|answer\w*|give|gave|given|provid\w*|detail\w*|"
    r"identif\w*|name[ds]?|explain\w*|expect\w*|intend\w*|plan\w*|sure|certain|aware|(?:about |around |minus )?[$€£]?\d[\d,.]*)\b", re.I)
