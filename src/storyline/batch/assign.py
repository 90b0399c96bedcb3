"""Phase 2, story assignment: ``track``'s own rule, run block by block in input order.

``track`` learns word and name frequencies from every article as the stream goes by, and scores
with what it has learnt so far. Here each task replays that learning exactly: at each partition
it starts from the frequencies of all partitions before it (prefix sums, ``Stats``), then goes
through the partition's articles in order, learning every one (term ids and name keys were taken
when it was routed) and assigning those of its own blocks with ``Tracker.features`` /
``assign`` / ``add``. What differs from one ``track`` process: a block's tracker only holds the
stories of its block (others share no rare name and no LSH band with it), and retires idle
stories on its own clock. Story ids are a hash of the story's first article id, so they do not
depend on the number of workers or on the packing of blocks into tasks.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..settings import Settings
from ..track import NAME_BITS, Tracker, Vectoriser, names
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


def add_stats(before: Stats | None, part: Stats) -> Stats:
    """Frequencies of every article up to and including this partition (compact: int32)."""
    total = part if before is None else before + part
    return Stats(total.df.astype(np.int32), total.docs, total.name_df.astype(np.int32), total.name_docs)


def name_keys(title: str | None, text: str) -> np.ndarray:
    """The rows of ``track``'s name-frequency table an article counts in (as ``Tracker.features``)."""
    mask = (1 << NAME_BITS) - 1
    return np.array([zlib.crc32(e.encode("utf-8")) & mask for e in names(text, title)], dtype=np.int32)


def route_articles(out_url: str, pid: str, index: int, first_seq: int, task_of: np.ndarray, block_of: np.ndarray,
                   settings: Settings) -> dict[Any, Any]:
    """A partition's kept articles split by assignment task, what every one of them teaches the
    tracker (term ids, name keys), and the partition's word/name frequencies."""
    rows = Out(out_url).read_pickle("_work", "parts", f"{pid}.articles.pkl")
    vectoriser = Vectoriser()
    routed: dict[Any, Any] = {}
    learn: list[tuple[int, np.ndarray, np.ndarray]] = []
    name_df = np.zeros(1 << NAME_BITS, dtype=np.int64)
    for i, row in enumerate(rows):
        if task_of[i] < 0:  # a duplicate: track skips it before it learns anything from it
            continue
        a = row["article"]
        terms = np.fromiter(vectoriser.counts(a.title, a.text).keys(), dtype=np.int32)
        keys = name_keys(a.title, a.text)
        learn.append((first_seq + i, terms, keys))
        vectoriser.df[terms] += 1
        name_df[keys] += 1
        routed.setdefault(int(task_of[i]), []).append(
            (first_seq + i, int(block_of[i]), a.id, a.title, a.text, a.published))
    routed["learn"] = learn
    routed["stats"] = Stats(vectoriser.df, len(learn), name_df, len(learn))
    return routed


def assign_task(settings: Settings, before: dict[int, Stats | None],
                learn: dict[int, list[tuple[int, np.ndarray, np.ndarray]]],
                *parts: Sequence[tuple[Any, ...]]) -> tuple[list[tuple[int, str, bytes | None]], float]:
    """(seq, story id, tracker state of the story if this is its last article) for each article,
    and the CPU seconds the task took.

    ``before[p]``: frequencies of the partitions before partition ``p`` (None for the first);
    ``learn[p]``: (seq, term ids, name keys) of every kept article of partition ``p``. The tracker
    state is what ``track`` keeps in the store for a story, so a later ``track`` run on a store
    filled from this output continues these stories.
    """
    c0 = time.process_time()
    mine = {x[0]: x for part in parts for x in part}
    trackers: dict[int, Tracker] = {}
    vectoriser = Vectoriser()
    name_df = np.zeros(1 << NAME_BITS, dtype=np.int64)
    name_docs = 0
    out: list[tuple[int, str, bytes | None]] = []
    last_of: dict[str, int] = {}
    for p in sorted(learn):
        start = before[p]
        if start is not None:  # the exact frequencies of everything before this partition
            vectoriser = Vectoriser(start.df.astype(np.int64), int(start.docs))
            name_df, name_docs = start.name_df.astype(np.int64), int(start.name_docs)
        else:
            vectoriser, name_df, name_docs = Vectoriser(), np.zeros(1 << NAME_BITS, dtype=np.int64), 0
        for tracker in trackers.values():
            tracker.vectoriser, tracker.name_df = vectoriser, name_df
        for seq, terms, keys in learn[p]:
            item = mine.get(seq)
            if item is None:  # another task's article: learn from it, as track would
                vectoriser.docs += 1
                vectoriser.df[terms] += 1
                name_df[keys] += 1
                name_docs += 1
                continue
            _, block, aid, title, text, published = item
            if block not in trackers:
                trackers[block] = Tracker(settings)
                trackers[block].vectoriser, trackers[block].name_df = vectoriser, name_df
            tracker = trackers[block]
            tracker.name_docs = name_docs
            f = tracker.features(title, text, published)  # learns, into the shared tables
            name_docs = tracker.name_docs
            choice = tracker.assign(f)
            sid = story_id(aid) if choice.slot is None else str(tracker.ids[choice.slot])
            tracker.add(choice.slot, f, sid)
            out.append((seq, sid, None))
            last_of[sid] = len(out) - 1
    for tracker in trackers.values():
        for slot, live_id in enumerate(tracker.ids):
            if live_id is not None and tracker.live[slot]:
                seq, s, _ = out[last_of[live_id]]
                out[last_of[live_id]] = (seq, s, tracker.state(slot))
    return out, time.process_time() - c0
