"""Which evidence may flag a sentence (⚠) on its own, and which goes to the editor as a candidate.

A false ⚠ on a true sentence is misinformation; a missed link is partly covered by later coverage
(`bot/later.py` shows later statements beside older claims without asserting a correction). So a
link is made automatically only from evidence that is precise by construction — and measured so on
every spent labelled set (`python -m benchmarks.link_precision`, table in the README):

- across sources, any family's evidence with the subject shown by a name both give (or the
  sentence beside the later one, or the claim's attribution) — not by a shared common noun alone,
  nor by three shared words (`noun`, `topic`), and a restated reversal not through a pronoun
  subject ("The government … has long denied" after a sentence naming the country);
- inside one story, where nothing but the text orders the two sentences: only what the later
  sentence says outright — a retraction or withdrawal, a statement that the claim was untrue, a
  correction notice, the claim's own source taking it back (`EXPLICIT`) — or a family's own cue of a
  change ("reopened", "no longer", "called off", "raised the toll to": `CUED`) ordered by clock
  times or by the claim's own earlier wording, and a bare contradiction ("no arrest has been made")
  only in a timeline of clock times or of the story's own timestamp labels ("Thursday, 10 pm: …" …
  "Friday, afternoon: …", timeline.py), where a later paragraph giving the same quantity anew also
  flags (a live blog's update) — unless the story marks the later statement as the update
  ("initially reported" / "later said"; "gave a revised account"; a correction notice). Restatements read through the claim's words, acts taken back,
  and any pair ordered only by days of the week ("On Thursday … On Friday …": two events of one
  story, rarely a report and its correction) are candidates.

Everything demoted is kept as a candidate (`factdesk corrections --candidates`) with the reason,
for an editor to accept or reject, and a later-dated one is still shown as later coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXPLICIT = frozenset({"retraction:document", "retraction:assertion", "source:took_back", "source:untrue", "source:admitted_lie",
                      "negation:untrue", "figure:notice"})
CUED = frozenset({"status:lifted", "status:no_longer", "plan:abandoned", "figure:revision"})
BARE = frozenset({"negation:negated", "negation:opposites"})
WEAK_SUBJECT = frozenset({"noun", "topic"})

SURE, UNSURE = "link", "candidate"


@dataclass
class Evidence:
    family: str
    status: str  # corrected | superseded
    verdict: str  # SURE | UNSURE
    score: float
    reason: str  # why, in words an editor reads
    phrase: str = ""  # what changed, for the note ("reopened on 3 May 2021", "about 180,000")
    window: list[int] = field(default_factory=list)  # neighbour indexes of the later statement it needed
    label: str = ""  # the note's first words when not the family's own
    kind: str = ""  # the rule that found it ("retraction:document", "restated:ended"): what precision is measured by
    basis: str = ""  # how the subject was shown: name, window, anaphor, definite, noun, topic, story
    order: str = ""  # inside one source, what ordered the two (clock, weekday, prior, later)
    demoted: str = ""  # why sure evidence was made a candidate (precision.py), "" if it was not


def demotion(kind: str, basis: str, order: str = "", framed: bool = False) -> str:
    """Why sure evidence of this kind may not flag on its own ("" when it may). `order`: inside one
    source, what placed the claim first ("timeline", "clock", "weekday", "prior", "later"); "" across sources.
    `framed`: the story marks the later statement as the update — the claim worded as the earlier
    account and the statement as later ("Police initially reported …" / "Police later said …"), or
    the statement a revised account or a correction notice ("gave a revised account: …")."""
    if basis in WEAK_SUBJECT:
        return "the subject is shown only by shared common words, not a name"
    if kind.startswith("restated:") and basis == "anaphor":
        return "the subject is only the sentence before the claim"
    if not order:
        return ""
    if kind in EXPLICIT or (framed and kind in BARE | CUED):
        return ""
    if order == "weekday":
        return "inside one story, ordered only by days of the week"
    if kind in CUED:
        return ""
    if kind in BARE and order in ("clock", "timeline"):
        return ""
    if kind == "figure:measure" and order == "timeline":
        return ""  # a live timeline's later paragraph gives the same quantity anew ("Friday, afternoon: … had 331")
    return "inside one story, without a statement that the earlier account was wrong"


def strongest(found: list[Evidence], order: str, framed: bool = False) -> Evidence | None:
    """The strongest evidence once the precision policy has demoted what may not flag on its own."""
    if not found:
        return None  # most pairs relinking forms
    for e in found:
        e.order = order
        why = demotion(e.kind, e.basis, order, framed) if e.verdict == SURE else ""
        if why:
            e.verdict, e.demoted = UNSURE, why
    found.sort(key=lambda e: (e.verdict != SURE, -e.score))
    return found[0] if found else None


__all__ = ["BARE", "CUED", "EXPLICIT", "SURE", "UNSURE", "Evidence", "demotion", "strongest"]
