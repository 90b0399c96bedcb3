"""The store: schema migrations, idempotent ingest, refusing files that are not a store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from storyline.errors import StoreError, UsageError
from storyline.models import Article, Removed
from storyline.store import SCHEMA_VERSION, open_store
from storyline.store.migrations import MIGRATIONS
from storyline.store.sqlite import migrate


def art(i: int, url: str | None = None, text: str | None = None, **kw: object) -> Article:
    return Article(id=f"x{i}", text=text or f"Article number {i} says something about topic {i}.",
                   url=url, **kw)  # type: ignore[arg-type]


def test_new_store_is_wal_and_current(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        assert store.version == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.integrity_ok()


def test_same_article_twice_changes_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        first = store.add_article(art(1, url="https://example.org/a"))
        assert first is not None
        # Same URL, different text; then same text (modulo case, punctuation, spacing), no URL.
        assert store.add_article(art(2, url="https://example.org/a")) is None
        assert store.add_article(art(3, text="ARTICLE number 1   says something, about topic 1")) is None
        assert store.count_articles() == 1
        assert store.find_duplicate(art(9, text="article number 1 says something about topic 1")) == first


def test_article_round_trip_keeps_metadata(tmp_path: Path) -> None:
    a = art(1, url="https://example.org/x", title="T", source="Reuters", published="2023-09-13",
            authors=("A B",), removed=(Removed("Sign up", "newsletter sign-up"),), captions=("c",))
    with open_store(tmp_path / "s.db") as store:
        key = store.add_article(a)
        assert key is not None
        stored = store.get_article(key)
        assert stored is not None
        got = stored.article
    assert (got.title, got.source, got.published, got.authors, got.removed, got.captions) == (
        "T", "Reuters", "2023-09-13", ("A B",), (Removed("Sign up", "newsletter sign-up"),), ("c",))


def test_not_a_database_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"these are my notes, not a database\n" * 20
    path.write_bytes(content)
    with pytest.raises(StoreError, match="notes.db.*not a storyline store"):
        open_store(path)
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.db-wal").exists()


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer storyline"):
        open_store(path)


def test_v1_store_is_migrated_not_dropped(tmp_path: Path) -> None:
    """A store written by version 1 of the schema keeps its rows when opened by this code."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, target=1)
    conn.execute("INSERT INTO articles (id, url, text_hash, title, text) VALUES ('a1', 'https://o.rg/1', 'h1', 'Old', 'old text')")
    conn.execute("INSERT INTO stories (id, title, created, updated) VALUES ('s000001', 'Old story', '2020-01-01', '2020-01-01')")
    conn.execute("INSERT INTO membership VALUES ('s000001', 'a1')")
    conn.execute("INSERT INTO briefs VALUES ('s000001', '{}', '2020-01-01')")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert len(MIGRATIONS) >= 2
    with open_store(path) as store:
        assert store.version == SCHEMA_VERSION
        rows = store.list_stories()
        assert [(r.id, r.title, r.articles) for r in rows] == [("s000001", "Old story", 1)]
        assert store.get_brief("s000001") == "{}"
        [old] = store.story_articles("s000001")
        assert old.title == "Old" and old.url == "https://o.rg/1"
        assert store.get_article("a1").added  # type: ignore[union-attr]  # filled by the migration


def test_briefs_and_unknown_story(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        with store.transaction() as conn:
            sid = store.create_story(conn, "A story", "2024-01-01T00:00:00+00:00")
        store.save_brief(sid, '{"schema": "storyline.brief/1"}')
        store.save_brief(sid, '{"schema": "storyline.brief/1", "v": 2}')
        assert '"v": 2' in (store.get_brief(sid) or "")
        with pytest.raises(UsageError, match="s999999"):
            store.story_articles("s999999")


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            store.insert_article(conn, art(1), "2024-01-01")
            raise RuntimeError("boom")
        assert store.count_articles() == 0


TEXTS = [f"Report {i}: the council voted on measure {i} after a long debate." for i in range(6)]


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(TEXTS))), min_size=1, max_size=15))
def test_any_order_and_duplication_gives_the_same_set(tmp_path_factory: pytest.TempPathFactory, order: list[int]) -> None:
    path = tmp_path_factory.mktemp("prop") / "s.db"
    with open_store(path) as store:
        for i in order:
            # Every other copy differs only in case and spacing: still the same article.
            text = TEXTS[i] if len(order) % 2 else TEXTS[i].upper().replace(" ", "  ")
            store.add_article(Article(id=f"in{i}", text=text))
        with open_store(tmp_path_factory.mktemp("ref") / "r.db") as ref:
            for i in sorted(set(order)):
                ref.add_article(Article(id=f"in{i}", text=TEXTS[i]))
            assert store.article_ids() == ref.article_ids()
