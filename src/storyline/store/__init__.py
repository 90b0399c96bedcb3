"""The store: articles, stories, membership and briefings in one embedded SQLite file."""

from .migrations import MIGRATIONS, SCHEMA_VERSION
from .sqlite import (
    DEFAULT_DB,
    Store,
    StoredArticle,
    StoryRow,
    article_key,
    default_path,
    open_store,
    text_hash,
)

__all__ = [
    "DEFAULT_DB",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Store",
    "StoredArticle",
    "StoryRow",
    "article_key",
    "default_path",
    "open_store",
    "text_hash",
]
