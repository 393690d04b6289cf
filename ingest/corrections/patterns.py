"""The pattern tables behind the correction signals: each family's words and shapes as news copy
writes them (retraction of a document, statements of falsity, plans abandoned, states imposed and
lifted, negative statuses, list events, figures and revisions, time inside one source, opposites).
Kept apart from `signals.py`, which applies them, so each reads on one screen; every table is a
general pattern of English news copy, not one story's words.
"""

from __future__ import annotations

import re

from .lexicon import AGAINST_FIRST, NOW_GIVES

# Families (the `family` of every detected link and of the eval's per-family metrics).
RETRACTION = "retraction"  # a finding, or the document it is attributed to, withdrawn
NEGATION = "negation"  # the same proposition stated false
PLAN = "plan"  # an announced plan or intention abandoned
STATUS = "status"  # an order, ban, status or listing lifted, or a negative status overtaken
FIGURE = "figure"  # a figure corrected or revised
FAMILIES = (RETRACTION, NEGATION, PLAN, STATUS, FIGURE)
CORRECTING = (RETRACTION, NEGATION, FIGURE)  # these families mean "corrected"; the others "superseded"

_W = r"(?:[\w’'.,-]+ )"  # one word and its space, in "up to N words" gaps

# -- documents and their retraction ---------------------------------------------------------
# What a broadcaster or a website puts out: a document it can take down (in `_DOC` and `_WHOLE_DOC`).
_MEDIA = r"clip|footage|video|photo|photograph|image|tweet|segment|broadcast|graphic|episode|podcast"
_DOC = (r"(?:report|study|studies|survey|paper|poll|assertion|claim|allegation|statement|finding|conclusion|"
        r"article|story|analysis|estimate|research|data|dataset|ranking|index|assessment|review|piece|post|"
        r"reference|quote|figures?|results?|paragraph|passage|account|characteri[sz]ation|projection|call|"
        r"concession|forecast|prediction|announcement|endorsement|verdict|ruling|" + _MEDIA + r")s?")
# One word of a gap that is not a verb of showing or saying: past one, the document is a source, not what was removed.
_NOT_SHOWING = r"(?:(?!(?:show(?:s|ed|n)?|said|says|found|finds|suggest(?:s|ed)?|reveal(?:s|ed)|indicate[sd]?|confirm(?:s|ed))\b)[\w’'.,-]+ )"
_RETRACT_VERB = (r"(?:withdr[ae]w\w*|retract\w*|rescind\w*|recant\w*|pull(?:ed|s|ing)?(?: back)?|took down|takes down|"
                 r"take back|takes back|took back|taking back|walk(?:ed|s)? back|"
                 r"taken down|disavow\w*|repudiat\w*|scrapp\w*)")
# The publisher disowning what it published ("could not prove the memos were authentic").
_DISOWN = (r"(?:could|can) (?:not|no longer) (?:prove|verify|authenticate|vouch for|stand by|stand behind)|should not have "
           r"(?:used|published|run|aired|reported|relied on)|no longer stands? (?:by|behind)|should never have (?:gone on|"
           r"been (?:published|broadcast|aired|run))")
_RETRACTION = re.compile(
    # (not "withdrew from Kreva, satellite images show", "pulled out of the study": leaving, not withdrawing a
    # document; nor past a clause's end, "withdrew troops from Kreva, images show")
    r"\b(" + _RETRACT_VERB + r" (?!from\b|out of\b)(?:[\w’'.-]+ ){0,4}?" + _DOC + r"\b|"
    # (the document itself, not what it shows: "Footage showed the statue was removed")
    + _DOC + r"\b " + _NOT_SHOWING + r"{0,6}(?:was|were|has been|have been|had been|is being|is|are) "
    r"(?:formally |quietly |later |since |now |subsequently )?(?:withdrawn|retracted|rescinded|pulled|taken down|"
    r"disavowed|removed)|"
    r"(?:retract|withdraw|pull)\w* (?:it|them)\b|"
    # the particle after its object: "has taken the clip down", "pulled the video back"
    r"(?:took|takes|taken|taking|pull(?:ed|s|ing)?) (?:the|its|their|his|her|that|this|a|an) (?:[\w'’-]+ ){0,2}?"
    + _DOC + r"\s+(?:down|back)\b(?!\s+(?:to|into|towards?)\b)|"
    r"apologi[sz]\w* for (?:\w+ ){0,4}(?:methodology|method|error|errors|mistake|mistakes|" + _DOC + r")|"
    r"retraction|erratum|errata|inoperable|"
    r"(?:has|have|had) been (?:removed|deleted) from (?:the|its|their) (?:report|article|story|study|website)|"
    # "the article about Seth Rich is gone from the Fox News website"
    + _DOC + r"\b " + _W + r"{0,6}(?:is|are|was|were|has been|have been) gone from (?:the|its|their) |"
    + _DISOWN + r")\b",
    re.I)

_WHOLE_DOC = re.compile(r"\b(?:report|study|studies|survey|paper|poll|analysis|research|data|dataset|ranking|index|"
                        r"article|story|piece|post|review|assessment|memo|document|dossier|letter|"
                        + _MEDIA + r")s?\b",
                        re.I)
_PART_DOC = re.compile(r"\b(?:assertion|claim|allegation|statement|finding|conclusion|reference|quote|figure|"
                       r"projection|call|concession|forecast|prediction|announcement|endorsement|part|parts|portion|"
                       r"paragraph|passage|characteri[sz]ation|account|line|section)s?\b", re.I)
RETRACTOR = re.compile(r"((?:[A-Z][\w.&'’-]*\s){0,4}[A-Z][\w.&'’-]*)\s+(?:has |have |had |quietly |later |formally )?"
                       r"(?:withdr[ae]w\w*|retract\w*|rescind\w*|recant\w*|pulled|took down|tak(?:en|es|ing) down|disavow\w*|"
                       r"(?:took|tak(?:en|es|ing)|pull(?:ed|s)) (?:[\w'’-]+ ){1,3}?(?:down|back)|"
                       r"apologi[sz]\w*)\b")

# -- statements of falsity -------------------------------------------------------------------
_FALSE_ADJ = (r"(?:false|untrue|wrong|incorrect|inaccurate|unfounded|baseless|groundless|a hoax|fabricated|fake|"
              r"mistaken|erroneous|misleading|not true|not accurate|not correct)")
_NEGATION = re.compile(
    r"\b((?:was|were|is|are|proved|proven|turned out to be|turns out to be|has been shown to be|have been shown to be|"
    r"was found to be|were found to be|had been) (?:\w+ )?" + _FALSE_ADJ + r"|"
    r"did not (?:in fact |actually |ever )?(?:happen|occur|take place|exist)|"
    r"never (?:actually |in fact |actively )?(?:happened|occurred|took place|existed|used|took effect)|"
    r"no evidence (?:that|of)|contrary to (?:earlier |initial |previous |first )?reports|debunk\w*|"
    r"(?:is|was|are|were|remains?|remained) (?:still |in fact |actually )?(?:intact|undamaged|unharmed|standing|alive)|"
    r"(?:was|were) not (?:in fact |actually )?(?:killed|dead|destroyed|damaged|arrested|involved)|"
    r"seems? not to have|did not (?:in fact|actually))\b",
    re.I)
# A correction notice in the sentence's own voice.
_NOTICE = re.compile(
    r"\b(incorrectly|mistakenly|erroneously|wrongly|falsely|misstated|misreported|misidentified|misattributed|"
    r"in error|should have (?:said|read|stated|been)|(?:an )?earlier version of this (?:article|story|report|post)|"
    r"(?:^|\. )correction(?:,[^:]{0,40})?:|corrects? (?:an? |the |its )?(?:earlier |previous |original )?" + _DOC + r")",
    re.I)

# -- plans and their abandonment ------------------------------------------------------------
_PLAN_NOUN = (r"(?:plans?|bid|bids|offer|offers|deal|deals|merger|takeover|acquisition|proposal|project|talks|"
              r"idea|expansion|launch|listing|IPO|sale|purchase|agreement|program(?:me)?|construction|tender|"
              r"initiative|move|effort|scheme|venture|partnership|rollout|strike|trip|visit|event|election|vote|"
              r"tie-up|combination)")
_ABANDON_VERB = (r"(?:called off|calls off|call off|calling off|dropped|drops|drop|dropping|scrapped|scraps|scrap|"
                 r"shelved|shelves|shelve|abandoned|abandons|abandon|cancel+ed|cancels|cancel|terminated|"
                 r"terminates|terminate|pulled out of|pulls out of|pulled the plug on|walked away from|walks away from|"
                 r"backed out of|backs out of|gave up|gives up|put on hold|puts on hold|withdrew|withdrawn|"
                 r"withdraws|ended|ends|halted|halts|paused|pauses|suspended|suspends|postponed|postpones|"
                 r"blocked|blocks|rejected|rejects|vetoed|vetoes|killed|axed|axes|nixed|ditched|"
                 # who must approve it forbidding it ("The European Commission forbade their merger")
                 r"forbade)")
_ABANDON_STRONG = (r"(?:called off|calls off|call off|calling off|scrapped|scraps|shelved|shelves|abandoned|abandons|"
                   r"cancel+ed|cancels|pulled out of|pulls out of|pulled the plug on|walked away from|walks away from|"
                   r"backed out of|backs out of|put on hold|puts on hold|ditched|axed|nixed|pulled out|pull out|pulls out)")
_PLAN_ABANDON = re.compile(
    r"\b(" + _ABANDON_STRONG + r"|" + _ABANDON_VERB + r" " + _W + r"{0,5}?" + _PLAN_NOUN + r"\b|"
    + _PLAN_NOUN + r"\b " + _W + r"{0,5}(?:was|were|has been|have been|had been|is being|is now) (?:formally |officially |"
    r"later |quietly |since |now )?(?:called off|dropped|scrapped|shelved|abandoned|cancel+ed|terminated|withdrawn|"
    r"blocked|rejected|halted|put on hold|postponed|vetoed|axed|ended)|"
    + _PLAN_NOUN + r"\b " + _W + r"{0,3}(?:collapsed|fell through|fell apart|was off|were off|is off|are off)|"
    r"no longer (?:plans?|intends?|expects?|seeks?|wants?|pursu\w+|going ahead|considering)|"
    r"decided (?:not to|against)|(?:will|would|could|can|did|does) not (?:go ahead|proceed|pursue|move forward)|"
    r"won['’]t go ahead|fell apart|fell through|(?:does|do|did) not intend to|(?:has|have) no intention of|"
    r"walk(?:s|ed|ing)? away from|pull(?:s|ed|ing)? out of|back(?:s|ed|ing)? out of|call(?:s|ed|ing)? off|"
    r"scrapping|shelving|abandoning|cancel+ing|"
    # "has given up on NXP", "let its offer expire", "refused on Tuesday to let GE take over Honeywell"
    r"(?:given|gave|give|gives) up on|pull(?:s|ed)? (?:its|the|their|his|her) (?:[\w'’$€£.-]+ ){0,2}(?:offer|bid|proposal)\b|(?<!year )(?<!quarter )(?<!month )(?<!week )(?<!period )ending (?:its|their|the|his|her) (?:[\w'’-]+ ){0,2}?(?:merger|deal|agreement|bid|offer|takeover|partnership|talks)\b|let (?:its|the|their) (?:\w+ ){0,2}(?:offer|deal|bid|agreement)(?: [\w'’.-]+){0,4} (?:expire|lapse)|"
    r"refused (?:\w+ ){0,3}to (?:let|allow) (?:[\w'’.-]+ ){1,4}(?:take over|buy|acquire|merge|purchase|proceed|go ahead)|"
    r"refused (?:\w+ ){0,3}to (?:approve|clear) (?:the |its |their )?(?:\w+ )?(?:deal|merger|takeover|acquisition|purchase|bid)|"
    r"(?:did|does|will) not go ahead|"
    # the planned thing itself said not to come ("the pipeline … will not be built", "the games will never be held",
    # "there will be no merger"), or the bid declared over ("said the bid was over")
    # (not a conditional: "without the loan the bridge would not be built")
    r"(?:will|is going to|are going to) (?:not|never) (?:now |after all )?(?:be )?(?:built|held|staged|opened|completed|"
    r"launched|take place|happen)\b(?! (?:until|before|by|again|accountable|liable|responsible|to the public|on time|in time)\b)"
    r"|there will (?:now )?be no (?:[\w'’-]+ ){0,2}?(?:combined|merged|"
    + _PLAN_NOUN[3:-1] + r")(?![\w-])|"
    r"(?:bid|plan|deal|merger|takeover|project|proposal|offer)\b (?:[\w'’-]+ ){0,5}?(?:was|is|were|are) (?:now )?over"
    r"(?=\s*(?:[.,;:!?\"”]|$)))\b",
    re.I)
_PLAN_CLAIM = re.compile(
    r"\b(plans? to|planned to|planning to|plans? for|intends? to|intended to|intending to|aims? to|aimed to|"
    r"hopes? to|is set to|are set to|was set to|poised to|(?:is|are|was) expected to|agreed(?: \w+){0,3}? to|has agreed to|"
    r"proposed|proposes|offered(?: \w+){0,3}? to|offers? to|seeks? to|sought to|is seeking|prepar\w+ to|weigh\w*|"
    r"consider\w*|mull\w*|explor\w*|in talks|bid (?:for|to)|deal to|announced (?:a |its |plans?|the )|"
    # "Boeing plans a jet called the Sonic Cruiser" (the verb: a plan for a thing, not "the plans a council drew up")
    r"(?<!the )(?<!its )(?<!their )plans an? |"
    r"unveiled (?:a |its |plans?)|will (?!not\b|be\b|have\b)[a-z]+|"
    # "said it wanted to buy", "has offered about $80 billion in cash and stock for Time Warner", "set out plans"
    # — an offer of money, not of condolences or an explanation ("offered no explanation for"); a wish to act, not to
    # speak or learn ("Police want to speak to anyone who saw the crash")
    r"(?:wants?|wanted|wanting) to (?!(?:speak|talk|know|hear|see|thank|ask|tell|say|be|make sure|remind|stress|express|"
    r"understand|learn|find out|apologi[sz]e)\b)|offer(?:ed|s)? (?:[\w'’-]+ ){0,3}?(?:[$€£¥]\s?)?\d[\w$€£.,'’-]* "
    r"(?:[\w$€£.,'’-]+ ){0,6}?for|set (?:out|forth) (?:its |their |the )?plans?)\b",
    re.I)

# -- states and their lifting ----------------------------------------------------------------
# Each restrictive state class, the words that state it, and the words that end it.
# A counted set is a list ("among the 30 companies in the index", "among the seven state sponsors of
# terrorism"); "among the largest lenders", "among the victims" name no list.
_COUNTED = (r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
            r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)")

# A listing changed rather than ended: moved from one category to another ("moved the toad from
# endangered to vulnerable", "downgraded the lynx from critically endangered to endangered") or onto
# another list of the same kind ("the country moves to the amber list"). It ends the claim's listing
# only when the claim holds that first category, or another list of that kind (families.recategorised).
# (verbs, not nouns: "a move from classic style to something modern" moves no listing)
_MOVED = r"(?:moved|moves|moving|downgrad(?:ed|es|ing)|upgrad(?:ed|es|ing)|reclassif(?:ied|ies|ying)|shift(?:ed|s|ing)|" \
         r"lower(?:ed|s|ing)|transferr(?:ed|ing)|transfers|switch(?:ed|es|ing))"
_RECAT_VERB = _MOVED + r" (?:[\w'’.,-]+ ){0,8}?from "
RECATEGORISED_WORDS = _RECAT_VERB + r"[a-z][\w'’-]*(?: [a-z][\w'’-]*){0,2} to (?:the |an? )?[a-z][\w'’-]*"
RECATEGORISED = re.compile(r"\b" + _RECAT_VERB + r"(?P<was>[a-z][\w'’-]*(?: [a-z][\w'’-]*){0,2}) to (?:the |an? )?"
                           r"(?P<now>[a-z][\w'’-]*)\b", re.I)
_LIST_MOVE_VERB = _MOVED + r" (?:[\w'’.-]+ ){0,4}?(?:to|onto) (?:the|its) "
LIST_MOVE_WORDS = _LIST_MOVE_VERB + r"[\w'’-]+ list"
LIST_MOVE = re.compile(r"\b" + _LIST_MOVE_VERB + r"(?P<now>[\w'’-]+) list\b", re.I)

_STATES: dict[str, tuple[str, str]] = {
    "closed": (r"closed|shut|shut down|closure|offline|out of service|locked down|lockdown|off the air|dark",
               r"reopen\w*|re-open\w*|back (?:open|online|on the air)|resum\w*|restor\w*|lifted|ended|eased|"
               r"opened (?:again|its doors)|(?:allowed|let) (?:[\w'’-]+ ){0,3}back (?:into|in|to|onto)"),
    "suspended": (r"suspended|suspension|paused|halted|frozen|on hold|stopped|idled|mothballed",
                  r"reinstat\w*|resum\w*|restart\w*|lifted|unfroz\w*|restor\w*|ended|reversed|back (?:on|in)|"
                  # "went back to the vaccine", "readmitted the country"
                  # (not a trip or a date: "a pilot went back to Osk", "the suspension goes back to August")
                  r"(?:went|goes|go|going) back to (?!(?-i:[A-Z])|(?:the )?\d)|readmit\w*|"
                  # what was stopped is permitted ("people in Wuhan were allowed to leave the city by train")
                  r"(?:was|were|are|is|been|be) (?:again |once more )?(?:allowed|permitted) to"),
    "banned": (r"banned|barred|prohibited|outlawed|forbidden|blocked|restricted|embargoed|sanctioned|"
               r"ban|bans|moratorium|embargo|sanctions|blacklisted|blacklist",
               r"lifted|lifts|lift|overturned|struck down|strikes down|repealed|rescinded|revoked|unbann\w*|"
               r"unblock\w*|allowed|approved|expired|ended|eased|dropped|annulled|removed|reversed|suspended|"
               r"reopen\w*|resum\w*|restor\w*|refloat\w*|readmit\w*|scrapped|abolished"),
    "grounded": (r"grounded|grounding|on the ground", r"ungrounded|cleared to (?:fly|return)|returned to (?:service|the skies|flight)|"
                 r"lifted|resum\w*|back in service|recertified"),
    "detained": (r"detained|jailed|imprisoned|in custody|under arrest|under house arrest|arrested|held|in detention|behind bars",
                 r"releas\w*|freed|acquitted|let go|set free|granted bail|released on bail|exonerated|"
                 r"charges (?:were |have been )?dropped"),
    "investigated": (r"under investigation|under review|under scrutiny|investigat\w+|probe|probed|inquiry|"
                     r"charged|indicted|accused",
                     r"(?:closed|ended|concluded|dropped|wrapped up|shut|terminated) (?:\w+ ){0,3}(?:probe|investigation|"
                     r"inquiry|review|case)|(?:probe|investigation|inquiry|review|case|charges) (?:\w+ ){0,3}(?:was|were|"
                     r"has been|have been|had been) (?:closed|ended|dropped|concluded|dismissed|withdrawn)|"
                     r"cleared|exonerated|found no (?:wrongdoing|evidence)|no charges|acquitted|dismissed|"
                     r"dropped (?:\w+ ){0,3}charges|declared (?:\w+ ){0,2}innocent"),
    "unavailable": (r"unavailable|inaccessible|offline|down|cut off|blocked",
                    r"restor\w*|available again|back online|back up|unblock\w*|reinstat\w*|resum\w*|reopen\w*|"
                    r"(?:block|blocks|ban|bans) (?:[\w'’-]+ ){0,3}(?:was |were |had been |has been )?lifted"),
    # ... or a designation or class, or a place among a list's members ("is still designated a terrorist
    # organisation", "is classified as a nature reserve", "is among the 40 companies in the index")
    "listed": (r"listed|on (?:the|a|its) (?:[\w'’.-]+ ){0,5}(?:list|blacklist|register)|included|"
               r"an? (?:[\w'’.-]+ ){0,4}(?:site|member)|designated|(?:classified|classed|categori[sz]ed|rated) as|"
               r"among (?:the|its) " + _COUNTED,
               r"delisted|(?:struck|took|taken|takes|removed|removes|dropped|drops|deleted|"
               # a decision taken is the act done ("decided on Friday to remove the group from the list"); "plans
               # to remove", "refused to remove" are not
               r"(?:decided|agreed|voted|chose|moved|ordered)(?: \w+){0,3} to (?:strike|take|remove|drop|delete)) (?:[\w'’.,-]+ ){0,4}"
               r"(?:off|from) (?:the|its|a|their) (?:[\w'’.-]+ ){0,4}(?:list|blacklist|register)|struck off|"
               r"lifted (?:[\w'’.-]+ ){0,3}sanctions|sanctions (?:on [\w'’.-]+ (?:[\w'’.-]+ )?)?(?:were|have been|had been|was) lifted|"
               # a member leaving ("will leave the Marlow Composite index", "dropped out of the index")
               # (not a wish: "would work to exit the list quickly")
               r"(?<!to )(?:leaves?|left|leaving|exits?|exited|(?:drops?|dropped|falls?|fell) out of) (?:the|its) "
               r"(?:[\w'’.-]+ ){0,4}(?:list|index|average|register)|"
               # a listing moved to another category or list (families.recategorised checks the claim held the first)
               + RECATEGORISED_WORDS + "|" + LIST_MOVE_WORDS),
    "declared": (r"declared|emergency|state of emergency|lockdown|curfew|martial law|pandemic|"
                 # "has been governed under an emergency law", "lives under martial law"
                 r"under (?:an? |the )?(?:[\w'’-]+ )?(?:emergency|martial law|curfew|lockdown)",
                 r"lifted|ended|expired|revoked|rescinded|ran out|runs out"),
    "in_force": (r"in force|in effect|in place|valid|active", r"expired|lapsed|lifted|repealed|ended|struck down|revoked"),
    "open": (r"open|operating|running|in operation|in service",
             r"closed (?:its doors|down|permanently)|shut down|(?:was|were|has been|have been) (?:permanently )?"
             r"(?:closed|shut)|ceased operations|went bankrupt|filed for bankruptcy"),
}
_BE = (r"(?:remains?|remained|is|are|was|were|has been|have been|had been|stays?|stayed|is still|are still|"
       r"still|currently|continues? to be|will remain|kept)")
_STATE_CLAIM = {k: re.compile(r"\b" + _BE + r" (?:\w+ ){0,2}?(?:" + words + r")\b", re.I) for k, (words, _) in _STATES.items()}
# An event that imposed the state ("ordered the plant closed", "opened an investigation into").
_STATE_EVENT = {
    # "a member of the Dow Jones …"; "placed under American sanctions" (on a sanctions list)
    "listed": re.compile(r"\b(?:[Mm]embers?|[Cc]onstituents?) of (?:the )?[A-Z]|\b(?:placed|put|kept) (?:[\w'’.-]+ ){0,3}under "
                         r"(?:[\w'’.-]+ ){0,2}sanctions\b|"
                         # ... or put on a list ("placed Cologne Cathedral on its list of World Heritage in Danger")
                         r"\b(?:placed|put|added|included)\b[^.;]{0,80}?\b(?:on|to|in)\b (?:the |its |a |their )?"
                         r"(?:[\w'’.-]+ ){0,5}(?:list|blacklist|register)\b|"
                         # ... or listed by a named body, in the active voice ("one of four countries that the World
                         # Health Organization lists as polio-endemic"; not "waiting lists as long as a year")
                         r"(?-i:\b[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*)\s+lists\b(?:\s+[\w'’.-]+){0,4}?\s+as\b"),
    # ... or closed a place outright ("closed British airspace to all but emergency flights", "shut its schools")
    "closed": re.compile(r"\b(?:ordered|ordering|forced) (?:\w+ ){0,4}(?:closed|shut|closure)\b|\b(?:closed|shut) (?:down )?"
                         r"(?:the |its |their |all |[A-Z][\w-]* )(?:[\w'’-]+ ){0,3}?(?:airspace|borders?|schools?|airports?|ports?|"
                         r"embassy|embassies|offices?|plants?|factory|factories|mines?|roads?|bridges?|parks?|stations?|"
                         r"crossings?|shops|stores|museums|beaches|camps?)\b", re.I),
    # ... or a halt declared ("Russia's halt in March to all imports of Georgian wine")
    # ... or stopped ("halts charter flights", "stopped giving the shot", "will stop exporting cooking oil"; not
    # "non-stop shelling", "stopped King at the border", "the bus stop during rush hour")
    # what is stopped has an object: "sensors stop working", "stopped talking to reporters" are no halt imposed
    "suspended": re.compile(r"\b(?:suspended|halted|paused|froze|halts)\b|(?<![\w-])stop(?:s|ped|ping)? (?=(?-i:[a-z])\w+ing\s+(?!(?:in|at|on|for|after|before|during|when|as|and|or|but|because|until|from|with|to|by|altogether|completely|entirely|again)\b)(?-i:[a-z]))(?!(?:during|morning|evening|nothing|something|anything|everything)\b)|\bhalt (?:in \w+ |on \w+ )?(?:to|on) (?:all )?(?:\w+ )?"
                            r"(?:imports|exports|sales|shipments|flights|production|deliveries|trade)\b|"
                            # "stopped all trains and flights", "will halt all exports of wheat" (not "all the way")
                            r"\b(?:halt|halts|halting|stop|stops|stopped|stopping) all (?!(?:the way|along|day|night|week|year|\d+|two|three|four|five|six|seven|eight|nine|ten|of)\b)|"
                            # "ordered a fresh halt to deepwater oil drilling" (not "called for a halt to the fighting")
                            r"\b(?:ordered|imposed|announced|declared|extended) (?:a |an |the )?(?:[\w'’-]+ ){0,2}halt (?:to|on)\b", re.I),
    # ... "imposed capital controls", "Hosepipe bans came into force", "bars women from driving"
    # ... "will impose duties of 80.5 percent on barley", "imposed tariffs on steel"
    "banned": re.compile(r"\b(?:banned|barred|imposed (?:a |an )?(?:\w+ ){0,2}(?:ban|moratorium|embargo|sanctions|controls|"
                         r"restrictions|curbs|curfew|quarantine)|blacklisted|prohibited)\b|"
                         r"\bimpos(?:e|es|ed|ing) (?:new |higher |extra |punitive )?(?:duties|tariffs|levies)\b|\b(?:bans?|restrictions|curbs|"
                         r"embargo|curfew)\b[^.;]{0,60}\b(?:came|comes|come) into (?:force|effect)\b|"
                         r"\b(?:bars|bans|prohibits|forbids) (?:[\w'’-]+ ){1,3}from\b", re.I),
    "grounded": re.compile(r"\bgrounded\b", re.I),
    # ... or blocked a named service outright ("blocked YouTube on Thursday"; not "blocked Acme's merger"), or cut a
    # place off ("cut the country off from the internet")
    "unavailable": re.compile(r"\b(?:blocked|cut off|shut off|restricted) (?:\w+ )?access\b|\b(?:blocked|blocks) "
                              r"[A-Z][\w.-]*\b(?!['’])|\bcut (?:[\w'’-]+ ){0,3}off from (?:the )?(?:internet|network|web|"
                              r"mobile|phone|power|electricity)"),
    # a state of emergency or curfew imposed or kept ("extended the state of emergency")
    "declared": re.compile(r"\b(?:extended|renewed|declared|imposed|voted (?:\w+ ){0,3}?to (?:impose|declare)) (?:the |a |an |its )?(?:[\w'’-]+ ){0,2}(?:state of emergency|"
                           r"emergency law|martial law|curfew|lockdown)\b", re.I),
    "detained": re.compile(r"\b(?:detained|arrested|jailed|taken into custody)\b", re.I),
    "investigated": re.compile(r"\b(?:opened|launched|began|started) (?:an? |its )?(?:\w+ ){0,2}(?:investigation|probe|"
                               r"inquiry|review)|\b(?:charged|indicted)\b", re.I),
}
_STATE_LIFT = {k: re.compile(r"\b(?:" + lift + r")\b", re.I) for k, (_, lift) in _STATES.items()}

# "again" after a verb of ability or being: a state restored ("could open the site again", "is a full
# member again", "can once again keep their laptops"), not an act repeated ("scored again").
AGAIN_STATE = re.compile(r"\b(?:can|could|may|is|are|was|were|allowed to|free to|able to)\s+(?:once again|once more)"
                         r"((?:\s+[\w'’-]+){1,6})|\b(?:can|could|may|is|are|was|were|be|been|allowed to|free to|"
                         r"able to|began|begun|begins|started|starts|resumed)\b((?:\s+[\w'’-]+){1,8}?)\s+(?:once again|once more|again)\b", re.I)


def states_of(text: str) -> frozenset[str]:
    """The restrictive states a sentence asserts or imposes (the claim side of `_STATES`)."""
    return frozenset(k for k, rx in _STATE_CLAIM.items() if rx.search(text)) | frozenset(
        k for k, rx in _STATE_EVENT.items() if rx.search(text))

# A negative status: "has no plans to recall", "is not on any list", "not aware of any investigation".
_NEG_STATUS = re.compile(
    r"\b(?:not aware of (?:being |any |an |a )?|unaware of (?:any |being )?|(?:is|are|was|were) not (?:on|part of|"
    r"included|listed|among|subject to|under|being|facing|in)|not on (?:any|the|a)|(?:has|have|had) no plans? to|"
    r"no plans? to|no (?:basis|reason|need|intention) to|(?:does|do|did) not (?:plan|intend|expect) to|will not|"
    r"won['’]t|ruled out|rules out|"
    r"(?:has|have|had) not (?:been|yet)|(?:is|are) not being|there (?:is|was|are|were) no|no (?:\w+ )?(?:investigation|"
    r"recall|ban|charges|plans?|layoffs|strike|deal|talks)|"
    # a listing withheld: "does not include the group on its list", "did not add X to the list", "were not
    # named a terrorist organisation", "stays off the sanctions list"
    r"(?:does|do|did) not (?=(?:include|list|add|name|designate)\b)|(?:is|are|was|were) not (?=(?:named|designated)\b)|"
    r"(?:stays?|stayed|remains?|remained|kept) off)((?:\s*[\w’'.-]+){1,8})",
    re.I)
# An undecided deliberation ("is said to be considering adding X to a list"): the decision overtakes it.
_DELIBERATION = re.compile(r"\b(?:considering|weighing|mulling|exploring|debating|deciding whether to|studying whether to)"
                           r"((?:\s*[\w’'.-]+){1,6})", re.I)
# Joining a list or register is an event whatever the verb's object ("added 28 firms … to its entity list").
LIST_EVENT = re.compile(r"\b(?:added|adds|adding|add|placed|put|included|includes|named|listed|designated|blacklisted)\b"
                        r"(?:[^.;]{0,220}?)\b(?:to|on|in|among)\b (?:the |its |a |their )?(?:[\w.&-]+ ){0,3}"
                        r"(?:list|blacklist|register|registry|index)\b|\bnewly (?:added|listed|designated)\b|"
                        r"\bjoin(?:s|ed|ing)? the (?:[\w.&-]+ ){0,3}(?:list|index|register)\b|"
                        # a designation is a listing: "designated the sect … as foreign terrorist organisations"
                        r"\bdesignat(?:ed|es|ing)\b[^.;]{0,120}?\bas (?:an? )?(?:[\w-]+ ){0,3}(?:organi[sz]ations?|"
                        r"sponsors?|sites?|entit(?:y|ies)|groups?|terrorists?)\b", re.I)
# Events that change an entity's legal, commercial or official standing; what makes "has no
# plans to recall" or "is not under investigation" untrue.
STATUS_EVENT = re.compile(
    r"\b(?:recalled|recalls|recalling|sanctioned|banned|charged|indicted|arrested|sued|fined|convicted|"
    r"(?:opened|launched|began|started|announced) (?:an? |its |a formal )?(?:\w+ ){0,2}(?:investigation|probe|inquiry|review)|"
    r"approved|acquired|bought|sold|merged|laid off|raised|resigned|fired|dismissed|stepped down|went ahead|"
    r"filed for|declared|imposed|ordered|issued|signed|agreed|completed|closed|shut|reopened|joined|left|quit|"
    r"(?:has|have|had) (?:now |since )?(?:begun|started|decided|agreed))\b", re.I)
_NEGATORS = re.compile(r"\b(?:not|no|never|n['’]t|neither|nor|without|denied|denies|deny|rejected|rejects|"
                       r"ruled out|rules out)\b", re.I)
# Verbs a party uses to answer an accusation: what follows is that party's position, not a fact.
_DENIAL = re.compile(r"\b(?:denied|denies|deny|denying|disputed|disputes|dispute|rejected|rejects|dismissed|"
                     r"dismisses|refuted|refutes|object(?:s|ed)? to|contested|contests|insists?|insisted|"
                     r"maintains?|maintained|pushed back|called (?:the )?(?:\w+ ){0,3}(?:false|baseless|unfounded|untrue|a lie|lies|"
                     r"a fabrication|nonsense))\b",
                     re.I)

# -- figures ----------------------------------------------------------------------------------
_MONTHS = ("January February March April May June July August September October November December "
           "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "a": 1}
_FIG = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a) (?:hundred |thousand )?(?:million|billion|"
                  r"trillion)\b|\bonly (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|"
                  r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?) (?=(?:[a-z]+ )?(?:people|"
                  r"persons?|workers|employees|children|patients|victims|deaths|cases|[a-z]+s)\b)|"
                  r"(?<![\w.,])(?:\$|€|£)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent|million|billion|trillion|"
                  r"thousand|bn|m|k))?(?![\w])|\b(?:dozens|hundreds|thousands|millions) of\b", re.I)
_REVISION = re.compile(
    # ... a figure after the "to" or "from" ("raised its estimate to 5,000", "cut from 49 to 47", "fell to a record low of
    # 3.5", "lowered its estimate to half a million", "cut its forecast to HK$5 billion"); not a year alone ("raised to
    # the peerage in 2010"), nor nothing ("challenges are raised to their credentials" revises nothing)
    r"\b((?:revised|corrected|updated|raised|lowered|cut|adjusted|restated|increased|reduced|rose|climbed|fell) "
    r"(?:[\w'’-]+ ){0,8}?(?:to|down to|up to|from) (?:[\w'’-]+ ){0,6}?"
    r"(?:[A-Z]{0,3}[$€£¥₹]\s?\d|(?!(?:19|20)\d\d\b(?![,.]\d|\s?(?:%|percent|per cent|million|billion|trillion)))\d|"
    r"(?:half|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|a|several) (?:hundred|thousand|million|billion|trillion)\b)|"
    r"(?:figure|figures|toll|estimate|number|count|tally|total|forecast|tallies)s? (?:\w+ ){0,4}(?:was|were|has been|"
    r"have been|had been|is now|now stands at|stands at|rose to|climbed to|fell to) (?:revised|corrected|updated|"
    r"raised|lowered|cut|adjusted|restated|\$?\d)|"
    r"not \$?\d[\d,.]*\w* but|rather than \$?\d|actually (?:\w+ ){0,2}\$?\d|in fact (?:\w+ ){0,2}\$?\d|"
    r"not (?:minus |about |around |some )?\$?\d|bringing (?:the|its) (?:\w+ ){0,2}(?:total|toll|number|count|tally) to|"
    r"than (?:it|they|the company|officials|previously|first|initially|originally) (?:\w+ )?(?:reported|said|"
    r"thought|estimated|disclosed|announced)|times (?:the|as many as the) (?:number|figure|estimate|total)|"
    r"(?:number|figure|estimate|total) (?:\w+ ){0,2}(?:gave|reported|disclosed) (?:earlier|last|previously|initially|"
    r"first)|\bonly (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d)\b|"
    r"(?:cut|reduced|raised|lowered|trimmed) by \$?\d|"
    # a figure given anew against the first one: "now put net migration in 2022 at 745,000", "well above their
    # first estimate", "below the provisional count"
    + NOW_GIVES + r" (?:[\w'’-]+ ){0,8}?at \$?\d|" + AGAINST_FIRST + r")",
    re.I)

_REVISED = re.compile(r"\b(?:bringing (?:the|its) (?:\w+ ){0,2}(?:total|toll|number|count|tally)\b[^;]{0,50}? to|"
                      # a count given anew: "the death toll … has risen to 112", "the number of dead climbed to 50",
                      # "officials now say the storm killed 111", "more than 1,000 are now known to have died"
                      r"(?:toll|tally|count|total|number of [\w-]+)\b[^;]{0,60}?\b(?:has |have |had )?(?:rose|risen|climbed|"
                      r"jumped|increased|grown|grew|fell|fallen|dropped|reached|stood at|stands at) (?:to )?(?=\D{0,20}\d)|"
                      r"now (?:says?|said|puts?|believes?|estimates?|counts?|known to have)|"
                      r"(?:final|updated|revised|latest|official) (?:count|toll|tally|figures?|death toll)|than (?:it|they|the company|"
                      r"officials) (?:first|initially|originally|previously) (?:reported|said|estimated|disclosed)|"
                      r"(?:revised|corrected|raised|lowered|restated) (?:its |the )?(?:[\w'’-]+ ){0,4}(?:estimate|toll|"
                      r"figure|count|tally|forecast|total)s? (?:[\w'’-]+ ){0,4}to)\b", re.I)
NEGOTIATION = re.compile(r"\b(?:offer|bid|price|prices|stake|tender)s?\b", re.I)

# -- time inside one source -------------------------------------------------------------------
_PRIOR = re.compile(
    r"\b(last (?:week|month|year)['’]s|in (?:a|an|its|their|the) (?:earlier|previous|prior|original|initial|first|"
    r"January|February|March|April|May|June|July|August|September|October|November|December) "
    r"(?:\w+ )?(?:report|article|story|statement|study|version|post|assessment|estimate|announcement)|"
    r"(?:had|initially|originally|previously|first|earlier) (?:said|reported|claimed|alleged|asserted|stated|"
    r"written|wrote|found|concluded|suggested|identified|linked|announced|estimated|put)|"
    r"(?:said|reported|claimed|alleged|asserted|stated|wrote|announced) (?:earlier|previously|initially|originally|"
    r"last (?:week|month|year))|(?:initial|early|earlier|first) (?:reports?|estimates?|accounts?)|"
    r"(?:the|an?|its) (?:earlier|original|initial|previous) (?:version|report|article|story|claim|assertion)|"
    r"(?:report|article|study|statement|story),? (?:which was |that was )?(?:published|released|issued) "
    r"(?:in|on|last) (?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"\w+day|week|month|year))\b",
    re.I)
_LATER = re.compile(r"\b(later|subsequently|has since|have since|had since|since then|now|by (?:evening|nightfall|"
                    r"the (?:afternoon|evening|end of the day|next day|following day))|the next day|the following day|"
                    r"hours later|days later|weeks later|months later|afterwards|eventually|in an update|updated)\b", re.I)
_CLOCK = re.compile(r"(?:^\s*|\b(?:at|by|around|about|until|after|before) )(\d{1,2})(?:[:.](\d{2}))?\s?(a\.?m\.?|p\.?m\.?)"
                    r"|\b(?:at|by|around|about|until|after|before) (noon|midday|midnight)\b", re.I)
_REPORTING = re.compile(r"\b(said|says|say|reported|claimed|alleged|asserted|stated|wrote|found|according to|estimated|"
                        r"announced|told)\b", re.I)


# Opposites news copy uses for the same proposition (a general table, not one story's words).
ANTONYMS = [("upheld", "struck down"), ("alive", "dead"), ("survived", "died"), ("acquitted", "convicted"),
            ("innocent", "guilty"), ("intact", "collapsed"), ("intact", "destroyed"), ("escaped", "under water"),
            ("escaped", "flooded")]
ANTONYM_RX = [(re.compile(rf"\b{x}\b", re.I), re.compile(rf"\b{y}\b", re.I)) for x, y in ANTONYMS]
_OPPOSITE_WORD = re.compile(r"\b(?:" + "|".join(sorted({w for p in ANTONYMS for w in p}, key=len, reverse=True))
                            + r")\b", re.I)

_NO_LONGER = re.compile(r"\bno longer\b", re.I)
NEG_WORD = re.compile(r"\b(?:not|no|never|none|neither|nor|n['’]t)\b", re.I)


# Every search above first asks whether one of its literals occurs (literals.py): same results, less CPU.
from .literals import guard_module  # noqa: E402

guard_module(globals())
