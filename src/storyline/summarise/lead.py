"""Lead-3: the first three sentences of each document, documents in input order.

The usual news baseline. Multi-document papers differ on whether "Lead-3" means the first three
sentences of each document or of the concatenated documents; we take each document's first
three (the evaluation notes say so), which gives a summary of about a Multi-News reference's
length when a cluster has two or three documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .candidates import Key, fill, word_count

LEAD = 3


def lead(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    words: int,
    *,
    boost: Mapping[Key, float] | None = None,
    slack: float | None = None,
) -> list[Key]:
    ranked = [(d, i) for d, doc in enumerate(docs) for i in range(min(LEAD, len(doc)))]
    lengths = [[word_count(s) for s in doc] for doc in docs]
    return fill(ranked, lengths, words, slack)
