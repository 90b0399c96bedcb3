"""RSS/Atom feeds (feedparser): each entry's link is fetched as a page (all of them at once,
when fetching is on); when it cannot be, or fetching is off, the entry's own text is used if it
is long enough. A feed that is not XML is an InputError.

``ingest.read_inputs`` picks up ``parse_feed`` by itself (see ``ingest/__init__.py``).
"""

from __future__ import annotations

import html as htmlmod
import io
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

import feedparser

from ..errors import InputError, LimitError
from ..models import Article
from ..settings import Settings
from .session import current
from .sources import Source, read_bytes, short_hash

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class FeedEntry:
    url: str | None
    title: str | None
    summary: str | None  # plain text (markup removed)
    published: str | None  # ISO date


# A character reference to a code point that is not a character (a lone surrogate such as
# &#xD800;, or past U+10FFFF) crashes feedparser; it becomes U+FFFD first.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _safe_ref(m: re.Match[bytes]) -> bytes:
    code = int(m[1], 16) if m[1] else int(m[2])
    return m[0] if code < 0xD800 or 0xDFFF < code <= 0x10FFFF else b"&#xFFFD;"


def parse_entries(data: bytes, label: str) -> list[FeedEntry]:
    """The entries of an RSS/Atom document; not a feed -> InputError naming ``label``."""
    try:
        # A stream, never bytes: feedparser opens bytes that look like a path as a local file.
        parsed = feedparser.parse(io.BytesIO(_CHAR_REF.sub(_safe_ref, data)))
    except Exception as exc:  # feedparser is lenient, but its helpers raise on odd markup
        raise InputError(label, f"cannot parse the feed ({type(exc).__name__}: {exc})") from None
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({type(reason).__name__}: {reason})" if reason else ""
        raise InputError(label, f"not an RSS/Atom feed: the content is not feed XML{detail}")
    entries = []
    for e in parsed.entries:
        if not isinstance(e, dict):
            continue
        when = e.get("published_parsed") or e.get("updated_parsed")
        try:
            published = time.strftime("%Y-%m-%d", when) if when else None
        except (TypeError, ValueError, OverflowError):  # a date feedparser half-understood
            published = None
        body = ""
        if isinstance(e.get("content"), list):
            body = " ".join(str(c.get("value", "")) for c in e["content"] if isinstance(c, dict))
        body = body or str(e.get("summary", "") or "")
        text = htmlmod.unescape(_TAG.sub(" ", body))
        text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
        link, title = e.get("link"), e.get("title")
        entries.append(FeedEntry(
            link if isinstance(link, str) and link else None,
            title if isinstance(title, str) and title else None, text or None, published))
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
    """One Article per entry: the linked page when it can be fetched, else the entry's text.

    With fetching on, every entry's link is fetched at once (``Fetcher.fetch_many``: concurrent,
    per-host limit, deadlines), so one slow link costs its own deadline and no more, and the
    entries fetched before a failure are kept.
    """
    from .fetch import Fetched, article_from_fetched

    articles: list[Article] = []
    problems: list[InputError] = []
    entries = parse_entries(data, label)
    if not entries:
        return [], [InputError(label, "the feed has no entries")]
    if len(entries) > settings.max_records:
        problems.append(LimitError(
            label, f"more than {settings.max_records:,} entries: read the first "
            f"{settings.max_records:,}, {len(entries) - settings.max_records:,} not read",
            "--max-records"))
        entries = entries[: settings.max_records]
    links = list(dict.fromkeys(
        e.url for e in entries if e.url and e.url.lower().startswith(("http://", "https://"))))
    fetched: dict[str, Fetched | InputError] = {}
    if settings.fetch and links:
        fetched = dict(zip(links, current(settings).fetcher.fetch_many(links), strict=True))
    for entry in entries:
        article: Article | None = None
        failure: InputError | None = None
        result = fetched.get(entry.url) if entry.url else None
        if result is not None:
            try:
                if isinstance(result, InputError):
                    raise result
                article = article_from_fetched(result, settings)
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
                if failure is None and entry.url and not settings.fetch:
                    failure = InputError(entry.url, f"the feed entry has too little text ({words} words) and its page was not fetched; pass --fetch to read it")
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
