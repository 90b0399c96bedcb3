"""Facts whose value is a word, not a figure: the colour of a vehicle, where a person lives, the
charge a person faces. They go through the same blocking, event and grouping steps as figures
(``compare``); their values agree only when they are the same word.

- colour: a colour adjective on a noun ("a silver Toyota Camry", "a gray 2013 Toyota Camry");
  a noun given two colours in one sentence is two things, and is left out;
- residence: "Raj K. Chohan, 59, of College Point", "who lived in South Ozone Park";
- charge: the grade of a killing a person is charged with: murder against manslaughter or
  negligent homicide (other charges are often listed in part and do not exclude each other).
"""

from __future__ import annotations

import re
from typing import Any

from ..models import Sentence
from .facts import Fact, person_key, place_key, same_text
from .values import Value

COLOURS = {
    "black": "black", "white": "white", "red": "red", "blue": "blue", "green": "green",
    "yellow": "yellow", "silver": "silver", "grey": "grey", "gray": "grey", "brown": "brown",
    "orange": "orange", "purple": "purple", "pink": "pink", "gold": "gold", "golden": "gold",
    "beige": "beige", "maroon": "maroon", "navy": "navy",
}  # fmt: skip
OBJECTS = frozenset(
    """car vehicle van truck lorry suv sedan pickup motorcycle motorbike bike bicycle bus taxi
    cab jeep minivan hatchback coupe convertible boat ship plane aircraft helicopter jacket
    shirt t-shirt hoodie sweatshirt coat hat cap dress shoe sneaker trainer sweater jumper bag
    backpack suitcase mask scarf trousers jeans uniform""".split()
)
"""Things whose colour identifies them in a report (a getaway car, a suspect's jacket)."""
_COLOUR_NOUNS_SKIP = frozenset(
    "house party market eye hair skin flag card light paper book collar cross crescent".split()
)
_RESIDENCE = re.compile(
    r"\b(?:who\s+)?(?:lived|lives|living|resides|resided|residing)\s+(?:[\w\s]{0,30}?\s)?(?:in|at)\s+"
    r"(?P<place>(?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'.-]*)*)"
)
_OF_PLACE = re.compile(
    r"^,\s*(?:\d{1,3},\s*)?of\s+(?P<place>(?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'.-]*)*)"
)
_CHARGED = re.compile(
    r"\b(?:charged|indicted|arraigned|booked|accused)\s+(?:with|in|for|on|of)\b(?P<rest>[^.;]*)", re.I
)
HOMICIDE = {
    "murder": re.compile(r"\b(?<!attempted )murder(?:ing|ed)?\b", re.I),
    "manslaughter": re.compile(r"\bmanslaughter\b|\bnegligent\s+homicide\b|\bhomicide\b", re.I),
}


def category_value(text: str, category: str) -> Value:
    return Value(text, 0.0, None, "category", 0.0, "exact", category=category)


def sentence_categories(s: Sentence, doc: Any) -> list[Fact]:
    out: list[Fact] = []
    out.extend(_colours(s, doc))
    out.extend(_residences(s))
    out.extend(_charges(s))
    out.extend(_epicentres(s))
    return out


_EPICENTRE = re.compile(
    r"\b(?:epicent(?:re|er)|cent(?:red|ered)|located)\b[^.;\d]{0,40}?\b(?:in|near|at|on|under|beneath|off)\s+"
    r"(?:the\s+)?(?:(?:town|city|village|island|port|province|region|coast)\s+of\s+)?"
    r"(?P<place>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
)
_QUAKE = re.compile(r"\b(?:(?P<after>after)shocks?|(?:earth)?quakes?|temblors?|tremors?|epicent(?:re|er))\b", re.I)


def _epicentres(s: Sentence) -> list[Fact]:
    """ "The epicentre was near Lorca", "the quake was centred on Qeshm": where a quake struck
    (an aftershock's is kept apart). A named place only, not a distance ("50 km south of")."""
    out = []
    quakes = list(_QUAKE.finditer(s.text))
    if not quakes:
        return []
    for m in _EPICENTRE.finditer(s.text):
        start = m.start("place")
        # the small tagger often calls a town a person or a product; after "epicentre near"
        # a capitalised name is a place unless it is tagged a date, an organisation or a people
        if any(e.start <= start < e.end and e.label in ("DATE", "TIME", "ORG", "NORP") for e in s.entities):
            continue
        before = [q for q in quakes if q.start() < m.end()]
        if not before or (not m.group(0).lower().startswith("epicent") and before[-1].start() < m.start() - 60):
            continue  # "located" or "centred" of something else than a quake
        place = m.group("place")
        if place.endswith("."):
            place = place[:-1]
        subject = "aftershock" if before[-1].group("after") else None
        out.append(
            Fact(s.article, s.index, "place:epicentre", category_value(place, place_key(place)), start,
                 start + len(place), subject=subject)
        )  # fmt: skip
    return out


_COLOUR_RE = re.compile(
    r"\b(?P<colour>" + "|".join(COLOURS) + r")\s+(?:(?:19|20)\d\d\s+)?"
    r"(?:(?P<names>(?:[A-Z][\w-]+\s+)*[A-Z][\w-]+)|(?P<noun>[a-z][\w-]+))"
)


def _colours(s: Sentence, doc: Any) -> list[Fact]:
    """ "a silver Toyota Camry", "a gray 2013 Toyota Camry": (thing, colour). Read from the
    words, not the parse (the tagger often takes "silver" for a noun)."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    matches = list(_COLOUR_RE.finditer(s.text))
    if not matches:
        return []
    nouns = {t.idx: t for t in doc} if doc is not None and same_text(doc, s.text) else {}
    for m in matches:
        if any(e.start <= m.start() < e.end for e in s.entities):
            continue  # "the Red Crescent", "the White House": a name
        if m.group("names"):
            thing = m.group("names").split()[-1].lower()  # a make or model: "Toyota Camry"
        else:
            tok = nouns.get(m.start("noun"))
            if tok is None or tok.pos_ != "NOUN" or tok.lemma_.lower() not in OBJECTS:
                continue  # "black oil", "the brown stuff": a description, not an identifying fact
            thing = tok.lemma_.lower()
        if thing in _COLOUR_NOUNS_SKIP:
            continue
        colour = COLOURS[m.group("colour").lower()]
        found.setdefault(thing, []).append((colour, m.start("colour"), m.end("colour")))
    out = []
    for thing, items in found.items():
        if len({c for c, _, _ in items}) > 1:
            continue  # "a red car and a blue car": two things
        colour, start, end = items[0]
        out.append(
            Fact(s.article, s.index, f"colour:{thing}", category_value(s.text[start:end], colour), start, end)
        )
    return out


_NAME_AGE_OF = re.compile(
    r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z’'-]+)+),\s*\d{1,3},\s*of\s+"
    r"(?P<place>(?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'.-]*)*)"
)


def _residences(s: Sentence) -> list[Fact]:
    out = []
    people = [e for e in s.entities if e.label == "PERSON"]
    for e in people:
        m = _OF_PLACE.match(s.text[e.end :])
        if m:
            place = m.group("place")
            start = e.end + m.start("place")
            out.append(_residence(s, person_key(e.text), place, start))
    for m in _NAME_AGE_OF.finditer(s.text):  # "Raj Chohan, 59, of College Point" (name untagged)
        if not any(e.start <= m.start("name") < e.end for e in people):
            out.append(_residence(s, person_key(m.group("name")), m.group("place"), m.start("place")))
    for m in _RESIDENCE.finditer(s.text):
        before = [e for e in people if e.end <= m.start()]
        who = person_key(before[-1].text) if before else None
        name = re.search(r"([A-Z][a-z’'-]+),?\s*$", s.text[: m.start()])
        if who is None and name:  # "Chohan, who lived ...": a name the tagger missed
            who = person_key(name.group(1))
        out.append(_residence(s, who, m.group("place"), m.start("place")))
    return out


def _residence(s: Sentence, who: str | None, place: str, start: int) -> Fact:
    if place.endswith(".") and not re.search(r"\b[A-Z][a-z]?\.$", place):
        place = place[:-1]  # the sentence's full stop, not "St."
    return Fact(
        s.article, s.index, "residence", category_value(place, place_key(place)), start,
        start + len(place), subject=who,
    )  # fmt: skip


def _charges(s: Sentence) -> list[Fact]:
    out = []
    for m in _CHARGED.finditer(s.text):
        rest = m.group("rest")
        grades = {g for g, pattern in HOMICIDE.items() if pattern.search(rest)}
        if len(grades) != 1:
            continue
        grade = next(iter(grades))
        hit = HOMICIDE[grade].search(rest)
        assert hit is not None
        start = m.start("rest") + hit.start()
        who = None
        before = [e for e in s.entities if e.label == "PERSON" and e.end <= m.start()]
        if before:
            who = person_key(before[-1].text)
        out.append(
            Fact(s.article, s.index, "charge", category_value(hit.group(0), grade), start,
                 m.start("rest") + hit.end(), subject=who)
        )  # fmt: skip
    return out
