"""Renderers on a small hand-made briefing: contract, escaping, what a reader sees."""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
from dataclasses import replace
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


def _with(brief: Brief, i: int, **fields: object) -> Brief:
    """``brief`` with article ``i``'s metadata changed."""
    docs = list(brief.articles)
    docs[i] = replace(docs[i], article=replace(docs[i].article, **fields))  # type: ignore[arg-type]
    return replace(brief, articles=tuple(docs))


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
    for needle in ("<link ", "src=", "@import", "url("):
        assert needle not in html
    # every citation links to the sentence it cites
    assert 'href="#a-a1-s0"' in html and 'id="a-a1-s0"' in html


def test_html_report_allows_only_its_own_script_and_style(brief: Brief) -> None:
    """The CSP meta tag lets the report's own inline style and script run (by hash), nothing else."""
    html = render(brief, "html")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert policy is not None
    assert html.index("Content-Security-Policy") < html.index("<style>")  # before what it governs
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(scripts) == 1 and len(styles) == 1 and html.count("<script") == 1
    content = html_lib.unescape(policy.group(1))
    directives = dict(d.strip().split(" ", 1) for d in content.split(";"))

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["script-src"] == digest(scripts[0])
    assert directives["style-src"] == digest(styles[0])
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in content


HOSTILE_URLS = ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
                " javascript:alert(1)", "vbscript:x", "file:///etc/passwd", "java\tscript:alert(1)")


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_web_addresses_become_links(brief: Brief, url: str) -> None:
    b = _with(brief, 0, url=url)
    html = render(b, "html")
    md = render(b, "markdown")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith("#") for h in hrefs), hrefs
    assert "not a web link" in html and "not a web link" in md
    assert f"<{url}>" not in md and f"]({url}" not in md


def test_web_addresses_are_links(brief: Brief) -> None:
    b = _with(brief, 0, url="https://example.org/a?b=1&c=2")
    assert 'href="https://example.org/a?b=1&amp;c=2"' in render(b, "html")
    assert "<https://example.org/a?b=1&c=2>" in render(b, "markdown")


def test_markdown_escapes_html_and_markdown_and_drops_bidi_controls(brief: Brief) -> None:
    evil = "Evil\u202eTXT.exe <img src=x onerror=alert(1)> [click](javascript:alert(2)) *bold* `code` | pipe"
    b = replace(_with(brief, 1, title=evil, source="Out\u2066let<b>"), title=evil)
    md = render(b, "markdown")
    for bad in ("\u202e", "\u2066", "<img", "<b>", "*bold*", "`code`"):
        assert bad not in md, bad
    assert not re.search(r"(?<!\\)\]\(", md)  # no link syntax survives: every "]" is escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "\\[click\\]" in md and "\\*bold\\*" in md and "\\| pipe" in md
    html = render(b, "html")
    assert "\u202e" not in html and "\u2066" not in html


def test_sentence_numbers_shown_to_people_count_from_one(brief: Brief) -> None:
    md = render(brief, "markdown")
    html = render(brief, "html")
    assert to_dict(brief)["summary"][0]["citations"][0]["sentence"] == 0  # the JSON stays 0-based
    assert "\\[Wire §1\\]" in md and "§0" not in md
    assert "[Wire §1]" in html and "§0" not in html
    assert '<li id="a-a1-s0" value="1">' in html  # the list shows 1, the anchor keeps the index


def test_html_has_contents_and_folds_long_sections(brief: Brief) -> None:
    html = render(brief, "html")
    toc = html[html.index('<nav class="toc"'):html.index("</nav>")]
    for anchor_id in ("summary", "timeline", "conflicts", "claims", "syndication", "entities", "sources"):
        assert f'href="#{anchor_id}"' in toc and f'id="{anchor_id}"' in html
    assert '<details class="sentences">' in html  # each article's sentences are folded
    assert '<details class="single" id="single-source">' in html


def test_unknown_outlet_gets_a_readable_label(brief: Brief) -> None:
    from storyline.report import view

    b = _with(brief, 2, source=None, title="Kim and Putin begin talks, Russian media reports")
    assert view.labels(b)["c3"] == "Kim and Putin begin talks,…"
    b = _with(b, 2, url="https://www.cnbc.com/live/x")
    assert view.labels(b)["c3"] == "cnbc.com"
    html = render(b, "html")
    assert "outlet: unknown" in html and ">c3:" not in html
    assert "- outlet: unknown" in render(b, "markdown")


def test_briefing_round_trips_through_its_json(brief: Brief) -> None:
    """The web app renders cached briefings from their JSON: nothing of the contract is lost."""
    from storyline.report.data import from_dict

    data = to_dict(brief)
    again = from_dict(json.loads(json.dumps(data)))
    assert to_dict(again) == data
    assert render(again, "markdown") == render(brief, "markdown")
    assert render(again, "html") == render(brief, "html")


def test_markdown_answers_the_readers_questions_in_order(brief: Brief) -> None:
    md = render(brief, "markdown")
    order = ["## In brief", "## Timeline", "## Where the sources disagree", "## Claims and their sources",
             "## Who copied whom", "## People, organisations, places", "## Sources"]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)
    assert md.startswith("# Kim & Putin &lt;meet&gt; — 3 articles · 3 outlets · 2023-09-12 to 2023-09-13")
    assert "\\[Wire §1\\] \\[Paper §1\\]" in md
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
