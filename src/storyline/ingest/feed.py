"""RSS/Atom feeds (feedparser): each entry's link is fetched as a page; when it cannot be,
the entry's own text is used if it is long enough. A feed that is not XML is an InputError.

``ingest.read_inputs`` picks up ``parse_feed`` by itself (see ``ingest/__init__.py``).
"""

from __future__ import annotations

import html as htmlmod
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

import feedparser

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .sources import Source, read_bytes, short_hash

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class FeedEntry:
    url: str | None
    title: str | None
    summary: str | None  # plain text (markup removed)
    published: str | None  # ISO date


def parse_entries(data: bytes, label: str) -> list[FeedEntry]:
    """The entries of an RSS/Atom document; not a feed -> InputError naming ``label``."""
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({type(reason).__name__}: {reason})" if reason else ""
        raise InputError(label, f"not an RSS/Atom feed: the content is not feed XML{detail}")
    entries = []
    for e in parsed.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", when) if when else None
        body = ""
        if e.get("content"):
            body = " ".join(c.get("value", "") for c in e["content"])
        body = body or e.get("summary", "") or ""
        text = htmlmod.unescape(_TAG.sub(" ", body))
        text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
        entries.append(FeedEntry(e.get("link") or None, e.get("title") or None, text or None, published))
    return entries


def read_feed(url_or_path: str, settings: Settings) -> list[FeedEntry]:
    """Entries of a feed given as a URL or a file path."""
    if url_or_path.startswith(("http://", "https://")):
        from .fetch import fetch

        data = fetch(url_or_path, settings).body
    else:
        path = Path(url_or_path)
        data = read_bytes(Source(url_or_path, "feed", path=path), settings)
    return parse_entries(data, url_or_path)


def articles_from_feed(data: bytes, label: str, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """One Article per entry: the linked page when it can be fetched, else the entry's text."""
    from .fetch import fetch_url

    articles: list[Article] = []
    problems: list[InputError] = []
    entries = parse_entries(data, label)
    if not entries:
        return [], [InputError(label, "the feed has no entries")]
    for entry in entries:
        article: Article | None = None
        failure: InputError | None = None
        if entry.url and entry.url.startswith(("http://", "https://")):
            try:
                article = fetch_url(entry.url, settings)
            except InputError as err:
                failure = err
        if article is None:
            words = len((entry.summary or "").split())
            if words >= settings.min_words:
                where = entry.url or f"{label} entry {entry.title!r}"
                article = Article(
                    id=short_hash(entry.summary or ""), text=entry.summary or "", url=entry.url,
                    path=None if entry.url else label, title=entry.title, fmt="feed",
                    published_evidence="the feed entry's date" if entry.published else None,
                    published=entry.published,
                    source_evidence=f"feed entry text (the page could not be used: {failure.reason})" if failure else None,
                )
                if failure is not None:
                    problems.append(InputError(where, f"{failure.reason}; used the feed's summary instead"))
            else:
                problems.append(failure or InputError(label, f"entry {entry.title!r} has no link and too little text ({words} words)"))
                continue
        # The feed knows the title and date when the page does not say.
        if article.published is None and entry.published:
            article = replace(article, published=entry.published, published_evidence="the feed entry's date")
        if article.title is None and entry.title:
            article = replace(article, title=entry.title)
        articles.append(article)
    return articles, problems


def parse_feed(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """The ``ingest.READERS["feed"]`` reader (a feed file, or bytes already read)."""
    return articles_from_feed(read_bytes(src, settings), src.label, settings)


def feed_articles(url_or_path: str, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """Articles of a feed URL or file; problems instead of exceptions."""
    try:
        if url_or_path.startswith(("http://", "https://")):
            from .fetch import read_url

            return read_url(url_or_path, settings)
        data = read_bytes(Source(url_or_path, "feed", path=Path(url_or_path)), settings)
        return articles_from_feed(data, url_or_path, settings)
    except InputError as err:
        return [], [err]
