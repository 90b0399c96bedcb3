"""Numbers with their units ("1,000 miles", "127 km", "$5 billion", "2m euros", "41%",
"half a mile", "seven villages"), normalised.

Clock times ("6 a.m."), ordinals ("75th"), years and day numbers of dates and model numbers
("AK-47", "Boeing 747") are not quantities: they are skipped here (dates are temporal
expressions). A word number ("seven") counts only when a unit, a scale or a noun follows it
("one of the few" is not a quantity).
"""

from __future__ import annotations

import re

from ..models import Quantity

_UNITS = {
    "km": "kilometer", "kms": "kilometer", "kilometre": "kilometer", "kilometres": "kilometer",
    "kilometers": "kilometer", "kilometer": "kilometer", "mi": "mile", "miles": "mile",
    "mile": "mile", "m": "meter", "metres": "meter", "meters": "meter", "metre": "meter",
    "meter": "meter", "feet": "foot", "ft": "foot", "foot": "foot", "yards": "yard",
    "yard": "yard", "cm": "centimeter", "centimetres": "centimeter", "centimeters": "centimeter",
    "inches": "inch", "inch": "inch", "kg": "kilogram", "kilos": "kilogram",
    "kilograms": "kilogram", "lbs": "pound-weight", "lb": "pound-weight",
    "tonnes": "ton", "tons": "ton", "tonne": "ton", "ton": "ton",
    "%": "percent", "percent": "percent", "per cent": "percent", "people": "person",
    "persons": "person", "dead": "dead", "deaths": "death", "years": "year", "year": "year",
    "months": "month", "month": "month", "days": "day", "day": "day", "hours": "hour",
    "hour": "hour", "minutes": "minute", "minute": "minute", "weeks": "week", "week": "week",
    "seconds": "second", "second": "second", "mph": "mph", "km/h": "km/h", "kph": "km/h",
    "shells": "shell", "missiles": "missile", "troops": "troop", "soldiers": "soldier",
    "barrels": "barrel", "gallons": "gallon", "litres": "liter", "liters": "liter",
    "euros": "euro", "euro": "euro", "dollars": "dollar", "dollar": "dollar",
    "pounds": "pound", "pound sterling": "pound", "sterling": "pound", "yen": "yen",
    "rupees": "rupee", "rupee": "rupee", "usd": "dollar", "eur": "euro", "gbp": "pound",
    "yuan": "yuan", "roubles": "rouble", "rubles": "rouble", "francs": "franc",
}  # fmt: skip
# Units written straight after the digits ("600m", "2000ft", "58km").
_GLUED = ("km", "kms", "m", "ft", "mi", "kg", "cm", "lbs", "lb", "mph", "kph")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
          "m": 1e6, "mn": 1e6, "k": 1e3}  # fmt: skip
_CURRENCY = {"$": "dollar", "us$": "dollar", "€": "euro", "£": "pound", "¥": "yen",
             "rs": "rupee", "rs.": "rupee"}  # fmt: skip
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
            "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
            "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
            "a thousand": 1000, "a dozen": 12, "dozen": 12, "dozens": 24, "hundreds": 200,
            "thousands": 2000, "millions": 2e6, "tens of thousands": 20000,
            "hundreds of thousands": 200000}  # fmt: skip
VAGUE = frozenset({"dozens", "hundreds", "thousands", "millions", "tens of thousands",
                   "hundreds of thousands"})  # fmt: skip
"""Word quantities that name an order of magnitude, not a figure ("dozens" is 24 to 99)."""

_WORDS = "|".join(sorted((re.escape(w) for w in _WORDNUM), key=len, reverse=True))
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS if u != "%"), key=len, reverse=True))
_GLUED_RE = "|".join(sorted(_GLUED, key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<cur>US\$|\$|€|£|¥|Rs\.?(?=\s?\d))?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:" + _WORDS + r")\b)"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?:(?:\s|-)?(?P<scale>thousand|million|billion|trillion|bn|mn)\b)?"
    r"(?:\s?(?P<pct>%)|(?<=\d)(?P<glued>" + _GLUED_RE + r"|bn|k)\b|[\s-](?P<unit>" + _UNIT_RE + r")\b)?",
    re.I,
)
_CLOCK_AFTER = re.compile(
    r"^\s*(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|o'clock|:\s?\d\d|\.\d\d\s*(?:am|pm)|hrs\b|hours\s+\(|"
    r"block\b)",  # "about 3 p. m.", "3: 10", "the 12000 block of East 223rd Street"
    re.I,
)
# a month's name or abbreviation as a whole word: "married 19 wives" is no "Mar 19"
_MONTHS = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_MONTH_BEFORE = re.compile(_MONTHS + r"\.?,?\s*$", re.I)
_MONTH_AFTER = re.compile(r"^(?:st|nd|rd|th)?,?\s*(?:of\s+)?" + _MONTHS, re.I)
_MODEL_BEFORE = re.compile(r"\b[A-Z]{2,4}[\s-]$")  # "AK 47", "AK-47", "F-16", "MH 370"
_NOUN_AFTER = re.compile(
    r"^[\s-]+(?:[A-Za-z][\w’'-]*\s+){0,2}"
    r"(?!(?:was|has|is|his|its|this|thus|as|us|less|across|always|perhaps|does|yes|unless)\b)"
    r"(?:[a-z][\w’'-]*s|people|men|women|children|police|"
    r"staff|crew|personnel|more|of|others)\b"
)  # "seven (of its) villages", "dozens more", "tens of thousands of people"
_LOWER_WORD_HYPHEN = re.compile(r"(?<![\w-])[a-z]{3,}-$")  # "magnitude-5.9", not "Hwasong-17"
_CURRENCY_AFTER = re.compile(
    r"[\s-]+(euros?|dollars?|pounds(?!\s+of\b)|yen|rupees?|yuan|usd|eur|gbp)\b", re.I
)
_HALF = re.compile(
    r"\b(?:(?P<whole>a|an|one|two|three|four|five|\d+)\s+(?P<unit1>[a-z]+)\s+and\s+a\s+half"
    r"|half\s+(?:a|an)\s+(?P<unit2>[a-z]+)"
    r"|(?P<whole3>one|two|three|four|five|\d+)\s+and\s+a\s+half\s+(?P<unit3>[a-z]+))\b",
    re.I,
)


def word_number(word: str) -> float | None:
    """The value of a number word ("seven" -> 7), or None."""
    v = _WORDNUM.get(word.lower())
    return float(v) if v is not None else None


def find_quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _HALF.finditer(text):  # "half a mile", "a mile and a half"
        unit_word = (m.group("unit1") or m.group("unit2") or m.group("unit3") or "").lower()
        half_unit = _UNITS.get(unit_word) or _UNITS.get(unit_word + "s")
        if half_unit is None:
            continue
        whole = m.group("whole") or m.group("whole3")
        base = 0.0
        if whole:
            base = 1.0 if whole.lower() in ("a", "an") else float(_WORDNUM.get(whole.lower(), 0) or whole)
        out.append(Quantity(text=m.group(0), value=base + 0.5, unit=half_unit, start=m.start(), end=m.end()))
        taken.append((m.start(), m.end()))
    for m in _NUMBER.finditer(text):
        raw = m.group("num")
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if m.group("ord"):
            continue  # "75th anniversary"
        start_num = m.start("num")
        if raw[0].isdigit():
            if start_num > 0 and (
                text[start_num - 1].isalnum()
                or text[start_num - 1] in ":/."
                or (text[start_num - 1] == "-" and not _LOWER_WORD_HYPHEN.search(text[:start_num]))
            ):
                continue  # part of a token like "Hwasong-17", "9/11" or ". 09 percent"
            if re.match(r"[/:]\d", text[m.end("num") :]):
                continue  # "9/11", "2:09"
            if _MODEL_BEFORE.search(text[:start_num]) and not m.group("cur"):
                continue  # a model number: "AK 47 rifles"
            if _CLOCK_AFTER.match(text[m.end("num") :]):
                continue  # "6 a.m.", "9.25 am"
            if _MONTH_BEFORE.search(text[:start_num]) or _MONTH_AFTER.match(text[m.end("num") :]):
                continue  # the day or year of a date
            value = float(raw.replace(",", ""))
            has_unit = bool(
                m.group("unit") or m.group("glued") or m.group("cur") or m.group("pct")
            )
            if re.fullmatch(r"(1[89]|20)\d\d", raw) and not has_unit:
                continue  # a bare year
            if not has_unit and re.fullmatch(r"[012]\d[0-5]\d", raw) and re.match(r"\s*(?:\(|GMT|local|hours?\b)", text[m.end():]):
                continue  # a clock time written "1353 (1023 GMT)"
        else:
            if re.search(r"\b(?:no|any|every|some)[\s-]$", text[:start_num], re.I):
                continue  # "no-one", "anyone"
            value = float(_WORDNUM[raw.lower()])
            if not (
                m.group("unit") or m.group("scale") or m.group("cur")
                or _NOUN_AFTER.match(text[m.end() :])
            ):
                continue  # a word number alone ("one of the few") is rarely a quantity
        scale = m.group("scale")
        glued = (m.group("glued") or "").lower()
        if glued in ("m", "bn", "k") and (
            m.group("cur") or _CURRENCY_AFTER.match(text[m.end() :]) or glued != "m"
        ):
            scale, glued = glued, ""  # "£1.7m", "2m euros": millions, not metres
        if scale:
            value *= _SCALE[scale.lower()]
        unit: str | None = None
        if m.group("cur"):
            unit = _CURRENCY[m.group("cur").lower()]
        elif m.group("pct"):
            unit = "percent"
        elif glued:
            unit = _UNITS[glued]
        elif m.group("unit"):
            unit = _UNITS[m.group("unit").lower()]
        end = m.end()
        if unit is None:  # "two million euros", "2m euros", "a two-million-euro booty"
            cur = _CURRENCY_AFTER.match(text[end:])
            if cur:
                unit = _UNITS[cur.group(1).lower()]
                end += cur.end()
        start = m.start("cur") if m.group("cur") else start_num
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append(Quantity(text=text[start:end], value=value, unit=unit, start=start, end=end))
    out.sort(key=lambda q: q.start)
    return out
