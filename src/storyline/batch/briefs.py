"""Phase 3: one briefing per story, stories packed into tasks, with ``brief``'s own stages.

Each task gets its stories' articles (with the raw sentences, vectors and claims phase 1 made),
resolves dates story by story (``analyse.date_sentences``), briefs with
``pipeline.brief_analysed``, writes ``briefs/<story>.json`` and its part of every table. A task
whose outputs exist is not redone: its part name is a hash of its stories and their articles.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Article
from ..settings import Settings
from .partition import peak_mb, worker_name
from .tables import Out

TASK_TABLES = ("articles", "sentences", "stories", "membership", "claims", "conflicts")


def route_analysis(out_url: str, pid: str, first_seq: int, task_of: np.ndarray, analysed: bool) -> dict[int, list[Any]]:
    """A partition's kept articles (and their analysis), split by briefing task."""
    out = Out(out_url)
    rows = out.read_pickle("_work", "parts", f"{pid}.articles.pkl")
    analysis = out.read_pickle("_work", "parts", f"{pid}.analysis.pkl") if analysed else [None] * len(rows)
    routed: dict[int, list[Any]] = {}
    for i, (row, extra) in enumerate(zip(rows, analysis, strict=True)):
        if task_of[i] < 0:
            continue
        routed.setdefault(int(task_of[i]), []).append((first_seq + i, row, extra))
    return routed


def _done(part: str) -> tuple[str, str, str]:
    return ("_work", "briefs", f"{part}.done.json")


def brief_task(out_url: str, part: str, stories: Sequence[dict[str, Any]], settings: Settings,
               analysed: bool, *parts: Sequence[Any]) -> dict[str, Any]:
    """Brief the stories of one task and write its tables. ``stories``: id, block, state, articles (seqs)."""
    out = Out(out_url)
    if out.exists(*_done(part)):
        return {**out.read_json(*_done(part)), "cached": True}
    t0, c0 = time.perf_counter(), time.process_time()
    items = {seq: (row, extra) for p in parts for seq, row, extra in p}
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TASK_TABLES}
    errors: list[dict[str, Any]] = []
    for story in stories:
        members = [(seq, *items[seq]) for seq in story["articles"]]
        brief_json: str | None = None
        counts = {"claims": 0, "conflicts": 0}
        docs_by_id: dict[str, Any] = {}
        if analysed:
            try:
                brief_json, docs_by_id = _brief(story["id"], members, settings, tables, counts)
                out.write_bytes(brief_json.encode("utf-8"), "briefs", f"{story['id']}.json")
            except Exception as exc:  # noqa: BLE001 - one story's failure must not stop the run
                where = traceback.extract_tb(exc.__traceback__)[-1]
                errors.append({"file": f"story {story['id']}", "record": None, "phase": "brief",
                               "reason": f"briefing failed: {exc.__class__.__name__}: {exc} "
                                         f"(at {Path(where.filename).name}:{where.lineno})"})
        articles = [row["article"] for _, row, _ in members]
        for seq, row, extra in members:
            a: Article = docs_by_id[row["article"].id].article if row["article"].id in docs_by_id else row["article"]
            tables["articles"].append({
                "id": a.id, "story": story["id"], "seq": seq, "input_id": row["input_id"], "file": row["file"],
                "record": row["record"], "url": a.url, "source": a.source, "title": a.title,
                "published": a.published, "published_evidence": a.published_evidence,
                "authors": list(a.authors), "words": len(a.text.split()),
                "sentences": len(extra["raw"]) if extra else None, "text": a.text,
            })
            tables["membership"].append({"story": story["id"], "article": a.id, "seq": seq})
        dates = sorted(a.published for a in articles if a.published)
        tables["stories"].append({
            "id": story["id"], "title": _title(brief_json, articles), "articles": len(articles),
            "outlets": len({a.source for a in articles if a.source}),
            "first_published": dates[0] if dates else None, "last_published": dates[-1] if dates else None,
            "block": story["block"], "claims": counts["claims"] if analysed else None,
            "conflicts": counts["conflicts"] if analysed else None,
            "brief": f"briefs/{story['id']}.json" if brief_json else None,
            "tracker_state": story.get("state"),
        })
    for table, rows in tables.items():
        out.write_table(table, part, rows)
    out.write_table("errors", f"brief-{part}", errors)
    summary = {"part": part, "stories": len(stories), "articles": len(tables["articles"]),
               "errors": len(errors), "seconds": time.perf_counter() - t0,
               "cpu_seconds": time.process_time() - c0, "peak_mb": peak_mb(),
               "worker": worker_name()}
    out.write_json(summary, *_done(part))
    return {**summary, "cached": False}


def _title(brief_json: str | None, articles: Sequence[Article]) -> str | None:
    if brief_json:
        return str(json.loads(brief_json)["story"]["title"])
    titled = sorted((a for a in articles if a.title), key=lambda a: (a.published or "", a.id), reverse=True)
    return titled[0].title if titled else None


def _brief(sid: str, members: Sequence[tuple[int, Any, Any]], settings: Settings,
           tables: dict[str, list[dict[str, Any]]], counts: dict[str, int]) -> tuple[str, dict[str, Any]]:
    from ..analyse import date_sentences
    from ..analyse import embed as embed_module
    from ..analyse import nlp as nlp_module
    from ..analyse.embed import SentenceVectors
    from ..pipeline import brief_analysed
    from ..report import render

    # Each story from empty caches: its briefing depends on its articles only.
    nlp_module.clear_cache()
    embed_module.clear_cache()
    articles = [row["article"] for _, row, _ in members]
    docs = date_sentences(articles, [extra["raw"] for _, _, extra in members])
    keys = tuple((d.article.id, s.index) for d in docs for s in d.sentences)
    matrix = (np.vstack([extra["vectors"] for _, _, extra in members]) if keys
              else np.zeros((0, embed_module.DIM), np.float32))
    vectors = SentenceVectors(keys=keys, matrix=matrix)
    mentions = [m for _, _, extra in members for m in extra["claims"]]
    brief = brief_analysed(docs, vectors, settings, mentions=mentions)
    for d in docs:
        for s in d.sentences:
            tables["sentences"].append({
                "article": d.article.id, "story": sid, "index": s.index, "text": s.text,
                "start": s.start, "end": s.end, "post": s.post,
                "entities": [f"{m.text}|{m.label}" for m in s.entities],
                "dates": [t.value for t in s.times],
            })
    for c in brief.claims:
        tables["claims"].append({
            "story": sid, "id": c.id, "text": c.text, "status": c.status,
            "independent_sources": c.independent_sources,
            "articles": sorted({m.article for m in c.mentions}),
            "speakers": sorted({m.speaker for m in c.mentions if m.speaker}),
        })
    for k in brief.conflicts:
        tables["conflicts"].append({
            "story": sid, "id": k.id, "kind": k.kind, "summary": k.summary,
            "sides": [{"article": s.article, "sentence": s.sentence, "text": s.text, "value": s.value}
                      for s in k.sides],
        })
    counts["claims"], counts["conflicts"] = len(brief.claims), len(brief.conflicts)
    return render(brief, "json"), {d.article.id: d for d in docs}
