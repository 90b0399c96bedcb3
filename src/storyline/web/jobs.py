"""The web app's background worker: adding articles (tracked into stories as ``track`` does,
then every changed story re-briefed) and briefing a story whose cached briefing is missing or
stale. One thread, one job at a time, progress written to the job's row in the store, so a
page view only ever reads; the NLP pipeline runs here, never in a request.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputError, StoreError, StorylineError
from ..ingest import read_inputs
from ..ingest.language import not_english
from ..ingest.text import article_from_text
from ..models import Article
from ..settings import Settings
from ..store import Store, open_store
from ..store.jobs import (
    DONE,
    FAILED,
    RUNNING,
    Job,
    create_job,
    fail_unfinished,
    get_job,
    update_job,
)
from .uploads import AddRequest, Pasted

log = logging.getLogger("storyline.web")
PROGRESS_EVERY = 0.3  # seconds between progress writes


def pasted_article(p: Pasted, n: int) -> Article:
    """A pasted text read like a .txt page (headline line first); the form's fields win."""
    label = f"pasted text {n}"
    article = article_from_text(p.text, label=label)
    given = "given in the web form"
    return replace(
        article,
        path=label,
        title=p.title or article.title,
        source=p.outlet or article.source,
        source_evidence=given if p.outlet else article.source_evidence,
        url=p.url or article.url,
        published=p.published or article.published,
        published_evidence=given if p.published else article.published_evidence,
    )


def read_request(request: dict[str, Any], settings: Settings) -> tuple[list[Article], list[InputError]]:
    """The pasted texts and uploaded files of an add request as articles (URLs are fetched by
    ``track`` itself); a problem names the file as the user sent it."""
    articles: list[Article] = []
    problems: list[InputError] = []
    for n, fields in enumerate(request.get("pasted", []), start=1):
        article = pasted_article(Pasted(**fields), n)
        language = not_english(article.text)
        if language:
            problems.append(InputError(article.path or "pasted text",
                                       f"not English (looks like {language}); storyline reads English news only"))
        else:
            articles.append(article)
    for name, saved in request.get("files", []):

        def shown(where: str | None, name: str = name, saved: str = saved) -> str:
            # the saved copy's path never shows: "upload report.jsonl:3", not "/tmp/...:3"
            rest = where[len(saved):] if where and where.startswith(saved) else ""
            return f"upload {name}{rest}"

        result = read_inputs([saved], settings)
        problems.extend(InputError(shown(p.source), p.reason) for p in result.problems)
        articles.extend(replace(a, path=shown(a.path)) for a in result.articles)
    return articles, problems


class Worker:
    """One background thread working through a queue of job ids."""

    def __init__(self, db: Path, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.requests: dict[str, AddRequest] = {}

    def start(self) -> None:
        with open_store(self.db) as store:
            stale = fail_unfinished(store, "the server stopped before this job finished; please send it again")
        if stale:
            log.warning("%d unfinished jobs of an earlier run marked failed", stale)
        self.thread = threading.Thread(target=self._loop, name="storyline-worker", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join(timeout)

    # submitting ----------------------------------------------------------------------------

    def add(self, request: AddRequest) -> Job:
        with open_store(self.db) as store:
            job = create_job(store, "add", request.as_dict())
        self.requests[job.id] = request
        self.queue.put(job.id)
        return job

    def brief(self, story_id: str) -> Job:
        with open_store(self.db) as store:
            job = create_job(store, "brief", {"story": story_id}, "waiting to brief the story")
        self.queue.put(job.id)
        return job

    # running ---------------------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            job_id = self.queue.get()
            if job_id is None:
                return
            try:
                self.run(job_id)
            except Exception:  # a bug: keep the worker alive, say so on the job's page
                log.exception("job %s failed", job_id)
                try:
                    with open_store(self.db) as store:
                        update_job(store, job_id, state=FAILED,
                                   message="internal error while running this job (please report it)")
                except StorylineError:
                    log.exception("could not record the failure of job %s", job_id)
            finally:
                request = self.requests.pop(job_id, None)
                if request is not None:
                    request.discard()

    def run(self, job_id: str) -> None:
        with open_store(self.db) as store:
            job = get_job(store.conn, job_id)
            if job is None:
                return
            update_job(store, job_id, state=RUNNING, message="starting")
            say = self._progress(store, job_id)
            try:
                if job.kind == "add":
                    result = self._add(store, job, say)
                else:
                    result = self._brief(store, job, say)
            except StorylineError as exc:
                update_job(store, job_id, state=FAILED, message=str(exc))
                return
            update_job(store, job_id, state=DONE, message=result.pop("message"), result=result)

    def _progress(self, store: Store, job_id: str) -> Any:
        last = [0.0]

        def say(message: str) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                update_job(store, job_id, message=message)

        return say

    def _add(self, store: Store, job: Job, say: Any) -> dict[str, Any]:
        from ..track import track

        say("reading the articles")
        articles, problems = read_request(job.request, self.settings)
        urls = list(job.request.get("urls", []))
        if urls:
            say(f"fetching {len(urls)} address{'es' if len(urls) != 1 else ''}")

        def stored(article_id: str, story_id: str) -> None:
            say(f"stored article {article_id} in story {story_id}")

        # URLs and feed links are fetched, as `track` does by default (`brief` stays offline)
        report = track(urls, store, replace(self.settings, fetch=True), progress=say, on_stored=stored,
                       articles=iter(articles), clean=True)
        problems = [*problems, *report.problems]
        briefs = {sid: self._brief_story(store, sid, say, f"story {k} of {len(report.changed_stories)}")
                  for k, sid in enumerate(report.changed_stories, start=1)}
        added = []
        for article_id, story_id in report.added:
            stored_article = store.get_article(article_id)
            a = stored_article.article if stored_article else None
            added.append({"article": article_id, "story": story_id,
                          "title": a.title if a else None, "label": (a.path or a.url) if a else None,
                          "new_story": story_id in report.stories_created})
        n = len(added)
        message = (f"{n} article{'s' if n != 1 else ''} added, {len(report.duplicates)} already stored, "
                   f"{len(problems)} refused")
        return {
            "message": message,
            "added": added,
            "duplicates": list(report.duplicates),
            "problems": [str(p) for p in problems],
            "notes": list(report.notes),
            "stories_created": report.stories_created,
            "stories_updated": report.stories_updated,
            "briefs": briefs,
        }

    def _brief(self, store: Store, job: Job, say: Any) -> dict[str, Any]:
        story_id = str(job.request.get("story"))
        status = self._brief_story(store, story_id, say)
        if status != "ok":
            raise InputError(f"story {story_id}", status)
        return {"message": f"story {story_id} briefed", "story": story_id}

    def _brief_story(self, store: Store, story_id: str, say: Any, which: str = "") -> str:
        """Brief one stored story and keep the JSON (``track.update_briefs`` with progress)."""
        from ..pipeline import brief_articles
        from ..report import render

        where = f"briefing story {story_id}" + (f" ({which})" if which else "")
        say(where)
        try:
            brief = brief_articles(store.story_articles(story_id), self.settings,
                                   progress=lambda stage: say(f"{where}: {stage}"))
            store.save_brief(story_id, render(brief, "json"))
        except (InputError, StoreError, ValueError) as exc:
            return str(exc)
        return "ok"

