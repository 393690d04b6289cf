"""`python -m bot.train_cross --layers N`: a cheaper cross-encoder keeps the first N transformer
layers of the initial model, and the saved folder must load as that smaller model (the engine, the
ONNX export and the card all go by its config), not as the full one with layers missing.

Why: the rerank stage's cost is per layer per pair; a 2-layer model costs about a third of the
6-layer one (docs/MEASUREMENTS.md "A 2-layer cross-encoder")."""

from __future__ import annotations

import pytest

from bot.train_cross import HYPER, main, truncate


def _tiny():
    from transformers import BertConfig, BertForSequenceClassification

    cfg = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=6, num_attention_heads=2,
                     intermediate_size=32, num_labels=1)
    return BertForSequenceClassification(cfg)


def test_layers_keeps_the_first_n_and_the_saved_folder_loads_with_n(tmp_path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = _tiny()
    first = [p.clone() for p in model.bert.encoder.layer[0].parameters()]
    assert truncate(model, 2) == 2
    assert len(model.bert.encoder.layer) == 2 and model.config.num_hidden_layers == 2
    assert all(torch.equal(a, b) for a, b in zip(first, model.bert.encoder.layer[0].parameters()))
    model.save_pretrained(str(tmp_path))
    again = AutoModelForSequenceClassification.from_pretrained(str(tmp_path), local_files_only=True)
    assert len(again.bert.encoder.layer) == 2


def test_the_default_keeps_every_layer_and_a_bad_count_is_refused() -> None:
    assert HYPER["layers"] is None
    model = _tiny()
    assert truncate(model, None) == 6 and len(model.bert.encoder.layer) == 6
    with pytest.raises(ValueError, match="6 layers"):
        truncate(model, 7)
    assert main(["--layers", "0"]) == 2


@pytest.mark.parametrize("news", ["news-heldout3,news", "news-heldout3,news-heldout2", "news-heldout3,no-such-set",
                                  "news-heldout3,news-heldout9", "news-heldout3,BLINDSET"])
def test_news_sets_exclude_the_stacks_dev_sets_and_must_exist(news, tmp_path, capsys, monkeypatch) -> None:
    """`--news` chooses the spent news sets the cross-encoder learns the news domain from; the stack
    is fitted on OWN_DEV (news, news-heldout, news-heldout2), which the model must never have seen,
    news-heldout9 is its news validation, and a blind set (data/eval/BLIND) is read by nothing
    before its official run: naming one of those — or a set that is not there — is refused in one
    line before anything is read."""
    from benchmarks import blind

    listed = tmp_path / "BLIND"
    listed.write_text("# test list\nnews-heldout4\n", encoding="utf-8")
    monkeypatch.setattr(blind, "LIST", listed)  # a spent set standing in for a blind one
    news = news.replace("BLINDSET", "news-heldout4")
    assert main(["--news", news, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("--news ") and "\n" not in err
    assert not (tmp_path / "out").exists()
