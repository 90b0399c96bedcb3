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
        for lo in range(0, len(keys), 512):  # row blocks: memory stays small on big stories
            sims = m[lo : lo + 512] @ m.T
            for r in range(sims.shape[0]):
                sims[r, lo + r] = -1.0
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < len(keys) else None
            for r in range(sims.shape[0]):
                cols = top[r] if top is not None else range(len(keys))
                for j in cols:
                    if sims[r, j] >= RELATED_SIMILARITY:
                        a, b = keys[lo + r], keys[int(j)]
                        pairs.add((a, b) if a < b else (b, a))
    return pairs
