"""MiniLM in fp32 against bf16 autocast on this CPU: speed and how far the vectors move.

    .venv/bin/python bench/precision.py [--data ../shared/eval/timeline17-dev] [--sentences 400]
                                        [--threads 1,2] [--repeats 3]

Embeds the same sentences (Timeline17 bpoil articles with --data, else the bundled example)
in both precisions, alternating, and prints per thread count the least CPU seconds (process
time, all threads) and wall seconds of ``--repeats`` runs, and the largest and mean cosine
distance (1 - cos) between a sentence's bf16 and fp32 vectors. ``analyse.embed.AUTO_BF16``
holds the decision these numbers support; the bar is 1e-4 (tests/test_embed.py checks it too).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from run import EXAMPLE, timeline17_articles  # noqa: E402


def sentences(data: Path | None, limit: int) -> list[str]:
    if data is not None:
        texts = [a.text for a in timeline17_articles(data, 60, "bpoil")]
    else:
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(EXAMPLE.iterdir()) if p.is_file()]
    from storyline.analyse.nlp import load_spacy

    nlp = load_spacy()
    out = [s.text.strip() for doc in nlp.pipe(texts) for s in doc.sents if len(s.text.split()) >= 3]
    return out[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="the timeline17-dev folder (default: the bundled example)")
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--threads", default="1,2", help="torch thread counts to try, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import numpy as np
    import torch

    from storyline.analyse.embed import bf16_supported, load_embedder

    if args.data is not None and not (args.data / "InputDocs.tar.gz").is_file():
        print(f"Error: {args.data / 'InputDocs.tar.gz'} not found; pass --data PATH/timeline17-dev", file=sys.stderr)
        return 2
    if not bf16_supported():
        print("This CPU has no native bfloat16 (AVX512-BF16 or AMX): storyline keeps fp32 here.")
        return 0
    texts = sentences(args.data, args.sentences)
    model = load_embedder()
    print(f"{len(texts)} sentences; CPU s and wall s are the least of {args.repeats} runs")
    print("| torch threads | fp32 CPU s | bf16 CPU s | bf16 / fp32 (CPU) | fp32 wall s | bf16 wall s |")
    print("|---|---|---|---|---|---|")
    vectors: dict[bool, np.ndarray] = {}
    was = model.bf16
    try:
        for threads in (int(t) for t in args.threads.split(",")):
            torch.set_num_threads(threads)
            cpu: dict[bool, float] = {}
            wall: dict[bool, float] = {}
            for _ in range(args.repeats):
                for bf16 in (False, True):
                    model.bf16 = bf16
                    c0, w0 = time.process_time(), time.perf_counter()
                    vectors[bf16] = model.encode(texts)
                    cpu[bf16] = min(cpu.get(bf16, float("inf")), time.process_time() - c0)
                    wall[bf16] = min(wall.get(bf16, float("inf")), time.perf_counter() - w0)
            print(f"| {threads} | {cpu[False]:.2f} | {cpu[True]:.2f} | {cpu[True] / cpu[False]:.2f} | "
                  f"{wall[False]:.2f} | {wall[True]:.2f} |")
    finally:
        model.bf16 = was
    distance = 1.0 - (vectors[False] * vectors[True]).sum(axis=1)
    print(f"cosine distance bf16 vs fp32: max {distance.max():.1e}, mean {distance.mean():.1e} "
          f"(bar: 1e-4) over {len(texts)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
