"""The setup files agree with the code: the manifest asks for what the app uses, and
`.env.example` lists every Slack setting."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack import COMMAND
from bot.slack_views import CHECK_CALLBACK
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_manifest_subscribes_to_what_the_app_handles():
    m = yaml.safe_load((ROOT / "slack-manifest.yml").read_text())
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "app_home_opened"}
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert [(s["type"], s["callback_id"]) for s in m["features"]["shortcuts"]] == [("message", CHECK_CALLBACK)]
    assert [c["command"] for c in m["features"]["slash_commands"]] == [COMMAND]
    assert m["settings"]["interactivity"]["is_enabled"] is True
    # every Web API method the adapter calls needs its scope
    needed = {"app_mentions:read", "chat:write", "commands", "reactions:write", "im:history", "channels:history"}
    assert needed <= set(m["oauth_config"]["scopes"]["bot"])


def test_env_example_lists_every_slack_setting():
    text = (ROOT / ".env.example").read_text()
    names = {f.validation_alias for n, f in Settings.model_fields.items() if n.startswith("slack_")}
    assert names == {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"}
    for name in names:
        assert f"\n{name}=" in text
