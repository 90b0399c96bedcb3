"""The store schema as an ordered list of migrations.

``PRAGMA user_version`` holds how many migrations a store has had. Opening a store applies the
missing ones in order, each in its own transaction, so a store written by an older version is
upgraded in place and never dropped. Append new migrations; never edit a released one.
"""

from __future__ import annotations

# Figures of one briefing for the story list (migration 3); {j}: its JSON, {s}: its story id.
# A briefing without a field counts 0; one that is not JSON gets no row (never a failed save).
# The triggers delete, then insert: OR REPLACE in a trigger yields to the ON CONFLICT of the
# statement that fired it (save_brief's upsert).
_STATS = """SELECT {s}, json_extract({j}, '$.story.title'),
    coalesce(json_array_length({j}, '$.claims'), 0),
    (SELECT count(*) FROM json_each({j}, '$.claims') e WHERE json_extract(e.value, '$.status') = 'contested'),
    (SELECT count(*) FROM json_each({j}, '$.claims') e WHERE json_extract(e.value, '$.status') = 'corroborated'),
    coalesce(json_array_length({j}, '$.conflicts'), 0),
    coalesce(json_array_length({j}, '$.timeline'), 0)"""
_STATS_NEW = _STATS.format(j="new.json", s="new.story_id")
_STATS_OLD = _STATS.format(j="b.json", s="b.story_id")

MIGRATIONS: list[str] = [
    # 1: articles, stories, membership, the latest briefing per story.
    """
    CREATE TABLE articles (
        id          TEXT PRIMARY KEY,
        url         TEXT UNIQUE,
        text_hash   TEXT NOT NULL UNIQUE,
        title       TEXT,
        source      TEXT,
        published   TEXT,
        text        TEXT NOT NULL,
        metadata    TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE stories (
        id       TEXT PRIMARY KEY,
        title    TEXT,
        created  TEXT NOT NULL,
        updated  TEXT NOT NULL
    );
    CREATE TABLE membership (
        story_id   TEXT NOT NULL REFERENCES stories(id),
        article_id TEXT NOT NULL REFERENCES articles(id),
        PRIMARY KEY (story_id, article_id)
    );
    CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY REFERENCES stories(id),
        json     TEXT NOT NULL,
        updated  TEXT NOT NULL
    );
    """,
    # 2: when each article was tracked (for --since), per-story tracker state so a later run
    #    resumes with the same active stories, and a key-value table for tracker statistics.
    """
    ALTER TABLE articles ADD COLUMN added TEXT;
    UPDATE articles SET added = '1970-01-01T00:00:00+00:00' WHERE added IS NULL;
    CREATE INDEX articles_added ON articles(added);
    CREATE INDEX membership_article ON membership(article_id);
    ALTER TABLE stories ADD COLUMN first_published TEXT;
    ALTER TABLE stories ADD COLUMN last_published TEXT;
    CREATE TABLE story_state (
        story_id TEXT PRIMARY KEY REFERENCES stories(id),
        state    BLOB NOT NULL
    );
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value BLOB
    );
    """,
    # 3 (web): full-text search over article titles and text, figures of each cached briefing
    #    for the story list, and the background jobs of `storyline serve`.
    #    The search index reads the text through a view keyed by ``article_docids``: an
    #    external-content FTS5 table needs a stable integer rowid, and the rowid of ``articles``
    #    (a TEXT primary key) is not stable across VACUUM. Triggers keep both in step with
    #    ``articles`` and ``briefs`` whoever writes them (track, the web app, an older CLI).
    f"""
    CREATE TABLE article_docids (
        docid      INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE
    );
    CREATE VIEW article_search AS
        SELECT d.docid AS docid, a.title AS title, a.text AS text
        FROM article_docids d JOIN articles a ON a.id = d.article_id;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='article_search', content_rowid='docid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_docids (article_id) VALUES (new.id);
        INSERT INTO articles_fts (rowid, title, text)
            SELECT docid, new.title, new.text FROM article_docids WHERE article_id = new.id;
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            SELECT 'delete', docid, old.title, old.text FROM article_docids WHERE article_id = old.id;
        DELETE FROM article_docids WHERE article_id = old.id;
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            SELECT 'delete', docid, old.title, old.text FROM article_docids WHERE article_id = old.id;
        INSERT INTO articles_fts (rowid, title, text)
            SELECT docid, new.title, new.text FROM article_docids WHERE article_id = new.id;
    END;
    INSERT INTO article_docids (article_id) SELECT id FROM articles ORDER BY added, id;
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

    CREATE TABLE brief_stats (
        story_id     TEXT PRIMARY KEY REFERENCES stories(id),
        title        TEXT,
        claims       INTEGER NOT NULL,
        contested    INTEGER NOT NULL,
        corroborated INTEGER NOT NULL,
        conflicts    INTEGER NOT NULL,
        events       INTEGER NOT NULL
    );
    CREATE TRIGGER brief_stats_insert AFTER INSERT ON briefs BEGIN
        DELETE FROM brief_stats WHERE story_id = new.story_id;
        INSERT INTO brief_stats {_STATS_NEW}
            WHERE json_valid(new.json);
    END;
    CREATE TRIGGER brief_stats_update AFTER UPDATE OF json ON briefs BEGIN
        DELETE FROM brief_stats WHERE story_id = new.story_id;
        INSERT INTO brief_stats {_STATS_NEW}
            WHERE json_valid(new.json);
    END;
    INSERT INTO brief_stats {_STATS_OLD} FROM briefs b
        WHERE json_valid(b.json);

    CREATE TABLE jobs (
        id       TEXT PRIMARY KEY,
        kind     TEXT NOT NULL,
        state    TEXT NOT NULL,
        created  TEXT NOT NULL,
        updated  TEXT NOT NULL,
        message  TEXT NOT NULL DEFAULT '',
        request  TEXT NOT NULL DEFAULT '{{}}',
        result   TEXT NOT NULL DEFAULT '{{}}'
    );
    CREATE INDEX jobs_state ON jobs(state, created);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
