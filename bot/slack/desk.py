"""The newsroom's Slack surfaces beyond questions: the "Check with factdesk" message shortcut
(with its "Post in thread" button) and the App Home tab. Registered on the bolt app by
`FactdeskSlack`; checking lives in `bot.check`, Block Kit in `bot.slack_views`."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_sdk import WebClient

from ..check import check_text
from ..home import index_status
from ..slack_views import (ACTION_POST_CHECK, CHECK_CALLBACK, MAX_CHECK_CHARS, check_blocks, check_value,
                           home_view)
from .history import slack_question

log = logging.getLogger("factdesk.slack")

APOLOGY = "Sorry — something went wrong while checking that. The error has been logged; please try again."
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class Desk:
    """Listeners for the check shortcut, its button and the App Home tab."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def register(self, app: Any, ack: Any) -> None:
        app.shortcut(CHECK_CALLBACK)(ack=ack, lazy=[self.on_check])
        app.action(ACTION_POST_CHECK)(ack=ack, lazy=[self.on_post_check])
        app.event("app_home_opened")(self.on_home)

    def _check(self, text: str) -> tuple[Any, str, bool]:
        plain = slack_question(text, None)
        truncated = len(plain) > MAX_CHECK_CHARS
        plain = plain[:MAX_CHECK_CHARS]
        return check_text(self.engine, plain), plain, truncated

    def on_check(self, body: dict[str, Any], respond: Any) -> None:
        """The reply goes only to the person who asked, with a button to post it in the thread."""
        msg = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id", ""))
        try:
            report, plain, truncated = self._check(str(msg.get("text") or ""))
            value = check_value(channel, str(msg.get("thread_ts") or msg.get("ts") or ""), plain)
            text, blocks = check_blocks(report, post_value=value, truncated=truncated)
            respond(response_type="ephemeral", replace_original=False, text=text, blocks=blocks)
        except Exception:
            log.exception("checking a message failed")
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)

    def on_post_check(self, body: dict[str, Any], client: WebClient, respond: Any) -> None:
        try:
            v = json.loads(body["actions"][0]["value"])
            report = check_text(self.engine, str(v["x"]))
            user = str((body.get("user") or {}).get("id", ""))
            who = f"<@{user}>" if _USER_ID.match(user) else "Someone"
            text, blocks = check_blocks(report, header=f"{who} checked this message with factdesk")
            client.chat_postMessage(channel=str(v["c"]), thread_ts=str(v["t"]) or None, text=text, blocks=blocks,
                                    unfurl_links=False, unfurl_media=False)
            respond(delete_original=True)
        except Exception:
            log.exception("posting a check in the thread failed")
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)

    def on_home(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        try:
            client.views_publish(user_id=event["user"], view=home_view(index_status(self.engine)))
        except Exception:
            log.exception("publishing the App Home tab failed")
