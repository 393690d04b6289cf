"""An award taken back retracts who won it (detector 56), on the same contest or prize. Invented stories, several phrasings; pairs
scored with the real model.

"Lena Vark won the women's all-around title" is withdrawn by "The federation stripped Lena Vark of her
all-around gold medal"; so are "took away his 2011 Tour of Norland victory", "took back the first prize it
awarded … to Marco Dell's series", "Dell's title was revoked". Someone else stripped, a prize another
person won, a claim that reports no win, or the winner's denial link nothing.
"""

from __future__ import annotations

import pytest

from ingest.corrections import signals as sg

TAKEN = [
    ("Lena Vark won the women's all-around title at the Halden Games on Thursday.",
     "The federation stripped Lena Vark of her all-around gold medal on Tuesday after a failed drug test."),
    ("Piet Olsen won the Tour of Norland on Sunday, riding into Bergvik in the yellow jersey.",
     "A sports court banned Piet Olsen for two years and took away his Tour of Norland victory."),
    ("First prize in the street category went to Marco Dell for ten pictures of the port of Ostend.",
     "The Ostend Photo Prize took back on Wednesday the first prize it awarded last month to Marco Dell's series."),
    ("Jon Berg won the Calder marathon title in record time on Sunday.",
     "Jon Berg was stripped of his Calder marathon title on Friday after a failed test."),
    ("The jury gave the Harlan Prize to Sara Quist for her novel The Long Field.",
     "Sara Quist's Harlan Prize was revoked on Monday after the jury found the novel had been plagiarised."),
]

NOT_TAKEN = [
    # someone else stripped of a title
    ("Lena Vark won the women's all-around title at the Halden Games on Thursday.",
     "The federation stripped Anna Holm of her vault gold medal on Tuesday."),
    # a claim that reports no win
    ("Piet Olsen tested positive for a banned stimulant after the Tour of Norland.",
     "A sports court banned Piet Olsen for two years and took away his Tour of Norland victory."),
    # negated; a contest won from a rival; not a prize at all
    ("Lena Vark won the women's all-around title at the Halden Games on Thursday.",
     "Organisers did not strip Lena Vark of her all-around title."),
    ("Calder Rovers won the Varnia league title last season.",
     "Calder United took the Varnia league title away from Calder Rovers with a 2-1 win."),
    ("Varnia's central bank won praise from the IMF for its reforms.",
     "The government stripped Varnia's central bank of its gold reserves."),
    ("Marco Dell won a $2 million contract to build the Calder bridge.",
     "The court revoked the title to the land Marco Dell bought in Calder."),
    # the winner's denial
    ("Lena Vark won the women's all-around title at the Halden Games on Thursday.",
     "Lena Vark denied that she should be stripped of her all-around gold medal."),
]


@pytest.mark.parametrize("claim,later", TAKEN)
def test_an_award_taken_back_withdraws_the_win(pair_evidence, claim, later):
    assert sg.signals(later).award_taken
    ev = pair_evidence(claim, later)
    assert ev is not None and ev.family == "retraction" and ev.kind == "retraction:award", ev


@pytest.mark.parametrize("claim,later", NOT_TAKEN)
def test_another_winner_no_win_or_a_denial_links_nothing(pair_evidence, claim, later):
    ev = pair_evidence(claim, later)
    assert ev is None or ev.kind != "retraction:award", ev


def test_ordinary_words_take_no_award_back():
    for text in ("He took back his remarks about the referee.", "She won back her seat in 2019.",
                 "The medal ceremony was moved to Friday.", "Officials stripped the building of its asbestos."):
        assert not sg.signals(text).award_taken, text
