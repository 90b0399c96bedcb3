"""Benchmark `storyline batch`: articles/s on 1 and 2 workers over the same corpus, peak memory
per worker, the speed-up, and the per-article costs behind the README's cost model.

The corpus is the Timeline17 dev articles and the Multi-News validation documents, shuffled with a
fixed seed and repeated to reach ``--articles``: copy r of a document gets a new id, one added sentence naming the copy
(so it is not a duplicate) and, when dated, a date 30 days after copy r-1. It is written as
JSONL files of 500 records in a temporary folder. Each worker count runs on a fresh LocalCluster
of worker processes (one thread, torch on one thread), into a fresh output folder; the time is
the three phases (cluster start and model loading are printed apart).

    .venv/bin/python bench/batch_bench.py --articles 20000 --data ../shared/eval
    .venv/bin/python bench/batch_bench.py --articles 500      # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DATA = ROOT.parent / "shared" / "eval"


def write_corpus(data: Path, size: int, folder: Path) -> int:
    from datetime import date, timedelta

    from storyline.evaluate.clustering import dedup, load_multinews, load_timeline17

    docs = load_timeline17(data / "timeline17-dev") + load_multinews(data / "multinews-val")
    docs, _ = dedup(docs)
    random.Random(13).shuffle(docs)  # a mixed stream: not one topic's (or one outlet's) pages in a row
    written, copy, chunk = 0, 0, 0
    lines: list[str] = []
    while written < size:
        for i, d in enumerate(docs):
            if written >= size:
                break
            day = None
            if d.published:
                day = (date.fromisoformat(d.published) + timedelta(days=30 * copy)).isoformat()
            text = d.text if copy == 0 else f"{d.text}\nThis is copy {copy} of document {i}."
            lines.append(json.dumps({"id": f"c{copy}-{i}", "title": d.title, "text": text, "published": day}))
            written += 1
            if len(lines) == 500:
                (folder / f"part-{chunk:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
                lines, chunk = [], chunk + 1
        copy += 1
    if lines:
        (folder / f"part-{chunk:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(docs)


def run(corpus: Path, out: Path, workers: int, partition_mb: float) -> dict[str, object]:
    from storyline.batch import run_batch
    from storyline.batch.cluster import connect
    from storyline.settings import Settings

    t0 = time.perf_counter()
    client, cluster = connect(None, workers, load_models=True, dashboard=":0")
    client.wait_for_workers(workers)
    client.run(lambda: None)  # plugins (model loading) have run once this returns
    startup = time.perf_counter() - t0
    try:
        settings = Settings(progress=False, batch_partition_bytes=int(partition_mb * 1_000_000))
        report = run_batch([str(corpus)], str(out), settings, client=client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    seconds = sum(report.seconds.values())
    return {"workers": workers, "articles": report.articles, "stories": report.stories,
            "multi": report.multi_article_stories, "blocks": report.blocks, "largest_block": report.largest_block,
            "partitions": report.partitions, "seconds": seconds, "per_s": report.articles / seconds,
            "phases": report.seconds, "cpu": report.cpu_seconds, "stages": report.stage_seconds, "startup": startup,
            "peak_mb": report.peak_mb_per_worker, "shuffled": report.shuffled_bytes, "errors": report.errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000, help="corpus size (default 20000)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the eval folder (timeline17-dev, multinews-val)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partition-mb", type=float, default=1.0, help="input megabytes per partition")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        distinct = write_corpus(args.data, args.articles, corpus)
        size = sum(p.stat().st_size for p in corpus.iterdir())
        print(f"batch benchmark: {args.articles} articles ({distinct} distinct documents of Timeline17 dev and "
              f"Multi-News validation, repeated with new ids), {size / 1e6:.1f} MB of JSONL; "
              f"{os.cpu_count()} CPUs; partitions of {args.partition_mb} MB", flush=True)
        results = []
        for w in args.workers:
            r = run(corpus, tmp / f"out-{w}", w, args.partition_mb)
            results.append(r)
            peaks = sorted(r["peak_mb"].values())  # type: ignore[attr-defined]
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items())  # type: ignore[attr-defined]
            print(f"{w} worker(s): {r['per_s']:.2f} articles/s ({r['articles']} articles in {r['seconds']:.1f} s: "
                  f"{phases}); cluster start and model loading {r['startup']:.1f} s; peak memory per worker "
                  f"{', '.join(f'{p:.0f}' for p in peaks)} MB; {r['stories']} stories ({r['multi']} with more than "
                  f"one article), {r['blocks']} blocks, largest {r['largest_block']}; {r['errors']} errors", flush=True)
            n = max(1, int(r["articles"]))  # type: ignore[call-overload]
            wall = {k: v * w / n * 1000 for k, v in r["phases"].items()}  # type: ignore[attr-defined]
            cpu = {k: v / n * 1000 for k, v in r["cpu"].items()}  # type: ignore[attr-defined]
            stages = {k: v / n * 1000 for k, v in r["stages"].items()}  # type: ignore[attr-defined]
            shuffled = {k: v / n for k, v in r["shuffled"].items()}  # type: ignore[attr-defined]
            print("   per article, worker wall-ms by phase: " + ", ".join(f"{k} {v:.0f}" for k, v in wall.items())
                  + "; task CPU-ms by phase: " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items())
                  + " (analyse: " + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()) + ")"
                  + "; bytes moved: " + ", ".join(f"{k} {v:.0f}" for k, v in shuffled.items()), flush=True)
        if len(results) >= 2:
            ratio = float(results[-1]["per_s"]) / float(results[0]["per_s"])  # type: ignore[arg-type]
            print(f"speed-up {results[-1]['workers']} workers / {results[0]['workers']} worker: {ratio:.2f}x "
                  "(target >= 1.6 for 2 / 1)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
