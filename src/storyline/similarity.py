"""The similarity passes over a whole story: a product of its vectors with themselves, block by
block, quadratic in its sentences.

``close_pairs``: every pair at least a cosine apart (align's copy candidates and claim clusters).
On a CPU with native bfloat16 the product is taken in bf16 first (a third of the float32 CPU time
on our AVX512-BF16 machine), a margin under the floor keeps every pair that could pass, and only
those pairs get their exact float32 cosine: the pairs and cosines returned are the float32 ones
either way. ``nearest_pairs``: each row's nearest rows (check's related sentences).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np

BLOCK_ROWS = 1024
"""Rows per block: memory stays at one (block x rows) matrix of similarities."""
PAIRS_PER_PASS = 65_536
"""Candidate pairs whose float32 cosines are taken at once: the two row gathers stay near 100 MB
however crowded a block is (a story of one topic puts hundreds of claims above the floor)."""
BF16_MARGIN = 0.02
"""How far under the floor a bf16 cosine may fall and its pair still be checked. Rounding both
unit vectors to bf16 (8 bits of mantissa) moves a cosine by at most 2 * 2^-8 (Cauchy-Schwarz)
and rounding the result by 2^-9 more: under 0.01. Measured on 7,346 Timeline17 sentences: 0.0025."""


@functools.cache
def _bf16() -> bool:
    from .analyse.embed import bf16_supported

    return bf16_supported()


def close_pairs(
    matrix: np.ndarray, floor: float, block: int = BLOCK_ROWS
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each block of rows, (rows, columns, cosines) of the entries of ``matrix @ matrix.T``
    at least ``floor``, rows in order and columns in order within a row (the diagonal
    included), cosines in float32. ``matrix``'s rows are unit vectors."""
    if _bf16() and len(matrix) > block // 4:
        yield from _close_pairs_bf16(matrix, floor, block)
        return
    for lo in range(0, len(matrix), block):
        sims = matrix[lo : lo + block] @ matrix.T
        xs, ys = np.nonzero(sims >= floor)
        yield xs + lo, ys, sims[xs, ys]


def _close_pairs_bf16(
    matrix: np.ndarray, floor: float, block: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    import torch  # loaded with the embedding model already

    m = np.ascontiguousarray(matrix, dtype=np.float32)
    low = torch.from_numpy(m).to(torch.bfloat16)
    for lo in range(0, len(m), block):
        rough = (low[lo : lo + block] @ low.T).float()  # compared in float32, not bf16
        xs, ys = (t.numpy() for t in torch.nonzero(rough >= floor - BF16_MARGIN, as_tuple=True))
        xs = xs + lo
        exact = np.empty(len(xs), dtype=np.float32)
        for a in range(0, len(xs), PAIRS_PER_PASS):
            b = a + PAIRS_PER_PASS
            exact[a:b] = np.einsum("ij,ij->i", m[xs[a:b]], m[ys[a:b]])
        keep = exact >= floor
        yield xs[keep], ys[keep], exact[keep]


def nearest_pairs(
    matrix: np.ndarray, k: int, floor: float, block: int = BLOCK_ROWS
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """For each block of rows, (rows, columns) of each row's nearest other rows: every row at
    least as similar as its ``k``-th nearest (ties included: copies of one sentence have one
    vector) and at least ``floor``. ``matrix``'s rows are unit vectors; 1 <= k < len(matrix)."""
    import torch  # loaded with the embedding model already; not at import time (cold CLI)

    for lo in range(0, len(matrix), block):
        sims = matrix[lo : lo + block] @ matrix.T
        rows = np.arange(sims.shape[0])
        sims[rows, lo + rows] = -1.0  # not its own neighbour
        # torch's top-k finds the k-th value at a third of numpy's partition cost
        kth = torch.topk(torch.from_numpy(sims), k, dim=1, sorted=False).values.amin(dim=1)
        xs, ys = np.nonzero(sims >= np.maximum(kth.numpy(), np.float32(floor))[:, None])
        yield xs + lo, ys
