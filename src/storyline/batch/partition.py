"""Phase 1, on a worker, one partition at a time: ingest, clean, then the spaCy pass, claims and
sentence vectors, with the functions ``brief`` uses.

Dates are not resolved here: ``analyse.date_sentences`` reconciles them across the articles of
one story, so it runs in the briefing phase once the stories are known. What is kept per article:
the cleaned ``Article`` (its id is the store's ``article_key``: the same on any worker), the raw
sentences, their vectors, the claim mentions, and the features story assignment needs (names,
day, a MinHash of its words; all computed by ``track``'s own functions).
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..errors import InputError, InternalError
from ..settings import Settings
from ..store import article_key, text_hash
from ..track import Vectoriser, clean_one, day_number, names
from .sources import Partition, read_piece
from .tables import Out


@dataclass
class PartitionResult:
    """What a partition task reports back (small: the work itself is in OUT/_work)."""

    id: str
    articles: int = 0
    errors: int = 0
    skipped_since: int = 0
    sentences: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the task: what an article costs, however loaded the machine is
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: float = 0.0
    worker: str = ""
    cached: bool = False
    work_bytes: dict[str, int] = field(default_factory=dict)  # size of the work files other phases read


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except ValueError:
        return "local"


def blocking_features(title: str | None, text: str, settings: Settings) -> tuple[list[int], np.ndarray]:
    """The article's most frequent terms, and a MinHash of its word set, over ``track``'s own
    tokens (hashed term ids, title words counted twice)."""
    from datasketch import MinHash

    counts = Vectoriser().counts(title, text)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.batch_block_terms]
    m = MinHash(num_perm=settings.batch_lsh_perms, seed=1)
    m.update_batch([int(t).to_bytes(4, "little") for t in sorted(counts)])
    return [int(t) for t, _ in top], m.hashvalues.astype(np.uint32)


def error_row(err: InputError, file: str, phase: str) -> dict[str, Any]:
    where = err.source
    record = where[len(file):].strip() if where.startswith(file) and where != file else None
    return {"file": file, "record": record or None, "reason": err.reason, "phase": phase}


def marker(pid: str) -> tuple[str, str, str]:
    return ("_work", "parts", f"{pid}.done.json")


def run_partition(part: Partition, out_url: str, settings: Settings, since: str | None,
                  analyse: bool, digest: str) -> PartitionResult:
    """Do one partition and write its work files; a partition already done is not redone."""
    out = Out(out_url)
    if out.exists(*marker(part.id)):
        done = out.read_json(*marker(part.id))
        if done.get("digest") == digest:
            return PartitionResult(part.id, done["articles"], done["errors"], done.get("skipped_since", 0),
                                   done.get("sentences", 0), cached=True, worker=worker_name(),
                                   work_bytes=done.get("work_bytes", {}))
    t0, c0 = time.perf_counter(), time.process_time()
    stages: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:  # CPU seconds per stage
        s = time.process_time()
        value = fn()
        stages[name] = stages.get(name, 0.0) + time.process_time() - s
        return value

    errors: list[dict[str, Any]] = []
    kept: list[tuple[Any, str, str | None, str]] = []  # (article, file, record, input id)
    skipped = 0

    def ingest() -> None:
        nonlocal skipped
        for piece in part.pieces:
            for item in read_piece(piece, settings):
                if isinstance(item, InputError):
                    errors.append(error_row(item, piece.url, "ingest"))
                    continue
                raw_article, record = item
                try:
                    cleaned = clean_one(raw_article, settings)
                except Exception as exc:  # noqa: BLE001 - a bug costs this article only
                    cleaned = InternalError(raw_article.url or piece.url, exc)
                if isinstance(cleaned, InputError):
                    row = error_row(cleaned, piece.url, "clean")
                    errors.append({**row, "record": record or row["record"] or raw_article.url})
                    continue
                if since and cleaned.published and cleaned.published[:10] < since:
                    skipped += 1
                    continue
                kept.append((cleaned, piece.url, record, raw_article.id))

    timed("ingest+clean", ingest)
    articles = [replace(a, id=article_key(a)) for a, _, _, _ in kept]
    rows = []
    for article, (_, file, record, input_id) in zip(articles, kept, strict=True):
        terms, mh = blocking_features(article.title, article.text, settings)
        rows.append({
            "article": article, "file": file, "record": record, "input_id": input_id,
            "url": article.url, "text_hash": text_hash(article.text), "day": day_number(article.published),
            "names": names(article.text, article.title), "terms": terms, "minhash": mh,
        })
    analysis: list[dict[str, Any]] = []
    sentences = 0
    if analyse and articles:
        from ..analyse import embed as embed_module
        from ..analyse import nlp as nlp_module
        from ..analyse import split_sentences, undated
        from ..claims import extract_claims

        # Each partition starts from empty caches: its results must not depend on what this
        # worker did before (the same input gives the same output on any number of workers).
        nlp_module.clear_cache()
        embed_module.clear_cache()
        embed_module.use_precision(settings.embed_precision)
        raw = timed("spacy", lambda: split_sentences(articles, settings))
        docs = undated(articles, raw)
        vectors = timed("embed", lambda: embed_module.embed_sentences(docs, settings.batch_size))
        mentions = timed("claims", lambda: extract_claims(docs))
        by_article: dict[str, list[Any]] = {a.id: [] for a in articles}
        for m in mentions:
            by_article[m.article].append(m)
        row = 0
        for article, sents in zip(articles, raw, strict=True):
            n = len(sents)
            analysis.append({"raw": sents, "vectors": vectors.matrix[row: row + n].copy(),
                             "claims": by_article[article.id]})
            row += n
            sentences += n
        nlp_module.clear_cache()
        embed_module.clear_cache()
    work = {"articles": out.write_pickle(rows, "_work", "parts", f"{part.id}.articles.pkl")}
    if analyse:
        work["analysis"] = out.write_pickle(analysis, "_work", "parts", f"{part.id}.analysis.pkl")
    out.write_table("errors", part.id, errors)
    result = PartitionResult(part.id, len(rows), len(errors), skipped, sentences, time.perf_counter() - t0,
                             time.process_time() - c0, stages, peak_mb(), worker_name(), work_bytes=work)
    out.write_json({"digest": digest, "articles": len(rows), "errors": len(errors),
                    "skipped_since": skipped, "sentences": sentences, "work_bytes": work}, *marker(part.id))
    return result
