"""Plain-text pages: the seed format, a headline line then the page text copied from a browser."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .metadata import page_metadata
from .sources import Source, decode_text, read_bytes, short_hash


def parse_text(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    text = decode_text(src.label, read_bytes(src, settings))
    return [article_from_text(text, path=src.path, label=src.label)], []


def article_from_text(
    text: str,
    *,
    path: Path | None = None,
    label: str | None = None,
    fmt: str = "text",
    title: str | None = None,
    url: str | None = None,
) -> Article:
    """An Article with the raw page text and the metadata its lines give (never raises).

    ``title`` and ``url`` come from a record beside its text (``fmt="json"``): the title is
    checked (a date line or a photo credit is not a headline), the record's first text line is
    taken as its headline only when it really is one, and a date in the address is used when
    the page prints none.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta = page_metadata(text, title=title, url=url, record=fmt != "text")
    # A file's stem is stable and readable ("000_d416aec6b4ffc9c2"); stdin gets a content hash.
    article_id = path.stem.split(".")[0] if path is not None else short_hash(text)
    return Article(
        id=article_id,
        text=text,
        path=str(path) if path is not None else label,
        url=url,
        source=meta.source,
        source_evidence=meta.source_evidence,
        title=meta.title,
        published=meta.published,
        published_evidence=meta.published_evidence,
        authors=meta.authors,
        fmt=fmt,
    )
