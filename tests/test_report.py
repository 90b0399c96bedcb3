"""Renderers on a small hand-made briefing: contract, escaping, what a reader sees."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from storyline.models import (
    AnalysedArticle,
    Article,
    Brief,
    Citation,
    Claim,
    ClaimMention,
    Conflict,
    ConflictSide,
    Entity,
    EntityMention,
    Post,
    Removed,
    Sentence,
    SummarySentence,
    SyndicationGroup,
    TimeEvidence,
    TimelineEvent,
)
from storyline.report import RENDERERS, render, to_dict


def _doc(aid: str, source: str, sentences: list[str], published: str, **kw) -> AnalysedArticle:
    text = "\n".join(sentences)
    sents, pos = [], 0
    for i, s in enumerate(sentences):
        sents.append(Sentence(article=aid, index=i, text=s, start=pos, end=pos + len(s), post=kw.get("post")))
        pos += len(s) + 1
    art = Article(id=aid, text=text, source=source, title=f"Title {aid}", published=published,
                  published_evidence="header date", path=f"/tmp/{aid}.txt",
                  posts=kw.get("posts", ()), removed=kw.get("removed", ()))
    return AnalysedArticle(article=art, sentences=tuple(sents))


@pytest.fixture()
def brief() -> Brief:
    a = _doc("a1", "Wire", ["Kim arrived at Khasan on Tuesday.", "The summit took place <b>Wednesday</b>."],
             "2023-09-12", removed=(Removed("Leave a Reply", "comment form"),),
             posts=(Post(start=0, title="Kim arrives", published="2023-09-12"),), post=0)
    b = _doc("b2", "Paper", ["Kim arrived at Khasan on Tuesday.", "<script>alert(1)</script> said nobody."],
             "2023-09-13")
    c = _doc("c3", "Other", ["Kim arrived in Vladivostok on Tuesday."], "2023-09-13")
    claim = Claim(id="c-1", text="Kim arrived at Khasan on Tuesday.", status="contested", independent_sources=1,
                  mentions=(ClaimMention("a1", 0, "Kim arrived at Khasan on Tuesday."),
                            ClaimMention("b2", 0, "Kim arrived at Khasan on Tuesday.", speaker="KCNA",
                                         cue="said", hedge="reported")))
    single = Claim(id="c-2", text="<script>alert(1)</script> said nobody.", status="single-source",
                   independent_sources=1, mentions=(ClaimMention("b2", 1, "<script>alert(1)</script> said nobody."),))
    return Brief(
        title="Kim & Putin <meet>",
        span_start="2023-09-12",
        span_end="2023-09-13",
        articles=(a, b, c),
        entities=(Entity("e-kim-jong-un", "Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim"),
                         (EntityMention("a1", 0, "Kim"),)),),
        claims=(claim, single),
        conflicts=(Conflict("x-1", "place", "Where Kim arrived: Khasan vs Vladivostok",
                            (ConflictSide("a1", 0, "Kim arrived at Khasan on Tuesday.", "Khasan"),
                             ConflictSide("c3", 0, "Kim arrived in Vladivostok on Tuesday.", "Vladivostok"))),),
        timeline=(TimelineEvent("2023-09-12", "occurred", "Kim arrived at Khasan", ("a1", "b2"),
                                (TimeEvidence("a1", 0, "on Tuesday"),)),),
        syndication=(SyndicationGroup(("a1", "b2"), "shared-wire", "Reuters", 1),),
        summary=(SummarySentence("Kim arrived at Khasan on Tuesday.", (Citation("a1", 0), Citation("b2", 0))),),
        warnings=("a warning",),
    )


def test_json_follows_the_contract(brief: Brief) -> None:
    schema = json.loads(resources.files("storyline.report").joinpath("schema.json").read_text())
    data = json.loads(render(brief, "json"))
    jsonschema.validate(data, schema)
    assert data["schema"] == "storyline.brief/1"
    assert data["articles"][0]["posts"] == [
        {"title": "Kim arrives", "published": "2023-09-12", "first_sentence": 0, "authors": []}
    ]
    assert data["articles"][0]["removed"] == [{"text": "Leave a Reply", "reason": "comment form"}]
    assert data["claims"][0]["mentions"][1]["speaker"] == "KCNA"


def test_schema_rejects_a_broken_briefing(brief: Brief) -> None:
    schema = json.loads(resources.files("storyline.report").joinpath("schema.json").read_text())
    data = to_dict(brief)
    data["claims"][0]["status"] = "probably"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_html_is_self_contained_and_escapes_article_text(brief: Brief) -> None:
    html = render(brief, "html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Wednesday</b>" not in html
    assert "Kim &amp; Putin &lt;meet&gt;" in html
    # no external assets: nothing is loaded from elsewhere
    for needle in ("<link ", "src=\"http", "@import", "<script"):
        assert needle not in html
    # every citation links to the sentence it cites
    assert 'href="#a-a1-s0"' in html and 'id="a-a1-s0"' in html


def test_markdown_answers_the_readers_questions_in_order(brief: Brief) -> None:
    md = render(brief, "markdown")
    order = ["## In brief", "## Timeline", "## Where the sources disagree", "## Claims and their sources",
             "## Who copied whom", "## People, organisations, places", "## Sources"]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)
    assert md.startswith("# Kim & Putin <meet> — 3 articles · 3 outlets · 2023-09-12 to 2023-09-13")
    assert "[Wire §0] [Paper §0]" in md
    assert "“Kim arrived in Vladivostok on Tuesday.”" in md
    assert "_comment form_: Leave a Reply" in md


def test_claims_matrix_marks_copies(brief: Brief) -> None:
    md = render(brief, "markdown")
    row = next(line for line in md.splitlines() if line.startswith("| Kim arrived at Khasan"))
    # a1 is the earlier article of the syndication group; b2 carries the claim through its copy
    assert row.endswith("| ● | copy | · |")


def test_unknown_format_is_a_clear_error(brief: Brief) -> None:
    from storyline.errors import UsageError

    with pytest.raises(UsageError, match="unknown format 'pdf'"):
        render(brief, "pdf")
    assert set(RENDERERS) == {"json", "markdown", "html"}
