"""Cleaning: page furniture out of the answerable text, bylines and credits kept as metadata."""

from __future__ import annotations

from ingest.clean import clean_text


def test_wire_style_furniture_and_credits():
    raw = "\n\n".join([
        "U.S. Adds Chinese AI Firms to Trade Blacklist",
        "(Updates with company comment in fifth paragraph)",
        "WASHINGTON (Reuters) - The U.S. Commerce Department added 28 Chinese entities to its entity list.",
        "(Corrects name of agency in second paragraph of story published Oct. 8)",
        "Share this article",
        "Share on Facebook Share on Twitter",
        "Reporting by Alexandra Alper and Karen Freifeld; Editing by Leslie Adler",
        "--With assistance from Jane Doe.",
        "Our Standards: The Thomson Reuters Trust Principles.",
        "Follow us on Twitter",
        "Copyright 2019 Example Wire. All rights reserved.",
    ])
    c = clean_text(raw)
    paras = c.text.split("\n\n")
    assert paras[0] == "U.S. Adds Chinese AI Firms to Trade Blacklist"
    assert paras[1] == "The U.S. Commerce Department added 28 Chinese entities to its entity list."
    assert c.dateline.startswith("WASHINGTON (Reuters)")
    assert "(Corrects name of agency" in c.text  # a correction note is reporting, not furniture
    assert "Updates with" not in c.text and "Share" not in c.text and "Copyright" not in c.text
    assert "Our Standards" not in c.text and "Follow us" not in c.text
    assert c.byline == "Alexandra Alper and Karen Freifeld"
    assert any("Jane Doe" in x for x in c.contacts)
    for p in paras:  # every kept paragraph is verbatim input
        assert p in raw


def test_bylines_and_contact_lines():
    c = clean_text("By Jo Reporter\n\nThe plant opened.\n\nTo contact the reporter on this story: Jo Reporter in Paris at jo@example.com")
    assert c.text == "The plant opened." and c.byline == "Jo Reporter"
