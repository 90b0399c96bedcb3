"""Numbers with their units ("1,000 miles", "127 km", "$5 billion", "41%"), normalised.

Clock times ("6 a.m."), ordinals ("75th"), years and day numbers of dates are not quantities:
they are skipped here (dates are temporal expressions).
"""

from __future__ import annotations

import re

from ..models import Quantity

_UNITS = {
    "km": "kilometer", "kms": "kilometer", "kilometre": "kilometer", "kilometres": "kilometer",
    "kilometers": "kilometer", "kilometer": "kilometer", "mi": "mile", "miles": "mile",
    "mile": "mile", "m": "meter", "metres": "meter", "meters": "meter", "metre": "meter",
    "meter": "meter", "feet": "foot", "ft": "foot", "foot": "foot", "kg": "kilogram",
    "kilograms": "kilogram", "tonnes": "ton", "tons": "ton", "tonne": "ton", "ton": "ton",
    "%": "percent", "percent": "percent", "per cent": "percent", "people": "person",
    "persons": "person", "dead": "dead", "deaths": "death", "years": "year", "year": "year",
    "months": "month", "month": "month", "days": "day", "day": "day", "hours": "hour",
    "hour": "hour", "minutes": "minute", "minute": "minute", "weeks": "week", "week": "week",
    "shells": "shell", "missiles": "missile", "troops": "troop", "soldiers": "soldier",
    "barrels": "barrel", "gallons": "gallon", "litres": "liter", "liters": "liter",
}  # fmt: skip
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_CURRENCY = {"$": "dollar", "us$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
            "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
            "dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2e6}  # fmt: skip

_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS if u != "%"), key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<cur>US\$|\$|€|£|¥)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|dozens|hundreds|thousands|millions)\b)"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn)\b)?"
    r"(?:\s?(?P<pct>%)|[\s-](?P<unit>" + _UNIT_RE + r")\b)?",
    re.I,
)
_CLOCK_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|:\d\d)", re.I)
_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s*$", re.I
)
_MONTH_AFTER = re.compile(
    r"^,?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I
)


def find_quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        raw = m.group("num")
        if m.group("ord"):
            continue  # "75th anniversary"
        if raw[0].isdigit():
            if m.start("num") > 0 and (
                text[m.start("num") - 1].isalnum() or text[m.start("num") - 1] in ":-/"
            ):
                continue  # part of a token like "Hwasong-17" or "9/11"
            if _CLOCK_AFTER.match(text[m.end("num") :]):
                continue  # "6 a.m."
            if _MONTH_BEFORE.search(text[: m.start("num")]) or _MONTH_AFTER.match(
                text[m.end("num") :]
            ):
                continue  # the day or year of a date
            value = float(raw.replace(",", ""))
            if re.fullmatch(r"(1[89]|20)\d\d", raw) and not (
                m.group("unit") or m.group("cur") or m.group("pct")
            ):
                continue  # a bare year
        else:
            value = float(_WORDNUM[raw.lower()])
            if not (m.group("unit") or m.group("scale")):
                continue  # a word number alone ("one of the few") is rarely a quantity
        if m.group("scale"):
            value *= _SCALE[m.group("scale").lower()]
        unit: str | None = None
        if m.group("cur"):
            unit = _CURRENCY[m.group("cur").lower()]
        elif m.group("pct"):
            unit = "percent"
        elif m.group("unit"):
            unit = _UNITS[m.group("unit").lower()]
        start = m.start("cur") if m.group("cur") else m.start("num")
        end = m.end()
        out.append(Quantity(text=text[start:end], value=value, unit=unit, start=start, end=end))
    return out
