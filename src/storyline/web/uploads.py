"""What the add page accepts: pasted text, uploaded files, URLs and feeds, checked before any
of it is kept. A refusal says which item and why (``RequestRefused`` with its HTTP status).

Uploaded files are written under server-chosen names in a fresh temporary folder; the name a
browser sent is only a label, and one holding a path (``/``, ``\\``, ``..``) is refused.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from ..errors import RequestRefused
from ..ingest.sources import kind_of_name
from ..report.view import web_url
from ..settings import Settings

ACCEPTED = ".txt, .html, .htm, .json, .jsonl, .warc, .warc.gz, .rss, .atom (or any of them .gz)"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CHUNK = 256 * 1024


class Upload(Protocol):
    """What the web framework hands over for one file (Starlette's UploadFile)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Pasted:
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "title": self.title, "outlet": self.outlet, "url": self.url,
                "published": self.published}


@dataclass
class AddRequest:
    """Everything one add request asked for, ready for the background job."""

    pasted: list[Pasted] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (name as sent, saved path)
    urls: list[str] = field(default_factory=list)
    folder: str | None = None  # the temporary folder holding the files

    def as_dict(self) -> dict[str, Any]:
        return {"pasted": [p.as_dict() for p in self.pasted], "files": [list(f) for f in self.files],
                "urls": self.urls, "folder": self.folder}

    def discard(self) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def check_name(name: str | None) -> str:
    """The file name as sent, if it is a plain name with a type storyline reads."""
    if not name or not name.strip():
        raise RequestRefused("a file was sent without a name; give each file its name", 400)
    shown = _CONTROL.sub("?", name)[:200]
    parts = re.split(r"[/\\]", name)
    if len(parts) > 1 or name in (".", "..") or ".." in parts or _CONTROL.search(name) or len(name) > 255:
        raise RequestRefused(
            f"{shown!r}: refused: a file name must be a plain name, without a folder path "
            "('/', '\\', '..') or control characters", 400)
    if name.startswith("."):
        raise RequestRefused(f"{shown!r}: refused: hidden files (a name starting with '.') are not taken", 400)
    if kind_of_name(name) not in ("text", "html", "json", "jsonl", "warc", "feed"):
        raise RequestRefused(
            f"{shown!r}: refused: not a kind of file storyline reads; send {ACCEPTED}", 415)
    return name


async def save_files(files: list[Upload], settings: Settings, request: AddRequest) -> None:
    """Check every file's name, then copy each in chunks, refusing one over the size limit."""
    files = [f for f in files if f.filename]  # a browser sends an empty part for "no file"
    if len(files) > settings.web_max_upload_files:
        raise RequestRefused(
            f"refused: {len(files)} files in one upload; at most {settings.web_max_upload_files}", 413)
    names = [check_name(f.filename) for f in files]
    if not files:
        return
    folder = Path(tempfile.mkdtemp(prefix="storyline-upload-"))
    request.folder = str(folder)
    for i, (upload, name) in enumerate(zip(files, names, strict=True)):
        lower = name.lower()
        suffix = ".warc.gz" if lower.endswith(".warc.gz") else "".join(Path(lower).suffixes[-2:])
        target = folder / f"{i:03d}{suffix}"  # our name, never the sender's
        size = 0
        with target.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > settings.web_max_upload_bytes:
                    request.discard()
                    raise RequestRefused(
                        f"{name!r}: refused: larger than the {mb(settings.web_max_upload_bytes)} limit "
                        "for one file (setting web_max_upload_bytes)", 413)
                out.write(chunk)
        if size == 0:
            request.discard()
            raise RequestRefused(f"{name!r}: refused: the file is empty", 400)
        request.files.append((name, str(target)))


def check_paste(text: str | None, title: str | None, outlet: str | None, url: str | None,
                published: str | None, settings: Settings) -> Pasted | None:
    """A pasted article, or None when no text was pasted (and no field was filled in)."""
    body = (text or "").strip()
    if not body:
        if any((f or "").strip() for f in (title, outlet, url, published)):
            raise RequestRefused("refused: the pasted article has no text; paste the article's text", 400)
        return None
    if len(body) > settings.web_max_paste_chars:
        raise RequestRefused(
            f"refused: the pasted text has {len(body):,} characters; at most {settings.web_max_paste_chars:,}", 413)
    link = (url or "").strip() or None
    if link is not None and web_url(link) is None:
        raise RequestRefused(f"{link[:200]!r}: refused: the article's address must start with http:// or https://", 400)
    day = (published or "").strip() or None
    if day is not None:
        try:
            day = date.fromisoformat(day).isoformat()
        except ValueError:
            raise RequestRefused(f"{day[:40]!r}: refused: the publication date must be YYYY-MM-DD", 400) from None
    return Pasted(body, (title or "").strip() or None, (outlet or "").strip() or None, link, day)


def check_urls(text: str | None, settings: Settings) -> list[str]:
    """One URL (article or feed) per line; only http(s) addresses."""
    urls = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(urls) > settings.web_max_urls:
        raise RequestRefused(f"refused: {len(urls)} addresses in one request; at most {settings.web_max_urls}", 413)
    for u in urls:
        if web_url(u) is None:
            raise RequestRefused(f"{u[:200]!r}: refused: only http:// and https:// addresses are fetched", 400)
    return urls


FIELDS = ("text", "title", "outlet", "url", "published", "urls")


async def read_form(request: Any, settings: Settings) -> tuple[AddRequest, dict[str, str]]:
    """The add form of a request (Starlette's): the checked request, and its text fields (to
    show the form again after a refusal). Raises ``RequestRefused``."""
    form = await request.form(
        max_files=settings.web_max_upload_files + 1,
        max_fields=50,
        max_part_size=settings.web_max_paste_chars * 4 + 4096,
    )
    fields = {k: v for k in FIELDS if isinstance(v := form.get(k), str)}
    add = AddRequest()
    try:
        pasted = check_paste(fields.get("text"), fields.get("title"), fields.get("outlet"), fields.get("url"),
                             fields.get("published"), settings)
        if pasted is not None:
            add.pasted.append(pasted)
        add.urls = check_urls(fields.get("urls"), settings)
        files = [f for f in form.getlist("files") if not isinstance(f, str)]
        await save_files(files, settings, add)
    except RequestRefused:
        add.discard()
        raise
    finally:
        await form.close()
    if not (add.pasted or add.files or add.urls):
        raise RequestRefused("nothing to add: paste an article's text, choose files, or give addresses", 400)
    return add, fields
