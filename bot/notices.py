"""Every sentence factdesk says to a user about its sources rather than from them: correction
notices, flag labels, "the sources don't say", source lines and dates.

Why one module: the promise that a corrected claim is never shown without its correction is kept
in words, and those words were once written four times (engine, LLM composer, terminal, Slack) and
drifted apart. Composers, the terminal renderer and the Slack blocks all take them from here;
adapters only add their own markup (escaping, bold, colour) around them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ingest.dates import human

from .answer import Correction

ABSTAIN = "The sources don't say. Nothing in them answers this question"
CONTEXT_ONLY = "(nearest sentence, for context: it does not answer the question)"


def abstention(with_context: bool) -> str:
    """The answer when nothing in the sources answers; nearby sentences may follow for context."""
    return ABSTAIN + ("; the closest sentences are listed for context only." if with_context else ".")


def date_text(published: str) -> str:
    """"2019-06" → "June 2019"; no date → "undated"."""
    return human(published) if published else "undated"


def flag_label(status: str) -> str:
    """The one-word flag shown on a cited sentence (⚠ CORRECTED / ⚠ SUPERSEDED)."""
    return "CORRECTED" if status == "corrected" else "SUPERSEDED"


def source_line(title: str, publisher: str, published: str) -> str:
    """“Title” — Publisher, June 2019 (plain text: adapters escape it for their medium)."""
    head = f"“{title}”" if title else "untitled source"
    meta = ", ".join(x for x in (publisher, date_text(published)) if x)
    return f"{head} — {meta}" if meta else head


def according_to(sources: Sequence[tuple[str, str, str]]) -> str:
    """The lead of an extractive answer with no flagged claim: which source(s) it quotes, given as
    distinct (title, publisher, published) triples."""
    if len(sources) != 1:
        return f"According to {len(sources)} sources:"
    return f"According to {source_inline(*sources[0])}:"


def source_inline(title: str, publisher: str, published: str) -> str:
    """“Title” (Publisher, June 2019): a source named inside a sentence."""
    meta = ", ".join(x for x in (publisher, human(published) if published else "") if x)
    return f"“{title}”" + (f" ({meta})" if meta else "")


def correction_notice(n: int, corr: Correction, refs: Sequence[int], quotes: Mapping[int, str] | None = None) -> str:
    """The note put before an answer quoting a corrected or superseded claim `[n]`. `refs` are the
    numbers of the correcting sentences in the same answer; with `quotes` (number → text) their
    words are quoted inside the note, for answers whose prose does not quote them."""
    if corr.status == "superseded":
        by = corr.by[0] if corr.by else None
        when = f" ({by.title or by.source}, {human(by.published)})" if by else ""
        head, verb = f"Note: the statement in [{n}] was later overtaken by events{when}.", "overtook"
    else:
        head = f"Note: the claim in [{n}] was later {'withdrawn' if corr.withdrawn else 'corrected'} ({corr.note})."
        verb = "corrected"
    if not refs:
        return head
    if quotes:
        return f"{head} What {verb} it: " + " ".join(f"“{quotes[r]}” [{r}]" for r in refs) + "."
    return f"{head} What {verb} it is quoted first: " + " ".join(f"[{r}]" for r in refs) + "."


def ref_list(ns: list[int]) -> str:
    """How an answer refers to its own citations: [1]–[3] for a run of three or more, else [1], [4]."""
    runs: list[list[int]] = []
    for n in sorted(dict.fromkeys(ns)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"[{r[0]}]–[{r[-1]}]" if len(r) > 2 else ", ".join(f"[{n}]" for n in r) for r in runs)


def same_source(n: int) -> str:
    """A later citation of a source already named in the answer refers back to it."""
    return f"same source as [{n}]"


def corrected_above(status: str, refs: Sequence[int]) -> str:
    """On a flagged claim whose correcting sentences are quoted in the same answer."""
    return f"{flag_label(status).lower()} by {ref_list(list(refs))} above"


LATER = "Later coverage"  # a later statement on the same point, no confirmed correction link


def later_prefix(published: str, who: str) -> str:
    """Before a later statement quoted in an answer: "Later (8 October 2019, Reuters): "."""
    return f"Later ({', '.join(x for x in (date_text(published), who) if x)}): "


# Before an answer to a question whose name was typed with one slip and read as the sources write it.
READ_AS = "Read as:"
CLOSEST = "Closest passages (not an answer)"  # the context under a "don't know"

# What a check's verdict on one statement means to a reader (`factdesk check`, the Slack shortcut).
VERDICTS: dict[str, str] = {
    "found": "The sources say this on that point:",
    "corrected": "⚠ The sources on this point include a claim later corrected or superseded:",
    "later": "Later coverage exists on this point:",
    "not_found": "Not in the sources: nothing in them speaks to this.",
}
NOTHING_TO_CHECK = ("Nothing to check: no sentence states something "
                    "(questions, greetings and fragments under four words are skipped).")


__all__ = ["ABSTAIN", "CONTEXT_ONLY", "abstention", "according_to", "correction_notice", "date_text", "flag_label",
           "source_line",
           "ref_list", "same_source", "corrected_above", "LATER", "later_prefix", "CLOSEST", "VERDICTS", "NOTHING_TO_CHECK"]
