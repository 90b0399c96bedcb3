"""Exact concept coverage: the integer program of Gillick and Favre (2009), with a salience term.

Choose sentences x_j in {0, 1} and covered concepts z_c in [0, 1] to maximise

    sum_c weight_c * z_c + salience_weight * sum_j salience_j * words_j / 20 * x_j

subject to: a concept counts only when a chosen sentence carries it (z_c <= sum x_j over the
sentences with c); the chosen sentences fit the word budget; a sentence that points backwards is
chosen only with the sentence before it (x_j <= x_prev); no two near-duplicates together.
Greedy selection leaves budget on the table when a long sentence with a high per-word gain blocks
two shorter ones; the exact solution does not. It is a selection step, not an algorithm of its
own: ``corroboration`` supplies the salience, the concepts and their weights.

Solved with HiGHS through ``scipy.optimize.milp``; a cluster of a few hundred sentences takes well
under a second. When the solver stops on its time limit the caller falls back to greedy, so the
result never depends on how busy the machine is.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Hashable, Iterator, Mapping, Sequence

import numpy as np

TIME_LIMIT = 20.0  # seconds; reached only by pathological inputs (then the caller goes greedy)
MIN_CANDIDATES = 60  # sentences the program chooses among, at least; see shortlist()
SALIENCE_WORDS = 20.0  # salience is per sentence; scaled by words / this to compare with concepts


def select(
    salience: np.ndarray,
    lengths: np.ndarray,
    concepts: Sequence[frozenset[Hashable]],
    weight: Mapping[Hashable, float],
    *,
    eligible: np.ndarray,
    dependent: np.ndarray,
    previous: np.ndarray,
    vectors: np.ndarray,
    budget: int,
    duplicate: float,
    salience_weight: float,
) -> list[int] | None:
    """Row indices of the optimal set, or None when there is nothing to choose or no proven
    optimum. ``previous[j]`` is the row of the sentence before j in its document (-1: none);
    ``vectors`` are the sentences' L2-normalised embeddings (near-duplicates by cosine)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n = len(salience)
    if not n or not eligible.any():
        return None
    eligible = shortlist(eligible, salience, budget)
    # concepts worth something and carried by an eligible sentence
    index: dict[Hashable, int] = {}
    carriers: list[list[int]] = []
    for j in (int(x) for x in np.flatnonzero(eligible)):
        # concepts in a fixed order: a set's order follows the process's string hashing, and
        # HiGHS, stopping within its optimality gap, can return another selection when the
        # columns come in another order (one story got 5 or 6 summary sentences by process)
        for c in sorted(concepts[j], key=repr):
            if weight.get(c, 0.0) > 0:
                k = index.setdefault(c, len(index))
                if k == len(carriers):
                    carriers.append([])
                carriers[k].append(int(j))
    m = len(index)
    cost = np.zeros(n + m)
    cost[:n] = -salience_weight * np.maximum(salience, 0.0) * lengths / SALIENCE_WORDS
    for c, k in index.items():
        cost[n + k] = -weight[c]

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    upper: list[float] = []

    def constraint(entries: list[tuple[int, float]], ub: float) -> None:
        r = len(upper)
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        upper.append(ub)

    for k, js in enumerate(carriers):  # z_c <= sum of x_j carrying c
        constraint([(n + k, 1.0)] + [(j, -1.0) for j in js], 0.0)
    constraint([(j, float(lengths[j])) for j in range(n)], float(budget))
    for dep in np.flatnonzero(dependent & eligible):
        p = int(previous[dep])
        constraint([(int(dep), 1.0)] + ([(p, -1.0)] if p >= 0 else []), 0.0)
    ok = np.flatnonzero(eligible)
    sims = vectors[ok] @ vectors[ok].T  # the shortlist only: the whole story's would be N^2
    for a, b in zip(*np.nonzero(np.triu(sims >= duplicate, 1)), strict=True):
        constraint([(int(ok[a]), 1.0), (int(ok[b]), 1.0)], 1.0)

    matrix = coo_matrix((vals, (rows, cols)), shape=(len(upper), n + m)).tocsr()
    high = np.ones(n + m)
    high[:n] = eligible.astype(float)
    with _stdout_silenced():
        result = milp(
            cost,
            constraints=LinearConstraint(matrix, -np.inf, np.array(upper)),
            integrality=np.r_[np.ones(n), np.zeros(m)],
            bounds=Bounds(np.zeros(n + m), high),
            # presolve buys nothing on programs this small, and HiGHS 1.12 prints a stray debug line
            # to stdout when it maps a presolved solution back; a 1% optimality gap halves the solve time
            # and picked the same sentences on the example and the gate subset
            options={"time_limit": TIME_LIMIT, "presolve": False, "mip_rel_gap": 0.01},
        )
    if result.status != 0 or result.x is None:
        return None
    return [int(j) for j in np.flatnonzero(result.x[:n] > 0.5)]


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """HiGHS (C++) can print debug lines straight to file descriptor 1, which would corrupt a
    briefing written to standard output; point fd 1 at /dev/null while it solves."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def shortlist(eligible: np.ndarray, salience: np.ndarray, budget: int) -> np.ndarray:
    """The most salient eligible sentences only: a summary of ``budget`` words holds about
    budget/20 sentences, and the solve time grows fast with the candidates (a story of hundreds
    of articles would otherwise hit the time limit)."""
    keep = max(MIN_CANDIDATES, budget // 3)
    rows = np.flatnonzero(eligible)
    if len(rows) <= keep:
        return eligible
    best = rows[np.argsort(-salience[rows], kind="stable")[:keep]]
    out = np.zeros_like(eligible)
    out[best] = True
    return out
