"""The tuning section of the settings: every hand-set threshold, weight and word list of the answer
pipeline, in one place, each with its meaning, its bounds and where its value came from.

Why one place: a number that decides whether the bot answers or abstains is a claim about data, and
a reader must be able to find it, see how it was chosen and replace it — the answer-selection work
replaces the `selection` values with ones fitted on labelled data nobody here wrote (a fitted file),
and nothing else in the code may hold such a value. Scores are on all-MiniLM-L6-v2 cosine similarity
(normalised vectors, so -1..1, in practice 0..1) and on the IDF-weighted share of the question's key
words a sentence holds (0..1).

Provenance, honestly: unless a field says otherwise, a value was set by hand by the developers while
reading the in-repository eval sets (data/eval/questions.jsonl first, then later.jsonl,
multisource.jsonl and heldout.jsonl) — "checked on", not fitted to, a held-out sample. Commit ids
point at where each first appeared.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetrievalTuning(BaseModel):
    """How many candidates reach selection."""

    model_config = ConfigDict(frozen=True)

    n_dense: int = Field(40, ge=1, le=1000, description=(
        "Nearest sentences by embedding fetched per query vector. Hand-set (c469d52): wide enough that the "
        "lexical factor can rescue a sentence the embedding ranks low."))
    n_lexical: int = Field(40, ge=1, le=1000, description=(
        "Sentences fetched per exact name match; a name in more sentences than this is left to the embedding "
        "(scanning for it would cost a full-text search). Hand-set (c469d52)."))
    context_term_weight: float = Field(0.3, ge=0.0, le=1.0, description=(
        "Weight of the earlier question's key words, relative to the follow-up's own, in a follow-up's "
        "lexical match. Hand-set (d56df69)."))


# Words a question and a news sentence commonly use for the same thing ("make money" / "sells
# licenses", "mistake" / "errors", "blacklisted" / "entity list"); one group per line. Generic news
# vocabulary meant for any story — but honestly: groups were added when eval questions failed
# (6f3231b, de01f80), which is the kind of hand rule the answer-selection work is to replace with
# what is learned from labelled data.
PARAPHRASE_GROUPS: tuple[str, ...] = (
    "money revenue revenues sales sell sells sold earn earns earned profit profits income license licenses licensing charge fees",
    "founded found established start started launched created",
    "ceo chief executive",
    "based headquartered headquarters",
    "employees employ employs staff workers workforce jobs work works",
    # Buying and selling are two views of one deal: "who is buying X" is answered by "sold X to Y".
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


class SelectionTuning(BaseModel):
    """Scoring and abstention: when a candidate sentence counts as answering the question."""

    model_config = ConfigDict(frozen=True)

    dense_alone: float = Field(0.62, ge=0.0, le=1.0, description=(
        "Cosine above which a sentence answers without sharing the question's key words. Hand-set (c469d52)."))
    unknown_term_penalty: float = Field(0.08, ge=0.0, le=1.0, description=(
        "Added to dense_alone when the question has a key word the sources never use (dense-only matches are "
        "then suspect). Hand-set (d56df69)."))
    strong_lex: float = Field(0.5, ge=0.0, le=1.0, description=(
        "Key-word share that answers with only a loose topical match (strong_lex_dense). Hand-set (d56df69)."))
    strong_lex_dense: float = Field(0.15, ge=-1.0, le=1.0, description="Cosine floor paired with strong_lex.")
    some_lex: float = Field(0.34, ge=0.0, le=1.0, description=(
        "Key-word share that answers when the sentence is also moderately close (some_lex_dense) and names "
        "what the question names. Hand-set (d56df69), weights chosen on a grid over questions.jsonl (4c5dda4)."))
    some_lex_dense: float = Field(0.3, ge=-1.0, le=1.0, description="Cosine floor paired with some_lex.")
    few_lex: float = Field(0.1, ge=0.0, le=1.0, description=(
        "Key-word share that answers when the sentence names every name of the question and is clearly on the "
        "topic (few_lex_dense). Grid over questions.jsonl (4c5dda4)."))
    few_lex_dense: float = Field(0.5, ge=-1.0, le=1.0, description="Cosine floor paired with few_lex.")
    multi_name_dense: float = Field(0.35, ge=-1.0, le=1.0, description=(
        "The lower cosine floor for few_lex when the question names two or more things or the sentence holds "
        "the kind of answer asked for (money, a number, a time). Hand-set (4c5dda4)."))
    margin: float = Field(0.2, ge=0.0, le=2.0, description=(
        "Score lead over the runner-up that makes a clear winner answer when no floor is met. Hand-set (1ad65bd)."))
    margin_dense: float = Field(0.3, ge=-1.0, le=1.0, description="Cosine floor for the clear winner.")
    keep_within: float = Field(0.08, ge=0.0, le=2.0, description=(
        "Further citations must score within this of the best one. Hand-set (c469d52)."))
    lex_weight: float = Field(0.8, ge=0.0, le=5.0, description=(
        "Weight of the key-word share in a sentence's score (score = cosine + lex_weight * share + ...). "
        "Hand-set (c469d52), re-chosen on a grid over questions.jsonl (4c5dda4)."))
    name_weight: float = Field(0.1, ge=0.0, le=2.0, description=(
        "Score added per unit of the share of the question's names the sentence (or its neighbour) mentions. "
        "Hand-set (d56df69)."))
    headline_penalty: float = Field(0.2, ge=0.0, le=2.0, description=(
        "Subtracted from a headline's score: a headline restates the story, a body sentence says more. "
        "Hand-set (d56df69)."))
    speaker_bonus: float = Field(0.2, ge=0.0, le=2.0, description=(
        "Added for \"what did X say\" to a sentence reporting X's words. Hand-set (abd8a23)."))
    n_neighbours: int = Field(12, ge=0, le=200, description=(
        "Best-scoring candidates whose neighbouring sentences are read to see whether they name the question's "
        "subject (\"the company said\"). Hand-set (d56df69)."))
    context_dense: float = Field(0.3, ge=-1.0, le=1.0, description=(
        "When abstaining, the nearest sentences are shown for context only if at least this close; an "
        "off-topic question gets none. Hand-set (ce3fdea)."))
    context_weight: float = Field(0.35, ge=0.0, le=1.0, description=(
        "Share of a follow-up's dense score that comes from the earlier question's context vector (the rest "
        "from the follow-up itself). Hand-set (d56df69)."))
    paraphrase_credit: float = Field(0.8, ge=0.0, le=1.0, description=(
        "Share of a key word's weight earned through a common paraphrase (question.py's word groups) rather "
        "than the word itself. Hand-set (6f3231b)."))
    paraphrases: tuple[str, ...] = Field(PARAPHRASE_GROUPS, description=(
        "Groups of words (space-separated, one group per string) treated as paraphrases of each other in "
        "the key-word match. Hand-written (6f3231b, de01f80); see PARAPHRASE_GROUPS."))


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


class ComposerTuning(BaseModel):
    """What the optional LLM composer is shown."""

    model_config = ConfigDict(frozen=True)

    max_sources: int = Field(8, ge=1, le=50, description=(
        "Candidate sentences offered to the LLM (plus what corrected them). Hand-set (e4ec474)."))
    widen_by: float = Field(0.10, ge=0.0, le=2.0, description=(
        "Candidates scoring up to this much below the weakest extractive citation are offered too. "
        "Hand-set (e4ec474)."))
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
    selection: SelectionTuning = Field(default_factory=SelectionTuning)
    composer: ComposerTuning = Field(default_factory=ComposerTuning)


__all__ = ["PARAPHRASE_GROUPS", "ComposerTuning", "FollowUpTuning", "LaterTuning", "RetrievalTuning", "SelectionTuning", "Tuning"]
