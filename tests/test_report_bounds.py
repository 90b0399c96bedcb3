"""Big stories keep readable, bounded briefings (issue 12): one grid column per outlet with
copies collapsed, single-source claims out of the grid, capped lists with "N more", an HTML
file of a 200-article story under 3 MB; the JSON still holds everything."""

from __future__ import annotations

import json
import re

import pytest
from bigstory import big_brief

from storyline.models import Brief, Claim, ClaimMention, SyndicationGroup
from storyline.report import render, view


@pytest.fixture(scope="module")
def big() -> Brief:
    return big_brief(200)


def test_html_of_a_200_article_story_is_under_3_mb(big: Brief) -> None:
    html = render(big, "html")
    assert len(html.encode("utf-8")) < 3_000_000
    # every article's sentences are still there for the citations to land on
    assert html.count('<article id="a-art') == 200
    assert "more events (those carried by fewest articles) not shown here" in html


def test_grid_has_one_column_per_outlet_at_most_a_dozen(big: Brief) -> None:
    grid = view.grid(big)
    assert len(grid.columns) <= view.MAX_COLUMNS
    assert grid.hidden_columns > 0
    assert all(r.claim.status != "single-source" for r in grid.rows)
    assert len(grid.rows) == view.MAX_GRID_CLAIMS and grid.more_rows > 0
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", render(big, "html"), flags=re.S)
    assert header is not None and header.group(1).count("<th") == 3 + view.MAX_COLUMNS + 1


def test_lists_are_ranked_and_capped_but_the_json_holds_everything(big: Brief) -> None:
    v = view.story(big)
    assert len(v.timeline) == view.MAX_TIMELINE and v.timeline_more == len(big.timeline) - view.MAX_TIMELINE
    assert [e.date for _, e in v.timeline] == sorted(e.date for _, e in v.timeline)  # shown in date order
    kept = min(len(set(e.articles)) for _, e in v.timeline)
    assert all(len(set(e.articles)) <= kept for i, e in enumerate(big.timeline)
               if i not in {j for j, _ in v.timeline})  # the dropped ones are carried by fewer articles
    assert len(v.entities) == view.MAX_ENTITIES
    assert len(v.entities[0].mentions) >= len(v.entities[-1].mentions)
    data = json.loads(render(big, "json"))
    assert len(data["timeline"]) == 286 and len(data["entities"]) == 1636 and len(data["claims"]) == 2000


def test_markdown_is_bounded_the_same_way(big: Brief) -> None:
    md = render(big, "markdown")
    lines = md.splitlines()
    assert len(lines) < 1000  # 4,184 lines before this cap; now mostly one table row per source
    grid_head = next(line for line in lines if line.startswith("| claim | status |"))
    assert grid_head.count("|") == 3 + view.MAX_COLUMNS + 1 + 1
    assert "246 more events in the JSON briefing" in md
    assert f"{1636 - view.MAX_ENTITIES} more names in the JSON briefing" in md
    timeline = md[md.index("## Timeline"):md.index("## Where the sources disagree")]
    assert timeline.count("\n- **") == view.MAX_TIMELINE


def test_copies_collapse_under_their_origin(big: Brief) -> None:
    from dataclasses import replace

    docs = big.articles[:4]
    ids = [d.article.id for d in docs]
    outlets = ["Wire", "Copier A", "Copier B", "Paper"]
    docs = tuple(replace(d, article=replace(d.article, source=o, published=f"2023-09-1{i}"))
                 for i, (d, o) in enumerate(zip(docs, outlets, strict=True)))
    claim = Claim("c", "text", "corroborated", 2, tuple(ClaimMention(a, 0, "text") for a in ids))
    small = replace(big, articles=docs, claims=(claim,), conflicts=(), timeline=(), entities=(), summary=(),
                    syndication=(SyndicationGroup((ids[2], ids[0], ids[1]), "copy", "Reuters", 20),))
    grid = view.grid(small)
    assert [c.label for c in grid.columns] == ["Wire", "Paper"]
    assert grid.columns[0].copies == (ids[1], ids[2])
    assert [cell.mark for cell in grid.rows[0].cells] == [view.CARRIES, view.CARRIES]
    html = render(small, "html")
    assert "+ 2 copies: Copier A, Copier B" in html
