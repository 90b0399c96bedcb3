"""Fill a store from a batch output folder, through the store's own methods.

Afterwards ``storyline stories`` lists the batch's stories, ``brief --story`` re-briefs them,
``serve`` shows their briefings, and a later ``track`` continues them (the tracker state of each
story and the corpus's word and name frequencies are stored as ``track`` stores its own). The
store gives its own story ids (``s000001``...); an article already in the store keeps its story,
and a batch story whose articles are already stored adds its new articles to that story, so
loading the same output twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..models import Article
from ..settings import Settings
from ..store import Store
from ..store.sqlite import now_iso
from ..track import Tracker, Vectoriser
from .tables import Out


@dataclass
class LoadReport:
    added: int = 0
    already_stored: int = 0
    stories_created: list[str] = field(default_factory=list)
    stories_updated: list[str] = field(default_factory=list)
    briefs: int = 0

    def summary(self) -> str:
        return (f"store: {self.added} articles added, {self.already_stored} already there; "
                f"{len(self.stories_created)} new stories, {len(self.stories_updated)} updated, "
                f"{self.briefs} briefings stored")


def fill_store(out_url: str, store: Store, say: Callable[[str], None] | None = None) -> LoadReport:
    say = say or (lambda _m: None)
    out = Out(out_url)
    report = LoadReport()
    stories = out.read_table("stories").to_pylist()
    membership = out.read_table("membership").to_pylist()
    wanted = {m["article"] for m in membership}
    articles: dict[str, Article] = {}
    for path in out.fs.glob(out.path("_work", "parts", "*.articles.pkl")):
        for row in out.read_pickle("_work", "parts", path.rsplit("/", 1)[-1]):
            if row["article"].id in wanted:
                articles[row["article"].id] = row["article"]
    by_story: dict[str, list[tuple[int, str]]] = {}
    for m in membership:
        by_story.setdefault(m["story"], []).append((m["seq"], m["article"]))
    stories.sort(key=lambda s: min(seq for seq, _ in by_story[s["id"]]))
    for n, story in enumerate(stories, 1):
        members = [articles[aid] for _, aid in sorted(by_story[story["id"]])]
        sid, created = _load_story(store, story, members, report)
        if sid is not None and created and story["brief"] and out.exists(*story["brief"].split("/")):
            store.save_brief(sid, out.read_bytes(*story["brief"].split("/")).decode("utf-8"))
            report.briefs += 1
        if n % 1000 == 0:
            say(f"stored {n} of {len(stories)} stories")
    if out.exists("_work", "vocabulary.pkl"):
        stats = out.read_pickle("_work", "vocabulary.pkl")
        tracker = Tracker(Settings())
        tracker.vectoriser = Vectoriser(stats.df.astype("int64"), int(stats.docs))
        tracker.name_df, tracker.name_docs = stats.name_df.astype("int64"), int(stats.name_docs)
        with store.transaction() as conn:
            tracker.save_vocabulary(store, conn)
    return report


def _load_story(store: Store, story: dict[str, Any], members: list[Article],
                report: LoadReport) -> tuple[str | None, bool]:
    """(store story id, whether it was created now)."""
    when = now_iso()
    with store.transaction() as conn:
        keys = []
        for article in members:
            key = store.insert_article(conn, article, when)
            if key is None:
                report.already_stored += 1
            else:
                keys.append((key, article))
        known = store.story_ids_of([a.id for a in members])
        if not keys:
            return next(iter(known.values()), None), False
        if known:
            sid = next(iter(known.values()))
            report.stories_updated.append(sid)
        else:
            sid = store.create_story(conn, story["title"], when)
            report.stories_created.append(sid)
        for key, article in keys:
            store.add_member(conn, sid, key, article.published, article.title, when)
            report.added += 1
        if story.get("tracker_state"):
            store.save_state(conn, sid, story["tracker_state"])
    return sid, not known
