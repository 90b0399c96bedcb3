"""LexRank (Erkan and Radev 2004) as sumy implements it, over our sentence splits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import _sumy
from .candidates import Key, fill, word_count


def lexrank(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    words: int,
    *,
    boost: Mapping[Key, float] | None = None,
    slack: float | None = None,
) -> list[Key]:
    from sumy.summarizers.lex_rank import LexRankSummarizer

    document, keys = _sumy.document(docs)
    if not keys:
        return []
    s = _sumy.summarizer(LexRankSummarizer)
    # sumy's __call__ returns only the top-N in document order; we need the full ranking, so
    # run the same steps it runs (tf, idf, thresholded cosine graph, power method).
    sentence_words = [s._to_words_set(x) for x in document.sentences]
    tf = s._compute_tf(sentence_words)
    idf = s._compute_idf(sentence_words)
    matrix = s._create_matrix(sentence_words, s.threshold, tf, idf)
    with np.errstate(invalid="ignore", divide="ignore"):  # a graph with no edges (tiny input)
        scores = np.nan_to_num(s.power_method(matrix, s.epsilon))
    order = sorted(range(len(keys)), key=lambda j: (-float(scores[j]), j))
    lengths = [[word_count(t) for t in doc] for doc in docs]
    return fill((keys[j] for j in order), lengths, words, slack)
