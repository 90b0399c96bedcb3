"""similarity.close_pairs: every pair at or above the floor, with its float32 cosine, whichever
arithmetic found it (the bf16 pass only proposes; float32 decides)."""

from __future__ import annotations

import numpy as np
import pytest

from storyline import similarity
from storyline.similarity import _close_pairs_bf16, close_pairs


def unit_rows(n: int, seed: int) -> np.ndarray:
    """Rows in a few bundles, some tight and some loose, so many cosines sit near any floor."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(6, 384))
    spread = rng.uniform(0.1, 1.6, size=(n, 1))
    m = centres[rng.integers(0, 6, n)] + spread * rng.normal(size=(n, 384))
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def collected(blocks) -> dict[tuple[int, int], float]:  # type: ignore[no-untyped-def]
    out: dict[tuple[int, int], float] = {}
    order: list[tuple[int, int]] = []
    for xs, ys, sims in blocks:
        for x, y, s in zip(xs.tolist(), ys.tolist(), sims.tolist(), strict=True):
            out[(x, y)] = s
            order.append((x, y))
    assert order == sorted(order), "rows in order, columns in order within a row"
    return out


@pytest.mark.parametrize("bf16", [True, False])
@pytest.mark.parametrize("floor", [0.35, 0.62, 0.85])
def test_bf16_pass_finds_exactly_the_float32_pairs(
    floor: float, bf16: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bf16=False: the float32 pass a CPU without native bf16 takes
    monkeypatch.setattr(similarity, "_bf16", lambda: bf16)
    m = unit_rows(700, seed=int(floor * 100))
    full = m @ m.T
    want = {(int(x), int(y)) for x, y in zip(*np.nonzero(full >= floor), strict=True)}
    # a floor that cuts through the bundles: the test would miss nothing if all were far apart
    near = np.abs(full - floor) < 0.01
    assert near.sum() > 100
    for blocks in (_close_pairs_bf16(m, floor, block=256), close_pairs(m, floor, block=256)):
        got = collected(blocks)
        # a pair within float32 rounding of the floor may fall either way; no other may differ
        differ = set(got) ^ want
        assert all(abs(full[x, y] - floor) < 1e-5 for x, y in differ)
        assert max(abs(s - full[x, y]) for (x, y), s in got.items()) < 1e-5


def test_small_and_empty_matrices() -> None:
    assert collected(close_pairs(np.zeros((0, 384), dtype=np.float32), 0.5)) == {}
    one = unit_rows(1, seed=1)
    assert set(collected(close_pairs(one, 0.5))) == {(0, 0)}


def test_crowded_blocks_take_their_cosines_in_bounded_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting a block's candidates into passes (memory) changes no pair and no cosine."""
    m = unit_rows(600, seed=7)
    whole = collected(_close_pairs_bf16(m, 0.35, block=256))
    monkeypatch.setattr(similarity, "PAIRS_PER_PASS", 1_000)
    assert len(whole) > 10 * 1_000  # several passes per block
    assert collected(_close_pairs_bf16(m, 0.35, block=256)) == whole
