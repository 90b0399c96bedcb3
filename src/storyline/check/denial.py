"""Denial conflicts: a denial against an unhedged assertion of the same proposition."""

from __future__ import annotations

import re

from ..models import Sentence
from .links import Link

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


def denial_links(s1: Sentence, s2: Sentence) -> list[Link]:
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
            Link(
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
