"""The optional LLM composer: fluent answers held to the extractive answer's rules.

A `Composer` strategy (bot/compose.py). The engine retrieves, selects and cites exactly as without
an LLM and hands the result over in a `ComposeRequest`. The LLM then sees the retrieved sentences
numbered, with dates and correction flags, and must cite `[n]`. Its draft is never trusted
(bot/support.py):

- a citation number that was not given is removed, and counted;
- a statement with no (remaining) citation is dropped, and so is one whose “quotation” is not
  word for word in the sentences it cites;
- a cited claim that a later statement corrected or superseded, cited without what corrected it,
  gets the correction notice (bot/notices.py) — quoting the correcting sentences — put first;
- citations are the cite stage's own verified Citation objects (exact text and offsets), renumbered.

When the LLM fails, times out, or leaves nothing usable, the extractive answer is returned and the
reason logged. Source text is data: it goes to the model inside per-request random tags the text
cannot forge, the prompt says never to follow it, and the checks above throw away anything the
model writes that no source sentence backs — so an obeyed "ignore previous instructions" cannot
reach the user, while the sentence itself can still be quoted.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re
import secrets
import threading

from langchain_core.language_models import BaseChatModel

from ingest.settings import Settings
from prompts import load_prompt

from . import notices
from .answer import Answer, Citation, DraftChecks, QuotedSentence
from .compose import ComposeRequest, ExtractiveComposer, OnToken
from .conversation import Conversation
from .llm import LLMError, call, make_chat_model
from .select import CONTEXT_SHOWN
from .support import normalise, verify

log = logging.getLogger(__name__)

NOT_ANSWERED = "NOT_IN_SOURCES"  # what the answer prompt tells the model to reply when the sources don't say


def _quoted_citation(b: QuotedSentence) -> Citation:
    """A correcting sentence as a Citation (used only when it was not among the numbered ones)."""
    return Citation(n=0, source=b.source, title=b.title, published=b.published, url="", sentence=b.sentence,
                    start=b.start, end=b.end, text=b.text, score=0.0)


def assemble(question: str, statements: list[str], given: dict[int, Citation], v: DraftChecks,
             standalone: str) -> Answer:
    """The final Answer: correction notices first where needed, citations renumbered in order of
    first use, each citation the cite stage's verified record."""
    used = list(dict.fromkeys(int(n) for s in statements for n in re.findall(r"\[(\d+)\]", s)))
    by_key = {c.key: n for n, c in given.items()}
    pool = dict(given)
    lead: list[str] = []
    for n in used:
        corr = given[n].correction
        if not corr:
            continue
        fixers = [by_key.get((b.source, b.sentence)) for b in corr.by]
        if any(f in used for f in fixers if f is not None):
            continue
        refs = []
        for b, f in zip(corr.by, fixers):
            if f is None:
                f = max(pool) + 1
                pool[f] = _quoted_citation(b)
            refs.append(f)
        lead.append(notices.correction_notice(n, corr, refs, quotes={f: pool[f].text for f in refs}))
        v.notices += 1
    text = "\n".join(lead + [" ".join(statements)])
    order = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", text)))
    renum = {old: new for new, old in enumerate(order, 1)}
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{renum[int(m.group(1))]}]", text)
    cits = [dataclasses.replace(pool[old], n=renum[old]) for old in order]
    return Answer(question=question, answered=True, answer=text, citations=cits, composer="llm", standalone=standalone,
                  checks=v)


def format_sources(given: dict[int, Citation], nonce: str) -> str:
    """The numbered sentences as data blocks. Attribute values are escaped, and the tag carries a
    random part, so no source text can close its block and speak as the prompt."""
    by_key = {c.key: n for n, c in given.items()}
    lines = []
    for n, c in given.items():
        attrs = [f'n="{n}"', f'published="{html.escape(c.published or "undated")}"',
                 f'source="{html.escape(c.title or c.source)}"']
        if c.correction:
            fixers = [by_key.get((b.source, b.sentence)) for b in c.correction.by]
            nums = ",".join(str(f) for f in fixers if f is not None) or "none given"
            attrs.append(f'flag="{c.correction.status.upper()} by [{nums}]: {html.escape(c.correction.note)}"')
        lines.append(f"<data-{nonce} {' '.join(attrs)}>{c.text}</data-{nonce}>")
    return "\n".join(lines)


def _same(a: str, b: str) -> bool:
    return normalise(a).rstrip("?. ") == normalise(b).rstrip("?. ")


class LLMComposer:
    """Holds the chat model and the prompts; thread-safe (the Slack app shares one engine)."""

    name = "llm"

    def __init__(self, settings: Settings, model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.tuning = settings.tuning.composer
        self.model = model if model is not None else make_chat_model(settings)
        self.timeout = settings.llm_timeout
        self.answer_prompt = load_prompt("answer")
        self.condense_prompt = load_prompt("condense")
        self.fallback = ExtractiveComposer()
        self._local = threading.local()

    @property
    def last(self) -> DraftChecks | None:
        """The verification of this thread's latest draft (None if the LLM was not reached)."""
        return getattr(self._local, "last", None)

    def restate(self, question: str, conversation: Conversation, standalone: str) -> str | None:
        """The follow-up as the LLM restates it, when that differs from what the engine would search
        for (`standalone`); the question itself when the LLM says it stands alone."""
        if not conversation.turns:
            return None
        out = self.condense(question, conversation)
        if out and _same(out, question):
            out = question  # it stands alone: search without the earlier question's context
        return out if out and not _same(out, standalone) else None

    def condense(self, question: str, conversation: Conversation) -> str | None:
        """The follow-up as a standalone question, or None when the LLM gives nothing usable."""
        turns = conversation.turns[-self.tuning.history_turns:] if self.tuning.history_turns else []
        history = "\n".join(
            f"User: {t.question}\nAnswer: {(t.answer.answer if t.answer else '')[:self.tuning.history_chars]}" for t in turns)
        msgs = self.condense_prompt.format_messages(history=history, question=question)
        try:
            out = call(self.model, msgs, self.timeout)
        except LLMError as e:
            log.warning("LLM could not condense the follow-up (%s); using the extractive follow-up method", e)
            return None
        line = next((ln.strip() for ln in out.splitlines() if ln.strip()), "")
        line = re.sub(r"^(standalone question|question)\s*:\s*", "", line, flags=re.I).strip().strip('"“”')
        if not re.search(r"\w", line) or len(line) > self.settings.max_question_chars:
            log.warning("LLM condensed the follow-up into nothing usable (%r); using the extractive method", out[:80])
            return None
        return line

    def compose(self, request: ComposeRequest, on_token: OnToken | None = None) -> Answer:
        """The LLM's verified answer, or the extractive one when there is no usable LLM answer. The
        engine's calibrated abstention stands: the LLM is not asked to pad it."""
        extractive = self.fallback.compose(request)
        if not extractive.answered:
            return extractive
        given = self.offer(request, extractive)
        if not given:
            return extractive
        out = self.write(request.question, given, request.standalone, on_token)
        if out is not None:
            return out
        # The extractive answer stands; its JSON says what was wrong with the draft.
        return dataclasses.replace(extractive, checks=self.last) if self.last is not None else extractive

    def offer(self, request: ComposeRequest, extractive: Answer) -> dict[int, Citation]:
        """The numbered sentences offered to the LLM: the extractive citations plus every
        candidate whose fitted probability reaches the further-citation threshold — which
        sentences is the fitted file's decision; `max_sources` only bounds the prompt's size (a
        guard like Slack's message limits, not a choice of what answers) — cited by the cite stage
        so each carries verified offsets, its correction flag and the correcting sentences."""
        cits = extractive.citations
        positive = [c.score for c in cits if c.score > 0]
        if positive:
            floor = min(min(positive), request.selection.cite_threshold)
            sel = request.selection
            pool = sel.ranked if sel.eligible is None else sel.eligible  # rule 7 holds for the LLM too
            picks = [c for c in pool if float(c.score) >= floor][: self.tuning.max_sources]
            wide = request.cite(picks)
            if {c.key for c in cits} <= {c.key for c in wide}:
                cits = wide
        return {i: dataclasses.replace(c, n=i) for i, c in enumerate((c for c in cits if c.field is None), 1)}

    def write(self, question: str, given: dict[int, Citation], standalone: str,
              on_token: OnToken | None = None) -> Answer | None:
        """The LLM's verified answer, or None (with the reason logged) when it is unusable."""
        self._local.last = None
        nonce = secrets.token_hex(4)
        msgs = self.answer_prompt.format_messages(question=standalone or question,
                                                  sources=format_sources(given, nonce), nonce=nonce)
        try:
            draft = call(self.model, msgs, self.timeout, on_token)
        except LLMError as e:
            self._local.last = DraftChecks(reason=str(e))
            log.warning("LLM answer failed (%s); falling back to the extractive answer", e)
            return None
        draft = draft.strip()
        if draft.strip(" .") == NOT_ANSWERED:
            self._local.last = DraftChecks(reason="the LLM found no answer in the sources")
            context = [dataclasses.replace(c, n=i) for i, c in enumerate(list(given.values())[:CONTEXT_SHOWN], 1)]
            return Answer(question=question, answered=False, composer="llm", standalone=standalone,
                          answer=notices.abstention(with_context=True), citations=context, checks=self.last)
        statements, v = verify(draft, given, standalone or question, composer=self.tuning)
        self._local.last = v
        if not draft:
            v.reason = "the LLM returned nothing"
        elif not statements:
            v.reason = ("no statement in the LLM's reply is supported by the sentences it cites"
                        if v.unsupported or v.misquoted else "no statement in the LLM's reply cites a given sentence")
        if v.reason:
            log.warning("LLM answer unusable (%s: %r); falling back to the extractive answer", v.reason, draft[:120])
            return None
        ans = assemble(question, statements, given, v, standalone)
        if v.invented or v.uncited or v.misquoted or v.unsupported or v.urls_removed or v.notices:
            log.info("LLM answer checked: %s", v.summary())
        return ans


__all__ = ["LLMComposer", "assemble", "format_sources"]
