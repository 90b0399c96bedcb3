"""HTML pages: trafilatura finds the article body and metadata, htmldate the publication date."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..models import Article
from ..settings import Settings
from .metadata import MONTH_RE, WEEKDAY_RE, page_metadata
from .sources import Source, read_bytes, short_hash


def parse_html(src: Source, settings: Settings) -> tuple[list[Article], list[InputError]]:
    data = read_bytes(src, settings)
    article = article_from_html(
        data, label=src.label, path=src.path, url=src.url, min_words=settings.min_words
    )
    return [article], []


def extract_body(html: str | bytes) -> str | None:
    """The article body as plain text, one paragraph per line (None when there is none).

    The same call as trafilatura's own benchmark entry, so ``storyline eval extraction`` compares
    like with like; our gains come from ``clean`` afterwards.
    """
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def article_from_html(
    html: str | bytes,
    *,
    label: str,
    path: Path | None = None,
    url: str | None = None,
    article_id: str | None = None,
    min_words: int = 20,
) -> Article:
    """An Article from one HTML page; raises InputError when the page holds no article."""
    import trafilatura
    from htmldate import find_date

    try:
        doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        raise InputError(label, f"cannot parse the HTML ({type(exc).__name__})") from None
    text: str = (getattr(doc, "text", None) or "") if doc is not None else ""
    words = _words(text)
    if words < min_words:
        raise InputError(
            label,
            f"HTML page with no article text (the extractor found {words} words of body text)",
        )

    title = getattr(doc, "title", None) or None
    authors = _authors(getattr(doc, "author", None) or "")
    site = getattr(doc, "sitename", None) or None
    text_meta = page_metadata(text)

    published: str | None = None
    published_evidence: str | None = None
    try:
        published = find_date(html, original_date=True, url=url)
    except Exception:  # htmldate is best effort; the text rules below still apply
        published = None
    if published:
        published_evidence = (
            "publication date in the page's HTML (htmldate: meta tags, markup, URL)"
        )
    else:
        published, published_evidence = text_meta.published, text_meta.published_evidence

    source: str | None
    source_evidence: str | None
    if site:
        source, source_evidence = site, f'site name "{site}" in the page\'s HTML metadata'
        if text_meta.source and text_meta.source.casefold() != site.casefold():
            source_evidence += (
                f"; the text credits {text_meta.source} ({text_meta.source_evidence})"
            )
    else:
        source, source_evidence = text_meta.source, text_meta.source_evidence
    host = getattr(doc, "hostname", None)
    if not source and host:
        source_evidence = f"{source_evidence}; page host {host}"

    return Article(
        id=article_id or (path.name.split(".")[0] if path is not None else short_hash(text)),
        text=text,
        path=str(path) if path is not None else (None if url else label),
        url=url or getattr(doc, "url", None) or None,
        source=source,
        source_evidence=source_evidence,
        title=title,
        published=published,
        published_evidence=published_evidence,
        authors=authors or text_meta.authors,
        fmt="html",
    )


_DATE_WORDS = re.compile(
    rf"(?:^|\s+)(?:{WEEKDAY_RE}|{MONTH_RE}|Updated|Published|Posted)$", re.IGNORECASE
)


def _authors(raw: str) -> tuple[str, ...]:
    """trafilatura's author string, minus the dates and words it sometimes sweeps in."""
    out = []
    for part in raw.split(";"):
        name = " ".join(part.split()).strip(" ,")
        while _DATE_WORDS.search(name):  # "Jeff Foust Monday" -> "Jeff Foust"; "November" -> ""
            name = _DATE_WORDS.sub("", name).strip(" ,")
        if name and any(w[:1].isupper() for w in name.split()) and name not in out:
            out.append(name)
    return tuple(out)


def _words(text: str) -> int:
    """Words, counting two CJK characters as one (Chinese and Japanese have no spaces)."""
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return len(text.split()) + cjk // 2
