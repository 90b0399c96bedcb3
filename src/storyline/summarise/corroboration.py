"""Our summariser: corroboration across independent sources, centrality, position, MMR.

A sentence belongs in a summary when other, independent articles say the same thing. Articles
that are near-verbatim copies of one another (one wire story republished) form one source, so
syndication cannot inflate corroboration. Corroboration is measured twice:

- per sentence: for each other source, the best cosine match of the sentence there (MiniLM);
- per concept: content words and word pairs (Porter stems, stop words dropped) weighted by how
  many other sources use them; the greedy step prefers the sentence that adds the most weight
  not yet covered, per word of budget (concept coverage after Gillick and Favre 2009).

These are combined with closeness to the cluster's centroid and a lead prior (news puts the
substance first). The set of sentences is chosen exactly (``ilp``: the most concept weight plus
salience that fits the budget, a backward-pointing sentence only with its predecessor, no
near-duplicates); the greedy MMR step below then tops up what the budget has left, and is the
whole selection when ``Weights.exact`` is off or the solver gives no proven optimum. On
Multi-News the concept term is worth about one ROUGE-1 point over the sentence scores alone, and
the exact selection about 0.15 over greedy on both halves (see ``storyline eval summaries``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import ilp
from .candidates import Key, depends_on_previous, readable, stack, word_count

COPY = 0.95  # sentence cosine above which two sentences are the same text
COPY_SHARE = 0.5  # share of an article's sentences copied from another: the two are one source


@dataclass(frozen=True)
class Weights:
    support: float = 1.0  # corroboration by other independent sources
    centrality: float = 1.0  # cosine to the cluster centroid
    position: float = 1.2  # lead prior
    position_scale: float = 4.0  # sentence index at which the lead prior has halved
    boost: float = 0.5  # prior from claims (independent sources), in [0, 1]
    match_floor: float = 0.5  # cosines below this are no evidence of the same content
    redundancy: float = 0.7  # MMR penalty on the best cosine to an already chosen sentence
    duplicate: float = 0.8  # never choose a sentence this close to one already chosen
    length: float = 0.0  # preference for longer sentences (words / 30)
    coverage: float = 1.0  # new corroborated concepts per word, scaled to [0, 1] per step
    exact: bool = True  # choose the set by integer programming (``ilp``), greedy only to top up
    exact_salience: float = 2.0  # weight of salience against concept weight in the program


DEFAULT = Weights()


BLOCK = 1024  # sentences per block of the similarity pass: a (BLOCK x all sentences) product


def best_matches(vectors: Sequence[np.ndarray], block: int = BLOCK) -> np.ndarray:
    """Best cosine of every sentence (rows in ``stack`` order) in every document (columns).

    One pass over all sentence vectors at once, ``block`` rows at a time, instead of one
    product per pair of documents (~20,000 small products for 200 articles): memory stays at
    one block of similarities, and each block's maxima per document are one ``reduceat`` over
    the document's contiguous columns. An empty document's column is -inf.
    """
    matrix, keys = stack(vectors)
    out = np.full((len(keys), len(vectors)), -np.inf, dtype=np.float32)
    filled = [d for d, m in enumerate(vectors) if len(m)]
    if not filled:
        return out
    starts = np.cumsum([0] + [len(vectors[d]) for d in filled[:-1]])
    for lo in range(0, len(keys), block):
        sims = matrix[lo : lo + block] @ matrix.T
        out[lo : lo + block, filled] = np.maximum.reduceat(sims, starts, axis=1)
    return out


def sources(vectors: Sequence[np.ndarray], best: np.ndarray | None = None) -> list[int]:
    """Source id per document: documents that are copies of one another share an id.

    ``best`` is ``best_matches(vectors)`` when the caller has it already.
    """
    n = len(vectors)
    best = best_matches(vectors) if best is None else best
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    # share of each document's sentences that reappear verbatim in each other document
    copied = np.zeros((n, n))
    at = 0
    for d, m in enumerate(vectors):
        if len(m):
            copied[d] = (best[at : at + len(m)] > COPY).mean(axis=0)
        at += len(m)
    # one article copies the other when most of the shorter one reappears verbatim
    for a, b in zip(*np.nonzero(np.triu(np.maximum(copied, copied.T) >= COPY_SHARE, 1)), strict=True):
        parent[find(int(a))] = find(int(b))
    roots = {r: k for k, r in enumerate(dict.fromkeys(find(a) for a in range(n)))}
    return [roots[find(a)] for a in range(n)]


def support(
    vectors: Sequence[np.ndarray],
    floor: float = DEFAULT.match_floor,
    best: np.ndarray | None = None,
    src: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Per sentence: evidence from other independent sources, in [0, number of other sources].

    For each other source, the best cosine match of the sentence in that source, rescaled so
    ``floor`` gives 0 and an identical sentence 1. ``best`` and ``src`` as from
    ``best_matches`` and ``sources`` when the caller has them already.
    """
    best = best_matches(vectors) if best is None else best
    src = sources(vectors, best) if src is None else src
    doc_of = np.repeat(np.arange(len(vectors)), [len(m) for m in vectors])
    own = np.asarray(src)[doc_of]
    total = np.zeros(len(doc_of), dtype=np.float32)
    for s in sorted(set(src)):
        members = [d for d in range(len(vectors)) if src[d] == s and len(vectors[d])]
        if not members:
            continue
        in_source = best[:, members].max(axis=1)
        gain = np.clip((in_source - floor) / (1.0 - floor), 0.0, 1.0)
        total += np.where(own == s, np.float32(0.0), gain)
    out, at = [], 0
    for m in vectors:
        out.append(total[at : at + len(m)])
        at += len(m)
    return out


_TOKEN = re.compile(r"[a-z0-9]+")


class Concepts:
    """Content words and adjacent word pairs of a sentence, stemmed (Porter stems from
    snowballstemmer, which imports in milliseconds where NLTK takes seconds; sumy's stop words)."""

    def __init__(self) -> None:
        import snowballstemmer
        from sumy.utils import get_stop_words

        self._stem = snowballstemmer.stemmer("porter").stemWord
        self._stop = frozenset(get_stop_words("english"))
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        s = self._cache.get(word)
        if s is None:
            s = self._cache[word] = self._stem(word)
        return s

    def __call__(self, text: str) -> frozenset[str | tuple[str, str]]:
        toks = [self.stem(t) for t in _TOKEN.findall(text.lower())]
        stop = self._stop
        unigrams = {t for t in toks if t not in stop and len(t) > 1}
        bigrams = {
            (a, b) for a, b in zip(toks, toks[1:], strict=False) if a not in stop or b not in stop
        }
        return frozenset(unigrams | bigrams)


@functools.cache
def _concepts() -> Concepts:
    return Concepts()


def concept_weights(
    concepts: Sequence[Iterable[object]], source_of: Sequence[int]
) -> dict[object, float]:
    """Weight of a concept: how many sources beyond the first carry it (0 for one source)."""
    seen: dict[object, set[int]] = {}
    for cs, src in zip(concepts, source_of, strict=True):
        for c in cs:
            seen.setdefault(c, set()).add(src)
    return {c: float(len(s) - 1) for c, s in seen.items()}


def scores(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    boost: Mapping[Key, float] | None = None,
    weights: Weights = DEFAULT,
    best: np.ndarray | None = None,
) -> np.ndarray:
    """Salience of every sentence, rows in ``stack`` order. ``best`` as from ``best_matches``."""
    matrix, keys = stack(vectors)
    if not keys:
        return np.zeros(0, dtype=np.float32)
    best = best_matches(vectors) if best is None else best
    src = sources(vectors, best)
    n_sources = len(set(src))
    sup = np.concatenate(support(vectors, weights.match_floor, best, src)) / max(1, n_sources - 1)
    # every document weighs the same in the centroid, however long it is
    means = [m.mean(axis=0) for m in vectors if len(m)]
    centroid = np.mean(means, axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    cent = matrix @ centroid
    # position among the sentences that can stand alone: headlines, bylines and captions at the
    # top of a page do not push the lead paragraph down
    rank: dict[Key, int] = {}
    seen: dict[int, int] = {}
    for d, i in keys:
        rank[(d, i)] = seen.get(d, 0)
        if readable(docs[d][i]):
            seen[d] = seen.get(d, 0) + 1
    pos = np.array([1.0 / (1.0 + rank[k] / weights.position_scale) for k in keys])
    lengths = np.array([min(word_count(docs[d][i]), 40) / 30.0 for d, i in keys])
    prior = np.array([(boost or {}).get(k, 0.0) for k in keys])
    return (
        weights.support * sup
        + weights.centrality * cent
        + weights.position * pos
        + weights.length * lengths
        + weights.boost * prior
    )


def corroboration(
    docs: Sequence[Sequence[str]],
    vectors: Sequence[np.ndarray],
    words: int,
    *,
    boost: Mapping[Key, float] | None = None,
    slack: float | None = None,
    weights: Weights = DEFAULT,
) -> list[Key]:
    matrix, keys = stack(vectors)
    if not keys:
        return []
    matches = best_matches(vectors)
    salience = scores(docs, vectors, boost, weights, matches)
    row = {k: j for j, k in enumerate(keys)}
    texts = [docs[d][i] for d, i in keys]
    concepts = [_concepts()(t) for t in texts]
    src = sources(vectors, matches)
    weight = concept_weights(concepts, [src[d] for d, _ in keys])
    covered: set[object] = set()
    lengths = np.array([word_count(t) for t in texts])
    ok = np.array([readable(t) for t in texts])
    dependent = np.array([depends_on_previous(t) for t in texts])
    if not ok.any():  # nothing reads well on its own: fall back to any non-empty sentence
        ok = lengths > 0
    chosen: list[int] = []
    taken = np.zeros(len(keys), dtype=bool)
    closest = np.zeros(len(keys), dtype=np.float32)  # best cosine to a chosen sentence
    total = 0
    if weights.exact:
        previous = np.array([row[(d, i - 1)] if i > 0 else -1 for d, i in keys])
        best = ilp.select(
            salience,
            lengths,
            concepts,
            weight,
            eligible=ok,
            dependent=dependent,
            previous=previous,
            vectors=matrix,
            # the same overshoot the greedy step allows (none in evaluation, which cuts)
            budget=int(words * (1 + (slack or 0.0))),
            duplicate=weights.duplicate,
            salience_weight=weights.exact_salience,
        )
        # most salient first (what survives a cut), each backward-pointing sentence right after
        # the sentence it needs
        for j in sorted(best or [], key=lambda j: -float(salience[j])):
            for k in ([int(previous[j])] if dependent[j] else []) + [j]:
                if not taken[k]:
                    chosen.append(k)
                    taken[k] = True
                    total += int(lengths[k])
                    covered |= concepts[k]
                    closest = np.maximum(closest, matrix @ matrix[k])
    # greedy: the whole choice, or topping up what the program left of the budget
    while total < words:
        # a sentence that points backwards ("He said ...") may follow the sentence before it
        prev_taken = np.array([i > 0 and taken[row[(d, i - 1)]] for d, i in keys], dtype=bool)
        eligible = ok & ~taken & (~dependent | prev_taken) & (closest < weights.duplicate)
        if slack is not None and chosen:
            eligible &= total + lengths <= words * (1 + slack)
        if not eligible.any() and not chosen:  # never return nothing: relax the rules
            eligible = (lengths > 0) & ~taken
        if not eligible.any():
            break
        # fsum: a set's order follows the process's string hashing; a plain sum's rounding would too
        gain = np.array([math.fsum(weight[c] for c in cs - covered) for cs in concepts])
        gain = gain / np.maximum(lengths, 1)
        gain /= gain[eligible].max() or 1.0
        mmr = salience + weights.coverage * gain - weights.redundancy * closest
        mmr[~eligible] = -np.inf
        j = int(np.argmax(mmr))
        chosen.append(j)
        taken[j] = True
        total += int(lengths[j])
        covered |= concepts[j]
        closest = np.maximum(closest, matrix @ matrix[j])
    return [keys[j] for j in chosen]
