"""Optional LLM confirmation of detected correction links at ingest (`FACTDESK_LLM_JUDGE=1`).

The offline detector (ingest/corrections.py) stays the default and the only source of links: the
LLM may only confirm or reject each (claim, correcting sentence) pair it proposes, never add one,
and declared links are never judged. A pair's verdict is cached on disk — keyed by the model and
both sentences' text — so re-indexing does not pay for the same question twice. When the LLM fails
or answers nonsense the detector's link stands: an outage must not silently unflag a claim.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import secrets
import threading
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from ingest.records import CorrectionLink, SourceRecord, StoredSentence
from ingest.settings import Settings
from prompts import load_prompt

from .llm import LLMError, call, make_chat_model

log = logging.getLogger(__name__)


class CorrectionJudge:
    def __init__(self, settings: Settings, model: BaseChatModel | None = None, cache_path: Path | None = None) -> None:
        self.settings = settings
        self.model = model if model is not None else make_chat_model(settings)
        self.prompt = load_prompt("judge")
        self.cache_path = cache_path or Path(settings.data_dir) / "llm_judge_cache.json"
        self._lock = threading.Lock()
        self.calls = 0  # LLM requests made (cache misses), for tests and logs
        try:
            self.cache: dict[str, str] = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.cache = {}

    def _key(self, claim: str, later: str, status: str) -> str:
        raw = "\x1f".join((self.settings.llm, status, claim, later))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def verdict(self, claim: StoredSentence, later: StoredSentence, status: str) -> bool | None:
        """True (confirmed), False (rejected) or None (no usable verdict: keep the link)."""
        key = self._key(claim.text, later.text, status)
        if key in self.cache:
            return self.cache[key] == "yes"
        nonce = secrets.token_hex(4)
        msgs = self.prompt.format_messages(claim=claim.text, claim_published=claim.published,
                                           later=later.text, later_published=later.published,
                                           status=status, nonce=nonce)
        self.calls += 1
        try:
            out = call(self.model, msgs, self.settings.llm_timeout)
        except LLMError as e:
            log.warning("LLM judge unavailable (%s); keeping the detected link", e)
            return None
        m = re.search(r"\{.*\}", out, re.S)
        try:
            v = str(json.loads(m.group(0))["verdict"]).strip().lower() if m else ""
        except (ValueError, KeyError, TypeError):
            v = ""
        if v not in ("yes", "no"):
            log.warning("LLM judge gave no verdict (%r); keeping the detected link", out[:80])
            return None
        with self._lock:
            self.cache[key] = v
        return v == "yes"

    def save(self) -> None:
        with self._lock:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.cache, sort_keys=True), encoding="utf-8")
            tmp.replace(self.cache_path)

    def review(self, links: list[CorrectionLink], sentences: dict[str, StoredSentence],
               records: dict[str, SourceRecord]) -> list[CorrectionLink]:
        """The links with each detected link's unconfirmed `by` sentences removed; a detected link
        with no confirmed sentence left is dropped. Declared links pass untouched."""
        out = []
        for lk in links:
            if lk.origin != "detected" or lk.claim not in sentences:
                out.append(lk)
                continue
            claim = _with_date(sentences[lk.claim], records)
            keep = []
            for b in lk.by:
                if b not in sentences:
                    keep.append(b)
                    continue
                ok = self.verdict(claim, _with_date(sentences[b], records), lk.status)
                if ok is not False:
                    keep.append(b)
            if keep:
                out.append(dataclasses.replace(lk, by=keep))  # keeps every field (family included)
            else:
                log.info("LLM judge rejected the detected link on %s", lk.claim)
        self.save()
        return out


def _with_date(row: StoredSentence, records: dict[str, SourceRecord]) -> StoredSentence:
    """The sentence dated by its source's current record (the date the sentence was written with
    when the record is gone)."""
    rec = records.get(row.source)
    return dataclasses.replace(row, published=rec.published) if rec else row


_judges: dict[tuple[str, str, str], CorrectionJudge] = {}


def judge_links(store: Any, links: list[CorrectionLink], records: dict[str, SourceRecord],
                warnings: list[str]) -> list[CorrectionLink]:
    """The ingest hook: review newly detected links when FACTDESK_LLM_JUDGE is on (and an LLM is
    set); otherwise, or when the LLM cannot be set up, the links unchanged."""
    s: Settings = store.settings
    if not (s.llm_judge_corrections and s.llm) or not any(lk.origin == "detected" for lk in links):
        return links
    key = (s.llm, s.llm_base_url, str(s.data_dir))
    try:
        judge = _judges.get(key) or _judges.setdefault(key, CorrectionJudge(s))
    except LLMError as e:
        warnings.append(f"LLM correction judge off: {e}")
        return links
    ids = {lk.claim for lk in links} | {b for lk in links for b in lk.by}
    return judge.review(links, store.get_sentences(sorted(ids)), records)


__all__ = ["CorrectionJudge", "judge_links"]
