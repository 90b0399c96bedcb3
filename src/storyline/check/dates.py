"""Date conflicts: two dates for the same event (event word, who, with whom, where)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..analyse.temporal import weekday_of
from ..models import Sentence, TimeExpression
from .actors import name_tokens
from .links import Key, Link
from .places import PLACE_NAMES

MAX_DAYS_APART = 14
"""Dates further apart than this belong to different events (the 2019 summit vs this one)."""


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
    "launch": ("fired", "fires", "launch", "unveil", "went on sale", "goes on sale", "go on sale"),
    "visit": ("visit",),
    # general news events (a weekday given to one of these is compared across sources)
    "attack": ("attack", "foil", "thwart", "raid", "ambush", "bombing", "blast", "explosion",
               "shooting", "stormed", "rammed", "robbed", "robbery", "heist", "hijack",
               "bomb", "explod", "blew up", "blew himself up", "blew herself up"),
    "arrest": ("arrest", "detained", "apprehended", "taken into custody"),
    "escape": ("escape",),
    "charge": ("was charged", "were charged", "indicted", "arraigned"),
    "death": ("died", "was killed", "were killed"),
    "quake": ("earthquake", "quake struck", "quake hit", "tremor"),
    "fire": ("fire broke out", "caught fire", "blaze"),
    "fall": ("fell", "fallen"),
    # a storm reaching land (must be the date's own clause: "the storm hit the coast")
    "landfall": ("landfall", "ashore", "coast", "slammed into"),
    "verdict": ("convicted", "found guilty", "acquitted", "sentenced", "verdict"),
    "trial": ("went on trial", "goes on trial", "trial began", "trial opened", "trial started"),
}  # fmt: skip
_CLAUSE_CLASSES = frozenset(
    {"attack", "arrest", "escape", "charge", "death", "quake", "fire", "fall", "departure",
     "arrival", "launch", "visit", "landfall", "verdict", "trial"}
)  # fmt: skip
"""Classes that must be the time's own clause (its verb or the verb's subject or object), not
just a word near it: "handed out blankets Monday to survivors of an earthquake" does not date
the earthquake."""
_SAYING = (
    r"(said|says|reported|reports|told|announced|confirmed|added|stated|noted|quoted|described|"
    r"warned|claimed|wrote|according to)"
)
REPORTING = re.compile(
    r"\b" + _SAYING + r"(\s+[\w.’'-]+){0,2}\s+(on\s+)?(late\s+|early\s+|earlier\s+|later\s+)?$",
    re.I,
)
_SCENE_BREAK = re.compile(r"[;,]|\b(?:before|after|when|while|where|since|as|and|but|which|who)\b")
_SCENE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|off)\s+(?:the\s+)?(?:(?:town|city|village|province|district|region)\s+of\s+)?$"
)
REPORTING_AHEAD = re.compile(r"\b" + _SAYING + r"\b", re.I)
DATELINE = re.compile(r"^[\s,]*(\d{4}\s*)?\(")


@dataclass(frozen=True)
class _DatedEvent:
    key: Key
    classes: frozenset[str]
    values: tuple[str, ...]
    text: str  # the time expression(s) as written
    weekdays: frozenset[int]  # the weekdays the expressions name (robust to a wrong page date)
    relative: bool  # "yesterday", "today": only as good as the page's own date
    named: bool  # names a weekday ("on Friday")
    subjects: frozenset[str]
    partners: frozenset[str]
    places: frozenset[str]
    all_places: frozenset[str]  # with the broad ones ("crossed into Russia")
    scene: frozenset[str] = frozenset()  # places of the clause before and after the date


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
        # the place of the event: in its clause, before the date or after it up to a clause break
        # ("arrested Jan. 6 in Clairemont", not "five days before San Diego's playoff loss")
        scene_end = groups[k + 1][0].start if k + 1 < len(groups) else len(s.text)
        brk = _SCENE_BREAK.search(s.text, end, scene_end)
        scene_window = (prev_end, brk.start() if brk else scene_end)
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
        if classes & _CLAUSE_CLASSES:
            own = _clause_of(s, start, end)
            classes = {c for c in classes if c not in _CLAUSE_CLASSES or _classes(own) & {c}}
        if not classes:
            continue
        subjects: set[str] = set()
        partners: set[str] = set()
        places: set[str] = set()
        all_places: set[str] = set()
        scene: set[str] = set()
        for e in s.entities:
            if (
                scene_window[0] <= e.start
                and e.end <= scene_window[1]
                and e.label == "GPE"  # a town or country, not a road or a building beside it
                and e.text.lower() not in broad
                and _SCENE_BEFORE.search(s.text[max(0, e.start - 40) : e.start])
                and not re.match(r"[’']s\b", s.text[e.end : e.end + 3])
            ):
                scene.add(e.text.lower())
            if not (window[0] <= e.start and e.end <= window[1]):
                continue
            if e.label in ("GPE", "LOC", "FAC") or e.text.lower() in PLACE_NAMES.get():
                all_places.add(e.text.lower())
                if e.text.lower() not in broad:
                    places.add(e.text.lower())
            elif e.label == "PERSON":
                before = s.text[max(window[0], e.start - 30) : e.start]
                (partners if re.search(r"\bwith\b[^,]*$", before) else subjects).update(
                    name_tokens(e.text)
                )
        out.append(
            _DatedEvent(
                (s.article, s.index),
                frozenset(classes),
                tuple(sorted({t.value for t in g})),
                s.text[start:end],
                frozenset(w for t in g if (w := _weekday(t)) is not None),
                # "yesterday" hangs on the page date; "March 3" names its day whatever the year
                all(t.relative and weekday_of(t.text) is None and not re.search(r"\d", t.text) for t in g),
                any(weekday_of(t.text) is not None for t in g),
                frozenset(subjects),
                frozenset(partners),
                frozenset(places),
                frozenset(all_places),
                frozenset(scene),
            )
        )
    return out


def dated_events(s: Sentence, broad: set[str], memo: dict[tuple[str, Key], object] | None) -> list[_DatedEvent]:
    """The dated events of a sentence, read once per sentence when a memo is given."""
    if memo is None:
        return _events(s, broad)
    key = ("date", (s.article, s.index))
    if key not in memo:
        memo[key] = _events(s, broad)
    return memo[key]  # type: ignore[return-value]


def _clause_of(s: Sentence, start: int, end: int) -> str:
    """The words of the clause a time expression belongs to: its verb with its subject and
    object ("foiled ... attack", "the quake struck")."""
    from ..analyse.nlp import parse

    doc = parse([s.text])[0]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return ""
    h = span.root
    for _ in range(8):
        if (h.pos_ in ("VERB", "AUX") and h.dep_ not in ("acl", "amod")) or h.head.i == h.i:
            break  # "the Navy patrolling the Gulf on Thursday thwarted ...": "thwarted"
        h = h.head
    words = [h]
    if h.dep_ == "relcl":  # "the quake, which struck on Sunday": the quake
        words.append(h.head)
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ == "into":  # "taken into custody", "crashed into"
            words.extend([c, *(g for g in c.children if g.dep_ == "pobj")])
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "auxpass", "prt", "conj"):
            # the argument's head and its compounds ("the quake", "a pirate attack"), not its
            # adjectives ("a fired accountant ... was arraigned Wednesday")
            words.extend(t for t in c.subtree if (t.dep_ == "compound" and t.head.i == c.i) or t.i == c.i)
    words.sort(key=lambda t: t.i)
    return " ".join(t.text for t in words)


def _weekday(t: TimeExpression) -> int | None:
    """The weekday an expression names, or the weekday of an absolute date ("December 19,
    2005" was a Monday); None for a relative day ("yesterday")."""
    named = weekday_of(t.text)
    if named is not None:
        return named
    if not t.relative and t.precision == "day":
        try:
            return dt.date.fromisoformat(t.value).weekday()
        except ValueError:
            return None
    return None


def _cue_re(cue: str) -> str:
    return r"\b" + cue + (r"(?![,)])" if cue == "left" else "")  # "Kim Jong Un, left, steps down"


# One compiled alternation per class, and one over every cue: these run for every date of every
# sentence, and a search per cue cost more than the rest of dated_events.
_CLASS_RES = {
    c: re.compile("|".join(_cue_re(cue) for cue in cues)) for c, cues in EVENT_CLASSES.items()
}
_ANY_CUE = re.compile("|".join(_cue_re(cue) for cues in EVENT_CLASSES.values() for cue in cues))


def _classes(text: str) -> set[str]:
    low = text.lower()
    return {c for c, pattern in _CLASS_RES.items() if pattern.search(low)}


def _first_cue(text: str) -> int:
    """Where the first event cue starts (the leftmost match of any cue), else the text's end."""
    m = _ANY_CUE.search(text.lower())
    return m.start() if m else len(text)


def _days_apart(a: str, b: str) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except ValueError:
        return None


def date_links(
    s1: Sentence, s2: Sentence, broad: set[str], memo: dict[tuple[str, Key], object] | None = None
) -> list[Link]:
    out = []
    for e1 in dated_events(s1, broad, memo):
        for e2 in dated_events(s2, broad, memo):
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
            if e1.relative or e2.relative:
                continue  # "yesterday" depends on the page's date, often itself uncertain
            gaps = [_days_apart(a, b) for a in e1.values for b in e2.values]
            if any(g is None or g > MAX_DAYS_APART for g in gaps):
                continue
            if (
                (e1.named or e2.named)
                and e1.weekdays
                and e2.weekdays
                and len(e1.weekdays) == len(e1.values)
                and len(e2.weekdays) == len(e2.values)
            ):
                # both name weekdays: compare the days named, not dates resolved from page dates
                if e1.weekdays == e2.weekdays:
                    continue
                strong = not (e1.weekdays & e2.weekdays)
                topic = "Date of the " + sorted(e1.classes & e2.classes)[0]
                out.append(Link("date", topic, e1.key, e2.key, e1.text, e2.text, strong))
                continue
            if set(e1.values) == set(e2.values):
                continue
            strong = not (set(e1.values) & set(e2.values))
            topic = "Date of the " + sorted(e1.classes & e2.classes)[0]
            out.append(Link("date", topic, e1.key, e2.key, e1.text, e2.text, strong))
    return out
