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
import functools
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
# an abbreviation takes its dot; a full name leaves a sentence's full stop alone ("on 19 August.")
_MON = (
    r"(?P<mon>(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.|january|february|march|april|may|"
    r"june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|"
    r"nov|dec)"
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
            r"(?!\s*(?:%|[-–]\d|,\d))"
            # "a 1999 incident", "the 2005 quake" (not "a 2013 Toyota", "the 2000 residents")
            r"|\b(?:a|an|the)\s+(?P<year2>(?:1[89]|20)\d\d)"
            r"(?=\s+(?-i:[a-z]{2,}[a-rt-z])\b(?!\s+(?-i:[A-Z])))",  # not "a 2013 gray Camry"
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
            r"\b(?:(?P<part2>early|late|earlier|later)\s+)?(?P<rel>today|yesterday|tomorrow|tonight|"
            r"last\s+night)"
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
        "weekend",  # at the weekend, this weekend, over the weekend, next weekend
        re.compile(
            r"\b(?P<wmod>this|last|next|past|(?:at|on|over|during|for)\s+the)\s+weekend\b", re.I
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

# Tense of the clause before an expression: the nearest cue wins. Schedules ("is set for",
# "is due to appear", "remanded ... to appear") and forecasts ("snow is forecast for") are future.
_SCHEDULED_VERBS = (
    r"appear|be|begin|start|meet|open|close|return|face|stand|take|hold|visit|leave|launch|"
    r"resume|end|finish|attend|testify|speak|sign|vote|travel|arrive|land|go|come|hear|rule|"
    r"decide|announce|release|reopen|report|receive|give|make|continue|remain|sit"
)
# "is due to put" is a schedule; "due to low light" / "due to the weather" is a cause
_DUE_TO = (
    r"(?:is|are|was|were|'s|'re|be|been)\s+(?:\w+ly\s+)?due\s+to\s+"
    r"(?!the\b|a\b|an\b|his\b|her\b|its\b|their\b|this\b|that\b|these\b|those\b|bad\b|poor\b|"
    r"low\b|high\b|heavy\b|strong\b|severe\b|lack\b|\w+ing\b)|"
    rf"due\s+to\s+(?:{_SCHEDULED_VERBS})\b"
)
_STRONG_FUTURE = (
    r"will|won't|shall|'ll|going\s+to|(?:is|are|am)\s+to|"
    r"(?:expected|set|scheduled|slated|planned)\s+(?:to|for|on)|due\s+(?:for|on)|to\s+be\s+held|"
    rf"{_DUE_TO}|to\s+(?:appear|stand\s+trial|be\s+sentenced|face\s+trial)|forecasts?|forecasted"
)
_FUTURE_CUE = re.compile(
    rf"\b(?:{_STRONG_FUTURE}|would|plans?\s+to|likely\s+to|upcoming|forthcoming|coming|"
    r"(?:set|scheduled|slated|planned|due|expected|penciled|pencilled)\s+(?:in|at|back)|"
    r"forecasters?\s+(?:expect|predict|warn)|outlook|"
    r"(?:warning|watch|alert)s?\s+(?:is\s+|are\s+)?(?:in\s+(?:place|effect|force)\s+)?(?:for|until))\b",
    re.I,
)
# After the expression only a clause's own future verb counts ("On Oct. 2, he will appear").
_FUTURE_AFTER = re.compile(rf"\b(?:{_STRONG_FUTURE})\b", re.I)
_PAST_CUE = re.compile(
    r"\b(?:said|says|told|reported|reports|confirmed|announced|added|stated|noted|warned|was|were|"
    r"had|did|met|left|arrived|began|held|took|went|came|made|crossed|fell|struck|died|"
    r"stole|broke|fled|caught|found|brought|stood|gave|got|sent|spent|paid|sold|led|ran|rose|"
    r"saw|shot|spoke|wrote|knew|became|drove|flew|grew|lost|kept|thought|sought|\w{3,}ed)\b",
    re.I,
)
_PASSIVE_BEFORE = re.compile(r"\b(?:be|being)\s+(?:\w+\s+)?$", re.I)
_ADJECTIVE_BEFORE = re.compile(r"\b(?:a|an|the|his|her|its|their|our|this|that)\s+$", re.I)
# "will proceed", "to exceed": a verb after a modal or "to" is not in the past tense
_MODAL_BEFORE = re.compile(
    r"\b(?:will|won't|would|shall|'ll|to|can|could|may|might|must)\s+(?:\w+ly\s+)?$", re.I
)
_NOT_PAST = {
    "expected", "scheduled", "planned", "proposed", "speculated", "based", "needed", "forecasted",
}  # fmt: skip
# Where the clause after an expression ends: punctuation, a dash or bracket, a conjunction or
# a subordinate clause ("BP's announcement on Wednesday that it will pay ..." is past).
_CLAUSE_END = re.compile(
    r"[.;:!?,(]|\s[-–—]+\s|-LRB-|\b(?:but|that|which|who|when|where|because|after|before|as|if|"
    r"while|since|until|so)\b",
    re.I,
)
_AND = re.compile(r"\b(?:and|or)\b", re.I)


# "the day before|after <noun phrase>": anchored on an event named after it
_EVENT_AFTER = re.compile(r"\s+(?!and\b|but\b|or\b|,)[A-Za-z]", re.I)


@dataclass(frozen=True)
class Found:
    """A match before resolution (kept for callers that need the kind, e.g. date reconciliation)."""

    kind: str
    start: int
    end: int
    match: re.Match[str]


def _past_cues(window: str) -> list[int]:
    return [
        m.end()
        for m in _PAST_CUE.finditer(window)
        if m.group(0).lower() not in _NOT_PAST
        and not _PASSIVE_BEFORE.search(window, 0, m.start())  # "will be held" is future
        and not _ADJECTIVE_BEFORE.search(window, 0, m.start())  # "an unspecified location"
        and not _MODAL_BEFORE.search(window, 0, m.start())
    ]


def is_future(text: str, start: int, end: int | None = None) -> bool:
    """True when the clause of ``text[start:end]`` is in the future tense ("will meet ... on").

    The nearest cue before the expression decides; when there is none ("On Oct. 2, he will
    appear ...") and ``end`` is given, the first cue after it in the same clause does.
    """
    window = text[max(0, start - 150) : start]
    last_future = max((m.end() for m in _FUTURE_CUE.finditer(window)), default=-1)
    last_past = max(_past_cues(window), default=-1)
    if last_future >= 0 or last_past >= 0 or end is None:
        return last_future > last_past
    # a sentence that opens with its date ("On Oct. 2, he ...") reads on past one comma
    rest = end
    opening = len(text[:start].split()) <= 2
    if opening:
        lead = re.match(r"\s*,", text[end:])
        rest = end + lead.end() if lead else end
    stop = _CLAUSE_END.search(text, rest)
    after = text[rest : stop.start() if stop else len(text)][:150]
    if not opening:  # mid-sentence, "and" starts another clause; opening, a longer subject
        after = _AND.split(after)[0]
    first_future = next((m.start() for m in _FUTURE_AFTER.finditer(after)), None)
    first_past = next(iter(_past_cues(after)), None)
    if first_future is None:
        return False
    return first_past is None or first_future < first_past


def scan(text: str) -> Iterator[Found]:
    """Every temporal expression in ``text``, left to right, without overlaps."""
    yield from _scan(text)


@functools.lru_cache(maxsize=20_000)  # dating, reconciliation and find_times scan each sentence
def _scan(text: str) -> tuple[Found, ...]:
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
    return tuple(found)


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
    future = is_future(text, f.start, f.end)
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
        return g["year"] or g["year2"], "year", False
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
        rel = " ".join(g["rel"].lower().split())
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(rel, 0)
        return (ref + timedelta(days=shift)).isoformat(), "day", True
    if kind == "prevday":
        direction = (g.get("dir") or g.get("dir2") or "").lower()
        step = -1 if direction in ("previous", "before") else 1
        base = next((t for t in reversed(before) if t.precision == "day"), None)
        if base is None and g.get("dir2") and _EVENT_AFTER.match(text, f.end):
            return None  # "the day before Buckley's death": a day relative to an event, not a date
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
    if kind == "weekend":
        # a weekend is two days: kept at month precision, like "last week"
        mod = " ".join(g["wmod"].lower().split())
        saturday = resolve_weekday(5, ref, future=future or mod == "next", modifier=mod)
        if mod not in ("last", "past", "next") and not future and ref.weekday() == 6:
            saturday = ref - timedelta(days=1)  # "this weekend" on a Sunday
        return _iso(saturday, "month"), "month", True
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
