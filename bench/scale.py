"""How the cost of one briefing grows with the story, in CPU time:

    .venv/bin/python bench/scale.py [--data ../shared/eval/timeline17-dev] [--topic bpoil]
                                    [--sizes 5,50,200] [--slow]

One story is the earliest N articles of one Timeline17 topic (dated by their folders, outlet
from the folder name). Each size runs in a process of its own, so peak RSS is that size's and
nothing is cached across sizes: the models load, the bundled example is briefed once to warm
lazy imports, then the N articles are cleaned and briefed, the briefing rendered as JSON,
Markdown and HTML. The bare model pass (spaCy ``nlp.pipe`` + MiniLM over the same texts and
sentences, caches cleared) is timed twice: in a fresh process of its own after the same warm-up
(the ratio's denominator: neither run inherits the words the other added to spaCy's vocabulary),
and, for reference, in the pipeline's process right after it (a warm vocabulary: cheaper).

Every size runs ``--repeat`` times (3 by default, sizes interleaved) and the table keeps the
least CPU time of each stage and of each bare pass, as ``timeit`` does (the pipeline and bare-pass
totals, and so the ratio, are those of the best whole run, not sums of per-stage bests): on a shared virtual
machine the same work moves by 10-20% between runs, more than the margins the targets leave. The
spread row shows how far the totals moved. ``--pool A.json B.json`` measures nothing and prints
one table over every repeat kept in ``--json`` files of the same code run on different occasions.

Printed, as a Markdown table ready for the README: CPU seconds of every stage (process CPU time
over all threads, ``time.process_time``: the machine is shared, wall time is not a fair
measure), the pipeline against the bare pass as a ratio, the growth exponent of every stage
between two sizes (log of the time ratio over log of the size ratio; 1.0 is linear), peak RSS
and output sizes. ``--slow`` adds N=500 (several minutes of CPU). Targets (issue 12): ratio
<= 1.3 at N=200, no stage above N^1.1 between N=50 and N=200.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from run import EXAMPLE, bare_pass, clear_caches, timeline17_articles  # noqa: E402

STAGES = ("clean", "analyse", "embed", "link", "claims", "align", "check", "timeline", "summarise")
FORMATS = ("json", "markdown", "html")


def measure(data: Path, topic: str, n: int, bare_file: Path | None = None) -> dict[str, Any]:
    """Brief the earliest ``n`` articles of ``topic`` and time it (runs in the child process)."""
    from storyline.analyse.embed import load_embedder
    from storyline.analyse.nlp import load_spacy
    from storyline.pipeline import StageTimes, brief_articles, brief_paths, clean_articles
    from storyline.report import render
    from storyline.settings import Settings

    clock = time.process_time
    articles = timeline17_articles(data, n, topic)
    if len(articles) < n:
        raise SystemExit(f"Error: topic {topic!r} has only {len(articles)} articles, not {n}")
    settings = Settings(progress=False)
    load_spacy()
    load_embedder()
    brief_paths([str(EXAMPLE)], settings)  # lazy imports, compiled regexes, dateparser's data
    clear_caches()

    times = StageTimes(clock=clock)
    cleaned, skipped = times.run("clean", lambda: clean_articles(articles, settings))
    brief = brief_articles(cleaned, settings, times=times)
    outputs: dict[str, str] = {}
    for fmt in FORMATS:
        outputs[fmt] = times.run(f"report:{fmt}", functools.partial(render, brief, fmt))

    sentences = [s.text for d in brief.articles for s in d.sentences]
    texts = [a.text for a in cleaned]
    if bare_file is not None:  # the fresh-process bare pass reads the same input from here
        bare_file.write_text(json.dumps({"texts": texts, "sentences": sentences}), encoding="utf-8")
    bare_spacy, bare_embed = bare_pass(texts, sentences, clock)
    return {
        "n": n,
        "briefed": len(brief.articles),
        "skipped": len(skipped),
        "sentences": len(sentences),
        "words": sum(len(a.text.split()) for a in cleaned),
        "seconds": times.seconds,
        "bare_spacy": bare_spacy,
        "bare_embed": bare_embed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": {fmt: len(text.encode("utf-8")) for fmt, text in outputs.items()},
        "markdown_lines": outputs["markdown"].count("\n"),
        "entities": len(brief.entities),
        "claims": len(brief.claims),
        "timeline": len(brief.timeline),
    }


def measure_bare(bare_file: Path) -> dict[str, float]:
    """The bare pass over the input ``measure`` saved, in a process of its own after the same
    warm-up as the pipeline's: neither inherits what the other left in spaCy's vocabulary
    (every word a first pass meets is added to it) or in torch's kernel caches."""
    from storyline.analyse.embed import load_embedder
    from storyline.analyse.nlp import load_spacy
    from storyline.pipeline import brief_paths
    from storyline.settings import Settings

    saved = json.loads(bare_file.read_text(encoding="utf-8"))
    load_spacy()
    load_embedder()
    brief_paths([str(EXAMPLE)], Settings(progress=False))
    clear_caches()
    spacy_s, embed_s = bare_pass(saved["texts"], saved["sentences"], time.process_time)
    return {"bare_spacy_fresh": spacy_s, "bare_embed_fresh": embed_s}


def _child(args: list[str], what: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"Error: {what} failed (exit code {done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_size(data: Path, topic: str, n: int) -> dict[str, Any]:
    """``measure`` in a fresh process, then the bare pass in another; each prints its JSON
    result as its last line of output."""
    with tempfile.TemporaryDirectory() as tmp:
        bare_file = Path(tmp) / "bare.json"
        common = ["--data", str(data), "--topic", topic, "--bare-file", str(bare_file)]
        result = _child([*common, "--child", str(n)], f"the run with N={n}")
        result.update(_child([*common, "--child-bare"], f"the bare pass with N={n}"))
    return result


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Repeats of one size as one result: the least CPU time of each stage and of each bare
    pass (as ``timeit`` reports the best run: what the machine adds is never negative), the
    most memory, and how far the pipeline and the bare pass moved between repeats."""
    out = dict(runs[0])
    out["seconds"] = {k: min(r["seconds"].get(k, 0.0) for r in runs) for k in runs[0]["seconds"]}
    for key in ("bare_spacy", "bare_embed", "bare_spacy_fresh", "bare_embed_fresh"):
        out[key] = min(r[key] for r in runs)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    totals = [sum(r["seconds"].get(s, 0.0) for s in STAGES) for r in runs]
    bares = [r["bare_spacy_fresh"] + r["bare_embed_fresh"] for r in runs]
    out["pipeline_best"] = min(totals)  # the best whole run, not the sum of each stage's best
    out["bare_best"] = min(bares)
    out["repeats"] = len(runs)
    out["spread"] = (max(totals) / min(totals), max(bares) / min(bares))
    # each run against its own bare pass, timed right after it: a slow spell of the machine
    # that lasts a run hits both sides of its ratio, where the best of each may come from
    # different runs
    out["paired"] = sorted(t / b for t, b in zip(totals, bares, strict=True))
    # each repeat as measured too: how far one stage moves between runs is the noise its
    # exponent carries
    out["runs"] = runs
    return out


def pooled(files: list[Path]) -> list[dict[str, Any]]:
    """The results of several ``--json`` files as one run with all their repeats."""
    runs: dict[int, list[dict[str, Any]]] = {}
    for f in files:
        for result in json.loads(f.read_text(encoding="utf-8")):
            runs.setdefault(int(result["n"]), []).extend(result.get("runs") or [result])
    return [merge(runs[n]) for n in sorted(runs)]


def growth_pair(spec: str, sizes: list[int]) -> tuple[int, int] | None:
    """The two sizes of ``--growth`` (ValueError when malformed), None unless both were run."""
    first, second = (int(s) for s in spec.split(","))
    return (first, second) if first in sizes and second in sizes and first != second else None


def print_pooled(files: list[Path], growth_sizes: str) -> int:
    try:
        results = pooled(files)
        grow = growth_pair(growth_sizes, [r["n"] for r in results])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"Error: cannot pool {', '.join(map(str, files))}: {exc}", file=sys.stderr)
        return 2
    counts = ", ".join(f"N={r['n']} x{r['repeats']}" for r in results)
    print(f"pooled: {counts} from {len(files)} file(s)")
    print(table(results, grow))
    return 0


def growth(a: float, b: float, n_a: int, n_b: int) -> str:
    """Exponent k of t ~ N^k between two sizes."""
    if a <= 0 or b <= 0:
        return "–"
    return f"{math.log(b / a) / math.log(n_b / n_a):.2f}"


def table(results: list[dict[str, Any]], grow: tuple[int, int] | None) -> str:
    sizes = [r["n"] for r in results]
    head = "| CPU seconds | " + " | ".join(f"N={n}" for n in sizes)
    head += f" | growth N={grow[0]}→{grow[1]} |" if grow else " |"
    lines = [head, "|---" * (len(sizes) + 1 + (1 if grow else 0)) + "|"]

    def row(label: str, values: list[float], fmt: str = "{:.2f}", exponent: bool = True) -> None:
        cells = [fmt.format(v) for v in values]
        line = f"| {label} | " + " | ".join(cells) + " |"
        if grow:
            if exponent:
                a, b = values[sizes.index(grow[0])], values[sizes.index(grow[1])]
                line += f" {growth(a, b, *grow)} |"
            else:
                line += " |"
        lines.append(line)

    def total(r: dict[str, Any]) -> float:
        if "pipeline_best" in r:
            return float(r["pipeline_best"])
        return sum(r["seconds"].get(s, 0.0) for s in STAGES)

    def bare(r: dict[str, Any]) -> float:
        if "bare_best" in r:
            return float(r["bare_best"])
        return float(r["bare_spacy_fresh"] + r["bare_embed_fresh"])

    def report(r: dict[str, Any]) -> float:
        return sum(r["seconds"].get(f"report:{f}", 0.0) for f in FORMATS)

    row("sentences", [r["sentences"] for r in results], "{:,}")
    for stage in STAGES:
        row(stage, [r["seconds"].get(stage, 0.0) for r in results])
    row("**pipeline** (clean → summarise)", [total(r) for r in results])
    row("bare pass: spaCy `nlp.pipe`", [r["bare_spacy_fresh"] for r in results])
    row("bare pass: MiniLM", [r["bare_embed_fresh"] for r in results])
    row("**bare pass**", [bare(r) for r in results])
    row("**ratio pipeline / bare pass**", [total(r) / bare(r) for r in results], exponent=False)
    row("bare pass in the pipeline's process, after it", [r["bare_spacy"] + r["bare_embed"] for r in results])
    row("ratio to that (warm vocabulary)", [total(r) / (r["bare_spacy"] + r["bare_embed"]) for r in results],
        exponent=False)
    if results[0].get("repeats", 1) > 1:
        spread = [f"{r['spread'][0]:.2f} / {r['spread'][1]:.2f}" for r in results]
        lines.append(f"| spread over {results[0]['repeats']} repeats (slowest / fastest): pipeline / bare pass | "
                     + " | ".join(spread) + (" |  |" if grow else " |"))
        paired = [f"{statistics.median(r['paired']):.2f} ({r['paired'][0]:.2f}–{r['paired'][-1]:.2f})"
                  for r in results]
        lines.append("| ratio of each run to its own bare pass: median (least–most) | "
                     + " | ".join(paired) + (" |  |" if grow else " |"))
    for fmt in FORMATS:
        row(f"render {fmt}", [r["seconds"].get(f"report:{fmt}", 0.0) for r in results])
    row("ratio incl. rendering", [(total(r) + report(r)) / bare(r) for r in results], exponent=False)
    row("peak RSS (MB)", [r["peak_rss_mb"] for r in results], "{:,.0f}")
    row("JSON (KB)", [r["bytes"]["json"] / 1024 for r in results], "{:,.0f}")
    row("Markdown (KB)", [r["bytes"]["markdown"] / 1024 for r in results], "{:,.0f}")
    row("Markdown (lines)", [r["markdown_lines"] for r in results], "{:,}")
    row("HTML (KB)", [r["bytes"]["html"] / 1024 for r in results], "{:,.0f}")
    counts = [f"{r['entities']:,} / {r['claims']:,} / {r['timeline']:,}" for r in results]
    lines.append("| entities / claims / timeline entries | " + " | ".join(counts) + (" |  |" if grow else " |"))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "timeline17-dev",
                        help="the timeline17-dev folder (holds InputDocs.tar.gz)")
    parser.add_argument("--topic", default="bpoil", help="Timeline17 topic whose articles make the story")
    parser.add_argument("--sizes", default="5,50,200", help="comma-separated story sizes in articles")
    parser.add_argument("--slow", action="store_true", help="also N=500 (several CPU minutes)")
    parser.add_argument("--growth", default="50,200", help="two sizes for the growth exponent")
    parser.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto",
                        help="MiniLM precision for every run (sets $STORYLINE_EMBED_PRECISION)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each size; the table shows the least CPU time of each stage")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file (each size's best and every repeat)")
    parser.add_argument("--pool", type=Path, nargs="+", metavar="JSON",
                        help="measure nothing: print one table over every repeat kept in these "
                             "--json files (runs of the same code on different occasions)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pool:
        return print_pooled(args.pool, args.growth)
    if not (args.data / "InputDocs.tar.gz").is_file():
        print(f"Error: {args.data / 'InputDocs.tar.gz'} not found; pass --data PATH/timeline17-dev",
              file=sys.stderr)
        return 2
    from storyline.analyse.embed import resolve_precision

    if args.child is not None:
        print(json.dumps(measure(args.data, args.topic, args.child, args.bare_file)))
        return 0
    if args.child_bare:
        print(json.dumps(measure_bare(args.bare_file)))
        return 0
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | ({500} if args.slow else set()))
        grow = growth_pair(args.growth, sizes)
    except ValueError:
        print("Error: --sizes and --growth take comma-separated whole numbers, e.g. 5,50,200", file=sys.stderr)
        return 2
    if args.repeat < 1:
        print("Error: --repeat needs 1 or more", file=sys.stderr)
        return 2
    if not sizes or min(sizes) < 1:
        print("Error: --sizes needs at least one size of 1 or more", file=sys.stderr)
        return 2
    os.environ["STORYLINE_EMBED_PRECISION"] = args.precision  # the child processes inherit it

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at start; topic {args.topic!r}, CPU seconds, "
          f"MiniLM {resolve_precision(args.precision)}")
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in sizes}
    for k in range(args.repeat):  # sizes interleaved: a slow spell of the machine hits all of them
        for n in sizes:
            t0 = time.perf_counter()
            runs[n].append(run_size(args.data, args.topic, n))
            print(f"  N={n} (run {k + 1} of {args.repeat}): done in {time.perf_counter() - t0:.0f} s wall",
                  file=sys.stderr)
    results = [merge(runs[n]) for n in sizes]
    print(table(results, grow))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
