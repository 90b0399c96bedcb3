"""Story-level date reconciliation: which date each article and live-blog post was written on.

Relative dates ("on Monday") are only as good as the date they are resolved against. A page
header can be wrong (a republication dated weeks later), missing, or absent per post in a live
blog. The text usually says when it was written: news reports the latest events by weekday
("the two countries confirmed on Monday", "reported Wednesday").

The rules, applied to the articles of one story:

0. A page dated only by a yearless dateline ("Mumbai, Nov 11 -") takes the year that puts it
   nearest the story's own page dates. A page whose text reports the day after its date as
   news and its date as the day before ("escaped Monday ... again Tuesday" under a Monday) was
   written the next day.
1. A dated article is *suspect* when its date lies more than ``MAX_GAP`` days outside the span
   of the other dated articles, its text dates events by weekday, and the page carries another
   outlet's copy or its date is not one the page printed (a follow-up with its own date line
   keeps it). The other dated articles are *reliable*; their last date ``U`` bounds when the
   story was reported.
2. For a suspect or undated article (and for each undated live-blog post) we collect the
   weekdays it names in the past tense. The writing day is the weekday ``W`` among them that
   makes the others fall just before it (the smallest span back from ``W``): {Sunday, Monday}
   gives Monday. The date is the ``W`` of the story's span on (or the day before) which most of
   its reliable articles are dated, the latest on a tie, but not before the latest full date
   the text itself names (captions included). With no ``U`` an article stays undated: a date
   its text names dates an event, not the page (a live blog's posts still go by it).
3. A post that names no weekday takes the date of the post before it (or after it); an undated
   live blog takes the date of its latest post.

Every decision is written into ``published_evidence`` in words a reader can check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..ingest.pagedates import OWN_DATE_EVIDENCE, dated_dateline
from ..models import Article
from .temporal import WEEKDAYS, find_times, is_future, scan

MAX_GAP = 7  # days outside the other articles' span before a page date is doubted


@dataclass(frozen=True)
class WeekdayMention:
    weekday: int
    phrase: str  # the expression with the word before it, e.g. "confirmed on Monday"
    future: bool


def weekday_mentions(texts: Sequence[str]) -> list[WeekdayMention]:
    out: list[WeekdayMention] = []
    for text in texts:
        for f in scan(text):
            if f.kind != "weekday" or (f.match.group("mod") or "").lower() in ("last", "next"):
                continue
            wd = WEEKDAYS.index(f.match.group("wd").lower())
            words = text[: f.start].split()
            phrase = " ".join(words[-1:] + [text[f.start : f.end]])
            out.append(WeekdayMention(wd, phrase, is_future(text, f.start)))
    return out


def latest_full_date(texts: Sequence[str], limit: date | None = None) -> date | None:
    """The latest day-precision date with a year that the texts name in the past tense."""
    best: date | None = None
    for text in texts:
        for f in scan(text):
            g = f.match.groupdict()
            if f.kind not in ("mdy", "dmy", "iso") or is_future(text, f.start):
                continue
            if f.kind != "iso" and not g.get("year"):
                continue
            for t in find_times(text[f.start : f.end], None):
                d = date.fromisoformat(t.value)
                if (limit is None or d <= limit) and (best is None or d > best):
                    best = d
    return best


def writing_weekday(mentions: Sequence[WeekdayMention]) -> int | None:
    """The weekday the text was written on: the one its other past weekdays fall just before."""
    past = {m.weekday for m in mentions if not m.future}
    if not past:
        return None
    return min(sorted(past), key=lambda w: (max((w - o) % 7 for o in past), -w))


def infer_date(
    mentions: Sequence[WeekdayMention],
    upper: date | None,
    lower: date | None,
    near: Mapping[date, float] | None = None,
) -> tuple[date, int] | None:
    """The writing date and weekday, or None when the text gives no weekday to go by.

    ``near`` counts the story's dated articles per day: among the writing weekdays of the
    story's span, the one on which (or the day after which) most coverage is dated wins, the
    latest on a tie; without ``near``, the latest on or before ``upper``.
    """
    wd = writing_weekday(mentions)
    if wd is None:
        return None
    if upper is not None:
        d = upper - timedelta(days=(upper.weekday() - wd) % 7)
        if near:
            first = min(near) - timedelta(days=1)
            candidates = [
                c
                for k in range(0, (d - first).days // 7 + 1)
                if (c := d - timedelta(days=7 * k)) >= first and (lower is None or c >= lower)
            ]
            score = {
                c: sum(w for x, w in near.items() if 0 <= (x - c).days <= 1) for c in candidates
            }
            if score and max(score.values()) > 0:
                return max(candidates, key=lambda c: (score[c], c)), wd
        if lower is None or d >= lower:
            return d, wd
    if lower is not None:
        return lower + timedelta(days=(wd - lower.weekday()) % 7), wd
    return None


def to_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def _quote(mentions: Sequence[WeekdayMention], wd: int, future: bool) -> str:
    seen: list[str] = []
    for m in mentions:
        if m.future == future and (future or m.weekday == wd) and f'"{m.phrase}"' not in seen:
            seen.append(f'"{m.phrase}"')
    return ", ".join(seen[:2])


# Lines that show a page carries another outlet's copy (clean keeps them in ``removed``).
_COPY_MARKERS = frozenset(
    {"dateline", "agency tag", "source line", "editorial standards", "reporting credit"}
)


def _carries_copy(article: Article) -> bool:
    return any(r.reason in _COPY_MARKERS for r in article.removed)


def _own_date(article: Article) -> bool:
    return (article.published_evidence or "").startswith(OWN_DATE_EVIDENCE)


def reconcile(
    articles: Sequence[Article], texts: Sequence[Sequence[tuple[str, int | None]]]
) -> list[Article]:
    """Articles with checked dates. ``texts[i]`` holds (sentence, post index) of article i."""
    articles = _settle_yearless(articles, texts)
    mentions = [weekday_mentions([t for t, _ in sents]) for sents in texts]
    articles = [_day_early(a, m) for a, m in zip(articles, mentions, strict=True)]
    dated = {i: d for i, a in enumerate(articles) if (d := to_day(a.published))}

    # A page date far from the others is doubted only when the text's weekdays say otherwise
    # and the page either carries another outlet's copy (a republication dated when it was
    # copied, not written) or got its date from markup rather than a visible date line.
    suspect: dict[int, str] = {}
    for i, d in dated.items():
        others = [o for j, o in dated.items() if j != i]
        if not others or not any(not m.future for m in mentions[i]):
            continue
        if _own_date(articles[i]) and not _carries_copy(articles[i]):
            continue
        lo, hi = min(others), max(others)
        if d > hi + timedelta(days=MAX_GAP):
            suspect[i] = f"{(d - hi).days} days after the other articles ({lo} to {hi})"
        elif d < lo - timedelta(days=MAX_GAP):
            suspect[i] = f"{(lo - d).days} days before the other articles ({lo} to {hi})"
    reliable = {i: d for i, d in dated.items() if i not in suspect}
    upper = max(reliable.values()) if reliable else None

    out: list[Article] = []
    for i, article in enumerate(articles):
        sents = texts[i]
        lower = latest_full_date([t for t, _ in sents] + list(article.captions), upper)
        if article.posts:
            out.append(
                _date_posts(
                    article, sents, upper if i not in dated or i in suspect else dated[i], lower
                )
            )
            continue
        if i in dated and i not in suspect:
            out.append(article)
            continue
        if upper is None:
            # nothing in the story dates a page: a date the text names is an event's, not ours
            out.append(article)
            continue
        per_day = Counter(reliable.values())
        found = infer_date(mentions[i], upper, lower, per_day)
        if found is None:
            if i in suspect:
                out.append(
                    replace(
                        article,
                        published_evidence=_join(
                            article.published_evidence,
                            f"this date lies {suspect[i]}, but the text gives no weekday to correct it; kept",
                        ),
                    )
                )
            else:
                out.append(article)
            continue
        d, wd = found
        out.append(
            replace(
                article,
                published=d.isoformat(),
                published_evidence=_explain(
                    article, mentions[i], d, wd, upper, lower, suspect.get(i), per_day
                ),
            )
        )
    return out


def _day_early(article: Article, mentions: Sequence[WeekdayMention]) -> Article:
    """A page dated the day before its text was written: the text's weekdays move it on.

    "escaped Monday ... on the defensive again Tuesday" under a Monday page date reads Tuesday
    as six days back; the text names the page's own day as the day before, so it was written on
    the next day (a page stamped with its first version's date).
    """
    d = to_day(article.published)
    if d is None or article.posts:
        return article
    wd = writing_weekday(mentions)
    past = {m.weekday for m in mentions if not m.future}
    if wd is None or wd != (d.weekday() + 1) % 7 or d.weekday() not in past:
        return article
    later = d + timedelta(days=1)
    phrase = _quote(mentions, wd, False)
    return replace(
        article,
        published=later.isoformat(),
        published_evidence=_join(
            article.published_evidence,
            f"the text reports {phrase} as news and the page's own day "
            f"({WEEKDAYS[d.weekday()].capitalize()}) as the day before; used {later}",
        ),
    )


def _settle_yearless(
    articles: Sequence[Article], texts: Sequence[Sequence[tuple[str, int | None]]]
) -> list[Article]:
    """Give a page dated by a yearless dateline ("Mumbai, Nov 11 -") the year the story says.

    The year is the one that puts the day nearest the other articles' own dates; with none, the
    first such day on or after the latest full date the page's text names.
    """
    own = [d for a in articles if _own_date(a) and (d := to_day(a.published))]
    out = list(articles)
    for i, article in enumerate(articles):
        if article.published:
            continue
        found = _yearless_page_day(article)
        if found is None:
            continue
        month, day, written = found
        if own:
            mid = sorted(own)[len(own) // 2]
            choices = [safe_date(y, month, day) for y in (mid.year - 1, mid.year, mid.year + 1)]
            best = min((c for c in choices if c), key=lambda c: abs((c - mid).days), default=None)
            why = f"the year that puts it nearest the story's dated articles (around {mid})"
        else:
            latest = latest_full_date([t for t, _ in texts[i]])
            if latest is None:
                continue
            best = safe_date(latest.year, month, day)
            if best is not None and best < latest:
                best = safe_date(latest.year + 1, month, day)
            why = f"year assumed: the first such day on or after {latest}, the latest date the text names"
        if best is None:
            continue
        out[i] = replace(
            article,
            published=best.isoformat(),
            published_evidence=f'dateline "{written}" without a year; {best.year} as {why}',
        )
    return out


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _yearless_page_day(article: Article) -> tuple[int, int, str] | None:
    """(month, day, as written) of a yearless dateline or date line the page printed."""
    for removed in article.removed:
        if removed.reason not in ("dateline", "date line"):
            continue
        found = dated_dateline(removed.text)
        if found is not None and found.year is None:
            return found.month, found.day, found.written
    return None


def _explain(
    article: Article,
    mentions: Sequence[WeekdayMention],
    d: date,
    wd: int,
    upper: date | None,
    lower: date | None,
    why: str | None,
    per_day: Mapping[date, int] | None = None,
) -> str:
    day = WEEKDAYS[wd].capitalize()
    latest = upper - timedelta(days=(upper.weekday() - wd) % 7) if upper else None
    if article.published:
        head = f"page date {article.published}"
        if article.published_evidence:
            head += f" ({article.published_evidence})"
        # ``why`` is None when the page date is not a real date ("2023-02-30"): never "lies None".
        head += f" lies {why}" if why else " is not a valid date"
        head += f", but the text reports {_quote(mentions, wd, False)} as news"
    else:
        head = f"no publication date; the text reports {_quote(mentions, wd, False)} as news"
    future = _quote(mentions, wd, True)
    if future:
        head += f" and speaks of {future} in the future tense"
    near = sum(n for x, n in (per_day or {}).items() if 0 <= (x - d).days <= 1)
    if latest is not None and d < latest and near:
        rule = (
            f"the {day} of the story's span on which, or the day after which, most of its dated "
            f"articles appeared ({near})"
        )
    elif upper is not None and d <= upper:
        rule = (
            f"the latest {day} on or before {upper}, the last date of the reliably dated articles"
        )
    else:
        rule = f"the first {day} on or after {lower}, the latest date the text names"
    return f"{head}; used {d.isoformat()} ({rule})"


def _date_posts(
    article: Article,
    sents: Sequence[tuple[str, int | None]],
    upper: date | None,
    lower: date | None,
) -> Article:
    """Date each live-blog post from its own text when its header gave no date."""
    posts = list(article.posts)
    notes: list[str] = []
    inferred: list[date | None] = []
    for p, post in enumerate(posts):
        own = to_day(post.published)
        if own:
            inferred.append(own)
            continue
        post_mentions = weekday_mentions([t for t, k in sents if k == p])
        found = infer_date(post_mentions, upper, lower)
        inferred.append(found[0] if found else None)
        if found:
            posts[p] = replace(post, published=found[0].isoformat())
            label = f'"{post.title}"' if post.title else f"post {p + 1}"
            notes.append(f"{label} {found[0]} (says {_quote(post_mentions, found[1], False)})")
    # posts that name no weekday: the date of the post before them, else after them
    for p, post in enumerate(posts):
        if inferred[p] is None:
            near = next((inferred[q] for q in range(p - 1, -1, -1) if inferred[q]), None) or next(
                (inferred[q] for q in range(p + 1, len(posts)) if inferred[q]), None
            )
            if near:
                posts[p] = replace(post, published=near.isoformat())
    known = [d for d in inferred if d]
    published, evidence = article.published, article.published_evidence
    if notes:
        evidence = _join(evidence, "posts dated from their own text: " + "; ".join(notes))
    if not published and known:
        published = max(known).isoformat()
        bound = (
            f" (weekdays taken as the latest on or before {upper}, the last date of the other articles)"
            if upper
            else ""
        )
        evidence = _join(
            evidence,
            f"live blog without a page date: used its latest post's date {published}{bound}",
        )
    return replace(article, posts=tuple(posts), published=published, published_evidence=evidence)


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


__all__ = ["reconcile", "infer_date", "writing_weekday", "weekday_mentions"]
