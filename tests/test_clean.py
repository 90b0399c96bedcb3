"""clean: boilerplate out with reasons, body sentences kept, captions apart, live blog posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean import clean
from storyline.ingest import read_inputs
from storyline.ingest.text import article_from_text
from storyline.models import Article
from storyline.settings import Settings


@pytest.fixture(scope="module")
def cleaned(example_dir: Path) -> dict[str, Article]:
    result = read_inputs([str(example_dir)], Settings(progress=False))
    return {a.id[:3]: clean(a) for a in result.articles}


def removed(article: Article, reason: str) -> list[str]:
    return [r.text for r in article.removed if r.reason == reason]


def body_lines(article: Article) -> list[str]:
    return article.text.split("\n")


# Boilerplate that must not survive in any example body, whatever the page.
BOILERPLATE = [
    "Leave a Reply",
    "Your email address will not be published",
    "You may use these HTML tags",
    "See also",
    "Sign up for NTD Daily",
    "By registering for the newsletter",
    "licensing rights",
    "Brighton Journal",
    "Complete News World",
    "Be Korea-savvy",
    "Read more on the story here",
    "Our standards",
    "KCNA | AP",
    "Getty Images",
    "NTD Photo",
    "In this photo",
    "FILE PHOTO",
    "(Yonhap)",
    "(Reporting by",
    "— Holly Ellyatt",
    "Source: The National",
    "From The Epoch Times",
    "pose for a photo",
    "By Adam Morrow",
    "Reuters contributed",
]


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_no_boilerplate_left_in_body(cleaned: dict[str, Article], key: str) -> None:
    text = cleaned[key].text
    for junk in BOILERPLATE:
        assert junk not in text, f"{key}: {junk!r} left in the body"
    lines = body_lines(cleaned[key])
    assert all(line.strip() == line and line for line in lines)  # one paragraph per line
    assert len(lines) == len(set(lines))  # no repeated line
    for line in lines:
        assert line not in ("AP", "(Reuters)"), line


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        (
            "000",
            "Kim arrived in Russia’s Pacific coast port Vladivostok Tuesday before traveling onwards",
        ),
        ("000", "North Korea fired two ballistic missiles off its east coast"),
        ("000", "“I am very glad to see you,” Putin said."),
        (
            "001",
            "North Korean leader Kim Jong-un and Russian President Vladimir Putin were set to hold a rare summit",
        ),
        (
            "001",
            "The KCNA confirmed that Kim’s train arrived at the Russian border city of Khasan at 6 a.m. on Tuesday",
        ),
        (
            "002",
            "North Korean leader Kim Jong Un will visit Russia soon to meet President Vladimir Putin",
        ),
        ("002", "South Korean newspaper Chosun Ilbo said Kim left Pyongyang late Sunday"),
        (
            "003",
            "“The development of [Russia-North Korea] military cooperation corresponds to the vital interests",
        ),
        (
            "003",
            "He also said the inclusion of North Korea in future joint Russia–China military drills",
        ),
        (
            "004",
            "North Korean leader Kim Jong-un crossed into Russia on Tuesday to meet President Vladimir Putin",
        ),
        ("004", "Talks collapsed and then the corona virus pandemic hit"),
    ],
)
def test_key_sentences_survive(cleaned: dict[str, Article], key: str, sentence: str) -> None:
    assert sentence in cleaned[key].text


def test_every_removal_has_a_reason_and_comes_from_the_page(
    example_dir: Path, cleaned: dict[str, Article]
) -> None:
    for key, article in cleaned.items():
        raw = " ".join(next(example_dir.glob(f"{key}_*.txt")).read_text(encoding="utf-8").split())
        assert article.removed, key
        for r in article.removed:
            assert r.reason and r.text
            assert r.text in raw, (key, r.text)


def test_reasons_for_the_001_page(cleaned: dict[str, Article]) -> None:
    a = cleaned["001"]
    assert len(removed(a, "comment form")) == 3
    assert removed(a, "agency tag") == ["(Yonhap)"]
    assert removed(a, "dateline") == ["SEOUL, Sept. 13 (Korea Bizwire)"]
    assert len(removed(a, "duplicate caption")) == 2  # the two captions printed twice
    assert len(a.captions) == 2 and all("(Yonhap)" in c for c in a.captions)
    assert a.text.startswith("North Korean leader Kim Jong-un and Russian President")
    assert removed(a, "repeated headline")


def test_reasons_for_the_002_page(cleaned: dict[str, Article]) -> None:
    a = cleaned["002"]
    assert removed(a, "site name") == ["Brighton Journal", "Complete News World"]
    assert removed(a, "date line") == ["September 29, 2023"]
    assert len(removed(a, "see-also link")) == 2
    assert removed(a, "licensing") and removed(a, "editorial standards")
    assert removed(a, "reporting credit")[0].startswith("(Reporting by Soo Hyang Choi")
    assert removed(a, "dateline") == ["SEOUL/MOSCOW (Reuters)"]
    assert a.captions and a.captions[0].startswith("FILE PHOTO:")


def test_reasons_for_the_003_page(cleaned: dict[str, Article]) -> None:
    a = cleaned["003"]
    assert a.authors == ("Adam Morrow",)
    assert "By Adam Morrow" in removed(a, "byline")
    assert removed(a, "photo credit") == ["NTD Photo"]
    assert len(removed(a, "newsletter sign-up")) == 5
    assert removed(a, "source line") == ["From The Epoch Times"]
    assert len(a.captions) >= 4  # four photos, each with its caption
    assert any("(KCNA via Reuters)" in c for c in a.captions)
    assert "Shoigu in Pyongyang" in removed(a, "subheading")


def test_reasons_for_the_004_page(cleaned: dict[str, Article]) -> None:
    a = cleaned["004"]
    assert removed(a, "source line") == ["Source: The National"]
    assert removed(a, "headline") == [
        "Talks expected to cover weapons deals between Russia and North Korea"
    ]
    assert not a.captions and not a.posts


def test_live_blog_is_split_into_posts(cleaned: dict[str, Article]) -> None:
    a = cleaned["000"]
    titles = [p.title for p in a.posts]
    assert titles == [
        "Kim and Putin begin talks, Russian media reports",
        "Kim Jong Un arrives at Russian cosmodrome for talks with Putin",
        "North Korea fires two ballistic missile with leader Kim away in Russia",
        "Pictures show Kim Jong Un’s arrival in Russia",
        "Russian defense minister to take part in Putin-Kim talks",
        "The West is worried about what Russia and North Korea are planning",
        "Kremlin dismisses U.S. warnings over meeting with North Korea",
    ]
    assert [p.authors for p in a.posts] == [
        ("Holly Ellyatt",),
        ("Holly Ellyatt",),
        ("Reuters",),
        ("Hannah Ward-Glenton",),
        ("Holly Ellyatt",),
        ("Holly Ellyatt",),
        ("Holly Ellyatt",),
    ]
    assert a.authors == ("Holly Ellyatt", "Hannah Ward-Glenton")  # people, not the wire
    # each post starts at the first paragraph of its body
    firsts = [a.text[p.start :].split("\n", 1)[0] for p in a.posts]
    assert firsts[0].startswith("Negotiations between Vladimir Putin and Kim Jong Un have begun")
    assert firsts[2].startswith("North Korea fired two ballistic missiles")
    assert firsts[6].startswith("Russia dismissed warnings from the White House on Monday")
    assert all(a.text[p.start - 1] == "\n" for p in a.posts[1:])
    assert len(removed(a, "post headline")) == 7 and len(removed(a, "sign-off (author)")) == 7
    for title in titles:
        assert title not in a.text


def test_live_blog_captions_and_credits(cleaned: dict[str, Article]) -> None:
    a = cleaned["000"]
    credits = removed(a, "photo credit")
    assert "KCNA | AP" in credits and "Jung Yeon-je | Afp | Getty Images" in credits
    assert "Contributor | Getty Images" in credits and credits.count("AP") == 2
    assert len(a.captions) == 7
    assert any(c.startswith("A man watches a television news screen") for c in a.captions)
    assert "Tuesday, Sept. 12, 2023" in " ".join(a.captions)  # kept for dating, not as body
    assert removed(a, "see-also link")[0].startswith("Read more on the story here")


# --- the rules are general: other sites' shapes -------------------------------------------

OTHER_SITE = """City approves new stadium plan
Daily Courier
March 3, 2024
By Jane Doe and John Roe
The city council voted 7 to 2 on Monday to approve a new football stadium near the river.
Supporters said the project would bring jobs, while opponents warned about traffic and noise.
Aerial view of the proposed stadium site, taken on Feb. 2, 2024.
John Smith | Reuters
Read more: Council budget explained
The stadium is expected to open in 2027 if construction starts this summer, officials said.
Subscribe to our newsletter
Get the top stories every morning.
Copyright 2024 Daily Courier. All rights reserved.
"""


def test_rules_work_on_another_sites_page() -> None:
    a = clean(article_from_text(OTHER_SITE))
    assert a.title == "City approves new stadium plan"
    assert a.authors == ("Jane Doe", "John Roe")
    assert body_lines(a) == [
        "The city council voted 7 to 2 on Monday to approve a new football stadium near the river.",
        "Supporters said the project would bring jobs, while opponents warned about traffic and noise.",
        "The stadium is expected to open in 2027 if construction starts this summer, officials said.",
    ]
    reasons = {r.text: r.reason for r in a.removed}
    assert reasons["Daily Courier"] == "site name"
    assert reasons["John Smith | Reuters"] == "photo credit"
    assert (
        reasons["Aerial view of the proposed stadium site, taken on Feb. 2, 2024."]
        == "photo caption"
    )
    assert reasons["Read more: Council budget explained"] == "see-also link"
    assert reasons["Get the top stories every morning."] == "newsletter sign-up"
    assert reasons["Copyright 2024 Daily Courier. All rights reserved."] == "licensing"


def test_single_signoff_gives_the_author_not_a_live_blog() -> None:
    text = (
        "Storm closes ports\n"
        "Three ports on the east coast closed on Friday as a storm brought winds of up to 120 km/h.\n"
        "Shipping companies said they expected delays of two to three days for container traffic.\n"
        "— Priya Natarajan\n"
    )
    a = clean(article_from_text(text))
    assert a.authors == ("Priya Natarajan",) and a.posts == ()
    assert "Priya" not in a.text


BODY_SENTENCES_THAT_LOOK_LIKE_BOILERPLATE = [
    "The newsletter was founded in 1990 by two teachers.",
    "Copyright law was changed in 2019 after a long campaign by musicians.",
    "Research by Oxford University found that the scheme cut waiting times.",
    "Exports rose 5 per cent compared with a year earlier (year/year).",
    "Customs data shows exports of chips rose for a third month. (Yonhap)",
    "More on that later, the minister told the parliament on Thursday afternoon.",
    "From Monday, buses will run every ten minutes on the main routes into the city.",
]


@pytest.mark.parametrize("sentence", BODY_SENTENCES_THAT_LOOK_LIKE_BOILERPLATE)
def test_sentences_that_merely_look_like_boilerplate_are_kept(sentence: str) -> None:
    text = (
        "A headline for the test\n"
        "The council met on Tuesday to discuss the plan, which has been debated for two years.\n"
        f"{sentence}\n"
        "Officials said a final decision would be taken at the next meeting in the spring.\n"
    )
    a = clean(article_from_text(text))
    assert sentence in a.text.split("\n"), [r for r in a.removed]


def test_html_bodies_are_cleaned_gently() -> None:
    body = (
        "The new rules take effect in March.\n"
        "What changes for drivers\n"
        "Drivers will need to renew their permits every five years instead of ten, the ministry said.\n"
        "Leave a Reply\n"
        "Your email address will not be published.\n"
    )
    a = clean(Article(id="h", text=body, fmt="html", title="Permit rules change"))
    # the subheading and the first line stay (the extractor already removed the page header)
    assert a.text.split("\n") == body.split("\n")[:3]
    assert {r.reason for r in a.removed} == {"comment form"}


def test_clean_does_not_mutate_and_handles_empty_text() -> None:
    a = Article(id="x", text="")
    assert clean(a).text == "" and a.text == ""
    original = article_from_text(OTHER_SITE)
    clean(original)
    assert original.text.startswith("City approves")


LINE = st.one_of(
    st.text(max_size=120).map(lambda t: t.replace("\n", " ")),
    st.sampled_from(
        [
            "— Holly Ellyatt",
            "KCNA | AP",
            "AP",
            "Leave a Reply",
            "(Yonhap)",
            "Sign up for NTD Daily",
            "In this photo taken on Sept. 12, 2023, a train arrives.",
            "SEOUL, Sept. 13 (Korea Bizwire)North Korean leader Kim Jong-un arrived on Tuesday.",
            "Officials said the talks would continue on Wednesday in the eastern city.",
            "Short headline here",
        ]
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=25), st.sampled_from(["text", "html", "json"]))
def test_clean_never_raises_and_only_removes_what_was_there(lines: list[str], fmt: str) -> None:
    text = "\n".join(lines)
    article = article_from_text(text, fmt=fmt)
    out = clean(article)
    flat = " ".join(text.split())
    for r in out.removed:
        assert r.text in flat
    for line in out.text.split("\n") if out.text else []:
        assert line and line in flat
    for post in out.posts:
        assert 0 <= post.start < max(1, len(out.text))
        assert post.start == 0 or out.text[post.start - 1] == "\n"
