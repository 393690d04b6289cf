"""👍/👎 votes on answers, kept in SQLite under the data folder.

SQLite rather than JSON Lines because several Slack worker threads (or replicas sharing a disk)
write at once, and because a user who changes their mind should replace their vote, not add one.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    at REAL NOT NULL,
    user TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    message_ts TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '[]',
    answered INTEGER,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    PRIMARY KEY (user, channel, message_ts, question)
)
"""


@dataclass
class Vote:
    user: str
    question: str
    answer: str
    sources: list[str]
    vote: int  # +1 or -1
    channel: str = ""
    message_ts: str = ""
    answered: bool | None = None


class FeedbackLog:
    def __init__(self, data_dir: Path | str) -> None:
        self.path = Path(data_dir) / "feedback.sqlite3"
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(_SCHEMA)
        return con

    def record(self, v: Vote) -> None:
        if v.vote not in (-1, 1):
            raise ValueError(f"a vote is +1 or -1, not {v.vote!r}")
        with self._lock, self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), v.user, v.channel, v.message_ts, v.question, v.answer,
                 json.dumps(v.sources), None if v.answered is None else int(v.answered), v.vote))

    def votes(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self._lock, self._connect() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute("SELECT * FROM votes ORDER BY at").fetchall()
        return [dict(r) | {"sources": json.loads(r["sources"])} for r in rows]

    def summary(self) -> dict[str, Any]:
        rows = self.votes()
        per_q: dict[str, dict[str, Any]] = {}
        per_src: dict[str, dict[str, int]] = {}
        for r in rows:
            q = per_q.setdefault(r["question"], {"question": r["question"], "up": 0, "down": 0})
            q["up" if r["vote"] > 0 else "down"] += 1
            for s in r["sources"]:
                d = per_src.setdefault(s, {"up": 0, "down": 0})
                d["up" if r["vote"] > 0 else "down"] += 1
        questions = sorted(per_q.values(), key=lambda q: (-q["down"], -(q["up"] + q["down"]), q["question"]))
        return {"votes": len(rows), "up": sum(1 for r in rows if r["vote"] > 0),
                "down": sum(1 for r in rows if r["vote"] < 0), "questions": questions,
                "sources": [{"source": s} | d for s, d in sorted(per_src.items())], "path": str(self.path)}


# What a Slack user typed is printed to an editor's terminal: escape sequences (CSI "ESC [ … m",
# OSC "ESC ] … BEL" that retitles the window or writes the clipboard) go whole, other C0/C1 controls
# one by one, and line breaks become spaces so one vote stays one line.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """`text` as one printable line (see _ESCAPES)."""
    return " ".join(_CONTROLS.sub(" ", _ESCAPES.sub("", text)).split())


def format_summary(s: dict[str, Any]) -> str:
    """The text summary for a terminal; every question and source id through `_one_line`."""
    if not s["votes"]:
        return f"no feedback yet ({s['path']})"
    lines = [f"{s['votes']} vote(s): 👍 {s['up']}  👎 {s['down']}", "", "by question (most 👎 first):"]
    for q in s["questions"][:20]:
        lines.append(f"  👍 {q['up']:>3}  👎 {q['down']:>3}  {_one_line(q['question'])}")
    if s["sources"]:
        lines += ["", "by cited source:"]
        lines += [f"  👍 {d['up']:>3}  👎 {d['down']:>3}  {_one_line(d['source'])}" for d in s["sources"]]
    return "\n".join(lines)
