"""Reported values and when two of them disagree: qualifiers, units, currencies.

A value is what a source gives for one fact, with the qualifier it wrote: "at least 10",
"about 60m", "more than 100,000", "dozens", "three or four", "85 miles (135 kilometers)" (one
value written in two units). ``agree`` decides whether two values can both be true:

- exact figures must be equal (a round figure of hundreds may round a precise one: 600 ~ 612);
- "about"/"around"/"some" allow 10%, "nearly"/"almost" up to 15% below;
- a lower bound ("at least", "more than") holds a figure up to twice its size ("at least 5" and
  "24" disagree; "more than 100,000" fits 120,000 and 200,000); two lower bounds agree only
  when they round the same figure ("more than 220,000" and "at least 230,000", not 26,000 and
  31,000: two sources that count differently);
- a range or a vague word ("dozens") holds what falls inside it;
- units convert (10% for rounding); currencies convert at the rates the story itself gives
  ("2 million euros ($2.6 million)"), else at rough standing rates with a wide margin.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from ..analyse.quantities import VAGUE
from ..models import Quantity

# --- units --------------------------------------------------------------------------------

_UNITS_BY_DIMENSION: dict[str, dict[tuple[str, ...], float]] = {
    "distance": {
        ("km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"): 1000.0,
        ("mi", "mile", "miles"): 1609.344,
        ("m", "meter", "meters", "metre", "metres"): 1.0,
        ("ft", "foot", "feet"): 0.3048,
        ("yard", "yards"): 0.9144,
        ("cm", "centimeter", "centimeters"): 0.01,
        ("inch", "inches"): 0.0254,
    },
    "weight": {
        ("kg", "kilogram", "kilograms"): 1.0,
        ("t", "ton", "tons", "tonne", "tonnes"): 1000.0,
        ("lb", "lbs", "pound-weight"): 0.4536,
    },
    "duration": {
        ("second", "seconds"): 1.0,
        ("minute", "minutes"): 60.0,
        ("hour", "hours"): 3600.0,
        ("day", "days"): 86400.0,
        ("week", "weeks"): 604800.0,
        ("month", "months"): 2629800.0,
        ("year", "years"): 31557600.0,
    },
    "speed": {("mph",): 1.609344, ("km/h",): 1.0},
    "share": {("%", "percent", "per cent"): 1.0},
}
UNIT_TABLE: dict[str, tuple[str, float]] = {
    name: (dim, factor)
    for dim, groups in _UNITS_BY_DIMENSION.items()
    for group, factor in groups.items()
    for name in group
}
CURRENCIES = frozenset({"dollar", "euro", "pound", "yen", "rupee", "yuan", "rouble", "franc"})
# Rough standing rates to the dollar: only used when the story gives none, with a wide margin.
_DEFAULT_RATES = {"dollar": 1.0, "euro": 1.2, "pound": 1.4, "yen": 0.008, "rupee": 0.014,
                  "yuan": 0.15, "rouble": 0.02, "franc": 1.05}  # fmt: skip
DEFAULT_RATE_MARGIN = 0.2
LEARNED_RATE_MARGIN = 0.05
CONVERSION_MARGIN = 0.1
"""Relative rounding allowed when one value is a unit conversion of the other (127 km = 79 mi)."""
APPROX_MARGIN = 0.1
BOUND_SPAN = 2.0
"""A lower bound holds figures up to this many times its size."""
VAGUE_RANGES = {"dozens": (24.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0),
                "millions": (2e6, 9.99e6), "tens of thousands": (20000.0, 99999.0),
                "hundreds of thousands": (200000.0, 999999.0)}  # fmt: skip


def dimension(unit: str | None) -> tuple[str, float]:
    """(dimension, factor to its base unit); a currency is its own dimension "money"."""
    if not unit:
        return "count", 1.0
    u = unit.lower()
    if u in CURRENCIES:
        return "money", 1.0
    if u in UNIT_TABLE:
        return UNIT_TABLE[u]
    return "count", 1.0  # "people", "shells": a count of things


# --- qualifiers ---------------------------------------------------------------------------

_BEFORE = [
    ("min", re.compile(r"\b(?:at\s+least|more\s+than|over|in\s+excess\s+of|upwards\s+of|no\s+fewer\s+than|no\s+less\s+than|above|exceeding|a\s+minimum\s+of)\s+$", re.I)),
    ("max", re.compile(r"\b(?:up\s+to|fewer\s+than|less\s+than|under|no\s+more\s+than|at\s+most|a\s+maximum\s+of)\s+$", re.I)),
    ("near", re.compile(r"\b(?:nearly|almost|close\s+to|just\s+under|just\s+short\s+of)\s+$", re.I)),
    ("many", re.compile(r"\bas\s+many\s+as\s+$", re.I)),
    ("approx", re.compile(r"\b(?:about|around|approximately|roughly|some|an\s+estimated|estimated|an\s+approximate|approx\.?|circa|just\s+over|a\s+little\s+over|or\s+so|nearly\s+about)\s+$", re.I)),
]  # fmt: skip
_AFTER_MIN = re.compile(r"^\s*(?:or\s+more|-plus|\+|and\s+counting)\b", re.I)
_AFTER_APPROX = re.compile(r"^\s*(?:or\s+so)\b", re.I)


@dataclass(frozen=True)
class Value:
    """One reported value of a fact, normalised for comparison."""

    text: str  # as written, with its qualifier: "at least 10 people"
    number: float  # the figure as written (10, 200 for "200ft")
    unit: str | None  # normalised unit name ("foot", "euro") or None for a count
    dim: str  # "count", "distance", "money", ...
    base: float  # in the dimension's base unit (metres, seconds; money stays in its currency)
    qual: str  # exact | approx | near | many | min | max | range | vague
    hi: float = 0.0  # upper end for a range or vague word (base unit)
    alts: tuple[tuple[float, str | None], ...] = ()  # the same value in other units (base, unit)
    category: str | None = None  # for non-numeric facts: the normalised value ("gray")

    @property
    def is_bound(self) -> bool:
        return self.qual in ("min", "max", "range", "vague", "many", "near")


def qualifier(text: str, q: Quantity) -> tuple[str, int]:
    """The qualifier written before (or after) a quantity and where the qualified text starts."""
    before = text[max(0, q.start - 30) : q.start]
    for qual, pattern in _BEFORE:
        m = pattern.search(before)
        if m:
            return qual, q.start - (len(before) - m.start())
    if _AFTER_MIN.match(text[q.end :]):
        return "min", q.start
    if _AFTER_APPROX.match(text[q.end :]):
        return "approx", q.start
    return "exact", q.start


def make_value(text: str, q: Quantity, others: Iterable[Quantity] = ()) -> Value:
    """The value of quantity ``q`` in sentence ``text``; ``others`` are the sentence's other
    quantities (a bracketed conversion right after ``q`` becomes an alternative of it)."""
    dim, factor = dimension(q.unit)
    qual, start = qualifier(text, q)
    end = q.end
    hi = 0.0
    raw = q.text.lower()
    if raw in VAGUE or raw.split()[0] in VAGUE or raw in VAGUE_RANGES:
        key = next((k for k in sorted(VAGUE_RANGES, key=len, reverse=True) if raw.startswith(k)), "")
        if key:
            lo, hi = VAGUE_RANGES[key]
            return Value(text[start:end], q.value, q.unit, dim, lo * factor, "vague", hi * factor)
    rng = _range_after(text, q, others)
    if rng is not None:
        other, end = rng
        qual, hi = "range", other.value * dimension(other.unit or q.unit)[1]
    alts = tuple(
        (o.value * dimension(o.unit)[1], o.unit) for o in conversions_of(text, q, others)
    )
    return Value(
        text=text[start:end].strip(),
        number=q.value,
        unit=q.unit,
        dim=dim,
        base=q.value * factor,
        qual=qual,
        hi=hi,
        alts=alts,
    )


def _range_after(text: str, q: Quantity, others: Iterable[Quantity]) -> tuple[Quantity, int] | None:
    """ "between 40 and 80 percent", "3.6 to 4.3", "three or four": the upper end."""
    for o in others:
        if o.start <= q.end:
            continue
        gap = text[q.end : o.start]
        if re.fullmatch(r"\s*(?:to|and|or|-|–)\s*", gap) and o.value > q.value:
            if gap.strip() == "and" and not re.search(r"\bbetween\s+$", text[max(0, q.start - 10) : q.start], re.I):
                return None
            return o, o.end
        break
    return None


def is_range_end(text: str, q: Quantity, others: Iterable[Quantity]) -> bool:
    """True for the "80" of "between 40 and 80": it belongs to the range before it."""
    for o in others:
        if o.end <= q.start and _range_after(text, o, [q]) is not None:
            return True
    return False


def conversions_of(text: str, q: Quantity, others: Iterable[Quantity]) -> list[Quantity]:
    """Quantities in brackets right after ``q`` that restate it in another unit or currency:
    "58km (36 miles)", "2m euros (£1.7m; $2.6m)", "2000ft (609 metres)"."""
    out = []
    pos = q.end
    for o in sorted(others, key=lambda o: o.start):
        if o.start < pos or o is q:
            continue
        gap = text[pos : o.start]
        if not re.fullmatch(r"\s*[(\[;,/]?\s*(?:or\s+|about\s+|around\s+|some\s+|nearly\s+|approximately\s+)?", gap):
            break
        if "(" not in text[q.end : o.start] and "[" not in text[q.end : o.start]:
            break
        if o.unit and o.unit != q.unit:
            out.append(o)
            pos = o.end
        else:
            break
    return out


def is_conversion(text: str, q: Quantity, others: Iterable[Quantity]) -> bool:
    """True for the bracketed "(36 miles)" after "58km": it restates the figure before it."""
    return any(q in conversions_of(text, o, others) for o in others if o.end <= q.start)


# --- currency rates from the story ----------------------------------------------------------


class Rates:
    """Exchange rates the story gives ("two million euros ($2.6 million)"), else standing ones."""

    def __init__(self, pairs: Iterable[tuple[str, float, str, float]] = ()) -> None:
        seen: dict[tuple[str, str], list[float]] = defaultdict(list)
        for cur_a, a, cur_b, b in pairs:
            if cur_a != cur_b and a > 0 and b > 0:
                seen[(cur_a, cur_b)].append(b / a)
                seen[(cur_b, cur_a)].append(a / b)
        self.learned = {k: median(v) for k, v in seen.items()}
        # one step through a third currency: euro->pound and euro->dollar give pound->dollar
        for (x, y), r1 in list(self.learned.items()):
            for (y2, z), r2 in list(self.learned.items()):
                if y == y2 and x != z and (x, z) not in self.learned:
                    self.learned[(x, z)] = r1 * r2

    def convert(self, amount: float, cur: str, to: str) -> tuple[float, float]:
        """(amount in ``to``, relative margin of the conversion)."""
        if cur == to:
            return amount, 0.0
        if (cur, to) in self.learned:
            return amount * self.learned[(cur, to)], LEARNED_RATE_MARGIN
        rate = _DEFAULT_RATES.get(cur, 1.0) / _DEFAULT_RATES.get(to, 1.0)
        return amount * rate, DEFAULT_RATE_MARGIN


NO_RATES = Rates()


# --- agreement ----------------------------------------------------------------------------


def _representations(v: Value) -> list[tuple[float, str | None]]:
    return [(v.base, v.unit), *v.alts]


def _interval(v: Value, base: float, margin: float) -> tuple[float, float, float]:
    """(low, high, nominal) a value allows, its qualifier and a conversion margin included."""
    lo, hi = base, base
    if v.qual in ("range", "vague"):
        scale = base / v.base if v.base else 1.0
        hi = v.hi * scale
    elif v.qual == "approx":
        lo, hi = base * (1 - APPROX_MARGIN), base * (1 + APPROX_MARGIN)
    elif v.qual == "near":
        lo, hi = base * (1 - 1.5 * APPROX_MARGIN), base
    elif v.qual == "many":
        lo, hi = base * (1 - APPROX_MARGIN), base
    elif v.qual == "min":
        lo, hi = base, base * BOUND_SPAN
    elif v.qual == "max":
        lo, hi = base / BOUND_SPAN, base
    elif _round_hundreds(v.number):
        lo, hi = base * 0.97, base * 1.03  # "600 were killed" may round 612
    return lo * (1 - margin), hi * (1 + margin), base


def _round_hundreds(n: float) -> bool:
    return n >= 100 and n == int(n) and int(n) % 100 == 0


def agree(a: Value, b: Value, rates: Rates = NO_RATES) -> bool:
    """Can both values be true of one fact at one moment?"""
    if a.category is not None or b.category is not None:
        if a.category is None or b.category is None:
            return False
        # "bruce township" and "macomb county s bruce township" name one place
        return a.category == b.category or a.category in b.category or b.category in a.category
    if a.dim != b.dim:
        return False
    if a.qual == "vague" and b.qual == "vague":
        return a.text.lower().split()[-1] == b.text.lower().split()[-1] or a.base == b.base
    for ba, ua in _representations(a):
        for bb, ub in _representations(b):
            margin = 0.0
            if a.dim == "money" and ua and ub and ua != ub:
                bb, margin = rates.convert(bb, ub, ua)
            elif ua != ub:
                margin = CONVERSION_MARGIN
            elif a.qual == "exact" and b.qual == "exact":
                margin = 0.005
            if _agree_at(a, ba, b, bb, margin):
                return True
    return False


def _agree_at(a: Value, ba: float, b: Value, bb: float, margin: float) -> bool:
    if a.qual == b.qual == "min" or a.qual == b.qual == "max":
        # two bounds round one figure, or they come from two different counts
        big, small = max(ba, bb), min(ba, bb)
        return small > 0 and big / small <= 1 + APPROX_MARGIN + margin
    lo_a, hi_a, _ = _interval(a, ba, margin)
    lo_b, hi_b, _ = _interval(b, bb, 0.0)
    return lo_a <= hi_b and lo_b <= hi_a


def same_number_other_unit(a: Value, b: Value) -> bool:
    """ "200 metres" and "200 feet": one figure, two units (a unit conflict)."""
    return (
        a.unit is not None
        and b.unit is not None
        and a.unit != b.unit
        and a.dim == b.dim
        and a.dim != "count"
        and abs(a.number - b.number) <= 0.01 * max(a.number, b.number)
    )
