"""Fact conflicts: one conflict per disputed fact of one event, its sides grouped by value.

Facts are blocked by attribute (and by what they are the worth or the count of), so only facts
of one kind are ever compared: the work grows with the facts of each kind, not with the square
of the story's sentences. Within a block, facts are gathered into events (``events.compatible``
frames; a fact that could belong to two events is left out), and within an event the values
are grouped by agreement. Two or more groups, carried by different articles, are a conflict.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..align import stable_id
from ..models import AnalysedArticle, Conflict, ConflictKind, ConflictSide
from .events import Frame, StoryFrames, compatible
from .facts import CASUALTIES, ZERO_PHRASE, Fact, label, place_key
from .values import Rates, Value, agree, same_number_other_unit

MAX_SPREAD = {"count": 10.0, "distance:depth": 10.0}
DEFAULT_SPREAD = 4.0
"""Two figures further apart than this factor are about different things, not one disputed
fact (a toll of 10 against last year's 26,000; 79 miles to the border against 1,000 miles to
the launch site). Counts spread more: an early toll of 3 against a later 10 is one fact."""
_NEEDS_SUBJECT = ("age", "population", "term")


@dataclass
class _Event:
    frame: Frame
    subject: str | None
    facts: list[Fact] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    given: set[str] = field(default_factory=set)  # given names of the person ("robert")


class _Story:
    """What facts and conflicts look up in the story, indexed once per story (one conflict at a
    time re-read every sentence: quadratic in a story of hundreds of articles)."""

    def __init__(self, docs: Sequence[AnalysedArticle]) -> None:
        self.docs = docs
        self.position: dict[str, int] = {}
        for i, d in enumerate(docs):
            self.position.setdefault(d.article.id, i)
        self.published = {d.article.id: d.article.published for d in docs}
        self.sentence_text = {(s.article, s.index): s.text for d in docs for s in d.sentences}

    @cached_property
    def texts(self) -> list[str]:
        """Each article's sentences as one text (where two places are named together)."""
        return [" ".join(s.text for s in d.sentences) for d in self.docs]

    def order(self, f: Fact) -> tuple[int, int]:
        return (self.position.get(f.article, len(self.docs)), f.sentence)


def fact_conflicts(
    facts: Sequence[Fact], frames: StoryFrames, docs: Sequence[AnalysedArticle], rates: Rates
) -> list[Conflict]:
    blocks: dict[tuple[str, bool, str | None, str | None], list[Fact]] = defaultdict(list)
    places = _place_descriptors(docs)
    texts = [" ".join(s.text for s in d.sentences).lower() for d in docs]
    containers = _containers(docs)
    parts = _part_places(docs)
    story = _Story(docs)
    for f in facts:
        if parts and f.attribute in CASUALTIES and f.scope is None:
            at = _AT_PLACE.match(story.sentence_text[f.key][f.end :])
            if at and place_key(at.group("place")) in parts:
                # "12 killed in Moore" where the story says "24 across the state, including 12
                # in Moore": the toll of a part, not the whole
                f = Fact(**{**f.__dict__, "scope": place_key(at.group("place"))})
        subject = f.subject
        if f.attribute in ("age", "residence", "charge", "term") and subject:
            subject = frames.canonical.get(subject, subject)
        if f.attribute == "residence" and f.value.category and (
            _broad(f.value.category, texts) or f.value.category in containers
        ):
            continue  # "of Queens" does not contradict "in South Ozone Park" in a Queens story
        if f.attribute in _NEEDS_SUBJECT and not subject:
            continue
        if f.attribute == "population" and subject in places:
            subject = places[subject]
        f = _with_subject(f, subject)
        blocks[(f.attribute, f.cumulative, f.scope, f.item)].append(f)
    several = len({d.article.id for d in docs}) > 1
    out: list[Conflict] = []
    for (attribute, _cum, _scope, _item), block in sorted(blocks.items(), key=lambda kv: str(kv[0])):
        if len({f.article for f in block}) < (2 if several else 1):
            continue
        if attribute.startswith(("count:", "money")) and _distributive(block, rates):
            continue
        for event in _events(block, frames, rates):
            conflict = _conflict(attribute, event, rates, story, several)
            if conflict is not None:
                out.append(conflict)
    return _merge_denials(out)


def _merge_denials(conflicts: list[Conflict]) -> list[Conflict]:
    """ "No casualties" against "12 killed and 20 wounded" is one disputed fact (were there
    casualties?), not a killed and an injured conflict with the same denying sides."""
    merged: dict[tuple[tuple[str, int, str | None], ...], int] = {}
    out: list[Conflict] = []
    for c in conflicts:
        zeros = tuple(sorted((s.article, s.sentence, s.value) for s in c.sides if ZERO_PHRASE.fullmatch(s.value or "")))
        if c.kind != "denial" or not zeros or zeros not in merged:
            if c.kind == "denial" and zeros:
                merged[zeros] = len(out)
            out.append(c)
            continue
        first = out[merged[zeros]]
        seen = {(s.article, s.sentence, s.value) for s in first.sides}
        extra = tuple(s for s in c.sides if (s.article, s.sentence, s.value) not in seen)
        topic, parts = _summary_parts(first.summary)
        other_topic, other_parts = _summary_parts(c.summary)
        zero_part = [p for p in parts if _is_zero_part(p)]
        rest = [p for p in parts + other_parts if not _is_zero_part(p)]
        summary = f"{topic} and {other_topic[0].lower()}{other_topic[1:]}: " + " vs ".join(zero_part[:1] + rest)
        out[merged[zeros]] = replace(first, summary=summary, sides=first.sides + extra)
    return out


def _summary_parts(summary: str) -> tuple[str, list[str]]:
    topic, _, rest = summary.partition(": ")
    return topic, rest.split(" vs ")


def _is_zero_part(part: str) -> bool:
    quoted = re.match(r'^"([^"]*)"', part)
    return bool(quoted and ZERO_PHRASE.fullmatch(quoted.group(1)))


_PLACE_NAME = r"(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
_AT_PLACE = re.compile(r"^\s*(?:people\s+)?(?:(?:were|was|have\s+been|had\s+been)\s+)?(?:[a-z]+\s+)?(?:in|at)\s+" + _PLACE_NAME)
_PART = re.compile(
    r"\b(?:including|among\s+them|of\s+(?:them|whom|those))\s+(?:at\s+least\s+|about\s+)?(?:\d[\d,]*|[a-z]+)\s+"
    r"(?:people\s+|of\s+them\s+)?(?:in|at)\s+" + _PLACE_NAME
)


def _part_places(docs: Sequence[AnalysedArticle]) -> set[str]:
    """Places the story gives a part of a toll for ("24 dead, including 12 in Moore")."""
    return {place_key(m.group("place")) for d in docs for s in d.sentences for m in _PART.finditer(s.text)}


def _containers(docs: Sequence[AnalysedArticle]) -> set[str]:
    """Places the story writes as holding another ("Melbourne, Australia", "Baytown, Texas")."""
    out = set()
    for d in docs:
        for s in d.sentences:
            ents = [e for e in s.entities if e.label in ("GPE", "LOC")]
            for a, b in zip(ents, ents[1:], strict=False):
                if s.text[a.end : b.start] in (", ", " , "):
                    out.add(place_key(b.text))
    return out


def _broad(place: str, texts: list[str]) -> bool:
    """A place most of the story's articles name is its setting, holding the narrower ones."""
    return sum(place in t for t in texts) * 2 >= len(texts)


def _with_subject(f: Fact, subject: str | None) -> Fact:
    if subject == f.subject:
        return f
    return Fact(**{**f.__dict__, "subject": subject})


def _place_descriptors(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    """ "island" -> "qeshm" when the story writes "Qeshm island" (the most frequent such name)."""
    seen: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d in docs:
        for s in d.sentences:
            for e in s.entities:
                if e.label not in ("GPE", "LOC", "FAC"):
                    continue
                words = e.text.split()
                after = re.match(r"\s+([a-z]+)", s.text[e.end :])
                before = re.search(r"\b([a-z]+)\s+of\s+$", s.text[: e.start])
                name = " ".join(w for w in words if w.lower() not in ("island", "city", "town")).lower()
                for desc in [w.lower() for w in words[1:] if w.lower() in ("island", "city", "town")] + [
                    m.group(1) for m in (after, before) if m
                ]:
                    seen[desc][name] += 1
    return {desc: max(names, key=lambda n: names[n]) for desc, names in seen.items()}


def _specificity(f: Fact, fr: Frame) -> tuple[int, int, int]:
    return (int(fr.own_time), len(fr.persons), int(f.subject is not None))


def _events(block: list[Fact], frames: StoryFrames, rates: Rates) -> list[_Event]:
    framed = [(f, frames.frame(f)) for f in block]
    framed.sort(key=lambda x: _specificity(*x), reverse=True)
    events: list[_Event] = []
    for f, fr in framed:
        fits = [e for e in events if _fits(e, f, fr)]
        if not fits:
            events.append(_Event(fr, f.subject, [f], [fr], {f.given} if f.given else set()))
            continue
        if len(fits) > 1:
            scored = sorted(fits, key=lambda e: _affinity(e, f, fr), reverse=True)
            if _affinity(scored[0], f, fr) == _affinity(scored[1], f, fr):
                continue  # could be either event: leave it out
            fits = scored[:1]
        e = fits[0]
        e.facts.append(f)
        e.frames.append(fr)
        if f.given:
            e.given.add(f.given)
        e.frame = Frame(
            _specific_era(e.frame.era, fr.era),
            e.frame.persons or fr.persons,
            e.frame.day or fr.day,
            e.frame.own_time or fr.own_time,
            e.frame.names | fr.names,
        )
        e.subject = e.subject or f.subject
    return events


def _distributive(block: list[Fact], rates: Rates) -> bool:
    """A count or an amount that one sentence gives twice with different figures ("$160
    million from the Nationals, $184 million from the Red Sox", "11 rebounds ... 7 rebounds")
    is given per team, player or item: across sources, different figures are then no conflict."""
    by_sentence: dict[tuple[str, int], list[Fact]] = defaultdict(list)
    for f in block:
        by_sentence[f.key].append(f)
    return any(
        not agree(a.value, b.value, rates)
        for facts in by_sentence.values()
        for i, a in enumerate(facts)
        for b in facts[i + 1 :]
    )


def _ages_agree(a: Fact, b: Fact, dates: dict[str, str | None]) -> bool:
    """Two ages of one person agree when a birthday can fall between the dates they are given
    as of (26, then 27 nine months later); without dates, only the same age agrees."""
    da, db = dates.get(a.article), dates.get(b.article)
    gap = 0.0
    if da and db:
        try:
            gap = (dt.date.fromisoformat(db[:10]) - dt.date.fromisoformat(da[:10])).days / 365.25
        except ValueError:
            gap = 0.0
    diff = b.value.number - a.value.number
    if abs(gap) < 0.25:  # a few days or weeks apart: a birthday in between is not likely
        return diff == 0
    return math.floor(gap) <= diff <= math.ceil(gap)


def _specific_era(a: str | None, b: str | None) -> str | None:
    """Of two compatible eras, the more telling one ("2003-12" over "2003", a date over "other")."""
    if a is None or b is None:
        return a or b
    if a.startswith("other:"):
        return b
    if b.startswith("other:"):
        return a
    return a if len(a) >= len(b) else b


def _fits(e: _Event, f: Fact, fr: Frame) -> bool:
    if f.attribute.startswith(("count:", "distance:")):
        if f.subject != e.subject:
            return False  # "seven bullets entered" and "loaded with four bullets": two counts;
            # where a place is and where a person was seen are two distances
    elif f.subject and e.subject and f.subject != e.subject:
        return False
    if f.given and e.given and f.given not in e.given:
        return False  # "Jeremy Ortiz, 17" is not "Deputy Jerry Ortiz, 35"'s age
    if not compatible(e.frame, fr):
        return False
    if e.frame.persons and fr.persons and not (e.frame.persons >= fr.persons or fr.persons >= e.frame.persons):
        return False  # a fact about two people is not one person's
    base = _base(f.value)
    # one quake has one depth (an aftershock's is kept apart): 10 km against 100 km is disputed
    spread = MAX_SPREAD.get(f.attribute, MAX_SPREAD.get(f.value.dim, DEFAULT_SPREAD))
    if base > 0:
        for other in e.facts:
            ob = _base(other.value)
            if ob > 0 and max(base, ob) / min(base, ob) > spread and not _slip(f.value, other.value):
                return False
    return True


def _digits(v: Value) -> str:
    return re.sub(r"\D", "", f"{v.number:.6f}").strip("0")


def _slip(a: Value, b: Value) -> bool:
    """ "1.2 miles" and "12 miles": the same digits a decimal point apart, one figure mistyped
    (a slip of the point), not two things of different size."""
    d = _digits(a)
    return a.unit == b.unit and len(d) >= 2 and d == _digits(b) and a.number != b.number


def _base(v: Value) -> float:
    return v.base


def _affinity(e: _Event, f: Fact, fr: Frame) -> tuple[int, int, int, int, float]:
    """Which of several possible events a fact most likely belongs to; an unqualified figure
    goes with the event most sources talk about (a magnitude with no quake word is the main
    quake's, not an aftershock's)."""
    return (
        len(e.frame.persons & fr.persons),
        int(e.frame.era == fr.era and fr.era is not None),
        int(bool(f.subject) and f.subject == e.subject),
        len({x.article for x in e.facts}),
        -min(abs(math.log(max(_base(f.value), 1e-9) / max(_base(x.value), 1e-9))) for x in e.facts),
    )


def _value_groups(facts: list[Fact], same: Callable[[Fact, Fact], bool]) -> list[list[Fact]]:
    """Facts grouped by agreeing values. Exact figures first (two that agree are one value);
    then qualified ones, the most repeated first: each joins the one group it fits entirely,
    is left out when it fits several ("about 6.0" between 5.9 and 6.1, "more than 100,000"
    beside 120,000 and 200,000), and stands on its own when it fits none. Vague words
    ("dozens") come last and never stand on their own."""
    exact = [f for f in facts if f.value.qual == "exact"]
    counts: dict[float, int] = defaultdict(int)
    for f in facts:
        counts[f.value.base] += 1
    qualified = sorted(
        (f for f in facts if f.value.qual not in ("exact", "vague")),
        key=lambda f: -counts[f.value.base],
    )
    vague = [f for f in facts if f.value.qual == "vague"]
    groups: list[list[Fact]] = []
    for f in exact:
        joined = [g for g in groups if any(same(f, o) for o in g)]
        if not joined:
            groups.append([f])
            continue
        first = joined[0]
        first.append(f)
        for g in joined[1:]:  # f bridges them: one value after all
            first.extend(g)
            groups.remove(g)
    for f in qualified + vague:
        fits = [g for g in groups if all(same(f, o) for o in g)]
        if len(fits) == 1:
            fits[0].append(f)
        elif not fits and f.value.qual != "vague":
            groups.append([f])
    return groups


def _conflict(
    attribute: str, event: _Event, rates: Rates, story: _Story, several: bool
) -> Conflict | None:
    if attribute == "age":
        groups = _value_groups(event.facts, lambda a, b: _ages_agree(a, b, story.published))
    elif attribute.startswith("place:"):
        groups = _value_groups(event.facts, lambda a, b: _same_place(a.value, b.value, story.texts))
    else:
        groups = _value_groups(event.facts, lambda a, b: agree(a.value, b.value, rates))
    if attribute.startswith("count:") and several:
        # "seven bullets hit him" and "two bullets struck from the front" in one article: a
        # count of things whose every source also gives another figure counts a part of them
        groups = [
            g for i, g in enumerate(groups)
            if not {f.article for f in g} <= {f.article for j, o in enumerate(groups) if j != i for f in o}
        ] if len(groups) > 1 else groups  # fmt: skip
    if len(groups) < 2:
        return None
    articles = [{f.article for f in g} for g in groups]
    if several:
        # a disagreement between sentences of one article only is not a conflict between sources
        if not any(a - b or b - a for i, a in enumerate(articles) for b in articles[i + 1 :]) or len(
            set().union(*articles)
        ) < 2:
            return None
    groups.sort(key=lambda g: (-len({f.article for f in g}), min(story.order(f) for f in g)))
    kind = _kind(groups)
    sides: list[ConflictSide] = []
    seen = set()
    for g in groups:
        for f in sorted(g, key=story.order):
            k = (f.article, f.sentence, f.value.text)
            if k in seen:
                continue
            seen.add(k)
            sides.append(ConflictSide(f.article, f.sentence, story.sentence_text[f.key], f.value.text))
    topic = _topic(attribute, event)
    summary = f"{topic}: " + " vs ".join(_group_text(g, attribute, story) for g in groups)
    if kind == "unit":
        summary += " (the same figure in different units)"
    return Conflict(
        id=stable_id("x-", [kind, attribute] + [f"{s.article}:{s.sentence}:{s.value}" for s in sides]),
        kind=kind,
        summary=summary,
        sides=tuple(sides),
    )


def _same_place(a: Value, b: Value, texts: list[str]) -> bool:
    """Two places agree when one holds the other, or when one article names both ("Qeshm
    island, near Bandar Abbas"): only sources that each know one place disagree."""
    return agree(a, b) or any(a.text in t and b.text in t for t in texts)


_KIND_OF: dict[str, ConflictKind] = {"residence": "place", "charge": "other", "colour": "other", "place": "place"}


def _kind(groups: list[list[Fact]]) -> ConflictKind:
    head = groups[0][0].attribute.split(":")[0]
    if head in _KIND_OF:
        return _KIND_OF[head]
    values = [g[0].value for g in groups]
    if any(v.base == 0 and v.dim == "count" for v in values) and any(v.base > 0 for v in values):
        return "denial"
    pairs = [(a, b) for i, a in enumerate(values) for b in values[i + 1 :]]
    if pairs and all(same_number_other_unit(a, b) for a, b in pairs):
        return "unit"
    return "number"


def _topic(attribute: str, event: _Event) -> str:
    name = label(attribute)
    if attribute.startswith("count:") and event.subject:
        verbs = {"damage": "hit", "seize": "seized", "send": "sent", "sight": "sighted", "marry": "married"}
        name += " " + verbs.get(event.subject, event.subject)
    bits = []
    shared = [fr.persons for fr in event.frames if fr.persons]
    common = frozenset.intersection(*shared) if shared else frozenset()
    if attribute in ("age", "population", "term"):
        bits.append(event.subject.title() if event.subject else "")
    elif common:
        bits.append(", ".join(sorted(p.title() for p in common)))
    if event.frame.era and not event.frame.era.startswith("other:"):
        bits.append(f"the event of {event.frame.era}")
    elif event.frame.era:
        bits.append("an earlier event")
    bits = [b for b in bits if b]
    return name + (f" ({'; '.join(bits)})" if bits else "")


def _group_text(g: list[Fact], attribute: str, story: _Story) -> str:
    shown = g[0].value.text
    articles: list[str] = []
    for f in sorted(g, key=story.order):
        if f.article not in articles:
            articles.append(f.article)
    text = f'"{shown}" ({", ".join(articles)})'
    if attribute.split(":")[0] in CASUALTIES:  # a toll changes: say when each figure was given
        dates = sorted({day for a in articles if (day := story.published.get(a))})
        if dates:
            text += f" as of {dates[0]}" if len(dates) == 1 else f" as of {dates[0]} to {dates[-1]}"
    return text
