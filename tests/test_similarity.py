"""similarity: close_pairs gives every pair (row < column) at or above the floor with its float32
cosine, whichever arithmetic found it (the rough pass only proposes; float32 decides), the same
pairs for any subset of the rows; nearest_pairs gives each row's nearest rows, ties included."""

from __future__ import annotations

import numpy as np
import pytest

from storyline import similarity
from storyline.similarity import close_pairs, nearest_pairs


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
    want = {(int(x), int(y)) for x, y in zip(*np.nonzero(full >= floor), strict=True) if x < y}
    # a floor that cuts through the bundles: the test would miss nothing if all were far apart
    near = np.abs(full - floor) < 0.01
    assert near.sum() > 100
    for block in (256, 1024):
        got = collected(close_pairs(m, floor, block=block))
        # a pair within float32 rounding of the floor may fall either way; no other may differ
        differ = set(got) ^ want
        assert all(abs(full[x, y] - floor) < 1e-5 for x, y in differ)
        assert max(abs(s - full[x, y]) for (x, y), s in got.items()) < 1e-5


def test_small_and_empty_matrices() -> None:
    assert collected(close_pairs(np.zeros((0, 384), dtype=np.float32), 0.5)) == {}
    one = unit_rows(1, seed=1)
    assert collected(close_pairs(one, 0.5)) == {}  # a row is not its own pair
    two = np.vstack([one, one])
    assert set(collected(close_pairs(two, 0.5))) == {(0, 1)}


def test_crowded_blocks_take_their_cosines_in_bounded_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting a block's candidates into passes (memory) changes no pair and no cosine."""
    m = unit_rows(600, seed=7)
    whole = collected(close_pairs(m, 0.35, block=256))
    monkeypatch.setattr(similarity, "PAIRS_PER_PASS", 1_000)
    assert len(whole) > 10 * 1_000  # several passes per block
    assert collected(close_pairs(m, 0.35, block=256)) == whole


@pytest.mark.parametrize("bf16", [True, False])
def test_a_subset_of_rows_has_exactly_the_pairs_and_cosines_of_the_whole(
    bf16: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """align reads a syndication group's pairs off the story's pass: that is only right if a
    pair and its cosine depend on the two rows alone, not on the block or the other rows."""
    monkeypatch.setattr(similarity, "_bf16", lambda: bf16)
    m = unit_rows(900, seed=3)
    whole = collected(close_pairs(m, 0.62, block=256))
    subset = np.sort(np.random.default_rng(3).choice(900, 400, replace=False))
    part = collected(close_pairs(m[subset], 0.62, block=128))
    expected = {
        (x, y): whole[(int(subset[x]), int(subset[y]))]
        for x in range(len(subset))
        for y in range(x + 1, len(subset))
        if (int(subset[x]), int(subset[y])) in whole
    }
    assert len(expected) > 1_000
    assert part == expected  # same pairs, bit-identical cosines


def nearest_reference(m: np.ndarray, k: int, floor: float) -> set[tuple[int, int]]:
    """The definition, on the whole matrix at once with numpy's partition."""
    sims = m @ m.T
    np.fill_diagonal(sims, -1.0)
    kth = np.partition(sims, -k, axis=1)[:, -k]
    xs, ys = np.nonzero(sims >= np.maximum(kth, floor)[:, None])
    return set(zip(xs.tolist(), ys.tolist(), strict=True))


@pytest.mark.parametrize(("k", "floor"), [(5, 0.35), (40, 0.35), (40, 0.8)])
def test_nearest_pairs_keep_each_rows_k_nearest_and_every_tie(k: int, floor: float) -> None:
    m = unit_rows(700, seed=k)
    m[100:130] = m[100]  # 30 copies of one sentence: each ties with 29 others
    m[200:202] = m[200]  # a pair of copies: a tie only where it falls on the k-th place
    got: set[tuple[int, int]] = set()
    for xs, ys in nearest_pairs(m, k, floor, block=256):
        got.update(zip(xs.tolist(), ys.tolist(), strict=True))
    want = nearest_reference(m, k, floor)
    assert got == want
    assert all((100 + i, 100 + j) in got for i in range(30) for j in range(30) if i != j)


def test_nearest_pairs_of_some_rows_are_exactly_those_rows_pairs() -> None:
    """check asks only for the neighbours of the sentences its rules could take; each is still
    looked for among all rows, so those rows' pairs are what the whole pass gives them."""
    m = unit_rows(700, seed=11)
    m[300:320] = m[300]  # copies: ties
    whole: set[tuple[int, int]] = set()
    for xs, ys in nearest_pairs(m, 40, 0.35, block=256):
        whole.update(zip(xs.tolist(), ys.tolist(), strict=True))
    rows = np.sort(np.random.default_rng(11).choice(700, 300, replace=False))
    rows = np.union1d(rows, np.arange(290, 330))  # a contiguous run, copies included
    some: set[tuple[int, int]] = set()
    for xs, ys in nearest_pairs(m, 40, 0.35, block=128, rows=rows):
        some.update(zip(xs.tolist(), ys.tolist(), strict=True))
    assert some == {(x, y) for x, y in whole if x in set(rows.tolist())}
    assert len(some) > 300 * 40
