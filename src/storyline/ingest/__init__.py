"""ingest: files, directories, globs and stdin in; ``Article``s with metadata and evidence out.

Formats are read by the function registered for their kind in ``READERS``
(``Source, Settings -> (articles, problems)``). URL and RSS/Atom readers plug in the same way:
a module ``ingest/fetch.py`` defining ``parse_url`` or ``ingest/feed.py`` defining
``parse_feed`` is picked up automatically (or call ``register``). A bad input never stops the
others: it becomes an ``InputError`` in ``IngestResult.problems``, and an exception that is
not the input's fault is caught at the boundary of that one input as an ``InternalError``.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..errors import InputError, InternalError, LimitError
from ..models import Article
from ..settings import Settings
from .html import parse_html
from .language import not_english
from .records import parse_json, parse_jsonl
from .session import Progress, current, run_session
from .sources import Source, expand, read_bytes, sniff
from .text import parse_text
from .warc import parse_warc

Reader = Callable[[Source, Settings], tuple[list[Article], list[InputError]]]

READERS: dict[str, Reader] = {
    "text": parse_text,
    "html": parse_html,
    "json": parse_json,
    "jsonl": parse_jsonl,
    "warc": parse_warc,
}
# Optional readers, added by their own modules when present: kind -> (module, function).
OPTIONAL = {"url": (".fetch", "parse_url"), "feed": (".feed", "parse_feed")}
NOT_SUPPORTED = {
    "url": "URLs are not supported by this version; save the page and give the file",
    "feed": "RSS/Atom feeds are not supported by this version",
}


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def register(kind: str, reader: Reader) -> None:
    """Add or replace the reader for one kind of input."""
    READERS[kind] = reader


def reader_for(kind: str) -> Reader | None:
    if kind not in READERS and kind in OPTIONAL:
        module, name = OPTIONAL[kind]
        try:
            READERS[kind] = getattr(importlib.import_module(module, __name__), name)
        except (ImportError, AttributeError):
            return None
    return READERS.get(kind)


def read_inputs(
    inputs: Sequence[str],
    settings: Settings,
    *,
    english_only: bool = True,
    progress: Progress | None = None,
) -> IngestResult:
    """Read every input into Articles (raw text + metadata); collect the ones that fail.

    ``english_only=False`` skips the language check (the extraction benchmark has other languages).
    """
    with run_session(settings, progress):
        sources, problems = expand(list(inputs), settings)
        result = IngestResult(problems=problems)
        ids: set[str] = set()
        for item in read_sources(sources, settings, english_only=english_only):
            if isinstance(item, InputError):
                result.problems.append(item)
            else:
                result.articles.append(_unique(item, ids))
        return result


URL_BATCH = 64  # URL inputs fetched together


def read_sources(
    sources: Iterable[Source | InputError], settings: Settings, *, english_only: bool = True
) -> Iterator[Article | InputError]:
    """Each source's problems then its articles, source by source, in order (an ``InputError``
    among the sources, such as a path that does not exist, is passed on in its place).

    Runs of URL inputs are fetched together first (concurrently, see ``fetch.Fetcher``).
    """
    session = current(settings)
    pending: list[Source | InputError] = []
    count = 0
    it = iter(sources)
    while True:
        if not pending:
            nxt = next(it, None)
            if nxt is None:
                return
            pending.append(nxt)
            while _is_url(pending[-1]) and len(pending) < URL_BATCH:
                nxt = next(it, None)
                if nxt is None:
                    break
                pending.append(nxt)
            session.prefetch([s.url or s.label for s in pending if isinstance(s, Source) and _is_url(s)])
        src = pending.pop(0)
        if isinstance(src, InputError):
            yield src
            continue
        articles, problems = read_source(src, settings, english_only=english_only)
        yield from problems
        yield from articles
        count += 1
        if count % 200 == 0:
            session.say(f"read {count:,} inputs")


def _is_url(src: Source | InputError) -> bool:
    return isinstance(src, Source) and src.kind == "url"


def read_source(
    src: Source, settings: Settings, *, english_only: bool = True
) -> tuple[list[Article], list[InputError]]:
    """One input's articles and problems. Never raises: an input error is a problem, and any
    other exception is an ``InternalError`` for this input only (a bug, to be reported)."""
    try:
        if src.kind == "sniff":
            data = read_bytes(src, settings)
            src = replace(src, kind=sniff(data), data=data)
        reader = reader_for(src.kind)
        if reader is None:
            raise InputError(
                src.label, NOT_SUPPORTED.get(src.kind, f"unsupported input kind {src.kind!r}")
            )
        articles, problems = reader(src, settings)
    except InputError as err:
        return [], [err]
    except RecursionError:
        return [], [InputError(src.label, "nested too deeply to read (more levels than Python allows)")]
    except Exception as exc:
        return [], [InternalError(src.label, exc)]
    problems = list(problems)
    if not articles and not problems:
        problems.append(InputError(src.label, "no articles found in this input"))
    kept: list[Article] = []
    for article in articles:
        where = article.path or article.url or src.label
        if article.path and article.path != src.label:
            where = src.label
        try:
            article = valid_date(sanitised(article))
            check_lines(article, where, settings)
            language = not_english(article.text) if english_only else None
        except InputError as err:
            problems.append(err)
            continue
        except Exception as exc:
            problems.append(InternalError(where, exc))
            continue
        if language:
            problems.append(
                InputError(
                    where, f"not English (looks like {language}); storyline reads English news only"
                )
            )
            continue
        kept.append(article)
    return kept, problems


# Lone surrogates cannot be written as UTF-8 (a feed's "&#xD800;", JSON's "\ud800"); NUL bytes
# end strings in C libraries. Both are replaced or dropped once, here, for every reader.
_UNWRITABLE = re.compile("[\ud800-\udfff]")


def _clean_str(value: str) -> str:
    return _UNWRITABLE.sub("\ufffd", value).replace("\x00", "")


def sanitised(article: Article) -> Article:
    """The article with every string field writable as UTF-8."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(article):
        value = getattr(article, f.name)
        if isinstance(value, str):
            new: Any = _clean_str(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            new = tuple(_clean_str(v) for v in value)
        else:
            continue
        if new != value:
            changes[f.name] = new
    return replace(article, **changes) if changes else article


_YEAR_MONTH = re.compile(r"^\d{4}(-\d{2})?$")  # the contract's YYYY and YYYY-MM


def valid_date(article: Article) -> Article:
    """The article without a publication date that is not a real one ("2023-02-30"), said so."""
    value = article.published
    if value is None:
        return article
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        elif not (_YEAR_MONTH.match(value) and 1 <= int(value[5:7] or 1) <= 12):
            raise ValueError(value)
    except ValueError:
        note = f'the date found, "{value[:40]}", is not a real date; ignored'
        evidence = f"{article.published_evidence}; {note}" if article.published_evidence else note
        return replace(article, published=None, published_evidence=evidence)
    return article


def check_lines(article: Article, where: str, settings: Settings) -> None:
    """Refuse text with a line longer than ``max_line_chars`` (not prose; costly to parse)."""
    limit = settings.max_line_chars
    if len(article.text) <= limit:
        return
    for number, line in enumerate(article.text.split("\n"), 1):
        if len(line) > limit:
            raise LimitError(
                where, f"line {number} is {len(line):,} characters long (more than {limit:,}); "
                "this does not look like article text", "--max-line-chars",
            )


def _unique(article: Article, ids: set[str]) -> Article:
    """Ids must be unique in a run: a second ``a/x.txt`` next to ``b/x.txt`` becomes ``x-2``."""
    new_id, n = article.id, 1
    while new_id in ids:
        n += 1
        new_id = f"{article.id}-{n}"
    ids.add(new_id)
    return article if new_id == article.id else replace(article, id=new_id)


__all__ = [
    "IngestResult", "READERS", "Reader", "Source", "read_inputs", "read_source", "read_sources",
    "register", "run_session",
]
