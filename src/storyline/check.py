"""check: conflicts between sources (and inside one source), each side quoted verbatim.

No contradiction model runs offline, and embeddings do not see contradictions ("on Tuesday" vs
"on Friday" scores 0.98), so conflicts are found by rules over *related* sentence pairs:

- related = mentions of one aligned claim, or two sentences of one story group whose embeddings
  are at least ``RELATED_SIMILARITY`` apart; never across story groups;
- then, within a pair: quantities of one dimension about the same thing (shared words right after
  the number) that disagree beyond unit conversion ("unit" when the number is the same and the
  unit differs, else "number"); dates of the same event (event word, who, with whom, where);
  places of the same arrival; a denial against an unhedged assertion of the same proposition;
  different actors doing the same thing to the same object.

A pair's link is *strong* when the disagreement is plain, *weak* when it is only partial (a
"Tuesday or Wednesday" against "Tuesday", an undated arrival against a dated one). Conflicts are
the connected groups of strong links; a weak link only adds a side to such a group.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .align import STOPWORDS, content_words, has_vector, stable_id
from .analyse.embed import SentenceVectors
from .models import (
    AnalysedArticle,
    Claim,
    Conflict,
    ConflictSide,
    Quantity,
    Sentence,
    TimeExpression,
)
from .settings import Settings

RELATED_SIMILARITY = 0.35
"""Cosine above which two sentences of one story are compared at all (conflicting sentences about
one fact score 0.39-0.70 on the example; the rules below then require the same event)."""
MAX_RATIO = 2.0
"""Two numbers further apart than this factor are about different things (127 km vs 1,000 miles)."""
TOLERANCE = 0.1
"""Relative difference under which two quantities in *different* units agree once converted
(127 km = 79 miles, rounding included); in the same unit they must be equal."""
NEIGHBOURS = 40
"""Each sentence is compared with at most this many of its nearest sentences in the story (plus
the other mentions of its claims), so the work grows linearly with the story."""
ACTOR_SIMILARITY = 0.6
"""Two sentences must be this close before their actors are compared (it needs a parse)."""
MAX_DAYS_APART = 14
"""Dates further apart than this belong to different events (the 2019 summit vs this one)."""

Key = tuple[str, int]


# --- units --------------------------------------------------------------------------------

_UNIT_TABLE: dict[str, tuple[str, float]] = {}
_UNITS_BY_DIMENSION: dict[str, dict[tuple[str, ...], float]] = {
    "distance": {
        ("km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"): 1000.0,
        ("mi", "mile", "miles"): 1609.344,
        ("m", "meter", "meters", "metre", "metres"): 1.0,
        ("ft", "foot", "feet"): 0.3048,
    },
    "weight": {
        ("kg", "kilogram", "kilograms"): 1.0,
        ("t", "ton", "tons", "tonne", "tonnes"): 1000.0,
        ("lb", "lbs", "pound", "pounds"): 0.4536,
    },
    "duration": {
        ("minute", "minutes"): 60.0,
        ("hour", "hours"): 3600.0,
        ("day", "days"): 86400.0,
        ("week", "weeks"): 604800.0,
        ("month", "months"): 2629800.0,
        ("year", "years"): 31557600.0,
    },
    "share": {("%", "percent", "per cent"): 1.0},
}
for _dim, _names in _UNITS_BY_DIMENSION.items():
    for _group, _factor in _names.items():
        for _name in _group:
            _UNIT_TABLE[_name] = (_dim, _factor)


def unit_of(q: Quantity) -> tuple[str, float, str] | None:
    """(dimension, factor to the base unit, display name); counts ("shells") are their own
    dimension; currencies too (never converted)."""
    if not q.unit:
        return None
    u = q.unit.lower().strip()
    if u in _UNIT_TABLE:
        dim, factor = _UNIT_TABLE[u]
        return dim, factor, u
    singular = u[:-1] if u.endswith("s") and len(u) > 3 else u
    return f"count:{singular}", 1.0, u


_DIMENSION_NAMES = {
    "distance": "Distance",
    "weight": "Weight",
    "duration": "Duration",
    "share": "Share",
}


# --- helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    kind: str
    topic: str
    a: Key
    b: Key
    value_a: str
    value_b: str
    strong: bool
    day: str | None = None  # for place links: the date both sides share


def _context_after(text: str, end: int, n: int = 4) -> list[str]:
    toks = re.findall(r"[A-Za-z][A-Za-z'’-]*", text[end:])[: n + 2]
    return [t for t in toks if t.lower() not in _CONTEXT_STOP][:n]


_CONTEXT_STOP = STOPWORDS | frozenset(
    """away south north east west km miles kilometers kilometres old more less over nearly almost
    about around some roughly per cent percent day days week weeks month months year years hour
    hours each every average least""".split()
)
"""Words after a number that do not say what it measures ("-old", "a day", "more than")."""


def _is_conversion(s: Sentence, q: Quantity) -> bool:
    """ "127 km (79 miles)": the bracketed figure restates the one before it."""
    before = s.text[: q.start].rstrip()
    return before.endswith("(") and any(
        o.end <= q.start and q.start - o.end <= 3 for o in s.quantities
    )


# --- quantities -----------------------------------------------------------------------------


def _quantity_links(s1: Sentence, s2: Sentence) -> list[_Link]:
    out = []
    for q1 in s1.quantities:
        u1 = unit_of(q1)
        if u1 is None or _is_conversion(s1, q1):
            continue
        ctx1 = {w.lower() for w in _context_after(s1.text, q1.end)}
        for q2 in s2.quantities:
            u2 = unit_of(q2)
            if u2 is None or u2[0] != u1[0] or _is_conversion(s2, q2):
                continue
            ctx2 = {w.lower() for w in _context_after(s2.text, q2.end)}
            if not (ctx1 & ctx2) or q1.value <= 0 or q2.value <= 0:
                continue
            # Any other figure in the other sentence that agrees settles it (a restatement).
            if any(_agree(q1, u1, o) for o in s2.quantities) or any(
                _agree(q2, u2, o) for o in s1.quantities
            ):
                continue
            v1, v2 = q1.value * u1[1], q2.value * u2[1]
            if _close(v1, v2, u1[2] != u2[2]):
                continue
            same_number = abs(q1.value - q2.value) / max(q1.value, q2.value) <= 0.01
            if same_number and u1[2] != u2[2]:
                kind = "unit"
            elif max(v1, v2) / min(v1, v2) <= MAX_RATIO:
                kind = "number"
            else:
                continue
            phrase = " ".join(_phrase_after(s1.text, q1.end))
            dim = u1[0]
            name = _DIMENSION_NAMES.get(dim, "Number of " + dim.split(":", 1)[-1] + "s")
            topic = f"{name} {phrase}".strip()
            out.append(
                _Link(
                    kind,
                    topic,
                    (s1.article, s1.index),
                    (s2.article, s2.index),
                    q1.text,
                    q2.text,
                    True,
                )
            )
    return out


def _agree(q: Quantity, u: tuple[str, float, str], other: Quantity) -> bool:
    uo = unit_of(other)
    if uo is None or uo[0] != u[0] or other.value <= 0:
        return False
    return _close(q.value * u[1], other.value * uo[1], u[2] != uo[2])


def _close(v1: float, v2: float, converted: bool) -> bool:
    return abs(v1 - v2) / max(v1, v2) <= (TOLERANCE if converted else 0.005)


def _phrase_after(text: str, end: int) -> list[str]:
    """ "from Vladivostok" after "1,000 miles": the words that say what the number measures."""
    m = re.match(
        r"[\s,]*((?:from|of|to|south of|north of|east of|west of|away from)\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
        text[end:],
    )
    return [m.group(1)] if m else []


# --- dates ----------------------------------------------------------------------------------

EVENT_CLASSES: dict[str, tuple[str, ...]] = {
    "meeting": ("meet", "met", "meeting", "summit", "talks", "negotiation"),
    "arrival": (
        "arrive",
        "arrival",
        "crossed into",
        "crossed the border",
        "crossing the border",
        "enter",
    ),
    "departure": ("left", "leave", "leaves", "depart"),
    "launch": ("fired", "fires", "launch"),
    "visit": ("visit",),
}
_SAYING = (
    r"(said|says|reported|reports|told|announced|confirmed|added|stated|noted|quoted|described|"
    r"warned|claimed|wrote|according to)"
)
REPORTING = re.compile(
    r"\b" + _SAYING + r"(\s+[\w.’'-]+){0,2}\s+(on\s+)?(late\s+|early\s+|earlier\s+|later\s+)?$",
    re.I,
)
REPORTING_AHEAD = re.compile(r"\b" + _SAYING + r"\b", re.I)
DATELINE = re.compile(r"^[\s,]*(\d{4}\s*)?\(")


@dataclass(frozen=True)
class _DatedEvent:
    key: Key
    classes: frozenset[str]
    values: tuple[str, ...]
    text: str  # the time expression(s) as written
    subjects: frozenset[str]
    partners: frozenset[str]
    places: frozenset[str]
    all_places: frozenset[str]  # with the broad ones ("crossed into Russia")


def _events(s: Sentence, broad: set[str]) -> list[_DatedEvent]:
    times = [t for t in s.times if t.precision == "day"]
    groups: list[list[TimeExpression]] = []
    for t in sorted(times, key=lambda t: t.start):
        if groups and re.fullmatch(r"\s+or\s+", s.text[groups[-1][-1].end : t.start]):
            groups[-1].append(t)  # "Tuesday or Wednesday": one event, two possible days
        else:
            groups.append([t])
    out = []
    prev_end = 0
    for k, g in enumerate(groups):
        start, end = g[0].start, g[-1].end
        if REPORTING.search(s.text[max(0, start - 40) : start]) or DATELINE.match(s.text[end:]):
            prev_end = end
            continue  # "KCNA said Wednesday", "SEOUL, Sept. 13 (Yonhap)": when it was reported
        window = (prev_end, start)
        classes = _classes(s.text[window[0] : window[1]])
        if not classes:  # "On Monday, the agency ... will meet": the event follows the date
            nxt = groups[k + 1][0].start if k + 1 < len(groups) else len(s.text)
            window = (end, nxt)
            ahead = s.text[window[0] : window[1]]
            classes = _classes(ahead)
            said = REPORTING_AHEAD.search(ahead)
            if said and said.start() < _first_cue(ahead):
                classes = set()  # "On Sept. 4, the Times reported that ...": a report's date
        prev_end = end
        if not classes:
            continue
        subjects: set[str] = set()
        partners: set[str] = set()
        places: set[str] = set()
        all_places: set[str] = set()
        for e in s.entities:
            if not (window[0] <= e.start and e.end <= window[1]):
                continue
            if e.label in ("GPE", "LOC", "FAC") or e.text.lower() in _PLACE_NAMES.get():
                all_places.add(e.text.lower())
                if e.text.lower() not in broad:
                    places.add(e.text.lower())
            elif e.label == "PERSON":
                before = s.text[max(window[0], e.start - 30) : e.start]
                (partners if re.search(r"\bwith\b[^,]*$", before) else subjects).update(
                    _name_tokens(e.text)
                )
        out.append(
            _DatedEvent(
                (s.article, s.index),
                frozenset(classes),
                tuple(sorted({t.value for t in g})),
                s.text[start:end],
                frozenset(subjects),
                frozenset(partners),
                frozenset(places),
                frozenset(all_places),
            )
        )
    return out


def _cue_re(cue: str) -> str:
    return r"\b" + cue + (r"(?![,)])" if cue == "left" else "")  # "Kim Jong Un, left, steps down"


def _classes(text: str) -> set[str]:
    low = text.lower()
    return {
        c for c, cues in EVENT_CLASSES.items() if any(re.search(_cue_re(cue), low) for cue in cues)
    }


def _first_cue(text: str) -> int:
    low = text.lower()
    found = [
        m.start()
        for cues in EVENT_CLASSES.values()
        for cue in cues
        for m in [re.search(_cue_re(cue), low)]
        if m
    ]
    return min(found) if found else len(text)


def _name_tokens(name: str) -> set[str]:
    return {w for w in content_words(name) if w not in {"president", "leader", "minister", "gen"}}


def _days_apart(a: str, b: str) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except ValueError:
        return None


def _date_links(s1: Sentence, s2: Sentence, broad: set[str]) -> list[_Link]:
    out = []
    for e1 in _events(s1, broad):
        for e2 in _events(s2, broad):
            if not (e1.classes & e2.classes):
                continue
            if e1.subjects and e2.subjects and not (e1.subjects & e2.subjects):
                continue
            if e1.partners and e2.partners and not (e1.partners & e2.partners):
                continue
            if e1.places and e2.places and e1.places != e2.places:
                continue  # arriving at Khasan and at the cosmodrome are two events
            if "arrival" in e1.classes & e2.classes and e1.all_places != e2.all_places:
                continue  # crossing into Russia on Tuesday, reaching the cosmodrome on Wednesday
            if set(e1.values) == set(e2.values):
                continue
            gaps = [_days_apart(a, b) for a in e1.values for b in e2.values]
            if any(g is None or g > MAX_DAYS_APART for g in gaps):
                continue
            strong = not (set(e1.values) & set(e2.values))
            topic = "Date of the " + sorted(e1.classes & e2.classes)[0]
            out.append(_Link("date", topic, e1.key, e2.key, e1.text, e2.text, strong))
    return out


# --- places ---------------------------------------------------------------------------------

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
        known = _PLACE_NAMES.get()
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
                subjects |= _name_tokens(e.text)
        days = {t.value for t in s.times if t.precision == "day"}
        day = min(days) if len(days) == 1 else (post_day if not days else None)
        out.append(_Arrival((s.article, s.index), place.text, frozenset(subjects), day))
    return out


def _place_links(
    s1: Sentence, s2: Sentence, broad: set[str], post_days: dict[Key, str | None]
) -> list[_Link]:
    out = []
    for a1 in _arrivals(s1, broad, post_days.get((s1.article, s1.index))):
        for a2 in _arrivals(s2, broad, post_days.get((s2.article, s2.index))):
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
                _Link(
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


def _contains(a: str, b: str) -> bool:
    return a.lower() in b.lower()


class _Names:
    """Names tagged a place (GPE/FAC) anywhere in the story: the small model sometimes tags
    "Vladivostok" a PERSON in one sentence and a GPE in the next."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def get(self) -> set[str]:
        return self.names


_PLACE_NAMES = _Names()


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


# --- denial vs assertion ----------------------------------------------------------------------

DENIAL = re.compile(r"\b(deny|denies|denied|denying|denial|denials|insists?\b[^.]*\bnot)\b", re.I)
NEGATION = re.compile(r"\b(not|no|never|n't|nothing|neither|nor)\b|n’t", re.I)
HEDGES = re.compile(
    r"\b(may|might|could|would|should|if|expected|expect|likely|possibly|perhaps|believe|believed|"
    r"fear|fears|concern|concerns|predicted|suggest|suggests|whether|will|"
    r"claimed|claims|alleged|allegedly|reportedly|indicates)\b",
    re.I,
)
CANON = {
    "arms": "weapon", "weapon": "weapon", "weapons": "weapon", "weaponry": "weapon",
    "munition": "weapon", "munitions": "weapon", "ammunition": "weapon",
    "negotiation": "talks", "negotiations": "talks", "talks": "talks", "discussed": "talks",
    "discussing": "talks", "negotiating": "talks", "deal": "deal", "deals": "deal",
    "agreement": "deal", "transfer": "deal", "transfers": "deal",
}  # fmt: skip


def _proposition(text: str) -> set[str]:
    return {CANON[w] for w in re.findall(r"[a-z]+", text.lower()) if w in CANON}


def _denial_links(s1: Sentence, s2: Sentence) -> list[_Link]:
    out = []
    for den, ass in ((s1, s2), (s2, s1)):
        m = DENIAL.search(den.text)
        if not m or re.search(r"\bdespite\s+$", den.text[max(0, m.start() - 10) : m.start()], re.I):
            continue
        denied = _proposition(den.text[m.start() :])
        if len(denied) < 2:
            continue
        if DENIAL.search(ass.text) and not re.search(r"\bdespite\s+denials?\b", ass.text, re.I):
            continue
        if NEGATION.search(ass.text) or HEDGES.search(ass.text):
            continue
        found = _proposition(ass.text)
        if len(denied & found) < 2:
            continue
        out.append(
            _Link(
                "denial",
                "Arms talks" if "weapon" in denied else "Denied and asserted",
                (den.article, den.index),
                (ass.article, ass.index),
                _clause(den.text, m.start()),
                _assertion_value(ass.text, denied & found),
                True,
            )
        )
    return out


def _clause(text: str, start: int) -> str:
    end = re.search(r"[,;.]|\band\b", text[start:])
    return text[start : start + end.start()].strip() if end else text[start:].strip()


def _assertion_value(text: str, words: set[str]) -> str:
    """From the first word of the asserted proposition to the end of its clause."""
    positions = [
        m.start() for m in re.finditer(r"[A-Za-z]+", text) if CANON.get(m.group(0).lower()) in words
    ]
    start = min(positions) if positions else 0
    tail = text[start:]
    end = re.search(r"[;.]|,[”\"]?\s", tail)
    value = (tail[: end.start()] if end else tail).strip().rstrip(',.;”"').strip()
    return value + ("”" if value.count("“") > value.count("”") else "")


# --- actors -------------------------------------------------------------------------------

COMMUNICATION = frozenset(
    "say tell report add note quote cite claim believe suggest write warn announce confirm state "
    "deny insist repeat urge call ask reply describe accuse dismiss".split()
)


_Act = tuple[str, frozenset[str], frozenset[str], str]


def _same_act_words(s1: Sentence, s2: Sentence) -> bool:
    """Cheap filter before parsing: the two sentences share most words outside the names."""

    def rest(s: Sentence) -> set[str]:
        names = {w for e in s.entities for w in content_words(e.text)}
        return content_words(s.text) - names

    r1, r2 = rest(s1), rest(s2)
    return bool(r1 and r2) and len(r1 & r2) / len(r1 | r2) >= 0.4


def _parse_acts(sentences: dict[Key, Sentence]) -> dict[Key, list[_Act]]:
    from .analyse.nlp import parse

    keys = list(sentences)
    docs = parse([sentences[k].text for k in keys])
    return {k: _acts(sentences[k], doc) for k, doc in zip(keys, docs, strict=True)}


def _actor_links(s1: Sentence, s2: Sentence, acts: dict[Key, list[_Act]]) -> list[_Link]:
    out = []
    acts1, acts2 = acts[(s1.article, s1.index)], acts[(s2.article, s2.index)]
    for verb, subj1, rest1, who1 in acts1:
        for verb2, subj2, rest2, who2 in acts2:
            if verb != verb2 or not subj1 or not subj2 or subj1 & subj2:
                continue
            union = rest1 | rest2
            if not union or len(rest1 & rest2) / len(union) < 0.5:
                continue
            out.append(
                _Link(
                    "actor",
                    f"Who {verb}",
                    (s1.article, s1.index),
                    (s2.article, s2.index),
                    who1,
                    who2,
                    True,
                )
            )
    return out


def _acts(s: Sentence, doc: Any) -> list[_Act]:
    """(verb lemma, subject name words, other content words, subject as written) for action
    verbs whose subject is a named person, organisation or country."""
    names = [
        (e.start, e.end, e.text) for e in s.entities if e.label in ("PERSON", "ORG", "GPE", "NORP")
    ]
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() in COMMUNICATION:
            continue
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj:
            continue
        span = doc[subj[0].left_edge.i : subj[0].right_edge.i + 1]
        who = [n for n in names if n[0] >= span.start_char and n[1] <= span.end_char]
        if not who:
            continue
        # The whole subject phrase: "Prodigy, one-half of Mobb Deep" and "Prodigy, iconic rapper"
        # are one actor even when the tagger finds different names in them.
        subj_words = frozenset(_name_tokens(span.text))
        rest = frozenset(content_words(doc[tok.i + 1 : tok.right_edge.i + 1].text))
        out.append((tok.lemma_.lower(), subj_words, rest, span.text))
    return out


# --- driver ---------------------------------------------------------------------------------


def find_conflicts(
    docs: Sequence[AnalysedArticle],
    claims: Sequence[Claim],
    vectors: SentenceVectors,
    settings: Settings,
    groups: Sequence[tuple[str, ...]] = (),
) -> tuple[list[Conflict], list[Claim]]:
    """Conflicts (every side quoted verbatim) and the claims, contested where a side falls."""
    sentences: dict[Key, Sentence] = {(s.article, s.index): s for d in docs for s in d.sentences}
    if len(sentences) < 2:
        return [], list(claims)
    group_of = {a: k for k, g in enumerate(groups) for a in g}
    for d in docs:
        group_of.setdefault(d.article.id, len(group_of) + 1000)
    pairs = _related_pairs(docs, claims, vectors, group_of)
    links: list[_Link] = []
    actor_pairs: list[tuple[Sentence, Sentence]] = []
    by_group: dict[int, list[AnalysedArticle]] = defaultdict(list)
    for d in docs:
        by_group[group_of[d.article.id]].append(d)
    broad = {g: broad_places(ds) for g, ds in by_group.items()}
    _PLACE_NAMES.names = place_names(docs)
    post_days = {
        (s.article, s.index): d.reference_date(s)
        for d in docs
        for s in d.sentences
        if s.post is not None
    }
    for k1, k2 in sorted(pairs):
        s1, s2 = sentences[k1], sentences[k2]
        b = broad[group_of[s1.article]]
        links += _quantity_links(s1, s2)
        links += _date_links(s1, s2, b)
        links += _place_links(s1, s2, b, post_days)
        links += _denial_links(s1, s2)
        if (
            s1.text != s2.text
            and _could_act(s1)
            and _could_act(s2)
            and has_vector(vectors, k1)
            and has_vector(vectors, k2)
            and float(vectors[k1] @ vectors[k2]) >= ACTOR_SIMILARITY
            and _same_act_words(s1, s2)
        ):
            actor_pairs.append((s1, s2))
    if actor_pairs:  # one parse per sentence, in a batch, only for the few candidate pairs
        acts = _parse_acts({(s.article, s.index): s for pair in actor_pairs for s in pair})
        for s1, s2 in actor_pairs:
            links += _actor_links(s1, s2, acts)

    conflicts = _assemble(links, sentences, docs)
    contested = {(side.article, side.sentence) for c in conflicts for side in c.sides}
    checked = [
        replace(c, status="contested")
        if any((m.article, m.sentence) in contested for m in c.mentions)
        else c
        for c in claims
    ]
    return conflicts, checked


def _could_act(s: Sentence) -> bool:
    return sum(e.label in ("PERSON", "ORG", "GPE", "NORP") for e in s.entities) >= 1


def _related_pairs(
    docs: Sequence[AnalysedArticle],
    claims: Sequence[Claim],
    vectors: SentenceVectors,
    group_of: dict[str, int],
) -> set[tuple[Key, Key]]:
    pairs: set[tuple[Key, Key]] = set()
    known = {(s.article, s.index) for d in docs for s in d.sentences}
    for c in claims:
        keys = sorted({(m.article, m.sentence) for m in c.mentions} & known)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if group_of.get(a[0]) == group_of.get(b[0]):
                    pairs.add((a, b))
    by_group: dict[int, list[Key]] = defaultdict(list)
    for d in docs:
        for s in d.sentences:
            if has_vector(vectors, (s.article, s.index)):
                by_group[group_of[d.article.id]].append((s.article, s.index))
    for keys in by_group.values():
        if len(keys) < 2:
            continue
        m = vectors.matrix[[vectors.row(*k) for k in keys]]
        k = min(NEIGHBOURS, len(keys) - 1)
        for lo in range(0, len(keys), 512):  # row blocks: memory stays small on big stories
            sims = m[lo : lo + 512] @ m.T
            for r in range(sims.shape[0]):
                sims[r, lo + r] = -1.0
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < len(keys) else None
            for r in range(sims.shape[0]):
                cols = top[r] if top is not None else range(len(keys))
                for j in cols:
                    if sims[r, j] >= RELATED_SIMILARITY:
                        a, b = keys[lo + r], keys[int(j)]
                        pairs.add((a, b) if a < b else (b, a))
    return pairs


def _assemble(
    links: list[_Link], sentences: dict[Key, Sentence], docs: Sequence[AnalysedArticle]
) -> list[Conflict]:
    """Connected groups of strong links of one kind (sharing a sentence joins them), plus the
    sides that weak links attach to such a group."""
    order = {d.article.id: k for k, d in enumerate(docs)}
    parent: dict[tuple[str, Key], tuple[str, Key]] = {}

    def find(x: tuple[str, Key]) -> tuple[str, Key]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    values: dict[tuple[str, Key], str] = {}
    for ln in links:
        if not ln.strong:
            continue
        a, b = (ln.kind, ln.a), (ln.kind, ln.b)
        values.setdefault(a, ln.value_a)
        values.setdefault(b, ln.value_b)
        parent[find(a)] = find(b)
    topics: dict[tuple[str, Key], str] = {}
    for ln in links:
        if ln.strong:
            topics.setdefault(find((ln.kind, ln.a)), ln.topic)
    # Weak links only add a side to a group that already has a plain disagreement.
    for ln in links:
        if ln.strong:
            continue
        a, b = (ln.kind, ln.a), (ln.kind, ln.b)
        if a in parent and b not in parent:
            values[b] = ln.value_b
            parent[b] = find(a)
        elif b in parent and a not in parent:
            values[a] = ln.value_a
            parent[a] = find(b)
    members: dict[tuple[str, Key], list[tuple[str, Key]]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    out = []
    for root, xs in members.items():
        keys = sorted({x[1] for x in xs}, key=lambda k: (order.get(k[0], 1 << 30), k[1]))
        sides = tuple(
            ConflictSide(k[0], k[1], sentences[k].text, values.get((root[0], k))) for k in keys
        )
        if len({s.value for s in sides}) < 2 and root[0] != "denial":
            continue
        kind = root[0]
        topic = topics.get(root, kind)
        out.append(
            Conflict(
                id=stable_id("x-", [kind] + [f"{s.article}:{s.sentence}" for s in sides]),
                kind=kind,  # type: ignore[arg-type]
                summary=_summary(topic, sides, kind),
                sides=sides,
            )
        )
    out.sort(key=lambda c: (order.get(c.sides[0].article, 1 << 30), c.sides[0].sentence, c.kind))
    return out


def _summary(topic: str, sides: Sequence[ConflictSide], kind: str = "") -> str:
    """One line: each distinct value once, with the articles that give it.

    'Distance from Vladivostok: "1,000 miles" (000) vs "1,000 kilometers" (001)'
    """
    shown: dict[str, str] = {}
    articles: dict[str, list[str]] = defaultdict(list)
    for side in sides:
        value = side.value or ""
        if kind == "denial":  # all denials on one side, all assertions on the other
            key = "denied" if DENIAL.search(value) else "asserted"
            shown.setdefault(key, value)
            if side.article not in articles[key]:
                articles[key].append(side.article)
            continue
        key = re.sub(r"^(on|in|at)\s+", "", value.lower()).strip(' “”"')
        shown.setdefault(key, value)
        if side.article not in articles[key]:
            articles[key].append(side.article)
    parts = [(f'"{shown[k]}" ' if shown[k] else "") + f"({', '.join(articles[k])})" for k in shown]
    return f"{topic}: " + " vs ".join(parts)
