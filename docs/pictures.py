"""Regenerate the README's pictures from the real code (`make docs`):

- docs/img/terminal-answer.svg: a terminal chat with a ⚠ flagged answer and an answer with later
  coverage, rendered by `bot.render` into rich's recording console and exported as SVG;
- docs/img/slack-answer.png: the Block Kit blocks `bot.slack_blocks` builds for the answer with
  a ⚠ superseded claim and later coverage, drawn as HTML by `slack_html` below and captured with headless Chromium (Debian's
  `chromium` package); the HTML is kept beside it.

The index is built in a temporary folder from data/sources plus docs/demo-sources (a later,
dated report written from the public record), so nothing of the user's index is touched.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
FLAGGED_Q = "Did the police app use Megvii's face matching?"
LATER_Q = "Is Megvii on a U.S. government blacklist?"


def _engine(tmp: Path):
    from bot.engine import Engine
    from ingest.embed import Embedder
    from ingest.pipeline import Indexer
    from ingest.settings import Settings

    s = Settings(_env_file=None, data_dir=tmp / "data", sources_dir=ROOT / "data" / "sources")
    emb = Embedder(s.embed_model, s.embed_device, quantize=s.embed_quantize)
    report = Indexer(s, embedder=emb).ingest([str(ROOT / "data" / "sources"), str(ROOT / "docs" / "demo-sources")])
    if not report.ok:
        raise SystemExit("; ".join(r.line() for r in report.results))
    return Engine(s, embedder=emb)


def terminal_svg(engine: Any, path: Path) -> None:
    from rich.console import Console
    from rich.text import Text

    from bot.render import render_answer

    out = Console(record=True, width=96, file=open("/dev/null", "w"), force_terminal=True, color_system="truecolor")
    for q in (FLAGGED_Q, LATER_Q):
        out.print(Text("you › ", style="bold green") + Text(q))
        render_answer(engine.ask(q), out)
        out.print()
    path.write_text(out.export_svg(title="factdesk chat"), encoding="utf-8")


# -- Slack blocks → HTML ------------------------------------------------------------------------------
def _inline(text: str) -> str:
    """Slack mrkdwn (already escaped for Slack, which is valid HTML) → HTML inline markup."""
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r'<a href="\1">\2</a>', text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", text)
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", text)


def _mrkdwn(text: str) -> str:
    """Lines starting with "> " become one quote bar each run, as Slack draws them."""
    out: list[str] = []
    quote: list[str] = []
    for line in text.split("\n"):
        if line.startswith("> "):
            quote.append(_inline(line[2:]))
            continue
        if quote:
            out.append(f"<blockquote>{'<br>'.join(quote)}</blockquote>")
            quote = []
        out.append(f"<div>{_inline(line)}</div>")
    if quote:
        out.append(f"<blockquote>{'<br>'.join(quote)}</blockquote>")
    return "".join(out)


def slack_html(blocks: list[dict[str, Any]], *, bot: str = "factdesk", when: str = "10:42 AM") -> str:
    body = []
    for b in blocks:
        kind = b["type"]
        if kind == "section":
            body.append(f'<div class="section">{_mrkdwn(b["text"]["text"])}</div>')
        elif kind == "context":
            body.append(f'<div class="context">{"".join(_mrkdwn(e["text"]) for e in b["elements"])}</div>')
        elif kind == "divider":
            body.append("<hr>")
        elif kind == "actions":
            buttons = "".join(f'<span class="button {e.get("style", "")}">{html.escape(e["text"]["text"])}</span>'
                              for e in b["elements"])
            body.append(f'<div class="actions">{buttons}</div>')
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font: 15px/1.47 "Lato", "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; background: #fff; margin: 0; }}
.msg {{ display: flex; padding: 16px 20px; width: 720px; }}
.avatar {{ width: 36px; height: 36px; border-radius: 6px; background: #2c2d30; color: #fff; font-weight: 700;
          display: flex; align-items: center; justify-content: center; margin-right: 10px; flex: none; }}
.name {{ font-weight: 900; }} .app {{ font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px;
          border-radius: 2px; margin: 0 4px; }} .time {{ color: #616061; font-size: 12px; }}
.section {{ margin: 4px 0; }} .context {{ color: #616061; font-size: 13px; margin: 2px 0 10px; }}
blockquote {{ margin: 4px 0; padding-left: 12px; border-left: 4px solid #dddddd; }}
a {{ color: #1264a3; text-decoration: none; }} hr {{ border: 0; border-top: 1px solid #dddddd; margin: 12px 0; }}
.button {{ display: inline-block; border: 1px solid #bbb; border-radius: 4px; padding: 3px 12px; margin-right: 8px;
          font-weight: 700; font-size: 13px; }} .button.primary {{ background: #007a5a; color: #fff; border-color: #007a5a; }}
code {{ background: #f6f6f6; border: 1px solid #ddd; border-radius: 3px; padding: 0 3px; font-size: 12px; }}
</style></head><body><div class="msg"><div class="avatar">fd</div><div>
<div><span class="name">{bot}</span><span class="app">APP</span><span class="time">{when}</span></div>
{''.join(body)}</div></div>
<script>document.body.setAttribute("data-height", document.querySelector(".msg").offsetHeight)</script>
</body></html>"""


def slack_png(engine: Any, html_path: Path, png_path: Path) -> bool:
    from bot.slack_blocks import render_answer

    _, blocks = render_answer(engine.ask(LATER_Q))
    html_path.write_text(slack_html(blocks), encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        print("docs: no chromium found (Debian: apt-get install chromium); kept the HTML only", file=sys.stderr)
        return False
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    # First pass: let the page measure itself (a script writes its height into the DOM) ...
    dom = subprocess.run(flags + ["--window-size=760,400", "--dump-dom", html_path.as_uri()], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    m = re.search(r'data-height="(\d+)"', dom)
    height = int(m.group(1)) + 8 if m else 1000
    # ... then capture exactly that much.
    subprocess.run(flags + [f"--window-size=760,{height}", f"--screenshot={png_path}", html_path.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return True


def main() -> int:
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="factdesk-docs-") as tmp:
        engine = _engine(Path(tmp))
        terminal_svg(engine, IMG / "terminal-answer.svg")
        slack_png(engine, IMG / "slack-answer.html", IMG / "slack-answer.png")
    print(f"docs: pictures written to {IMG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
