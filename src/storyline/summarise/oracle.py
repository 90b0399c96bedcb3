"""Greedy ROUGE oracle: an upper bound for extraction, for evaluation only (needs the reference).

Adds, one at a time, the sentence that most raises ROUGE-1 F1 + ROUGE-2 F1 against the reference
(Nallapati et al. 2017; Liu and Lapata 2019), until no sentence helps or the budget is full.
Tokens come from rouge-score's own tokenizer with stemming, so they match the metric.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from .candidates import Key, word_count


def _grams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, system: int, reference: int) -> float:
    if not overlap or not system or not reference:
        return 0.0
    p, r = overlap / system, overlap / reference
    return 2 * p * r / (p + r)


def oracle(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    words: int,
    *,
    reference: str,
    boost: Mapping[Key, float] | None = None,
    slack: float | None = None,
) -> list[Key]:
    from rouge_score.tokenizers import DefaultTokenizer

    tok = DefaultTokenizer(use_stemmer=True)
    ref = tok.tokenize(reference)
    ref_grams = [_grams(ref, 1), _grams(ref, 2)]
    ref_sizes = [sum(g.values()) for g in ref_grams]
    sent = {
        (d, i): [_grams(t, 1), _grams(t, 2)]
        for d, doc in enumerate(docs)
        for i, text in enumerate(doc)
        if (t := tok.tokenize(text))
    }
    chosen: list[Key] = []
    have = [Counter(), Counter()]  # type: ignore[var-annotated]
    best_score = 0.0
    total = 0
    while total < words:
        best: Key | None = None
        for key, grams in sent.items():
            if key in chosen:
                continue
            score = 0.0
            for n in (0, 1):
                merged = have[n] + grams[n]
                overlap = sum((merged & ref_grams[n]).values())
                score += _f1(overlap, sum(merged.values()), ref_sizes[n])
            if score > best_score:
                best_score, best = score, key
        if best is None:
            break
        chosen.append(best)
        have = [have[n] + sent[best][n] for n in (0, 1)]
        total += word_count(docs[best[0]][best[1]])
    return chosen
