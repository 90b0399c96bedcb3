"""JSON and JSONL records: {"text", "title", "url", "source", "published"} (plus optional
"id", "authors"/"author", or "html" instead of "text")."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .html import article_from_html
from .metadata import ISO_DATE_RE, parse_date
from .sources import Source, decode_text, read_bytes, short_hash
from .text import article_from_text


def parse_json(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """A .json file: one record or a list of records. A bad record is an error of its own."""
    text = decode_text(src.label, read_bytes(src, settings))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            src.label, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    items = data if isinstance(data, list) else [data]
    articles: list[Article] = []
    problems: list[InputError] = []
    for n, item in enumerate(items, 1):
        where = f"{src.label} record {n}" if isinstance(data, list) else src.label
        try:
            articles.append(article_from_record(item, where, src.path))
        except InputError as err:
            problems.append(err)
    return articles, problems


def parse_jsonl(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    text = decode_text(src.label, read_bytes(src, settings))
    articles: list[Article] = []
    problems: list[InputError] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{src.label} line {lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})"))
            continue
        try:
            articles.append(article_from_record(item, where, src.path))
        except InputError as err:
            problems.append(err)
    return articles, problems


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
    updates: dict[str, Any] = {
        "id": str(record_id) if record_id not in (None, "") else short_hash(text or html or ""),
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
        value = published[:10] if ISO_DATE_RE.match(published) else parse_date(published)[0]
        if value:
            updates["published"] = value
            updates["published_evidence"] = f'given in the record ("published": "{published}")'
        else:
            updates["published_evidence"] = (
                f'the record\'s "published" value "{published}" is not a date I can read; '
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
