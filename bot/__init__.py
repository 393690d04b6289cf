"""factdesk's answer engine and its adapters (CLI, Slack). The engine knows nothing of either."""
