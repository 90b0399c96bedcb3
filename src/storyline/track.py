"""Track a stream of articles into stories, online, in arrival order, kept in the store.

Each article becomes a hashed sublinear term-frequency vector plus a set of capitalised names.
A story's centroid is the sum of its articles' term vectors; the inverse document frequencies
(learnt online) are applied when scoring, with the current table, so the first articles of a
stream are not frozen into the centroids with the unreliable weights of a tiny vocabulary.
The score is the TF-IDF cosine plus a bonus for shared names, each name weighted by its own
rarity (a shared rare name is what makes two reports one story; "Obama" is not).

An article joins the active story it scores highest with if the score clears
``settings.story_threshold``, or, slightly below it (``CLEAR_MATCH_SCORE``), if that story is a
clear best match: ``CLEAR_MATCH_RATIO`` times the runner-up (a ratio test; an ambiguous article
starts its own story instead). A story whose articles are all more than
``settings.story_idle_days`` away from the new article's date does not take it, even when the
same people are involved. Otherwise it starts a new story.

Memory is bounded by ``settings.max_active_stories``: a fixed-width centroid per active story,
fixed-size document-frequency tables (words, names), nothing per article. Stories that go quiet, or the least
recently updated ones when the limit is reached, are retired from memory and stay in the store.
"""

from __future__ import annotations

import json
import math
import re
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from .errors import InputError, InternalError, StoreError, StorylineError
from .models import Article, Brief
from .settings import Settings
from .store import Store, open_store
from .store.sqlite import now_iso, text_hash

Progress = Callable[[str], None]

DIM_BITS = 14
DIM = 1 << DIM_BITS  # hashed vocabulary width; 64 KB of float32 per active story
TITLE_WEIGHT = 2  # title words count twice: the headline names the event
MAX_TERMS = 300  # an article vector keeps its strongest terms (speed, and less noise)
MAX_ENTITIES = 20
STATE_TERMS = 1500  # terms of a centroid kept in the store for the next run
QUIET_SCORE = 0.4  # text similarity a quiet story needs to take a new article
ENTITY_WEIGHT = 0.2  # how much shared names (rarity-weighted share of the article's names) add
CLEAR_MATCH_SCORE = 0.15  # below the threshold, a story this close takes an article only if it is
CLEAR_MATCH_RATIO = 2.0  # ... this many times closer than the runner-up
IDF_REFRESH = 50  # articles between re-weightings of the centroid norms with the current idf
NAME_BITS = 16  # hashed name-frequency table (names are rarer and more varied than words)
STATE_VERSION = 2  # 2: centroids hold term frequencies, idf applied at scoring (1: tf-idf)

_WORD = re.compile(r"[a-z][a-z0-9'’-]{2,}")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’.-]+(?:\s+(?:[A-Z][a-zA-Z'’.-]+|de|al|bin|van|von))*")
_STOP = frozenset(
    "a about above after again against all also am an and any are as at be because been before being below"
    " between both but by can could did do does doing down during each few for from further had has have"
    " having he her here hers herself him himself his how i if in into is it its itself just me more most"
    " my myself no nor not now of off on once only or other our ours ourselves out over own same she should"
    " so some such than that the their theirs them themselves then there these they this those through to"
    " too under until up very was we were what when where which while who whom why will with would you your"
    " yours yourself said says say told would could also one two three new year years like just get got"
    " may might must shall 's us mr mrs ms people time last first week day days told according including"
    " since many much well even back make made still way going".split()
)
_NAME_STOP = frozenset(
    "The A An In On At For And But Or If As It He She They We I You This That These Those His Her Their Its"
    " Our After Before When While With Without From By To Of Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday"
    " Friday Saturday Sunday January February March April May June July August September October November"
    " December Read More Related Photo Image Getty AP Reuters Copyright Click Share Advertisement"
    " There Here What Who Why How Where Some Many Most One Two Three Last Next New Also Still Yet So Then"
    " According However Meanwhile Although Because Since During Under Over Now Today Yesterday".split()
)


# --- features ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Features:
    """What the tracker needs of an article: a unit term vector, names, a day number."""

    idx: np.ndarray  # int32 hashed term ids
    weights: np.ndarray  # float32 term frequencies, unit length once weighted by the idf
    entities: tuple[str, ...]  # most frequent first (a tuple: runs must not depend on hash seeds)
    day: int | None  # proleptic ordinal of the publication date
    rarity: tuple[float, ...] = ()  # idf of each name, when the article arrived


class Vectoriser:
    """Hashed TF-IDF with document frequencies learnt online (a fixed-size table)."""

    def __init__(self, df: np.ndarray | None = None, docs: int = 0) -> None:
        self.df = df if df is not None else np.zeros(DIM, dtype=np.int64)
        self.docs = docs
        self._cache: dict[str, int] = {}

    def _index(self, token: str) -> int:
        i = self._cache.get(token)
        if i is None:
            if len(self._cache) > 200_000:  # bounded: the vocabulary of a long stream is not
                self._cache.clear()
            # crc32, not hash(): str hashes change between processes and the ids are stored.
            i = self._cache[token] = zlib.crc32(token.encode("utf-8")) & (DIM - 1)
        return i

    def counts(self, title: str | None, text: str) -> Counter[int]:
        counts: Counter[int] = Counter()
        for tok in _WORD.findall(text.lower()):
            if tok not in _STOP:
                counts[self._index(tok)] += 1
        if title:
            for tok in _WORD.findall(title.lower()):
                if tok not in _STOP:
                    counts[self._index(tok)] += TITLE_WEIGHT
        return counts

    def vector(self, title: str | None, text: str, learn: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Term ids and sublinear term frequencies, scaled so that the TF-IDF vector is a unit vector.

        The idf is not baked in: the tracker applies the current idf when it scores, so an
        article's contribution to a centroid is re-weighted as the vocabulary is learnt.
        """
        counts = self.counts(title, text)
        if not counts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        if learn:
            self.docs += 1
            self.df[idx] += 1
        idf = self.idf(idx)
        if len(tf) > MAX_TERMS:
            keep = np.argpartition(-(tf * idf), MAX_TERMS)[:MAX_TERMS]
            idx, tf, idf = idx[keep], tf[keep], idf[keep]
        return idx, (tf / float(np.linalg.norm(tf * idf))).astype(np.float32)

    def idf(self, idx: np.ndarray | None = None) -> np.ndarray:
        df = self.df if idx is None else self.df[idx]
        return (np.log((self.docs + 1) / (df + 1)) + 1.0).astype(np.float32)


def names(text: str, title: str | None = None) -> tuple[str, ...]:
    """Cheap entity guess: runs of capitalised words, minus sentence-start function words."""
    counts: Counter[str] = Counter()
    for source in (title or "", text[:6000]):
        for match in _NAME.findall(source):
            words = match.split()
            while words and words[0] in _NAME_STOP:
                words = words[1:]
            if not words:
                continue
            name = " ".join(words).strip(".'’-").lower()
            if len(name) > 2:
                counts[name] += 1
    return tuple(n for n, _ in counts.most_common(MAX_ENTITIES))


def day_number(published: str | None) -> int | None:
    """Ordinal day of an ISO date; None when missing or not at day precision."""
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


# --- the in-memory tracker ----------------------------------------------------------------------


@dataclass
class Assignment:
    slot: int | None  # None: start a new story
    score: float


class Tracker:
    """Active stories as columns of a (DIM x capacity) matrix of summed article vectors."""

    def __init__(self, settings: Settings, use_time: bool = True, entity_weight: float = ENTITY_WEIGHT) -> None:
        self.settings = settings
        self.use_time = use_time
        self.entity_weight = entity_weight
        self.vectoriser = Vectoriser()
        self.name_df = np.zeros(1 << NAME_BITS, dtype=np.int64)
        self.name_docs = 0
        self.idf2 = np.ones(DIM, dtype=np.float32)  # squared idf the norms in ``sq`` use
        self.idf2_docs = -1  # documents seen when ``idf2`` was taken
        self.capacity = 0
        self.limit = max(1, settings.max_active_stories)
        self.matrix = np.zeros((DIM, 0), dtype=np.float32)
        self.sq = np.zeros(0, dtype=np.float64)  # squared idf-weighted norm of each centroid
        self.first = np.zeros(0, dtype=np.float64)  # day numbers, nan when undated
        self.last = np.zeros(0, dtype=np.float64)
        self.touched = np.zeros(0, dtype=np.int64)  # arrival counter of the last update
        self.live = np.zeros(0, dtype=bool)
        self.ids: list[str | None] = []
        self.sizes: list[int] = []
        self.entities: list[Counter[str]] = []
        self.clock = 0  # articles seen
        self.latest_day: int | None = None
        self.retired = 0

    # slots ----------------------------------------------------------------------------------

    @property
    def active(self) -> int:
        return int(self.live.sum())

    def _grow(self) -> None:
        new = min(self.limit, max(16, self.capacity * 2))
        extra = new - self.capacity

        def pad(a: np.ndarray, value: float | int | bool) -> np.ndarray:
            return np.concatenate([a, np.full(extra, value, dtype=a.dtype)])

        matrix = np.zeros((DIM, new), dtype=np.float32)
        matrix[:, : self.capacity] = self.matrix
        self.matrix = matrix
        self.sq, self.first, self.last = pad(self.sq, 0.0), pad(self.first, np.nan), pad(self.last, np.nan)
        self.touched, self.live = pad(self.touched, 0), pad(self.live, False)
        self.ids += [None] * extra
        self.sizes += [0] * extra
        self.entities += [Counter() for _ in range(extra)]
        self.capacity = new

    def _free_slot(self) -> int:
        free = np.flatnonzero(~self.live)
        if len(free):
            return int(free[0])
        if self.capacity < self.limit:
            self._grow()
            return self._free_slot()
        # Full: retire the least recently updated story (it stays in the store).
        slot = int(np.argmin(self.touched))
        self.retire(slot)
        return slot

    def retire(self, slot: int) -> None:
        self.matrix[:, slot] = 0.0
        self.sq[slot] = 0.0
        self.first[slot] = self.last[slot] = np.nan
        self.live[slot] = False
        self.ids[slot] = None
        self.sizes[slot] = 0
        self.entities[slot] = Counter()
        self.retired += 1

    def retire_idle(self) -> None:
        """Stories quiet for longer than the idle time before the newest date can take nothing new."""
        if not self.use_time or self.latest_day is None:
            return
        cutoff = self.latest_day - self.settings.story_idle_days
        with np.errstate(invalid="ignore"):
            idle = self.live & (self.last < cutoff)
        for slot in np.flatnonzero(idle):
            self.retire(int(slot))

    # assignment -----------------------------------------------------------------------------

    def features(self, title: str | None, text: str, published: str | None) -> Features:
        idx, w = self.vectoriser.vector(title, text)
        ents = names(text, title)
        keys = [zlib.crc32(e.encode("utf-8")) & ((1 << NAME_BITS) - 1) for e in ents]
        self.name_docs += 1
        self.name_df[keys] += 1
        rarity = tuple(float(x) for x in np.log((self.name_docs + 1) / (self.name_df[keys] + 1)) + 1.0)
        return Features(idx, w, ents, day_number(published) if self.use_time else None, rarity)

    def reweight(self, force: bool = False) -> None:
        """Take the current idf for scoring and recompute every centroid norm with it.

        Often while the vocabulary is young (after 1, 2, 4, ... documents), then every
        ``IDF_REFRESH`` documents: one pass over the active centroids, in blocks (bounded memory).
        """
        docs = self.vectoriser.docs
        if not force and docs - self.idf2_docs < min(IDF_REFRESH, max(1, self.idf2_docs)):
            return
        self.idf2_docs = docs
        idf = self.vectoriser.idf()
        self.idf2 = idf * idf
        for a in range(0, self.capacity, 256):
            block = self.matrix[:, a : a + 256]
            self.sq[a : a + 256] = (block * block).T @ self.idf2

    def assign(self, f: Features) -> Assignment:
        if not self.capacity or not self.live.any() or len(f.idx) == 0:
            return Assignment(None, 0.0)
        self.reweight()
        dots = (f.weights * self.idf2[f.idx]) @ self.matrix[f.idx]  # (capacity,)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.where(self.live, dots / np.sqrt(np.maximum(self.sq, 1e-12)), -1.0)
        if self.use_time and f.day is not None:
            # A story quiet for longer than the idle time before this article's date takes it
            # only when the text is close to a retelling (a late copy, a wrong date), never for
            # merely sharing words and people. Late-arriving older articles are not affected.
            with np.errstate(invalid="ignore"):
                quiet = f.day > self.last + self.settings.story_idle_days  # nan (undated): False
            scores = np.where(quiet & (scores < QUIET_SCORE), -1.0, scores)
        if self.entity_weight and f.entities:
            # Only the few best text candidates get the (Python-level) name comparison.
            top = np.argpartition(-scores, min(8, len(scores) - 1))[:8]
            total = sum(f.rarity) or 1.0
            for slot in top:
                if scores[slot] <= 0:
                    continue
                ents = self.entities[slot]
                shared = sum(r for e, r in zip(f.entities, f.rarity, strict=True) if e in ents)
                scores[slot] += self.entity_weight * shared / total
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score >= self.settings.story_threshold:
            return Assignment(best, score)
        if score >= CLEAR_MATCH_SCORE:
            # Ratio test: slightly below the threshold, join only an unambiguous best match.
            runner_up = float(np.partition(scores, len(scores) - 2)[-2]) if len(scores) > 1 else 0.0
            if score >= CLEAR_MATCH_RATIO * max(runner_up, 0.0):
                return Assignment(best, score)
        return Assignment(None, score)

    def add(self, slot: int | None, f: Features, story_id: str) -> int:
        """Put the article into ``slot`` (or a fresh slot for a new story); returns the slot."""
        self.clock += 1
        if slot is None:
            slot = self._free_slot()
            self.live[slot] = True
            self.ids[slot] = story_id
        col = self.matrix[:, slot]
        if len(f.idx):
            old = col[f.idx]
            new = old + f.weights
            col[f.idx] = new
            self.sq[slot] += float(np.dot(new * new - old * old, self.idf2[f.idx]))
        if f.day is not None:
            d = float(f.day)
            self.first[slot] = d if math.isnan(self.first[slot]) else min(self.first[slot], d)
            self.last[slot] = d if math.isnan(self.last[slot]) else max(self.last[slot], d)
            self.latest_day = f.day if self.latest_day is None else max(self.latest_day, f.day)
        self.touched[slot] = self.clock
        self.sizes[slot] += 1
        ents = self.entities[slot]
        ents.update(f.entities)
        if len(ents) > 4 * MAX_ENTITIES:  # bounded per story
            self.entities[slot] = Counter(dict(ents.most_common(2 * MAX_ENTITIES)))
        if self.clock % 100 == 0:
            self.retire_idle()
        return slot

    # persistence ----------------------------------------------------------------------------

    def state(self, slot: int) -> bytes:
        col = self.matrix[:, slot]
        nz = np.flatnonzero(col)
        if len(nz) > STATE_TERMS:
            nz = nz[np.argpartition(-col[nz], STATE_TERMS)[:STATE_TERMS]]
        head = json.dumps({"v": STATE_VERSION, "n": self.sizes[slot], "k": len(nz),
                           "entities": dict(self.entities[slot].most_common(2 * MAX_ENTITIES))}).encode()
        return struct.pack("<I", len(head)) + head + nz.astype("<i4").tobytes() + col[nz].astype("<f4").tobytes()

    def restore(self, story_id: str, first: str | None, last: str | None, blob: bytes) -> None:
        (hlen,) = struct.unpack_from("<I", blob)
        head = json.loads(blob[4 : 4 + hlen])
        k = head["k"]
        off = 4 + hlen
        idx = np.frombuffer(blob, dtype="<i4", count=k, offset=off)
        vals = np.frombuffer(blob, dtype="<f4", count=k, offset=off + 4 * k)
        if head.get("v", 1) < 2:  # written with the idf baked in: take it out with today's idf
            vals = vals / self.vectoriser.idf(idx)
        slot = self._free_slot()
        self.live[slot] = True
        self.ids[slot] = story_id
        self.matrix[idx, slot] = vals
        self.sq[slot] = float(np.dot(vals * vals, self.idf2[idx]))
        f, la = day_number(first), day_number(last)
        self.first[slot] = np.nan if f is None else f
        self.last[slot] = np.nan if la is None else la
        if la is not None:
            self.latest_day = la if self.latest_day is None else max(self.latest_day, la)
        self.sizes[slot] = head["n"]
        self.entities[slot] = Counter(head["entities"])
        self.touched[slot] = self.clock

    def save_vocabulary(self, store: Store, conn: object) -> None:
        store.set_meta(conn, "df", self.vectoriser.df.astype("<i8").tobytes())  # type: ignore[arg-type]
        store.set_meta(conn, "docs", str(self.vectoriser.docs).encode())  # type: ignore[arg-type]
        store.set_meta(conn, "name_df", self.name_df.astype("<i8").tobytes())  # type: ignore[arg-type]
        store.set_meta(conn, "name_docs", str(self.name_docs).encode())  # type: ignore[arg-type]

    @classmethod
    def from_store(cls, store: Store, settings: Settings) -> Tracker:
        """Resume: the document frequencies and the most recently updated stories."""
        tracker = cls(settings)
        df, docs = store.get_meta("df"), store.get_meta("docs")
        if df is not None and docs is not None and len(df) == DIM * 8:
            tracker.vectoriser = Vectoriser(np.frombuffer(df, dtype="<i8").astype(np.int64), int(docs))
        name_df, name_docs = store.get_meta("name_df"), store.get_meta("name_docs")
        if name_df is not None and name_docs is not None and len(name_df) == 8 << NAME_BITS:
            tracker.name_df = np.frombuffer(name_df, dtype="<i8").astype(np.int64)
            tracker.name_docs = int(name_docs)
        tracker.reweight(force=True)
        rows = store.recent_states(tracker.limit)
        for story_id, first, last, blob in reversed(rows):  # oldest first: newest end most recent
            tracker.clock += 1
            tracker.restore(story_id, first, last, bytes(blob))
        tracker.reweight(force=True)
        tracker.retire_idle()
        tracker.retired = 0
        return tracker


def assign_stream(
    docs: Iterable[tuple[str | None, str, str | None]],
    settings: Settings,
    use_time: bool = True,
    entity_weight: float = ENTITY_WEIGHT,
) -> list[int]:
    """Story labels for (title, text, published) in arrival order, the same rule ``track`` uses."""
    tracker = Tracker(settings, use_time=use_time, entity_weight=entity_weight)
    labels: list[int] = []
    story_of_slot: dict[int, int] = {}
    stories = 0
    for title, text, published in docs:
        f = tracker.features(title, text, published)
        a = tracker.assign(f)
        if a.slot is None:
            slot = tracker.add(None, f, str(stories))
            story_of_slot[slot] = stories
            stories += 1
        else:
            slot = tracker.add(a.slot, f, str(story_of_slot[a.slot]))
        labels.append(story_of_slot[slot])
    return labels


# --- reading a stream of inputs -----------------------------------------------------------------


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def read_stream(inputs: Sequence[str], settings: Settings) -> Iterator[Article | InputError]:
    """Each input's articles (not yet cleaned) or problems, input by input, in the given order.

    Inputs are expanded one at a time, so a folder of 50,000 files is listed, never held in
    memory as articles; runs of URLs are fetched together (see ``ingest.read_sources``).
    """
    from .ingest import read_sources
    from .ingest.sources import Source, expand

    def sources() -> Iterator[Source | InputError]:
        for item in inputs:
            found, problems = expand([item], settings)
            yield from problems
            yield from found

    yield from read_sources(sources(), settings)


def clean_one(article: Article, settings: Settings) -> Article | InputError:
    """``clean.clean``, then the same too-short rule as the single-story pipeline."""
    from .clean import clean

    cleaned = clean(article)
    words = len(cleaned.text.split())
    if words < settings.min_words:
        where = article.url or article.path or article.id
        return InputError(where, f"no article text found ({words} words after removing boilerplate)")
    return cleaned


# --- track ---------------------------------------------------------------------------------------


@dataclass
class TrackReport:
    """What one ``track`` run did."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (article id, story id)
    duplicates: list[str] = field(default_factory=list)  # the inputs that were already stored
    problems: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stories_created: list[str] = field(default_factory=list)
    stories_updated: list[str] = field(default_factory=list)  # existing stories with new articles
    seconds: float = 0.0

    @property
    def changed_stories(self) -> list[str]:
        return self.stories_created + self.stories_updated

    def summary(self) -> str:
        rate = len(self.added) / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{len(self.added)} articles added ({rate:.1f}/s), {len(self.duplicates)} duplicates skipped, "
            f"{len(self.problems)} inputs with problems; {len(self.stories_created)} new stories, "
            f"{len(self.stories_updated)} stories updated"
        )


def track(
    inputs: Sequence[str],
    store: Store,
    settings: Settings | None = None,
    progress: Progress | None = None,
    on_stored: Callable[[str, str], None] | None = None,
    articles: Iterable[Article] | None = None,
    clean: bool = True,
) -> TrackReport:
    """Assign every article of ``inputs`` (files, folders, JSONL, URLs, feeds) to a story.

    Each article is committed to the store (article, membership, story state) in one
    transaction before ``on_stored(article_id, story_id)`` is called, so an article reported
    done survives the process being killed. ``articles`` adds already-read articles after the
    inputs (the benchmark uses it); ``clean=False`` skips ``clean.clean`` for those.

    One writer at a time: the run holds the store's writer lock (``Store.writer_lock``) from
    loading the tracker to saving it, so two ``track`` processes on one store give the stories
    one process would, never a split of them. An exception that is not an input's fault is an
    ``InternalError`` for that one article; the run goes on.
    """
    from .ingest import run_session

    settings = settings or Settings()
    say = progress or (lambda _m: None)
    report = TrackReport()
    t0 = time.perf_counter()
    with store.writer_lock(settings.lock_wait, say), run_session(settings, progress):
        _track(inputs, store, settings, say, report, on_stored, articles, clean)
    report.seconds = time.perf_counter() - t0
    return report


def _track(
    inputs: Sequence[str],
    store: Store,
    settings: Settings,
    say: Progress,
    report: TrackReport,
    on_stored: Callable[[str, str], None] | None,
    articles: Iterable[Article] | None,
    clean: bool,
) -> None:
    tracker = Tracker.from_store(store, settings)
    created: set[str] = set()
    updated: set[str] = set()

    def items() -> Iterator[tuple[Article | InputError, bool]]:
        for x in read_stream(inputs, settings):
            yield x, True
        for a in articles or ():
            yield a, clean

    for item, needs_clean in items():
        if isinstance(item, InputError):
            report.problems.append(item)
            say(f"skipped {item}")
            continue
        try:
            done = _track_one(item, needs_clean, store, tracker, settings, report)
        except StorylineError:
            raise  # the store itself failed (locked, full): not one article's fault
        except Exception as exc:
            report.problems.append(InternalError(item.url or item.path or item.id, exc))
            # The failed transaction was rolled back; the tracker may hold half of it.
            tracker = Tracker.from_store(store, settings)
            continue
        if done is None:
            continue
        key, story_id, new = done
        report.added.append((key, story_id))
        if new:
            created.add(story_id)
        elif story_id not in created:
            updated.add(story_id)
        if on_stored is not None:
            on_stored(key, story_id)
        if len(report.added) % 100 == 0:
            say(f"tracked {len(report.added)} articles into {len(created) + len(updated)} stories")
    with store.transaction() as conn:
        tracker.save_vocabulary(store, conn)
    report.stories_created = sorted(created)
    report.stories_updated = sorted(updated)


def _track_one(
    item: Article, needs_clean: bool, store: Store, tracker: Tracker, settings: Settings,
    report: TrackReport,
) -> tuple[str, str, bool] | None:
    """Store one article in its story: (article key, story id, story is new), or None when
    the article is a duplicate or has no text left (noted in ``report``)."""
    article = clean_one(item, settings) if needs_clean else item
    if isinstance(article, InputError):
        report.problems.append(article)
        return None
    where = article.url or article.path or article.id
    digest = text_hash(article.text)  # once per article: the store needs it three times
    if store.find_duplicate(article, digest=digest) is not None:
        report.duplicates.append(where)
        return None
    if article.published is None:
        report.notes.append(f"{where}: no publication date found; tracked without the time rule")
    f = tracker.features(article.title, article.text, article.published)
    choice = tracker.assign(f)
    when = now_iso()
    with store.transaction() as conn:
        key = store.insert_article(conn, article, when, digest=digest)
        if key is None:  # stored meanwhile by another writer
            report.duplicates.append(where)
            return None
        if choice.slot is None:
            story_id = store.create_story(conn, article.title, when)
        else:
            story_id = tracker.ids[choice.slot]  # type: ignore[assignment]
        store.add_member(conn, story_id, key, article.published, article.title, when)
        slot = tracker.add(choice.slot, f, story_id)
        store.save_state(conn, story_id, tracker.state(slot))
        if tracker.clock % 200 == 0:
            tracker.save_vocabulary(store, conn)
    # committed: now it may be reported
    return key, story_id, choice.slot is None


# --- briefs of stored stories ---------------------------------------------------------------------


def update_briefs(
    store: Store, story_ids: Sequence[str], settings: Settings | None = None, progress: Progress | None = None
) -> dict[str, str]:
    """Re-brief changed stories and store the JSON; returns story id -> "ok" or the error."""
    from .pipeline import brief_articles
    from .report import render

    settings = settings or Settings()
    say = progress or (lambda _m: None)
    out: dict[str, str] = {}
    for sid in story_ids:
        say(f"briefing story {sid}")
        try:
            brief = brief_articles(store.story_articles(sid), settings)
            store.save_brief(sid, render(brief, "json"))
            out[sid] = "ok"
        except (InputError, StoreError, ValueError) as exc:
            out[sid] = str(exc)
    return out


def brief_story(
    story_id: str,
    db: str | Path | None,
    settings: Settings | None = None,
    since: str | None = None,
    progress: Progress | None = None,
) -> tuple[Brief | None, list[InputError]]:
    """Brief a stored story; with ``since``, only the articles tracked since then (what is new)."""
    from dataclasses import replace

    from .pipeline import brief_articles

    settings = settings or Settings()
    with open_store(db, readonly=True) as store:
        all_articles = store.story_articles(story_id)
        articles = store.story_articles(story_id, since=since) if since else all_articles
        row = store.story(story_id)
    if not articles:
        return None, [InputError(story_id, f"no article tracked since {since} ({len(all_articles)} in the story)")]
    brief = brief_articles(articles, settings, progress)
    if since:
        note = (f"story {story_id}: {len(articles)} of {len(all_articles)} articles are new since {since}; "
                "this briefing covers only those")
        brief = replace(brief, warnings=(note, *brief.warnings))
    if row.title and brief.title == "Untitled story":
        brief = replace(brief, title=row.title)
    return brief, []
