"""Blocking: which articles could possibly end up in one story, without comparing every pair.

``track`` puts an article into a story when their words and rare names overlap enough, and only
while the story is active (``story_idle_days``). Two articles are *linked* here when, within that
time window, they share

- a rare name: a name (``track.names``) that at most ``batch_name_postings`` articles of the same
  time window carry. Keys are (name, window) and (name, next window), so "rare" is judged per
  window: a name that is everywhere one month can still tie a story together another month;
- a rare word: one of the article's ``batch_block_terms`` most frequent words, rare in the
  window in the same sense (``track`` scores TF-IDF against a story's sum of articles, so a
  story's distinctive words tie it together even where two of its articles share no name);
- a MinHash-LSH band of their word sets (``batch_lsh_threshold``), which catches rewrites and
  copies whatever names they share, and whatever their dates (``track`` lets a quiet story take
  an article this close to it: a late copy, a wrong date).

Each key's articles are linked in date order to the previous one within the window (chaining
links the same articles as all pairs would, in linear time). The connected components of those
links are the *blocks*: ``track``'s rule then runs in each block on its own, in input order, so
blocks are assigned in parallel. Articles with the same URL or the same normalised text are
found in the same pass (keys of their own): the first one in input order is kept, as ``track``
keeps the first one it stores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

NAME, LSH, DUP = 0, 1, 2
UNDATED = np.iinfo(np.int32).max  # sorts after every day
KEY_DTYPE = np.dtype([("key", "<u8"), ("seq", "<i8"), ("day", "<i4"), ("kind", "u1")])


def _h(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def lsh_bands(threshold: float, perms: int) -> tuple[int, int]:
    """(bands, rows) datasketch chooses for this threshold: the same false-positive/negative balance."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=perms)
    return int(lsh.b), int(lsh.r)


def article_keys(rows: Sequence[dict[str, Any]], first_seq: int, window: float, bands: tuple[int, int],
                 skip: np.ndarray | None = None) -> np.ndarray:
    """Blocking keys of a partition's articles (rows as ``partition`` writes them)."""
    b, r = bands
    width = max(1, int(round(window)))
    out: list[tuple[int, int, int, int]] = []
    for i, row in enumerate(rows):
        if skip is not None and skip[i]:
            continue
        seq = first_seq + i
        day = row["day"]
        stored_day = UNDATED if day is None else int(day)
        if row["url"]:
            out.append((_h("u\x00" + row["url"]), seq, stored_day, DUP))
        out.append((_h("t\x00" + row["text_hash"]), seq, stored_day, DUP))
        for name in row["names"]:
            # (name, -) over all dates: links an undated article (no time rule in track) to the
            # dated ones, where the name is rare in the whole corpus
            out.append((_h(f"n\x00{name}\x00-"), seq, stored_day, NAME))
            if day is not None:
                window_no = int(day) // width
                out.append((_h(f"n\x00{name}\x00{window_no}"), seq, stored_day, NAME))
                out.append((_h(f"n\x00{name}\x00{window_no + 1}"), seq, stored_day, NAME))
        for term in row["terms"]:
            if day is None:
                out.append((_h(f"w\x00{term}\x00-"), seq, stored_day, NAME))
            else:
                window_no = int(day) // width
                out.append((_h(f"w\x00{term}\x00{window_no}"), seq, stored_day, NAME))
                out.append((_h(f"w\x00{term}\x00{window_no + 1}"), seq, stored_day, NAME))
        mh: np.ndarray = row["minhash"]
        for band in range(b):
            chunk = mh[band * r: (band + 1) * r].tobytes()
            out.append((int.from_bytes(hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest(), "little"),
                        seq, stored_day, LSH))
    return np.array(out, dtype=KEY_DTYPE)


def split_by_bucket(keys: np.ndarray, buckets: int) -> list[np.ndarray]:
    which = keys["key"] % np.uint64(buckets)
    return [keys[which == b] for b in range(buckets)]


def link(parts: Sequence[np.ndarray], window: float, max_postings: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Links (pairs of seqs), duplicates ((copy, original) seqs) and the number of keys of one bucket."""
    keys = np.concatenate(parts) if parts else np.zeros(0, KEY_DTYPE)
    if len(keys) == 0:
        return np.zeros((0, 2), np.int64), np.zeros((0, 2), np.int64), 0
    keys = keys[np.lexsort((keys["seq"], keys["day"], keys["key"]))]
    k, seq, day, kind = keys["key"], keys["seq"], keys["day"].astype(np.int64), keys["kind"]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    group = np.repeat(np.arange(len(starts)), sizes)

    dups: list[np.ndarray] = []
    edges: list[np.ndarray] = []
    is_dup = kind == DUP
    if is_dup.any():
        # the first article (lowest seq) of a URL or text is the original; the rest are copies
        dup_groups = np.flatnonzero((kind[starts] == DUP) & (sizes > 1))
        for g in dup_groups:
            members = seq[starts[g]: starts[g] + sizes[g]]
            first = members.min()
            copies = members[members != first]
            dups.append(np.stack([copies, np.full(len(copies), first)], axis=1))

    dense_name = (kind[starts] == NAME) & (sizes > max_postings)
    usable = ~is_dup & ~dense_name[group]
    same = np.r_[False, group[1:] == group[:-1]] & usable & np.r_[False, usable[:-1]]
    prev_day, this_day = np.r_[0, day[:-1]], day
    both_dated = (this_day != UNDATED) & (prev_day != UNDATED)
    both_undated = (this_day == UNDATED) & (prev_day == UNDATED)
    # LSH links ignore the window: track lets a quiet story take a near-retelling (QUIET_SCORE),
    # whatever the dates (a late copy, a wrong date).
    chain = same & ((kind == LSH) | (both_dated & (this_day - prev_day <= window)) | both_undated)
    idx = np.flatnonzero(chain)
    edges.append(np.stack([seq[idx - 1], seq[idx]], axis=1))
    # An undated article can join a story of any date (track has no time rule for it): link the
    # first undated article of a key to the first article of each dated run of that key.
    mixed = np.flatnonzero(usable[starts] & (kind[starts] == NAME) & (day[starts] != UNDATED)
                           & (day[starts + sizes - 1] == UNDATED))
    for g in mixed:
        lo, hi = starts[g], starts[g] + sizes[g]
        d = day[lo:hi]
        first_undated = lo + int(np.argmax(d == UNDATED))
        heads = [lo] + [lo + j for j in range(1, first_undated - lo) if d[j] - d[j - 1] > window]
        edges.append(np.array([[seq[first_undated], seq[h]] for h in heads], dtype=np.int64))
    return (np.concatenate(edges).astype(np.int64) if edges else np.zeros((0, 2), np.int64),
            np.concatenate(dups).astype(np.int64) if dups else np.zeros((0, 2), np.int64), len(keys))


def blocks(n: int, edges: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """Block number of each article (-1 for dropped ones), numbered by their first article."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    # renumber by first member so block numbers do not depend on scipy's traversal order
    first: dict[int, int] = {}
    out = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        if dropped[i]:
            continue
        out[i] = first.setdefault(int(labels[i]), len(first))
    return out
