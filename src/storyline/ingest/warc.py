"""WARC archives (.warc, .warc.gz): every HTML response record is read as an HTML page."""

from __future__ import annotations

import io
from dataclasses import replace

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .html import article_from_html
from .sources import Source, read_bytes, short_hash


def parse_warc(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    data = read_bytes(src, settings)
    articles: list[Article] = []
    problems: list[InputError] = []
    pages = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response":
                continue
            ctype = (
                record.http_headers.get_header("Content-Type") if record.http_headers else ""
            ) or ""
            if "html" not in ctype.lower():
                continue
            status = record.http_headers.get_statuscode() if record.http_headers else "200"
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"record {pages + 1}"
            pages += 1
            if status and not str(status).startswith("2"):
                problems.append(
                    InputError(f"{src.label} {uri}", f"HTTP status {status}, not a page")
                )
                continue
            body = record.content_stream().read()
            try:
                articles.append(
                    article_from_html(
                        body,
                        label=f"{src.label} {uri}",
                        url=uri,
                        article_id=short_hash(uri),
                        min_words=settings.min_words,
                    )
                )
            except InputError as err:
                problems.append(err)
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        raise InputError(src.label, f"not a readable WARC file ({exc})") from None
    if pages == 0 and not problems:
        raise InputError(src.label, "WARC file has no HTML response records")
    return [replace(a, path=src.label) for a in articles], problems
