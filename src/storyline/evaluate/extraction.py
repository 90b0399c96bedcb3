"""``storyline eval extraction``: our HTML ingest against the article-extraction-benchmark gold.

Data: a folder with ``ground-truth.json`` ({id: {"articleBody", "url"}}), ``html/<id>.html.gz``
and optionally ``output/<system>.json`` (published outputs of other extractors).

Metric: the benchmark's own (its evaluate.py): texts are split into ``\\w+`` tokens, 4-token
shingles are counted, TP/FP/FN are the shingle-count overlaps, normalised per page so long pages
do not weigh more; precision and recall are averaged over the pages that have a prediction
(resp. a gold text), and F1 is computed from those two averages. Scoring the published
trafilatura 2.0.0 output with this code gives its published F1 (0.958), which checks the code.

Rows, all on the same pages in the same run:
- ``storyline``: exactly the body our ingest + clean produce for each HTML file;
- ``trafilatura``: ``trafilatura.extract(html, include_comments=False)`` (the benchmark's call);
- ``<system> (published)``: each ``output/*.json`` file, scored by the same code.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DataError
from . import EvalResult

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
METRICS = ["f1", "precision", "recall", "exact"]


def tokens(text: str | None) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    # As upstream: a text shorter than n tokens is one short shingle; an empty one has none.
    grams = [tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1))]
    return Counter(g for g in grams if g)


def page_counts(gold: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """(TP, FP, FN) over shingle counts, normalised to sum to 1 (when not all zero)."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in g.keys() | p.keys():
        a, b = g.get(key, 0), p.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(golds: list[str | None], preds: list[str | None]) -> dict[str, float]:
    """The benchmark's precision / recall / F1 over pages, plus the share of exact token matches."""
    counts = [page_counts(g, p) for g, p in zip(golds, preds, strict=True)]
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = (
        statistics.mean(tokens(g) == tokens(p) for g, p in zip(golds, preds, strict=True))
        if golds
        else 0.0
    )
    return {"f1": f1, "precision": precision, "recall": recall, "exact": float(exact)}


def storyline_body(path: Path) -> str:
    """The body text our pipeline's ingest + clean produce for one HTML file ("" when refused)."""
    from ..clean import clean
    from ..ingest import read_inputs
    from ..settings import Settings

    result = read_inputs([str(path)], Settings(progress=False), english_only=False)
    if not result.articles:
        return ""
    return clean(result.articles[0]).text


def trafilatura_body(html: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def load(data: Path) -> tuple[dict[str, dict[str, Any]], Path]:
    data = Path(data)
    gt_path, html_dir = data / "ground-truth.json", data / "html"
    expected = (
        "a folder with ground-truth.json and html/<id>.html.gz (the article-extraction-benchmark)"
    )
    if not data.is_dir():
        raise DataError(f"{data}: no such folder; expected {expected}")
    if not gt_path.is_file() or not html_dir.is_dir():
        raise DataError(f"{data}: missing ground-truth.json or html/; expected {expected}")
    try:
        gold = json.loads(gt_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{gt_path}: not valid JSON ({exc})") from None
    if not isinstance(gold, dict) or not all(
        isinstance(v, dict) and "articleBody" in v for v in gold.values()
    ):
        raise DataError(f'{gt_path}: expected {{id: {{"articleBody": ..., "url": ...}}}}')
    return gold, html_dir


def published_outputs(data: Path) -> dict[str, dict[str, Any]]:
    """output/<system>.json -> {id: {"articleBody"}}, unwrapping {"version", "output"} files."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((Path(data) / "output").glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        name = path.stem
        if isinstance(raw, dict) and "output" in raw and isinstance(raw["output"], dict):
            if raw.get("version"):
                name = f"{name} {raw['version']}"
            raw = raw["output"]
        if isinstance(raw, dict):
            out[f"{name} (published)"] = raw
    return out


def run(
    data: Path,
    *,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvalResult:
    say = progress or (lambda _msg: None)
    gold, html_dir = load(data)
    keys = sorted(gold)
    if limit is not None:
        keys = keys[:limit]
    golds = [gold[k].get("articleBody") for k in keys]
    ours: list[str | None] = []
    base: list[str | None] = []
    for n, key in enumerate(keys, 1):
        path = html_dir / f"{key}.html.gz"
        if not path.is_file():
            raise DataError(
                f"{path}: missing; every id in ground-truth.json needs html/<id>.html.gz"
            )
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            html = fh.read()
        ours.append(storyline_body(path))
        base.append(trafilatura_body(html))
        if n % 20 == 0 or n == len(keys):
            say(f"extracted {n}/{len(keys)} pages")

    import trafilatura

    rows = {
        "storyline": score(golds, ours),
        f"trafilatura {trafilatura.__version__}": score(golds, base),
    }
    for name, output in published_outputs(Path(data)).items():
        preds = [(output.get(k) or {}).get("articleBody") for k in keys]
        rows[name] = score(golds, preds)
    from ..ingest.language import not_english

    refused = sum(1 for text in ours if not text)
    foreign = sum(1 for text in ours if text and not_english(text))
    notes = [
        f"{len(keys)} pages; 4-token shingle precision/recall averaged over pages, F1 of the "
        "averages, as the benchmark's evaluate.py computes them (SOURCE.md calls it micro-averaged; "
        "the code normalises each page, which is what reproduces the published figures); "
        "exact = share of pages whose tokens match the gold exactly",
        f"storyline = ingest (trafilatura body + metadata) then clean; {refused} page(s) gave no "
        f"text; the English-only check is off here ({foreign} page(s) are not English and "
        "`storyline brief` would report them instead of reading them)",
    ]
    return EvalResult(
        task="extraction",
        data=str(data),
        metrics=METRICS,
        rows=rows,
        notes=notes,
        extra={"pages": len(keys), "storyline_empty_pages": refused, "not_english_pages": foreign},
    )
