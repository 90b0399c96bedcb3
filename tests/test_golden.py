"""The bundled example's briefing against a golden digest of what a reader relies on.

A change that moves a date, an outlet, a conflict, a copy or a person shows up here as a diff.
When the change is intended, regenerate with ``STORYLINE_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff of ``tests/golden/kim-putin-summit-2023.json`` in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from storyline.models import Brief

GOLDEN = Path(__file__).resolve().parent / "golden" / "kim-putin-summit-2023.json"


def digest(brief: Brief) -> dict[str, Any]:
    return {
        "title": brief.title,
        "span": [brief.span_start, brief.span_end],
        "articles": [
            {"id": d.article.id, "source": d.article.source, "published": d.article.published,
             "posts": [p.published for p in d.article.posts], "sentences": len(d.sentences)}
            for d in brief.articles
        ],
        "people": sorted(
            [e.name, sorted(set(e.aliases) - {e.name})]
            for e in brief.entities if e.type == "PERSON" and len(e.mentions) >= 3
        ),
        "conflicts": sorted(
            [c.kind, sorted({s.article for s in c.sides})] for c in brief.conflicts
        ),
        "syndication": [[sorted(g.articles), g.kind, g.origin] for g in brief.syndication],
        "timeline": sorted({f"{t.date} {t.status}" for t in brief.timeline}),
    }


def test_example_briefing_matches_the_golden_digest(example_brief: Brief) -> None:
    got = digest(example_brief)
    if os.environ.get("STORYLINE_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for key in want:
        assert got[key] == want[key], key
