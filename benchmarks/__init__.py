"""Speed and scale benchmarks for factdesk: `python -m benchmarks.run` (see README, Performance)."""
