"""URLs: fetched with httpx, several at a time, each under a total deadline, within one deadline
for the whole run, from public addresses only (``netguard``), and never unless asked
(``Settings.fetch``). A page becomes an ``Article`` through the HTML reader; a feed is handed to
``feed.py``. Every failure is an ``InputError`` naming the URL and the reason.

Why asyncio: a total deadline needs cancellation (a server that sends one header line every few
seconds never trips a read timeout), and many links need concurrency with a per-host limit, so
one slow link does not hold up the rest. The rest of storyline stays synchronous:
``Fetcher.fetch_many`` runs one event loop per batch of URLs.

``ingest.read_inputs`` picks up ``parse_url`` by itself (see ``ingest/__init__.py``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .limits import Inflater
from .netguard import BlockedAddress, GuardedTransport, scheme_refusal
from .session import Progress, current
from .sources import Source

ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")
FEED_PATH = re.compile(r"(\.rss|\.atom|\.xml|/feed/?|/rss/?)(\?.*)?$", re.IGNORECASE)
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
NOT_ASKED = "not fetched: storyline works offline unless asked; pass --fetch to read web pages"
T = TypeVar("T")


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # media type only, lower case ("" when the server sent none)
    body: bytes


class Fetcher:
    """Fetches URLs for one run: the run-wide deadline starts at the first fetch."""

    def __init__(self, settings: Settings, say: Progress | None = None) -> None:
        self.settings = settings
        self.say = say or (lambda _m: None)
        self.deadline: float | None = None
        self.fetched = self.failed = 0

    def fetch(self, url: str) -> Fetched:
        """One URL; raises ``InputError`` naming it and the reason."""
        (result,) = self.fetch_many([url])
        if isinstance(result, InputError):
            raise result
        return result

    def fetch_many(self, urls: Sequence[str]) -> list[Fetched | InputError]:
        """Every URL, fetched concurrently; the results in the order of ``urls``."""
        if not urls:
            return []
        if not self.settings.fetch:
            return [InputError(u, NOT_ASKED) for u in urls]
        if self.deadline is None:
            self.deadline = time.monotonic() + self.settings.fetch_deadline
        return _run(self._fetch_all(list(urls), self.deadline))

    async def _fetch_all(self, urls: list[str], deadline: float) -> list[Fetched | InputError]:
        s = self.settings
        everyone = asyncio.Semaphore(max(1, s.fetch_concurrency))
        hosts: dict[str, asyncio.Semaphore] = {}
        resolver = concurrent.futures.ThreadPoolExecutor(4, thread_name_prefix="storyline-dns")
        timeout = httpx.Timeout(s.fetch_timeout)  # per read, under the total deadline below
        headers = {"User-Agent": s.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
        loop_deadline = asyncio.get_running_loop().time() + (deadline - time.monotonic())
        total = len(urls)

        async def one(url: str) -> Fetched | InputError:
            result = await attempt(url)
            self._progress(total, result)
            return result

        async def attempt(url: str) -> Fetched | InputError:
            refused = scheme_refusal(url)
            if refused:
                return InputError(url, f"{refused} {url[:80]}")
            host = (urlsplit(url).hostname or "").lower()
            per_host = hosts.setdefault(host, asyncio.Semaphore(max(1, s.fetch_per_host)))
            try:
                async with asyncio.timeout_at(loop_deadline), everyone, per_host:
                    # The URL's own time starts when its turn comes, not while it waits.
                    try:
                        async with asyncio.timeout(s.fetch_timeout):
                            return await _get(client, url, s)
                    except TimeoutError:
                        return InputError(url, f"timed out: no complete answer within "
                                          f"{s.fetch_timeout:g} s (--fetch-timeout)")
            except TimeoutError:
                return InputError(url, f"not fetched: the run's fetch deadline of "
                                  f"{s.fetch_deadline:g} s passed (--fetch-deadline)")

        try:
            async with httpx.AsyncClient(
                transport=GuardedTransport(s, resolver), timeout=timeout, headers=headers,
                follow_redirects=False, trust_env=False,
            ) as client:
                return list(await asyncio.gather(*(one(u) for u in urls)))
        finally:
            resolver.shutdown(wait=False, cancel_futures=True)

    def _progress(self, total: int, result: Fetched | InputError) -> None:
        self.fetched += 1
        self.failed += isinstance(result, InputError)
        if total > 1 and (self.fetched % 10 == 0 or self.fetched == total):
            self.say(f"fetched {self.fetched:,} links ({self.failed:,} failed)")


async def _get(client: httpx.AsyncClient, url: str, s: Settings) -> Fetched | InputError:
    """GET with redirects followed by hand: each hop's scheme and address are checked."""
    target = url
    for _hop in range(MAX_REDIRECTS + 1):
        refused = scheme_refusal(target)
        if refused:
            return InputError(url, f"redirected to {target[:120]}: {refused.rstrip(':')}")
        try:
            async with client.stream("GET", target) as resp:
                if resp.status_code in REDIRECTS and resp.headers.get("location"):
                    target = urljoin(str(resp.url), resp.headers["location"])
                    continue
                if resp.status_code >= 400:
                    return InputError(url, f"HTTP {resp.status_code} {resp.reason_phrase}; the server refused the page")
                body = await _body(resp, url, s)
                if isinstance(body, InputError):
                    return body
                media = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(url, str(resp.url), media, body)
        except BlockedAddress as exc:
            hop = "" if target == url else f"redirected to {target[:120]}: "
            return InputError(url, hop + exc.describe())
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            return InputError(url, f"not a valid http(s) URL ({exc})")
        except httpx.TimeoutException:
            return InputError(url, f"timed out after {s.fetch_timeout:g} s (no answer from the server; --fetch-timeout)")
        except httpx.HTTPError as exc:
            return InputError(url, f"cannot fetch ({type(exc).__name__}: {exc})")
    return InputError(url, f"too many redirects (more than {MAX_REDIRECTS})")


async def _body(resp: httpx.Response, url: str, s: Settings) -> bytes | InputError:
    """The body, counted while it streams (after decompression too); over the limit: refused."""
    limit = s.max_bytes
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return InputError(url, f"too large ({int(declared):,} bytes > {limit:,}; --max-bytes)")
    encoding = resp.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip"):
        return InputError(url, f"the server sent a {encoding} body, which storyline does not decode")
    inflater = Inflater(url, s) if encoding in ("gzip", "x-gzip") else None
    chunks: list[bytes] = []
    size = 0
    try:
        async for raw in resp.aiter_raw():
            pieces = list(inflater.feed(raw)) if inflater else [raw]
            for piece in pieces:
                size += len(piece)
                if size > limit:
                    return InputError(url, f"too large (more than {limit:,} bytes; the body did not end; --max-bytes)")
                chunks.append(piece)
        if inflater:
            inflater.close()
    except InputError as err:  # a limit or a broken gzip body
        return InputError(url, err.reason)
    return b"".join(chunks)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code, even inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # e.g. called from a web app
        return pool.submit(asyncio.run, coro).result()


def fetch(url: str, settings: Settings) -> Fetched:
    """GET ``url`` in the current run (see ``Fetcher``); raises ``InputError``."""
    return current(settings).fetcher.fetch(url)


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


def read_fetched(url: str, fetched: Fetched | InputError, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """A fetched URL's articles: one for a page, one per entry for an RSS/Atom feed."""
    try:
        if isinstance(fetched, InputError):
            raise fetched
        if looks_like_feed(fetched) or (FEED_PATH.search(url) and fetched.content_type not in HTML_TYPES):
            from .feed import articles_from_feed

            return articles_from_feed(fetched.body, url, settings)
        return [article_from_fetched(fetched, settings)], []
    except InputError as err:
        return [], [err]


def read_url(url: str, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """A URL's articles: one for a page, one per entry for an RSS/Atom feed."""
    try:
        fetched: Fetched | InputError = fetch(url, settings)
    except InputError as err:
        fetched = err
    return read_fetched(url, fetched, settings)


def parse_url(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """The ``ingest.READERS["url"]`` reader (fetched already when the run prefetched it)."""
    url = src.url or src.label
    prefetched = current(settings).prefetched.pop(url, None)
    if prefetched is not None:
        return read_fetched(url, prefetched, settings)
    return read_url(url, settings)
