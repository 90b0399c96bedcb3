"""Benchmark `track`: throughput (articles/s) and peak memory at several stream sizes.

Articles are real Multi-News validation documents repeated to reach the size: copy r of a
document gets a new id, one extra sentence naming the copy (so the store does not deduplicate
it) and a date 10 days after copy r-1 (so earlier stories go quiet and are retired, as in a
real stream). Each size runs in a fresh subprocess with a fresh store; peak RSS is
``ru_maxrss`` of that subprocess. Re-briefing is off: this measures tracking alone.

    .venv/bin/python bench/track_bench.py --sizes 10000 50000 --data ../shared/eval/multinews-val
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "multinews-val"


def child(size: int, data: Path, clean: bool) -> dict[str, float]:
    import random
    import resource
    import time
    from datetime import date, timedelta

    from storyline.evaluate.clustering import dedup, load_multinews
    from storyline.models import Article
    from storyline.settings import Settings
    from storyline.store import open_store
    from storyline.track import track

    docs, _ = dedup(load_multinews(data))
    base = date(2020, 1, 1)

    def stream():  # lazily: the benchmark must not hold every article itself
        n, r = 0, 0
        while True:
            order = list(range(len(docs)))
            random.Random(r).shuffle(order)
            day = (base + timedelta(days=10 * r)).isoformat()
            for i in order:
                if n >= size:
                    return
                d = docs[i]
                yield Article(id=f"b{r}-{i}", text=f"{d.text}\nThis is copy {r} of document {i}.",
                              title=d.title, published=day, source=f"outlet{i % 40}")
                n += 1
            r += 1

    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        with open_store(Path(tmp) / "bench.db") as store:
            t0, c0 = time.perf_counter(), time.process_time()
            report = track([], store, Settings(progress=False), articles=stream(), clean=clean)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            stories = len(store.list_stories(limit=None))
        db_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"size": size, "added": len(report.added), "seconds": seconds,
            "per_s": len(report.added) / seconds, "per_cpu_s": len(report.added) / cpu, "stories": stories,
            "peak_rss_mb": peak / 1024, "rss_before_mb": rss_start / 1024, "store_mb": db_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the multinews-val folder")
    ap.add_argument("--no-clean", action="store_true", help="skip clean.clean (tracking alone)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.data, not args.no_clean)))
        return
    print("track benchmark: Multi-News validation documents repeated with new ids, one added sentence "
          "per copy (not deduplicated), each copy dated 10 days later; clean.clean "
          + ("off" if args.no_clean else "on") + "; briefs off; fresh subprocess and store per size")
    print(f"cpus: {os.cpu_count()}; threads capped at 2")
    env = {**os.environ, "OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "MKL_NUM_THREADS": "2",
           "PYTHONPATH": str(ROOT / "src")}
    results = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(size), "--data", str(args.data)]
        if args.no_clean:
            cmd.append("--no-clean")
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            sys.exit(out.returncode)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{r['size']:>7} articles: {r['per_s']:.1f} articles/s ({r['seconds']:.1f} s), "
              f"{r['per_cpu_s']:.1f} per CPU-second, {r['stories']} stories, peak RSS {r['peak_rss_mb']:.0f} MB "
              f"(after imports and loading {r['rss_before_mb']:.0f} MB), store {r['store_mb']:.0f} MB", flush=True)
    if len(results) >= 2:
        ratio = results[-1]["peak_rss_mb"] / results[0]["peak_rss_mb"]
        print(f"peak memory {results[-1]['size']} / {results[0]['size']}: {ratio:.2f}x (target <= 1.2x); "
              f"slowest throughput {min(r['per_s'] for r in results):.1f} articles/s (target >= 50)")


if __name__ == "__main__":
    main()
