"""Reading under limits: bytes counted while they arrive, gzip inflated in bounded steps.

Nothing here holds more than ``max_bytes`` of one input, whatever the input claims about itself:
a file is read in chunks, standard input is read until the limit and no further, a gzip stream
is inflated a bounded step at a time with its expansion ratio watched (a "gzip bomb" of zeros
stops after about ``RATIO_FLOOR`` bytes, not after gigabytes). A stream that ends early or holds
corrupt data is reported as such with how much was read, never passed on as if it were whole.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from ..errors import InputError, LimitError
from ..settings import Settings

CHUNK = 1 << 16
RATIO_FLOOR = 1 << 20  # below a megabyte of output a high ratio is harmless (and common)
GZIP_MAGIC = b"\x1f\x8b"


class Truncated(InputError):
    """A compressed stream or an archive that ends early or is corrupt; ``data`` holds what was
    read before the damage (possibly nothing)."""

    def __init__(self, source: str, reason: str, data: bytes = b"") -> None:
        super().__init__(source, reason)
        self.data = data


def too_large(label: str, limit: int, what: str = "input") -> LimitError:
    return LimitError(label, f"{what} is too large (more than {limit:,} bytes)", "--max-bytes")


class Inflater:
    """Decompress a gzip stream (several members allowed) chunk by chunk under the limits.

    ``feed`` yields the decompressed pieces and raises ``LimitError`` past ``max_bytes`` of
    output or past ``max_ratio`` (once the output is over ``RATIO_FLOOR``), ``Truncated`` on
    corrupt data; ``close`` raises ``Truncated`` when the stream ended early.
    """

    def __init__(self, label: str, settings: Settings) -> None:
        self.label = label
        self.limit, self.ratio = settings.max_bytes, settings.max_ratio
        self.d = zlib.decompressobj(wbits=31)
        self.read_in = self.out = 0
        self.started = False

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        self.read_in += len(chunk)
        pending = chunk
        while pending:
            if self.d.eof:  # the next gzip member (or trailing bytes)
                if not pending.lstrip(b"\x00"):
                    return  # zero padding after the last member, as tape archives have
                self.d = zlib.decompressobj(wbits=31)
            try:
                # ``max_length`` bounds every step: one compressed chunk cannot expand unchecked.
                piece = self.d.decompress(pending, CHUNK)
            except zlib.error as exc:
                raise Truncated(
                    self.label, f"corrupt gzip data after {self.out:,} bytes of content ({exc})"
                ) from None
            self.started = True
            pending = self.d.unconsumed_tail or (self.d.unused_data if self.d.eof else b"")
            if not piece:
                continue
            self.out += len(piece)
            if self.out > self.limit:
                raise too_large(self.label, self.limit, "decompressed input")
            if self.out > RATIO_FLOOR and self.out > self.ratio * max(self.read_in, 1):
                raise LimitError(
                    self.label,
                    f"decompresses to more than {self.ratio} times its compressed size "
                    f"({self.out:,} bytes from {self.read_in:,}): a decompression bomb?",
                    "--max-ratio",
                )
            yield piece

    def close(self) -> None:
        if self.started and not self.d.eof:
            raise Truncated(
                self.label, f"truncated gzip stream: it ends after {self.out:,} bytes of content, "
                "before its end marker")


def inflate(chunks: Iterable[bytes], label: str, settings: Settings) -> Iterator[bytes]:
    """The decompressed pieces of a gzip stream given in chunks (see ``Inflater``)."""
    inflater = Inflater(label, settings)
    for chunk in chunks:
        yield from inflater.feed(chunk)
    inflater.close()


def file_chunks(fh: BinaryIO) -> Iterator[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def read_limited(fh: BinaryIO, label: str, settings: Settings, *, gunzip: bool = True) -> bytes:
    """All bytes of ``fh`` (inflated when it is gzip and ``gunzip``), refusing more than
    ``max_bytes``. A truncated or corrupt gzip stream raises ``Truncated`` carrying what was read."""
    limit = settings.max_bytes
    chunks = file_chunks(fh)
    first = next(chunks, b"")
    if gunzip and first[:2] == GZIP_MAGIC:
        parts: list[bytes] = []
        try:
            for piece in inflate(_prepend(first, chunks), label, settings):
                parts.append(piece)
        except Truncated as exc:
            raise Truncated(exc.source, exc.reason, b"".join(parts)) from None
        return b"".join(parts)
    parts = [first]
    size = len(first)
    for chunk in chunks:
        size += len(chunk)
        if size > limit:  # stop reading here: standard input may never end
            raise too_large(label, limit)
        parts.append(chunk)
    if size > limit:
        raise too_large(label, limit)
    return b"".join(parts)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


class LimitedReader:
    """A binary file-like object over an input, inflated when gzip, under the limits.

    For readers that stream (WARC): ``read`` raises ``LimitError`` as ``read_limited`` does, but
    a truncated or corrupt gzip stream reads as an early end of file, with ``truncated`` set, so
    the reader can keep what came before the damage.
    """

    def __init__(self, fh: BinaryIO, label: str, settings: Settings) -> None:
        chunks = file_chunks(fh)
        first = next(chunks, b"")
        self.compressed = first[:2] == GZIP_MAGIC
        source = _prepend(first, chunks)
        self._chunks = inflate(source, label, settings) if self.compressed else self._count(source)
        self._buf = bytearray()
        self._eof = False
        self.label = label
        self.limit = settings.max_bytes
        self.consumed = 0  # bytes handed out so far (after decompression)
        self.truncated: Truncated | None = None

    def _count(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > self.limit:
                raise too_large(self.label, self.limit)
            yield chunk

    def _fill(self, n: int) -> None:
        while not self._eof and (n < 0 or len(self._buf) < n):
            try:
                chunk = next(self._chunks, None)
            except Truncated as exc:
                self.truncated, chunk = exc, None
            if chunk is None:
                self._eof = True
            else:
                self._buf += chunk

    def read(self, n: int | None = -1) -> bytes:
        n = -1 if n is None else n
        self._fill(n)
        if n < 0 or n >= len(self._buf):
            out = bytes(self._buf)
            self._buf.clear()
        else:
            out = bytes(self._buf[:n])
            del self._buf[:n]
        self.consumed += len(out)
        return out

    def readline(self, n: int | None = -1) -> bytes:
        n = -1 if n is None else n
        while True:
            end = self._buf.find(b"\n")
            if end >= 0 or self._eof or (0 <= n <= len(self._buf)):
                break
            self._fill(len(self._buf) + CHUNK)
        stop = end + 1 if end >= 0 else len(self._buf)
        if 0 <= n < stop:
            stop = n
        out = bytes(self._buf[:stop])
        del self._buf[:stop]
        self.consumed += len(out)
        return out

    def close(self) -> None:
        self._buf.clear()
