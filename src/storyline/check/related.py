"""Related sentence pairs: the only pairs the conflict rules compare."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..align import has_vector
from ..analyse.embed import SentenceVectors
from ..models import AnalysedArticle, Claim
from ..similarity import nearest_pairs
from .links import Key

RELATED_SIMILARITY = 0.35
"""Cosine above which two sentences of one story are compared at all (conflicting sentences about
one fact score 0.39-0.70 on the example; the rules then require the same event)."""
NEIGHBOURS = 40
"""Each sentence is compared with its this-many nearest sentences in the story (more only when
copies tie with the last of them), plus the other mentions of its claims, so the work grows
linearly with the story."""


def related_pairs(
    docs: Sequence[AnalysedArticle],
    claims: Sequence[Claim],
    vectors: SentenceVectors,
    group_of: dict[str, int],
) -> list[tuple[Key, Key]]:
    """Pairs (smaller key, larger key) of sentences to compare, sorted: the mentions of one
    claim, and each sentence with its nearest sentences of the same story group."""
    ordered, codes = related_codes(docs, claims, vectors, group_of)
    n = len(ordered)
    return [(ordered[code // n], ordered[code % n]) for code in codes.tolist()]


def related_codes(
    docs: Sequence[AnalysedArticle],
    claims: Sequence[Claim],
    vectors: SentenceVectors,
    group_of: dict[str, int],
    wanted: set[Key] | None = None,
) -> tuple[list[Key], np.ndarray]:
    """``related_pairs`` as arrays: the story's sentence keys in order, and each pair as the
    code rank(a) * len(keys) + rank(b), sorted (a story of hundreds of articles has hundreds of
    thousands of pairs; the conflict rules filter them as arrays before looking at any).

    ``wanted``: the sentences some rule could take. Of the nearest-sentence pairs only those of
    two wanted sentences are made (the rest could reach no rule): only the wanted sentences'
    neighbours are looked for, each still among all the story's sentences, so a pair of two
    wanted sentences is found exactly as without ``wanted``. The mentions of a claim are all
    paired either way."""
    ordered = sorted({(s.article, s.index) for d in docs for s in d.sentences})
    rank = {key: i for i, key in enumerate(ordered)}
    n = len(ordered)
    # a pair is coded as rank(a) * n + rank(b): sorting the codes sorts the pairs by key
    found: list[np.ndarray] = []
    for c in claims:
        ranks = sorted({rank[mk] for m in c.mentions if (mk := (m.article, m.sentence)) in rank})
        codes = [
            a * n + b
            for i, a in enumerate(ranks)
            for b in ranks[i + 1 :]
            if group_of.get(ordered[a][0]) == group_of.get(ordered[b][0])
        ]
        if codes:
            found.append(np.asarray(codes, dtype=np.int64))
    by_group: dict[int, list[Key]] = defaultdict(list)
    for d in docs:
        for s in d.sentences:
            if has_vector(vectors, (s.article, s.index)):
                by_group[group_of[d.article.id]].append((s.article, s.index))
    for keys in by_group.values():
        if len(keys) < 2:
            continue
        m = vectors.matrix[[vectors.row(*k) for k in keys]]
        where = np.array([rank[key] for key in keys], dtype=np.int64)
        if wanted is None:
            queries = None
        else:
            mask = np.array([key in wanted for key in keys], dtype=bool)
            queries = np.nonzero(mask)[0]
        k = min(NEIGHBOURS, len(keys) - 1)
        for rs, js in nearest_pairs(m, k, RELATED_SIMILARITY, rows=queries):
            if queries is not None:
                both = mask[js]
                rs, js = rs[both], js[both]
            ra, rb = where[rs], where[js]
            found.append(np.minimum(ra, rb) * n + np.maximum(ra, rb))
    if not found:
        return ordered, np.zeros(0, dtype=np.int64)
    # sorted and deduplicated; np.sort and a neighbour test take a sixth of np.unique's time
    every = np.sort(np.concatenate(found))
    first = np.concatenate((every[:1] == every[:1], every[1:] != every[:-1]))
    return ordered, every[first]
