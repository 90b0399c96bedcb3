"""Typed facts of one sentence: what each figure in it measures, read from the parse.

A fact is (attribute, value): "killed: at least 10", "magnitude: 6.1", "distance from Tehran:
1,500 km", "age of Buckley: 32", "count of villages hit: seven", "money stolen: $2.6 million".
Attributes come from general vocabularies (casualty words, "magnitude", units, "home to",
"-year-old", currency signs), never from one story's words. A figure whose meaning is unclear
gives no fact: it is better to compare nothing than two different things.

This runs once per sentence (on the parse ``analyse`` already made); the comparison stage only
sees facts, grouped by attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..analyse.quantities import VAGUE, word_number
from ..models import Quantity, Sentence
from .values import Value, dimension, is_conversion, is_range_end, make_value

# --- vocabularies ---------------------------------------------------------------------------

CASUALTIES: dict[str, frozenset[str]] = {
    "killed": frozenset("kill die dead death fatality perish life toll body".split()),
    "injured": frozenset("injure wound hurt injury injured wounded".split()),
    "missing": frozenset("missing unaccounted".split()),
    "arrested": frozenset("arrest detain apprehend nab custody".split()),
    "rescued": frozenset("rescue".split()),
    "evacuated": frozenset("evacuate evacuee".split()),
    "displaced": frozenset("displace homeless".split()),
}
ATTRIBUTE_LABELS = {
    "residence": "Where they live",
    "charge": "The charge",
    "killed": "People killed",
    "injured": "People injured",
    "missing": "People missing",
    "arrested": "People arrested",
    "rescued": "People rescued",
    "evacuated": "People evacuated",
    "displaced": "People displaced",
    "magnitude": "Magnitude",
    "term": "Prison term",
    "speed:wind": "Wind speed",
    "speed:gust": "Wind gusts",
    "count:spouse": "Number of spouses",
    "place:epicentre": "Place of the epicentre",
    "population": "Population",
    "age": "Age",
    "money": "Amount",
    "money:stolen": "Value of what was taken",
    "money:bail": "Bail",
    "money:fine": "Fine",
    "money:damage": "Cost of the damage",
    "money:price": "Price",
    "money:ransom": "Ransom",
}
PERSON_NOUNS = frozenset(
    """people person man woman child kid baby suspect pirate militant protester member crewmember
    crewman crew soldier officer civilian student worker passenger migrant rebel fighter
    insurgent gunman attacker robber thief climber tourist resident villager staff employee
    police policeman journalist inmate prisoner hostage miner victim adult worshipper pilgrim
    sailor fisherman demonstrator activist survivor casualty other more pedestrian driver
    firefighter rescuer teenager youth girl boy motorist co-worker coworker colleague
    bystander patient tourist""".split()
)
UNIT_WORDS = frozenset("mile kilometer kilometre metre meter foot feet yard km m ft mi".split())
CASUALTY_REACH = 2
"""A casualty word must be this close to the figure in the parse: "killing 10 people" (the
verb of the figure's noun), not "father to two boys" three steps from "died"."""
_REPORTING = frozenset(
    "say tell report add quote cite state announce confirm claim according note write".split()
)
_CHANGE = frozenset("rise reach climb stand jump increase put be have hit top surpass".split())
_MAGNITUDE_CUES = frozenset("magnitude richter strength".split())
_QUAKE_NOUNS = frozenset("quake earthquake temblor tremor aftershock shock".split())
_FALL = frozenset("fall plunge drop tumble slide plummet slip".split())
_DEPTH = frozenset("depth deep".split())
_DIRECTIONS = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest|north-east|north-west|south-east|south-west|northern|southern|eastern|western)\s+)?"
    r"(?:of|from|away\s+from|outside|off)\s+(?:(?:the|a|an|their|his|her|its|our)\s+)?"
    r"(?:(?:port|city|town|village|capital)\s+of\s+)?(?P<anchor>(?:[A-Z][\w’'-]*\s*)+|[a-z]+)"
)
_AWAY = re.compile(r"^\s*(?:\([^)]*\)\s*)?away\b")
_GENERIC_AUX = frozenset("can could would may might should must".split())
_MONEY_DOMAINS: list[tuple[str, frozenset[str]]] = [
    ("bail", frozenset("bail bond".split())),
    ("fine", frozenset("fine fined penalty".split())),
    # "will cost $599 when it goes on sale" is a price; "the damage will cost" a damage
    ("price", frozenset("price priced retail sell sale buy".split())),
    ("damage", frozenset("damage loss cost losses".split())),
    ("ransom", frozenset("ransom".split())),
    ("stolen", frozenset("steal stole rob loot haul booty heist theft raid snatch grab lift "
                         "off jewel jewellery jewelry gem diamond".split())),
]  # fmt: skip
_MASS_ITEMS = frozenset(
    "jewellery jewelry loot booty haul cash money gold property equipment goods valuables".split()
)
_COUNT_SKIP = frozenset(
    """year month week day hour minute second time percent cent point people person per way
    part kind sort lot number dozen hundred thousand million billion one side pm am degree
    stage step decade century season game round inning quarter term win loss goal run yard
    touchdown catch carry rebound assist record age block grade count charge sentence
    list caliber calibre gauge mm""".split()
)
_VERB_CLASSES: dict[str, str] = {
    **{v: "damage" for v in "destroy damage flatten level raze hit affect devastate wreck strike collapse topple".split()},
    **{v: "seize" for v in "seize confiscate find recover nab capture take intercept board".split()},
    **{v: "sight" for v in "spot see detect notice approach try sight attack".split()},
    **{v: "occur" for v in "be occur happen follow feel record register jolt rock shake".split()},
    **{v: "fire" for v in "fire shoot launch drop".split()},
    **{v: "send" for v in "send dispatch deploy call".split()},
}  # fmt: skip
_TERM = frozenset("sentence sentenced prison jail imprisonment custody behind".split())
_POSSIBLE_TERM = frozenset("face faces facing faced maximum minimum possible carry carries seek seeks sought ask asked".split())
_SPEED_CHANGE = frozenset(
    "expect expected forecast predict strengthen weaken intensify increase decrease drop rise "
    "slow could may might will would reach".split()
)
_BY_PLACE = re.compile(
    r"^\s*(?:[a-z]+\s+){0,2}?(?:in|at)\s+(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s*(?:,|and)\s+"
    r"(?:another\s+|at\s+least\s+)?(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|a\s+dozen)\s+(?:[a-z]+\s+){0,2}?(?:in|at)\s+[A-Z]"
)
_SPOUSES = frozenset("wife husband spouse bride".split())
_SPOUSE_PEOPLE = frozenset("woman man girl".split())
ZERO_PHRASE = re.compile(
    r"\b(?:no[\s-]?one|nobody|no\s+one|none)\s+(?:\w+\s+){0,2}?(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+"
    r"(?:\w+\s+)?(?P<verb>killed|hurt|injured|wounded|harmed|arrested|missing)\b"
    r"|\bno\s+(?:reported\s+|immediate\s+)?(?P<noun>casualties|injuries|deaths|fatalities|victims|arrests)\b"
    r"|\bwithout\s+(?:any\s+)?(?P<noun2>casualties|injuries|deaths|fatalities)\b",
    re.I,
)
_ZERO_ATTR = {"killed": "killed", "hurt": "injured", "injured": "injured", "wounded": "injured",
              "harmed": "injured", "arrested": "arrested", "missing": "missing",
              "casualties": "casualties", "injuries": "injured", "deaths": "killed",
              "fatalities": "killed", "victims": "casualties", "arrests": "arrested"}  # fmt: skip
_CUMULATIVE = re.compile(
    r"\b(?:so\s+far|to\s+date|thus\s+far|in\s+total|a\s+total\s+of|altogether|in\s+all)\b", re.I
)
_INCREMENT = re.compile(r"\b(?:additional|another|further|extra|more|other|second|new)\s+$", re.I)


@dataclass(frozen=True)
class Fact:
    """One typed fact read from one sentence."""

    article: str
    sentence: int
    attribute: str  # "killed", "magnitude", "distance:from:tehran", "count:village:damage", ...
    value: Value
    start: int  # character span of the value in the sentence (for quoting and framing)
    end: int
    subject: str | None = None  # what or whom the value is about, when the attribute needs one
    item: str | None = None  # a specific thing the amount is the worth of ("necklace")
    cumulative: bool = False  # "so far", "in total": a running total, not this event's figure
    scope: str | None = None  # a place a zero is limited to ("no injuries in Dubai")
    given: str | None = None  # the person's given name when the text gives it ("Robert")

    @property
    def key(self) -> tuple[str, int]:
        return (self.article, self.sentence)


def label(attribute: str) -> str:
    """A reader's name for an attribute: "Distance from Tehran", "Number of villages hit"."""
    head, _, rest = attribute.partition(":")
    if attribute in ATTRIBUTE_LABELS:
        return ATTRIBUTE_LABELS[attribute]
    if head in ATTRIBUTE_LABELS:
        return ATTRIBUTE_LABELS[head]
    if head == "distance":
        kind, _, anchor = rest.partition(":")
        if kind == "from":
            return f"Distance from {anchor.title()}" if anchor != "away" else "Distance away"
        return {"fall": "Height of the fall", "depth": "Depth"}.get(kind, "Distance")
    if head == "colour":
        return f"Colour of the {rest}"
    if head == "count":
        noun, _, verb = rest.partition(":")
        plural = noun if noun.endswith("s") else noun + "s"
        verbs = {"damage": "hit", "seize": "seized", "send": "sent"}
        return f"Number of {plural}" + (f" {verbs.get(verb, verb)}" if verb else "")
    return attribute.capitalize()


# --- reading facts from one sentence --------------------------------------------------------


def sentence_facts(s: Sentence, doc: Any) -> list[Fact]:
    """Every typed fact of one sentence (``doc`` is its spaCy parse, or None)."""
    if doc is None or not same_text(doc, s.text):
        return []
    out: list[Fact] = []
    quantities = list(s.quantities)
    cumulative = bool(_CUMULATIVE.search(s.text))
    for q in quantities:
        if is_conversion(s.text, q, quantities) or is_range_end(s.text, q, quantities):
            continue
        if q.value <= 0 or _not_a_count(s.text, q):
            continue
        tok = _number_token(doc, q)
        if tok is None or _generic(tok):
            continue
        if _INCREMENT.search(s.text[max(0, q.start - 25) : q.start]):
            continue  # "an additional six engines": an increment, not the total
        value = make_value(s.text, q, quantities)
        fact = _read(s, q, tok, value, doc)
        if fact is None:
            continue
        if cumulative and fact.attribute.split(":")[0] not in CASUALTIES:
            fact = Fact(**{**fact.__dict__, "cumulative": True})
        part = _BY_PLACE.match(s.text[q.end :])
        if part and fact.attribute in CASUALTIES:
            # "five people in Texas and three in Oklahoma": a toll by place, not the total
            fact = Fact(**{**fact.__dict__, "scope": place_key(part.group("place"))})
        out.append(fact)
    out.extend(_zeros(s))
    return out


def same_text(doc: Any, text: str) -> bool:
    """The parse is of this very text (offsets line up); cheaper than building ``doc.text``."""
    return len(doc) > 0 and doc[-1].idx + len(doc[-1].text) == len(text.rstrip())


def _not_a_count(text: str, q: Quantity) -> bool:
    """ "no-one", "one of the seven emirates", "two more victims" (an increment)."""
    if q.text.lower() == "one" and (
        re.search(r"\b(?:no|any|every|some)[\s-]$", text[: q.start], re.I)
        or re.match(r"^\s+of\b", text[q.end :])
    ):
        return True
    if re.search(r"\b(?:wound|wounding|wounded|injur\w+|hurt|hurting)\s+(?:\w+\s+){0,2}$", text[: q.start], re.I) and re.match(
        r"^\s+others\b", text[q.end :]
    ):
        return False  # "killed 12 people and wounded 20 others": the count of the wounded
    return bool(
        q.unit is None
        and re.match(r"^\s+(?:more|other|others|additional|extra|further)\b", text[q.end :])
        and q.text.lower() not in VAGUE
    )


def _number_token(doc: Any, q: Quantity) -> Any:
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return None
    nums = [t for t in span if t.like_num or t.pos_ == "NUM" or t.lower_ in ("dozens", "hundreds", "thousands", "half")]
    if not nums:
        return span.root
    # the last number word carries the dependency ("two million": "million")
    return nums[-1]


def _generic(tok: Any) -> bool:
    """ "A magnitude-6.0 quake can cause severe damage": a general statement, not a report."""
    for h in [tok, *tok.ancestors]:
        if h.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "aux" and c.lower_ in _GENERIC_AUX for c in h.children)
    return False


def _clause_lemmas(tok: Any, q: Quantity | None = None) -> dict[str, float]:
    """Lemmas around a number with their tree distance: its head noun and that noun's modifiers,
    the verb governing it (past prepositions), and for "the toll rose to 10" the subject of the
    change verb. Stops at a reporting verb ("officials said")."""
    seen: dict[str, float] = {}

    def add(t: Any, d: float) -> None:
        for lem in {t.lemma_.lower(), t.lower_}:
            if lem not in seen or seen[lem] > d:
                seen[lem] = d

    add(tok, 0)
    for c in tok.children:
        if c.dep_ in ("acl", "amod", "compound", "nmod"):
            add(c, 0.5)
    h, d = tok, 0
    while h.head.i != h.i and d < 4:
        h, d = h.head, d + 1
        if q is not None and q.start <= h.idx < q.end:
            d -= 1  # the unit of the figure itself ("600m" parsed as "600" + a verb "m")
            continue
        if h.lower_ == "of" and h.head.lemma_.lower() in ("total", "number", "toll", "tally", "count"):
            d -= 1  # "a total of 10 people had been killed": "total of" is no step away
            add(h.head, d)
            h = h.head
            continue
        if h.lemma_.lower() in _REPORTING and h.pos_ == "VERB":
            break
        add(h, d)
        for c in h.children:
            if c.dep_ in ("compound", "amod", "acl") and c.i != tok.i:
                add(c, d + 1)
        if h.pos_ in ("VERB", "AUX"):
            if h.lemma_.lower() in _CHANGE:  # "the death toll rose to 10"
                for c in h.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                        add(c, d)
                        for cc in c.children:
                            if cc.dep_ in ("compound", "amod", "nmod"):
                                add(cc, d)
                continue
            break
    return seen


def _noun_lemma(noun: Any) -> str:
    """ "co-workers" -> "co-worker" (the tokenizer splits hyphenated nouns)."""
    i = noun.i
    doc = noun.doc
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 1].whitespace_ == "" and doc[i - 2].whitespace_ == "":
        return f"{doc[i - 2].lower_}-{noun.lemma_.lower()}"
    return noun.lemma_.lower()


def _head_noun(tok: Any) -> Any:
    """The noun a number counts ("seven villages", "six AK-47 rifles", "10 of the 16 games"),
    if any."""
    for c in tok.children:  # partitive: "two of the three victims"
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN"):
                    return g
    h = tok
    for _ in range(2):
        if h.dep_ in ("nummod", "quantmod", "compound", "nmod", "amod") and h.head.i != h.i:
            h = h.head
            if h.pos_ in ("NOUN", "PROPN") and not h.like_num:
                return h
        else:
            break
    return None


def _read(s: Sentence, q: Quantity, tok: Any, value: Value, doc: Any) -> Fact | None:
    text = s.text
    after = text[q.end :]
    lemmas = _clause_lemmas(tok, q)
    noun = _head_noun(tok)
    noun_lemma = _noun_lemma(noun) if noun is not None else None

    def fact(attribute: str, v: Value = value, **kw: Any) -> Fact:
        return Fact(s.article, s.index, attribute, v, value_start(text, q, v), q.end, **kw)

    # age: "36-year-old", "aged 24", "Robert Buckley, 32,"
    age = replace(value, dim="age", unit=None, base=q.value, alts=())
    if value.dim == "duration" and q.unit == "year" and re.match(r"^-?\s*old\b", after):
        name = _person_near(s, doc, tok)
        return fact("age", age, subject=person_key(name) if name else None, given=given_name(name))
    if value.dim == "duration" and q.unit in ("year", "month") and _TERM & set(lemmas):
        if _clause_words(tok) & _POSSIBLE_TERM:
            return None  # "faces up to 20 years", "the maximum is 25 years": not the sentence given
        name = _sentenced_person(tok)
        return fact("term", subject=person_key(name)) if name else None
    if value.dim == "speed":
        clause = _clause_words(tok)
        if "wind" not in clause and "winds" not in clause or clause & _SPEED_CHANGE:
            return None  # a speed of what? or one that is changing or forecast
        return fact("speed:gust" if clause & {"gust", "gusts"} else "speed:wind")
    if value.dim == "count" and 0 < q.value < 120 and q.value == int(q.value):
        name = _person_before(s, q)
        if name is not None:
            return fact("age", age, subject=person_key(name), given=given_name(name))
    if value.dim == "count" and 1 <= q.value < 10 and _is_magnitude(tok, lemmas, text, q):
        return fact("magnitude", subject=_quake_word(text, q))
    if value.dim == "count" and _is_population(text, q, lemmas):
        return fact("population", subject=_place_of_population(s, doc, tok))
    if value.dim == "count":
        casualty = _casualty(lemmas, noun_lemma)
        if casualty and noun is not None and noun.dep_ == "conj" and noun.head.lemma_.lower() in PERSON_NOUNS:
            return None  # "one man" in "two women and one man died": counted with the first
        if casualty and not _breakdown(tok, noun):
            total = _coordinated(tok, noun, value, text)
            if total is not None:
                v, end = total
                return Fact(s.article, s.index, casualty, v, value_start(text, q, value), end)
            return fact(casualty)
        if casualty:
            return None
        if (
            noun is None
            or noun_lemma is None
            or noun_lemma in _COUNT_SKIP
            or len(noun_lemma) < 3
            or not noun_lemma[0].isalpha()
            or noun.pos_ != "NOUN"
            or re.match(r"^\s+(?:\w+\s+)?(?:sooner|later|earlier|more|fewer|less|than)\b", text[q.end :])
            or re.match(r"^\s+of\b", text[q.end :])  # "two of Egypt's largest providers": a part
            # a rate ("1,000 barrels a day") changes from day to day; it is not a count
            or re.match(r"^[\s\w-]{0,20}?\b(?:a|per|each|every|an)\s+(?:day|week|month|year|hour|minute|second)\b", text[q.end :])
            or value.qual == "vague"
            or "-" in text[q.end : q.end + 2]  # "a 1,500-square-kilometer island"
        ):
            return None
        if q.value == 1 or noun.tag_ == "NN" and q.value != 1:
            if q.value == 1:
                return None  # "one officer's uniform": not a count anyone disputes
        if q.value != int(q.value):
            return None  # "a 4.6 aftershock": a measure, not a count of things
        verb = _governing_verb(noun)
        if _is_spouses(noun_lemma, verb) or (
            noun_lemma in _SPOUSE_PEOPLE
            and noun.dep_ not in ("nsubj", "nsubjpass")  # "two men married ...": not the spouses
            and min(lemmas.get(w, 9.0) for w in ("marry", "married", "wed")) <= 3
        ):
            # "19 wives" and "20 women" he married: one count of the same people, other nouns
            return fact("count:spouse", subject="marry")
        verb_class = _VERB_CLASSES.get(verb or "")
        for c in noun.children:  # "12 worst-hit villages"
            if c.dep_ in ("amod", "compound") and c.lemma_.lower() in _VERB_CLASSES:
                verb_class = _VERB_CLASSES[c.lemma_.lower()]
        if verb_class is None:
            return None  # "had three children", "blocked two shots": not an event's count
        return fact(f"count:{noun_lemma}", subject=verb_class)
    if value.dim == "distance":
        relation = _distance_relation(after, lemmas)
        if relation is None:
            return None
        # "a motorist 50 miles north of Detroit" is where someone was, not where a place is
        on = tok
        for _ in range(4):
            if on.head.i == on.i:
                break
            on = on.head
            if on.pos_ in ("NOUN", "PROPN") and not (q.start <= on.idx < q.end) and on.lemma_.lower() not in UNIT_WORDS:
                break
        near = [on] + [c for t in (tok, tok.head) for c in t.children if c.pos_ in ("NOUN", "PROPN")]
        subject = (
            "people" if any(_noun_lemma(t) in PERSON_NOUNS or t.ent_type_ == "PERSON" for t in near) else None
        )
        if subject is None and _quake_word(text, q) == "aftershock":
            subject = "aftershock"  # where an aftershock struck is not where the main quake did
        return fact(f"distance:{relation}", subject=subject)
    if value.dim == "money":
        if q.unit == "pound" and "£" not in q.text and re.search(r"\bweigh", text, re.I):
            return None  # "weighing approximately 200 pounds"
        clause = _clause_words(tok)
        domain = next((name for name, words in _MONEY_DOMAINS if words & clause), None)
        if domain is None:
            return None  # an amount of what? (loans, savings, offers, a gross): not comparable
        return fact(f"money:{domain}", item=_item(tok, noun))
    return None


def _quake_word(text: str, q: Quantity) -> str | None:
    """ "aftershock" or "main": the kind of quake word nearest a magnitude (None: none)."""
    best: tuple[int, str] | None = None
    for m in re.finditer(r"\b(after)?shocks?\b|\b(?:earth)?quakes?\b|\btemblors?\b|\btremors?\b", text, re.I):
        d = m.start() - q.end if m.start() >= q.end else q.start - m.end()
        if best is None or d < best[0]:
            best = (d, "aftershock" if m.group(0).lower().startswith("after") else "main")
    return best[1] if best else None


def _clause_words(tok: Any) -> set[str]:
    """Lemmas of the clause around a token (the subtree of its nearest verb)."""
    h = tok
    while h.head.i != h.i and (h.pos_ not in ("VERB", "AUX") or h.dep_ in ("acl", "amod")):
        h = h.head  # past "valued at" in "stole diamonds valued at 85 million euros"
    return {t.lemma_.lower() for t in h.subtree} | {t.lower_ for t in h.subtree}


_NOT_ITEMS = _MASS_ITEMS | frozenset(
    "worth euro dollar pound yen m million billion usd eur gbp value".split()
)


def _item(tok: Any, noun: Any) -> str | None:
    """ "a $2.5 million necklace": the one thing an amount is the worth of (else None: the
    amount is a haul, a damage, a price of many things)."""
    if noun is not None and noun.lower_ == "worth":
        noun = next((c.children.__next__() for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" and any(True for _ in c.children)), None)
    if noun is None:
        worth = next((c for c in [tok.head, *tok.head.children] if c.lower_ == "worth"), None)
        noun = worth.head if worth is not None else None
    if noun is None or noun.tag_ != "NN":
        return None
    lemma = noun.lemma_.lower()
    return None if lemma in _NOT_ITEMS else lemma


def _person_before(s: Sentence, q: Quantity) -> str | None:
    """ "Robert Buckley, 32,", "Robert Pitman, aged 24": an age right after a name."""
    before = s.text[: q.start]
    m = re.search(r",\s*(?:aged\s+)?$", before)
    if not m or not re.match(r"^\s*(?:,|\)|and\b|of\b|from\b|was\b|is\b|who\b|died|fell|has\b|had\b)", s.text[q.end :]):
        return None
    for e in s.entities:
        if e.label == "PERSON" and e.end == m.start():
            return e.text
    # the tagger misses some names: "Raj Chohan, 59, was killed"
    name = re.search(r"(?<![\w.])([A-Z][a-z’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z’'-]+)+)$", before[: m.start()])
    if name and re.match(r"^\s*,", s.text[q.end :]) and not any(
        e.label in ("GPE", "LOC", "ORG", "FAC") and e.start <= name.start(1) < e.end for e in s.entities
    ):
        return name.group(1)
    return None


def value_start(text: str, q: Quantity, value: Value) -> int:
    found = text.rfind(value.text, 0, q.end + len(value.text))
    return found if 0 <= found <= q.start else q.start


def _coordinated(tok: Any, noun: Any, value: Value, text: str) -> tuple[Value, int] | None:
    """ "two women and one man died": one toll of three, written as its parts."""
    if noun is None or value.qual != "exact":
        return None
    parts = [c for c in noun.children if c.dep_ == "conj" and c.lemma_.lower() in PERSON_NOUNS]
    if not parts:
        return None
    total = value.number
    end = tok.idx + len(tok.text)
    for p in parts:
        nums = [c for c in p.children if c.dep_ == "nummod"]
        dets = [c for c in p.children if c.dep_ == "det" and c.lower_ in ("a", "an", "one")]
        if nums:
            n = word_number(nums[0].text) if not nums[0].like_num or not nums[0].text.isdigit() else float(nums[0].text)
            if n is None:
                return None
            total += n
        elif dets or p.tag_ == "NN":
            total += 1
        else:
            return None
        end = max(end, p.idx + len(p.text))
    written = text[value_start(text, _q_of(tok, value), value) : end]
    return Value(written, total, None, "count", total, "exact"), end


def _q_of(tok: Any, value: Value) -> Quantity:
    return Quantity(value.text, value.number, value.unit, tok.idx, tok.idx + len(tok.text))


def _breakdown(tok: Any, noun: Any) -> bool:
    """ "at least three people, a man and two women, were killed": "two" counts a part of a
    figure given just before, not the toll."""
    h = noun if noun is not None else tok
    for _ in range(3):
        if h.dep_ not in ("conj", "appos") or h.head.i == h.i:
            return False
        h = h.head
        if any(c.dep_ == "nummod" for c in h.children) or h.dep_ == "appos" and any(
            c.dep_ == "nummod" for c in h.head.children
        ):
            return True
    return False


def _casualty(lemmas: dict[str, float], noun: str | None) -> str | None:
    if noun is not None and noun not in PERSON_NOUNS and noun not in CASUALTIES["killed"] | CASUALTIES["injured"]:
        return None
    best: tuple[float, str] | None = None
    for attribute, words in CASUALTIES.items():
        for w in words:
            d = lemmas.get(w)
            if d is not None and d <= CASUALTY_REACH and (best is None or d < best[0]):
                best = (d, attribute)
    if best and best[1] == "missing" and noun not in PERSON_NOUNS:
        return None  # "missing 10 games"
    return best[1] if best else None


def _is_magnitude(tok: Any, lemmas: dict[str, float], text: str, q: Quantity) -> bool:
    if _MAGNITUDE_CUES & set(lemmas):
        return True
    window = text[max(0, q.start - 25) : q.end + 30].lower()
    if re.search(r"magnitude|richter", window):
        return True
    # "5.9 Earthquake Jolts Iran", "a 6.7 degree quake": a decimal straight before a quake word
    return bool(
        "." in q.text and re.match(r"^[\s-]*(?:degree\s+|strength\s+)?(?:quake|earthquake|temblor|tremor)", text[q.end :], re.I)
    )


def _is_population(text: str, q: Quantity, lemmas: dict[str, float]) -> bool:
    before = text[max(0, q.start - 40) : q.start].lower()
    after = text[q.end : q.end + 25].lower()
    if re.search(r"\b(?:home\s+to|population\s+of|populated\s+by)\s+(?:\w+\s+){0,3}$", before):
        return True
    if re.match(r"^(?:\s+people)?\s+(?:residents|inhabitants|people\s+live)\b", after) or re.match(
        r"^\s+(?:residents|inhabitants)\b", text[q.end :]
    ):
        return True
    return bool(re.search(r"\b(?:a|an)\s+(?:city|town|village|island|country|nation)\s+of\s+(?:about\s+|some\s+|around\s+)?$", before))


def _place_of_population(s: Sentence, doc: Any, tok: Any) -> str | None:
    """The place a population figure belongs to: the named place the phrase hangs on
    ("Qeshm island, home to ...", "Zarand, a town of ...", "Qeshm ... has a population of"),
    or its head noun ("the island")."""
    before = s.text[: tok.idx]
    m = re.search(r",\s*(?:which\s+has\s+|home\s+to\s+|an?\s+\w+\s+of\s+)(?:\w+\s+){0,2}$", before)
    if m:
        for e in s.entities:
            if e.label in ("GPE", "LOC", "FAC") and 0 <= m.start() - e.end <= 8 and (
                not re.search(r"\w", s.text[e.end : m.start()].replace("island", "").replace("city", "").replace("Island", "").replace("City", ""))
            ):
                return place_key(e.text)
    h = tok
    for _ in range(8):
        if h.head.i == h.i:
            break
        h = h.head
        anchor = None
        if h.dep_ == "relcl":
            anchor = h.head
        elif h.pos_ in ("VERB", "AUX"):
            subj = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                anchor = subj[0]
            elif h.dep_ != "conj":
                break
            else:
                continue
        elif h.pos_ in ("NOUN", "PROPN") and h.dep_ == "appos":
            anchor = h.head
        if anchor is None:
            continue
        while anchor.dep_ == "appos" and anchor.pos_ == "NOUN":
            anchor = anchor.head
        name = _entity_at(s, anchor, ("GPE", "LOC", "FAC"))
        if name:
            return place_key(name)
        if anchor.pos_ == "PROPN":  # a name the tagger did not tag: "Bandar Abbas"
            return place_key(" ".join(t.text for t in anchor.subtree if t.dep_ == "compound" or t is anchor))
        if anchor.pos_ == "NOUN":
            return anchor.lemma_.lower()
        return None
    return None


def _entity_at(s: Sentence, tok: Any, labels: tuple[str, ...]) -> str | None:
    """The named entity a token is part of (or that its noun phrase starts with)."""
    for e in s.entities:
        if e.label in labels and (e.start <= tok.idx < e.end or tok.left_edge.idx <= e.start < tok.idx + len(tok.text)):
            return e.text
    return None


def place_key(name: str) -> str:
    words = re.findall(r"[a-z]+", name.lower())
    words = [w for w in words if w not in ("the", "island", "city", "town", "province", "county", "state")]
    return " ".join(words) or name.lower()


def _distance_relation(after: str, lemmas: dict[str, float]) -> str | None:
    if _FALL & set(lemmas) or "fall" in lemmas:
        return "fall"
    if _DEPTH & set(lemmas) or re.match(r"^\s*(?:\([^)]*\)\s*)?(?:deep|below|underground|beneath)\b", after, re.I):
        return "depth"
    m = _DIRECTIONS.match(after)
    if m:
        return "from:" + place_key(m.group("anchor").strip())
    if _AWAY.match(after):
        return "from:away"
    return None


def _sentenced_person(tok: Any) -> str | None:
    """ "sentenced Paul Brandt to 12 years", "Brandt was sentenced to 12 years", "Brandt got
    12 years": the person the term is given to (the verb's object or subject, a name)."""
    h = tok
    for _ in range(5):
        if h.head.i == h.i or h.pos_ in ("VERB", "AUX"):
            break
        h = h.head
    if h.pos_ not in ("VERB", "AUX"):
        return None
    for dep in ("dobj", "nsubjpass", "nsubj"):
        for c in h.children:
            if c.dep_ == dep and c.pos_ == "PROPN":
                return " ".join(t.text for t in c.subtree if t.pos_ == "PROPN")
    return None


def _is_spouses(noun: str, verb: str | None) -> bool:
    return noun in _SPOUSES


def _governing_verb(noun: Any) -> str | None:
    """The verb a counted noun depends on ("destroyed" in "homes in five villages had been
    destroyed"), past prepositions and other nouns."""
    h = noun
    for _ in range(4):
        if h.head.i == h.i:
            return None
        h = h.head
        if h.pos_ == "VERB":
            return h.lemma_.lower()
    return None


def _person_name(tok: Any, s: Sentence) -> str | None:
    for e in s.entities:
        if e.label == "PERSON" and e.start <= tok.idx < e.end:
            return e.text
    return tok.text if tok.ent_type_ == "PERSON" else None


def _person_near(s: Sentence, doc: Any, tok: Any) -> str | None:
    """The named person a "-year-old" belongs to: in its noun phrase ("36-year-old Duncan
    Rait", "Robert Buckley, a 31-year-old"), else None (an unnamed "36-year-old climber")."""
    h = tok
    for _ in range(5):
        if h.head.i == h.i:
            break
        h = h.head
        if h.ent_type_ == "PERSON":
            return _person_name(h, s)
        if h.pos_ == "VERB":
            break
        for c in h.children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON":
                return _person_name(c, s)
    # "32-year-old Englishman Robert Buckley": the name right after the age phrase
    nxt = re.match(r"^[\w\s-]{0,40}?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'.-]+)+)", s.text[tok.idx :])
    if nxt:
        for e in s.entities:
            if e.label == "PERSON" and e.start == tok.idx + nxt.start("name"):
                return e.text
    return None


_TITLES = frozenset("mr mrs ms dr gov gen sir president inspector police officer captain capt sgt".split())


def given_name(name: str | None) -> str | None:
    """ "Robert Buckley" -> "robert"; "Mr Buckley", "Buckley" -> None."""
    if not name:
        return None
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z’'-]*", name) if w.lower() not in _TITLES]
    words = [w for w in words if not re.fullmatch(r"[A-Z]\.?|Jr|Sr|II|III", w)]
    return words[0].lower() if len(words) >= 2 else None


def person_key(name: str) -> str:
    """A person as their surname ("Mr Buckley", "Robert Buckley" -> "buckley")."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z’'-]*", name) if w.lower() not in _TITLES]
    words = [w for w in words if not re.fullmatch(r"[A-Z]\.?|Jr|Sr|II|III", w)]
    return re.sub(r"[’']s$", "", words[-1].lower()) if words else name.lower()


def _zeros(s: Sentence) -> list[Fact]:
    """ "No-one was injured", "no casualties": a figure of zero (a denial of any)."""
    out = []
    for m in ZERO_PHRASE.finditer(s.text):
        word = (m.group("verb") or m.group("noun") or m.group("noun2") or "").lower()
        attribute = _ZERO_ATTR.get(word)
        if attribute is None:
            continue
        if attribute in ("killed", "injured") and re.match(r"^\s+(?:or|and|nor)\s+(?:injuries|deaths)\b", s.text[m.end() :]):
            attribute = "casualties"  # "no deaths or injuries"
        scope = None
        place = re.match(r"^\s+(?:in|at)\s+(?P<p>(?:[A-Z][\w’'-]*\s*)+)", s.text[m.end() :])
        if place:
            scope = place_key(place.group("p"))
        value = Value(m.group(0), 0.0, None, "count", 0.0, "exact")
        targets = ["killed", "injured"] if attribute == "casualties" else [attribute]
        for t in targets:
            out.append(Fact(s.article, s.index, t, value, m.start(), m.end(), scope=scope))
    return out


__all__ = ["Fact", "label", "person_key", "place_key", "sentence_facts", "dimension"]
