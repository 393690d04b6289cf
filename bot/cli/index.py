"""`factdesk ingest` and `factdesk remove`: keeping the index in step with the sources."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import App, console, dump, err

INGEST_HELP = """\
Index sources: files (.txt, .md, .html), folders of them, or http(s) URLs. Only what changed is
re-embedded; correction links are brought up to date after every run. Afterwards, indexed sources
whose files are gone are listed (remove them with --prune FOLDER or `factdesk remove PATH`).
A file whose size and modification time are as last indexed is not read again; after restoring
files with their old timestamps, run with FACTDESK_HASH_ALL=1 to read and compare every file.
With FACTDESK_ALERT_CHANNEL and SLACK_BOT_TOKEN set, every newly linked correction is posted to
that Slack channel.

examples:
  factdesk ingest                       # FACTDESK_SOURCES_DIR (default data/sources)
  factdesk ingest stories/ https://example.com/story.html
  factdesk ingest --prune stories/      # also drop sources whose files left stories/
  factdesk ingest --watch stories/      # keep re-indexing stories/ as files change (--prune to drop deleted ones)
  factdesk ingest --rebuild             # re-read every indexed source into a new index; swap only if all load

--json prints one object: results (target, status added|updated|unchanged|removed|failed,
  source_id, reason, sentences, embedded), flagged, unflagged, warnings, ok, and upgrade: null, or
  what opening the index upgraded (as `factdesk status --json`'s last_upgrade; also said in one
  line on stderr).
exit status: 0 when every source was indexed (or removed), 1 when any failed.
"""

REMOVE_HELP = """\
Remove sources from the index, with their sentences and correction links.

examples:
  factdesk remove megvii-hrw-correction-2019
  factdesk remove stories/old-story.md https://example.com/story.html

--json prints the same object as `ingest --json`. Exit status 1 when a SOURCE names nothing indexed.
"""


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


def print_report(report, as_json: bool, upgrade: Any = None) -> None:
    """`upgrade`: what opening the index upgraded (`ingest.upgrades.UpgradeRecord`), already said
    on stderr; --json carries it too, for scripts."""
    if as_json:
        dump({"results": [r.__dict__ for r in report.results], "flagged": report.flagged,
              "unflagged": report.unflagged, "warnings": report.warnings, "ok": report.ok,
              "upgrade": upgrade.to_json() if upgrade is not None else None})
        return
    for r in report.results:
        print(r.line(), flush=True)
    for w in report.warnings:
        print(f"warning: {w}", flush=True)
    counts = report.counts()
    summary = ", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing to do"
    print(f"{summary}; {report.flagged} sentence(s) newly flagged, {report.unflagged} unflagged", flush=True)


def cmd_ingest(app: App, args: argparse.Namespace) -> int:
    from bot.cli import sync

    # --rebuild with no path rebuilds every recorded source (ingest.rebuild), not just the default folder.
    targets = args.paths or ([] if args.rebuild else [str(app.settings.sources_dir)])
    gone: list[str] = []
    if args.prune:
        targets, gone = sync.split_gone_targets(app.indexer, targets)
    alerts = _alerts(app)
    prog, cb = _progress(sys.stderr.isatty() and not args.json)
    opts = {"prune": args.prune, "rebuild": args.rebuild, "drop_missing": args.drop_missing}
    if not targets and not args.rebuild:
        from ingest.pipeline import IngestReport

        report = IngestReport()
    elif prog:
        with prog:
            report = app.indexer.ingest(targets, progress=cb, **opts)
    else:
        report = app.indexer.ingest(targets, **opts)
    if gone:
        _merge(report, app.indexer.remove(gone))
    missing = sync.missing_files(app.indexer.store().source_records())
    if missing:
        report.warnings.append(sync.missing_warning(missing))
    print_report(report, args.json, app.indexer.upgraded)
    alerts()
    if app.settings.rerank == "cross":
        from bot import crossenc

        crossenc.prepare(app.settings.cross_dir)
    rc = 0 if report.ok else 1
    if args.watch:
        return watch(app, targets or [str(app.settings.sources_dir)], args)
    return rc


def watch(app: App, targets: list[str], args: argparse.Namespace, stop_event=None) -> int:
    """Re-index on every change until Ctrl-C (or `stop_event`, for tests). A failed round — the
    index locked by another ingest, a server outage — is reported and the watch goes on. Sources
    whose files are deleted are removed only with --prune, and every removal is printed."""
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
            alerts = _alerts(app)  # each round alerts the links it adds, as a plain ingest does
            try:
                report = app.indexer.ingest(targets, prune=bool(getattr(args, "prune", False)))
            except (IngestLocked, StoreError) as e:
                err(f"{e}; will retry on the next change")
                continue
            alerts()
            for r in report.results:
                if r.status != "unchanged":
                    print(r.line(), flush=True)
            if report.flagged or report.unflagged:
                print(f"{report.flagged} sentence(s) newly flagged, {report.unflagged} unflagged", flush=True)
    except KeyboardInterrupt:
        pass
    return 0


def _alerts(app: App):
    """With FACTDESK_ALERT_CHANNEL and a bot token: note the correction links now, and return a
    call that posts those the ingest adds (bot/alerts.py). Never fails the ingest."""
    if not (app.settings.alert_channel and app.settings.slack_bot_token):
        return lambda: None
    from bot.alerts import LinkWatch, post_alerts

    try:
        watch_links = LinkWatch.start(app.engine)
    except Exception as e:
        err(f"correction alerts are off for this run: {e}")
        return lambda: None

    def finish() -> None:
        try:
            new = watch_links.new_since(app.engine)
            if new:
                post_alerts(app.settings, new, app.engine.store().source_records())
        except Exception as e:
            err(f"could not post correction alerts: {e}")

    return finish


def _merge(report, more) -> None:
    report.results.extend(more.results)
    report.warnings.extend(more.warnings)
    report.flagged += more.flagged
    report.unflagged += more.unflagged


def cmd_remove(app: App, args: argparse.Namespace) -> int:
    from bot.cli import sync

    report = sync.remove(app.indexer, args.sources)
    print_report(report, args.json, app.indexer.upgraded)
    return 0 if report.ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("ingest", help="index sources (files, folders, URLs); default: FACTDESK_SOURCES_DIR",
                       description=INGEST_HELP)
    s.add_argument("paths", nargs="*", metavar="PATH|URL")
    s.add_argument("--prune", action="store_true", help="remove indexed sources whose files are gone from the given folders (or the given deleted files)")
    s.add_argument("--rebuild", action="store_true", help="build a new index beside the old one from every recorded "
                   "source (files, folders, URLs) plus PATHs, and swap it in only if that succeeds")
    s.add_argument("--drop-missing", action="store_true", help="with --rebuild: leave out recorded sources that "
                   "cannot be loaded any more instead of refusing")
    s.add_argument("--watch", action="store_true", help="keep running and re-index when files change "
                   "(deleted files are removed from the index only with --prune)")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("remove", help="remove sources from the index (by id, file path or URL)",
                       description=REMOVE_HELP)
    s.add_argument("sources", nargs="+", metavar="SOURCE", help="an id (see `factdesk sources`), a file path, a "
                   "folder (every source indexed from it) or the URL a source was fetched from")
    s.add_argument("--json", action="store_true", help="print the report as JSON (as `ingest --json`)")
    s.set_defaults(func=cmd_remove)
