"""Terminal rendering of answers with rich: quotes with source and date, and flags that cannot be
missed (⚠, colour, and the correcting sentence with its source and date)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from .answer import Answer, CorrectionEntry
from .notices import CONTEXT_ONLY, LATER, READ_AS, corrected_above, date_text, flag_label, same_source, source_line


def correction_dict(corr: Any) -> dict[str, Any] | None:
    """A citation's correction as the Answer contract's dict, whether it is held as a dict or as a
    typed record with `to_json()`."""
    if corr is None or isinstance(corr, dict):
        return corr
    return corr.to_json()


def render_answer(answer: Answer, console: Console, *, lead: bool = True, verbose: bool = False) -> None:
    """The lead line(s), then one panel per citation in the answer's order. A source's title and
    date are printed with its first citation only; later citations of it refer back to that one.
    Sentence offsets and how a correction link was found are shown only when `verbose`."""
    style = "bold" if answer.answered else "yellow"
    if answer.read_as:
        console.print(Text(f"{READ_AS} {answer.read_as}", style="dim"))
    if lead:
        lines = [ln for ln in answer.answer.split("\n") if ln.startswith("Note:")] or [answer.answer.split("\n", 1)[0]]
        for line in lines:
            console.print(Text(line, style="bold red" if line.startswith("Note:") else style))
    cited = {(c.source, c.sentence): c.n for c in answer.citations}
    first_of: dict[str, int] = {}
    for c in answer.citations:
        corr = correction_dict(c.correction)
        later = getattr(c, "role", None) == "later"
        body = Text()
        body.append(f"[{c.n}] ", style="bold cyan")
        if later:
            body.append(f"{LATER.upper()} · {date_text(c.published)}", style="bold magenta")
            body.append("\n")
        body.append(c.text, style="italic red" if corr else "italic")
        body.append("\n")
        seen = first_of.setdefault(c.source, c.n)
        where = source_line(c.title, c.publisher, c.published) if seen == c.n else same_source(seen)
        if c.field:
            where += f" · {c.field}"
        elif verbose and c.sentence is not None:
            where += f" · sentence {c.sentence} (chars {c.start}–{c.end})"
        body.append(where, style="dim")
        if c.url and seen == c.n:
            body.append(f"\n{c.url}", style="dim underline")
        if corr:
            body.append("\n")
            body.append(_flag_text(corr, cited, verbose=verbose))
        if not answer.answered:
            body.append("\n" + CONTEXT_ONLY, style="yellow")
        border = "red" if corr else ("magenta" if later else ("cyan" if answer.answered else "yellow"))
        console.print(Panel(body, border_style=border, padding=(0, 1)))


def _flag_text(corr: dict[str, Any], cited: dict[tuple[str, Any], int] | None = None, *,
               verbose: bool = False) -> Text:
    """The flag, and what corrected the claim: a reference when that sentence is already quoted
    in the same answer, the full sentence with its source and date otherwise."""
    t = Text()
    label = flag_label(corr["status"])
    t.append(f"⚠ {label}", style="bold white on red")
    t.append(f" {corr['note']}" + (f" ({corr['origin']})" if verbose else ""), style="bold red")
    cited = cited or {}
    refs = [cited[(b["source"], b["sentence"])] for b in corr.get("by", []) if (b["source"], b["sentence"]) in cited]
    if refs:
        t.append(f"\n  ↳ {corrected_above(corr['status'], refs)}", style="red")
    for b in corr.get("by", []):
        if (b["source"], b["sentence"]) in cited:
            continue
        t.append("\n  ↳ “", style="red")
        t.append(b["text"], style="red")
        t.append("”", style="red")
        t.append(f" — {b.get('title') or b['source']}, {date_text(b.get('published', ''))}", style="dim red")
    return t


def render_corrections(rows: list[CorrectionEntry], console: Console) -> None:
    if not rows:
        console.print("No correction links: no indexed sentence has been corrected or superseded.")
        return
    for r in rows:
        c = r.claim
        body = Text()
        body.append(f"{c.source}#{c.sentence}: ", style="bold")
        body.append(c.text, style="italic red")
        body.append("\n")
        body.append(_flag_text(r.correction.to_json()))
        console.print(Panel(body, border_style="red", padding=(0, 1)))


__all__ = ["Group", "render_answer", "render_corrections"]
