"""Coreference metrics: MUC, B3, CEAF-e and their mean, the CoNLL F1.

Definitions follow the reference scorer (Pradhan et al., 2014): MUC counts links (Vilain et
al., 1995), B3 averages per-mention precision and recall (Bagga & Baldwin, 1998), CEAF-e
aligns key and response clusters one-to-one with the entity similarity
phi4 = 2|K∩R| / (|K|+|R|) (Luo, 2005). Singletons are kept, as in the usual ECB+ evaluation
(MUC ignores them by definition). Clusters are collections of hashable mention ids.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from . import PRF

Cluster = frozenset[Hashable]


def _clusters(groups: Iterable[Iterable[Hashable]]) -> list[Cluster]:
    return [frozenset(g) for g in groups if g]


def _owner(clusters: Sequence[Cluster]) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def _muc_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    """MUC recall of ``response`` against ``key`` (swap the arguments for precision)."""
    owner = _owner(response)
    num = den = 0
    for cluster in key:
        # partitions of the key cluster by the response; unaligned mentions are their own part
        parts = {owner.get(m, ("unaligned", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num / den if den else 0.0


def muc(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> PRF:
    k, r = _clusters(key), _clusters(response)
    return PRF(precision=_muc_side(r, k), recall=_muc_side(k, r))


def _b3_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    owner = _owner(response)
    total = 0.0
    n = 0
    for cluster in key:
        for m in cluster:
            n += 1
            j = owner.get(m)
            if j is not None:
                total += len(cluster & response[j]) / len(cluster)
    return total / n if n else 0.0


def b_cubed(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> PRF:
    k, r = _clusters(key), _clusters(response)
    return PRF(precision=_b3_side(r, k), recall=_b3_side(k, r))


def ceaf_e(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> PRF:
    from scipy.optimize import linear_sum_assignment

    k, r = _clusters(key), _clusters(response)
    if not k or not r:
        return PRF(0.0, 0.0)
    owner = _owner(r)
    # Only overlapping clusters score above 0, so the one-to-one alignment splits into the
    # connected components of the overlap graph: solve each small assignment on its own.
    parent = list(range(len(k) + len(r)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs: set[tuple[int, int]] = set()
    for i, cluster in enumerate(k):
        for m in cluster:
            j = owner.get(m)
            if j is not None:
                pairs.add((i, j))
                parent[find(i)] = find(len(k) + j)
    components: dict[int, list[tuple[int, int]]] = {}
    for i, j in pairs:
        components.setdefault(find(i), []).append((i, j))
    best = 0.0
    for edges in components.values():
        rows = sorted({i for i, _ in edges})
        cols = sorted({j for _, j in edges})
        ri, ci = {x: n for n, x in enumerate(rows)}, {x: n for n, x in enumerate(cols)}
        sim = np.zeros((len(rows), len(cols)))
        for i, j in edges:
            sim[ri[i], ci[j]] = 2 * len(k[i] & r[j]) / (len(k[i]) + len(r[j]))
        a, b = linear_sum_assignment(sim, maximize=True)
        best += float(sim[a, b].sum())
    return PRF(precision=best / len(r), recall=best / len(k))


def conll(
    key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]
) -> dict[str, float]:
    """F1 of MUC, B3 and CEAF-e and their mean, keyed as in the results table."""
    k, r = _clusters(key), _clusters(response)
    scores = {"MUC F1": muc(k, r).f1, "B3 F1": b_cubed(k, r).f1, "CEAF-e F1": ceaf_e(k, r).f1}
    scores["CoNLL F1"] = sum(scores.values()) / 3
    return scores
