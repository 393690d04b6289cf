"""Choosing and calling the optional LLM, through LangChain.

`FACTDESK_LLM=provider:model` goes to LangChain's `init_chat_model` (`openai:gpt-4o-mini`,
`anthropic:claude-…`, `ollama:llama3.1`); with `FACTDESK_LLM_BASE_URL` the same setting reaches any
OpenAI-compatible server (vLLM, llama.cpp, LM Studio, Ollama's /v1). Provider packages are optional
extras, so a missing one is reported as "install factdesk[llm]" rather than a traceback.

Every call runs under a hard deadline (`FACTDESK_LLM_TIMEOUT`), enforced here and not only by the
provider client: a provider whose client has no timeout, or a server that trickles a stream
forever, must not hang a chat or a Slack thread — the caller falls back to the extractive answer.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from ingest.settings import Settings

log = logging.getLogger(__name__)

_EXTRAS = {"openai": "llm", "anthropic": "anthropic", "ollama": "ollama"}
# Providers whose LangChain class takes `timeout` and `max_retries` directly.
_TIMEOUT_KW = {"openai", "azure_openai", "anthropic", "mistralai", "groq", "deepseek", "xai"}


class LLMError(RuntimeError):
    """The LLM could not be used for this request (misconfigured, failed, timed out); the message
    says why, so the fallback can be logged with a reason."""


class LLMTimeout(LLMError):
    pass


def parse_spec(spec: str, base_url: str = "") -> tuple[str, str]:
    """`provider:model` → (provider, model). With a base URL and no provider, the server is taken to
    speak the OpenAI protocol — that is what every local server offers."""
    spec = spec.strip()
    provider, sep, model = spec.partition(":")
    if not sep:
        if base_url:
            return "openai", spec
        raise LLMError(f"FACTDESK_LLM={spec!r}: write it as provider:model, e.g. openai:gpt-4o-mini or ollama:llama3.1")
    if not provider or not model:
        raise LLMError(f"FACTDESK_LLM={spec!r}: both provider and model are needed (provider:model)")
    return provider.strip().lower(), model.strip()


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The configured chat model. Raises LLMError when it cannot be built."""
    provider, model = parse_spec(settings.llm, settings.llm_base_url)
    kwargs: dict[str, Any] = {}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
        if provider == "openai":
            # Local servers rarely check keys, but the OpenAI client refuses to start without one.
            kwargs["api_key"] = settings.llm_api_key or "not-needed"
    elif settings.llm_api_key:
        kwargs["api_key"] = settings.llm_api_key
    if provider in _TIMEOUT_KW:
        kwargs["timeout"] = settings.llm_timeout
        kwargs["max_retries"] = 0  # a retry would silently double the user's wait; we fall back instead
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as e:
        raise LLMError(f"FACTDESK_LLM is set but LangChain is not installed: pip install 'factdesk[llm]' ({e})") from None
    try:
        return init_chat_model(model, model_provider=provider, temperature=0, **kwargs)
    except ImportError as e:
        extra = _EXTRAS.get(provider, provider)
        raise LLMError(f"the {provider!r} provider package is missing: pip install 'factdesk[{extra}]' ({e})") from None
    except Exception as e:  # unknown provider, bad arguments, missing API key
        raise LLMError(f"cannot set up FACTDESK_LLM={settings.llm!r}: {type(e).__name__}: {e}") from None


def _text_of(content: Any) -> str:
    """Message content as text: providers return a string or a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, (str, dict)))
    return ""


def call(model: BaseChatModel, messages: list[BaseMessage], timeout: float,
         on_token: Callable[[str], None] | None = None) -> str:
    """The model's reply as text, within `timeout` seconds in total.

    Runs in a daemon worker so the deadline holds whatever the provider client does; with
    `on_token` the reply is streamed and each piece handed over (on the caller's thread) as it
    arrives. Raises LLMTimeout / LLMError."""
    q: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            if on_token is None:
                q.put(("text", _text_of(model.invoke(messages).content)))
            else:
                for chunk in model.stream(messages):
                    piece = _text_of(chunk.content)
                    if piece:
                        q.put(("piece", piece))
            q.put(("done", None))
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            q.put(("error", e))

    threading.Thread(target=work, name="factdesk-llm", daemon=True).start()
    deadline = time.monotonic() + timeout
    parts: list[str] = []
    for kind, value in _drain(q, deadline, timeout):
        if kind == "text":
            parts.append(value)
        elif kind == "piece":
            parts.append(value)
            on_token(value)  # type: ignore[misc]
        elif kind == "error":
            name = type(value).__name__
            if "timeout" in name.lower() or "timed out" in str(value).lower():
                raise LLMTimeout(f"the LLM timed out after {timeout:g}s ({name})")
            raise LLMError(f"the LLM call failed: {name}: {value}")
    return "".join(parts)


def _drain(q: queue.Queue, deadline: float, timeout: float) -> Iterator[tuple[str, Any]]:
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LLMTimeout(f"the LLM did not finish within {timeout:g}s")
        try:
            kind, value = q.get(timeout=left)
        except queue.Empty:
            raise LLMTimeout(f"the LLM did not finish within {timeout:g}s") from None
        if kind == "done":
            return
        yield kind, value
        if kind == "error":
            return


__all__ = ["LLMError", "LLMTimeout", "call", "make_chat_model", "parse_spec"]
