"""The store schema as an ordered list of migrations.

``PRAGMA user_version`` holds how many migrations a store has had. Opening a store applies the
missing ones in order, each in its own transaction, so a store written by an older version is
upgraded in place and never dropped. Append new migrations; never edit a released one.
"""

from __future__ import annotations

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
]

SCHEMA_VERSION = len(MIGRATIONS)
