"""The similarity passes over a whole story: a product of its vectors with themselves, block by
block, quadratic in its sentences.

``close_pairs``: every pair at least a cosine apart (align's copy candidates and claim clusters).
A rough product proposes the pairs (in bf16 on a CPU with native bfloat16, a third of the float32
CPU time on our AVX512-BF16 machine), a margin under the floor keeps every pair that could pass,
and each proposed pair gets its exact float32 cosine, one dot product per pair: a pair and its
cosine depend on the two vectors alone, not on the CPU, the block or the other rows, so a pass
over a subset of a story's rows finds exactly the story's pairs among them. Only pairs with the
row before the column are computed (half the product). ``nearest_pairs``: each row's nearest
rows (check's related sentences).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import numpy as np

BLOCK_ROWS = 1024
"""Rows per block: memory stays at one (block x rows) matrix of similarities."""
PAIRS_PER_PASS = 8_192
"""Pairs whose float32 cosines are taken at once: the two row gathers stay near 12 MB however
many pairs there are (a story of one topic puts hundreds of claims above the floor). Larger
passes were slower, not faster: 65,536 pairs took twice as long as 4,096 (fresh pages)."""
BF16_MARGIN = 0.02
"""How far under the floor a bf16 cosine may fall and its pair still be checked. Rounding both
unit vectors to bf16 (8 bits of mantissa) moves a cosine by at most 2 * 2^-8 (Cauchy-Schwarz)
and rounding the result by 2^-9 more: under 0.01. Measured on 7,346 Timeline17 sentences: 0.0025."""
FLOAT32_MARGIN = 1e-4
"""The same margin for float32: a blocked matrix product and a dot product sum in different
orders, 384 terms of at most 2^-24 relative error each (under 3e-5)."""


@functools.cache
def _bf16() -> bool:
    from .analyse.embed import bf16_supported

    return bf16_supported()


def close_pairs(
    matrix: np.ndarray, floor: float, block: int = BLOCK_ROWS
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each block of rows, (rows, columns, cosines) of the entries of ``matrix @ matrix.T``
    at least ``floor`` with row < column, rows in order and columns in order within a row,
    cosines in float32. ``matrix``'s rows are unit vectors."""
    m = np.ascontiguousarray(matrix, dtype=np.float32)
    if _bf16() and len(m) > block // 4:
        import torch  # loaded with the embedding model already

        low = torch.from_numpy(m).to(torch.bfloat16)

        def rough(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
            sims = (low[lo:hi] @ low[lo:].T).float()  # compared in float32, not bf16
            found = torch.nonzero(sims >= floor - BF16_MARGIN, as_tuple=True)
            return found[0].numpy(), found[1].numpy()

    else:

        def rough(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
            return np.nonzero(m[lo:hi] @ m[lo:].T >= floor - FLOAT32_MARGIN)  # type: ignore[return-value]

    for lo in range(0, len(m), block):
        xs, ys = rough(lo, lo + block)
        xs, ys = xs + lo, ys + lo
        upper = xs < ys
        xs, ys = xs[upper], ys[upper]
        exact = pair_cosines(m, xs, ys)
        keep = exact >= floor
        yield xs[keep], ys[keep], exact[keep]


def pair_cosines(matrix: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The float32 cosine of each pair of rows (``xs[i]``, ``ys[i]``), one dot product per pair,
    taken ``PAIRS_PER_PASS`` at a time. It may differ from a matrix product's or from ``a @ b``
    in the last bits (``FLOAT32_MARGIN``)."""
    out = np.empty(len(xs), dtype=np.float32)
    for a in range(0, len(xs), PAIRS_PER_PASS):
        b = a + PAIRS_PER_PASS
        out[a:b] = np.einsum("ij,ij->i", matrix[xs[a:b]], matrix[ys[a:b]])
    return out


def incidence(owners: np.ndarray, items: np.ndarray, n: int, width: int) -> Any:
    """Which of ``width`` items each of ``n`` sets holds, as a sparse 0/1 matrix (one row per
    set): set ``owners[i]`` holds item ``items[i]``, each at most once."""
    from scipy import sparse

    ones = np.ones(len(owners), dtype=np.int32)
    return sparse.csr_matrix((ones, (owners, items)), shape=(n, width))


def shared_items(sets: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, count) with x < y for the pairs of rows of an ``incidence`` matrix that have an
    item in common, and how many they share: one sparse product, not a loop over the holders
    of each item."""
    from scipy import sparse

    shared = sparse.triu(sets @ sets.T, k=1).tocoo()
    return shared.row.astype(np.int64), shared.col.astype(np.int64), shared.data


def nearest_pairs(
    matrix: np.ndarray,
    k: int,
    floor: float,
    block: int = BLOCK_ROWS,
    rows: np.ndarray | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each block of rows, (rows, columns) of each row's nearest other rows: every row at
    least as similar as its ``k``-th nearest (ties included: copies of one sentence have one
    vector) and at least ``floor``. ``matrix``'s rows are unit vectors; 1 <= k < len(matrix).
    ``rows``: only these rows' neighbours (still found among all rows). Pairs come in no
    particular order."""
    import torch  # loaded with the embedding model already; not at import time (cold CLI)

    asked = np.arange(len(matrix)) if rows is None else np.asarray(rows, dtype=np.int64)
    for lo in range(0, len(asked), block):
        which = asked[lo : lo + block]
        contiguous = len(which) and which[-1] - which[0] == len(which) - 1
        part = matrix[which[0] : which[-1] + 1] if contiguous else matrix[which]
        sims = torch.from_numpy(part @ matrix.T)
        rows_t = torch.arange(sims.shape[0])
        sims[rows_t, torch.from_numpy(which)] = -1.0  # not its own neighbour
        # torch's top-k finds the k-th value at a third of numpy's partition cost. Its columns
        # are the answer but for ties with the k-th, and one more (the k+1-th) shows whether a
        # row has any: only such a row is scanned whole (copies of one sentence tie)
        top = torch.topk(sims, k + 1, dim=1, sorted=False)
        ranked = torch.sort(top.values, dim=1, descending=True).values
        bar = torch.clamp(ranked[:, k - 1], min=floor)
        tied = ranked[:, k] >= bar
        xs, ys = torch.nonzero((top.values >= bar[:, None]) & ~tied[:, None], as_tuple=True)
        ys = top.indices[xs, ys]
        if tied.any():
            (rows_tied,) = torch.nonzero(tied, as_tuple=True)
            txs, tys = torch.nonzero(sims[rows_tied] >= bar[rows_tied, None], as_tuple=True)
            xs, ys = torch.cat([xs, rows_tied[txs]]), torch.cat([ys, tys])
        yield which[xs.numpy()], ys.numpy()
