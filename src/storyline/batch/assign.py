"""Phase 2, story assignment: ``track``'s own rule, run block by block in input order.

``track`` learns word and name frequencies as the stream goes by. Here each block's tracker
starts, at each partition, from the frequencies of every article of the partitions before it
(prefix sums over partitions, ``Stats``), and learns its own articles on top, as ``track`` does:
its decisions are ``track``'s, up to the articles of other blocks in the same partition. Story
ids are a hash of the story's first article id, so they do not depend on the number of workers
or on the packing of blocks into tasks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..settings import Settings
from ..track import Tracker, Vectoriser
from .blocking import article_keys, split_by_bucket
from .tables import Out


def story_id(first_article: str) -> str:
    return "s" + hashlib.sha1(first_article.encode("utf-8")).hexdigest()[:11]


def partition_keys(out_url: str, pid: str, first_seq: int, window: float, bands: tuple[int, int],
                   buckets: int) -> list[np.ndarray]:
    rows = Out(out_url).read_pickle("_work", "parts", f"{pid}.articles.pkl")
    return split_by_bucket(article_keys(rows, first_seq, window, bands), buckets)


@dataclass
class Stats:
    """Corpus-wide word and name document frequencies (``track``'s tables)."""

    df: np.ndarray
    docs: int
    name_df: np.ndarray
    name_docs: int

    def __add__(self, other: Stats) -> Stats:
        return Stats(self.df + other.df, self.docs + other.docs, self.name_df + other.name_df,
                     self.name_docs + other.name_docs)

    def __sub__(self, other: Stats) -> Stats:
        return Stats(self.df - other.df, self.docs - other.docs, self.name_df - other.name_df,
                     self.name_docs - other.name_docs)

    @classmethod
    def of(cls, tracker: Tracker) -> Stats:
        return cls(tracker.vectoriser.df.copy(), tracker.vectoriser.docs, tracker.name_df.copy(), tracker.name_docs)

    def load_into(self, tracker: Tracker) -> None:
        tracker.vectoriser = Vectoriser(self.df.astype(np.int64), int(self.docs))
        tracker.name_df, tracker.name_docs = self.name_df.astype(np.int64), int(self.name_docs)
        tracker.reweight(force=True)


def add_stats(before: Stats | None, part: Stats) -> Stats:
    """Frequencies of every article up to and including this partition (compact: int32)."""
    total = part if before is None else before + part
    return Stats(total.df.astype(np.int32), total.docs, total.name_df.astype(np.int32), total.name_docs)


def route_articles(out_url: str, pid: str, index: int, first_seq: int, task_of: np.ndarray, block_of: np.ndarray,
                   settings: Settings) -> dict[Any, Any]:
    """A partition's kept articles, split by assignment task, and its word/name frequencies."""
    rows = Out(out_url).read_pickle("_work", "parts", f"{pid}.articles.pkl")
    learner = Tracker(settings)
    routed: dict[Any, Any] = {}
    for i, row in enumerate(rows):
        if task_of[i] < 0:  # a duplicate: track skips it before it learns anything from it
            continue
        a = row["article"]
        learner.features(a.title, a.text, a.published)
        routed.setdefault(int(task_of[i]), []).append(
            (first_seq + i, index, int(block_of[i]), a.id, a.title, a.text, a.published))
    routed["stats"] = Stats.of(learner)
    return routed


def assign_task(settings: Settings, before: dict[int, Stats | None], *parts: Sequence[tuple[Any, ...]]
                ) -> list[tuple[int, str, bytes | None]]:
    """(seq, story id, tracker state of the story if this is its last article) for each article.

    ``before[p]``: frequencies of the partitions before partition ``p`` (None for the first).
    The tracker state is what ``track`` keeps in the store for a story, so a later ``track`` run
    on a store filled from this output continues these stories.
    """
    items = sorted((x for part in parts for x in part), key=lambda x: x[0])
    by_block: dict[int, list[tuple[Any, ...]]] = {}
    for item in items:
        by_block.setdefault(item[2], []).append(item)
    out: list[tuple[int, str, bytes | None]] = []
    for members in by_block.values():
        tracker = Tracker(settings)
        base: Stats | None = None  # what the tracker was given, not learnt, at the current partition
        partition = -1
        last_of: dict[str, int] = {}
        for seq, p, _, aid, title, text, published in members:
            if p != partition:  # the stream moved on to a later partition: take its prefix
                learnt = Stats.of(tracker) - base if base is not None else Stats.of(tracker)
                base = before[p] or Stats(np.zeros_like(learnt.df), 0, np.zeros_like(learnt.name_df), 0)
                (base + learnt).load_into(tracker)
                partition = p
            f = tracker.features(title, text, published)
            choice = tracker.assign(f)
            sid = story_id(aid) if choice.slot is None else str(tracker.ids[choice.slot])
            tracker.add(choice.slot, f, sid)
            out.append((seq, sid, None))
            last_of[sid] = len(out) - 1
        for slot, live_id in enumerate(tracker.ids):
            if live_id is not None and tracker.live[slot]:
                seq, s, _ = out[last_of[live_id]]
                out[last_of[live_id]] = (seq, s, tracker.state(slot))
    return out
