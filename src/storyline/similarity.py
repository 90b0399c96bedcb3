"""Pairs of sentence vectors at least a cosine apart, found block by block over a whole story.

align's copy candidates and claim clusters need every pair of rows above a floor: a product of
the story's matrix with itself, quadratic in its sentences. On a CPU with native bfloat16 the
product is taken in bf16 first (a third of the float32 CPU time on our AVX512-BF16 machine), a
margin under the floor keeps every pair that could pass, and only those pairs get their exact
float32 cosine: the pairs and cosines returned are the float32 ones either way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np

BLOCK_ROWS = 1024
"""Rows per block: memory stays at one (block x rows) matrix of similarities."""
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
        exact = np.einsum("ij,ij->i", m[xs], m[ys])
        keep = exact >= floor
        yield xs[keep], ys[keep], exact[keep]
