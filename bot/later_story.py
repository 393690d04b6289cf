"""Later coverage read at the level of the story, not only of one sentence: what each source's
retrieved sentences say on the question, whether a later story meets the cited one, and whether a
later story's headline puts every sentence of it on the cited subject. Later coverage (bot/later.py)
asks these questions; everything here comes from the candidates the question already retrieved and
scored (they carry their vectors), so a warm question reads nothing more.

Why story-level: a later statement often names its subject only through its story ("Prime Minister
… put the number of dead at 316,000" under "Haiti Marks a Year Since the Quake"), and a shared name
alone is weak evidence ("Britain" in a Brexit story and in one about a Rwanda scheme). The two
closeness levels are the existing hand-set ones (`LaterTuning`): the same point (0.5) for a headline
standing for its story, the closeness a statement needs to a question (0.3) for two stories to meet
at all — on the realworld parts every same-episode pair of stories met at 0.40 or more, while the
same-point level would have dropped 12 of 127, retractions among them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from ingest.corrections.subject import lead_names, names
from ingest.records import StoredSentence
from ingest.split import is_headline
from ingest.terms import unaccent
from ingest.tuning import LaterTuning

from .later_subject import Surroundings, point_overlap, same_subject, without_opening


class Stories:
    """Each source's retrieved sentences and headline, for one question (built once per answer)."""

    def __init__(self, pool: Iterable[StoredSentence], tuning: LaterTuning = LaterTuning()) -> None:
        self.tuning = tuning
        told: dict[str, list[np.ndarray]] = {}
        self.heads: dict[str, StoredSentence] = {}
        for s in pool:
            if s.vector is not None:
                told.setdefault(s.source, []).append(s.vector)
            if is_headline(s.text):
                self.heads[s.source] = s
        self._told = {src: np.array(vs) for src, vs in told.items()}
        self._met: dict[tuple[str, str], bool] = {}

    def _of(self, s: StoredSentence) -> np.ndarray | None:
        got = self._told.get(s.source)
        if got is None and s.vector is not None:
            got = np.array([s.vector])
        return got

    def meet(self, cited: StoredSentence, later: StoredSentence) -> bool:
        """The two stories meet somewhere: a retrieved sentence of the later story is at least as close
        to a retrieved sentence of the cited story as a statement must be to a question it answers."""
        key = (cited.source, later.source)
        if key not in self._met:
            a, b = self._of(cited), self._of(later)
            self._met[key] = a is None or b is None or float((a @ b.T).max()) >= self.tuning.question_dense
        return self._met[key]

    def headed(self, cited: StoredSentence, later: StoredSentence, subject: str, around: Surroundings) -> bool:
        """The later story as a whole is on the cited story's subject and point: its headline (a
        candidate retrieved for this question) names the cited subject and is close in meaning to a
        retrieved sentence of the cited story. A reader reads every sentence of a story under its
        headline."""
        head = self.heads.get(later.source)
        if head is None or head.vector is None or not same_subject(subject, around.titles.get(later.source, "")):
            return False
        told = self._of(cited)
        return told is not None and float((told @ head.vector).max()) >= self.tuning.same_point_dense


def restates(cited: StoredSentence, later: StoredSentence, tuning: LaterTuning = LaterTuning()) -> bool:
    """The later statement takes up the cited sentence's own point in other words: close to it in
    meaning (the same-point level) and sharing a content word with it ("… have found no clear
    evidence that the new coronavirus spreads between people" / "The new coronavirus can pass from
    person to person, …"), its own grammatical subject no name the cited sentence lacks. Such a
    statement is on the cited subject though it shares no name with it or with the question: a
    finding and what became of it are often told with different names (the city in one, the
    country's expert in the other)."""
    if cited.vector is None or later.vector is None:
        return False
    # A statement whose grammatical subject is a name the cited sentence does not name is about that
    # one ("Verizon agreed to buy Yahoo's business for $4.8 billion" beside "AT&T has agreed to buy
    # T-Mobile USA for $39 billion"); one opening on a common noun takes its subject from what it says.
    if lead_names(without_opening(later.text)) - names(cited.text):  # "Doctors now say …" opens on no name
        return False
    return float(np.dot(cited.vector, later.vector)) >= tuning.same_point_dense and bool(point_overlap(cited.text, later.text))


def names_any(text: str, names: Sequence[str]) -> bool:
    """The sentence itself writes one of these (lower-case) names."""
    words = set(_WORD.findall(unaccent(text.lower())))  # the names are read without accents
    return any(n in words for n in names)


_WORD = re.compile(r"[\w'’&-]+")


__all__ = ["Stories", "names_any", "restates"]
