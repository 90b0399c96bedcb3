"""URLs: fetched with httpx under a timeout, a size limit enforced while streaming, and a
clear User-Agent. A page becomes an ``Article`` through the HTML reader; a feed is handed to
``feed.py``. Every failure is an ``InputError`` naming the URL and the reason.

``ingest.read_inputs`` picks up ``parse_url`` by itself (see ``ingest/__init__.py``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

import httpx

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .sources import Source

ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")
FEED_PATH = re.compile(r"(\.rss|\.atom|\.xml|/feed/?|/rss/?)(\?.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # media type only, lower case ("" when the server sent none)
    body: bytes


def fetch(url: str, settings: Settings) -> Fetched:
    """GET ``url``; refuse HTTP errors, slow answers and bodies over ``settings.max_bytes``."""
    limit, timeout = settings.max_bytes, settings.fetch_timeout
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT}
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5,
                          headers=headers) as client, client.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise InputError(url, f"HTTP {resp.status_code} {resp.reason_phrase}; the server refused the page")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise InputError(url, f"too large ({int(declared):,} bytes > max_bytes {limit:,})")
            chunks: list[bytes] = []
            size = 0
            # Counted while streaming: a server that never ends its body is cut off here.
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise InputError(url, f"too large (more than max_bytes {limit:,} bytes; the body did not end)")
                if time.monotonic() > deadline:
                    raise InputError(url, f"timed out after {timeout:g} s (the body was still arriving)")
                chunks.append(chunk)
            media = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(url, str(resp.url), media, b"".join(chunks))
    except httpx.TimeoutException:
        raise InputError(url, f"timed out after {timeout:g} s (no answer from the server)") from None
    except httpx.TooManyRedirects:
        raise InputError(url, "too many redirects") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise InputError(url, f"not a valid http(s) URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None


def looks_like_feed(fetched: Fetched) -> bool:
    if fetched.content_type in FEED_TYPES or "rss" in fetched.content_type or "atom" in fetched.content_type:
        return True
    head = fetched.body[:2048].lstrip().lower()
    return bool(re.match(rb"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:rdf)\b", head, re.DOTALL))


def article_from_fetched(fetched: Fetched, settings: Settings) -> Article:
    """A page's Article; anything that is not an HTML (or plain-text) page is refused."""
    from .html import article_from_html
    from .text import article_from_text

    url = fetched.url
    media = fetched.content_type
    head = fetched.body[:1024].lstrip().lower()
    if media in HTML_TYPES or (not media and head.startswith((b"<!doctype html", b"<html"))):
        article = article_from_html(fetched.body, label=url, url=fetched.final_url)
    elif media == "text/plain":
        text = fetched.body.decode("utf-8", errors="replace")
        article = replace(article_from_text(text, label=url), path=None, url=fetched.final_url)
    else:
        raise InputError(url, f"not HTML (content type {media or 'unknown'}); storyline reads web pages and RSS/Atom feeds")
    if article.published is None:
        article = replace(article, published_evidence="no publication date found in the page")
    return replace(article, fmt="url")


def fetch_url(url: str, settings: Settings) -> Article:
    """Fetch one web page into an Article (raises InputError naming the URL and the reason)."""
    return article_from_fetched(fetch(url, settings), settings)


def read_url(url: str, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """A URL's articles: one for a page, one per entry for an RSS/Atom feed."""
    try:
        fetched = fetch(url, settings)
        if looks_like_feed(fetched) or (FEED_PATH.search(url) and fetched.content_type not in HTML_TYPES):
            from .feed import articles_from_feed

            return articles_from_feed(fetched.body, url, settings)
        return [article_from_fetched(fetched, settings)], []
    except InputError as err:
        return [], [err]


def parse_url(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """The ``ingest.READERS["url"]`` reader."""
    return read_url(src.url or src.label, settings)
