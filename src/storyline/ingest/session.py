"""What one run shares across its inputs: where progress goes, and the fetcher with its deadline.

Readers keep the plain ``(Source, Settings)`` signature; the few that need more (progress over
many records, fetching under one run-wide deadline) ask ``current()`` for the run they are in.
A reader called on its own gets a fresh session, so nothing depends on a run having been set up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..settings import Settings

if TYPE_CHECKING:
    from .fetch import Fetcher

Progress = Callable[[str], None]
PROGRESS_EVERY = 1000  # records between progress messages


def _quiet(_message: str) -> None:
    pass


@dataclass
class Session:
    settings: Settings
    say: Progress = _quiet
    prefetched: dict[str, Any] = field(default_factory=dict)  # url -> Fetched | InputError
    _fetcher: Any = field(default=None, repr=False)

    def prefetch(self, urls: list[str]) -> None:
        """Fetch URL inputs together (concurrently); their readers then find them here."""
        todo = [u for u in dict.fromkeys(urls) if u not in self.prefetched]
        if self.settings.fetch and len(todo) > 1:
            self.prefetched.update(zip(todo, self.fetcher.fetch_many(todo), strict=True))

    @property
    def fetcher(self) -> Fetcher:
        """One fetcher per run: the run-wide fetch deadline starts when it is first needed."""
        if self._fetcher is None:
            from .fetch import Fetcher

            self._fetcher = Fetcher(self.settings, self.say)
        return self._fetcher  # type: ignore[no-any-return]


_current: ContextVar[Session | None] = ContextVar("storyline_ingest_session", default=None)


def current(settings: Settings) -> Session:
    """The session of the run in progress, or a fresh one for a reader called on its own."""
    session = _current.get()
    if session is None or session.settings is not settings:
        return Session(settings)
    return session


@contextmanager
def run_session(settings: Settings, progress: Progress | None = None) -> Iterator[Session]:
    """Open a session for one run (re-entrant: an inner call joins the outer run)."""
    outer = _current.get()
    if outer is not None and outer.settings is settings:
        yield outer
        return
    session = Session(settings, progress or _quiet)
    token = _current.set(session)
    try:
        yield session
    finally:
        _current.reset(token)
