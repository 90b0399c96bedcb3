"""JSON and JSONL records: {"text", "title", "url", "source", "published"} (plus optional
"id", "authors"/"author", or "html" instead of "text").

JSON is parsed under limits checked before the parser runs (nesting depth) or while it runs
(digits of a number), and at most ``max_records`` records are read from one input.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, LimitError
from ..models import Article
from ..settings import Settings
from .html import article_from_html
from .limits import Truncated
from .metadata import ISO_DATE_RE, parse_date
from .session import PROGRESS_EVERY, current
from .sources import Source, decode_text, read_bytes, short_hash
from .text import article_from_text

# A JSON string (unrolled loop: fast on long strings); brackets inside strings are not nesting.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, counted without parsing it."""
    stripped = _JSON_STRING.sub('""', text).encode("utf-8", errors="replace")
    b = np.frombuffer(stripped, dtype=np.uint8)
    at = np.flatnonzero((b == 0x5B) | (b == 0x7B) | (b == 0x5D) | (b == 0x7D))
    if not len(at):
        return 0
    steps = np.where((b[at] == 0x5B) | (b[at] == 0x7B), 1, -1).astype(np.int64)
    return int(np.cumsum(steps).max())


def load_json(text: str, where: str, settings: Settings) -> Any:
    """``json.loads`` with nesting depth and number size bounded (``LimitError`` names the flag)."""
    depth = json_depth(text)
    if depth > settings.max_json_depth:
        raise LimitError(
            where, f"JSON nested {depth:,} levels deep (more than {settings.max_json_depth})",
            "--max-json-depth",
        )
    digits = settings.max_number_digits

    def number(kind: type[int] | type[float]) -> Any:
        def parse(value: str) -> int | float:
            if len(value) > digits and sum(ch.isdigit() for ch in value) > digits:
                raise LimitError(
                    where, f"a JSON number with {sum(ch.isdigit() for ch in value):,} digits "
                    f"(more than {digits})", "--max-number-digits",
                )
            return kind(value)

        return parse

    return json.loads(text, parse_int=number(int), parse_float=number(float))


def parse_json(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """A .json file: one record or a list of records. A bad record is an error of its own."""
    text = decode_text(src.label, read_bytes(src, settings))
    try:
        data = load_json(text, src.label, settings)
    except json.JSONDecodeError as exc:
        raise InputError(
            src.label, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    items = data if isinstance(data, list) else [data]
    articles: list[Article] = []
    problems: list[InputError] = []
    limit = settings.max_records
    if len(items) > limit:
        problems.append(_too_many(src.label, limit, f"the other {len(items) - limit:,}"))
        items = items[:limit]
    say = current(settings).say
    for n, item in enumerate(items, 1):
        where = f"{src.label} record {n}" if isinstance(data, list) else src.label
        try:
            articles.append(article_from_record(item, where, src.path))
        except InputError as err:
            problems.append(err)
        if n % PROGRESS_EVERY == 0:
            say(f"read {n:,} of {len(items):,} records of {src.label}")
    return articles, problems


def parse_jsonl(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    articles: list[Article] = []
    problems: list[InputError] = []
    try:
        data = read_bytes(src, settings)
    except Truncated as exc:  # the whole lines before the damage are whole records: keep them
        data = exc.data[: exc.data.rfind(b"\n") + 1]
        whole = data.count(b"\n")
        reason = exc.reason.split(";")[0]
        problems.append(InputError(
            src.label, f"{reason}; the {whole:,} whole lines before it were read, the rest is lost"))
        if not data.strip():
            return [], problems
    text = decode_text(src.label, data)
    say = current(settings).say
    records = 0
    lines = text.splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if records == settings.max_records:
            rest = sum(1 for x in lines[lineno - 1 :] if x.strip())
            problems.append(_too_many(src.label, records, f"{rest:,} more from line {lineno}"))
            break
        records += 1
        if records % PROGRESS_EVERY == 0:
            say(f"read {records:,} records of {src.label}")
        where = f"{src.label} line {lineno}"
        try:
            item = load_json(line, where, settings)
        except json.JSONDecodeError as exc:
            problems.append(InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})"))
            continue
        except LimitError as err:
            problems.append(err)
            continue
        try:
            articles.append(article_from_record(item, where, src.path))
        except InputError as err:
            problems.append(err)
    return articles, problems


def _too_many(label: str, read: int, rest: str) -> LimitError:
    return LimitError(
        label, f"more than {read:,} records: read the first {read:,}, {rest} not read",
        "--max-records",
    )


def record_date(value: str) -> str | None:
    """The ISO date a record's "published" value gives, or None when it is not a real date."""
    found = value[:10] if ISO_DATE_RE.match(value) else parse_date(value)[0]
    if not found:
        return None
    try:
        return date.fromisoformat(found).isoformat()
    except ValueError:  # "2023-02-30": the right shape, not a date
        return None


def _str(item: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def article_from_record(item: Any, where: str, path: Path | None) -> Article:
    """One record -> Article. Fields given in the record win over what the text suggests."""
    if not isinstance(item, dict):
        raise InputError(
            where, f'expected a JSON object with a "text" field, got {type(item).__name__}'
        )
    text = _str(item, "text", "body", "articleBody", "content")
    html = _str(item, "html")
    url = _str(item, "url", "link")
    title = _str(item, "title", "headline")
    if text:
        article = article_from_text(text, path=None, label=where, fmt="json", title=title, url=url)
    elif html:
        article = article_from_html(html, label=where, url=url)
    else:
        raise InputError(where, 'record has no "text" (or "html") field with content')
    record_id = item.get("id")
    if not isinstance(record_id, str | int) or isinstance(record_id, bool) or not str(record_id).strip():
        record_id = None
    updates: dict[str, Any] = {
        "id": str(record_id)[:200] if record_id is not None else short_hash(text or html or ""),
        "path": str(path) if path is not None else None,
        "url": url or article.url,
    }
    if title and not text:  # with text, the title was checked against it above
        updates["title"] = title
    source = _str(item, "source", "outlet", "site")
    if source:
        updates["source"] = source
        updates["source_evidence"] = 'given in the record ("source")'
    published = _str(item, "published", "date", "datePublished")
    if published:
        value = record_date(published)
        if value:
            updates["published"] = value
            updates["published_evidence"] = f'given in the record ("published": "{published[:80]}")'
        else:
            updates["published_evidence"] = (
                f'the record\'s "published" value "{published[:80]}" is not a date I can read; '
                + (article.published_evidence or "")
            )
    authors = item.get("authors", item.get("author"))
    if isinstance(authors, str):
        authors = [authors]
    if isinstance(authors, list):
        names = tuple(a.strip() for a in authors if isinstance(a, str) and a.strip())
        if names:
            updates["authors"] = names
    return replace(article, **updates)
