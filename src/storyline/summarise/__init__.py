"""summarise: an extractive multi-document summary whose every sentence is cited.

Algorithms are interchangeable (as in sumy): each takes the documents as lists of sentence
strings, their sentence vectors and a word budget, and returns the chosen (document, sentence)
pairs, best first (see ``candidates.Summariser``). ``summarise`` runs the configured one on a
story and turns its choice into ``SummarySentence``s ordered for reading, with citations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..analyse.embed import SentenceVectors
from ..errors import UsageError
from ..models import AnalysedArticle, Citation, Claim, SummarySentence
from ..settings import Settings
from .candidates import Key, Summariser, stack
from .centroid import centroid
from .corroboration import corroboration
from .lead import lead
from .lexrank import lexrank
from .textrank import textrank

SUMMARISERS: dict[str, Summariser] = {
    "corroboration": corroboration,
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
    "centroid": centroid,
}

CITE = 0.85  # cosine at which another article's sentence carries the same content
SLACK = 0.2  # a summary may run this much over its word budget rather than stop short

__all__ = ["SUMMARISERS", "Summariser", "summarise", "claim_boost"]


def claim_boost(docs: Sequence[AnalysedArticle], claims: Sequence[Claim]) -> dict[Key, float]:
    """Prior in [0, 1] per sentence: 0 for a single-source claim, 1 from four sources up."""
    where = {d.article.id: k for k, d in enumerate(docs)}
    boost: dict[Key, float] = {}
    for claim in claims:
        value = min(1.0, max(0, claim.independent_sources - 1) / 3.0)
        for m in claim.mentions:
            if m.article in where:
                key = (where[m.article], m.sentence)
                boost[key] = max(boost.get(key, 0.0), value)
    return boost


def summarise(
    docs: Sequence[AnalysedArticle],
    vectors: SentenceVectors,
    settings: Settings,
    claims: Sequence[Claim] = (),
) -> list[SummarySentence]:
    """About ``settings.words`` words of verbatim sentences, each citing where it comes from."""
    try:
        algorithm = SUMMARISERS[settings.summariser]
    except KeyError:
        names = ", ".join(sorted(SUMMARISERS))
        raise UsageError(
            f"unknown summariser {settings.summariser!r}; choose one of: {names}"
        ) from None
    texts = [[s.text for s in d.sentences] for d in docs]
    mats = [_matrix(d, vectors) for d in docs]
    chosen = algorithm(texts, mats, settings.words, boost=claim_boost(docs, claims), slack=SLACK)
    matrix, keys = stack(mats)
    return [
        SummarySentence(text=texts[d][i], citations=_citations(docs, matrix, keys, (d, i)))
        for d, i in reading_order(docs, chosen)
    ]


def reading_order(docs: Sequence[AnalysedArticle], chosen: Sequence[Key]) -> list[Key]:
    """Earliest article first, then the order within each article, so a sentence follows the
    one it depends on. Undated articles go last, in input order."""

    def key(k: Key) -> tuple[bool, str, int, int]:
        published = docs[k[0]].article.published
        return (published is None, published or "", k[0], k[1])

    return sorted(chosen, key=key)


def _matrix(doc: AnalysedArticle, vectors: SentenceVectors) -> np.ndarray:
    rows = [vectors.row(doc.article.id, s.index) for s in doc.sentences]
    return vectors.matrix[rows] if rows else np.zeros((0, vectors.matrix.shape[1]), np.float32)


def _citations(
    docs: Sequence[AnalysedArticle], matrix: np.ndarray, keys: Sequence[Key], key: Key
) -> tuple[Citation, ...]:
    """The chosen sentence itself, then every near-identical sentence in the other articles
    (``matrix``, ``keys``: every sentence vector of the story, as ``stack`` gives them)."""
    d, i = key
    own = docs[d].sentences[i]
    cites = [Citation(own.article, own.index)]
    for row in np.flatnonzero(matrix @ matrix[keys.index(key)] >= CITE):
        e, j = keys[int(row)]
        if e != d:
            s = docs[e].sentences[j]
            cites.append(Citation(s.article, s.index))
    return tuple(cites)
