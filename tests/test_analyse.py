"""analyse: sentences, entities, quantities and dates of the bundled example, and date reconciliation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from storyline.analyse import analyse
from storyline.analyse.dating import infer_date, reconcile, weekday_mentions, writing_weekday
from storyline.models import AnalysedArticle, Article, Post
from storyline.settings import Settings

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kim-putin-summit-2023"

# --- the example as cleaned Articles, built here so these tests do not depend on ingest/clean ---

_CAPTION_STARTS = (
    "In this photo", "A man watches", "Russian President Vladimir Putin (L)", "North Korea leader Kim Jong Un (L)",
    "Russian President Vladimir Putin and North Korean leader Kim Jong Un held", "North Korean leader Kim Jong-un (L)",
    "This photo, carried", "FILE PHOTO", "Russian President Vladimir Putin meets",
    "Russian President Vladimir Putin and North Korean leader Kim Jong Un attend", "North Korean leader Kim Jong Un, Chinese",
    "White House National Security Advisor", "Read more",
)  # fmt: skip
_BOILER = (
    "See also", "Leave a Reply", "Your email", "You may use", "Obtaining licensing", "Our standards", "(Reporting by",
    "ntd newsletter", "Sign up", "What you need", "Stay informed", "By registering", "From The Epoch",
    "Reuters contributed", "Source: The National", "NTD Photo", "Vladimir Putin Kim Jong Un", "Brighton Journal",
    "Complete News World", "September 29, 2023", "By Adam Morrow", "Adam Morrow", "September 6, 2023World News",
    "(Yonhap)", "Confidentiality and security", "Foreign trips", "Shoigu in Pyongyang", "Warning from Washington",
    "Envoy Scorns Sanctions",
)  # fmt: skip


def _is_noise(s: str) -> bool:
    return (
        not s or " | " in s or s == "AP" or s.startswith(_BOILER) or s.startswith(_CAPTION_STARTS)
    )


def _article(path: Path, published: str | None) -> Article:
    lines = [x.strip() for x in path.read_text(encoding="utf-8").split("\n")]
    body: list[str] = []
    for s in lines[1:]:
        if not _is_noise(s) and s != lines[0] and s not in body:
            body.append(s)
    captions = tuple(dict.fromkeys(s for s in lines if s.startswith(_CAPTION_STARTS)))
    return Article(
        id=path.name[:3],
        text="\n".join(body),
        path=str(path),
        title=lines[0],
        published=published,
        published_evidence="page header" if published else None,
        captions=captions,
    )


def _live_blog(path: Path) -> Article:
    body: list[str] = []
    captions: list[str] = []
    posts: list[Post] = []
    pos, expect_title = 0, True
    for s in (x.strip() for x in path.read_text(encoding="utf-8").split("\n")):
        if expect_title:
            posts.append(Post(start=pos, title=s))
            expect_title = False
        elif s.startswith(
            "— "
        ):  # a sign-off ends a post; the next line is the next post's headline
            posts[-1] = replace(posts[-1], authors=(s[2:],))
            expect_title = True
        elif s.startswith(_CAPTION_STARTS):
            captions.append(s)
        elif not _is_noise(s):
            body.append(s)
            pos += len(s) + 1
    return Article(
        id="000",
        text="\n".join(body),
        path=str(path),
        title=posts[0].title,
        posts=tuple(posts),
        captions=tuple(captions),
    )


def example_articles() -> list[Article]:
    """The five example articles with the dates their pages show (none for 000 and 004)."""
    files = {p.name[:3]: p for p in EXAMPLE.glob("*.txt")}
    return [
        _live_blog(files["000"]),
        _article(files["001"], "2023-09-13"),
        _article(files["002"], "2023-09-29"),
        _article(files["003"], "2023-09-06"),
        _article(files["004"], None),
    ]


@pytest.fixture(scope="module")
def docs() -> dict[str, AnalysedArticle]:
    return {d.article.id: d for d in analyse(example_articles(), Settings())}


# --- sentences, entities, quantities ----------------------------------------------------------


def test_sentences_are_indexed_and_point_into_the_article_text(
    docs: dict[str, AnalysedArticle],
) -> None:
    for doc in docs.values():
        assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
        for s in doc.sentences:
            assert doc.article.text[s.start : s.end] == s.text
            assert "\n" not in s.text  # never across a paragraph line
            for m in s.entities:
                assert s.text[m.start : m.end] == m.text
            for t in s.times:
                assert s.text[t.start : t.end] == t.text
            for q in s.quantities:
                assert s.text[q.start : q.end] == q.text
    assert len(docs["001"].sentences) > 10


def test_live_blog_sentences_know_their_post(docs: dict[str, AnalysedArticle]) -> None:
    blog = docs["000"]
    posts = blog.article.posts
    assert len(posts) == 7
    for s in blog.sentences:
        assert s.post is not None
        assert posts[s.post].start <= s.start
        if s.post + 1 < len(posts):
            assert s.start < posts[s.post + 1].start
    shoigu = next(s for s in blog.sentences if "Shoigu will participate" in s.text)
    assert (
        shoigu.post is not None
        and posts[shoigu.post].title == "Russian defense minister to take part in Putin-Kim talks"
    )


def test_entities_and_quantities(docs: dict[str, AnalysedArticle]) -> None:
    people = {
        m.text
        for d in docs.values()
        for s in d.sentences
        for m in s.entities
        if m.label == "PERSON"
    }
    assert {"Kim Jong Un", "Vladimir Putin"} <= people
    places = {
        m.text
        for d in docs.values()
        for s in d.sentences
        for m in s.entities
        if m.label in ("GPE", "LOC", "FAC")
    }
    assert "Vladivostok" in places
    quantities = {
        (q.value, q.unit) for d in docs.values() for s in d.sentences for q in s.quantities
    }
    assert (1000.0, "mile") in quantities  # the live blog
    assert (1000.0, "kilometer") in quantities  # Yonhap: the conflict the check stage reports
    # "the 75th anniversary" is an ordinal, not a quantity; "75 years ago" is one
    assert {
        q.text for d in docs.values() for s in d.sentences for q in s.quantities if q.value == 75
    } == {"75 years"}


# --- dates ----------------------------------------------------------------------------------


def test_page_date_contradicted_by_the_text_is_not_used(docs: dict[str, AnalysedArticle]) -> None:
    doc = docs["002"]
    assert doc.article.published == "2023-09-11"
    evidence = doc.article.published_evidence or ""
    assert "2023-09-29" in evidence and "2023-09-11" in evidence and "on Monday" in evidence
    confirmed = next(s for s in doc.sentences if "confirmed on Monday" in s.text)
    (monday,) = confirmed.times
    assert monday.value == "2023-09-11" and monday.anchor == "2023-09-11"
    all_times = [t for s in doc.sentences for t in s.times]
    assert all(t.anchor != "2023-09-29" for t in all_times)
    assert not any(t.value.startswith("2023-09-2") for t in all_times)
    left = next(s for s in doc.sentences if "left Pyongyang late Sunday" in s.text)
    assert [(t.text, t.value) for t in left.times] == [
        ("late Sunday", "2023-09-10"),
        ("on Tuesday", "2023-09-12"),
    ]


def test_undated_article_gets_a_date_from_its_text(docs: dict[str, AnalysedArticle]) -> None:
    doc = docs["004"]
    assert doc.article.published == "2023-09-12"
    assert "no publication date" in (doc.article.published_evidence or "")
    crossed = next(s for s in doc.sentences if "crossed into Russia on Tuesday" in s.text)
    assert crossed.times[0].value == "2023-09-12"


def test_reliable_dates_are_kept(docs: dict[str, AnalysedArticle]) -> None:
    assert docs["001"].article.published == "2023-09-13"
    assert docs["001"].article.published_evidence == "page header"
    assert docs["003"].article.published == "2023-09-06"


def test_live_blog_posts_are_dated_from_their_own_text(docs: dict[str, AnalysedArticle]) -> None:
    blog = docs["000"]
    dates = {p.title: p.published for p in blog.article.posts}
    assert dates["Kim and Putin begin talks, Russian media reports"] == "2023-09-13"
    assert (
        dates["North Korea fires two ballistic missile with leader Kim away in Russia"]
        == "2023-09-13"
    )
    assert dates["Pictures show Kim Jong Un’s arrival in Russia"] == "2023-09-12"
    assert dates["Kremlin dismisses U.S. warnings over meeting with North Korea"] == "2023-09-12"
    assert blog.article.published == "2023-09-13"
    # "Tuesday" in a Wednesday post is the day before; "Monday" in a Tuesday post likewise
    vlad = next(s for s in blog.sentences if "Vladivostok Tuesday" in s.text)
    assert blog.reference_date(vlad) == "2023-09-13" and vlad.times[0].value == "2023-09-12"
    monday = next(s for s in blog.sentences if s.text.startswith("Russia dismissed warnings"))
    assert blog.reference_date(monday) == "2023-09-12" and monday.times[0].value == "2023-09-11"


def test_writing_day_is_the_weekday_the_others_fall_just_before() -> None:
    mentions = weekday_mentions(["Kim left late Sunday, it was confirmed on Monday."])
    assert writing_weekday(mentions) == 0  # Monday
    from datetime import date

    assert infer_date(mentions, upper=date(2023, 9, 13), lower=None) == (date(2023, 9, 11), 0)
    assert infer_date(mentions, upper=None, lower=date(2023, 9, 12)) == (date(2023, 9, 18), 0)
    assert infer_date(weekday_mentions(["No weekday here."]), date(2023, 9, 13), None) is None


def test_a_lone_article_keeps_its_date_and_an_undated_one_without_evidence_stays_undated() -> None:
    lone = Article(id="a", text="x", published="2023-09-29", published_evidence="page header")
    undated = Article(id="b", text="y")
    out = reconcile(
        [lone, undated], [[("Talks were confirmed on Monday.", None)], [("Nothing dated.", None)]]
    )
    assert out[0].published == "2023-09-29" and out[0].published_evidence == "page header"
    assert out[1].published is None


def test_a_parse_without_entities_has_the_same_tags_dependencies_and_lemmas(nlp):
    from storyline.analyse.nlp import parse

    texts = ["Putin said Russia would help North Korea build satellites.", "Kim left Vladivostok on Sunday."]
    full = parse(texts)
    bare = parse(texts, entities=False)
    for a, b in zip(full, bare, strict=True):
        assert [(t.tag_, t.dep_, t.head.i, t.lemma_) for t in a] == [
            (t.tag_, t.dep_, t.head.i, t.lemma_) for t in b
        ]
        assert a.ents and not b.ents  # the entity recogniser is what was left out
