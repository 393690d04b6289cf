"""`factdesk slack`: a thin slack-bolt adapter over the answer engine.

The adapter only moves questions in and answers out; answering lives in the engine and rendering
in `bot.slack_blocks`. It keeps no conversation state: a thread's earlier turns are read back from
Slack (`conversations.replies`, with the message metadata each answer carries), so any number of
replicas can serve one workspace. The only process-local memory is a short-lived set of event ids
and message timestamps, to drop Slack's retries and the app_mention/message pair for one post.

Modules: `listeners` (the bolt app and what it does per event), `history` (Slack text and threads
→ question and Conversation), `transport` (HTTP server, Socket Mode, `run`); secrets are kept
out of log lines by `bot.redaction`, for every command.
"""

from .history import conversation_from_messages, slack_question
from .listeners import APOLOGY, COMMAND, USAGE, FactdeskSlack, SeenKeys, web_client
from ..redaction import RedactSecrets, install_redaction
from .transport import HttpServer, SlackSetupError, check_settings, run

__all__ = ["APOLOGY", "COMMAND", "USAGE", "FactdeskSlack", "HttpServer", "RedactSecrets", "SeenKeys",
           "SlackSetupError", "check_settings", "conversation_from_messages", "install_redaction", "run",
           "slack_question", "web_client"]
