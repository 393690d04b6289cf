"""A seeded synthetic news corpus: many short articles with front matter, news-like sentence
lengths (about 8–45 words, mean near 24, like wire copy) and a few per cent correction and
update sentences, so ingest exercises correction detection the way a real archive does.

The same seed always gives the same files byte for byte, so benchmark runs compare like with like
and a re-ingest of an unchanged corpus really is unchanged. Tests import it too (server mode).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

COMPANIES = [
    "Arcadia Robotics", "Bellmont Energy", "Caldera Pharma", "Dunmore Bank", "Everline Telecom",
    "Fairhaven Mining", "Granite Logistics", "Halvorsen Shipping", "Ironvale Steel", "Juniper Foods",
    "Kestrel Aerospace", "Lumen Semiconductors", "Meridian Insurance", "Northgate Retail",
    "Orchid Biotech", "Pinecrest Media", "Quarry Cement", "Redwood Analytics", "Solent Motors",
    "Tidewater Utilities", "Umbra Security", "Vantage Airlines", "Westbrook Chemicals", "Yarrow Textiles",
]
PEOPLE = [
    "Maria Okafor", "James Lindqvist", "Chen Wei", "Priya Raman", "Tomasz Nowak", "Aisha Bello",
    "Daniel Ferreira", "Sofia Marchetti", "Kenji Watanabe", "Olga Petrenko", "Liam O'Connor",
    "Fatima Haddad", "Rahul Mehta", "Elena Vasquez", "Hugo Lambert", "Grace Mwangi",
]
ROLES = ["chief executive", "finance chief", "spokeswoman", "spokesman", "chairman", "regulator",
         "analyst at Crestline Securities", "union leader", "energy minister", "trade minister"]
PLACES = ["Rotterdam", "Nairobi", "Singapore", "Denver", "Lyon", "Osaka", "Sao Paulo", "Gdansk",
          "Toronto", "Melbourne", "Cape Town", "Hamburg", "Seoul", "Austin", "Mumbai", "Lisbon"]
TOPICS = ["a new battery plant", "the proposed merger", "quarterly earnings", "a data breach",
          "the pension reform", "a port expansion", "drug trial results", "the wage agreement",
          "an antitrust inquiry", "the bond sale", "a product recall", "the factory closure",
          "emissions targets", "the chip shortage", "a cyberattack", "the takeover bid"]
VERBS = ["said", "told reporters", "wrote in a note to clients", "said in a statement",
         "said at a briefing", "told investors on a call"]
PUBLISHERS = ["Harbor Wire", "The Daily Ledger", "Metro Times", "Global Business Review", "City Courier"]
ADJ = ["sharp", "modest", "unexpected", "long-awaited", "contested", "record", "steady", "surprise"]
NOUNS = ["rise", "decline", "delay", "shift", "rebound", "slowdown", "expansion", "cut"]

FILLERS = [
    "The move comes as {c} faces pressure from investors to cut costs and sell underperforming units.",
    "Shares of {c} rose {n} percent in early trading in {p}, their biggest gain since March.",
    "{P}, the company's {r}, {v} that {t} would be completed by the end of next year.",
    "Analysts had expected a {a} {o} in revenue, citing weaker demand across Europe and Asia.",
    "The agreement, which still needs approval from regulators in {p}, would create the region's largest operator.",
    "{c} employs about {k} people and reported sales of ${n} billion last year.",
    "Local officials in {p} said {t} could bring hundreds of jobs to an area hit hard by plant closures.",
    "{P} declined to comment on {t} when reached by phone on Tuesday.",
    "Talks between {c} and {c2} stalled last month over the price and the future of the {p} site.",
    "The company has not disclosed how much it expects {t} to cost, but people familiar with the plans put the figure at more than ${n} billion.",
    "Critics say {t} was rushed through without a proper review of its impact on workers and suppliers.",
    "A {a} {o} in orders helped {c} beat estimates for the third quarter in a row.",
    "{c} said it would hold a call with investors on Thursday to discuss {t} in more detail.",
    "The decision follows months of negotiations between {c}, its lenders and the government in {p}.",
    "According to filings, {c} spent ${n} million on research last year, up from the year before.",
    "{P} {v} that the group remained committed to {p} despite the {a} {o}.",
    "It was not immediately clear whether {c2} would challenge the ruling.",
    "Unions representing workers at the {p} plant have called a strike for next week.",
    "The probe, opened in {p} last year, is examining whether {c} abused its market position.",
    "Bond investors have demanded higher yields from {c} since the {a} {o} in its cash flow.",
]
STATUS_CLAIMS = [
    "{c} said it has no plans to close the {p} factory.",
    "{c} said it is not aware of being under investigation by regulators in {p}.",
    "{P} is still {r} of {c}, a role {pr} has held since 2015.",
]
UPDATES = [
    "{c} has since announced that it will close the {p} factory.",
    "{P} has since stepped down as {r} of {c}.",
    "Regulators in {p} have since opened a formal investigation into {c}.",
]
CORRECTIONS = [
    "An earlier version of this story misstated the number of jobs at the {p} plant.",
    "Correction: {P} is the {r} of {c2}, not {c}, as an earlier version of this article incorrectly said.",
    "{c} said last week's report that it would sell the {p} unit was false, and the newspaper has retracted it.",
    "The figure for sales at {c} was misreported in an earlier version of this story.",
]


@dataclass
class Corpus:
    folder: Path
    files: list[Path]
    sentences_target: int


def _fill(tpl: str, rnd: random.Random) -> str:
    c, c2 = rnd.sample(COMPANIES, 2)
    return tpl.format(
        c=c, c2=c2, P=rnd.choice(PEOPLE), r=rnd.choice(ROLES), v=rnd.choice(VERBS), p=rnd.choice(PLACES),
        t=rnd.choice(TOPICS), a=rnd.choice(ADJ), o=rnd.choice(NOUNS), n=rnd.randint(2, 95),
        k=f"{rnd.randint(2, 90) * 1000:,}", pr=rnd.choice(["she", "he"]))


def article(i: int, n_sentences: int, rnd: random.Random) -> tuple[dict[str, str], list[str]]:
    """Front matter and paragraphs (lists of sentences) of the i-th article."""
    company = rnd.choice(COMPANIES)
    year = 2015 + (i * 7) % 10
    month = 1 + (i * 5) % 12
    day = 1 + (i * 11) % 28
    meta = {
        "id": f"syn-{i:06d}",
        "title": f"{company} weighs {rnd.choice(TOPICS)} amid {rnd.choice(ADJ)} {rnd.choice(NOUNS)}",
        "publisher": rnd.choice(PUBLISHERS),
        "published": f"{year}-{month:02d}-{day:02d}",
        "byline": f"{rnd.choice(PEOPLE)} in {rnd.choice(PLACES)}",
    }
    sents: list[str] = []
    for _ in range(n_sentences):
        roll = rnd.random()
        if roll < 0.015:
            tpl = rnd.choice(CORRECTIONS)
        elif roll < 0.03:
            tpl = rnd.choice(UPDATES)
        elif roll < 0.05:
            tpl = rnd.choice(STATUS_CLAIMS)
        else:
            tpl = rnd.choice(FILLERS)
        s = _fill(tpl, rnd)
        if rnd.random() < 0.35:  # join two clauses now and then: wire copy runs long
            s = s[:-1] + "; " + _fill(rnd.choice(FILLERS), rnd)
        sents.append(s)
    return meta, sents


def render(meta: dict[str, str], sents: list[str], rnd: random.Random) -> str:
    lines = ["---"] + [f"{k}: {_yaml(v)}" for k, v in meta.items()] + ["---", "", meta["title"], ""]
    para: list[str] = []
    for s in sents:
        para.append(s)
        if len(para) >= rnd.randint(1, 4):
            lines += [" ".join(para), ""]
            para = []
    if para:
        lines += [" ".join(para), ""]
    return "\n".join(lines)


def _yaml(v: str) -> str:
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(folder: Path, sentences: int, *, seed: int = 6, per_source: tuple[int, int] = (5, 15)) -> Corpus:
    """Write about `sentences` body sentences (plus one title line per article) as articles of
    5–15 sentences (10 on average: 10k sentences ≈ 1,000 sources) under `folder`."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    total, i = 0, 0
    while total < sentences:
        n = min(rnd.randint(*per_source), sentences - total)
        meta, sents = article(i, n, rnd)
        path = folder / f"{meta['id']}.md"
        text = render(meta, sents, rnd)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        files.append(path)
        total += n + 1  # the title line is a sentence too
        i += 1
    return Corpus(folder, files, sentences)


def change_one(path: Path, seed: int = 99) -> None:
    """Edit one source the way an editor would: one sentence appended, the rest unchanged."""
    rnd = random.Random(seed)
    text = path.read_text()
    path.write_text(text.rstrip("\n") + " " + _fill(rnd.choice(CORRECTIONS), rnd) + "\n")
