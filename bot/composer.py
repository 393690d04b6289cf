"""The optional LLM composer: fluent answers held to the extractive answer's rules.

The engine retrieves and scores exactly as without an LLM, builds its extractive Answer, and
hands both to `compose` (the one hook in `Engine._ask`). The LLM then sees the retrieved
sentences numbered, with dates and correction flags, and must cite `[n]`. Its draft is never
trusted:

- a citation number that was not given is removed, and counted;
- a statement with no (remaining) citation is dropped, and so is one whose “quotation” is not
  word for word in the sentences it cites;
- a cited claim that a later statement corrected or superseded, cited without what corrected it,
  gets the correction notice — quoting the correcting sentences — put in front of the answer;
- citations are the engine's own verified Citation objects (exact text and offsets), renumbered.

When the LLM fails, times out, or leaves nothing usable, the extractive answer is returned and
the reason logged. Source text is data: it goes to the model inside per-request random tags the
text cannot forge, the prompt says never to follow it, and the checks above throw away anything
the model writes that no source sentence backs — so an obeyed "ignore previous instructions"
cannot reach the user, while the sentence itself can still be quoted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel

from ingest.settings import Settings
from prompts import load_prompt

from .answer import Answer, Citation
from .conversation import Conversation
from .llm import LLMError, call, make_chat_model

log = logging.getLogger(__name__)

MAX_SOURCES = 8  # candidates offered to the LLM (plus what corrected them)
WIDEN_BY = 0.10  # score below the weakest extractive pick still offered to the LLM
HISTORY_TURNS = 3
NOT_ANSWERED = "NOT_IN_SOURCES"

_on_token: ContextVar[Callable[[str], None] | None] = ContextVar("factdesk_on_token", default=None)
_capture: ContextVar[dict[str, Any] | None] = ContextVar("factdesk_capture", default=None)


@contextlib.contextmanager
def streaming(on_token: Callable[[str], None]) -> Iterator[None]:
    """Within this block, LLM answers stream their draft to `on_token` (the chat shows it live,
    then prints the verified answer). A context variable, so `Engine.ask` keeps its signature."""
    tok = _on_token.set(on_token)
    try:
        yield
    finally:
        _on_token.reset(tok)


# -- verification -------------------------------------------------------------------------------
_MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_QUOTE = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
_ABBREV = {"ltd", "corp", "inc", "co", "u.s", "u.k", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "e.g", "i.e"}
_END = re.compile(r"[.!?…][\"”’')]*((?:\s*\[[^\]\n]{1,24}\])*)(?=\s+[A-Z“\"‘'(\[]|\s*$)")


@dataclass
class Verification:
    """What the checks did to one draft — logged, and asserted by the tests."""

    invented: int = 0  # citation numbers that were not given (removed)
    uncited: int = 0  # statements with no valid citation (dropped)
    misquoted: int = 0  # statements quoting words their cited sentences do not contain (dropped)
    notices: int = 0  # correction notices added for flagged claims cited without their correction
    kept: int = 0  # statements kept
    reason: str = ""  # why the draft was unusable, when it was

    def summary(self) -> str:
        return (f"kept {self.kept} statement(s); removed {self.invented} invented citation(s); dropped "
                f"{self.uncited} uncited and {self.misquoted} misquoting statement(s); added {self.notices} correction notice(s)")


def split_statements(text: str) -> list[str]:
    """Sentences of the draft, each keeping the markers that follow its full stop. Markers that
    start a line ("… app. [2]") belong to the statement before them."""
    out: list[str] = []
    for para in text.splitlines():
        para = para.strip().lstrip("-*• ").strip()
        if not para:
            continue
        pos = 0
        for m in _END.finditer(para):
            before = para[pos:m.start()].rsplit(None, 1)[-1].lower() if para[pos:m.start()].strip() else ""
            if before.strip("(“\"") in _ABBREV and not m.group(1):
                continue
            out.append(para[pos:m.end()].strip())
            pos = m.end()
        if para[pos:].strip():
            out.append(para[pos:].strip())
    merged: list[str] = []
    for s in out:
        if merged and not _MARKER.sub("", s).strip(" .;,"):
            merged[-1] = f"{merged[-1]} {s}"
        else:
            merged.append(s)
    return merged


def _norm(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def verify(draft: str, given: dict[int, Citation]) -> tuple[list[str], Verification]:
    """Statements that survive the checks, with markers reduced to valid given numbers (`[n]`)."""
    v = Verification()
    kept: list[str] = []
    for stmt in split_statements(draft):
        valid: list[int] = []

        def fix(m: re.Match[str]) -> str:
            nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
            good = [n for n in nums if n in given]
            v.invented += len(nums) - len(good)
            valid.extend(good)
            return "".join(f"[{n}]" for n in good)

        body = _MARKER.sub(fix, stmt)
        body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", body)).strip()
        if not valid:
            v.uncited += 1
            continue
        cited = " ".join(_norm(given[n].text) for n in valid)
        if any(_norm(q) not in cited for q in _QUOTE.findall(_MARKER.sub("", stmt))):
            v.misquoted += 1
            continue
        kept.append(body)
    v.kept = len(kept)
    return kept, v


def _key(c: Citation | dict[str, Any]) -> tuple[str, Any]:
    return (c["source"], c["sentence"]) if isinstance(c, dict) else (c.source, c.sentence)


def _by_citation(b: dict[str, Any], flagged: Citation) -> Citation:
    """A correcting sentence as a Citation, from the flagged citation's correction record (used
    only when it was not among the numbered sentences)."""
    return Citation(n=0, source=b["source"], title=b.get("title", ""), published=b.get("published", ""), url="",
                    sentence=b.get("sentence"), start=b.get("start"), end=b.get("end"), text=b["text"], score=0.0)


def assemble(question: str, statements: list[str], given: dict[int, Citation], v: Verification,
             standalone: str) -> Answer:
    """The final Answer: correction notices first where needed, citations renumbered in order of
    first use, each citation the engine's verified record."""
    used = list(dict.fromkeys(int(n) for s in statements for n in re.findall(r"\[(\d+)\]", s)))
    by_key = {_key(c): n for n, c in given.items()}
    pool = dict(given)
    notices: list[str] = []
    for n in used:
        corr = given[n].correction
        if not corr:
            continue
        fixers = [by_key.get(_key(b)) for b in corr.get("by", [])]
        if any(f in used for f in fixers if f is not None):
            continue
        refs = []
        for b, f in zip(corr.get("by", []), fixers):
            if f is None:
                f = max(pool) + 1
                pool[f] = _by_citation(b, given[n])
            refs.append(f"“{pool[f].text}” [{f}]")
        what = "was later withdrawn or corrected" if corr.get("status") == "corrected" else "was later overtaken by events"
        notice = f"Note: the claim in [{n}] {what} ({corr.get('note', '')})."
        if refs:
            notice += " " + " ".join(refs)
        notices.append(notice)
        v.notices += 1
    text = "\n".join(notices + [" ".join(statements)])
    order = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", text)))
    renum = {old: new for new, old in enumerate(order, 1)}
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{renum[int(m.group(1))]}]", text)
    cits = [dataclasses.replace(pool[old], n=renum[old]) for old in order]
    return Answer(question=question, answered=True, answer=text, citations=cits, composer="llm", standalone=standalone)


# -- prompting ----------------------------------------------------------------------------------
def format_sources(given: dict[int, Citation], nonce: str) -> str:
    """The numbered sentences as data blocks. Attribute values are escaped, and the tag carries a
    random part, so no source text can close its block and speak as the prompt."""
    by_key = {_key(c): n for n, c in given.items()}
    lines = []
    for n, c in given.items():
        attrs = [f'n="{n}"', f'published="{html.escape(c.published or "undated")}"',
                 f'source="{html.escape(c.title or c.source)}"']
        if c.correction:
            fixers = [by_key.get(_key(b)) for b in c.correction.get("by", [])]
            nums = ",".join(str(f) for f in fixers if f is not None) or "none given"
            attrs.append(f'flag="{c.correction.get("status", "corrected").upper()} by [{nums}]: '
                         f'{html.escape(c.correction.get("note", ""))}"')
        lines.append(f"<data-{nonce} {' '.join(attrs)}>{c.text}</data-{nonce}>")
    return "\n".join(lines)


class LLMComposer:
    """Holds the chat model and the prompts; thread-safe (the Slack app shares one engine)."""

    def __init__(self, settings: Settings, model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.model = model if model is not None else make_chat_model(settings)
        self.timeout = settings.llm_timeout
        self.answer_prompt = load_prompt("answer")
        self.condense_prompt = load_prompt("condense")
        self._local = threading.local()

    @property
    def last(self) -> Verification | None:
        """The verification of this thread's latest draft (None if the LLM was not reached)."""
        return getattr(self._local, "last", None)

    def condense(self, question: str, conversation: Conversation) -> str | None:
        """The follow-up as a standalone question, or None when the LLM gives nothing usable."""
        turns = conversation.turns[-HISTORY_TURNS:]
        history = "\n".join(
            f"User: {t.question}\nAnswer: {(t.answer.answer if t.answer else '')[:400]}" for t in turns)
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

    def write(self, question: str, given: dict[int, Citation], standalone: str,
              on_token: Callable[[str], None] | None = None) -> Answer | None:
        """The LLM's verified answer, or None (with the reason logged) when it is unusable."""
        self._local.last = None
        nonce = secrets.token_hex(4)
        msgs = self.answer_prompt.format_messages(question=standalone or question,
                                                  sources=format_sources(given, nonce), nonce=nonce)
        try:
            draft = call(self.model, msgs, self.timeout, on_token)
        except LLMError as e:
            self._local.last = Verification(reason=str(e))
            log.warning("LLM answer failed (%s); falling back to the extractive answer", e)
            return None
        draft = draft.strip()
        if draft.strip(" .") == NOT_ANSWERED:
            self._local.last = Verification(reason="the LLM found no answer in the sources")
            return Answer(question=question, answered=False, composer="llm", standalone=standalone,
                          answer="The sources don't say. Nothing in them answers this question; "
                                 "the closest sentences are listed for context only.",
                          citations=[dataclasses.replace(c, n=i) for i, c in enumerate(list(given.values())[:2], 1)])
        statements, v = verify(draft, given)
        self._local.last = v
        if not draft:
            v.reason = "the LLM returned nothing"
        elif not statements:
            v.reason = "no statement in the LLM's reply cites a given sentence"
        if v.reason:
            log.warning("LLM answer unusable (%s: %r); falling back to the extractive answer", v.reason, draft[:120])
            return None
        ans = assemble(question, statements, given, v, standalone)
        if v.invented or v.uncited or v.misquoted or v.notices:
            log.info("LLM answer checked: %s", v.summary())
        return ans


# -- the engine hook ----------------------------------------------------------------------------
_build_lock = threading.Lock()


def composer_for(engine: Any) -> LLMComposer | None:
    """The engine's composer: one set on it (tests, embedding apps), else one built from its
    settings once. A configuration error is logged once and leaves the engine extractive."""
    comp = getattr(engine, "composer", None)
    if comp is not None or getattr(engine, "_composer_failed", False):
        return comp
    with _build_lock:
        comp = getattr(engine, "composer", None)
        if comp is None and not getattr(engine, "_composer_failed", False):
            try:
                comp = LLMComposer(engine.settings)
                engine.composer = comp
            except LLMError as e:
                log.warning("%s; answers stay extractive", e)
                engine._composer_failed = True
    return comp


def _sources_for(engine: Any, q: str, scored: list[Any], answer: Answer) -> dict[int, Citation]:
    """The numbered sentences offered to the LLM: the extractive answer's picks plus the next
    candidates scoring close to them (at most MAX_SOURCES), composed by the engine so each carries
    verified offsets, its correction flag and the correcting sentences. Only `Candidate.score` and
    `Engine._compose` are relied on; if either changes shape, the extractive answer's citations
    (always valid) are offered instead."""
    cits = answer.citations
    try:
        floor = min(c.score for c in answer.citations if c.score > 0) - WIDEN_BY
        picks = [c for c in scored if float(c.score) >= floor][:MAX_SOURCES]
        wide = engine.compose_answer(q, picks, True, engine.store(), standalone=answer.standalone)
        if {_key(c) for c in answer.citations} <= {_key(c) for c in wide.citations}:
            cits = wide.citations
    except Exception as e:  # noqa: BLE001 - the extractive citations are always a valid offer
        log.info("offering only the extractive citations to the LLM (%s: %s)", type(e).__name__, e)
    return {i: dataclasses.replace(c, n=i) for i, c in enumerate((c for c in cits if c.field is None), 1)}


def compose(engine: Any, q: str, scored: list[Any], answer: Answer, conversation: Conversation | None) -> Answer:
    """Called by `Engine._ask` after the extractive answer is built. Returns the LLM's verified
    answer, or the extractive one when there is no usable LLM answer."""
    cap = _capture.get()
    if cap is not None:  # a nested retrieval for a condensed follow-up: hand back the materials
        cap["scored"], cap["answer"] = scored, answer
        return answer
    comp = composer_for(engine)
    if comp is None:
        return answer
    if conversation is not None and conversation.turns:
        standalone = comp.condense(q, conversation)
        if standalone and _same(standalone, q) and answer.standalone != q:
            standalone = q  # the LLM says it stands alone: retrieve without the extractive context
        if standalone and not _same(standalone, answer.standalone):
            got: dict[str, Any] = {}
            tok = _capture.set(got)
            try:
                rerun = engine._ask(standalone, None)
            finally:
                _capture.reset(tok)
            if "answer" not in got:  # answered without the hook (e.g. a byline question)
                return dataclasses.replace(rerun, question=q, standalone=standalone)
            scored, answer = got["scored"], dataclasses.replace(got["answer"], question=q, standalone=standalone)
    if not answer.answered:
        return answer  # the engine's calibrated abstention stands; the LLM is not asked to pad it
    given = _sources_for(engine, answer.standalone or q, scored, answer)
    if not given:
        return answer
    out = comp.write(q, given, answer.standalone or q, _on_token.get())
    return out if out is not None else answer


def _same(a: str, b: str) -> bool:
    return _norm(a).rstrip("?. ") == _norm(b).rstrip("?. ")


__all__ = ["LLMComposer", "Verification", "assemble", "compose", "composer_for", "format_sources",
           "split_statements", "streaming", "verify"]
