"""From INPUTS (files, folders, globs; local or any fsspec URL) to partitions of work.

A partition is a few megabytes of input: a run of small files, or a byte range of a large JSONL
file (a record belongs to the range its line starts in). Its id is a hash of what it reads
(names, ranges, sizes, modification times), never of the cluster, so the same input gives the
same partitions, and the same ids, on any number of workers; a rerun finds the partitions it has
already done by id.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import InputError, InternalError
from ..ingest import reader_for
from ..ingest.language import not_english
from ..ingest.records import article_from_record
from ..ingest.sources import EXTENSIONS, NOT_ARTICLES, Source, kind_of_name, sniff
from ..models import Article
from ..settings import Settings

GLOB_CHARS = "*?["


@dataclass(frozen=True)
class Piece:
    """One file, or the records of a JSONL file whose lines start in [start, end)."""

    url: str  # a local path or an fsspec URL, as given or found
    kind: str  # key in ingest.READERS, or "sniff"
    size: int
    stamp: str  # modification time or ETag: a changed file is a new piece
    start: int = 0
    end: int | None = None  # None: the whole file

    @property
    def label(self) -> str:
        if self.end is None:
            return self.url
        return f"{self.url} (bytes {self.start}-{self.end})"


@dataclass(frozen=True)
class Partition:
    id: str
    index: int  # position in input order: articles are numbered in this order, as track reads them
    pieces: tuple[Piece, ...]


def is_remote(url: str) -> bool:
    return "://" in url and not url.startswith("file://")


def _fs(url: str) -> tuple[Any, str]:
    import fsspec.core

    return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]


def _stamp(info: dict[str, Any]) -> str:
    for key in ("mtime", "LastModified", "last_modified", "ETag", "etag", "updated", "created"):
        if info.get(key) is not None:
            return str(info[key])
    return ""


def _hidden(path: str) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in path.split("/"))


def _unstrip(url: str, fs: Any, path: str) -> str:
    """A path the filesystem returned, as a URL of the same kind the user gave."""
    if not is_remote(url):
        return path
    return fs.unstrip_protocol(path)  # type: ignore[no-any-return]


def expand_inputs(inputs: list[str] | tuple[str, ...]) -> tuple[list[Piece], list[InputError]]:
    """Files (any kind), folders (walked, sorted, hidden and README-like files skipped), globs."""
    pieces: list[Piece] = []
    problems: list[InputError] = []
    seen: set[str] = set()

    def add(url: str, info: dict[str, Any], explicit: bool) -> None:
        if url in seen:
            return
        seen.add(url)
        kind = kind_of_name(url.rsplit("/", 1)[-1]) or ("sniff" if explicit else None)
        if kind is None:
            return
        if kind in ("feed", "url"):
            problems.append(InputError(url, "RSS/Atom feeds are read by `storyline track`, not by batch"))
            return
        pieces.append(Piece(url, kind, int(info.get("size") or 0), _stamp(info)))

    for arg in inputs:
        if arg.startswith("file://"):
            arg = arg[len("file://"):]
        try:
            fs, path = _fs(arg)
        except (ImportError, ValueError) as exc:
            problems.append(InputError(arg, f"cannot open this location ({exc})"))
            continue
        try:
            if any(ch in path for ch in GLOB_CHARS) and not fs.exists(path):
                found = sorted(fs.glob(path, detail=True).items())
                files = [(p, i) for p, i in found if i.get("type") == "file" and not _hidden(p)]
                if not files:
                    problems.append(InputError(arg, "no file matches this pattern"))
                for p, info in files:
                    add(_unstrip(arg, fs, p), info, explicit=True)
            elif fs.isdir(path):
                found = sorted(fs.find(path, detail=True).items())
                root = path.rstrip("/") + "/"
                files = [
                    (p, i) for p, i in found
                    if not _hidden(p[len(root):]) and not NOT_ARTICLES.match(p.rsplit("/", 1)[-1])
                    and kind_of_name(p.rsplit("/", 1)[-1])
                ]
                if not files:
                    problems.append(InputError(arg, "folder has no readable articles (looked for "
                                               f"{', '.join(sorted(EXTENSIONS))}, .gz)"))
                for p, info in files:
                    add(_unstrip(arg, fs, p), info, explicit=False)
            elif fs.isfile(path):
                add(arg, fs.info(path), explicit=True)
            else:
                problems.append(InputError(arg, "no such file or directory; check the path"))
        except OSError as exc:
            problems.append(InputError(arg, f"cannot list this location ({exc})"))
    return pieces, problems


def plan_partitions(pieces: list[Piece], target_bytes: int) -> list[Partition]:
    """Group small files and split large plain JSONL files into partitions of about ``target_bytes``."""
    groups: list[list[Piece]] = []
    current: list[Piece] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        if current:
            groups.append(current)
        current, size = [], 0

    for piece in pieces:
        splittable = piece.kind == "jsonl" and not piece.url.lower().endswith(".gz")
        if splittable and piece.size > target_bytes:
            flush()
            for start in range(0, piece.size, target_bytes):
                groups.append([replace(piece, start=start, end=min(piece.size, start + target_bytes))])
            continue
        if piece.kind == "warc" or piece.size >= target_bytes:
            flush()
            groups.append([piece])
            continue
        if size + piece.size > target_bytes:
            flush()
        current.append(piece)
        size += piece.size
    flush()
    out = []
    for index, group in enumerate(groups):
        basis = json.dumps([[p.url, p.kind, p.size, p.stamp, p.start, p.end] for p in group])
        out.append(Partition("p" + hashlib.sha1(basis.encode()).hexdigest()[:15], index, tuple(group)))
    return out


# --- reading one partition (on a worker) ------------------------------------------------------------


def _read(piece: Piece) -> tuple[bytes, int]:
    """The piece's bytes, and the file offset they start at."""
    import fsspec

    if not is_remote(piece.url) and piece.end is None:
        return Path(piece.url).read_bytes(), 0
    with fsspec.open(piece.url, "rb") as fh:
        if piece.end is None:
            return fh.read(), 0
        return _line_block(fh, piece.start, piece.end)


def _line_block(fh: Any, start: int, end: int) -> tuple[bytes, int]:
    """The whole lines that start in [start, end), and the offset of the first one."""
    if start > 0:
        fh.seek(start - 1)
        fh.readline()  # the rest of a line that started before us (or just its newline)
    else:
        fh.seek(0)
    first = fh.tell()
    out = io.BytesIO()
    while fh.tell() < end:
        line = fh.readline()
        if not line:
            break
        out.write(line)
    return out.getvalue(), first


def read_piece(piece: Piece, settings: Settings) -> Iterator[tuple[Article, str | None] | InputError]:
    """(article not yet cleaned, where in the file) of one piece, and its problems, with ingest's readers."""
    if piece.kind == "jsonl":
        yield from _jsonl(piece, settings)
        return
    try:
        if is_remote(piece.url):
            data, _ = _read(piece)
            src = Source(piece.url, piece.kind, data=data)
        else:
            src = Source(piece.url, piece.kind, path=Path(piece.url))
        if src.kind == "sniff":
            from ..ingest.sources import read_bytes

            data = read_bytes(src, settings)
            src = replace(src, kind=sniff(data), data=data)
        reader = reader_for(src.kind)
        if reader is None:
            raise InputError(piece.label, f"unsupported input kind {src.kind!r}")
        articles, problems = reader(src, settings)
    except InputError as err:
        yield err
        return
    except OSError as exc:
        yield InputError(piece.label, f"cannot read the file ({exc})")
        return
    except Exception as exc:  # noqa: BLE001 - a reader's bug costs this input only
        yield InternalError(piece.label, exc)
        return
    yield from problems
    if not articles and not problems:
        yield InputError(piece.label, "no articles found in this input")
    for article in articles:
        record = article.url if piece.kind == "warc" else None
        yield _english(replace(article, path=article.path or piece.url), piece.label, record)


def _jsonl(piece: Piece, settings: Settings) -> Iterator[tuple[Article, str | None] | InputError]:
    """JSONL line by line with ``ingest.records.article_from_record``: a bad line is one error."""
    import gzip

    try:
        data, offset = _read(piece)
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        yield InputError(piece.label, f"cannot read the file ({exc})")
        return
    where_base = piece.url
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        # a file split into partitions: the byte offset of the line (line numbers would need
        # every earlier partition read first)
        record = f"line {lineno}" if piece.start == 0 else f"line at byte {offset}"
        where = f"{where_base} {record}"
        offset += len(raw) + 1
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield InputError(where, f"not UTF-8 text (invalid byte at column {exc.start + 1})")
            continue
        if len(raw) > settings.max_bytes:
            yield InputError(where, f"record is too large ({len(raw):,} bytes > max_bytes {settings.max_bytes:,})")
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            article = article_from_record(item, where, None)
        except InputError as err:
            yield err
            continue
        except Exception as exc:  # noqa: BLE001 - a bug costs this record only
            yield InternalError(where, exc)
            continue
        yield _english(replace(article, path=piece.url), where, record)


def _english(article: Article, where: str, record: str | None) -> tuple[Article, str | None] | InputError:
    language = not_english(article.text)
    if language:
        return InputError(where, f"not English (looks like {language}); storyline reads English news only")
    return article, record
