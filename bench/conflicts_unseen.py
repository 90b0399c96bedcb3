"""Conflicts on stories nobody tuned on, to read by hand (there is no gold for them):

    .venv/bin/python bench/conflicts_unseen.py --data ../shared/eval/ecbplus \\
        [--skip-gold ../shared/eval/stories-dev/gold.json] [--topics 1-35] [--limit N]

Builds one story per ECB+ topic from its ``ecbplus`` documents (text rebuilt from the tokens as
stories-dev's SOURCE.md describes: the URL line gives url, outlet and a URL date), leaves out
the topics a stories gold already uses, briefs each story and prints every reported conflict
with its sides, then how many conflicts were reported in how many stories. A precision check
for rules tuned on stories-dev: each line is a claim of disagreement a reader can verify.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

_DOC = re.compile(r"^(\d+)_(\d+)ecbplus\.xml$")


def _text(tokens: list[str]) -> str:
    s = " ".join(tokens)
    s = re.sub(r" ([,.;:!?%)\]}]|'s|n't|'re|'ve|'ll|'d|'m)", r"\1", s)
    s = re.sub(r"([(\[{]) ", r"\1", s).replace("``", '"').replace("''", '"')
    s = re.sub(r"(\d)\. (\d)", r"\1.\2", s)
    s = re.sub(r"(\d), (\d{3})", r"\1,\2", s)
    s = re.sub(r"\$ (\d)", r"$\1", s)
    return re.sub(r"(\w) - (\w)", r"\1-\2", s)


def stories(data: Path, topics: set[int]) -> dict[int, list[dict[str, str | None]]]:
    """One list of article records per topic (ecbplus documents only)."""
    out: dict[int, list[tuple[int, dict[str, str | None]]]] = defaultdict(list)
    with tarfile.open(data / "ECB+.tar.gz", "r:gz") as tar:
        for member in tar:
            m = _DOC.match(Path(member.name).name)
            if not (member.isfile() and m) or int(m.group(1)) not in topics:
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            sentences: dict[int, list[str]] = defaultdict(list)
            for tok in ET.fromstring(handle.read()).iter("token"):
                sentences[int(tok.get("sentence", "0"))].append(tok.text or "")
            lines = [_text(sentences[k]) for k in sorted(sentences)]
            url = lines[0] if lines and lines[0].startswith("http") else None
            host = re.sub(r"^(www|edition|news)\.", "", url.split("/")[2]) if url else None
            day = re.search(r"/(\d{4})/(\d{2})/(\d{2})/", url or "")
            out[int(m.group(1))].append(
                (
                    int(m.group(2)),
                    {
                        "id": Path(member.name).stem,
                        "text": "\n".join(lines[1:] if url else lines),
                        "url": url,
                        "source": host,
                        "published": "-".join(day.groups()) if day else None,
                    },
                )
            )
    return {t: [rec for _, rec in sorted(docs, key=lambda d: d[0])] for t, docs in sorted(out.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the ecbplus folder (ECB+.tar.gz)")
    parser.add_argument("--skip-gold", type=Path, help="a stories gold.json whose ECB+ topics to leave out")
    parser.add_argument("--topics", default="1-35", help="topic range, e.g. 1-35")
    parser.add_argument("--limit", type=int, help="only the first N stories")
    args = parser.parse_args()

    from storyline.ingest.records import article_from_record
    from storyline.pipeline import brief_articles, clean_articles
    from storyline.settings import Settings

    lo, _, hi = args.topics.partition("-")
    topics = set(range(int(lo), int(hi or lo) + 1))
    if args.skip_gold:
        gold = json.loads(args.skip_gold.read_text(encoding="utf-8"))
        topics -= {int(g["source"]["topic"]) for g in gold if str(g.get("source", {}).get("kind")) == "ecbplus"}
    settings = Settings(progress=False)
    found = reported_in = 0
    chosen = list(stories(args.data, topics).items())[: args.limit]
    t0 = time.perf_counter()
    for topic, records in chosen:
        articles = [article_from_record(r, f"ECB+ topic {topic}", None) for r in records]
        kept, _ = clean_articles(articles, settings)
        brief = brief_articles(kept, settings)
        print(f"topic {topic}: {len(kept)} articles, {len(brief.conflicts)} conflicts")
        by_key = {(s.article, s.index): s.text for d in brief.articles for s in d.sentences}
        for c in brief.conflicts:
            print(f"  [{c.kind}] {c.summary}")
            for side in c.sides:
                print(f"      {side.article}#{side.sentence} {side.value!r}: {by_key[(side.article, side.sentence)][:160]}")
        found += len(brief.conflicts)
        reported_in += bool(brief.conflicts)
    print(
        f"{found} conflicts reported in {reported_in} of {len(chosen)} stories "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
