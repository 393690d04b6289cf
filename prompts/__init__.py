"""Prompt templates as files, so wording can be reviewed and changed without touching code.

Each `prompts/NAME.txt` starts with a `#` comment header that documents the template's inputs
(an `Inputs:` list of `name — what it is`), then `=== system ===` and `=== human ===` sections.
`load_prompt` turns a file into a LangChain `ChatPromptTemplate` and refuses a file whose
documented inputs differ from the variables the template actually uses — documentation that
drifts from the template would mislead whoever edits it next.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

PROMPTS_DIR = Path(__file__).resolve().parent
_SECTION = re.compile(r"^=== (system|human) ===\s*$", re.M)
_INPUT = re.compile(r"^#\s{2,}([a-z_]+)\s+—", re.M)


class PromptError(ValueError):
    """A prompt file is missing, malformed, or documents inputs it does not use."""


def documented_inputs(text: str) -> set[str]:
    """The input names listed under `Inputs:` in a prompt file's comment header."""
    header = text[: _SECTION.search(text).start()] if _SECTION.search(text) else text
    return set(_INPUT.findall(header))


@lru_cache(maxsize=None)
def load_prompt(name: str) -> ChatPromptTemplate:
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        raise PromptError(f"no prompt file {path}")
    text = path.read_text(encoding="utf-8")
    parts = _SECTION.split(text)
    # parts: [header, role, body, role, body, ...]
    if len(parts) < 3:
        raise PromptError(f"{path.name}: needs '=== system ===' and/or '=== human ===' sections")
    messages = [(role, body.strip("\n")) for role, body in zip(parts[1::2], parts[2::2])]
    tpl = ChatPromptTemplate.from_messages(messages, template_format="f-string")
    used, documented = set(tpl.input_variables), documented_inputs(text)
    if used != documented:
        raise PromptError(f"{path.name}: template uses {sorted(used)} but documents {sorted(documented)}")
    return tpl


__all__ = ["PROMPTS_DIR", "PromptError", "documented_inputs", "load_prompt"]
