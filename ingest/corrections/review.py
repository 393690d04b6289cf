"""The editor's review loop: decisions on links and candidates, kept in a plain file beside the
sources (`corrections.yml`, easy to keep in version control) and replayed by every re-index.

A decision names its pair by the *texts* of the claim and of the correcting sentence, and its id
is derived from those texts — not from positions — so it survives `--rebuild`, re-ordering and
edits elsewhere in the sources. A decision whose texts no longer match any indexed sentence is
reported on every replay (never silently dropped); it stays in the file for the editor to fix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..loaders import yaml_reason
from ..records import CorrectionLink
from ..settings import Settings

HEADER = ("# factdesk editor decisions on correction links (`factdesk corrections accept/reject ID`).\n"
          "# Replayed by every re-index; pairs are named by the exact texts of the claim and the\n"
          "# correcting sentence. Edit or delete entries freely.\n")


class ReviewError(ValueError):
    """A decision file that cannot be read, or a decision that cannot be made; says why."""


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pair_id(claim_text: str, by_text: str) -> str:
    """Stable id of a (claim, correcting sentence) pair, from their texts."""
    h = hashlib.sha1(f"{_norm(claim_text)}\x00{_norm(by_text)}".encode()).hexdigest()
    return f"c{h[:8]}"


@dataclass
class Decision:
    id: str
    decision: str  # accept | reject
    claim: str
    by: str
    status: str = "corrected"  # for accept: corrected | superseded
    note: str = ""
    decided: str = ""

    def to_yaml(self) -> dict[str, Any]:
        # A reject keeps the pair's status too: accepting the pair again (it is then no link or
        # candidate, only this entry) restores it instead of the default "corrected".
        d = {"id": self.id, "decision": self.decision, "claim": self.claim, "by": self.by, "status": self.status}
        if self.note:
            d["note"] = self.note
        if self.decided:
            d["decided"] = self.decided
        return d


def decisions_path(settings: Settings) -> Path:
    return Path(settings.corrections_file) if settings.corrections_file else Path(settings.sources_dir) / "corrections.yml"


def load(path: Path) -> list[Decision]:
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError as e:
        raise ReviewError(f"{path}: cannot read editor decisions ({e.strerror or e})") from None
    except yaml.YAMLError as e:  # the problem and its line, not PyYAML's first line ("while parsing …")
        raise ReviewError(f"{path}: cannot read editor decisions ({yaml_reason(e)})") from None
    if not isinstance(data, list):
        raise ReviewError(f"{path}: expected a list of decisions")
    out = []
    for n, d in enumerate(data, 1):
        if not isinstance(d, dict) or d.get("decision") not in ("accept", "reject") or not d.get("claim") or not d.get("by"):
            raise ReviewError(f"{path}: entry {n} needs decision (accept|reject), claim and by")
        status = str(d.get("status") or "corrected")
        if status not in ("corrected", "superseded"):
            raise ReviewError(f"{path}: entry {n}: status must be corrected or superseded")
        claim, by = str(d["claim"]), str(d["by"])
        out.append(Decision(id=str(d.get("id") or pair_id(claim, by)), decision=d["decision"], claim=claim, by=by,
                            status=status, note=str(d.get("note") or ""), decided=str(d.get("decided") or "")))
    return out


def save(path: Path, decisions: list[Decision]) -> None:
    """Atomic write: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = HEADER + yaml.safe_dump([d.to_yaml() for d in decisions], sort_keys=False, allow_unicode=True, width=120)
    fd, tmp = tempfile.mkstemp(prefix=".corrections-", suffix=".yml", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    os.replace(tmp, path)


def record(path: Path, decision: str, claim: str, by: str, status: str = "corrected", note: str = "") -> Decision:
    """Add (or replace) the decision on one pair."""
    d = Decision(id=pair_id(claim, by), decision=decision, claim=_norm(claim), by=_norm(by), status=status,
                 note=note, decided=dt.date.today().isoformat())
    rest = [x for x in load(path) if x.id != d.id]
    save(path, [*rest, d])
    return d


def replay(links: list[CorrectionLink], candidates: list[CorrectionLink], decisions: list[Decision],
           find: Any, warnings: list[str], path: Path) -> tuple[list[CorrectionLink], list[CorrectionLink]]:
    """Apply decisions to freshly derived links and candidates. `find(text)` → ids of sentences with
    exactly that text; `text_of(id)` is given by `find.text`."""
    text_of = find.text
    rejected = {d.id for d in decisions if d.decision == "reject"}
    accepted = [d for d in decisions if d.decision == "accept"]

    def prune(lk: CorrectionLink) -> CorrectionLink | None:
        # An editor who rejects a pair rejects the link it belongs to (its other sentences are
        # mostly the context that came with it); accepting another pair brings that one back.
        claim = text_of(lk.claim)
        return None if any(pair_id(claim, text_of(b)) in rejected for b in lk.by) else lk

    out = [x for x in (prune(lk) for lk in links) if x is not None]
    cands = [x for x in (prune(lk) for lk in candidates) if x is not None]
    matched = {d.id for d in decisions if d.decision == "reject" and matches(d, find)}
    for d in accepted:
        claims, bys = find(d.claim), find(d.by)
        if not claims or not bys:
            missing = "claim" if not claims else "correcting sentence"
            warnings.append(f"{path.name}: decision {d.id} (accept) no longer matches any sentence: its {missing} "
                            f"“{(d.claim if not claims else d.by)[:70]}” is not in the index")
            continue
        for c in claims:
            out.append(CorrectionLink(claim=c, by=bys[:3], status=d.status, origin="editor",
                                      note=d.note or f"Accepted by an editor ({d.status})", score=1.0))
        matched.add(d.id)
    for d in decisions:
        if d.decision == "reject" and d.id not in matched:
            warnings.append(f"{path.name}: decision {d.id} (reject) no longer matches any sentence: "
                            f"“{d.claim[:70]}”")
    accepted_pairs = {(c, b) for lk in out if lk.origin == "editor" for c in [lk.claim] for b in lk.by}
    cands = [lk for lk in cands if not any((lk.claim, b) in accepted_pairs for b in lk.by)]
    return out, cands


def matches(d: Decision, find: Any) -> bool:
    """Whether both of the decision's sentences are still in the index (`find(text)` → ids)."""
    return bool(find(d.claim)) and bool(find(d.by))
