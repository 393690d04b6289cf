"""The splitter: exact offsets always; sensible boundaries on news copy."""

from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

from ingest.split import split_sentences, split_spans


def texts(t: str) -> list[str]:
    return [s.text for s in split_sentences("x", t)]


def test_abbreviations_and_initials_do_not_split():
    t = ("Alibaba Group Holding Ltd. backs it. John F. Kennedy visited the U.S. government offices. "
         "China Electronics Technology Group Corp, a Fortune 500 company, declined. Dr. Lee agreed.")
    assert texts(t) == [
        "Alibaba Group Holding Ltd. backs it.",
        "John F. Kennedy visited the U.S. government offices.",
        "China Electronics Technology Group Corp, a Fortune 500 company, declined.",
        "Dr. Lee agreed.",
    ]


def test_company_suffix_can_end_a_sentence():
    assert texts("Shares rose at Acme Corp. The company said so.") == ["Shares rose at Acme Corp.", "The company said so."]


def test_quotation_spanning_two_sentences():
    t = "“We appreciate the corrections. We are serious about AI,” Megvii said. Next one."
    assert texts(t) == ["“We appreciate the corrections.", "We are serious about AI,” Megvii said.", "Next one."]


def test_closing_quote_stays_with_its_sentence():
    t = "The code proved “inoperable.” The group confirmed that."
    assert texts(t) == ["The code proved “inoperable.”", "The group confirmed that."]


def test_headlines_are_sentences_and_wrapped_prose_is_not_split():
    t = "Rights Group Corrects Report\n\nThe report said the app\nused the technology. It did not.\n"
    assert texts(t) == ["Rights Group Corrects Report", "The report said the app\nused the technology.", "It did not."]


def test_cjk_and_rtl():
    assert len(texts("这是第一句。这是第二句。")) >= 1
    assert texts("مرحبا بالعالم. هذا اختبار.")  # non-empty, offsets checked by the property test


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab AB.?!\n“”\"'’,-1\t") + ["Ltd.", "U.S.", "Mr.", " F. ", "\n\n", "…"]),
                max_size=120).map("".join) | st.text(max_size=200))
def test_spans_are_exact_ordered_and_trimmed(text):
    spans = split_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip() and piece
        last = e
    for sent in split_sentences("x", text):
        assert sent.text == text[sent.start:sent.end]
