"""`factdesk sources` and `factdesk status`: what is in the index, from `bot.home.index_status`
(the data the Slack App Home shows)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import App, console, dump, err

SOURCES_HELP = """\
List the indexed sources: publisher and date, how many sentences, how many of them a later
statement corrected or superseded (flagged), how many claims the source itself corrects, when it
was indexed, and "missing" when a file source's file is gone (remove it with `factdesk remove`,
or `factdesk ingest --prune FOLDER`).

examples:
  factdesk sources
  factdesk sources --json | jq '.[] | select(.missing)'

--json prints one array of objects with every field: id, title, publisher, published, url, path,
  sentences, flagged, corrects, indexed_at (UTC), missing, state, byline.
"""

STATUS_HELP = """\
A one-screen summary of the index — what the Slack App Home tab shows: sources, sentences,
flagged sentences, last indexed, the embedding model, missing files and the latest corrections;
and when the index was last upgraded by a newer factdesk (schema and detector versions, how the
correction links changed), or that the next ingest will upgrade it.

examples:
  factdesk status
  factdesk status --json

--json prints one object: sources, sentences, flagged, corrections, last_indexed, model, location,
  missing (ids), recent_corrections (as `factdesk corrections --json` rows), last_upgrade (null,
  or at, schema_from, schema_to, detector_from, detector_to, migrations, links {kept, changed,
  added, removed} or null when links were not recomputed, decisions, unmatched) and
  pending_upgrade (null, or what the next `factdesk ingest` upgrades: schema_found, schema_latest,
  detector_found, detector_current).
"""


def render_sources(rows: list[Any], out: Any) -> None:
    """A table that stays readable at 80 columns: the id (what `remove` takes) never wraps, the
    title wraps under it with publisher and date."""
    from rich.console import Group
    from rich.table import Column, Table
    from rich.text import Text

    from bot import notices
    from bot.home import indexed_when

    table = Table(Column("id / source", ratio=1), Column("sentences", justify="right"),
                  Column("flagged", justify="right"), Column("corrects", justify="right"),
                  Column("indexed", no_wrap=True), box=None, pad_edge=False, show_edge=False, padding=(0, 1, 1, 0))
    for r in rows:
        head = Text(r.id, style="bold", no_wrap=True, overflow="fold")
        if r.missing:
            head.append("  missing", style="bold yellow")
        meta = ", ".join(x for x in (r.publisher, notices.date_text(r.published)) if x)
        flagged = Text(f"⚠ {r.flagged}", style="bold red") if r.flagged else Text("0")
        when = indexed_when(r.indexed_at).replace(" ", "\n", 1)
        table.add_row(Group(head, Text(f"{r.title or 'untitled'} — {meta}", style="dim")), str(r.sentences),
                      flagged, str(r.corrects), when)
    out.print(table)


def cmd_sources(app: App, args: argparse.Namespace) -> int:
    from bot.home import index_status

    rows = index_status(app.engine).sources
    if args.json:
        dump([r.to_json() for r in rows])
    elif not rows:
        print("no sources indexed: run `factdesk ingest`")
    else:
        render_sources(rows, console())
    return 0


def render_status(st: Any, out: Any) -> None:
    from rich.text import Text

    from bot import notices
    from bot.home import RECENT_LINKS, indexed_when

    out.print(Text("factdesk index", style="bold"), Text(f"  {st.location}", style="dim"))
    out.print(f"  sources        {len(st.sources):,}" + (f"  ({len(st.missing)} missing: files gone)" if st.missing else ""))
    out.print(f"  sentences      {st.sentences:,}")
    out.print(Text(f"  flagged        {st.flagged:,}", style="bold red" if st.flagged else ""))
    out.print(f"  corrections    {len(st.links):,} link(s)")
    out.print(f"  last indexed   {indexed_when(st.last_indexed)}")
    out.print(f"  model          {st.model}")
    if st.last_upgrade is not None:
        from bot.upgrade_note import status_line

        out.print(f"  last upgrade   {status_line(st.last_upgrade)}")
    if st.links:
        out.print(Text("\nlatest corrections", style="bold"))
        for lk in st.links[:RECENT_LINKS]:
            c, corr = lk.claim, lk.correction
            by = corr.by[0] if corr.by else None
            line = Text("  ⚠ ", style="bold red")
            line.append(f"{c.title or c.source} ({notices.date_text(c.published)})")
            line.append(f" — {corr.status}: {corr.note}", style="red")
            if by and by.source != c.source:
                line.append(f" [{by.title or by.source}, {notices.date_text(by.published)}]", style="dim")
            out.print(line)
    for r in st.missing:
        out.print(Text(f"warning: {r.id}: its file {r.path} is gone; "
                       "`factdesk remove` it or run `factdesk ingest --prune FOLDER`", style="yellow"))
    if st.pending is not None:
        from bot.upgrade_note import pending_line

        out.print(Text(f"note: {pending_line(st.pending)}", style="yellow"))
    out.print(Text('\nask: factdesk ask "QUESTION" · factdesk chat · in Slack: /factdesk QUESTION', style="dim"))


def cmd_status(app: App, args: argparse.Namespace) -> int:
    from bot.home import index_status

    st = index_status(app.engine)
    if args.json:
        dump(st.to_json())
    else:
        render_status(st, console())
    if st.upgrade_error:
        err(st.upgrade_error)  # one line; everything else above is as the index holds it
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("sources", help="list indexed sources (publisher, date, flags, missing files)",
                       description=SOURCES_HELP)
    s.add_argument("--json", action="store_true", help="every field of every source, as one JSON array")
    s.set_defaults(func=cmd_sources)
    s = sub.add_parser("status", help="one-screen summary of the index (what Slack's App Home shows)",
                       description=STATUS_HELP)
    s.add_argument("--json", action="store_true", help="the summary as one JSON object")
    s.set_defaults(func=cmd_status)
