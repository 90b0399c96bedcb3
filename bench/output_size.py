"""Size of the briefings as stories grow: HTML, Markdown and JSON of N-article stories.

    .venv/bin/python bench/output_size.py                       # synthetic stories, N = 5 50 200 500
    .venv/bin/python bench/output_size.py --data ../shared/eval/timeline17-dev --articles 200

Synthetic stories (tests/bigstory.py: built as Brief objects, no NLP, with the proportions the
pipeline gave on Timeline17) show how the renderers scale; with --data, N real Timeline17 dev
articles go through the whole pipeline first (slow: about a minute per 100 articles on 2 cores).
Prints bytes, Markdown lines and render seconds per format.
Target (issue 12): the HTML of a 200-article story under 3 MB; the JSON keeps everything.
"""

from __future__ import annotations

import argparse
import io
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def measure(label: str, brief: object) -> None:
    from storyline.report import render

    cells = []
    for fmt in ("html", "markdown", "json"):
        t0 = time.perf_counter()
        text = render(brief, fmt)  # type: ignore[arg-type]
        took = time.perf_counter() - t0
        size = len(text.encode("utf-8"))
        lines = f", {len(text.splitlines())} lines" if fmt == "markdown" else ""
        cells.append(f"{fmt} {size / 1e6:.2f} MB{lines} ({took:.2f} s)")
    print(f"  {label}: " + "; ".join(cells))


def timeline17(data: Path, limit: int) -> list[tuple[str, str]]:
    tar_path = data / "InputDocs.tar.gz"
    if not tar_path.exists():
        raise SystemExit(f"Error: {tar_path} not found; pass --data ../shared/eval/timeline17-dev")
    out: list[tuple[str, str]] = []
    with tarfile.open(tar_path) as tar:
        for member in tar:
            raw = tar.extractfile(member) if member.isfile() and member.name.endswith(".txt") else None
            if raw is None:
                continue
            out.append((Path(member.name).parent.name, io.TextIOWrapper(raw, encoding="utf-8", errors="replace").read()))
            if len(out) >= limit:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, nargs="*", default=[5, 50, 200, 500], help="story sizes")
    parser.add_argument("--data", type=Path, help="Timeline17 dev folder: also brief real articles")
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()

    from bigstory import big_brief

    print("output size of the briefings (HTML, Markdown capped; JSON complete)  [target: HTML < 3 MB at N=200]")
    for n in args.synthetic:
        measure(f"synthetic N={n}", big_brief(n))
    if args.data:
        from storyline.clean import clean
        from storyline.models import Article
        from storyline.pipeline import brief_articles
        from storyline.settings import Settings

        pairs = timeline17(args.data, args.articles)
        articles = [clean(Article(id=f"t17-{i}", text=text, published=day, published_evidence="Timeline17 folder"))
                    for i, (day, text) in enumerate(pairs)]
        t0 = time.perf_counter()
        brief = brief_articles(articles, Settings(progress=False))
        print(f"  (pipeline over {len(articles)} Timeline17 articles: {time.perf_counter() - t0:.0f} s)")
        measure(f"Timeline17 N={len(articles)}", brief)


if __name__ == "__main__":
    main()
