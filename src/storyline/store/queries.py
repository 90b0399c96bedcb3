"""Read-only queries over a store, for ``storyline serve``: the story list with search and
filters, one story, its articles and its cached briefing, one article.

Each function takes an open ``sqlite3.Connection`` (see ``connect_readonly``) and never
writes; the web app keeps one such connection per thread. The schema is the one
``migrations.py`` builds (migration 3 adds the search index and the briefing figures).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..models import Article, Post, Removed

# Markers around the matched words of a search snippet; the page escapes the snippet, then
# turns them into <mark>. Control characters never occur in stored article text shown to people.
HIT_START = "\x02"
HIT_END = "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 12


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A connection that cannot write (``mode=ro``): page views never change the store."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"{p}: no store there; create one with `storyline track ... --db {p}`")
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p}: cannot read the store ({exc})") from exc
    return conn


def fts_query(text: str | None) -> str | None:
    """A user's words as a safe FTS5 query: every word must occur, the last one as a prefix.

    Quotes, operators and column filters typed by a user are taken as plain words, so no input
    can be an FTS5 syntax error.
    """
    words = _WORD.findall(text or "")[:MAX_QUERY_WORDS]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


@dataclass(frozen=True)
class StorySummary:
    """One story in the list: what the store and its cached briefing say about it."""

    id: str
    title: str | None
    articles: int
    outlets: int
    first_published: str | None
    last_published: str | None
    created: str
    updated: str
    brief_updated: str | None  # None: no briefing yet
    claims: int | None
    contested: int | None
    corroborated: int | None
    conflicts: int | None
    events: int | None
    snippet: str | None = None  # search hit, with HIT_START / HIT_END around matched words

    @property
    def brief_fresh(self) -> bool:
        """A briefing exists and was made after the story last changed."""
        return self.brief_updated is not None and self.brief_updated >= self.updated


_SUMMARY_COLUMNS = """
    s.id, coalesce(bs.title, s.title),
    (SELECT count(*) FROM membership m WHERE m.story_id = s.id),
    (SELECT count(DISTINCT coalesce(a.source, a.id)) FROM membership m
        JOIN articles a ON a.id = m.article_id WHERE m.story_id = s.id),
    s.first_published, s.last_published, s.created, s.updated, b.updated,
    bs.claims, bs.contested, bs.corroborated, bs.conflicts, bs.events
"""
_SUMMARY_JOINS = """
    FROM stories s
    LEFT JOIN briefs b ON b.story_id = s.id
    LEFT JOIN brief_stats bs ON bs.story_id = s.id
"""


def _summary(row: tuple[Any, ...], snippet: str | None = None) -> StorySummary:
    (sid, title, articles, outlets, first, last, created, updated, brief_updated,
     claims, contested, corroborated, conflicts, events) = row[:14]
    return StorySummary(sid, title, articles, outlets, first, last, created, updated, brief_updated,
                        claims, contested, corroborated, conflicts, events, snippet)


def search_stories(
    conn: sqlite3.Connection,
    query: str | None = None,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[StorySummary], int]:
    """A page of stories and the number of all that match.

    ``query``: words in an article's title or text (best match first, else most recently
    updated first); ``outlet``: stories with an article from it; ``date_from`` / ``date_to``
    (ISO dates): stories whose publication span overlaps the range.
    """
    where: list[str] = []
    args: list[object] = []
    match = fts_query(query)
    hits = ""
    if match is not None:
        hits = (
            " JOIN (SELECT m.story_id AS sid, min(f.rank) AS score FROM articles_fts f"
            " JOIN article_docids d ON d.docid = f.rowid"
            " JOIN membership m ON m.article_id = d.article_id"
            " WHERE articles_fts MATCH ? GROUP BY m.story_id) h ON h.sid = s.id"
        )
        args.append(match)
    if outlet:
        where.append(
            "s.id IN (SELECT m.story_id FROM membership m JOIN articles a ON a.id = m.article_id"
            " WHERE a.source = ?)"
        )
        args.append(outlet)
    if date_from:
        where.append("coalesce(s.last_published, s.first_published) >= ?")
        args.append(date_from)
    if date_to:
        # a partial date ("2023-09") compares below its days, so compare with the range's end
        where.append("s.first_published <= ?")
        args.append(date_to + "\uffff")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT count(*) FROM stories s{hits}{clause}", args).fetchone()[0])
    order = "h.score, s.updated DESC, s.id" if match is not None else "s.updated DESC, s.id"
    rows = conn.execute(
        f"SELECT {_SUMMARY_COLUMNS} {_SUMMARY_JOINS}{hits}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
        [*args, int(limit), int(offset)],
    ).fetchall()
    out = []
    for row in rows:
        snippet = _snippet(conn, match, row[0]) if match is not None else None
        out.append(_summary(row, snippet))
    return out, total


def _snippet(conn: sqlite3.Connection, match: str, story_id: str) -> str | None:
    row = conn.execute(
        "SELECT snippet(articles_fts, -1, ?, ?, '…', 16) FROM articles_fts f"
        " JOIN article_docids d ON d.docid = f.rowid JOIN membership m ON m.article_id = d.article_id"
        " WHERE articles_fts MATCH ? AND m.story_id = ? ORDER BY f.rank LIMIT 1",
        (HIT_START, HIT_END, match, story_id),
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def story_summary(conn: sqlite3.Connection, story_id: str) -> StorySummary | None:
    row = conn.execute(f"SELECT {_SUMMARY_COLUMNS} {_SUMMARY_JOINS} WHERE s.id = ?", (story_id,)).fetchone()
    return _summary(row) if row else None


def story_versions(conn: sqlite3.Connection, story_id: str) -> tuple[str, str | None] | None:
    """(when the story last changed, when its briefing was made) or None for no such story: the
    two primary-key lookups a cached page needs to know it is still right."""
    row = conn.execute(
        "SELECT s.updated, b.updated FROM stories s LEFT JOIN briefs b ON b.story_id = s.id WHERE s.id = ?",
        (story_id,),
    ).fetchone()
    return (str(row[0]), row[1]) if row else None


def count_stories(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])


def outlets(conn: sqlite3.Connection, limit: int = 200) -> list[tuple[str, int]]:
    """Known outlets with their number of articles, most frequent first (the list's filter)."""
    return [
        (str(r[0]), int(r[1]))
        for r in conn.execute(
            "SELECT source, count(*) FROM articles WHERE source IS NOT NULL"
            " GROUP BY source ORDER BY count(*) DESC, source LIMIT ?",
            (limit,),
        )
    ]


@dataclass(frozen=True)
class ArticleRow:
    """An article as stored, with the story it belongs to."""

    id: str
    url: str | None
    title: str | None
    source: str | None
    published: str | None
    added: str
    story_id: str | None
    text: str
    metadata: dict[str, Any]


    def to_article(self) -> Article:
        """The stored article with its metadata (as ``Store.get_article`` gives it)."""
        m = self.metadata
        return Article(
            id=self.id, text=self.text, path=m.get("path"), url=self.url, source=self.source,
            source_evidence=m.get("source_evidence"), title=self.title, published=self.published,
            published_evidence=m.get("published_evidence"), authors=tuple(m.get("authors", ())),
            posts=tuple(Post(start=int(p.get("start", 0)), title=p.get("title"), published=p.get("published"),
                             authors=tuple(p.get("authors", ()))) for p in m.get("posts", ())),
            removed=tuple(Removed(str(r.get("text", "")), str(r.get("reason", ""))) for r in m.get("removed", ())),
            captions=tuple(m.get("captions", ())), fmt=m.get("fmt", "text"),
        )


_ARTICLE_COLUMNS = (
    "a.id, a.url, a.title, a.source, a.published, a.added, m.story_id, a.text, a.metadata"
)


def _article(row: tuple[Any, ...]) -> ArticleRow:
    try:
        meta = json.loads(row[8] or "{}")
    except ValueError:
        meta = {}
    aid, url, title, source, published, added, story_id, text = row[:8]
    return ArticleRow(aid, url, title, source, published, added, story_id, text,
                      meta if isinstance(meta, dict) else {})


def article(conn: sqlite3.Connection, article_id: str) -> ArticleRow | None:
    row = conn.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN membership m ON m.article_id = a.id"
        " WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return _article(row) if row else None


def story_articles(conn: sqlite3.Connection, story_id: str) -> list[ArticleRow]:
    """A story's articles in publication order (undated last), as ``Store.story_articles``."""
    return [
        _article(r)
        for r in conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN membership m ON m.article_id = a.id"
            " WHERE m.story_id = ? ORDER BY a.published IS NULL, a.published, a.added, a.id",
            (story_id,),
        )
    ]


def added_since(conn: sqlite3.Connection, story_id: str, since: str) -> set[str]:
    """Ids of the story's articles tracked at or after ``since`` (an ISO UTC date-time)."""
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT a.id FROM articles a JOIN membership m ON m.article_id = a.id"
            " WHERE m.story_id = ? AND a.added >= ?",
            (story_id, since),
        )
    }


@dataclass(frozen=True)
class CachedBrief:
    """The latest briefing of a story, as the JSON text ``track --brief`` stored."""

    json: str
    updated: str


def brief(conn: sqlite3.Connection, story_id: str) -> CachedBrief | None:
    row = conn.execute("SELECT json, updated FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
    return CachedBrief(str(row[0]), str(row[1])) if row else None


def brief_updated(conn: sqlite3.Connection, story_id: str) -> str | None:
    """When the cached briefing was made (cheap: the page cache checks this on every view)."""
    row = conn.execute("SELECT updated FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
    return str(row[0]) if row else None
