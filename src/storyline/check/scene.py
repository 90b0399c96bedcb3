"""Place conflicts of one dated event: "a bomber blew himself up at a market in Peshawar on
Friday" against "... in Quetta on Friday".

Two sentences tell of one event when they name the same kind of happening (the event classes
of ``dates``) on the same day, by the same people or by no one named, and neither points to
another event. Two different places for it disagree, unless one holds the other, or some
article of the story names both places (then the story knows of both: two bombings on one day,
or a town near a city) -- only sources that each know one place are set against each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..models import AnalysedArticle, Sentence
from .dates import dated_events
from .links import Key, Link

HAPPENINGS = frozenset({"attack", "arrest", "escape", "death", "quake", "fire", "fall", "landfall"})
"""Event classes that happen in one place (a meeting or a journey has its own rules)."""


class PlacesTogether:
    """Which articles of a story name each place (lower-cased entity text)."""

    def __init__(self, docs: Sequence[AnalysedArticle]) -> None:
        self.articles: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            for s in d.sentences:
                for e in s.entities:
                    if e.label in ("GPE", "LOC", "FAC"):
                        self.articles[e.text.lower()].add(d.article.id)

    def named_together(self, a: str, b: str) -> bool:
        return bool(self.articles.get(a, set()) & self.articles.get(b, set()))


def event_place_links(
    s1: Sentence,
    s2: Sentence,
    broad: set[str],
    together: PlacesTogether,
    memo: dict[tuple[str, Key], object] | None = None,
) -> list[Link]:
    out = []
    for e1 in dated_events(s1, broad, memo):
        for e2 in dated_events(s2, broad, memo):
            shared = e1.classes & e2.classes & HAPPENINGS
            if not shared or not e1.scene or not e2.scene or e1.relative or e2.relative:
                continue
            if e1.subjects and e2.subjects and not (e1.subjects & e2.subjects):
                continue
            if e1.named and e2.named:
                if not e1.weekdays or e1.weekdays != e2.weekdays:
                    continue
            elif set(e1.values) != set(e2.values):
                continue
            if any(
                a == b or a in b or b in a or together.named_together(a, b)
                for a in e1.scene
                for b in e2.scene
            ):
                continue
            p1, p2 = _written(s1, e1.scene), _written(s2, e2.scene)
            topic = "Place of the " + sorted(shared)[0]
            out.append(Link("place", topic, e1.key, e2.key, p1, p2, True, e1.values[0]))
    return out


def _written(s: Sentence, places: frozenset[str]) -> str:
    """The place as the sentence writes it (the first one, in text order)."""
    for e in sorted(s.entities, key=lambda e: e.start):
        if e.text.lower() in places:
            return e.text
    return sorted(places)[0]
