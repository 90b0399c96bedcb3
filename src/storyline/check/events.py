"""Which event a fact is about: its time (this story's days, or a dated earlier event), the
people it concerns, and the story-level clues that tie an undated mention to one of them.

Two facts are only compared when nothing says they are about different events:

- an *era*: ``None`` for the story's own days; a date ("2003-12") for a background event dated
  in its sentence ("killed 26,000 in Bam in December 2003"); ``other:...`` for an undated
  other event ("another robbery on Sunday night", "a month after ..."). An undated sentence
  takes the era of the names it shares only with dated background sentences ("Chopard" is only
  ever mentioned "in May"), or of the sentence before it when that one opened a background
  event;
- *persons*: the people named in the fact's clause (speakers aside: "Gaskin said"), an unnamed
  "36-year-old" resolved through the story's "36-year-old Duncan Rait", else the person the
  article was just talking about;
- the weekday or day of the clause, when it names one.

Everything here is computed once per sentence; comparing two frames is a few set operations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..analyse.temporal import find_times
from ..link import one_edit_keys
from ..models import AnalysedArticle, Sentence, TimeExpression
from .dates import DATELINE, REPORTING
from .facts import CASUALTIES, Fact, person_key

PERSONAL = frozenset({"age", "residence", "charge", "term", "distance:fall", "distance:from:away"})
PERSONAL_PREFIXES = ("distance:fall",)
FOCUS_SENTENCES = 6
"""A sentence that names nobody is taken to be about the person named up to this many sentences
before it (news paragraphs keep to one person)."""
PAST_DAYS = 12
"""A dated mention this many days or more before its article is about an earlier event."""

_REPORTING_VERBS = frozenset(
    "say tell report add quote cite state announce confirm claim note write explain describe "
    "urge warn insist".split()
)
EVENT_NOUNS = (
    r"robbery|robberies|heist|theft|raid|attack|bombing|blast|explosion|quake|earthquake|"
    r"shooting|accident|crash|fire|blaze|storm|hurricane|incident|strike|fall|murder|killing|"
    r"escape|riot|protest|outbreak|flood"
)
_OTHER_EVENT = re.compile(
    rf"\b(?:another|other|separate|previous|earlier|similar|a\s+second)\s+(?:[\w-]+\s+){{0,2}}(?:{EVENT_NOUNS})\b"
    # "a bombing at a bus station in another city": somewhere else, so another event
    r"|\b(?:in|at)\s+(?:another|a\s+different|a\s+separate)\s+(?:city|town|village|province|"
    r"district|region|country|state|part|location|neighbou?rhood|area)\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?:a|one|two|three|several|few|\d+)\s+(?:days?|weeks?|months?|years?)\s+(?:after|before|earlier|later|ago)\b"
    r"|^(?:days|weeks|months|years)\s+(?:later|earlier)\b|\b(?:little|just)\s+over\s+a\s+(?:week|month|year)\s+after\b"
    r"|\bearlier\s+this\s+(?:year|month)\b|\blast\s+year\b",
    re.I,
)
_NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "WORK_OF_ART", "PRODUCT")
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december sept""".split()
)
_GENERIC_NAME_WORDS = frozenset(
    """the hotel city street avenue road international national park county state province
    police court news agency department ministry university north south east west new""".split()
)


@dataclass(frozen=True)
class Frame:
    era: str | None  # None: the story's own days
    persons: frozenset[str]
    day: str | None = None  # ISO day the clause names, in the story's own days
    own_time: bool = False  # the era comes from a time expression of the fact's own sentence
    names: frozenset[str] = frozenset()  # a background event's names ("bam"), when its own


@dataclass(frozen=True)
class _Time:
    start: int
    end: int
    era: str | None
    day: str | None


def compatible(a: Frame, b: Frame) -> bool:
    """Nothing says the two frames belong to different events."""
    if not _eras_compatible(a.era, b.era):
        return False
    if a.persons and b.persons and not (a.persons & b.persons):
        return False
    if a.day and b.day and a.day != b.day:
        return False
    if a.era and b.era and a.names and b.names and not (a.names & b.names):
        return False  # 1988 in Lockerbie and 1988 on a North Sea rig: two events
    return True


def _eras_compatible(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    if a.startswith("other:") or b.startswith("other:"):
        return False  # an undated other event is only itself
    return a.startswith(b) or b.startswith(a)  # "2003" holds "2003-12"


class StoryFrames:
    """Frames for the facts of one story (built once; ``frame`` is then cheap)."""

    def __init__(
        self,
        docs: Sequence[AnalysedArticle],
        facts: Iterable[Fact],
        parses: dict[tuple[str, int], Any],
    ) -> None:
        self.docs = {d.article.id: d for d in docs}
        self.parses = parses
        self.story_ref = _story_reference(docs)
        self.times: dict[tuple[str, int], list[_Time]] = {}
        self.cue: dict[tuple[str, int], str | None] = {}
        self.relative: dict[tuple[str, int], bool] = {}
        for d in docs:
            for s in d.sentences:
                key = (s.article, s.index)
                own_date = d.reference_date(s)
                self.times[key] = _times(s, own_date or self.story_ref, resolved=own_date is not None)
                # "another robbery on Sunday night": not this story's event (a dated background
                # sentence is told apart by its date already: "In May ... a second theft")
                past = any(t.era for t in self.times[key])
                self.cue[key] = f"other:{s.article}:{s.index}" if _OTHER_EVENT.search(s.text) and not past else None
                self.relative[key] = bool(_RELATIVE.search(s.text))
        self.lower_words = _lower_words(docs)
        self.names = _name_eras(docs, self.times, self.lower_words)
        self.main_day = _main_day(docs, self.times)
        facts = list(facts)
        self.canonical = _canonical_people(docs, facts)
        self.ages = _age_bindings(facts, self.canonical)
        self.not_people = _place_words(docs)
        self.known_people = frozenset(
            self.canonical.get(person_key(e.text), person_key(e.text))
            for d in docs
            for s in d.sentences
            for e in s.entities
            if e.label == "PERSON"
        ) - self.not_people
        self._mentions: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        self.inherited: set[tuple[str, int]] = set()  # era taken from the sentence before
        self.sentence_era: dict[tuple[str, int], str | None] = {}
        for d in docs:
            prev: str | None = None
            prev_own = False
            for s in d.sentences:
                key = (s.article, s.index)
                era, own = self._sentence_era(s, prev if prev_own else None, prev)
                self.sentence_era[key] = era
                prev, prev_own = era, bool(own and era is not None)
        self.focus = self._focus(docs)

    # --- eras -----------------------------------------------------------------------------

    def _sentence_era(
        self, s: Sentence, before: str | None, last: str | None = None
    ) -> tuple[str | None, bool]:
        key = (s.article, s.index)
        if self.cue[key]:  # "another robbery on Sunday night": not this story's event
            return self.cue[key], True
        eras = {t.era for t in self.times[key]}
        if eras and None not in eras and len(eras) == 1:
            return next(iter(eras)), True
        if eras:
            return (None, True) if None in eras else (sorted(e for e in eras if e)[0], True)
        named = self._era_of_names(s)
        if named is not None:
            return named, True
        if self.relative[key]:  # "Days later, ...": another event, after the one just told
            self.inherited.add((s.article, s.index))
            return last or f"other:{s.article}:{s.index}", True
        if before is not None:
            self.inherited.add((s.article, s.index))
        return before, False

    def _era_of_names(self, s: Sentence) -> str | None:
        """The background era of the rarest name in the sentence that only ever occurs in that
        background event."""
        best: tuple[int, str] | None = None
        for word in _name_words(s, self.lower_words):
            info = self.names.get(word)
            if info is None:
                continue
            era, count = info
            if era is not None and (best is None or count < best[0]):
                best = (count, era)
        return best[1] if best else None

    def era(self, fact: Fact) -> tuple[str | None, bool]:
        key = fact.key
        if self.cue.get(key):
            return self.cue[key], True
        times = self.times.get(key, [])
        if times:
            nearest = min(times, key=lambda t: _distance(t, fact.start, fact.end))
            if nearest.era is not None or len({t.era for t in times}) == 1:
                return nearest.era, True
            # several times: a past one right in the fact's clause wins over a current one
            return nearest.era, True
        return self.sentence_era.get(key), False

    def day(self, fact: Fact) -> str | None:
        """The day the fact's own clause names ("killed ... on Saturday"), not the day of
        another clause ("the toll rose to 10" in "an aftershock shook ... on Monday as ...")."""
        times = [t for t in self.times.get(fact.key, []) if t.day and t.era is None]
        doc = self.parses.get(fact.key)
        if not times or doc is None:
            return None
        verb = _verb_of(doc, fact.start, fact.end)
        same = [t for t in times if verb is not None and getattr(_verb_of(doc, t.start, t.end), "i", -1) == verb.i]
        if not same:
            return None
        return min(same, key=lambda t: _distance(t, fact.start, fact.end)).day

    # --- persons --------------------------------------------------------------------------

    def persons(self, fact: Fact) -> frozenset[str]:
        if fact.attribute == "age":
            return frozenset({fact.subject}) if fact.subject else frozenset()
        found = self._clause_persons(fact)
        if found:
            return found
        return self.focus.get(fact.key, frozenset())

    def _clause_persons(self, fact: Fact) -> frozenset[str]:
        doc = self.parses.get(fact.key)
        s = self.docs[fact.article].sentences[fact.sentence]
        people = self.mentions(fact.key)
        if doc is None or not people:
            return self._aged(s, 0, len(s.text))
        span = doc.char_span(fact.start, fact.end, alignment_mode="expand")
        if span is None:
            return frozenset()
        h = span.root
        while h.head.i != h.i and h.pos_ not in ("VERB", "AUX"):
            h = h.head
        for _ in range(3):
            lo, hi = h.left_edge.idx, h.right_edge.idx + len(h.right_edge.text)
            found = {who for start, end, who in people if lo <= start and end <= hi}
            found |= self._aged(s, lo, hi)
            if found:
                return frozenset(found)
            if h.head.i == h.i or h.head.lemma_.lower() in _REPORTING_VERBS:
                break
            h = h.head
            while h.head.i != h.i and h.pos_ not in ("VERB", "AUX"):
                h = h.head
        return frozenset()

    def mentions(self, key: tuple[str, int]) -> list[tuple[int, int, str]]:
        """(start, end, person) of the people a sentence names, speakers aside: names tagged
        PERSON, and the story's known surnames where the tagger missed them ("Chohan, who")."""
        if key in self._mentions:
            return self._mentions[key]
        s = self.docs[key[0]].sentences[key[1]]
        doc = self.parses.get(key)
        out = []
        taken: list[tuple[int, int]] = []
        for e in s.entities:
            if e.label == "PERSON":
                taken.append((e.start, e.end))
                who = self.canonical.get(person_key(e.text), person_key(e.text))
                if who not in self.not_people and not (doc is not None and _is_speaker(doc, s.text, e.start, e.end)):
                    out.append((e.start, e.end, who))
        for m in re.finditer(r"\b[A-Z][a-z’'-]{2,}\b", s.text):
            w = m.group(0).lower()
            if w in self.known_people and not any(a <= m.start() < b for a, b in taken):
                if not (doc is not None and _is_speaker(doc, s.text, m.start(), m.end())):
                    out.append((m.start(), m.end(), self.canonical.get(w, w)))
        self._mentions[key] = out
        return out

    def _aged(self, s: Sentence, lo: int, hi: int) -> frozenset[str]:
        """Persons of unnamed ages in a span ("a 36-year-old climber" -> rait)."""
        out = set()
        for m in re.finditer(r"\b(\d{1,3})-year-old\b|\baged\s+(\d{1,3})\b", s.text[lo:hi]):
            age = int(m.group(1) or m.group(2))
            who = self.ages.get(age)
            if who is not None:
                out.add(who)
        return frozenset(out)

    def _focus(self, docs: Sequence[AnalysedArticle]) -> dict[tuple[str, int], frozenset[str]]:
        """The person each sentence is about when it names nobody (or only speakers): the one
        the last sentences named."""
        out: dict[tuple[str, int], frozenset[str]] = {}
        for d in docs:
            current: frozenset[str] = frozenset()
            gap = 0
            for s in d.sentences:
                key = (s.article, s.index)
                named = {who for _, _, who in self.mentions(key)} | self._aged(s, 0, len(s.text))
                if named:
                    current, gap = frozenset(named), 0
                    out[key] = current
                    continue
                gap += 1
                if gap > FOCUS_SENTENCES:
                    current = frozenset()
                out[key] = current
        return out

    def sentence_persons(self, key: tuple[str, int]) -> frozenset[str]:
        """The people a sentence is about: named (not as speakers) or by age, else its focus."""
        s = self.docs[key[0]].sentences[key[1]]
        named = {who for _, _, who in self.mentions(key)} | self._aged(s, 0, len(s.text))
        people = frozenset(self.canonical.get(p, p) for p in (named or self.focus.get(key, set())))
        return people - self.not_people

    def frame(self, fact: Fact) -> Frame:
        """The fact's event. People only tell events apart for facts about a person (an age,
        a fall); days only for facts of one moment (a magnitude, a haul), not for tolls that
        grow from day to day; an undated one is taken to be of the story's main day."""
        head = fact.attribute.split(":")[0]
        personal = fact.attribute in PERSONAL or fact.attribute.startswith(PERSONAL_PREFIXES)
        if personal:  # a person's age, home or fall: the person tells events apart
            who = {fact.subject} if fact.subject else self.persons(fact)
            persons = frozenset(self.canonical.get(p, p) for p in who) - self.not_people
            era, own = self.era(fact)
            if own and era is not None and not persons:
                # "In 2002, a sniper killed a gunman from 2,430 metres away": nobody named, but
                # dated in the past by its own sentence, so another event than the story's
                return Frame(era, persons, None, True)
            return Frame(None, persons, None, False)
        era, own = self.era(fact)
        day = None
        names: frozenset[str] = frozenset()
        if era is None:
            day = self.day(fact)
            if day is None and head not in CASUALTIES:
                day = self.main_day  # an undated figure of one moment is the main event's
        elif not era.startswith("other:") and fact.key not in self.inherited:
            s = self.docs[fact.article].sentences[fact.sentence]
            names = frozenset(_name_words(s, self.lower_words))
        return Frame(era, frozenset(), day, own, names)


# --- helpers --------------------------------------------------------------------------------


def _verb_of(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    h = span.root
    while h.head.i != h.i and (h.pos_ not in ("VERB", "AUX") or h.dep_ in ("acl", "amod")):
        h = h.head  # "a quake measuring 3.8": the clause is the one of "registered", not "measuring"
    return h


def _distance(t: _Time, start: int, end: int) -> int:
    if t.end <= start:
        return start - t.end
    if t.start >= end:
        return t.start - end
    return 0


def _story_reference(docs: Sequence[AnalysedArticle]) -> str | None:
    dates = sorted(d.article.published for d in docs if d.article.published)
    return dates[len(dates) // 2] if dates else None


def _times(s: Sentence, ref: str | None, resolved: bool = True) -> list[_Time]:
    """The sentence's time expressions that date what it reports (not when it was reported,
    not a page's date line), each with its era. An article without a date of its own has its
    yearless and relative expressions resolved against the story's date here."""
    text = s.text
    if not s.times and not (ref and not resolved):
        return []
    if _is_date_line(s):
        return []
    found: list[TimeExpression] = list(s.times) if resolved or ref is None else find_times(text, ref)
    out = []
    for t in found:
        if REPORTING.search(text[max(0, t.start - 40) : t.start]) or DATELINE.match(text[t.end :]):
            continue
        era = _era_of(t, ref)
        if era is None and t.precision != "day":
            continue  # "this year", "earlier this month": says nothing about which event
        out.append(_Time(t.start, t.end, era, t.value if t.precision == "day" else None))
    return out


def _is_date_line(s: Sentence) -> bool:
    """ "Updated 11 / 27 / 2005 3:41 PM", "Sun, 15 Sep 2013": a page's date, not an event."""
    words = re.findall(r"[A-Za-z]{3,}", s.text)
    rest = [w for w in words if not re.fullmatch(
        r"(?i)updated|last|published|posted|on|at|am|pm|gmt|bst|ist|est|edt|utc|mon|tue|wed|thu|"
        r"fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|jan|feb|mar|apr|may|"
        r"jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
        r"september|october|november|december|hrs", w)]
    return len(rest) <= 1 and len(s.text) < 80


def _era_of(t: TimeExpression, ref: str | None) -> str | None:
    """None when the expression falls in the article's own days, else its value."""
    if ref is None:
        return t.value if t.precision == "year" else None
    try:
        r = dt.date.fromisoformat(ref[:10])
    except ValueError:
        return None
    v = t.value
    try:
        if t.precision == "day":
            d = dt.date.fromisoformat(v)
            return v if (r - d).days >= PAST_DAYS else None
        if t.precision == "month":
            y, m = int(v[:4]), int(v[5:7])
            months = (r.year - y) * 12 + (r.month - m)
            if months >= 2 or (months == 1 and r.day > 7):
                return v
            return None
        return v if int(v) < r.year else None
    except ValueError:
        return None


def _lower_words(docs: Sequence[AnalysedArticle]) -> frozenset[str]:
    """Words the story writes in lower case somewhere: common words, not names."""
    return frozenset(w for d in docs for s in d.sentences for w in re.findall(r"\b[a-z]{4,}\b", s.text))


def _name_words(s: Sentence, lower: frozenset[str]) -> set[str]:
    """Distinctive name words of a sentence: its entities' words and capitalised words inside
    the sentence, unless the story also writes them in lower case ("Jewellery and watches")."""
    out = set()
    for e in s.entities:
        if e.label in _NAME_LABELS:
            out.update(re.findall(r"[a-z]{4,}", e.text.lower()))
    out.update(m.group(0).lower() for m in re.finditer(r"(?<=[\w,;:] )[A-Z][a-z]{3,}\b", s.text))
    return {w for w in out if w not in _GENERIC_NAME_WORDS and w not in lower and w not in _CALENDAR}


def _name_eras(
    docs: Sequence[AnalysedArticle], times: dict[tuple[str, int], list[_Time]], lower: frozenset[str]
) -> dict[str, tuple[str | None, int]]:
    """For each name word: the one background era it is only ever dated with (None when it also
    occurs with the story's own days or with two eras), and how many sentences hold it."""
    eras: dict[str, set[str | None]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for d in docs:
        for s in d.sentences:
            words = _name_words(s, lower)
            counts.update(words)
            ts = times[(s.article, s.index)]
            for w in words:
                for t in ts:
                    eras[w].add(t.era)
    out: dict[str, tuple[str | None, int]] = {}
    for w, es in eras.items():
        past = {e for e in es if e is not None}
        if None in es or len(past) != 1:
            continue
        out[w] = (next(iter(past)), counts[w])
    return out


def _main_day(docs: Sequence[AnalysedArticle], times: dict[tuple[str, int], list[_Time]]) -> str | None:
    """The day most articles date something of the story's own days to."""
    counts: Counter[str] = Counter()
    for d in docs:
        days = {t.day for s in d.sentences for t in times[(s.article, s.index)] if t.day and t.era is None}
        counts.update(days)
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [("", 0)]
    return best if n > rest[0][1] else None


def _place_words(docs: Sequence[AnalysedArticle]) -> frozenset[str]:
    """Words the story tags as places, organisations or groups and never as the surname of a
    full name: a "person" named so is a tagging slip ("Mueller Glacier", "Sikh")."""
    other: set[str] = set()
    surnames: set[str] = set()
    for d in docs:
        for s in d.sentences:
            for e in s.entities:
                words = [w.lower() for w in re.findall(r"[A-Za-z’'-]+", e.text) if len(w) > 2]
                if e.label == "PERSON":
                    if len(words) >= 2:
                        surnames.add(person_key(e.text))
                elif e.label in ("GPE", "LOC", "FAC", "ORG", "NORP"):
                    other.update(words)
    return frozenset(other - surnames) | frozenset({"me", "he", "she", "him", "her"})


def _canonical_people(docs: Sequence[AnalysedArticle], facts: Sequence[Fact]) -> dict[str, str]:
    """Surname spellings one letter apart ("Rait", "Raite") are one person: the more frequent."""
    counts: Counter[str] = Counter()
    for d in docs:
        for s in d.sentences:
            counts.update(person_key(e.text) for e in s.entities if e.label == "PERSON")
    counts.update(f.subject for f in facts if f.attribute == "age" and f.subject)
    names = sorted(counts, key=lambda n: -counts[n])
    out: dict[str, str] = {}
    # Only names sharing a one-edit key are compared, not every pair of the story's names.
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(names):
        if len(n) < 4:
            continue
        keys = one_edit_keys(n)
        for c in sorted({c for k in keys for c in by_key.get(k, ())}):  # more frequent first
            m = names[c]
            if _one_edit(n, m):
                out[n] = out.get(m, m)
                break
        for k in keys:
            by_key[k].append(i)
    return out


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _age_bindings(facts: Iterable[Fact], canonical: dict[str, str]) -> dict[int, str]:
    """Ages the story gives with a name ("36-year-old Duncan Rait"): age -> the one person."""
    seen: dict[int, set[str]] = defaultdict(set)
    for f in facts:
        if f.attribute == "age" and f.subject:
            seen[int(f.value.number)].add(canonical.get(f.subject, f.subject))
    return {age: next(iter(who)) for age, who in seen.items() if len(who) == 1}


def _is_speaker(doc: Any, text: str, start: int, end: int) -> bool:
    """A name that is the subject of a reporting verb ("Gaskin said"), or after "according to".
    ``doc`` is the parse of ``text``; the words before the name are read off ``text`` because
    ``doc.text`` joins every token again on each call (a story's known names grow with it, and
    so do the calls)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    h = root
    while h.dep_ in ("compound", "appos", "conj", "poss") and h.head.i != h.i:
        h = h.head
    if h.dep_ in ("nsubj", "nsubjpass") and h.head.lemma_.lower() in _REPORTING_VERBS:
        return True
    before = text[max(0, start - 16) : start].lower()
    return bool(re.search(r"according\s+to\s+$|\btold\s+$", before))
