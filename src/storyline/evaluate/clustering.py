"""``storyline eval clustering``: does ``track`` put the articles of one story together?

Datasets (detected by their files; pass one folder, or the eval root to run every one found):

- wikiref220-clustering: 220 web articles, the label is the file name stem (topics, coarse);
- multinews-val: every document of every Multi-News validation cluster, pooled and shuffled
  with a fixed seed; each cluster is a gold story;
- timeline17-dev: the articles of ``InputDocs.tar.gz`` (read in place), each topic a gold story
  (the topic is the folder name before ``_``: bpoil_bbc and bpoil_reuters are one topic),
  streamed in publication order, so the time rule is on; topics span months, so they are
  coarser than the stories ``track`` is meant to find.

Our tracker runs exactly the assignment ``track`` uses (``track.assign_stream``), in arrival
order. The baseline is the textbook single-pass clustering: TF-IDF fitted on the whole set
(idf known in advance, which the online tracker does not get), each document joins the most
similar cluster centroid above a fixed threshold or starts a new one.
"""

from __future__ import annotations

import ast
import csv
import random
import re
import sys
import tarfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..settings import Settings
from . import EvalResult

Progress = Callable[[str], None]
SEED = 13
BASELINE_THRESHOLD = 0.2  # its best B3-F1 on multinews-val (0.15/0.2/0.25/0.3 tried)
METRICS = ["B3-P", "B3-R", "B3-F1", "ARI", "stories", "gold"]
TL17_PER_TOPIC = None  # all articles; set an int to sample per topic


@dataclass(frozen=True)
class Doc:
    title: str | None
    text: str
    published: str | None
    label: str


# --- loading ------------------------------------------------------------------------------------

_WIKIREF_LABEL = re.compile(r"^(?P<label>.+?)(?:\.\d+| \(\d+\))$")


def load_wikiref(folder: Path) -> list[Doc]:
    root = folder / "WikiRef220" if (folder / "WikiRef220").is_dir() else folder
    files = sorted(root.glob("*.txt"))
    if not files:
        raise DataError(f"{folder}: expected WikiRef220/*.txt (label.N.txt files)")
    docs = []
    for path in files:
        m = _WIKIREF_LABEL.match(path.stem)
        if not m:
            raise DataError(f"{path}: cannot read a topic label from the file name (expected label.N.txt)")
        text = path.read_text(encoding="utf-8", errors="replace")
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
        docs.append(Doc(first, text, None, m.group("label")))
    return docs


def load_multinews(folder: Path, limit: int | None = None) -> list[Doc]:
    csvs = sorted(folder.glob("*validation*.csv")) or sorted(folder.glob("*.csv"))
    csvs = [c for c in csvs if c.open(encoding="utf-8", errors="replace").readline().startswith("documents")]
    if not csvs:
        raise DataError(f"{folder}: expected a Multi-News CSV (documents,num_documents,summary)")
    csv.field_size_limit(sys.maxsize)
    docs: list[Doc] = []
    with csvs[0].open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "documents" not in reader.fieldnames:
            raise DataError(f"{csvs[0]}: expected a 'documents' column")
        for n, row in enumerate(reader):
            if limit is not None and n >= limit:
                break
            for text in ast.literal_eval(row["documents"]):
                text = text.strip()
                if len(text.split()) < 20:  # empty or a stub: not an article
                    continue
                first = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
                docs.append(Doc(first, text, None, f"cluster{n}"))
    random.Random(SEED).shuffle(docs)
    return docs


def load_timeline17(folder: Path, limit: int | None = None, per_topic: int | None = TL17_PER_TOPIC) -> list[Doc]:
    tar_path = folder / "InputDocs.tar.gz"
    if not tar_path.is_file():
        raise DataError(f"{folder}: expected InputDocs.tar.gz (Timeline17)")
    by_topic: dict[str, list[Doc]] = {}
    with tarfile.open(tar_path, "r:gz") as tar:
        for member in tar:
            parts = Path(member.name).parts
            parts = parts[1:] if parts and parts[0] == "." else parts
            # <folder>/InputDocs/<YYYY-MM-DD>/<id>.htm.txt
            if not member.isfile() or len(parts) != 4 or parts[1] != "InputDocs" or not parts[3].endswith(".txt"):
                continue
            fh = tar.extractfile(member)
            if fh is None:
                continue
            text = fh.read().decode("utf-8", errors="replace")
            text = re.sub(r"-LRB-|-RRB-", "", text)
            first = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
            topic = parts[0].split("_")[0]
            by_topic.setdefault(topic, []).append(Doc(first, text, parts[2], topic))
    if not by_topic:
        raise DataError(f"{tar_path}: no <folder>/InputDocs/<date>/<file>.txt articles inside")
    topics = sorted(by_topic)[: limit or None]
    docs: list[Doc] = []
    for topic in topics:
        items = by_topic[topic]
        if per_topic is not None and len(items) > per_topic:
            items = random.Random(SEED).sample(items, per_topic)
        docs.extend(items)
    # A stream arrives in publication order; ties shuffled with the fixed seed.
    rng = random.Random(SEED)
    keyed = [(d.published or "", rng.random(), d) for d in docs]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [d for _, _, d in keyed]


def dedup(docs: Sequence[Doc]) -> tuple[list[Doc], int]:
    """Drop documents whose normalised text was seen before, as ``track`` skips duplicates."""
    from ..store import text_hash

    seen: set[str] = set()
    kept: list[Doc] = []
    for d in docs:
        h = text_hash(d.text)
        if h not in seen:
            seen.add(h)
            kept.append(d)
    return kept, len(docs) - len(kept)


def detect(folder: Path) -> str | None:
    if (folder / "InputDocs.tar.gz").is_file():
        return "timeline17"
    if (folder / "WikiRef220").is_dir():
        return "wikiref"
    for csv_path in folder.glob("*.csv"):
        with csv_path.open(encoding="utf-8", errors="replace") as fh:
            if fh.readline().strip().split(",")[0] == "documents":
                return "multinews"
    if any(_WIKIREF_LABEL.match(p.stem) for p in folder.glob("*.txt")):
        return "wikiref"
    return None


# --- metrics ------------------------------------------------------------------------------------


def bcubed(pred: Sequence[int | str], gold: Sequence[int | str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998), averaged over items."""
    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    pair = Counter(zip(pred, gold, strict=True))
    psize, gsize = Counter(pred), Counter(gold)
    p = sum(c * c / psize[k] for (k, _), c in pair.items()) / n
    r = sum(c * c / gsize[g] for (_, g), c in pair.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def scores(pred: Sequence[int], gold: Sequence[str]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(pred, gold)
    return {"B3-P": p, "B3-R": r, "B3-F1": f, "ARI": float(adjusted_rand_score(gold, pred)),
            "stories": float(len(set(pred))), "gold": float(len(set(gold)))}


# --- systems ------------------------------------------------------------------------------------


def ours(docs: Sequence[Doc], settings: Settings, use_time: bool) -> list[int]:
    from ..track import assign_stream

    return assign_stream(((d.title, d.text, d.published) for d in docs), settings, use_time=use_time)


def tfidf_single_pass(docs: Sequence[Doc], threshold: float = BASELINE_THRESHOLD) -> list[int]:
    """Single-pass clustering on TF-IDF vectors against cluster centroids (sum of members)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(
        [f"{d.title or ''}\n{d.text}" for d in docs]
    )
    sims = (x @ x.T).toarray().astype(np.float32)  # doc-doc cosine (rows are unit vectors)
    labels = np.zeros(len(docs), dtype=np.int64)
    norm_sq: list[float] = []
    for i in range(len(docs)):
        if norm_sq:
            dots = np.bincount(labels[:i], weights=sims[i, :i], minlength=len(norm_sq))
            cos = dots / np.sqrt(np.asarray(norm_sq))
            best = int(np.argmax(cos))
            if cos[best] >= threshold:
                labels[i] = best
                norm_sq[best] += 2 * dots[best] + 1.0
                continue
        labels[i] = len(norm_sq)
        norm_sq.append(1.0)
    return labels.tolist()


# --- run ----------------------------------------------------------------------------------------

NAMES = {"wikiref": "wikiref220", "multinews": "multinews-val", "timeline17": "timeline17-dev"}


def run(data: Path, *, limit: int | None = None, progress: Progress | None = None,
        settings: Settings | None = None) -> EvalResult:
    """Cluster each dataset found at ``data`` with our tracker and the baseline.

    ``limit``: Multi-News clusters / Timeline17 topics to use (WikiRef is always whole).
    """
    data = Path(data)
    say = progress or (lambda _m: None)
    settings = settings or Settings()
    if not data.is_dir():
        raise DataError(f"{data}: not a folder; pass an eval folder (multinews-val, timeline17-dev, wikiref220-clustering) or their parent")
    found: list[tuple[str, Path]] = []
    kind = detect(data)
    if kind:
        found.append((kind, data))
    else:
        for sub in sorted(p for p in data.iterdir() if p.is_dir()):
            k = detect(sub)
            if k and k not in {f[0] for f in found}:
                found.append((k, sub))
    if not found:
        raise DataError(
            f"{data}: no clustering data found; expected WikiRef220/*.txt, a Multi-News CSV, or "
            "Timeline17 InputDocs.tar.gz, or a folder holding those folders"
        )
    rows: dict[str, dict[str, float]] = {}
    notes: list[str] = []
    order = {"wikiref": 0, "multinews": 1, "timeline17": 2}
    for kind, folder in sorted(found, key=lambda f: order[f[0]]):
        say(f"loading {folder}")
        if kind == "wikiref":
            docs = load_wikiref(folder)
        elif kind == "multinews":
            docs = load_multinews(folder, limit)
        else:
            docs = load_timeline17(folder, limit)
        name = NAMES[kind]
        docs, dropped = dedup(docs)
        gold = [d.label for d in docs]
        dated = kind == "timeline17"
        say(f"{name}: {len(docs)} articles, {len(set(gold))} gold stories; tracking")
        rows[f"{name}: ours (track)"] = scores(ours(docs, settings, use_time=dated), gold)
        if dated:
            rows[f"{name}: ours, time rule off"] = scores(ours(docs, settings, use_time=False), gold)
        say(f"{name}: TF-IDF single-pass baseline")
        rows[f"{name}: TF-IDF single-pass"] = scores(tfidf_single_pass(docs), gold)
        notes.append(f"{name}: {len(docs)} articles ({dropped} duplicate texts skipped, as track does), {len(set(gold))} gold stories"
                     + ("; streamed in publication order" if dated else "; no dates, time rule off;"
                        f" arrival order shuffled (seed {SEED})" if kind == "multinews" else "; no dates, time rule off"))
    notes.append(f"ours: threshold {settings.story_threshold}, idle {settings.story_idle_days} days; "
                 f"baseline: TF-IDF fitted on the whole set, threshold {BASELINE_THRESHOLD}")
    return EvalResult(task="clustering", data=str(data), metrics=METRICS, rows=rows, notes=notes)
