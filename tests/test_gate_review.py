"""The relinking speed-ups change no result beyond the realworld pairs test_relink_speed.py checks.

Why: the evidence gate (`ingest/corrections/gate.py`) returns None before a pair's subject is read,
and the learned hook skips full scoring below a bound; both were checked on the labelled realworld
parts' pairs of one part, with the fitted model's weights. A gate condition stricter than
`families.evidence`'s own would drop links silently on other text, and a bound that assumes a
weight's sign would break on the next refit. So: hand-written sentences of the shapes the rules
read (anaphora, definite descriptions, initials, possessive-first names, qualified figures, "no
longer just X", a denial later affirmed), spent news and realworld sources paired across parts at
the most permissive settings, and the hook under weights of either sign.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest

from ingest.corrections import families, signals as sg
from ingest.corrections.gate import YES
from ingest.corrections.learned import FITTED, PairHook, days_between, features, load
from ingest.loaders import split_front_matter
from ingest.records import StoredSentence
from ingest.split import split_sentences
from ingest.tuning import CorrectionsTuning

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"
TUNING = CorrectionsTuning()
SIMS = sorted({0.0, TUNING.sim_loose, TUNING.sim_candidate, TUNING.sim_fair, TUNING.sim_close, TUNING.sim_near,
               TUNING.sim_very, TUNING.noun_subject_sim, 0.97})
# (claim, later statements of one later source): each a shape some family rule reads.
BLOCKS = [
    ('The planes will be delivered to Air India in March, Boeing said.',
     'Boeing said the planes will not be delivered until 2026.',
     'The planes will no longer be delivered in March.'),
    ('The university has suspended the exchange program with Tsinghua.',
     'The University of Virginia reinstated the exchange program on Monday.',
     'The program has been reinstated, officials said.'),
    ('The World Health Organization declared a global health emergency over the outbreak.',
     'WHO ended the global health emergency on Friday.',
     'The emergency is over, the WHO said.'),
    ("Greece's budget deficit was 3.7 percent of GDP in 2009.",
     "Greece's budget deficit was revised to 12.7 percent of GDP.",
     'Eurostat said the figure was wrong.'),
    ('More than 50,000 people attended the rally in Hong Kong, organisers said.',
     'Police said about 40,000 people attended the rally.',
     'The organisers later revised their estimate to 30,000.'),
    ('Acme is no longer just a retailer, its chief executive said.',
     'Acme is no longer a retailer after selling its stores.',
     'Acme no longer just sells shoes.'),
    ('The company has not decided whether to close the Leeds plant.',
     'The company has closed the Leeds plant.',
     'It was closed on Tuesday.'),
    ('Regulators are considering a ban on the pesticide.',
     'Regulators have banned the pesticide.',
     'The ban was announced on Monday.'),
    ('Nasa said the probe would launch in 2024.',
     'The National Aeronautics and Space Administration postponed the launch of the probe to 2026.',
     'NASA delayed the launch again.'),
    ('The report, published by Human Rights Watch, found that the app tracked Uighurs.',
     'Human Rights Watch withdrew the claim from its report.',
     'HRW said the claim was incorrect.'),
    ('Lance Armstrong won the Tour de France seven times.',
     'Armstrong was stripped of his seven Tour de France titles.',
     'LA said nothing.'),
    ('The bridge remains closed to traffic.',
     'The bridge reopened to traffic on Sunday.',
     'The bridge was reopened after repairs.'),
    ('The giant panda is listed as endangered.',
     'The giant panda is no longer listed as endangered.',
     'It was moved to vulnerable.'),
    ('Smith said the mayor had resigned.',
     'Smith later retracted his statement that the mayor had resigned.',
     'The mayor did not resign.'),
    ('The deal is worth $4.5 billion, Reuters reported.',
     'The company now values the deal at nothing, down from the $4.5 billion it estimated.',
     'If the deal collapsed, it would be worth nothing, down from $4.5 billion.'),
    ('The factory employs 5,000 workers.',
     'The company incorrectly stated the factory employs 5,000 workers.',
     'It will employ 500.'),
    ('The minister never used a private email account.',
     'The minister had used a private email account, the inquiry found.',
     'She admitted she had used it.'),
    ('Huawei was placed on the entity list in May 2019.',
     'Huawei was removed from the entity list.',
     'The Commerce Department struck Huawei off the list.'),
    ('The trial will start in June.',
     'A judge blocked the trial from going ahead.',
     'The trial was cancelled.'),
    ('Protesters are not allowed to enter the square.',
     'Protesters were allowed to enter the square on Friday.',
     'Police let them in.'),
    ('He has been accused of fraud.',
     'He was declared innocent by the court.',
     'The court cleared him of fraud.'),
    ('The team plans to build a stadium in Oakland.',
     'The team abandoned its plan to build a stadium in Oakland.',
     'The team dropped the stadium plan.'),
    ("BuzzFeed's description of the memo was accurate, the editor said.",
     "BuzzFeed's description of the memo was not accurate, the special counsel said.",
     'The account was false.'),
    ("Microsoft's offer was $68.7 billion.",
     'Microsoft raised its offer to $75 billion.',
     'The offer is now $75 billion.'),
    ('Its share price rose 5 percent on Monday.',
     'Its share price fell 3 percent on Tuesday.',
     'The shares were unchanged.'),
    ('The vaccine is 95 percent effective, Pfizer said.',
     "Pfizer's claim that the vaccine is 95 percent effective turned out to be untrue.",
     'The efficacy was later put at 90 percent.'),
    ('They will vote on the bill next week.',
     'The vote on the bill was called off.',
     'They have no plans to vote.'),
    ('Armstrong said he would no longer fight the charges, but he has always insisted that he never used '
     'performance-enhancing drugs.',
     'She admitted she had used it.',
     'He admitted he had used performance-enhancing drugs.'),
]
# Spent sets only (data/eval/BLIND lists the unrun ones, never read here).
SPENT = [EVAL / "realworld" / p for p in ("dev", "heldout", "heldout3", "heldout5", "heldout7")] + \
        [EVAL / n / "sources" for n in ("news", "news-heldout2", "news-heldout4", "news-heldout6")]


def _evidence(pairs: list[tuple], gated: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple | None]:
    if not gated:
        monkeypatch.setattr(families, "admits", lambda *a: YES)
    out = []
    for a, b, sim, window, b_index, story, before, a_pub, b_pub, order in pairs:
        ev = families.evidence(a, b, sim, window, b_index, story=story, a_before=before, a_published=a_pub,
                               b_published=b_pub, tuning=TUNING, order=order)
        out.append(None if ev is None else dataclasses.astuple(ev))
    monkeypatch.undo()
    return out


def _hand_pairs() -> list[tuple]:
    out = []
    for claim, *later in BLOCKS:
        for j, b in enumerate(later):
            window = [(k, later[k]) for k in (j - 1, j + 1) if 0 <= k < len(later)]
            for a_pub in ("", "2018", "2020-01-05", "2021-06-01"):  # undated, background history, same year, later
                for sim in SIMS:
                    out.append((claim, b, sim, window, j, False, "Acme said so.", a_pub, "2020-03-05", ""))
                    out.append((claim, b, sim, None, j, True, "", a_pub, "2020-03-05", "prior"))
    return out


def test_the_gate_changes_no_pair_of_hand_written_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = _hand_pairs()
    gated, full = _evidence(pairs, True, monkeypatch), _evidence(pairs, False, monkeypatch)
    assert sum(e is not None for e in full) > 300, "the shapes reach the family rules"
    assert len({e[8] for e in full if e}) >= 15, "many rules apply"
    assert gated == full


def _sentences() -> list[tuple[str, int, str, str, list[str]]]:
    out = []
    for d in SPENT:
        for path in sorted(d.glob("*.md")) + sorted(d.glob("*.txt")):
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            texts = [s.text for s in split_sentences(path.stem, body)]
            out += [(f"{d.parent.name}/{path.stem}", i, t, str(meta.get("published", "")), texts) for i, t in enumerate(texts)]
    return out


def test_the_gate_changes_no_pair_across_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any claim against any later statement that can overturn, whatever their stories — told one
    story (no subject needed) or with the later statement's window and the claim's sentence before."""
    rows = _sentences()
    later = [r for r in rows if sg.signals(r[2]).overturns]
    rng = random.Random(3)
    pairs = []
    for k in range(30_000):
        (_, i, a, a_pub, at), (_, j, b, b_pub, bt) = rng.choice(rows), rng.choice(later)
        window = [(q, bt[q]) for q in (j - 1, j + 1) if 0 <= q < len(bt)]
        if k % 2:
            pairs.append((a, b, 0.97, window, j, False, at[i - 1] if i else "", a_pub, b_pub, ""))
        else:
            pairs.append((a, b, 0.97, None, j, True, "", a_pub, b_pub, "prior"))
    gated, full = _evidence(pairs, True, monkeypatch), _evidence(pairs, False, monkeypatch)
    assert sum(e is not None for e in full) > 100
    assert gated == full


def _hook_pairs() -> tuple[dict[str, list[StoredSentence]], list[tuple]]:
    rng = np.random.default_rng(5)
    by: dict[str, list[StoredSentence]] = {}
    for n, (claim, *later) in enumerate(BLOCKS):
        for sid, pub, texts in ((f"h{n}a", "2020-01-05", [claim]), (f"h{n}b", "2020-03-05", later)):
            for i, t in enumerate(texts):
                v = rng.normal(size=384)
                by.setdefault(sid, []).append(StoredSentence(id=f"{sid}#{i}", source=sid, index=i, start=0, end=0, text=t,
                                                             published=pub, sha="", vector=v / np.linalg.norm(v)))
    pairs = []
    for x in (s for s in by if s.endswith("a")):
        for y in (s for s in by if s.endswith("b")):
            for b in by[y]:
                window = [(r.index, r.text) for r in by[y] if abs(r.index - b.index) == 1]
                a = by[x][0]
                ev = families.evidence(a.text, b.text, float(np.dot(a.vector, b.vector)), window, b.index,
                                       a_published=a.published, b_published=b.published, tuning=TUNING)
                pairs.append((a, b, window, ev))
    return by, pairs


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_hook_bound_holds_for_weights_of_either_sign(seed: int) -> None:
    """The bound adds what shared names and differing figures could add at most: it must hold when
    a refit makes their weights negative, not only for the fitted model's signs."""
    base = load(FITTED)
    g = np.random.default_rng(seed)
    coef = base.coef * g.choice([-1.0, 1.0], size=base.coef.shape) * g.uniform(0.5, 3.0, size=base.coef.shape)
    model = dataclasses.replace(base, coef=-base.coef if seed == 0 else coef, threshold=(0.05, 0.02, 0.1, 0.01)[seed])
    by, pairs = _hook_pairs()
    hook, ref = PairHook(lambda sid: by[sid], lambda sid: "", model), PairHook(lambda sid: by[sid], lambda sid: "", model)
    want: dict = {}
    for a, b, window, ev in pairs:
        cos = float(np.dot(a.vector, b.vector))
        hook.see(a, b, ev, cos, window, "")
        x = features(a.text, b.text, cos, " ".join(t for _, t in window), False,
                     days_between(b.published, a.published), False, ev)
        later = float(np.asarray(b.vector, dtype=np.float64) @ ref._wv) if ref._wv is not None else 0.0
        logit = ref._const + later + sum(w * v for w, v in zip(ref._w, x) if v)
        if logit >= ref._logit and (a.id not in want or logit > want[a.id][0]) and ref(a, b, ""):
            want[a.id] = (logit, b.id, x)
    assert want, "some pairs reach the threshold"
    assert {k: (v[0], v[2].id, v[3]) for k, v in hook.best.items()} == want
