"""Related sentence pairs: the only pairs the conflict rules compare."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..align import has_vector
from ..analyse.embed import SentenceVectors
from ..models import AnalysedArticle, Claim
from .links import Key

RELATED_SIMILARITY = 0.35
"""Cosine above which two sentences of one story are compared at all (conflicting sentences about
one fact score 0.39-0.70 on the example; the rules then require the same event)."""
NEIGHBOURS = 40
"""Each sentence is compared with at most this many of its nearest sentences in the story (plus
the other mentions of its claims), so the work grows linearly with the story."""


def related_pairs(
    docs: Sequence[AnalysedArticle],
    claims: Sequence[Claim],
    vectors: SentenceVectors,
    group_of: dict[str, int],
) -> set[tuple[Key, Key]]:
    pairs: set[tuple[Key, Key]] = set()
    known = {(s.article, s.index) for d in docs for s in d.sentences}
    for c in claims:
        keys = sorted({(m.article, m.sentence) for m in c.mentions} & known)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if group_of.get(a[0]) == group_of.get(b[0]):
                    pairs.add((a, b))
    by_group: dict[int, list[Key]] = defaultdict(list)
    for d in docs:
        for s in d.sentences:
            if has_vector(vectors, (s.article, s.index)):
                by_group[group_of[d.article.id]].append((s.article, s.index))
    for keys in by_group.values():
        if len(keys) < 2:
            continue
        m = vectors.matrix[[vectors.row(*k) for k in keys]]
        k = min(NEIGHBOURS, len(keys) - 1)
        rank = np.empty(len(keys), dtype=np.int64)  # pairs are (smaller key, larger key)
        rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
        found = []
        for lo in range(0, len(keys), 512):  # row blocks: memory stays small on big stories
            sims = m[lo : lo + 512] @ m.T
            rows = np.arange(sims.shape[0])
            sims[rows, lo + rows] = -1.0
            related = sims >= RELATED_SIMILARITY
            # A row with at most k related sentences keeps them all (they are its top k); only
            # rows with more are ranked, so the ranking is paid where it changes something.
            crowded = np.nonzero(related.sum(axis=1) > k)[0]
            if len(crowded) and k < len(keys):
                top = np.argpartition(-sims[crowded], k - 1, axis=1)[:, :k]
                related[crowded] = False
                related[crowded[:, None], top] = sims[crowded[:, None], top] >= RELATED_SIMILARITY
            rs, js = np.nonzero(related)
            rs += lo
            swap = rank[rs] > rank[js]
            found.append(np.where(swap, js, rs) * len(keys) + np.where(swap, rs, js))
        for code in np.unique(np.concatenate(found)).tolist():
            pairs.add((keys[code // len(keys)], keys[code % len(keys)]))
    return pairs
