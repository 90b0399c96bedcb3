"""TextRank (Mihalcea and Tarau 2004) as sumy implements it, over our sentence splits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import _sumy
from .candidates import Key, fill, word_count


def textrank(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    words: int,
    *,
    boost: Mapping[Key, float] | None = None,
    slack: float | None = None,
) -> list[Key]:
    from sumy.summarizers.text_rank import TextRankSummarizer

    document, keys = _sumy.document(docs)
    if not keys:
        return []
    s = _sumy.summarizer(TextRankSummarizer)
    ratings = s.rate_sentences(document)  # keyed by sentence text: duplicates share a score
    scores = [float(ratings[x]) for x in document.sentences]
    order = sorted(range(len(keys)), key=lambda j: (-scores[j], j))
    lengths = [[word_count(t) for t in doc] for doc in docs]
    return fill((keys[j] for j in order), lengths, words, slack)
