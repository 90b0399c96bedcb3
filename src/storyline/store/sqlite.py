"""The embedded store: one SQLite file in WAL mode, every write in a transaction.

It holds articles (deduplicated by URL and by normalised text), stories, which article belongs
to which story, the tracker's per-story state, and the latest briefing of each story.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError, UsageError
from ..models import Article, Post, Removed
from .migrations import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "storyline.db"
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_path() -> Path:
    """``$STORYLINE_DB`` when set, else ``./storyline.db``."""
    return Path(os.environ.get("STORYLINE_DB") or DEFAULT_DB)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def text_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing normalised away."""
    normal = _NON_WORD.sub(" ", text.casefold()).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def article_key(article: Article, digest: str | None = None) -> str:
    """The store's id of an article: stable, derived from its URL or else its text
    (``digest``: its ``text_hash`` when the caller has it already)."""
    basis = article.url or digest or text_hash(article.text)
    return "a" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:15]


@dataclass(frozen=True)
class StoryRow:
    """One line of ``storyline stories``."""

    id: str
    title: str | None
    articles: int
    outlets: int
    first_published: str | None
    last_published: str | None
    created: str
    updated: str
    has_brief: bool


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    story_id: str | None
    added: str


class Store:
    """A storyline store. Use ``open_store(path)``; close it, or use it as a context manager."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly

    # --- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on any error."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only, cannot write")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write the store ({exc}); is another storyline process using it?") from exc
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    @contextmanager
    def writer_lock(self, wait: float = 600.0, say: Callable[[str], None] | None = None) -> Iterator[None]:
        """Be the only writer of this store until the block ends (other writers wait).

        A lock on ``<store>-lock`` beside the store (``flock``: released by the system when the
        process ends, even when it is killed). Per-article transactions keep what was stored
        safe; this lock keeps a run's in-memory story assignment in step with the store.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: one writer at a time is up to the user
            yield
            return
        lock_path = self.path.with_name(self.path.name + "-lock")
        try:
            fh = lock_path.open("a+b")
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the writer lock {lock_path} ({exc.strerror or exc})") from exc
        with fh:
            deadline = time.monotonic() + wait
            told = 0.0
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    now = time.monotonic()
                    if now >= deadline:
                        raise StoreError(
                            f"{self.path}: another storyline process is writing this store and "
                            f"did not finish within {wait:g} s; try again later or raise --lock-wait"
                        ) from None
                    if say is not None and now - told >= 5.0:
                        say(f"waiting for another storyline process writing {self.path}")
                        told = now
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # --- articles ------------------------------------------------------------------------

    def find_duplicate(self, article: Article, digest: str | None = None) -> str | None:
        """The id of a stored article with the same URL or the same normalised text."""
        row = None
        if article.url:
            row = self.conn.execute("SELECT id FROM articles WHERE url = ?", (article.url,)).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT id FROM articles WHERE text_hash = ?", (digest or text_hash(article.text),)
            ).fetchone()
        return row[0] if row else None

    def insert_article(
        self, conn: sqlite3.Connection, article: Article, added: str, digest: str | None = None
    ) -> str | None:
        """Insert inside a caller's transaction; None (and no change) when it is a duplicate.

        ``digest`` is the article's ``text_hash`` when the caller has it (hashing is not free).
        """
        digest = digest or text_hash(article.text)
        key = article_key(article, digest)
        meta = {
            "path": article.path,
            "source_evidence": article.source_evidence,
            "published_evidence": article.published_evidence,
            "authors": list(article.authors),
            "posts": [asdict(p) for p in article.posts],
            "removed": [asdict(r) for r in article.removed],
            "captions": list(article.captions),
            "fmt": article.fmt,
            "input_id": article.id,
        }
        cur = conn.execute(
            "INSERT OR IGNORE INTO articles (id, url, text_hash, title, source, published, text, metadata, added)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, article.url, digest, article.title, article.source,
             article.published, article.text, json.dumps(meta), added),
        )
        return key if cur.rowcount == 1 else None

    def add_article(self, article: Article, story_id: str | None = None) -> str | None:
        """Store one article (optionally into an existing story) in its own transaction.

        Returns its id, or None when the same URL or the same normalised text is already stored.
        """
        with self.transaction() as conn:
            key = self.insert_article(conn, article, now_iso())
            if key is not None and story_id is not None:
                self._require_story(story_id)
                conn.execute("INSERT INTO membership (story_id, article_id) VALUES (?, ?)", (story_id, key))
            return key

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM articles")}

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get_article(self, article_id: str) -> StoredArticle | None:
        row = self.conn.execute(
            "SELECT a.id, a.url, a.title, a.source, a.published, a.text, a.metadata, a.added, m.story_id"
            " FROM articles a LEFT JOIN membership m ON m.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return _stored(row) if row else None

    # --- stories -------------------------------------------------------------------------

    def next_story_id(self, conn: sqlite3.Connection) -> str:
        n = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        while True:  # count + 1 is free unless ids were made elsewhere; step on until one is
            n += 1
            sid = f"s{n:06d}"
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (sid,)).fetchone() is None:
                return sid

    def create_story(self, conn: sqlite3.Connection, title: str | None, when: str) -> str:
        sid = self.next_story_id(conn)
        conn.execute(
            "INSERT INTO stories (id, title, created, updated) VALUES (?, ?, ?, ?)",
            (sid, title, when, when),
        )
        return sid

    def add_member(
        self, conn: sqlite3.Connection, story_id: str, article_id: str, published: str | None,
        title: str | None, when: str,
    ) -> None:
        conn.execute("INSERT OR IGNORE INTO membership (story_id, article_id) VALUES (?, ?)", (story_id, article_id))
        conn.execute(
            "UPDATE stories SET updated = ?, title = coalesce(title, ?),"
            " first_published = CASE WHEN ?3 IS NULL THEN first_published"
            "   WHEN first_published IS NULL OR ?3 < first_published THEN ?3 ELSE first_published END,"
            " last_published = CASE WHEN ?3 IS NULL THEN last_published"
            "   WHEN last_published IS NULL OR ?3 > last_published THEN ?3 ELSE last_published END"
            " WHERE id = ?4",
            (when, title, published, story_id),
        )

    def _require_story(self, story_id: str) -> None:
        if self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
            raise UsageError(f"no story {story_id!r} in {self.path}; `storyline stories` lists them")

    def list_stories(self, limit: int | None = None) -> list[StoryRow]:
        """Stories, most recently updated first, with their article and outlet counts."""
        sql = (
            "SELECT s.id, s.title, count(m.article_id), count(DISTINCT a.source),"
            " min(a.published), max(a.published), s.created, s.updated,"
            " EXISTS (SELECT 1 FROM briefs b WHERE b.story_id = s.id)"
            " FROM stories s LEFT JOIN membership m ON m.story_id = s.id"
            " LEFT JOIN articles a ON a.id = m.article_id"
            " GROUP BY s.id ORDER BY s.updated DESC, s.id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [
            StoryRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in self.conn.execute(sql)
        ]

    def story(self, story_id: str) -> StoryRow:
        self._require_story(story_id)
        return next(r for r in self.list_stories() if r.id == story_id)

    def story_articles(self, story_id: str, since: str | None = None) -> list[Article]:
        """The articles of a story in publication order (undated last).

        With ``since`` (an ISO date or date-time), only those tracked at or after it: what is new.
        """
        self._require_story(story_id)
        sql = (
            "SELECT a.id, a.url, a.title, a.source, a.published, a.text, a.metadata, a.added, m.story_id"
            " FROM articles a JOIN membership m ON m.article_id = a.id WHERE m.story_id = ?"
        )
        args: list[object] = [story_id]
        if since is not None:
            sql += " AND a.added >= ?"
            args.append(_since(since))
        sql += " ORDER BY a.published IS NULL, a.published, a.added, a.id"
        return [_stored(r).article for r in self.conn.execute(sql, args)]

    def story_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for aid in article_ids:
            row = self.conn.execute("SELECT story_id FROM membership WHERE article_id = ?", (aid,)).fetchone()
            if row:
                out[aid] = row[0]
        return out

    # --- tracker state ----------------------------------------------------------------------

    def save_state(self, conn: sqlite3.Connection, story_id: str, state: bytes) -> None:
        conn.execute(
            "INSERT INTO story_state (story_id, state) VALUES (?, ?)"
            " ON CONFLICT(story_id) DO UPDATE SET state = excluded.state",
            (story_id, state),
        )

    def recent_states(self, limit: int) -> list[tuple[str, str | None, str | None, bytes]]:
        """(story id, first published, last published, state) of the most recently updated stories."""
        return list(
            self.conn.execute(
                "SELECT s.id, s.first_published, s.last_published, t.state FROM stories s"
                " JOIN story_state t ON t.story_id = s.id ORDER BY s.updated DESC LIMIT ?",
                (limit,),
            )
        )

    def get_meta(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, conn: sqlite3.Connection, key: str, value: bytes) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- briefs ------------------------------------------------------------------------------

    def save_brief(self, story_id: str, brief_json: str) -> None:
        """Keep the latest briefing of a story (a ``storyline.brief/1`` JSON string)."""
        json.loads(brief_json)  # refuse to store something that is not JSON
        self._require_story(story_id)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO briefs (story_id, json, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(story_id) DO UPDATE SET json = excluded.json, updated = excluded.updated",
                (story_id, brief_json, now_iso()),
            )

    def get_brief(self, story_id: str) -> str | None:
        row = self.conn.execute("SELECT json FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _since(value: str) -> str:
    """Accept ``YYYY-MM-DD`` or an ISO date-time; compare as UTC ISO text."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--since {value!r} is not a date; use YYYY-MM-DD or an ISO date-time") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _stored(row: Sequence[object]) -> StoredArticle:
    aid, url, title, source, published, text, meta_json, added, story_id = row
    meta = json.loads(str(meta_json))
    article = Article(
        id=str(aid),
        text=str(text),
        path=meta.get("path"),
        url=url,  # type: ignore[arg-type]
        source=source,  # type: ignore[arg-type]
        source_evidence=meta.get("source_evidence"),
        title=title,  # type: ignore[arg-type]
        published=published,  # type: ignore[arg-type]
        published_evidence=meta.get("published_evidence"),
        authors=tuple(meta.get("authors", ())),
        posts=tuple(Post(**{**p, "authors": tuple(p.get("authors", ()))}) for p in meta.get("posts", ())),
        removed=tuple(Removed(**r) for r in meta.get("removed", ())),
        captions=tuple(meta.get("captions", ())),
        fmt=meta.get("fmt", "text"),
    )
    return StoredArticle(article, story_id, str(added))  # type: ignore[arg-type]


APPLICATION_ID = 0x53544C59  # "STLY" in the SQLite header (PRAGMA application_id): our file
STORE_TABLES = frozenset({"articles", "stories", "membership", "briefs"})
BUSY_SECONDS = 10.0


def open_store(path: str | Path | None = None, *, readonly: bool = False) -> Store:
    """Open a store; a file that is not a storyline store -> ``StoreError``, left untouched.

    Writing commands create the store when it is missing and bring its schema up to date.
    ``readonly`` (commands that only read) refuses a missing store instead of creating an
    empty one and opens the file read-only; only an older storyline store is first upgraded in
    place, as any command does. Safe when several processes open or create one store at once.
    """
    p = Path(path) if path is not None else default_path()
    if p.is_dir():
        raise StoreError(f"{p}: is a directory, not a storyline store; pass a file path with --db")
    exists = p.exists() and p.stat().st_size > 0
    if not exists:
        if readonly:
            raise StoreError(
                f"{p}: no store here. Track articles into it first (storyline track INPUTS --db "
                f"{p}), or check the path given with --db or STORYLINE_DB"
            )
        if not p.parent.exists():
            raise StoreError(f"{p}: folder {p.parent} does not exist; create it or choose another --db")
    else:
        _check_header(p)
    conn = _connect(p, readonly=readonly)
    try:
        version = _identify(p, conn, readonly=readonly)
        if readonly and version == SCHEMA_VERSION:
            return Store(p, conn, readonly=True)
        if readonly:  # an older storyline store: upgrade it, then read it read-only
            conn.close()
            conn = _connect(p, readonly=False)
        _set_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, version)
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{p}: cannot use the store ({exc})") from exc
    if readonly:
        conn.close()
        return Store(p, _connect(p, readonly=True), readonly=True)
    return Store(p, conn)


def _check_header(p: Path) -> None:
    """Refuse what is not an SQLite database, or is one of another application, before SQLite
    opens it: nothing is written into someone else's file."""
    try:
        with p.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StoreError(f"{p}: cannot read the store ({exc.strerror or exc})") from exc
    if not head.startswith(SQLITE_MAGIC):
        raise StoreError(
            f"{p}: is not a storyline store (not an SQLite database); "
            "pass another path with --db or STORYLINE_DB, the file was left unchanged"
        )
    app = int.from_bytes(head[68:72], "big") if len(head) >= 72 else 0
    if app not in (0, APPLICATION_ID):
        raise StoreError(
            f"{p}: is an SQLite database of another application (application id {app:#x}), not "
            "a storyline store; pass another path with --db, the file was left unchanged"
        )


def _connect(p: Path, *, readonly: bool) -> sqlite3.Connection:
    try:
        if readonly:
            uri = p.resolve().as_uri() + "?mode=ro"
            return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_SECONDS,
                                   check_same_thread=False)
        return sqlite3.connect(str(p), isolation_level=None, timeout=BUSY_SECONDS,
                               check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p}: cannot open the store ({exc}); pass another path with --db") from exc


def _identify(p: Path, conn: sqlite3.Connection, *, readonly: bool) -> int:
    """The schema version of a storyline store (0: new); anything else -> ``StoreError``.

    A store is ours by its application id, or, written before the id existed, by its tables.
    """
    try:
        # One read transaction: one snapshot, even while another process creates the schema.
        conn.execute("BEGIN")
        try:
            app = int(conn.execute("PRAGMA application_id").fetchone()[0])
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            }
        finally:
            conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p}: cannot open the store ({exc}); pass another path with --db") from exc
    ours = app == APPLICATION_ID or (app == 0 and version >= 1 and STORE_TABLES <= tables)
    if not ours and (app != 0 or version != 0 or tables):
        listed = ", ".join(sorted(tables)[:6]) or "no tables"
        raise StoreError(
            f"{p}: is an SQLite database but not a storyline store ({listed}); pass another "
            "path with --db or STORYLINE_DB, the file was left unchanged"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{p}: written by a newer storyline (schema {version}, this version knows {SCHEMA_VERSION}); upgrade storyline"
        )
    if readonly and not ours:
        raise StoreError(f"{p}: is an empty database, not a storyline store yet; track articles into it first")
    return version


def _set_wal(conn: sqlite3.Connection) -> None:
    """WAL mode; another process switching it or creating the schema at the same moment makes
    SQLite answer "locked" at once (no busy wait for this pragma), so it is retried."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def migrate(conn: sqlite3.Connection, version: int, target: int = SCHEMA_VERSION) -> int:
    """Apply migrations ``version+1 .. target``, each in one transaction with its version bump.

    The version is read again inside each transaction: when two processes create or upgrade a
    store at once, the second finds the work done and skips it.
    """
    for number in range(version + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= number:
                conn.execute("COMMIT")
                continue
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return target


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT on its own; split so each migration stays one transaction.
    # Split where SQLite says a statement is complete: a trigger body holds ";" of its own.
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                out.append(pending.strip())
            pending = ""
    if pending.strip(" \n\t;"):
        out.append(pending.strip())
    return out
