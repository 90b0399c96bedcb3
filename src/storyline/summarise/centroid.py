"""Embedding centroid baseline (after Rossiello et al. 2017, Ghalandari 2017).

Greedily adds the sentence that brings the summary's mean vector closest to the centroid of all
sentences, skipping near-duplicates of what is already chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .candidates import Key, stack, word_count

DUPLICATE = 0.9


def centroid(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    words: int,
    *,
    boost: Mapping[Key, float] | None = None,
    slack: float | None = None,
) -> list[Key]:
    matrix, keys = stack(vectors)
    if not keys:
        return []
    target = matrix.mean(axis=0)
    target /= np.linalg.norm(target) or 1.0
    lengths = np.array([word_count(docs[d][i]) for d, i in keys])
    alive = lengths > 0
    chosen: list[int] = []
    total_words = 0
    summed = np.zeros(matrix.shape[1], dtype=np.float32)
    while total_words < words and alive.any():
        cand = summed[None, :] + matrix
        cand /= np.linalg.norm(cand, axis=1, keepdims=True) + 1e-9
        gain = cand @ target
        if slack is not None and chosen:
            alive &= total_words + lengths <= words * (1 + slack)
            if not alive.any():
                break
        gain[~alive] = -np.inf
        j = int(np.argmax(gain))
        chosen.append(j)
        total_words += int(lengths[j])
        summed += matrix[j]
        alive[j] = False
        alive &= matrix @ matrix[j] < DUPLICATE
    return [keys[j] for j in chosen]
