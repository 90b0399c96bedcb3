"""WARC archives (.warc, .warc.gz): every HTML response record is read as an HTML page.

The archive is streamed (never held whole) through ``limits.LimitedReader``, so its size, its
decompression and each record's body stay under the limits. An archive that ends early, a record
shorter than its Content-Length, or a record that does not end where its length says are
reported with what was read and what was lost; the pages read before the damage are kept.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import replace
from typing import Any, BinaryIO

from ..errors import InputError, LimitError, StorylineError
from ..models import Article
from ..settings import Settings
from .html import article_from_html
from .limits import CHUNK, LimitedReader
from .session import PROGRESS_EVERY, current
from .sources import Source, short_hash


def parse_warc(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    if src.data is not None:
        return _parse(io.BytesIO(src.data), src, settings)
    assert src.path is not None
    try:
        fh = src.path.open("rb")
    except OSError as exc:
        raise InputError(src.label, f"cannot read the file ({exc.strerror or exc})") from None
    with fh:
        return _parse(fh, src, settings)


def _parse(fh: BinaryIO, src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.limitreader import LimitReader

    label = src.label
    reader = LimitedReader(fh, label, settings)
    articles: list[Article] = []
    problems: list[InputError] = []
    say = current(settings).say
    records = pages = whole = 0
    uri = ""
    damage: str | None = None
    # warcio prints its warnings (a record whose length is wrong) to stderr; they become problems.
    chatter = io.StringIO()
    with contextlib.redirect_stderr(chatter):
        try:
            it = ArchiveIterator(reader)
            errors = 0
            while True:
                try:
                    record = next(it)
                except StopIteration:
                    break
                if it.err_count > errors:
                    errors = it.err_count
                    problems.append(InputError(
                        f"{label} {uri or f'record {records}'}",
                        "the record does not end where its Content-Length says; its text may be "
                        "cut short or run into the next record",
                    ))
                records += 1
                if records > settings.max_records:
                    problems.append(LimitError(
                        label, f"more than {settings.max_records:,} records: read the first "
                        f"{settings.max_records:,}, the rest not read", "--max-records"))
                    break
                if records % PROGRESS_EVERY == 0:
                    say(f"read {records:,} records of {label}")
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"record {records}"
                try:
                    body, status, html = _response(record, f"{label} {uri}", settings, problems)
                except StorylineError:
                    raise
                except Exception as exc:  # a broken chunked or gzip body: this record only
                    problems.append(InputError(
                        f"{label} {uri}", f"cannot read the record's content ({_describe(exc)})"))
                    body, status, html = None, None, False
                raw = record.raw_stream
                while raw.read(CHUNK):  # the rest of the record: is it all there?
                    pass
                if isinstance(raw, LimitReader) and raw.limit > 0:
                    damage = (f"truncated WARC: record {records} ({uri}) has {raw.limit:,} bytes "
                              "fewer than its Content-Length says")
                    break
                whole += 1
                if not html:
                    continue
                pages += 1
                if status and not str(status).startswith("2"):
                    problems.append(InputError(f"{label} {uri}", f"HTTP status {status}, not a page"))
                    continue
                if body is None:
                    continue
                try:
                    articles.append(article_from_html(
                        body, label=f"{label} {uri}", url=uri, article_id=short_hash(uri),
                        min_words=settings.min_words))
                except InputError as err:
                    problems.append(err)
        except LimitError as exc:
            damage = f"stopped reading: {exc.reason}"
        except StorylineError:
            raise
        except Exception as exc:  # warcio's parser raises assorted errors on a malformed record
            if records == 0 and not pages:
                raise InputError(
                    label, "not a readable WARC file: its first record is cut short or malformed "
                    f"(the WARC parser says {_describe(exc)})") from None
            damage = f"corrupt WARC record after record {records} ({_describe(exc)})"
    if reader.truncated is not None:  # the gzip layer ended early: say so first
        damage = reader.truncated.reason + (f", inside record {records} ({uri})" if damage else "")
    if damage is not None:
        kept = f"{_n(whole, 'whole record')} read before it ({_n(len(articles), 'article')} kept)"
        problems.append(InputError(label, f"{damage}; {kept}, the rest of the archive is lost"))
    elif pages == 0 and not problems:
        raise InputError(label, "WARC file has no HTML response records")
    return [replace(a, path=label) for a in articles], problems


def _response(
    record: Any, where: str, settings: Settings, problems: list[InputError]
) -> tuple[bytes | None, str | None, bool]:
    """(body, HTTP status, is an HTML response) of a record; the body is read under the limit."""
    if record.rec_type != "response" or not record.http_headers:
        return None, None, False
    ctype = record.http_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return None, None, False
    status = record.http_headers.get_statuscode()
    if status and not str(status).startswith("2"):
        return None, status, True
    stream = record.content_stream()  # undoes chunked and gzip transfer: bounded here too
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > settings.max_bytes:
            problems.append(LimitError(
                where, f"page is too large (more than {settings.max_bytes:,} bytes)", "--max-bytes"))
            return None, status, True
        parts.append(chunk)
    return b"".join(parts), status, True


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
