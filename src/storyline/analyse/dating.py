"""Story-level date reconciliation: which date each article and live-blog post was written on.

Relative dates ("on Monday") are only as good as the date they are resolved against. A page
header can be wrong (a republication dated weeks later), missing, or absent per post in a live
blog. The text usually says when it was written: news reports the latest events by weekday
("the two countries confirmed on Monday", "reported Wednesday").

The rule, applied to the articles of one story:

1. A dated article is *suspect* when its date lies more than ``MAX_GAP`` days outside the span
   of the other dated articles and its text dates events by weekday. The other dated articles
   are *reliable*; their last date ``U`` bounds when the story was reported.
2. For a suspect or undated article (and for each undated live-blog post) we collect the
   weekdays it names in the past tense. The writing day is the weekday ``W`` among them that
   makes the others fall just before it (the smallest span back from ``W``): {Sunday, Monday}
   gives Monday. The date is the latest ``W`` on or before ``U``, but not before the latest
   full date the text itself names (captions included); with no ``U``, the first ``W`` on or
   after that full date.
3. A post that names no weekday takes the date of the post before it (or after it); an undated
   live blog takes the date of its latest post.

Every decision is written into ``published_evidence`` in words a reader can check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

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
    mentions: Sequence[WeekdayMention], upper: date | None, lower: date | None
) -> tuple[date, int] | None:
    """The writing date and weekday, or None when the text gives no weekday to go by."""
    wd = writing_weekday(mentions)
    if wd is None:
        return None
    if upper is not None:
        d = upper - timedelta(days=(upper.weekday() - wd) % 7)
        if lower is None or d >= lower:
            return d, wd
    if lower is not None:
        return lower + timedelta(days=(wd - lower.weekday()) % 7), wd
    return None


def _day(value: str | None) -> date | None:
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


def reconcile(
    articles: Sequence[Article], texts: Sequence[Sequence[tuple[str, int | None]]]
) -> list[Article]:
    """Articles with checked dates. ``texts[i]`` holds (sentence, post index) of article i."""
    dated = {i: d for i, a in enumerate(articles) if (d := _day(a.published))}
    mentions = [weekday_mentions([t for t, _ in sents]) for sents in texts]

    suspect: dict[int, str] = {}
    for i, d in dated.items():
        others = [o for j, o in dated.items() if j != i]
        if not others or not any(not m.future for m in mentions[i]):
            continue
        lo, hi = min(others), max(others)
        if d > hi + timedelta(days=MAX_GAP):
            suspect[i] = f"{(d - hi).days} days after the other articles ({lo} to {hi})"
        elif d < lo - timedelta(days=MAX_GAP):
            suspect[i] = f"{(lo - d).days} days before the other articles ({lo} to {hi})"
    reliable = [d for i, d in dated.items() if i not in suspect]
    upper = max(reliable) if reliable else None

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
        found = infer_date(mentions[i], upper, lower)
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
                    article, mentions[i], d, wd, upper, lower, suspect.get(i)
                ),
            )
        )
    return out


def _explain(
    article: Article,
    mentions: Sequence[WeekdayMention],
    d: date,
    wd: int,
    upper: date | None,
    lower: date | None,
    why: str | None,
) -> str:
    day = WEEKDAYS[wd].capitalize()
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
    if upper is not None and d <= upper:
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
        own = _day(post.published)
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
