"""``storyline batch``: the stages of ``brief`` and ``track`` over a whole corpus, on a Dask cluster.

Three phases, each a set of Dask tasks, each with its progress bar:

1. **analyse** (``partition``), per input partition: ingest and clean, then the spaCy pass,
   claims and sentence vectors;
2. **assign** (``blocking``, ``assign``): blocking keys per partition, links per key bucket,
   blocks (connected components) on the client, then ``track``'s rule block by block;
3. **brief** (``briefs``): stories packed into tasks; dates reconciled per story, the rest of the
   ``brief`` pipeline, Parquet tables and one ``storyline.brief/1`` JSON per story.

Work files under ``OUT/_work`` make a rerun skip what is done; outputs are written under
temporary names and renamed, and every id is derived from the input, so a task that runs twice
(its worker died) writes the same files again: no duplicates, nothing lost.
"""

from __future__ import annotations

import hashlib
import json
import operator
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .. import __version__
from ..errors import UsageError
from ..settings import Settings
from .assign import add_stats, assign_task, partition_keys, route_articles
from .blocking import KEY_DTYPE, blocks, link, lsh_bands
from .briefs import TASK_TABLES, brief_task, route_analysis
from .cluster import Bar, connect, dashboard_link, gather_with_bar
from .partition import PartitionResult, run_partition
from .sources import expand_inputs, plan_partitions
from .tables import TABLES, Out

Say = Callable[[str], None]


@dataclass
class BatchReport:
    """What a batch run did (also written to ``OUT/run.json``)."""

    out: str
    inputs: int = 0
    partitions: int = 0
    partitions_done_before: int = 0
    articles: int = 0
    duplicates: int = 0
    errors: int = 0
    skipped_since: int = 0
    stories: int = 0
    multi_article_stories: int = 0
    blocks: int = 0
    largest_block: int = 0
    briefs: int = 0
    brief_tasks_done_before: int = 0
    workers: int = 0
    dashboard: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # summed over tasks, done in this run
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_mb_per_worker: dict[str, float] = field(default_factory=dict)
    shuffled_bytes: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(self.seconds.values())
        rate = self.articles / total if total else 0.0
        return (f"{self.articles} articles in {self.stories} stories ({self.multi_article_stories} with more "
                f"than one article), {self.duplicates} duplicates skipped, {self.errors} errors; "
                f"{self.briefs} briefings; {total:.1f} s on {self.workers} workers ({rate:.1f} articles/s); "
                f"output in {self.out}")


def _pick(routed: dict[Any, Any], key: Any) -> Any:
    return routed.get(key, [])


def _digest(settings: Settings, since: str | None, analyse: bool) -> str:
    basis = {"version": __version__, "min_words": settings.min_words, "max_bytes": settings.max_bytes,
             "perms": settings.batch_lsh_perms, "terms": settings.batch_block_terms, "since": since, "analyse": analyse,
             "batch_size": settings.batch_size}
    return hashlib.sha1(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:16]


def _pack(sizes: Sequence[int], target: int) -> list[int]:
    """Consecutive items into tasks of about ``target``: task number of each item."""
    out, task, filled = [], 0, 0
    for size in sizes:
        if filled and filled + size > target:
            task, filled = task + 1, 0
        out.append(task)
        filled += size
    return out


def check_since(since: str | None) -> str | None:
    if since is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(since[:10]).isoformat()
    except ValueError:
        raise UsageError(f"--since {since!r} is not a date; use YYYY-MM-DD") from None


def run_batch(
    inputs: Sequence[str],
    out_url: str,
    settings: Settings | None = None,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    since: str | None = None,
    briefs: bool = True,
    client: Any = None,
    bar: Bar | None = None,
    say: Say | None = None,
    dashboard: str | None = ":8787",
) -> BatchReport:
    """Run the batch over ``inputs`` into ``out_url``; see the module docstring.

    ``client``: an existing ``distributed.Client`` (tests, notebooks); otherwise one is made on
    ``scheduler`` or on a LocalCluster of ``workers`` processes and closed at the end.
    ``briefs=False`` stops after story assignment (articles, stories and membership only).
    """
    settings = settings or Settings()
    since = check_since(since)
    say = say or (lambda _m: None)
    bar = bar or (lambda _p, _t: (lambda _n: None))
    try:
        out = Out(out_url)
        out.write_bytes(b"", "_work", "probe")  # fail now, not in every task, when OUT is not writable
    except (OSError, ValueError, ImportError) as exc:
        raise UsageError(f"--out {out_url}: cannot write there ({exc})") from exc
    report = BatchReport(out=out_url)
    digest = _digest(settings, since, briefs)

    pieces, problems = expand_inputs(list(inputs))
    report.inputs = len(pieces)
    out.write_table("errors", "inputs", [
        {"file": p.source, "record": None, "reason": p.reason, "phase": "input"} for p in problems])
    report.errors += len(problems)
    parts = plan_partitions(pieces, settings.batch_partition_bytes)
    report.partitions = len(parts)

    own_cluster = None
    if client is None:
        say("starting the cluster" if not scheduler else f"connecting to {scheduler}")
        client, own_cluster = connect(scheduler, workers, load_models=briefs, dashboard=dashboard)
    else:
        from .cluster import Models

        client.register_plugin(Models(briefs), name=Models.name)
    try:
        report.dashboard = dashboard_link(client)
        report.workers = len(client.scheduler_info(n_workers=-1)["workers"])
        if report.dashboard:
            say(f"Dask dashboard: {report.dashboard}")
        _run(client, out, parts, settings, since, briefs, digest, report, bar, say)
        for addr, mb in client.run(_peak_mb).items():
            report.peak_mb_per_worker[addr] = max(report.peak_mb_per_worker.get(addr, 0.0), float(mb))
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()
    out.write_json(asdict(report), "run.json")
    return report


def _peak_mb() -> float:
    from .partition import peak_mb

    return peak_mb()


def _run(client: Any, out: Out, parts: Sequence[Any], settings: Settings, since: str | None, briefs: bool,
         digest: str, report: BatchReport, bar: Bar, say: Say) -> None:
    url = out.url
    # --- phase 1 ---------------------------------------------------------------------------------
    t0 = time.perf_counter()
    futures = [client.submit(run_partition, p, url, settings, since, briefs, digest, pure=False) for p in parts]
    results: list[PartitionResult] = gather_with_bar(client, futures, bar("analyse partitions", len(parts)))
    del futures
    report.seconds["analyse"] = time.perf_counter() - t0
    report.cpu_seconds["analyse"] = sum(r.cpu_seconds for r in results)
    for r in results:
        report.errors += r.errors
        report.skipped_since += r.skipped_since
        report.partitions_done_before += int(r.cached)
        for k, v in r.stage_seconds.items():
            report.stage_seconds[k] = report.stage_seconds.get(k, 0.0) + v
        if r.worker and r.peak_mb:
            report.peak_mb_per_worker[r.worker] = max(report.peak_mb_per_worker.get(r.worker, 0.0), r.peak_mb)
    counts = np.array([r.articles for r in results], dtype=np.int64)
    first = np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
    n = int(counts.sum())
    report.shuffled_bytes["articles (to assignment and briefing)"] = sum(r.work_bytes.get("articles", 0) for r in results)
    report.shuffled_bytes["analysis (to briefing)"] = sum(r.work_bytes.get("analysis", 0) for r in results)
    if n == 0:
        for table in TASK_TABLES:
            out.write_table(table, "empty", [])
        out.write_table("duplicates", "all", [])
        _remove_stale(out, parts, ["empty"], set() if briefs else None)
        return

    # --- phase 2: blocking, then track's rule per block -------------------------------------------
    t0 = time.perf_counter()
    window = settings.story_idle_days
    bands = lsh_bands(settings.batch_lsh_threshold, settings.batch_lsh_perms)
    nbuckets = max(1, min(64, 2 * max(1, report.workers)))
    key_futs = [client.submit(partition_keys, url, p.id, int(first[i]), window, bands, nbuckets, pure=False)
                for i, p in enumerate(parts) if counts[i]]
    link_futs = [client.submit(link, [client.submit(operator.getitem, kf, b) for kf in key_futs], window,
                               settings.batch_name_postings, pure=False) for b in range(nbuckets)]
    linked = gather_with_bar(client, link_futs, bar("link blocking keys", len(link_futs)))
    del key_futs, link_futs
    edges = np.concatenate([e for e, _, _ in linked]) if linked else np.zeros((0, 2), np.int64)
    dup_pairs = np.concatenate([d for _, d, _ in linked]) if linked else np.zeros((0, 2), np.int64)
    report.shuffled_bytes["blocking keys"] = sum(int(rows) for _, _, rows in linked) * KEY_DTYPE.itemsize
    original = np.arange(n, dtype=np.int64)
    for copy, orig in dup_pairs:  # several keys can name the same copy: keep the earliest original
        original[copy] = min(original[copy], orig) if original[copy] != copy else orig
    dropped = original != np.arange(n)
    block = blocks(n, edges, dropped) if n else np.zeros(0, np.int64)
    report.duplicates = int(dropped.sum())
    block_sizes = np.bincount(block[block >= 0]) if n else np.zeros(0, np.int64)
    report.blocks, report.largest_block = len(block_sizes), int(block_sizes.max()) if len(block_sizes) else 0
    task_of_block = np.array(_pack(block_sizes.tolist(), settings.batch_assign_articles), dtype=np.int64)
    task_of = np.where(block >= 0, task_of_block[np.maximum(block, 0)] if n else block, -1)
    route_futs = []
    for i, p in enumerate(parts):
        lo, hi = int(first[i]), int(first[i] + counts[i])
        route_futs.append(client.submit(route_articles, url, p.id, i, lo, task_of[lo:hi], block[lo:hi], settings,
                                        pure=False) if hi > lo else None)
    # before[i]: word and name frequencies of every partition before partition i (a chain of sums)
    before: list[Any] = []
    running = None
    for f in route_futs:
        before.append(running)
        if f is not None:
            running = client.submit(add_stats, running, client.submit(_pick, f, "stats"), pure=False)
    ntasks = int(task_of.max()) + 1 if n and (task_of >= 0).any() else 0
    assign_futs = []
    for t in range(ntasks):
        holders = [i for i, f in enumerate(route_futs)
                   if f is not None and (task_of[int(first[i]): int(first[i] + counts[i])] == t).any()]
        assign_futs.append(client.submit(
            assign_task, settings, {i: before[i] for i in holders},
            {i: client.submit(_pick, route_futs[i], "learn") for i in holders},
            *[client.submit(_pick, route_futs[i], t) for i in holders], pure=False))
    assigned = gather_with_bar(client, assign_futs, bar("assign stories", len(assign_futs)))
    if running is not None:  # the corpus's word and name frequencies, for loading a store
        out.write_pickle(running.result(), "_work", "vocabulary.pkl")
    del assign_futs, route_futs, before, running
    story_of = np.empty(n, dtype=object)
    state_of: dict[int, bytes] = {}
    report.cpu_seconds["assign"] = sum(cpu for _, cpu in assigned)
    for rows, _ in assigned:
        for seq, sid, state in rows:
            story_of[seq] = sid
            if state is not None:
                state_of[seq] = state
    report.seconds["assign"] = time.perf_counter() - t0

    # --- phase 3: briefings and tables -------------------------------------------------------------
    t0 = time.perf_counter()
    members: dict[str, list[int]] = {}
    for seq in range(n):
        if not dropped[seq]:
            members.setdefault(str(story_of[seq]), []).append(seq)
    report.stories = len(members)
    report.multi_article_stories = sum(1 for m in members.values() if len(m) > 1)
    order = list(members)  # by first article: dict order follows the seq loop
    # At most batch_brief_articles per task, and enough tasks to keep every worker busy on a small
    # corpus (task names then depend on the worker count: a rerun on another count re-briefs).
    target = max(1, min(settings.batch_brief_articles, -(-(n - int(dropped.sum())) // (4 * max(1, report.workers)))))
    task_of_story = _pack([len(members[s]) for s in order], target)
    tasks: list[list[dict[str, Any]]] = [[] for _ in range(max(task_of_story, default=-1) + 1)]
    brief_task_of = np.full(n, -1, dtype=np.int64)
    for sid, t in zip(order, task_of_story, strict=True):
        seqs = members[sid]
        state = next((state_of[s] for s in reversed(seqs) if s in state_of), None)
        tasks[t].append({"id": sid, "block": int(block[seqs[0]]), "state": state, "articles": seqs})
        brief_task_of[seqs] = t
    names = []
    for stories in tasks:
        basis = json.dumps([[s["id"], s["articles"]] for s in stories]) + digest
        names.append("t" + hashlib.sha1(basis.encode()).hexdigest()[:15])
    pending = [t for t, name in enumerate(names) if not out.exists("_work", "briefs", f"{name}.done.json")]
    report.brief_tasks_done_before = len(names) - len(pending)
    pending_set = set(pending)
    route_futs = []
    for i, p in enumerate(parts):
        lo, hi = int(first[i]), int(first[i] + counts[i])
        wanted = np.where(np.isin(brief_task_of[lo:hi], list(pending_set)), brief_task_of[lo:hi], -1)
        route_futs.append(client.submit(route_analysis, url, p.id, lo, wanted, briefs, pure=False)
                          if (wanted >= 0).any() else None)
    brief_futs = []
    for t in pending:
        holders = [f for i, f in enumerate(route_futs)
                   if f is not None and (brief_task_of[int(first[i]): int(first[i] + counts[i])] == t).any()]
        brief_futs.append(client.submit(brief_task, url, names[t], tasks[t], settings, briefs,
                                        *[client.submit(_pick, f, t) for f in holders], pure=False))
    done = gather_with_bar(client, brief_futs, bar("brief stories" if briefs else "write stories", len(tasks)))
    del brief_futs, route_futs
    report.cpu_seconds["brief" if briefs else "write"] = sum(d.get("cpu_seconds", 0.0) for d in done)
    for d in done:
        report.errors += d["errors"]  # errors of tasks done before are in their own run's report
        if d.get("worker") and d.get("peak_mb"):
            w = d["worker"]
            report.peak_mb_per_worker[w] = max(report.peak_mb_per_worker.get(w, 0.0), d["peak_mb"])
    report.articles = n - report.duplicates
    if briefs:
        failed = sum(d["errors"] for d in done) + sum(
            out.read_json("_work", "briefs", f"{names[t]}.done.json")["errors"]
            for t in range(len(names)) if t not in pending_set)
        report.briefs = len(members) - failed
    _write_duplicates(out, parts, first, counts, dropped, original, story_of)
    _remove_stale(out, parts, names, set(members) if briefs else None)
    report.seconds["brief" if briefs else "write"] = time.perf_counter() - t0


def _write_duplicates(out: Out, parts: Sequence[Any], first: np.ndarray, counts: np.ndarray,
                      dropped: np.ndarray, original: np.ndarray, story_of: np.ndarray) -> None:
    rows: list[dict[str, Any]] = []
    ids: dict[int, str] = {}
    wanted = set(original[dropped].tolist())
    need = set(np.flatnonzero(dropped).tolist()) | wanted
    for i, p in enumerate(parts):
        lo, hi = int(first[i]), int(first[i] + counts[i])
        if not any(lo <= s < hi for s in need):
            continue
        part_rows = out.read_pickle("_work", "parts", f"{p.id}.articles.pkl")
        for j, row in enumerate(part_rows):
            if lo + j in need:
                ids[lo + j] = row["article"].id
                if dropped[lo + j]:
                    rows.append({"seq": lo + j, "id": row["article"].id, "input_id": row["input_id"],
                                 "file": row["file"], "record": row["record"]})
    out.write_table("duplicates", "all", [
        {k: v for k, v in r.items() if k != "seq"} | {"duplicate_of": ids.get(int(original[r["seq"]]))}
        for r in rows])


def _remove_stale(out: Out, parts: Sequence[Any], names: Sequence[str], stories: set[str] | None) -> None:
    """Files of an earlier run over other input, so the tables hold this run only."""
    keep = set(names)
    for table in TASK_TABLES:
        for part in out.parts(table):
            if part not in keep:
                out.remove(table, f"{part}.parquet")
    pids = {p.id for p in parts}
    for part in out.parts("errors"):
        if part == "inputs" or part in pids or (part.startswith("brief-") and part[6:] in keep):
            continue
        out.remove("errors", f"{part}.parquet")
    for folder in (*TABLES, "briefs", "_work/parts", "_work/briefs"):  # a killed worker's half-written file
        if out.exists(folder):
            for path in out.fs.ls(out.path(folder), detail=False):
                name = path.rsplit("/", 1)[-1]
                if name.startswith(".") and name.endswith(".tmp"):
                    out.fs.rm(path)
    if stories is not None and out.exists("briefs"):
        for path in out.fs.ls(out.path("briefs"), detail=False):
            name = path.rsplit("/", 1)[-1]
            if name.endswith(".json") and name[:-5] not in stories:
                out.fs.rm(path)


__all__ = ["TABLES", "BatchReport", "run_batch"]
