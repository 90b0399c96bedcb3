"""``storyline eval timelines``: timeline summarisation on Timeline17 against its gold timelines.

For each gold timeline (news-tls protocol): the topic's articles (every folder of the topic,
e.g. all ``bpoil_*``) published within the gold timeline's first..last date; L = the number of
gold dates, k = the mean number of sentences per gold date (rounded). Scored with Date-F1 and
tilse's alignment-based ROUGE-1/2 F1 (``align+ m:1``), averaged over timelines as news-tls does.

Systems, all in one run:
- ``storyline datewise``: dates ranked by how many sentences mention them (our own temporal
  rules, resolved against each article's publication date) plus how many articles appear on
  that day; for each of the top-L dates, the k most central candidate sentences (TF-IDF
  centroid of the sentences that mention the date or open an article published that day or
  the day after), without near-duplicates.
- baselines with the same sentence selection: ``random dates`` (seeded) and
  ``publication-date count`` (dates ranked by articles published).
- ``SDF-TLS bestds/bestsumm (published)``: the published timelines of SDF-TLS scored by the same
  metric code, to check it (extra rows).
"""

from __future__ import annotations

import json
import random
import re
import tarfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..analyse.temporal import find_times
from ..errors import DataError
from . import EvalResult
from .tilse import PRF, align_rouge, date_prf, mean_prf, read_timeline

Progress = Callable[[str], None]
METRICS = ["Date-F1", "AR-1 F", "AR-2 F", "AR-1 P", "AR-1 R"]
CLIP_SENTS = 5  # opening sentences of an article that stand for its publication date
PUB_WEIGHT = 1.0  # weight of an article published on a date, against one sentence mentioning it

_DATE_HINT = re.compile(
    r"\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec",
    re.I,
)
_JUNK = re.compile(r"javascript|flash installed|webwise|via rss|click here|e-mail|email this|"
                   r"all rights reserved|copyright|\bwrote\s*:", re.I)  # fmt: skip


@dataclass(frozen=True)
class Doc:
    published: date
    sentences: tuple[str, ...]


@dataclass
class Topic:
    name: str
    docs: list[Doc]
    keywords: list[str]
    # filled lazily: mentioned day dates per (doc, sentence); TF-IDF models per date span
    mentions: list[list[tuple[date, ...]]] | None = None
    vectorizers: dict[tuple[date, date], Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GoldTimeline:
    topic: str  # e.g. "bpoil"
    folder: str  # e.g. "bpoil_bbc"
    name: str  # file stem, e.g. "bbc"
    dates: dict[date, list[str]]


# --- data ---------------------------------------------------------------------------------


def load(data: Path) -> tuple[dict[str, Topic], list[GoldTimeline]]:
    topics_dir, archive = data / "topics", data / "InputDocs.tar.gz"
    if not topics_dir.is_dir() or not archive.is_file():
        raise DataError(
            f"{data}: expected a Timeline17 folder with topics/<topic>/timelines/*.txt and "
            "InputDocs.tar.gz (see ../shared/eval/timeline17-dev/SOURCE.md)"
        )
    gold: list[GoldTimeline] = []
    keywords: dict[str, list[str]] = defaultdict(list)
    for folder in sorted(p for p in topics_dir.iterdir() if p.is_dir()):
        topic = folder.name.split("_")[0].lower()
        kw = folder / "keywords.json"
        if kw.is_file():
            keywords[topic].extend(
                k for k in json.loads(kw.read_text(encoding="utf-8")) if k not in keywords[topic]
            )
        for tl in sorted((folder / "timelines").glob("*.txt")):
            dates = read_timeline(tl.read_text(encoding="utf-8", errors="replace"))
            if dates:
                gold.append(GoldTimeline(topic, folder.name, tl.stem, dates))
    if not gold:
        raise DataError(
            f"{topics_dir}: no gold timelines found (expected topics/<topic>/timelines/*.txt)"
        )

    docs: dict[str, list[Doc]] = defaultdict(list)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                parts = Path(member.name).parts
                if not member.isfile() or len(parts) < 4 or not member.name.endswith(".txt"):
                    continue
                source, day = parts[-4], parts[-2]
                try:
                    published = date.fromisoformat(day)
                except ValueError:
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                text = handle.read().decode("utf-8", errors="replace")
                sents = tuple(s.strip() for s in text.splitlines() if s.strip())
                docs[source.split("_")[0].lower()].append(Doc(published, sents))
    except (tarfile.TarError, OSError) as exc:
        raise DataError(f"{archive}: cannot read the archive ({exc})") from exc
    topics = {t: Topic(t, d, keywords.get(t, [])) for t, d in docs.items()}
    missing = {g.topic for g in gold} - set(topics)
    if missing:
        raise DataError(f"{archive}: no input documents for topic(s) {', '.join(sorted(missing))}")
    return topics, gold


def mentioned_dates(topic: Topic) -> list[list[tuple[date, ...]]]:
    """Day-precision dates each sentence mentions, resolved against its article's date."""
    if topic.mentions is None:
        out: list[list[tuple[date, ...]]] = []
        for doc in topic.docs:
            anchor = doc.published.isoformat()
            per_doc: list[tuple[date, ...]] = []
            for s in doc.sentences:
                if not _DATE_HINT.search(s):
                    per_doc.append(())
                    continue
                found = {t.value for t in find_times(s, anchor) if t.precision == "day"}
                per_doc.append(tuple(sorted(date.fromisoformat(v) for v in found)))
            out.append(per_doc)
        topic.mentions = out
    return topic.mentions  # type: ignore[return-value]


# --- the system ---------------------------------------------------------------------------


def _usable(sentence: str) -> bool:
    n = len(sentence.split())
    return 6 <= n <= 60 and not _JUNK.search(sentence)


def predict(
    topic: Topic,
    start: date,
    end: date,
    n_dates: int,
    k: int,
    ranking: str = "mentions",
    seed: int = 0,
    selection: str = "all",
) -> dict[date, list[str]]:
    """A timeline of ``n_dates`` dates with ``k`` sentences each from the topic's articles."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    mentions = mentioned_dates(topic)
    in_span = [i for i, d in enumerate(topic.docs) if start <= d.published <= end]
    keywords = [k.lower() for k in topic.keywords]
    # a keyword filter only helps when the keyword is a word of the text ("H1N1"; not "bpoil")
    n_kw = sum(
        any(kw in " ".join(topic.docs[i].sentences[:10]).lower() for kw in keywords)
        for i in in_span
    )
    use_kw = bool(keywords) and n_kw >= 0.2 * max(1, len(in_span))

    ment: dict[date, list[str]] = defaultdict(list)
    pub: dict[date, list[str]] = defaultdict(list)
    ment_count: Counter[date] = Counter()
    pub_count: Counter[date] = Counter()
    for i in in_span:
        doc = topic.docs[i]
        pub_count[doc.published] += 1
        for j, s in enumerate(doc.sentences):
            ok = _usable(s) and (not use_kw or any(kw in s.lower() for kw in keywords))
            for d in mentions[i][j]:
                if start <= d <= end:
                    ment_count[d] += 1
                    if ok:
                        ment[d].append(s)
            if ok and j < CLIP_SENTS and not mentions[i][j]:
                for back in (0, 1):
                    pub[doc.published - timedelta(days=back)].append(s)

    candidates = {d for d in set(ment) | set(pub) if start <= d <= end}
    if ranking == "random":
        ranked = sorted(candidates)
        random.Random(seed).shuffle(ranked)
    elif ranking == "pub":
        ranked = sorted(candidates, key=lambda d: (-pub_count[d], d))
    else:
        ranked = sorted(candidates, key=lambda d: (-(ment_count[d] + PUB_WEIGHT * pub_count[d]), d))

    vectorizer = topic.vectorizers.get((start, end))
    if vectorizer is None:
        corpus = [s for i in in_span for s in topic.docs[i].sentences if _usable(s)]
        if not corpus:
            return {}
        vectorizer = TfidfVectorizer(stop_words="english", lowercase=True, sublinear_tf=True)
        topic.vectorizers[(start, end)] = vectorizer.fit(corpus)
    timeline: dict[date, list[str]] = {}
    for d in ranked:
        if len(timeline) >= n_dates:
            break
        pool = list(dict.fromkeys(ment.get(d, []) + pub.get(d, [])))
        if selection == "mentions" and len(ment.get(d, [])) >= k:
            pool = list(dict.fromkeys(ment[d]))
        summary = _central(pool, k, vectorizer)
        if summary:
            timeline[d] = summary
    return dict(sorted(timeline.items()))


def _central(sentences: Sequence[str], k: int, vectorizer) -> list[str]:  # type: ignore[no-untyped-def]
    """The k sentences closest to the candidates' TF-IDF centroid, no near-duplicates."""
    if not sentences:
        return []
    X = vectorizer.transform(sentences)
    centroid = np.asarray(X.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return list(sentences[:k])
    scores = X @ (centroid / norm)
    chosen: list[int] = []
    for i in np.argsort(-scores):
        if len(chosen) >= k:
            break
        if any((X[i] @ X[j].T).toarray()[0, 0] > 0.5 for j in chosen):
            continue
        chosen.append(int(i))
    return [sentences[i] for i in chosen]


# --- the run ------------------------------------------------------------------------------


def _score(rows: dict[str, list[tuple[PRF, dict[int, PRF]]]]) -> dict[str, dict[str, float]]:
    out = {}
    for system, results in rows.items():
        d = mean_prf([r[0] for r in results])
        r1 = mean_prf([r[1][1] for r in results])
        r2 = mean_prf([r[1][2] for r in results])
        out[system] = {
            "Date-F1": d.f1,
            "AR-1 F": r1.f1,
            "AR-2 F": r2.f1,
            "AR-1 P": r1.precision,
            "AR-1 R": r1.recall,
        }
    return out


def published_outputs(data: Path) -> dict[str, dict[tuple[str, str], dict[date, list[str]]]]:
    """SDF-TLS timelines next to the data folder (../tls-system-outputs-sdf), keyed like gold."""
    root = data.parent / "tls-system-outputs-sdf"
    out: dict[str, dict[tuple[str, str], dict[date, list[str]]]] = {}
    for variant in ("bestds", "bestsumm"):
        folder = root / f"TL17_{variant}"
        if not folder.is_dir():
            continue
        got = {}
        for f in folder.glob("*.txt"):
            rest = f.stem[len(f"TL17_{variant}_") :]
            topic, _, name = rest.partition("_")
            got[(topic.lower(), name)] = read_timeline(
                f.read_text(encoding="utf-8", errors="replace")
            )
        out[variant] = got
    return out


def run(data: Path, *, limit: int | None = None, progress: Progress | None = None) -> EvalResult:
    say = progress or (lambda _m: None)
    data = Path(data)
    say(f"reading {data}")
    topics, gold = load(data)
    if limit is not None:
        gold = gold[:limit]
    published = published_outputs(data)
    systems = {
        "storyline datewise": "mentions",
        "baseline: publication-date count": "pub",
        "baseline: random dates": "random",
    }
    rows: dict[str, list[tuple[PRF, dict[int, PRF]]]] = defaultdict(list)
    per_timeline: list[dict[str, object]] = []
    for n, g in enumerate(gold, 1):
        say(f"timeline {n}/{len(gold)}: {g.folder}/{g.name} ({len(g.dates)} dates)")
        start, end = min(g.dates), max(g.dates)
        n_dates = len(g.dates)
        k = max(1, round(sum(len(s) for s in g.dates.values()) / n_dates))
        topic = topics[g.topic]
        entry: dict[str, object] = {"timeline": f"{g.folder}/{g.name}", "dates": n_dates, "k": k}
        for system, ranking in systems.items():
            pred = predict(topic, start, end, n_dates, k, ranking=ranking)
            d, rouge = date_prf(pred, g.dates), align_rouge(pred, g.dates)
            rows[system].append((d, rouge))
            entry[system] = {
                "Date-F1": round(d.f1, 4),
                "AR-1 F": round(rouge[1].f1, 4),
                "AR-2 F": round(rouge[2].f1, 4),
            }
        for variant, outputs in published.items():
            published_tl = outputs.get((g.topic, g.name))
            if published_tl:
                rows[f"SDF-TLS {variant} (published output)"].append(
                    (date_prf(published_tl, g.dates), align_rouge(published_tl, g.dates))
                )
        per_timeline.append(entry)
    result = EvalResult(
        task="timelines",
        data=str(data),
        metrics=METRICS,
        rows=_score(rows),
        notes=[
            f"{len(gold)} gold timelines; scores are means over them.",
            "Date-F1 and alignment-based ROUGE (tilse align+ m:1, stemmed, stop words removed), "
            "averaged over gold timelines as news-tls does (mean P and R, then F1).",
            "L and k from each gold timeline; input limited to the gold timeline's date range; "
            "a topic's articles are those of all its source folders.",
            "Published figures for comparison (news-tls on all of T17): DATEWISE Date-F1 0.544, "
            "AR-1 F 0.120, AR-2 F 0.035.",
        ],
        extra={"per_timeline": per_timeline},
    )
    return result


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - manual use
    import sys

    args = list(argv if argv is not None else sys.argv[1:])
    limit = int(args[1]) if len(args) > 1 else None
    res = run(Path(args[0]), limit=limit, progress=lambda m: print(m, file=sys.stderr))
    print(res.table())


if __name__ == "__main__":  # pragma: no cover
    main()
