"""The news answer-selection sets stay valid: every expected phrase sits verbatim inside one indexed
sentence of its set's sources, and dev and held-out share no article (data/eval/check_phrases.py)."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_news_sets_phrases_are_in_their_sources(capsys):
    main = runpy.run_path(str(ROOT / "data/eval/check_phrases.py"))["main"]
    files = [str(ROOT / f"data/eval/{name}.jsonl") for name in ("news", "news-heldout", "news-heldout2", "news-heldout3", "news-heldout4", "news-heldout5", "news-heldout6", "news-heldout7", "news-heldout8", "news-heldout9", "news-heldout10", "news-heldout11", "news-heldout12", "news-heldout13", "news-heldout14", "news-heldout15", "news-heldout16", "news-heldout17", "news-heldout18", "news-heldout19", "news-heldout20", "news-heldout21", "news-heldout22", "news-heldout23", "news-heldout24", "news-heldout25", "news-heldout26")]
    assert main(files) == 0, capsys.readouterr().out


def test_check_phrases_catches_a_phrase_missing_from_the_sources(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.md").write_text("---\nid: a\ntitle: A\n---\nThe mayor spoke on Monday. She said the plant will reopen in May.\n")
    bad = tmp_path / "set.jsonl"
    bad.write_text('{"sources": "src"}\n'
                   '{"question": "When will it reopen?", "answerable": true, "expect": ["reopen in June"]}\n'
                   '{"question": "Who said so?", "answerable": true, "expect": ["on Monday. She said"]}\n'
                   '{"question": "Cost?", "answerable": false, "expect": ["May"]}\n')
    main = runpy.run_path(str(ROOT / "data/eval/check_phrases.py"))["main"]
    assert main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert "'reopen in June' not verbatim" in out
    assert "'on Monday. She said' is in a source but spans a sentence boundary" in out
    assert "unanswerable question carries phrases" in out
