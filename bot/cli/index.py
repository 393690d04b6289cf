"""`factdesk ingest` and `factdesk remove`: keeping the index in step with the sources."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import App, console, dump, err


def _progress(enabled: bool):
    if not enabled:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console(stderr=True), transient=True)
    task = {"id": None}

    def cb(event: str, n: int) -> None:
        if event == "total":
            task["id"] = prog.add_task("embed", total=n)
        elif task["id"] is not None:
            prog.advance(task["id"], n)

    return prog, cb


def print_report(report, as_json: bool) -> None:
    if as_json:
        dump({"results": [r.__dict__ for r in report.results], "flagged": report.flagged,
              "unflagged": report.unflagged, "warnings": report.warnings, "ok": report.ok})
        return
    for r in report.results:
        print(r.line(), flush=True)
    for w in report.warnings:
        print(f"warning: {w}", flush=True)
    counts = report.counts()
    summary = ", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing to do"
    print(f"{summary}; {report.flagged} sentence(s) newly flagged, {report.unflagged} unflagged", flush=True)


def cmd_ingest(app: App, args: argparse.Namespace) -> int:
    targets = args.paths or [str(app.settings.sources_dir)]
    prog, cb = _progress(sys.stderr.isatty() and not args.json)
    if prog:
        with prog:
            report = app.indexer.ingest(targets, prune=args.prune, rebuild=args.rebuild, progress=cb)
    else:
        report = app.indexer.ingest(targets, prune=args.prune, rebuild=args.rebuild)
    print_report(report, args.json)
    rc = 0 if report.ok else 1
    if args.watch:
        return watch(app, targets, args)
    return rc


def watch(app: App, targets: list[str], args: argparse.Namespace, stop_event=None) -> int:
    """Re-index on every change until Ctrl-C (or `stop_event`, for tests). A failed round — the
    index locked by another ingest, a server outage — is reported and the watch goes on."""
    from watchfiles import watch as watch_files

    from ingest.lock import IngestLocked
    from ingest.store import StoreError

    paths = [t for t in targets if Path(t).exists()]
    if not paths:
        err("--watch needs files or folders to watch")
        return 2
    print(f"watching {', '.join(paths)} for changes (Ctrl-C to stop)", flush=True)
    try:
        for _changes in watch_files(*paths, debounce=500, step=100, rust_timeout=500, stop_event=stop_event,
                                    yield_on_timeout=False):
            try:
                report = app.indexer.ingest(targets, prune=True)
            except (IngestLocked, StoreError) as e:
                err(f"{e}; will retry on the next change")
                continue
            for r in report.results:
                if r.status != "unchanged":
                    print(r.line(), flush=True)
            if report.flagged or report.unflagged:
                print(f"{report.flagged} sentence(s) newly flagged, {report.unflagged} unflagged", flush=True)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_remove(app: App, args: argparse.Namespace) -> int:
    report = app.indexer.remove(args.sources)
    print_report(report, args.json)
    return 0 if report.ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("ingest", help="index sources (files, folders, URLs); default: FACTDESK_SOURCES_DIR")
    s.add_argument("paths", nargs="*", metavar="PATH|URL")
    s.add_argument("--prune", action="store_true", help="remove indexed sources whose files are gone from the given folders")
    s.add_argument("--rebuild", action="store_true", help="drop the index (or a damaged one) and rebuild it")
    s.add_argument("--watch", action="store_true", help="keep running and re-index when files change")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("remove", help="remove sources from the index by id")
    s.add_argument("sources", nargs="+", metavar="SOURCE")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_remove)
