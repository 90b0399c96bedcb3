"""The page's own date: date lines, datelines and dates in the URL, each with how it was written.

A page says when it was published in a line of its own ("Updated: November 11, 2011 20:09 IST",
"3 July 2013 Last updated at 13:38 GMT", "WEDNESDAY 03 JULY 2013", "Posted 11 / 27 / 2005
7:21 AM"), in a dateline opening the body ("KIEV, April 7. /ITAR-TASS/", "Mumbai, Nov 11 -") or
in its address ("/2013/09/14/"). A date inside a sentence is about an event, never the page's.

A date line is recognised by its shape, not by any site's wording: a full date plus only what
page furniture puts beside one (clock times, time zones, weekdays, "Posted"/"Updated" labels,
separators) and at most two capitalised leftovers (an agency tag, a city: "TNN ... MUMBAI:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Month names as pages print them, typos included ("Novemer"): three letters and a tail.
_MON = r"(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATES: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?!\d)")),
    ("mdy", re.compile(rf"(?<![a-z]){_MON}\s*,?\s*{_DAY}\s*,?\s*{_YEAR}", re.I)),
    ("dmy", re.compile(rf"(?<!\d){_DAY}\s+(?:of\s+)?{_MON}\s*,?\s*{_YEAR}", re.I)),
    # 11 / 27 / 2005, 14/09/2013, 11.28.05: month/day or day/month, two- or four-digit year
    (
        "num",
        re.compile(
            r"(?<![\d:.])(?P<a>[0-3]?\d)\s*(?P<sep>[/.-])\s*(?P<b>[0-3]?\d)\s*(?P=sep)\s*"
            r"(?P<year>(?:19|20)?\d\d)(?![\d:])"
        ),
    ),
]
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# What page furniture puts beside a date: clock times, zones, weekdays, labels, separators.
_FURNITURE = re.compile(
    r"\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?)?(?![\w])|\b\d{1,2}\s*[ap]\.?m\.?(?![\w])|"
    r"\b[ap]\.?m\.?(?![\w])|"
    r"\b(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|"
    r"\b(?:BST|IST|CET|CEST|EET|EEST|MSK|WET|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|AEST|"
    r"AEDT|ACST|AWST|NZST|NZDT|JST|KST|HKT|SGT|PHT|WIB|SAST|CAT|EAT|WAT|local|time|UK|hrs|"
    r"hours)\b|"
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?|"
    r"\b(?:last|first|updated?|published|posted|modified|created|date[ds]?|on|at|by|in)\b:?|"
    r"[|@,;:•·()\[\]/–—-]+",
    re.I,
)
_LEFTOVER = re.compile(r"^[A-Z][\w.'’&-]*:?$")

# How the evidence of a page's own date begins: a date the page prints, its address carries or
# a record gives. ``analyse.dating`` trusts these over what the text's weekdays suggest.
OWN_DATE_EVIDENCE = (
    "page header date",
    "page date line",
    "dateline",
    "date in the page address",
    "given in the record",
)


@dataclass(frozen=True)
class PageDate:
    value: str  # ISO date
    written: str  # the line or fragment as the page prints it
    note: str = ""  # how an ambiguous form was read


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _month(name: str) -> int | None:
    key = name.lower()[:3]
    return _MONTHS.index(key) + 1 if key in _MONTHS else None


def dates_in(line: str) -> list[tuple[int, int, str, str]]:
    """(start, end, ISO, note) of every full date written in a short line, left to right."""
    found: list[tuple[int, int, str, str]] = []
    for kind, pattern in _DATES:
        for m in pattern.finditer(line):
            if any(s < m.end() and m.start() < e for s, e, _, _ in found):
                continue
            note = ""
            if kind == "iso":
                value = _iso(int(m["year"]), int(m["m"]), int(m["day"]))
            elif kind in ("mdy", "dmy"):
                month = _month(m["mon"])
                value = _iso(int(m["year"]), month, int(m["day"])) if month else None
            else:
                a, b, year = int(m["a"]), int(m["b"]), _year(m["year"])
                if a > 12:  # 14 / 09 / 2013
                    value, note = _iso(year, b, a), "read as day/month/year"
                elif b > 12:  # 11 / 27 / 2005
                    value = _iso(year, a, b)
                else:
                    value, note = _iso(year, a, b), "read as month/day/year (ambiguous)"
            if value:
                found.append((m.start(), m.end(), value, note))
    found.sort()
    return found


def page_date_line(line: str) -> PageDate | None:
    """The date of a line that is only a page date (with times, zones and labels), else None."""
    line = " ".join(line.split())
    if not line or len(line.split()) > 16:
        return None
    found = dates_in(line)
    if not found:
        return None
    rest = line
    for s, e, _, _ in reversed(found):
        rest = rest[:s] + " " + rest[e:]
    rest = _FURNITURE.sub(" ", rest)
    leftover = rest.split()
    if len(leftover) > 2 or not all(_LEFTOVER.match(w) for w in leftover):
        return None
    _, _, value, note = found[-1]  # "Posted ... Updated ...": the text as it stands now
    return PageDate(value, line, note)


# --- datelines ---------------------------------------------------------------------------------

# "KIEV, April 7. /ITAR-TASS/", "Mumbai, Nov 11 -", "WASHINGTON, Dec. 5, 2008 (AP) —"
DATED_PLACE_RE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:[ /][A-Z][\w.'’-]*){0,3}),\s*"
    r"(?P<date>(?P<mon>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6})\.?\s+"
    r"(?P<day>[0-3]?\d)(?!\d)(?:,?\s*(?P<year>(?:19|20)\d\d))?)"
    r"(?P<tail>\s*\.?\s*/\s*[A-Z][\w .&'’-]{0,30}/|\s*\([A-Z][\w.&'’ -]{0,40}\)|\s*\.?\s*[–—-]+|"
    r"\s*:|\s*$)\s*"
)


_NOT_PLACE = frozenset(
    "on in at by since from until last this next early late mid and but the "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


@dataclass(frozen=True)
class Dateline:
    month: int
    day: int
    year: int | None
    written: str  # "KIEV, April 7. /ITAR-TASS/"
    end: int  # where the body text starts in the line


def dated_dateline(line: str) -> Dateline | None:
    """A dateline naming a place and a month-day (year optional) that opens a body line."""
    m = DATED_PLACE_RE.match(line)
    if not m or m["place"].split()[0].lower() in _NOT_PLACE:
        return None
    month = _month(m["mon"])
    day = int(m["day"])
    if month is None or not 1 <= day <= 31:
        return None
    year = int(m["year"]) if m["year"] else None
    if year is not None and _iso(year, month, day) is None:
        return None
    written = m.group(0).strip(" –—-:")
    return Dateline(month, day, year, written, m.end())


def is_dateline_only(line: str) -> bool:
    """A line that is nothing but a dateline ("Mumbai, Nov 11 -")."""
    d = dated_dateline(line)
    return d is not None and not line[d.end :].strip()


# --- the address ----------------------------------------------------------------------------

_URL_DATES = [
    # /2013/09/14/, 2005-11-27-iran, _2013_09_14_
    re.compile(
        r"(?<![\dA-Za-z])(?P<year>(?:19|20)\d\d)[/_-](?P<m>[01]?\d)[/_-](?P<day>[0-3]?\d)(?![\d])"
    ),
    # /2005/nov/28/
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<mon>[a-z]{3,9})/(?P<day>[0-3]?\d)(?![\d])", re.I),
    # /20130909/, 20111111.htm
    re.compile(
        r"(?<![\dA-Za-z])(?P<year>(?:19|20)\d\d)(?P<m>[01]\d)(?P<day>[0-3]\d)(?![\dA-Za-z])"
    ),
]


def url_date(url: str | None) -> PageDate | None:
    """A publication date written in the page's address (path or query), else None."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I)
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            g = m.groupdict()
            month = _month(g["mon"]) if g.get("mon") else int(g["m"])
            if not month:
                continue
            value = _iso(int(g["year"]), month, int(g["day"]))
            if value and 1990 <= int(g["year"]) <= date.today().year + 1:
                return PageDate(value, m.group(0).strip("/_-"))
    return None


# --- a headline with a date glued to it -------------------------------------------------------

_GLUED_DATE = re.compile(
    r"^(?P<head>.*?[^\s|–—-])\s*(?:(?<=[a-z])|\s[|–—-]\s*|\s+)"
    r"(?P<date>(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s+[0-3]?\d,?\s+(?:19|20)\d\d)\s*$",
    re.I,
)


def split_title_date(title: str) -> tuple[str, PageDate | None]:
    """``"... DA SAYSSEPTEMBER 19, 2013"`` -> the headline and the page date glued to it.

    Only a date glued to the last word or set off by a separator counts: a headline may end
    with a date of its own ("... the storm of January 5, 2014").
    """
    m = _GLUED_DATE.match(title.strip())
    if not m or len(m["head"].split()) < 3:
        return title, None
    between = title.strip()[len(m["head"]) : m.start("date")]
    glued = between == "" and m["head"][-1].isalpha()
    if not glued and not re.search(r"[|–—-]", between):
        return title, None
    found = dates_in(m["date"])
    if not found:
        return title, None
    return m["head"].strip(), PageDate(found[0][2], m["date"])
