"""Checking an LLM draft against the sentences it cites: what may reach the user.

The draft is untrusted. It is split into statements with the ingest sentence splitter (one
splitter for sources and drafts); citation numbers that were not given are removed and counted; a
statement left with no citation is dropped, and so is one whose quotation is not word for word in
the sentences it cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.split import split_spans

from .answer import Citation

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^((?:\[[^\]\n]{1,24}\]\s*)+)")
_QUOTE = re.compile(r"[“\"]([^”\"]{12,})[”\"]")


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
    """Sentences of the draft, each keeping the citation markers that follow it: markers after a
    full stop ("… app. [2]") belong to the statement before them, not to the next one."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*• ").strip()
        for s, e in split_spans(line):
            piece = line[s:e]
            m = _LEADING_MARKERS.match(piece)
            if m and out:
                out[-1] = f"{out[-1]} {m.group(1).strip()}"
                piece = piece[m.end():].strip()
            if piece.strip(" .;,"):
                out.append(piece)
    return out


def normalise(s: str) -> str:
    """Quotes and spacing made uniform, lower case: how a quotation is compared with its source."""
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

        body = MARKER.sub(fix, stmt)
        body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", body)).strip()
        if not valid:
            v.uncited += 1
            continue
        cited = " ".join(normalise(given[n].text) for n in valid)
        if any(normalise(q) not in cited for q in _QUOTE.findall(MARKER.sub("", stmt))):
            v.misquoted += 1
            continue
        kept.append(body)
    v.kept = len(kept)
    return kept, v


__all__ = ["MARKER", "Verification", "normalise", "split_statements", "verify"]
