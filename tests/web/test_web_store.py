"""Migration 3 (search index, briefing figures, jobs) and the read-only queries of the web app."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.models import Article
from storyline.store import SCHEMA_VERSION, open_store, queries
from storyline.store.jobs import (
    DONE,
    FAILED,
    QUEUED,
    create_job,
    fail_unfinished,
    get_job,
    update_job,
)
from storyline.store.sqlite import _statements, migrate


def art(i: int, title: str, text: str, source: str | None = None, published: str | None = None) -> Article:
    return Article(id=f"x{i}", text=text, title=title, source=source, published=published,
                   url=f"https://example.org/{i}")


def story_with(store, articles: list[Article], when: str = "2024-01-01T00:00:00+00:00") -> str:
    with store.transaction() as conn:
        sid = store.create_story(conn, articles[0].title, when)
        for a in articles:
            key = store.insert_article(conn, a, when)
            store.add_member(conn, sid, key, a.published, a.title, when)
    return sid


def test_a_version_2_store_gains_search_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, target=2)
    conn.execute("INSERT INTO articles (id, url, text_hash, title, text, added) VALUES"
                 " ('a1', 'https://o.rg/1', 'h1', 'Volcano erupts', 'Lava reached the village of Ústí.', '2020')")
    conn.execute("INSERT INTO stories (id, title, created, updated) VALUES ('s000001', 'Volcano', '2020', '2020')")
    conn.execute("INSERT INTO membership VALUES ('s000001', 'a1')")
    brief = {"schema": "storyline.brief/1", "story": {"title": "Volcano erupts"},
             "claims": [{"status": "contested"}, {"status": "corroborated"}, {"status": "single-source"}],
             "conflicts": [{}], "timeline": [{}, {}]}
    conn.execute("INSERT INTO briefs VALUES ('s000001', ?, '2021')", (json.dumps(brief),))
    conn.close()
    with open_store(path) as store:
        assert store.version == SCHEMA_VERSION >= 3
        assert store.get_brief("s000001") == json.dumps(brief)
    ro = queries.connect_readonly(path)
    [hit], total = queries.search_stories(ro, "usti village")  # diacritics folded, any order
    assert total == 1 and hit.id == "s000001" and hit.title == "Volcano erupts"
    assert (hit.claims, hit.contested, hit.corroborated, hit.conflicts, hit.events) == (3, 1, 1, 1, 2)
    assert hit.snippet and queries.HIT_START + "Ústí" in hit.snippet
    with pytest.raises(sqlite3.OperationalError):  # read-only means read-only
        ro.execute("DELETE FROM articles")


def test_search_index_follows_every_write(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        sid = story_with(store, [art(1, "Summit in Vladivostok", "Leaders met at the cosmodrome on Wednesday.")])
        other = story_with(store, [art(2, "Floods in Valencia", "Rain fell for three days in the region.",
                                       source="El Diario", published="2024-10-30")])
        conn = store.conn
        assert [s.id for s in queries.search_stories(conn, "cosmodrome")[0]] == [sid]
        assert [s.id for s in queries.search_stories(conn, "valen")[0]] == [other]  # prefix of the last word
        assert [s.id for s in queries.search_stories(conn, outlet="El Diario")[0]] == [other]
        assert [s.id for s in queries.search_stories(conn, date_from="2024-10-01", date_to="2024-10-31")[0]] == [other]
        with store.transaction() as c:
            c.execute("UPDATE articles SET text = 'Leaders met at the spaceport.' WHERE title = 'Summit in Vladivostok'")
        assert queries.search_stories(conn, "cosmodrome")[1] == 0
        assert queries.search_stories(conn, "spaceport")[1] == 1
        with store.transaction() as c:
            c.execute("DELETE FROM membership WHERE story_id = ?", (other,))
            c.execute("DELETE FROM articles WHERE source = 'El Diario'")
        assert queries.search_stories(conn, "valencia")[1] == 0
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")


def test_user_words_never_break_the_search(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        story_with(store, [art(1, "A title", "Some body text about NEAR things.")])
        for q in ('"', "AND", "OR NOT", "title:x", "near(", "*", "a" * 400, "x\x00y", "-", "^"):
            queries.search_stories(store.conn, q)
        assert queries.fts_query('kim "jong un') == '"kim" "jong" "un"*'
        assert queries.fts_query("  ") is None


def test_briefing_figures_follow_each_save(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        sid = story_with(store, [art(1, "T", "Body text here.")])
        assert queries.story_summary(store.conn, sid).claims is None  # not briefed yet
        store.save_brief(sid, json.dumps({"claims": [{"status": "contested"}], "conflicts": [], "timeline": []}))
        first = queries.story_summary(store.conn, sid)
        assert (first.claims, first.contested, first.conflicts) == (1, 1, 0) and first.brief_fresh
        store.save_brief(sid, json.dumps({"claims": [], "conflicts": [{}, {}], "timeline": [{}]}))
        again = queries.story_summary(store.conn, sid)
        assert (again.claims, again.contested, again.conflicts, again.events) == (0, 0, 2, 1)


def test_jobs_keep_their_progress(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        job = create_job(store, "add", {"urls": ["https://example.org/a"]})
        assert get_job(store.conn, job.id).state == QUEUED
        update_job(store, job.id, state=DONE, message="1 article added", result={"added": [1]})
        done = get_job(store.conn, job.id)
        assert (done.state, done.message, done.result, done.finished) == (DONE, "1 article added", {"added": [1]}, True)
        left = create_job(store, "brief", {"story": "s000001"})
        assert fail_unfinished(store, "server stopped") == 1
        assert get_job(store.conn, left.id).state == FAILED


def test_migration_statements_keep_trigger_bodies_whole() -> None:
    script = "CREATE TABLE t (x TEXT DEFAULT ';');\nCREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;\n"
    assert _statements(script) == ["CREATE TABLE t (x TEXT DEFAULT ';');",
                                   "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;"]


def test_read_only_connection_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store there"):
        queries.connect_readonly(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()
