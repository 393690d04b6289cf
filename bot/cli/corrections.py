"""`factdesk corrections`: every link from a claim to what corrected or superseded it; with
`--candidates`, the pairs the detector was unsure of; `accept ID` / `reject ID` record an editor's
decision in corrections.yml (beside the sources) and apply it to the index at once."""

from __future__ import annotations

import argparse

from bot.cli.common import App, console, dump, err, say_pending


HELP = """\
List every correction link. --candidates lists the pairs the detector was unsure of, with its
reason and score, and the learned model's pairs on claims the detector proposes nothing for
(reason "model", its probability as score); `accept ID` / `reject ID` record an editor's decision in corrections.yml beside
the sources (replayed by every re-index) and apply it now. `reject` works on detected links too.

examples:
  factdesk corrections
  factdesk corrections --candidates
  factdesk corrections accept ID --status superseded --note "plan dropped in May 2021"
  factdesk corrections reject ID

--json prints one array of links: id, claim (source, title, sentence, start, end, text,
  published), status (corrected|superseded), note, origin and by (the correcting sentences);
  with --candidates one object {candidates, warnings}, each candidate with id, kind, status
  (what accepting makes), origin, family, reason (detector|model), score, note, claim, by;
  with accept/reject the decision
  {id, decision, status, claim, by, warnings}.
"""


def _print_pairs(rows, title: str) -> None:
    from rich.text import Text

    out = console()
    if not rows:
        out.print(title)
        return
    for p in rows:
        t = Text()
        t.append(f"{p.id}", style="bold")
        t.append(f"  {p.kind} · {p.family or p.origin} · score {p.score:.2f} · {p.status} if accepted\n"
                 if p.kind == "candidate" else f"  {p.status} · {p.origin} {p.family} · {p.note}\n")
        t.append(f"  claim ({p.claim.source}, {p.claim.published or 'undated'}): ", style="dim")
        t.append(p.claim.text + "\n", style="italic")
        t.append(f"  by    ({p.by.source}, {p.by.published or 'undated'}): ", style="dim")
        t.append(p.by.text + "\n", style="italic")
        if p.kind == "candidate":
            t.append(f"  why: {p.note}\n", style="dim")
        out.print(t)


def cmd_corrections(app: App, args: argparse.Namespace) -> int:
    from ingest.corrections import editor

    store = app.engine.store()
    if args.action:
        if not args.id:
            err(f"corrections {args.action} needs the ID of a link or candidate (see `factdesk corrections --candidates`)")
            return 2
        try:
            d, warnings = editor.decide(app.settings, store, args.id, args.action, args.status or "", args.note or "")
        except (editor.DecisionError, ValueError) as e:
            err(str(e))
            return 2
        for w in warnings:
            err(f"warning: {w}")
        if args.json:
            dump({"id": d.id, "decision": d.decision, "status": d.status, "claim": d.claim, "by": d.by,
                  "warnings": warnings})
        else:
            what = "accepted" if d.decision == "accept" else "rejected"
            print(f"{what} {d.id}; recorded in {editor.review.decisions_path(app.settings)} and applied to the index")
        return 0
    warnings = editor.stale(store, app.settings)
    if not args.json:
        say_pending(store)  # these links may be an older detector's: the next ingest recomputes them
    if args.candidates:
        rows = editor.pairs(store, candidates=True)
        if args.json:
            dump({"candidates": [p.to_json() for p in rows], "warnings": warnings})
        else:
            _print_pairs(rows, "No candidates: every pair the detector considered was clear-cut.")
    else:
        rows = app.engine.corrections()
        # The id `reject ID` takes (from the claim's and first correcting sentence's texts).
        ids = [editor.review.pair_id(r.claim.text, r.correction.by[0].text) if r.correction.by else "" for r in rows]
        if args.json:
            dump([r.to_json() | {"id": pid} for r, pid in zip(rows, ids)])
        else:
            from bot.render import render_corrections

            render_corrections(rows, console())
            out = console()
            for r, pid in zip(rows, ids):
                out.print(f"  {pid}  {r.claim.text[:90]}")
    for w in ([] if args.json else warnings):
        err(f"warning: {w}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("corrections", help="list correction links; review candidates (accept/reject ID)",
                       description=HELP)
    s.add_argument("action", nargs="?", choices=["accept", "reject"], help="decide on the pair with this ID")
    s.add_argument("id", nargs="?", metavar="ID", help="a link's or candidate's id (from --candidates or --json)")
    s.add_argument("--candidates", action="store_true", help="list the unsure candidates with reason and score")
    s.add_argument("--status", choices=["corrected", "superseded"], help="with accept: the link's status")
    s.add_argument("--note", help="with accept: the note answers show")
    s.add_argument("--json", action="store_true", help="print JSON (see above)")
    s.set_defaults(func=cmd_corrections)
