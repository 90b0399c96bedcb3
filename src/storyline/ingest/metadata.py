"""Page metadata from the text itself: title, outlet, authors and date, each with its evidence.

Plain-text pages (copied from a browser) carry their metadata as lines: a header date, the site
name, a byline, a dateline such as ``SEOUL, Sept. 13 (Korea Bizwire)`` or a closing
``Source: The National``. These rules are shared by ``clean``, which removes the same lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .pagedates import (
    PageDate,
    dated_dateline,
    is_dateline_only,
    page_date_line,
    split_title_date,
    url_date,
)

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY_RE = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# "September 29, 2023", "Sept. 13", "April, 25, 2019" (sic), "Tuesday, Sept. 12, 2023"
DATE_RE = re.compile(
    rf"(?:{WEEKDAY_RE},?\s+)?(?P<month>{MONTH_RE}),?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>(?:19|20)\d{{2}})(?!\d))?"
)
ISO_DATE_RE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
# "SEOUL, Sept. 13 (Korea Bizwire)", "SEOUL/MOSCOW (Reuters) –", "WASHINGTON (AP) —"
DATELINE_RE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’/ -]{{1,40}}?)"
    rf"(?:,\s*(?P<date>{MONTH_RE}\s+\d{{1,2}}(?:,\s*(?:19|20)\d{{2}})?))?"
    r"\s*\((?P<outlet>[A-Z][\w.&'’ -]{0,40}?)\)\s*(?:[–—-]+\s*)?"
)
BYLINE_RE = re.compile(
    r"^By\s+(?P<names>[A-Z][\w.'’-]+(?:[ ,]+(?:and\s+)?[A-Z][\w.'’-]+){0,8})\s*$"
)
SIGNOFF_RE = re.compile(r"^(?:[—–]|--)\s*(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$")
SOURCE_LINE_RE = re.compile(r"^Source:\s*(?P<name>[A-Z][\w.&'’ -]{1,60})$")
FROM_LINE_RE = re.compile(
    r"^From\s+(?P<name>(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})\s*$"
)
AGENCY_TAG_RE = re.compile(r"^\((?P<name>[A-Z][\w.&'’ -]{1,30})\)$")
CONTRIBUTED_RE = re.compile(
    r"^(?P<name>[A-Z][\w.&'’ -]{1,40}?) contributed to this (?:report|story|article)\.?$"
)
NEWSLETTER_NAME_RE = re.compile(
    r"^Sign up for (?:the )?(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}?)\s+"
    r"(?:Daily|Weekly|Today|Briefing|Newsletter|newsletter)\b"
)
SITE_PHOTO_RE = re.compile(r"^(?P<name>[A-Z]{2,6}) Photos?$")

# Wire services and agencies: an author line naming one of these is an origin, not a person.
AGENCIES = {
    "reuters", "ap", "associated press", "the associated press", "afp", "agence france-presse",
    "yonhap", "kcna", "xinhua", "tass", "ria novosti", "bloomberg", "dpa", "kyodo", "efe",
    "ansa", "upi", "pa", "anadolu agency", "getty images", "epa", "sputnik", "pool",
}  # fmt: skip


@dataclass(frozen=True)
class PageMeta:
    title: str | None
    source: str | None
    source_evidence: str | None
    published: str | None
    published_evidence: str | None
    authors: tuple[str, ...]


def norm(line: str) -> str:
    """A comparison key: quotes, dashes and spaces unified, case folded."""
    line = line.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    line = line.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(line.replace("\xa0", " ").split()).casefold()


def lines_of(text: str) -> list[str]:
    """Non-empty lines, whitespace collapsed (NBSPs included)."""
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.replace("\xa0", " ").split())
        if line:
            out.append(line)
    return out


def word_count(line: str) -> int:
    return len(line.split())


def is_date_line(line: str) -> bool:
    """A line that only dates the page: a date with times, zones and labels, or a bare dateline."""
    return page_date_line(line) is not None or is_dateline_only(line)


# A line that cannot be a headline: a photo credit, a caption or a gallery label.
PHOTO_LINE_RE = re.compile(
    r"©|\b(?:image|media|photo|picture|video)\s+(?:copyright|caption|credit)s?\b|"
    r"^(?:photo|picture|image|gallery|video|watch|slideshow)s?\s*[:|]|\bphoto\s*gallery\b|"
    r"\b\d+\s+(?:photos|pictures|images)\b|getty\s+images|shutterstock|\bap\s+photo\b|"
    r"[/|]\s*(?:afp|ap|epa|reuters|getty|pool)\b|\b(?:afp|epa|reuters)\s*/",
    re.IGNORECASE,
)
HEADLINE_MAX_WORDS = 25


def headline_problem(line: str) -> str | None:
    """Why a line is not a headline (a date line, a photo credit or caption), else None."""
    if not line.strip():
        return "empty"
    if is_date_line(line):
        return "a date line"
    if PHOTO_LINE_RE.search(line):
        return "a photo credit or caption"
    return None


def looks_like_headline(line: str) -> bool:
    """A short line without a sentence's final punctuation that is not page furniture."""
    line = line.strip()
    return (
        bool(line)
        and 2 <= word_count(line) <= HEADLINE_MAX_WORDS
        and line[-1] not in ".!;:,"
        and headline_problem(line) is None
    )


def is_chrome_line(line: str) -> bool:
    """A short line of page furniture: a site name or tagline, not a sentence."""
    words = line.split()
    return (
        1 <= len(words) <= 4
        and len(line) <= 40
        and line[-1] not in '.!?:;,"”'
        and line[0].isupper()
        and not is_date_line(line)
    )


def split_title(line: str) -> tuple[str, str | None]:
    """``"Headline | Site tagline"`` -> (headline, tagline)."""
    for sep in (" | ", " – ", " — "):
        if sep in line:
            head, _, tail = line.rpartition(sep)
            if word_count(head) >= 4 and word_count(tail) <= 5:
                return head.strip(), tail.strip()
    return line, None


def find_title(lines: list[str]) -> tuple[int | None, str | None]:
    """The headline of a plain-text page: the first sentence-like line of the header.

    Skips leading date lines, bylines and short site-name lines (``Brighton Journal``).
    """
    fallback: int | None = None
    for i, line in enumerate(lines[:8]):
        if is_date_line(line) or BYLINE_RE.match(line) or PHOTO_LINE_RE.search(line):
            continue
        if word_count(line) > 30:
            break  # body text already
        if is_chrome_line(line):
            # a short line is a site name when a real headline follows, else a short headline
            fallback = i if fallback is None else fallback
            continue
        return i, split_title(line)[0]
    if fallback is not None:
        return fallback, lines[fallback]
    return None, None


def header_span(lines: list[str], title_index: int | None, title: str | None) -> int:
    """Index of the first line after the page header (title, dates, bylines, site names)."""
    key = norm(title) if title else None
    end = 0
    for i, line in enumerate(lines[:12]):
        if i == title_index or (key and norm(split_title(line)[0]) == key):
            end = i + 1
        elif is_date_line(line) or BYLINE_RE.match(line) or is_chrome_line(line):
            end = i + 1
        else:
            break
    return end


def iso(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(text: str) -> tuple[str | None, int | None, int | None]:
    """(ISO date or None, month, day) of the first date in ``text``; year may be missing."""
    m = ISO_DATE_RE.search(text)
    if m:
        return iso(int(m["year"]), int(m["month"]), int(m["day"])), int(m["month"]), int(m["day"])
    m = DATE_RE.search(text)
    if not m:
        return None, None, None
    month = MONTHS[m["month"][:3].lower()]
    day = int(m["day"])
    if m["year"]:
        return iso(int(m["year"]), month, day), month, day
    return None, month, day


def full_dates(text: str) -> list[tuple[str, str]]:
    """Every complete date written in the text: (ISO, as written)."""
    found = []
    for m in DATE_RE.finditer(text):
        if m["year"]:
            value = iso(int(m["year"]), MONTHS[m["month"][:3].lower()], int(m["day"]))
            if value:
                found.append((value, m.group(0)))
    return found


def find_dateline(lines: list[str], start: int = 0) -> tuple[int, re.Match[str]] | None:
    """The first body line that opens with a dateline (within the first lines of the body)."""
    for i in range(start, min(len(lines), start + 15)):
        m = DATELINE_RE.match(lines[i])
        if m and word_count(lines[i]) > 6 and not m["place"].strip().isdigit():
            return i, m
    return None


PAGE_DATE_LINES = 10  # a page prints its date among its first lines


def record_headline(lines: list[str], given: str | None) -> tuple[int | None, str | None]:
    """The headline of a record's text: its first line, only when that line really is one.

    Records carry their title apart; their text starts with body or with the title again. The
    first line (after date lines) is the headline when it equals the given title, or, when no
    title is given, when it looks like one (short, no final punctuation, not a credit).
    """
    for i, line in enumerate(lines[:3]):
        if is_date_line(line):
            continue
        if given is not None:
            same = norm(split_title(line)[0]) == norm(given) or norm(line) == norm(given)
            return (i, given) if same else (None, given)
        return (i, split_title(line)[0]) if looks_like_headline(line) else (None, None)
    return None, given


def page_metadata(
    text: str, *, title: str | None = None, url: str | None = None, record: bool = False
) -> PageMeta:
    """Title, outlet, authors and date of a plain-text page, with the evidence for each.

    ``title`` and ``url`` are what a record gives beside its text (``record=True``): a title
    that is really a date line ("Updated: November 11, 2011 20:09 IST") or a photo credit is
    not a headline; its date counts as the page's own date line.
    """
    lines = lines_of(text)
    given_date: PageDate | None = None
    if title:
        given_date = page_date_line(title)
        if given_date is not None:
            title = None
        else:
            title, given_date = split_title_date(title)
        if title and headline_problem(title):
            title = None
    if record:
        title_index, found = record_headline(lines, title)
    else:
        title_index, found = find_title(lines)
        found = title or found
    head_end = header_span(lines, title_index, found) if not record else (title_index or -1) + 1
    header = lines[:head_end]

    authors: list[str] = []
    for line in header:
        m = BYLINE_RE.match(line)
        if m:
            for name in re.split(r",\s*|\s+and\s+", m["names"]):
                if name and name not in authors:
                    authors.append(name.strip())

    published, published_evidence = _page_date(lines, head_end, text, given_date, url)
    source, source_evidence = _page_source(lines, header, title_index, head_end)
    return PageMeta(found, source, source_evidence, published, published_evidence, tuple(authors))


def _page_date(
    lines: list[str], head_end: int, text: str, given: PageDate | None, url: str | None
) -> tuple[str | None, str | None]:
    """The page's own date: a date line, then a dateline, then the address; never the body's.

    A date inside a sentence of the body dates an event (often background: "March 1, 2014,
    Russia's Federation Council ..."), so it is only quoted in the evidence, never used.
    """
    if given is not None:
        note = f"; {given.note}" if given.note else ""
        return given.value, f'page date line "{given.written}" (given as the title){note}'
    for i, line in enumerate(lines[:PAGE_DATE_LINES]):
        found = page_date_line(line)
        if found is not None:
            where = "page header date" if i < max(head_end, 1) + 1 else "page date line"
            note = f"; {found.note}" if found.note else ""
            return found.value, f'{where} "{found.written}"{note}'
    dateline = _dateline_date(lines, head_end, text)
    if dateline is not None and dateline[0] is not None:
        return dateline
    in_url = url_date(url)
    if in_url is not None:
        return in_url.value, f'date in the page address "{in_url.written}"'
    if dateline is not None:
        return dateline
    dates = full_dates(text)
    if dates:
        latest = max(dates)
        return None, (
            f'no page date; the text mentions dates up to "{latest[1]}" '
            "(dates in the text date events, not the page)"
        )
    return None, "no date found in the text"


def _dateline_date(lines: list[str], head_end: int, text: str) -> tuple[str | None, str] | None:
    """The date of a dateline opening the body; a missing year only from the same day in the text."""
    for i in range(min(len(lines), head_end + 15)):
        # a dateline without an agency in brackets only in the header or where a body starts
        found = dated_dateline(lines[i]) if i < head_end + 4 else None
        if found is None:
            m = DATELINE_RE.match(lines[i])
            if m and m["date"] and word_count(lines[i]) > 6:
                found = dated_dateline(m.group(0))
        if found is None:
            continue
        written = found.written
        if found.year is not None:
            return iso(found.year, found.month, found.day), f'dateline "{written}"'
        same = [
            (v, w) for v, w in full_dates(text) if v[5:] == f"{found.month:02d}-{found.day:02d}"
        ]
        if same:
            v, w = max(same)
            return v, f'dateline "{written}"; year {v[:4]} from "{w}" in the text'
        return None, f'dateline "{written}" has no year (left for the story\'s dates to settle)'
    return None


def _page_source(
    lines: list[str], header: list[str], title_index: int | None, head_end: int
) -> tuple[str | None, str | None]:
    """The outlet that published the page, then any wire/origin it credits."""
    site: tuple[str, str] | None = None
    # 1. Page chrome: a site name before the headline, a newsletter or house photo credit.
    if title_index:
        for line in lines[:title_index]:
            if is_chrome_line(line) and not BYLINE_RE.match(line):
                site = (line, f'site name "{line}" in the page header')
                break
    for line in lines[head_end:]:
        if site:
            break
        m = NEWSLETTER_NAME_RE.match(line)
        if m:
            site = (m["name"], f'newsletter sign-up "{line}"')
            continue
        m = SITE_PHOTO_RE.match(line)
        if m and m["name"].lower() not in AGENCIES:
            site = (m["name"], f'house photo credit "{line}"')
    dateline = find_dateline(lines, head_end)
    source_line = next((m for m in map(SOURCE_LINE_RE.match, lines[head_end:]) if m), None)

    # (name, evidence, may stand as the outlet when the page names no site)
    origins: list[tuple[str, str, bool]] = []
    if dateline:
        written = dateline[1].group(0).strip(" –—-")
        origins.append((dateline[1]["outlet"], f'dateline "{written}"', True))
    if source_line:
        origins.append(
            (source_line["name"].strip(), f'closing line "{source_line.group(0)}"', True)
        )
    for line in lines[head_end:]:
        m = AGENCY_TAG_RE.match(line)
        if m:
            origins.append((m["name"], f'agency tag "{line}"', True))
        m = FROM_LINE_RE.match(line)
        if m and word_count(line) <= 6:
            origins.append((m["name"], f'credit line "{line}"', True))
        m = CONTRIBUTED_RE.match(line)
        if m:
            origins.append((m["name"], f'credit line "{line}"', False))
        m = SIGNOFF_RE.match(line)
        if m and m["name"].lower() in AGENCIES:
            origins.append((m["name"], f'a post signed "{line}"', False))
    if any("Reuters Trust Principles" in line for line in lines):
        origins.append(("Reuters", '"Thomson Reuters Trust Principles" standards line', False))

    if site is None:
        first = next((o for o in origins if o[2]), None)
        if first:
            site = (first[0], first[1])
            origins.remove(first)
    if site is None:
        if origins:
            listing = ", ".join(f"{o} ({how})" for o, how, _ in origins)
            return None, f"the text does not name the outlet; it carries copy from {listing}"
        return None, "the text does not name the outlet"
    name, why = site
    seen: set[str] = {name.casefold()}
    credits = []
    for other, how, _ in origins:
        if other.casefold() in seen:
            continue
        seen.add(other.casefold())
        credits.append(f"{other} ({how})")
    evidence = why + ("; carries copy from " + ", ".join(credits) if credits else "")
    return name, evidence
