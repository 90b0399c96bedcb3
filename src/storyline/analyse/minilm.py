"""all-MiniLM-L6-v2 run directly on torch: the packaged weights, no transformers import.

sentence-transformers pulls in transformers, whose import alone takes 3-5 s on our 2-core
machines: most of a cold ``storyline brief``. The model is a plain 6-layer BERT encoder with
mean pooling and L2 normalisation, so we run those few operations ourselves, on the same
``model.safetensors`` and ``tokenizer.json`` that the package ships. A test checks the
vectors against sentence-transformers' own (max abs difference ~1e-6).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


class MiniLM:
    """Encode sentences into L2-normalised 384-d vectors."""

    def __init__(self, model_dir: Path, bf16: bool = False) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.max_length = int(st_config.get("max_seq_length", 256))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()
        self.w: dict[str, Any] = load_file(str(model_dir / "model.safetensors"))
        self.torch = torch
        self._linears: dict[str, Any] = {}
        self.bf16 = bf16

    @property
    def bf16(self) -> bool:
        return self._bf16

    @bf16.setter
    def bf16(self, on: bool) -> None:
        # Autocast casts a linear layer's fp32 weights to bf16 on every call (its cast cache
        # keeps only tensors that require grad): ~3% of the CPU of a pass. Cast them once. The
        # values are those autocast would make, so the vectors are bit for bit the same.
        self._bf16 = bool(on)
        dtype = self.torch.bfloat16 if self._bf16 else self.torch.float32
        self._linears = {
            k: v.to(dtype)
            for k, v in self.w.items()
            if k.startswith("encoder.layer.") and ".LayerNorm." not in k
        }

    def _layer_norm(self, x: Any, prefix: str) -> Any:
        return self.torch.nn.functional.layer_norm(
            x, (x.shape[-1],), self.w[f"{prefix}.weight"], self.w[f"{prefix}.bias"], self.eps
        )

    def _linear(self, x: Any, prefix: str) -> Any:
        w = self._linears
        return self.torch.nn.functional.linear(x, w[f"{prefix}.weight"], w[f"{prefix}.bias"])

    def _forward(self, ids: Any, mask: Any) -> Any:
        torch, w = self.torch, self.w
        batch, length = ids.shape
        positions = torch.arange(length).unsqueeze(0)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._layer_norm(x, "embeddings.LayerNorm")
        head_dim = x.shape[-1] // self.heads
        # additive mask: padding positions get -inf before the softmax
        attn_mask = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def heads(t: Any) -> Any:
                return t.view(batch, length, self.heads, head_dim).transpose(1, 2)

            q = heads(self._linear(x, f"{p}.attention.self.query"))
            k = heads(self._linear(x, f"{p}.attention.self.key"))
            v = heads(self._linear(x, f"{p}.attention.self.value"))
            context = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
            context = context.transpose(1, 2).reshape(batch, length, -1)
            x = self._layer_norm(self._linear(context, f"{p}.attention.output.dense") + x,
                                 f"{p}.attention.output.LayerNorm")
            hidden = torch.nn.functional.gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = self._layer_norm(self._linear(hidden, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        torch = self.torch
        encodings = self.tokenizer.encode_batch(list(texts))
        # batches of similar length waste little on padding
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                length = max(len(encodings[i].ids) for i in rows)
                ids = torch.zeros((len(rows), length), dtype=torch.long)
                mask = torch.zeros((len(rows), length), dtype=torch.long)
                for r, i in enumerate(rows):
                    n = len(encodings[i].ids)
                    ids[r, :n] = torch.tensor(encodings[i].ids, dtype=torch.long)
                    mask[r, :n] = 1
                out[rows] = self._forward(ids, mask).float().numpy()
        return out
