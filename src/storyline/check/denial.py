"""Denial conflicts: a denial against an unhedged assertion of the same proposition.

"Both countries deny they are engaging in arms negotiations" against "arms negotiations ...
have been actively advancing"; "A man has denied arson" against "A man has been charged with
arson". The denied proposition is the content words after the denial cue ("deny", "pleaded not
guilty to", "rejected claims that"); the assertion must hold all its key words (synonyms mapped
through ``CANON``), neither hedged nor negated nor itself a denial. "Was denied bail" is a
refusal, not a denial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..align import STOPWORDS
from ..models import Sentence
from .links import Key, Link

DENIAL = re.compile(
    r"\b(deny|denies|denied|denying|denial|denials|insists?\b[^.]*\bnot|pleaded\s+not\s+guilty\s+to|"
    r"pleads\s+not\s+guilty\s+to|rejected\s+(?:the\s+)?(?:claims?|reports?|allegations?)\s+that|"
    r"dismissed\s+(?:the\s+)?(?:claims?|reports?|allegations?)\s+that)\b",
    re.I,
)
NEGATION = re.compile(r"\b(not|no|never|n't|nothing|neither|nor)\b|n’t", re.I)
HEDGES = re.compile(
    r"\b(may|might|could|would|should|if|expected|expect|likely|possibly|perhaps|believe|believed|"
    r"fear|fears|concern|concerns|predicted|suggest|suggests|whether|will|"
    r"claimed|claims|alleged|allegedly|reportedly|indicates|rumou?red|rumou?rs?|speculated|"
    r"speculation|purported|purportedly|thought\s+to|possible)\b",
    re.I,
)
CANON = {
    "arms": "weapon", "weapon": "weapon", "weapons": "weapon", "weaponry": "weapon",
    "munition": "weapon", "munitions": "weapon", "ammunition": "weapon",
    "negotiation": "talks", "negotiations": "talks", "talks": "talks", "discussed": "talks",
    "discussing": "talks", "negotiating": "talks", "deal": "deal", "deals": "deal",
    "agreement": "deal", "transfer": "deal", "transfers": "deal",
}  # fmt: skip
"""Words that name one thing in different ways (arms and weapons, talks and negotiations)."""
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+\s+)?$", re.I)
_REFUSED = frozenset(
    """bail request access entry permission visa application appeal motion report reports claim
    claims allegation allegations accusation accusations rumour rumours rumor rumors suggestion
    suggestions story stories statement charge charges wrongdoing involvement knowledge any
    engaging engage taken place""".split()
)
_REFUSED_OBJECTS = frozenset(
    """bail request requests access entry permission visa application applications appeal
    appeals motion motions petition petitions parole permit permits license licence entrance
    admission service treatment""".split()
)
_LIGHT = frozenset(
    """they there it its this that these those have has had having been being are is was were
    be do does did any all some take takes took taking place make made also both other others
    countries country inside within""".split()
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _canon(word: str) -> str:
    if word in CANON:
        return CANON[word]
    return word[:-1] if word.endswith("s") and len(word) > 4 and not word.endswith("ss") else word


def _proposition(text: str) -> set[str]:
    """Key words of a proposition: content words, synonyms mapped to one."""
    return {
        c
        for w in _words(text)
        if w not in STOPWORDS and w not in _LIGHT and len(w) > 2
        for c in [_canon(w)]
        if c not in _REFUSED and w not in _REFUSED
    }


def denied_clause(text: str) -> tuple[int, str] | None:
    """Where a sentence denies something, and the denied words (up to the clause's end)."""
    m = DENIAL.search(text)
    if not m:
        return None
    if re.search(r"\bdespite\s+$", text[max(0, m.start() - 10) : m.start()], re.I):
        return None
    if _PASSIVE.search(text[: m.start()]) and m.group(0).lower().startswith("den"):
        return None  # "has been denied bail": refused, not a denial
    rest = text[m.end() :]
    first = re.match(r"\s*(?:(?:a|an|the|his|her|their|its|any|all)\s+)?([a-z]+)", rest, re.I)
    if first and first.group(1).lower() in _REFUSED_OBJECTS:
        return None  # "denied a request", "denied bail": refused, not a denial
    end = re.search(
        r"[;.]|,\s*(?:and|but|while|saying|adding)\b|\b(?:and|but)\s+(?:the|a|an)\b"
        r"|\b(?:following|after|before|during|since|because|when|over)\b",
        rest,
    )
    return m.start(), rest[: end.start()] if end else rest


@dataclass(frozen=True)
class _Reading:
    """What one sentence denies or asserts (read once per sentence)."""

    denial: tuple[int, frozenset[str]] | None  # where, and the denied key words
    asserts: bool  # an unhedged, unnegated statement that is no denial
    words: frozenset[str]


def _read(s: Sentence) -> _Reading:
    found = denied_clause(s.text)
    denial = None
    if found is not None:
        denied = _proposition(found[1])
        if denied and len(denied) <= 6:  # something specific denied, not a whole story
            denial = (found[0], frozenset(denied))
    asserts = not (
        s.text.rstrip(" \"”’'").endswith("?")  # "Deep Throat connection?": a question asserts nothing
        or (DENIAL.search(s.text) and not re.search(r"\bdespite\s+denials?\b", s.text, re.I))
        or NEGATION.search(s.text)
        or HEDGES.search(s.text)
    )
    return _Reading(denial, asserts, frozenset(_proposition(s.text)) if asserts else frozenset())


def reading(s: Sentence, memo: dict[tuple[str, Key], object] | None = None) -> _Reading:
    """What a sentence denies or asserts, read once per sentence when a memo is given."""
    key = ("denial", (s.article, s.index))
    if memo is not None and key in memo:
        found = memo[key]
        assert isinstance(found, _Reading)
        return found
    r = _read(s)
    if memo is not None:
        memo[key] = r
    return r


def denial_links(
    s1: Sentence, s2: Sentence, memo: dict[tuple[str, Key], object] | None = None
) -> list[Link]:
    r1, r2 = reading(s1, memo), reading(s2, memo)
    out = []
    for den, ass, rd, ra in ((s1, s2, r1, r2), (s2, s1, r2, r1)):
        if rd.denial is None or not ra.asserts:
            continue
        start, denied = rd.denial
        if not denied <= ra.words:
            continue
        out.append(
            Link(
                "denial",
                "Denied and asserted",
                (den.article, den.index),
                (ass.article, ass.index),
                _clause(den.text, start),
                _assertion_value(ass.text, denied),
                True,
            )
        )
    return out


def _clause(text: str, start: int) -> str:
    end = re.search(r"[,;.]|\band\b", text[start:])
    return text[start : start + end.start()].strip() if end else text[start:].strip()


def _assertion_value(text: str, words: frozenset[str] | set[str]) -> str:
    """From the first word of the asserted proposition to the end of its clause."""
    positions = [m.start() for m in re.finditer(r"[A-Za-z]+", text) if _canon(m.group(0).lower()) in words]
    start = min(positions) if positions else 0
    tail = text[start:]
    end = re.search(r"[;.]|,[”\"]?\s", tail)
    value = (tail[: end.start()] if end else tail).strip().rstrip(',.;”"').strip()
    return value + ("”" if value.count("“") > value.count("”") else "")
