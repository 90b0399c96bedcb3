"""Temporal expressions: found by rules, resolved against the date of the post they stand in.

Own rules rather than dateparser: a bare weekday must resolve against the post date with the
tense of its clause ("said Tuesday" is the last Tuesday, "will meet on Tuesday" the next one),
and the same rules must run fast over thousands of tokenised articles (Timeline17).

Resolution rules (documented choices):
- weekday, past or no tense: the most recent such day on or before the anchor (news style:
  "said Wednesday" in a Wednesday story is that day); future tense: the first such day on or
  after the anchor; "last Tuesday" is strictly before, "next Tuesday" strictly after.
- "today", "yesterday", "tomorrow", "the previous day" / "the following day" (relative to the
  date named before it in the same sentence, else to the anchor): day precision.
- a month without a year ("in late July", "Sept. 5"): the year that puts it at or before the
  anchor (future tense: at or after it).
- "last week" / "this week": a week is finer than a month but not a day; we keep the month
  that holds the day a week before (or of) the anchor, precision "month", so nothing claims a
  day it does not know. "N weeks/months ago" likewise, "N years ago" and "last year": year.
- clock times ("at 6 a.m.") and ordinals ("75th anniversary") are not dates and are skipped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Precision, TimeExpression

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PART = r"(?P<part>early|earlier|late|later|mid|the\s+end\s+of|the\s+start\s+of)"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_SEP = r"\s*,?\s*"  # "April, 25, 2019", "May 4 , 2009" (tokenised text)

# Order matters: longer forms first; overlapping later matches are dropped.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "mdy",  # (Tuesday,) Sept. 12(, 2023) / April, 25, 2019
        re.compile(
            rf"\b(?:(?:on\s+)?{_WD}{_SEP})?(?:on\s+)?{_MON}{_SEP}(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
            rf"(?!\s*(?:%|percent|per\s+cent|[-–]?\s*(?:million|billion|people|km|miles)))"
            rf"(?:{_SEP}{_YEAR}\b)?",
            re.I,
        ),
    ),
    (
        "dmy",  # 25 April 2019, 12th of September
        re.compile(
            rf"\b(?:on\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:{_SEP}{_YEAR}\b)?",
            re.I,
        ),
    ),
    (
        "monyear",
        re.compile(
            rf"\b(?:(?:in|since|by|until|from)\s+)?(?:{_PART}[\s-]+)?{_MON}{_SEP}{_YEAR}\b", re.I
        ),
    ),
    (
        "month",  # in late July, In mid-August, in August
        re.compile(
            rf"\b(?:(?:in|since|by|until|from|during)\s+)(?:{_PART}[\s-]+)?{_MON}\b(?!\s*[0-3]?\d\b)",
            re.I,
        ),
    ),
    ("partmonth", re.compile(rf"\b{_PART}[\s-]+{_MON}\b(?!\s*[0-3]?\d\b)", re.I)),
    (
        "year",
        re.compile(
            rf"\b(?:(?:in|since|of|by|until|from|during|early|late|mid|before|after)[\s-]+){_YEAR}\b"
            r"(?!\s*(?:%|[-–]\d|,\d))",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
    (
        "relword",
        re.compile(
            r"\b(?:(?P<part2>early|late|earlier|later)\s+)?(?P<rel>today|yesterday|tomorrow|tonight)"
            r"(?:\s+(?:morning|afternoon|evening|night))?\b",
            re.I,
        ),
    ),
    (
        "prevday",
        re.compile(
            r"\bthe\s+(?P<dir>previous|following|next)\s+day\b|\bthe\s+day\s+(?P<dir2>before|after)\b",
            re.I,
        ),
    ),
    (
        "period",  # last week, this month, next year, earlier this week
        re.compile(
            r"\b(?:(?:earlier|later)\s+)?(?P<which>last|this|next|past)\s+(?P<period>week|month|year)\b",
            re.I,
        ),
    ),
    (
        "weekday",  # on Tuesday, late Sunday, Sunday afternoon, earlier Tuesday, last Friday
        re.compile(
            rf"\b(?:(?P<mod>on|late|early|earlier|later|last|this|next|since|until|by|from)\s+(?:on\s+)?)?"
            rf"{_WD}\b(?:\s+(?:morning|afternoon|evening|night))?",
            re.I,
        ),
    ),
]

_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3}  # fmt: skip

# Tense of the clause before an expression: the nearest cue wins.
_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|'ll|would|going\s+to|expected\s+to|set\s+to|due\s+to|scheduled\s+to|"
    r"plans?\s+to|planned\s+to|likely\s+to|is\s+to|are\s+to|to\s+be\s+held|upcoming|forthcoming|coming)\b",
    re.I,
)
_PAST_CUE = re.compile(
    r"\b(?:said|says|told|reported|reports|confirmed|announced|added|stated|noted|warned|was|were|"
    r"had|did|met|left|arrived|began|held|took|went|came|made|crossed|\w{3,}ed)\b",
    re.I,
)
_PASSIVE_BEFORE = re.compile(r"\b(?:be|being)\s+(?:\w+\s+)?$", re.I)
_ADJECTIVE_BEFORE = re.compile(r"\b(?:a|an|the|his|her|its|their|our|this|that)\s+$", re.I)
_NOT_PAST = {"expected", "scheduled", "planned", "proposed", "speculated", "based", "needed"}


@dataclass(frozen=True)
class Found:
    """A match before resolution (kept for callers that need the kind, e.g. date reconciliation)."""

    kind: str
    start: int
    end: int
    match: re.Match[str]


def is_future(text: str, start: int) -> bool:
    """True when the clause before ``text[start]`` is in the future tense ("will meet ... on")."""
    window = text[max(0, start - 150) : start]
    last_future = max((m.end() for m in _FUTURE_CUE.finditer(window)), default=-1)
    last_past = max(
        (
            m.end()
            for m in _PAST_CUE.finditer(window)
            if m.group(0).lower() not in _NOT_PAST
            and not _PASSIVE_BEFORE.search(window, 0, m.start())  # "will be held" is future
            and not _ADJECTIVE_BEFORE.search(window, 0, m.start())  # "an unspecified location"
        ),
        default=-1,
    )
    return last_future > last_past


def scan(text: str) -> Iterator[Found]:
    """Every temporal expression in ``text``, left to right, without overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append(Found(kind, s, e, m))
    found.sort(key=lambda f: f.start)
    yield from found


def find_times(text: str, anchor: str | date | None) -> list[TimeExpression]:
    """Temporal expressions of one sentence, resolved against ``anchor`` (ISO date or None).

    Absolute dates with a year resolve without an anchor; everything else needs one and is
    skipped when it is None. Never raises on odd input.
    """
    ref = _to_date(anchor)
    out: list[TimeExpression] = []
    for f in scan(text):
        try:
            resolved = _resolve(f, text, ref, out)
        except (ValueError, OverflowError):
            resolved = None
        if resolved is None:
            continue
        value, precision, relative = resolved
        out.append(
            TimeExpression(
                text=text[f.start : f.end],
                start=f.start,
                end=f.end,
                value=value,
                precision=precision,
                relative=relative,
                anchor=ref.isoformat() if (relative and ref) else None,
            )
        )
    return out


def weekday_of(expression: str) -> int | None:
    """0 = Monday ... for an expression naming a weekday, else None."""
    m = re.search(_WD, expression, re.I)
    return WEEKDAYS.index(m.group("wd").lower()) if m else None


def _to_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _iso(d: date, precision: Precision) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _resolve(
    f: Found, text: str, ref: date | None, before: list[TimeExpression]
) -> tuple[str, Precision, bool] | None:
    m, kind = f.match, f.kind
    g = m.groupdict()
    future = is_future(text, f.start)
    if kind == "iso":
        return date(int(g["y"]), int(g["m"]), int(g["d"])).isoformat(), "day", False
    if kind in ("mdy", "dmy"):
        month = _MONTHS[g["mon"].lower().rstrip(".")]
        day = int(g["day"])
        if not 1 <= day <= calendar.monthrange(2000, month)[1]:
            return None
        if g.get("year"):
            return date(int(g["year"]), month, day).isoformat(), "day", False
        if ref is None:
            return None
        return _month_day_near(month, day, ref, future).isoformat(), "day", True
    if kind == "monyear":
        month = _MONTHS[g["mon"].lower().rstrip(".")]
        return f"{int(g['year']):04d}-{month:02d}", "month", False
    if kind in ("month", "partmonth"):
        if g["mon"].lower().rstrip(".") == "may" and kind == "partmonth":
            return None  # "early may" is a verb phrase far more often than a date
        if ref is None:
            return None
        month = _MONTHS[g["mon"].lower().rstrip(".")]
        year = ref.year
        if future and month < ref.month:
            year += 1
        elif not future and month > ref.month:
            year -= 1
        return f"{year:04d}-{month:02d}", "month", True
    if kind == "year":
        return g["year"], "year", False
    if ref is None:
        return None
    if kind == "ago":
        n = _NUMWORDS.get(g["n"].lower()) or int(g["n"])
        unit = g["unit"].lower()
        if unit == "day":
            return (ref - timedelta(days=n)).isoformat(), "day", True
        if unit == "week":
            return _iso(ref - timedelta(days=7 * n), "month"), "month", True
        if unit == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}", "month", True
        return f"{ref.year - n:04d}", "year", True
    if kind == "relword":
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
        return (ref + timedelta(days=shift)).isoformat(), "day", True
    if kind == "prevday":
        direction = (g.get("dir") or g.get("dir2") or "").lower()
        step = -1 if direction in ("previous", "before") else 1
        base = next((t for t in reversed(before) if t.precision == "day"), None)
        start = date.fromisoformat(base.value) if base else ref
        return (start + timedelta(days=step)).isoformat(), "day", True
    if kind == "period":
        which, period = g["which"].lower(), g["period"].lower()
        shift = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
        if period == "week":
            return _iso(ref + timedelta(days=7 * shift), "month"), "month", True
        if period == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
            return f"{y:04d}-{mo + 1:02d}", "month", True
        return f"{ref.year + shift:04d}", "year", True
    if kind == "weekday":
        wd = WEEKDAYS.index(g["wd"].lower())
        mod = (g.get("mod") or "").lower()
        return resolve_weekday(wd, ref, future=future, modifier=mod).isoformat(), "day", True
    return None


def resolve_weekday(wd: int, ref: date, *, future: bool = False, modifier: str = "") -> date:
    """The date of weekday ``wd`` (0 = Monday) as seen from ``ref``."""
    if modifier == "last":
        back = (ref.weekday() - wd) % 7 or 7
        return ref - timedelta(days=back)
    if modifier == "next":
        ahead = (wd - ref.weekday()) % 7 or 7
        return ref + timedelta(days=ahead)
    if future or modifier in ("until", "by"):
        return ref + timedelta(days=(wd - ref.weekday()) % 7)
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


def _month_day_near(month: int, day: int, ref: date, future: bool) -> date:
    """A month-day without a year: the nearest one on the side of the anchor the tense says."""
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 29 February
            continue
    if not candidates:
        raise ValueError("no such day")
    if future:
        after = [c for c in candidates if c >= ref]
        return min(after) if after else max(candidates)
    # past: the latest at or shortly after the anchor (a story dated a day late still says "Sept. 13")
    before = [c for c in candidates if c <= ref + timedelta(days=2)]
    return max(before) if before else min(candidates)
