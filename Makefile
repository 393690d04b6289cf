# factdesk: `make demo` sets up and answers a sample question; `make test` runs the tests.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
QUESTION ?= Did the police app use Megvii's face matching?

.PHONY: demo setup test bench docs clean

$(BIN)/factdesk: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU build of torch first, pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,llm,bench]'
	touch $(BIN)/factdesk

setup: $(BIN)/factdesk

demo: setup
	$(BIN)/factdesk ingest data/sources
	$(BIN)/factdesk ask "$(QUESTION)"

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup
	$(BIN)/python -m benchmarks.run

# Refit the answer scorer (bot/fitted/scorer.json) from data/external/ and data/eval/news.jsonl, and the
# learned link model of the editor's review queue (ingest/fitted/links.json) from the spent realworld parts.
train: setup
	$(BIN)/pip install -q -e '.[train]'
	$(BIN)/python -m bot.train
	$(BIN)/python -m bot.focus_fit
	$(BIN)/python -m benchmarks.learned_links --fit

quality: setup
	$(BIN)/python -m benchmarks.quality --tutorial

# The README's pictures, from the real code (docs/pictures.py; the Slack one needs Debian's chromium).
docs: setup
	$(BIN)/python docs/pictures.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
