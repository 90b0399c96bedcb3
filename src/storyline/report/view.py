"""What the story page, the HTML report and the Markdown briefing all show, decided once.

Labels for articles, the claims x outlets grid, and the bounded lists a reader sees: a big
story (hundreds of articles) keeps a page of a few megabytes because the timeline, the
entities, the grid and the lists are ranked and capped with "N more" (the JSON briefing
always holds everything). Also the output-safety rules every renderer applies to data:
only http(s) addresses become links, and bidi-control characters are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..models import Brief, Claim, Conflict, SummarySentence, SyndicationGroup, TimelineEvent

CARRIES = "carries"
COPY = "copy"
ABSENT = ""

# Caps of what a page shows (the JSON keeps everything); chosen so that a 200-article story
# stays readable and its HTML a few megabytes, while the bundled example is shown whole.
MAX_TIMELINE = 40
MAX_ENTITIES = 40
MAX_COLUMNS = 12
MAX_GRID_CLAIMS = 40
MAX_SINGLE = 25
MAX_CONFLICTS = 30
MAX_SIDES = 6
MAX_GROUP_ARTICLES = 12
LABEL_WORDS = 5

# Bidi embeddings, overrides and isolates reorder what a reader sees ("Trojan source"); data
# never needs them in a briefing. Other C0 controls but tab and newline go too.
_UNSAFE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str) -> str:
    """Data text without bidi-control and other control characters."""
    return _UNSAFE.sub("", text)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address with a host, else None: nothing else is a link."""
    if not url or len(url) > 4000 or _UNSAFE.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def host_of(url: str | None) -> str | None:
    safe = web_url(url)
    if safe is None:
        return None
    host = urlsplit(safe).hostname or ""
    return host[4:] if host.startswith("www.") else host


def shown_number(sentence: int) -> int:
    """Sentence numbers shown to people count from 1; the JSON's ``sentence`` counts from 0."""
    return sentence + 1


def _short(title: str) -> str:
    words = plain(title).split()
    return " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS else "")


def base_label(article_source: str | None, url: str | None, title: str | None, path: str | None,
               article_id: str) -> str:
    """The outlet; for an unknown outlet the site's host, else the headline's first words."""
    if article_source:
        return plain(article_source)
    host = host_of(url)
    if host:
        return host
    if title and title.strip():
        return _short(title)
    if path:
        return Path(path).stem
    return article_id


def labels(brief: Brief) -> dict[str, str]:
    """A short, unique label per article id (outlets with several articles get "(2)", ...)."""
    base = {
        d.article.id: base_label(d.article.source, d.article.url, d.article.title, d.article.path, d.article.id)
        for d in brief.articles
    }
    counts = Counter(base.values())
    seen: Counter[str] = Counter()
    out: dict[str, str] = {}
    for d in brief.articles:
        name = base[d.article.id]
        if counts[name] > 1:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        out[d.article.id] = name
    return out


def header(brief: Brief) -> str:
    n = len(brief.articles)
    outlets = {d.article.source or d.article.id for d in brief.articles}
    parts = [f"{n} article{'s' if n != 1 else ''}", f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"]
    if brief.span_start:
        span = brief.span_start if brief.span_start == brief.span_end else f"{brief.span_start} to {brief.span_end}"
        parts.append(span)
    return " · ".join(parts)


def readable(text: str, labels: dict[str, str]) -> str:
    """Article ids in a generated line (a conflict summary) shown as their labels."""
    for article, label in sorted(labels.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(article, label)
    return text


# --- the claims x outlets grid -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One outlet: its own articles, and the copies of them collapsed under it."""

    label: str
    articles: tuple[str, ...]
    copies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    mark: str  # CARRIES, COPY or ABSENT
    article: str | None = None  # the mention a link opens
    sentence: int | None = None
    note: str = ""  # hedge and speaker, for a tooltip


@dataclass(frozen=True)
class GridRow:
    claim: Claim
    cells: tuple[Cell, ...]  # one per shown column
    others: int = 0  # outlets beyond the shown columns that carry the claim


@dataclass(frozen=True)
class Grid:
    columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]
    hidden_columns: int = 0  # outlets not shown as a column (counted in ``others``)
    more_rows: int = 0  # corroborated or contested claims not shown


def _order(brief: Brief) -> dict[str, int]:
    """Earlier in date (then input order) is taken as the original of shared copy."""
    ranked = sorted(
        enumerate(brief.articles),
        key=lambda p: (p[1].article.published is None, p[1].article.published or "", p[0]),
    )
    return {d.article.id: i for i, (_, d) in enumerate(ranked)}


def _copy_of(article: str, carriers: set[str], groups: tuple[SyndicationGroup, ...], order: dict[str, int]) -> bool:
    """True when another carrier shares copy with ``article`` and comes first."""
    for g in groups:
        if article not in g.articles:
            continue
        if any(p != article and p in carriers and order[p] < order[article] for p in g.articles):
            return True
    return False


def columns(brief: Brief) -> list[Column]:
    """One column per outlet, in order of first publication; a verbatim copy (a syndication
    group of kind "copy") sits under the column of its group's earliest article."""
    order = _order(brief)
    known = {d.article.id for d in brief.articles}
    origin_of: dict[str, str] = {}
    for g in brief.syndication:
        if g.kind != "copy":
            continue
        members = sorted((a for a in g.articles if a in known), key=order.__getitem__)
        for a in members[1:]:
            origin_of.setdefault(a, members[0])
    lab = labels(brief)
    key_of: dict[str, str] = {}
    own: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for d in sorted(brief.articles, key=lambda d: order[d.article.id]):
        art = d.article
        if art.id in origin_of:
            continue
        key = f"outlet:{art.source}" if art.source else f"article:{art.id}"
        key_of[art.id] = key
        own.setdefault(key, []).append(art.id)
        names.setdefault(key, plain(art.source) if art.source else lab[art.id])
    copies: dict[str, list[str]] = {k: [] for k in own}
    for copied, origin in origin_of.items():
        root = origin
        while root in origin_of:  # a copy of a copy sits under the first original
            root = origin_of[root]
        copies[key_of[root]].append(copied)
    return [Column(names[k], tuple(own[k]), tuple(sorted(copies[k], key=order.__getitem__))) for k in own]


def _cell(col: Column, claim: Claim, carriers: set[str], brief: Brief, order: dict[str, int]) -> Cell:
    firsts: dict[str, tuple[int, str]] = {}
    for m in claim.mentions:
        note = m.hedge + (f": {m.speaker}" if m.speaker else "")
        firsts.setdefault(m.article, (m.sentence, note))
    original = [a for a in col.articles if a in carriers and not _copy_of(a, carriers, brief.syndication, order)]
    if original:
        sentence, note = firsts[original[0]]
        return Cell(CARRIES, original[0], sentence, note)
    copied = [a for a in (*col.articles, *col.copies) if a in carriers]
    if copied:
        sentence, _ = firsts[copied[0]]
        return Cell(COPY, copied[0], sentence, "copy of another source's text")
    return Cell(ABSENT)


def grid(brief: Brief, max_columns: int | None = MAX_COLUMNS, max_rows: int | None = MAX_GRID_CLAIMS) -> Grid:
    """Corroborated and contested claims against outlets (single-source claims are listed
    apart); contested first, then by independent sources; the outlets carrying most of the
    shown claims get a column, the rest are counted per claim."""
    order = _order(brief)
    cols = columns(brief)
    claims = [c for c in brief.claims if c.status != "single-source"]
    ranked = sorted(
        enumerate(claims),
        key=lambda p: (p[1].status != "contested", -p[1].independent_sources,
                       -len({m.article for m in p[1].mentions}), p[0]),
    )
    shown = [c for _, c in ranked[: max_rows if max_rows is not None else len(ranked)]]
    carriers = [{m.article for m in c.mentions} for c in shown]
    all_cells = [[_cell(col, c, car, brief, order) for col in cols] for c, car in zip(shown, carriers, strict=True)]
    keep = list(range(len(cols)))
    if max_columns is not None and len(cols) > max_columns:
        weight = [sum(1 for row in all_cells if row[i].mark != ABSENT) for i in range(len(cols))]
        best = sorted(range(len(cols)), key=lambda i: (-weight[i], i))[:max_columns]
        keep = sorted(best)  # back in order of first publication
    hidden = [i for i in range(len(cols)) if i not in set(keep)]
    rows = tuple(
        GridRow(c, tuple(cells[i] for i in keep), sum(1 for i in hidden if cells[i].mark != ABSENT))
        for c, cells in zip(shown, all_cells, strict=True)
    )
    return Grid(tuple(cols[i] for i in keep), rows, len(hidden), len(claims) - len(shown))


def single_source(brief: Brief, cap: int | None = MAX_SINGLE) -> tuple[list[Claim], int]:
    claims = [c for c in brief.claims if c.status == "single-source"]
    shown = claims if cap is None else claims[:cap]
    return shown, len(claims) - len(shown)


# --- bounded lists ------------------------------------------------------------------------------


def timeline(brief: Brief, cap: int | None = MAX_TIMELINE) -> tuple[list[tuple[int, TimelineEvent]], int]:
    """The events carried by most articles (then most evidence, occurred before predicted),
    at most ``cap``, back in date order; with their index in the JSON's ``timeline``."""
    events = list(enumerate(brief.timeline))
    if cap is not None and len(events) > cap:
        ranked = sorted(events, key=lambda p: (-len(set(p[1].articles)), -len(p[1].evidence),
                                               p[1].status != "occurred", p[0]))
        events = sorted(ranked[:cap], key=lambda p: (p[1].date, p[0]))
    return events, len(brief.timeline) - len(events)


def entities(brief: Brief, cap: int | None = MAX_ENTITIES) -> tuple[list, int]:
    """People, organisations and places by number of mentions (then articles), at most ``cap``."""
    ranked = sorted(
        enumerate(brief.entities),
        key=lambda p: (-len(p[1].mentions), -len({m.article for m in p[1].mentions}), p[0]),
    )
    shown = [e for _, e in (ranked if cap is None else ranked[:cap])]
    return shown, len(brief.entities) - len(shown)


def conflicts(brief: Brief, cap: int | None = MAX_CONFLICTS) -> tuple[list[Conflict], int]:
    """Conflicts between the most articles first, at most ``cap``."""
    ranked = sorted(enumerate(brief.conflicts), key=lambda p: (-len({s.article for s in p[1].sides}), p[0]))
    shown = sorted(ranked if cap is None else ranked[:cap], key=lambda p: p[0])
    return [c for _, c in shown], len(brief.conflicts) - len(shown)


# --- the timeline chart -------------------------------------------------------------------------

LANES = ("occurred", "reported", "predicted")
BREAK_DAYS = 14  # a quiet stretch longer than this is drawn short, with a break mark
LABEL_GAP = 0.09  # date labels closer than this share of the axis would overlap


def _day(value: str) -> int | None:
    """Ordinal day of an ISO date; a month or a year is placed at its start."""
    parts = value.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        d = int(parts[2]) if len(parts) > 2 else 1
        return date(y, m, d).toordinal()
    except (ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Dot:
    x: float  # 0..1 along the axis
    lane: str
    date: str
    count: int
    anchor: int  # index of the first of its events in the JSON's timeline


@dataclass(frozen=True)
class Chart:
    dots: tuple[Dot, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, date label)
    breaks: tuple[float, ...]  # x of each shortened quiet stretch
    lanes: tuple[str, ...] = field(default=LANES)


def chart(events: list[tuple[int, TimelineEvent]]) -> Chart | None:
    """Events on a date axis, one lane per status. Stretches of days with events are drawn to
    scale; a quiet stretch longer than BREAK_DAYS is drawn as a short break, so background
    dates (a 1948 founding) do not squeeze the days the story is about into a corner."""
    dated: list[tuple[int, TimelineEvent, int]] = []
    for i, e in events:
        day = _day(e.date)
        if day is not None:
            dated.append((i, e, day))
    if not dated:
        return None
    days = sorted({d for _, _, d in dated})
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
    dense = sum(g for g in gaps if g <= BREAK_DAYS)
    width = max(2.0, dense / 12)  # each break is about a twelfth of the drawn-to-scale part
    pos = {days[0]: 0.0}
    breaks: list[float] = []
    for prev, cur, gap in zip(days, days[1:], gaps, strict=False):
        if gap > BREAK_DAYS:
            breaks.append(pos[prev] + width / 2)
            pos[cur] = pos[prev] + width
        else:
            pos[cur] = pos[prev] + gap
    span = pos[days[-1]] or 1.0
    x = {d: (pos[d] / span if len(days) > 1 else 0.5) for d in days}
    groups: dict[tuple[int, str], list[tuple[int, TimelineEvent]]] = {}
    for i, e, d in dated:
        groups.setdefault((d, e.status), []).append((i, e))
    dots = tuple(
        Dot(x[d], lane, items[0][1].date, len(items), items[0][0])
        for (d, lane), items in sorted(groups.items())
    )
    # Labels: the first and last day, then days after a break, then the rest, while they fit.
    after_break = [cur for prev, cur, gap in zip(days, days[1:], gaps, strict=False) if gap > BREAK_DAYS]
    chosen: list[int] = []
    for d in [days[0], days[-1], *after_break, *days]:
        if d not in chosen and all(abs(x[d] - x[o]) >= LABEL_GAP for o in chosen):
            chosen.append(d)
    first_label: dict[int, str] = {}
    for _, e, d in sorted(dated, key=lambda t: len(t[1].date), reverse=True):
        first_label[d] = e.date  # the most precise way the day is written
    ticks = tuple(sorted((x[d], first_label[d]) for d in chosen))
    return Chart(dots, ticks, tuple(b / span for b in breaks))


# --- what is new since a date -------------------------------------------------------------------


@dataclass(frozen=True)
class NewSince:
    """The parts of a cached briefing that articles tracked since a date carry."""

    since: str
    articles: tuple[str, ...]
    summary: tuple[SummarySentence, ...]
    claims: tuple[Claim, ...]
    conflicts: tuple[Conflict, ...]
    timeline: tuple[tuple[int, TimelineEvent], ...]


def new_since(brief: Brief, since: str, new_articles: set[str]) -> NewSince:
    return NewSince(
        since=since,
        articles=tuple(d.article.id for d in brief.articles if d.article.id in new_articles),
        summary=tuple(s for s in brief.summary if any(c.article in new_articles for c in s.citations)),
        claims=tuple(c for c in brief.claims if any(m.article in new_articles for m in c.mentions)),
        conflicts=tuple(c for c in brief.conflicts if any(s.article in new_articles for s in c.sides)),
        timeline=tuple((i, e) for i, e in enumerate(brief.timeline)
                       if any(ev.article in new_articles for ev in e.evidence)),
    )


# --- everything a story page shows ----------------------------------------------------------------

TYPE_NAMES = {
    "PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "NORP": "group",
    "FAC": "facility", "EVENT": "event", "PRODUCT": "product", "LAW": "law", "WORK_OF_ART": "work",
}  # fmt: skip
KIND_NAMES = {"copy": "verbatim copies", "rewrite": "rewrites of one text", "shared-wire": "shared wire copy"}


@dataclass(frozen=True)
class StoryView:
    """A briefing arranged for reading: labels, bounded lists, the grid, the contents."""

    brief: Brief
    labels: dict[str, str]
    header: str
    timeline: list[tuple[int, TimelineEvent]]
    timeline_more: int
    chart: Chart | None
    conflicts: list[Conflict]
    conflicts_more: int
    grid: Grid
    single: list[Claim]
    single_more: int
    entities: list
    entities_more: int
    removed_counts: dict[str, list[tuple[str, int]]]
    counts: dict[str, int]
    toc: list[tuple[str, str, int | None]]  # (anchor, heading, count)


def story(brief: Brief, full: bool = False) -> StoryView:
    """What a reader sees of ``brief``; ``full`` lifts every cap (a page asked for in full)."""

    def cap(n: int) -> int | None:
        return None if full else n

    events, events_more = timeline(brief, cap(MAX_TIMELINE))
    shown_conflicts, conflicts_more = conflicts(brief, cap(MAX_CONFLICTS))
    single, single_more = single_source(brief, cap(MAX_SINGLE))
    ents, ents_more = entities(brief, cap(MAX_ENTITIES))
    status = Counter(c.status for c in brief.claims)
    counts = {
        "summary": len(brief.summary), "timeline": len(brief.timeline), "conflicts": len(brief.conflicts),
        "claims": len(brief.claims), "corroborated": status["corroborated"], "contested": status["contested"],
        "single": status["single-source"], "syndication": len(brief.syndication),
        "entities": len(brief.entities), "sources": len(brief.articles),
    }  # fmt: skip
    toc: list[tuple[str, str, int | None]] = [
        ("summary", "In brief", None),
        ("timeline", "Timeline", counts["timeline"]),
        ("conflicts", "Where the sources disagree", counts["conflicts"]),
        ("claims", "Claims and their sources", counts["claims"]),
        ("syndication", "Who copied whom", counts["syndication"]),
        ("entities", "People, organisations, places", counts["entities"]),
        ("sources", "Sources", counts["sources"]),
    ]
    return StoryView(
        brief=brief,
        labels=labels(brief),
        header=header(brief),
        timeline=events,
        timeline_more=events_more,
        chart=chart(events),
        conflicts=shown_conflicts,
        conflicts_more=conflicts_more,
        grid=grid(brief, cap(MAX_COLUMNS), cap(MAX_GRID_CLAIMS)),
        single=single,
        single_more=single_more,
        entities=ents,
        entities_more=ents_more,
        removed_counts={
            d.article.id: Counter(r.reason for r in d.article.removed).most_common() for d in brief.articles
        },
        counts=counts,
        toc=toc,
    )
