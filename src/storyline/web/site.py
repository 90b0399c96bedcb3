"""What every request of the web app shares: the store path, a read-only connection per
thread, the templates, the cache of rendered pages and briefings, and the background worker.
"""

from __future__ import annotations

import functools
import gzip
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from ..models import Brief
from ..report.data import from_dict
from ..report.html import environment
from ..settings import Settings
from ..store import queries
from .jobs import Worker

T = TypeVar("T")


class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.items: OrderedDict[object, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: object) -> Any | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: object, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@dataclass(frozen=True)
class StoryBrief:
    """A story's cached briefing, parsed once per version (``updated``)."""

    brief: Brief
    json: str
    updated: str

    @functools.cached_property
    def body(self) -> Body:
        return Body(self.json.encode("utf-8"))


class Body:
    """A response body kept encoded, with its gzip form made on first demand."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._gzip: bytes | None = None

    def gzipped(self) -> bytes:
        if self._gzip is None:
            self._gzip = gzip.compress(self.raw, compresslevel=6, mtime=0)
        return self._gzip


class Site:
    def __init__(self, db: Path, settings: Settings, start_worker: bool = True) -> None:
        self.db = db
        self.settings = settings
        self.local = threading.local()
        self.pages = LRU(settings.web_cache_pages)
        self.briefs = LRU(max(8, settings.web_cache_pages // 8))
        self.templates: jinja2.Environment = environment(jinja2.PackageLoader("storyline.web", "templates"))
        self.worker = Worker(db, settings)
        if start_worker:
            self.worker.start()

    def conn(self) -> sqlite3.Connection:
        """This thread's read-only connection to the store."""
        conn: sqlite3.Connection | None = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = queries.connect_readonly(self.db)
        return conn

    def story_brief(self, story_id: str) -> StoryBrief | None:
        """The cached briefing of a story, parsed into a Brief once per version."""
        updated = queries.brief_updated(self.conn(), story_id)
        if updated is None:
            return None
        key = (story_id, updated)
        hit: StoryBrief | None = self.briefs.get(key)
        if hit is not None:
            return hit
        cached = queries.brief(self.conn(), story_id)
        if cached is None:
            return None
        parsed = StoryBrief(from_dict(json.loads(cached.json)), cached.json, cached.updated)
        self.briefs.put((story_id, cached.updated), parsed)
        return parsed

    def page(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """A rendered page from the cache; ``key`` must change whenever the page would."""
        hit: T | None = self.pages.get(key)
        if hit is None:
            hit = make()
            self.pages.put(key, hit)
        return hit

    def render(self, template: str, **context: Any) -> str:
        return self.templates.get_template(template).render(**context)
