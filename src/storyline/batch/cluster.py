"""The Dask side: a client on a scheduler or on a LocalCluster, the models once per worker, and a
progress bar per phase.

Without ``--scheduler`` a LocalCluster of worker *processes* runs on this machine (spaCy and torch
hold the GIL: threads would take turns). Each worker runs one task at a time with torch on one
thread, so N workers use N cores.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed

from ..errors import UsageError


class Models(WorkerPlugin):
    """On each worker: torch on one thread, and (for a full run) the models loaded once."""

    name = "storyline-models"

    def __init__(self, load: bool) -> None:
        self.load = load

    def setup(self, worker: Any) -> None:
        import torch

        if self.load:
            from ..analyse.embed import load_embedder
            from ..analyse.nlp import load_spacy

            load_spacy()
            load_embedder()
        torch.set_num_threads(1)  # after load_embedder, which sets its own default


def connect(scheduler: str | None, workers: int | None, load_models: bool,
            dashboard: str | None = ":8787") -> tuple[Client, LocalCluster | None]:
    """A client on ``scheduler`` (tcp://host:port), or on a new LocalCluster of ``workers`` processes."""
    cluster: LocalCluster | None = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            n = workers or max(1, os.cpu_count() or 1)
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   dashboard_address=dashboard, silence_logs=logging.ERROR)
            client = Client(cluster)
    except OSError as exc:
        where = scheduler or "a local cluster"
        raise UsageError(f"cannot connect to {where} ({exc}); check --scheduler tcp://HOST:PORT") from exc
    client.register_plugin(Models(load_models), name=Models.name)
    return client, cluster


def dashboard_link(client: Client) -> str | None:
    try:
        return str(client.dashboard_link)
    except (AttributeError, KeyError):
        return None


Bar = Callable[[str, int], Callable[[int], None]]
"""``bar(phase, total)`` -> ``advance(n)``: a progress bar per phase."""


def rich_bars(enabled: bool) -> tuple[Bar, Callable[[], None]]:
    """Progress bars on stderr (rich); ``enabled=False`` gives no-op bars."""
    if not enabled:
        return (lambda _p, _t: (lambda _n: None)), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=False)
    progress.start()

    def bar(phase: str, total: int) -> Callable[[int], None]:
        task = progress.add_task(phase, total=total)
        return lambda n: progress.advance(task, n)

    return bar, progress.stop


def gather_with_bar(client: Client, futures: Iterable[Future], advance: Callable[[int], None]) -> list[Any]:
    """Results in submission order; the bar advances as each finishes. A failed task raises."""
    futures = list(futures)
    position = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for future in as_completed(futures):
        results[position[future.key]] = future.result()
        advance(1)
    return results
