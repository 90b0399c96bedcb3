"""From command-line inputs to readable sources: expanding paths, reading bytes, sniffing formats.

Every check a user's file can fail (missing, empty, too big, binary, not UTF-8) lives here and
raises ``InputError`` naming the file and how to fix it.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, LimitError
from ..settings import Settings
from .limits import Truncated, read_limited, too_large

# Extensions a directory walk picks up; an explicitly named file of another kind is sniffed.
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed", ".atom": "feed",
}  # fmt: skip
# Files that sit next to articles in a folder but are not articles.
NOT_ARTICLES = re.compile(r"^(readme|license|licence|source|changelog|notes)\b", re.IGNORECASE)
URL_RE = re.compile(r"^https?://", re.IGNORECASE)
MAGIC = {
    b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x7fELF": "an executable", b"\xd0\xcf\x11\xe0": "an old Office document",
    b"SQLite format 3": "an SQLite database",
}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One input to read: a file, stdin or a URL, with the format it will be read as."""

    label: str  # what error messages and Article.path show
    kind: str  # key in ingest.READERS: text, html, json, jsonl, warc (url, feed: later)
    path: Path | None = None
    data: bytes | None = None  # stdin content, read once
    url: str | None = None


def short_hash(text: str) -> str:
    """A stable 12-hex id from text with whitespace and case normalised."""
    key = " ".join(text.split()).casefold()
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def kind_of_name(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return "warc"
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return EXTENSIONS.get(Path(lower).suffix)


def expand(
    inputs: list[str] | tuple[str, ...], settings: Settings
) -> tuple[list[Source], list[InputError]]:
    """Files, directories (recursive, sorted, hidden skipped), globs, URLs and ``-`` -> sources."""
    sources: list[Source] = []
    problems: list[InputError] = []
    seen: set[str] = set()

    def add(src: Source) -> None:
        key = str(src.path.resolve()) if src.path else src.label
        if key not in seen:
            seen.add(key)
            sources.append(src)

    for arg in inputs:
        if arg == "-":
            if sys.stdin is None:
                problems.append(InputError("<stdin>", "no standard input to read"))
                continue
            try:
                data = read_stdin(settings)
            except InputError as err:
                problems.append(err)
                continue
            add(Source("<stdin>", "sniff", data=data))
            continue
        if URL_RE.match(arg):
            add(Source(arg, "url", url=arg))
            continue
        path = Path(arg).expanduser()
        if path.is_dir():
            try:
                found = [p for p in _walk(path) if kind_of_name(p.name)]
            except OSError as exc:
                problems.append(InputError(arg, f"cannot list the directory ({exc.strerror})"))
                continue
            if not found:
                problems.append(
                    InputError(
                        arg,
                        "directory has no readable articles "
                        f"(looked for {', '.join(sorted(EXTENSIONS))}, .gz)",
                    )
                )
            for p in found:
                add(Source(str(p), kind_of_name(p.name) or "text", path=p))
            continue
        if path.is_file():
            add(Source(arg, kind_of_name(path.name) or "sniff", path=path))
            continue
        if any(ch in arg for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True))
            files = [m for m in matches if m.is_file() and not _hidden(m)]
            if not files:
                problems.append(InputError(arg, "no file matches this pattern"))
            for p in files:
                add(Source(str(p), kind_of_name(p.name) or "sniff", path=p))
            continue
        if path.exists():
            problems.append(InputError(arg, "not a regular file or directory"))
        else:
            problems.append(InputError(arg, "no such file or directory; check the path"))
    return sources, problems


def _hidden(path: Path) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in path.parts)


def _walk(root: Path) -> list[Path]:
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if p.is_file() and not _hidden(rel) and not NOT_ARTICLES.match(p.name):
            out.append(p)
    return out


def read_stdin(settings: Settings) -> bytes:
    """Standard input, read up to ``max_bytes`` and no further (it may never end)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream (tests, embedding): bounded the same way
        text = sys.stdin.read(settings.max_bytes + 1)
        data = text.encode("utf-8", errors="surrogatepass")
        if len(text) > settings.max_bytes or len(data) > settings.max_bytes:
            raise too_large("<stdin>", settings.max_bytes, "standard input")
        return data
    return read_limited(stream, "<stdin>", settings)


def read_bytes(src: Source, settings: Settings) -> bytes:
    """The raw bytes of a source, refusing empty, huge and binary inputs.

    Decompresses gzip while reading (under ``max_bytes`` and ``max_ratio``); text in UTF-16 or
    UTF-32 with a byte-order mark comes back as UTF-8.
    """
    if src.data is not None:
        data = src.data
        if len(data) > settings.max_bytes:
            raise too_large(src.label, settings.max_bytes)
        if data[:2] == b"\x1f\x8b" and src.kind != "warc":
            import io

            try:
                data = read_limited(io.BytesIO(data), src.label, settings)
            except Truncated as exc:
                raise Truncated(
                    src.label, f"{exc.reason}; the input is incomplete and was not used", exc.data
                ) from None
    else:
        assert src.path is not None
        try:
            with src.path.open("rb") as fh:
                size = src.path.stat().st_size
                if size > settings.max_bytes:  # said at once, with the size, before reading
                    raise LimitError(
                        src.label, f"file is too large ({size:,} bytes, more than "
                        f"{settings.max_bytes:,})", "--max-bytes")
                data = read_limited(fh, src.label, settings, gunzip=src.kind != "warc")
        except Truncated as exc:
            raise Truncated(
                src.label, f"{exc.reason}; the input is incomplete and was not used", exc.data
            ) from None
        except PermissionError:
            raise InputError(src.label, "permission denied; check the file's permissions") from None
        except IsADirectoryError:
            raise InputError(src.label, "is a directory, not a file") from None
        except OSError as exc:
            raise InputError(src.label, f"cannot read the file ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(src.label, "file is empty")
    if src.kind != "warc" and not (src.kind == "sniff" and sniff(data) == "warc"):
        data = to_utf8(src.label, data)
        check_not_binary(src.label, data)
    return data


# Byte-order marks, longest first: a UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip


def to_utf8(label: str, data: bytes) -> bytes:
    """UTF-16/32 text with a byte-order mark re-encoded as UTF-8; anything else unchanged."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    label,
                    f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                    f"({exc.reason} at byte {exc.start}); re-save it as UTF-8",
                ) from None
            return text.encode("utf-8", errors="replace")
    return data


def check_not_binary(label: str, data: bytes) -> None:
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise InputError(
                label, f"binary file ({what}), not text; give .txt, .html, .json(l) or .warc"
            )
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(
            label, "binary file (contains NUL bytes), not text; give .txt, .html, .json(l) or .warc"
        )
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        raise InputError(label, "binary file (many control bytes), not text")


def decode_text(label: str, data: bytes) -> str:
    """UTF-8 (with or without BOM; UTF-16/32 with a BOM were made UTF-8 by ``read_bytes``).

    Anything else is reported with the encoding a detector guesses, never decoded by a guess.
    """
    data = to_utf8(label, data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint, name = _guess_encoding(data)
        raise InputError(
            label,
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}){hint}; "
            f"re-save it as UTF-8, e.g. iconv -f {name or '<encoding>'} -t utf-8",
        ) from None


def _guess_encoding(data: bytes) -> tuple[str, str | None]:
    """A hint naming chardet's guesses with their confidence, and the encoding to suggest.

    Detectors are often unsure on short or repetitive text, so the confidence is said, and a
    guess chardet makes for English text (the only language storyline reads) is preferred.
    """
    try:
        import chardet
    except ImportError:  # pragma: no cover - a dependency
        return "", None
    guesses = [g for g in chardet.detect_all(data[:65536]) if g.get("encoding")]
    if not guesses:
        return "; chardet cannot tell its encoding", None
    english = [g for g in guesses if g.get("language") == "en"]
    best = (english or guesses)[0]
    others = [g for g in guesses if g is not best][:2]
    hint = f"; chardet guesses {best['encoding']} ({best['confidence']:.0%} confident"
    if others:
        hint += "; also " + ", ".join(f"{g['encoding']} {g['confidence']:.0%}" for g in others)
    return hint + ")", str(best["encoding"])


def sniff(data: bytes) -> str:
    """Guess the format of content with no telling extension: html, json, jsonl, warc or text."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"warc/"):
        return "warc"
    if re.match(rb"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:rdf)\b", head, re.DOTALL):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        head.startswith(b"<") and re.search(rb"<(body|p|div|article|head)\b", data[:65536].lower())
    ):
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first = data.lstrip().split(b"\n", 1)[0].strip()
        rest = data.lstrip()[len(first) :].strip()
        return "jsonl" if first.endswith(b"}") and rest.startswith(b"{") else "json"
    return "text"
