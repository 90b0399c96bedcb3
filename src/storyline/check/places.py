"""Place conflicts: two destinations for the same arrival, and the story's place names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import AnalysedArticle, Sentence
from .actors import name_tokens
from .links import Key, Link

ARRIVAL = re.compile(
    r"\b(arrived|arrives|arrive|arriving|arrival|crossed|crossing|a stop|stopped|landed|reached)\b",
    re.I,
)
_PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass(frozen=True)
class _Arrival:
    key: Key
    place: str  # as written
    subjects: frozenset[str]
    day: str | None


def _arrivals(s: Sentence, broad: set[str], post_day: str | None = None) -> list[_Arrival]:
    """Arrival events with their destination. An undated one in a live-blog post is taken to
    be of the post's day (posts are short and written as things happen)."""
    out = []
    for m in ARRIVAL.finditer(s.text):
        # The destination: the most specific place after "in/at/into/to" within the next words.
        tail_end = m.end() + 90
        stop = re.search(
            r"[.;,]|\b(before|after|where|then|and|which)\b", s.text[m.end() : tail_end]
        )
        if stop:
            tail_end = m.end() + stop.start()
        known = PLACE_NAMES.get()
        places = [
            e
            for e in s.entities
            if m.end() <= e.start < tail_end
            and e.text.lower() not in broad
            and (e.label in _PLACE_LABELS or e.label == "ORG" or e.text.lower() in known)
            and re.search(
                r"\b(in|at|into|to|of|port|city)\s+(?:[\w’'-]+\s+){0,4}$", s.text[m.end() : e.start]
            )
        ]
        if not places:
            continue
        # A named town or site beats a region ("port Vladivostok" over "Pacific coast").
        place = min(
            places, key=lambda e: (e.label == "LOC" and e.text.lower() not in known, e.start)
        )
        subjects: set[str] = set()
        for e in s.entities:
            if e.label == "PERSON" and e.end <= m.start() and e.text.lower() not in known:
                subjects |= name_tokens(e.text)
        days = {t.value for t in s.times if t.precision == "day"}
        day = min(days) if len(days) == 1 else (post_day if not days else None)
        out.append(_Arrival((s.article, s.index), place.text, frozenset(subjects), day))
    return out


def place_links(
    s1: Sentence,
    s2: Sentence,
    broad: set[str],
    post_days: dict[Key, str | None],
    memo: dict[tuple[str, Key], object] | None = None,
) -> list[Link]:
    out = []
    for a1 in arrivals(s1, broad, post_days, memo):
        for a2 in arrivals(s2, broad, post_days, memo):
            if a1.place.lower() == a2.place.lower():
                continue
            if _contains(a1.place, a2.place) or _contains(a2.place, a1.place):
                continue
            if a1.subjects and a2.subjects and not (a1.subjects & a2.subjects):
                continue
            if a1.day and a2.day and a1.day != a2.day:
                continue  # two arrivals on two days: a journey, not a conflict
            strong = bool(a1.day and a2.day)
            out.append(
                Link(
                    "place",
                    "Place of arrival",
                    a1.key,
                    a2.key,
                    a1.place,
                    a2.place,
                    strong,
                    a1.day or a2.day,
                )
            )
    return out


def arrivals(
    s: Sentence, broad: set[str], post_days: dict[Key, str | None], memo: dict[tuple[str, Key], object] | None
) -> list[_Arrival]:
    key = (s.article, s.index)
    if memo is None:
        return _arrivals(s, broad, post_days.get(key))
    if ("place", key) not in memo:
        memo[("place", key)] = _arrivals(s, broad, post_days.get(key))
    return memo[("place", key)]  # type: ignore[return-value]


def _contains(a: str, b: str) -> bool:
    return a.lower() in b.lower()


class _Names:
    """Names tagged a place (GPE/FAC) anywhere in the story: the small model sometimes tags
    "Vladivostok" a PERSON in one sentence and a GPE in the next."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def get(self) -> set[str]:
        return self.names


PLACE_NAMES = _Names()


def place_names(docs: Sequence[AnalysedArticle]) -> set[str]:
    return {
        e.text.lower()
        for d in docs
        for s in d.sentences
        for e in s.entities
        if e.label in ("GPE", "FAC")
    }


def broad_places(docs: Sequence[AnalysedArticle]) -> set[str]:
    """Places that contain others: used as "Russia's Far East", "Vladivostok, Russia"."""
    out = set()
    for d in docs:
        for s in d.sentences:
            for e in s.entities:
                if e.label not in ("GPE", "LOC"):
                    continue
                after = s.text[e.end : e.end + 2]
                before = s.text[max(0, e.start - 2) : e.start]
                if after in ("’s", "'s") or (
                    before == ", "
                    and any(o.label in _PLACE_LABELS and o.end == e.start - 2 for o in s.entities)
                ):
                    out.add(e.text.lower())
    return out
