"""ingest: files, directories, globs and stdin in; ``Article``s with metadata and evidence out.

Formats are read by the function registered for their kind in ``READERS``
(``Source, Settings -> (articles, problems)``). URL and RSS/Atom readers plug in the same way:
a module ``ingest/fetch.py`` defining ``parse_url`` or ``ingest/feed.py`` defining
``parse_feed`` is picked up automatically (or call ``register``). A bad input never stops the
others: it becomes an ``InputError`` in ``IngestResult.problems``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .html import parse_html
from .language import not_english
from .records import parse_json, parse_jsonl
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
    inputs: Sequence[str], settings: Settings, *, english_only: bool = True
) -> IngestResult:
    """Read every input into Articles (raw text + metadata); collect the ones that fail.

    ``english_only=False`` skips the language check (the extraction benchmark has other languages).
    """
    sources, problems = expand(list(inputs), settings)
    result = IngestResult(problems=problems)
    ids: set[str] = set()
    for src in sources:
        try:
            if src.kind == "sniff":
                data = read_bytes(src, settings)
                src = replace(src, kind=sniff(data), data=data)
            reader = reader_for(src.kind)
            if reader is None:
                raise InputError(
                    src.label, NOT_SUPPORTED.get(src.kind, f"unsupported input kind {src.kind!r}")
                )
            articles, bad = reader(src, settings)
        except InputError as err:
            result.problems.append(err)
            continue
        result.problems.extend(bad)
        if not articles and not bad:
            result.problems.append(InputError(src.label, "no articles found in this input"))
        for article in articles:
            language = not_english(article.text) if english_only else None
            if language:
                where = article.path or article.url or src.label
                if article.path and article.path != src.label:
                    where = src.label
                result.problems.append(
                    InputError(
                        where,
                        f"not English (looks like {language}); storyline reads English news only",
                    )
                )
                continue
            result.articles.append(_unique(article, ids))
    return result


def _unique(article: Article, ids: set[str]) -> Article:
    """Ids must be unique in a run: a second ``a/x.txt`` next to ``b/x.txt`` becomes ``x-2``."""
    new_id, n = article.id, 1
    while new_id in ids:
        n += 1
        new_id = f"{article.id}-{n}"
    ids.add(new_id)
    return article if new_id == article.id else replace(article, id=new_id)


__all__ = ["IngestResult", "READERS", "Reader", "Source", "read_inputs", "register"]
