"""Ingest: turn source files and URLs into exact, offset-addressed sentences in Chroma.

Nothing in this package knows about the CLI or Slack; `bot/` builds on it.
"""
