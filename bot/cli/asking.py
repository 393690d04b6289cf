"""`factdesk ask` and `factdesk chat`: questions from arguments, standard input or a terminal prompt."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import App, console, dump, err, printable, say_pending, stdin_lines

log = logging.getLogger("factdesk.cli")


def answer_or_error(app: App, question: str, conversation=None, live=None) -> tuple[Any, str | None]:
    """The answer, or the one-line reason this question alone cannot be answered. Only a lost
    index (StoreError) propagates: every other failure is this question's, not the batch's."""
    from bot.engine import QuestionError
    from ingest.store import StoreError

    try:
        if live is not None and app.settings.llm:  # stream the LLM draft into the chat (bot/chat_stream.py)
            from bot.chat_stream import ask_streaming

            return ask_streaming(app.engine, question, conversation, live), None
        return app.engine.ask(question, conversation), None
    except QuestionError as e:
        return None, str(e)
    except StoreError:
        raise
    except Exception as e:  # noqa: BLE001 — logged in full; the other questions are still answered
        log.exception("answering %r failed", printable(question)[:80])
        return None, f"could not answer this question ({type(e).__name__}); the error was logged"


def _answer_lines(app: App, lines, conv=None, *, json_out: bool, verbose: bool = False) -> int:
    """Answer each line; a line that fails prints its error (a JSON object with --json) and the
    rest are still answered. With `conv`, the lines are the turns of one conversation."""
    from ingest.store import StoreError

    out = None if json_out else console()
    rc = 0
    for line in lines:
        if conv is not None and line.strip() in ("/quit", "/exit", "/q"):
            break
        if conv is not None and line.strip() == "/reset":
            conv.reset()
            continue
        if conv is not None and line.strip().startswith("/"):
            # As in the interactive chat, a line opening with "/" is a command, never a question.
            ans, error, rc = None, _piped_command_error(line.strip()), rc or 2
        else:
            try:
                ans, error = answer_or_error(app, line, conv)
            except StoreError as e:
                # The index went away or the server is down: say so for this line and keep
                # going; the engine reconnects on the next one.
                ans, error, rc = None, str(e), 1
            else:
                if error:
                    rc = rc or 2
        if error:
            if json_out:
                dump({"question": printable(line), "error": error})
            else:
                err(error)
            continue
        if conv is not None:
            conv.add(line, ans, ans.standalone)
        if json_out:
            dump(ans.to_json())
        else:
            from bot.render import render_answer  # rich's renderer: not needed for --json

            render_answer(ans, out, verbose=verbose)
    return rc


def _piped_command_error(line: str) -> str:
    """Why a chat command cannot run in a piped chat, whose every output line is one turn's JSON."""
    word = line.split()[0]
    if word in ("/sources", "/corrections"):
        return f"{word} works only in the interactive chat; use `factdesk {word[1:]} --json`"
    return f"unknown command {printable(word)[:40]}: in a piped chat the commands are /reset and /quit"


def cmd_ask(app: App, args: argparse.Namespace) -> int:
    if args.question:
        questions = [" ".join(args.question)]
    elif not sys.stdin.isatty():
        questions = list(stdin_lines())
        if not questions:
            err("no questions on standard input")
            return 2
    else:
        err('ask what? usage: factdesk ask "QUESTION" [--json]')
        return 2
    # The question encoder loads in the background while the index is opened (the sentence mirror,
    # or chromadb imported when the mirror is not in step).
    app.one_shot = True
    app.embedder.preload()
    app.ensure_index()
    return _answer_lines(app, questions, json_out=args.json, verbose=args.verbose)


def _chat_lines(app: App, conv) -> int:
    """Piped chat: each input line is the next turn of one conversation; each output line its Answer JSON."""
    return _answer_lines(app, stdin_lines(), conv, json_out=True)


def cmd_chat(app: App, args: argparse.Namespace) -> int:
    from bot.conversation import Conversation

    app.ensure_index()
    say_pending(app.engine.store())  # chat never upgrades the index: say when its flags are an older detector's
    conv = Conversation()
    if not (sys.stdin.isatty() and not args.json):
        return _chat_lines(app, conv)
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    app.engine.keep_warm()  # a long session: sentence rows read once in the background (ingest/rowcache.py)
    hist = Path(app.settings.data_dir) / "chat_history"
    hist.parent.mkdir(parents=True, exist_ok=True)
    return chat_loop(app, conv, PromptSession(history=FileHistory(str(hist))), console(), verbose=args.verbose)


def chat_loop(app: App, conv, session, out, *, verbose: bool = False) -> int:
    """The interactive chat. Ctrl-C clears the line being typed (as in a shell); Ctrl-D on an
    empty line, /quit or /exit ends the chat."""
    from bot.cli.sources import render_sources
    from bot.home import index_status
    from bot.render import render_answer, render_corrections
    from ingest.store import StoreError

    out.print("[bold]factdesk[/bold] — ask about the sources. /sources, /corrections, /reset, /quit "
              "[dim](Ctrl-C clears the line, Ctrl-D quits)[/dim]")
    while True:
        try:
            line = session.prompt("you › ").strip()
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            break
        if line == "/reset":
            conv.reset()
            out.print("[dim]conversation cleared[/dim]")
            continue
        if line == "/sources":
            render_sources(index_status(app.engine).sources, out)
            continue
        if line == "/corrections":
            render_corrections(app.engine.corrections(), out)
            continue
        if line.startswith("/"):
            out.print("[yellow]commands: /sources, /corrections, /reset, /quit[/yellow]")
            continue
        try:
            ans, error = answer_or_error(app, line, conv, live=out)
        except StoreError as e:
            out.print(f"[red]{e}[/red]")
            continue
        if error:
            out.print(f"[yellow]{error}[/yellow]")
            continue
        conv.add(line, ans, ans.standalone)
        render_answer(ans, out, verbose=verbose)
    return 0


ASK_HELP = """\
Answer a question from the indexed sources, quoting their exact sentences. A quoted sentence that
a later statement corrected, withdrew or superseded is flagged ⚠, with what corrected it and when.
When nothing answers the question, factdesk says so and shows at most the closest sentences.
With an empty index the bundled sources (FACTDESK_SOURCES_DIR) are ingested first.

examples:
  factdesk ask "Did the police app use Megvii's face matching?"
  factdesk -v ask "Who developed the police app?"    # with sentence offsets and link origins
  cat questions.txt | factdesk ask --json > answers.jsonl

--json prints the Answer JSON: question, answered, answer (text), composer, and citations, each
  with n, source, title, publisher, published, url, sentence, start, end (character offsets in the
  source), text (the exact sentence), score, role (answer | correction: it corrects another cited
  sentence | later: later coverage) and correction (null, or status corrected|superseded, note,
  origin, by: the correcting sentences). One line per question when reading stdin; a
  question that cannot be asked gives {"question", "error"}.
"""

CHAT_HELP = """\
A conversation: follow-up questions ("who backs it?") are read in the light of earlier turns.

in the chat:
  /sources       list the indexed sources
  /corrections   list every correction link
  /reset         forget the conversation so far
  /quit          leave (also /exit, or Ctrl-D); Ctrl-C clears the line you are typing

examples:
  factdesk chat
  printf 'Who developed the police app?\\nHow much revenue does it have?\\n' | factdesk chat --json

--json (or piped input) reads one turn per line and prints one Answer JSON per line (as
  `factdesk ask --json`); /reset and /quit work there too, and any other line opening with "/" gives
  an error line ({"question", "error"}), never an answer.

An interactive chat reads every sentence row into memory in the background (seconds at 100k
sentences, again after each re-index) so that answers come faster; FACTDESK_WARM_ROWS=0 turns that
off on a small machine.
"""


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("ask", help="answer one question (or one per line from stdin)", description=ASK_HELP)
    s.add_argument("question", nargs="*", metavar="QUESTION")
    s.add_argument("--json", action="store_true", help="print the Answer JSON (JSON Lines for stdin)")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="an interactive conversation (JSON Lines with --json or piped input)",
                       description=CHAT_HELP)
    s.add_argument("--json", action="store_true", help="one Answer JSON per input line (see above)")
    s.set_defaults(func=cmd_chat)
