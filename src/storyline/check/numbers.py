"""Number and unit conflicts: quantities of one dimension about the same thing (shared words
right after the number) that disagree beyond unit conversion ("unit" when the number is the
same and the unit differs, else "number")."""

from __future__ import annotations

import re

from ..align import STOPWORDS
from ..models import Quantity, Sentence
from .links import Link

MAX_RATIO = 2.0
"""Two numbers further apart than this factor are about different things (127 km vs 1,000 miles)."""
TOLERANCE = 0.1
"""Relative difference under which two quantities in *different* units agree once converted
(127 km = 79 miles, rounding included); in the same unit they must be equal."""


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


def quantity_links(s1: Sentence, s2: Sentence) -> list[Link]:
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
                Link(
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
