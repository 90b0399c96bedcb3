"""claims: speaker, cue and hedge of the example story's sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import analyse_with_spacy

from storyline.claims import extract_claims
from storyline.models import AnalysedArticle, Article, ClaimMention, Mention, Sentence


@pytest.fixture(scope="module")
def claims(example_dir: Path, nlp) -> list[ClaimMention]:
    return extract_claims(analyse_with_spacy(sorted(example_dir.glob("*.txt")), nlp))


def claim(claims: list[ClaimMention], start: str) -> ClaimMention:
    found = [c for c in claims if c.text.startswith(start)]
    assert found, f"no claim starts with {start!r}"
    return found[0]


@pytest.mark.parametrize(
    ("start", "speaker", "cue", "hedge"),
    [
        (
            "Negotiations between Vladimir Putin and Kim Jong Un have begun",
            "Russian media agency RIA Novosti",
            "reported",
            "reported",
        ),
        ("It was the first such launch", "analysts", "said", "reported"),
        (
            "Japan’s Chief Cabinet Secretary Hirokazu Matsuno told reporters",
            "Hirokazu Matsuno",
            "told reporters",
            "reported",
        ),
        (
            "Russian Defense Minister Sergei Shoigu will participate",
            "Dmitry Peskov",
            "said",
            "expected",
        ),
        (
            "The leader of North Korea arrived in Russia earlier Tuesday",
            "Russian state media reports",
            "according to",
            "reported",
        ),
        (
            "According to the newspaper, the two men plan",
            "New York Times",
            "according to",
            "expected",
        ),
        ("The newspaper also claimed", "New York Times", "claimed", "alleged"),
        (
            "When asked about the claims on Sept. 5, Kremlin spokesman Dmitry Peskov said",
            "Dmitry Peskov",
            "said",
            "reported",
        ),
        (
            "“The development of [Russia-North Korea] military cooperation",
            "Shoigu",
            "said",
            "reported",
        ),
        ("He added, “Supporting North Korea", "Ramon Pacheco Pardo", "added", "expected"),
        ("But a source told Reuters", "a source", "told Reuters", "reported"),
        ("On Monday, the agency had reported", "KCNA", "reported", "expected"),
        ("Talks are taking place at the Vostochny spaceport", "the Kremlin", "said", "expected"),
        (
            "Later Wednesday, Putin arrived at the space center",
            "Russia’s TASS news agency",
            "reported",
            "reported",
        ),
    ],
)
def test_speaker_cue_and_hedge(claims, start, speaker, cue, hedge):
    c = claim(claims, start)
    assert (c.speaker, c.cue, c.hedge) == (speaker, cue, hedge)


def test_tass_reported_peskov_as_saying(claims):
    c = claim(claims, "Of course, there will be a rich exchange of views")
    assert c.speaker == "Peskov" and c.cue == "reported as saying"


def test_a_sentence_with_two_claims_is_split_at_the_semicolon(claims):
    first = claim(claims, "The thorny issue of arms is also expected to be on the agenda")
    assert first.text.endswith("Western officials believe")
    assert (first.speaker, first.cue, first.hedge) == (
        "Western officials",
        "believe",
        "speculative",
    )
    second = claim(claims, "Russia wants to acquire weaponry")
    assert second.sentence == first.sentence and second.speaker is None


@pytest.mark.parametrize(
    ("start", "hedge"),
    [
        ("Russia and North Korea insist they have not discussed arms deals", "denied"),
        ("Both countries deny they are engaging in arms negotiations", "denied"),
        ("Russia dismissed warnings from the White House", "denied"),
        ("Talks between the two leaders is expected to focus", "expected"),
        ("Moscow, in return, may agree", "speculative"),
        ("There are also fears about what Moscow might offer", "speculative"),
        ("Mr Kim, who travelled to Russia by armoured train", "alleged"),
        ("If the purported meeting materializes", "alleged"),
        ("Kim was greeted by Russian officials as he arrived.", "asserted"),
        ("In May 2022, China and Russia vetoed", "asserted"),  # May the month, not the modal
        ("If Kim and Putin also agree to strengthen", "speculative"),  # a conditional "would"
        ("Initially, it was widely speculated", "speculative"),
        ("Mr Peskov said Russia’s national interests would dictate", "expected"),
    ],
)
def test_hedges(claims, start, hedge):
    assert claim(claims, start).hedge == hedge


def test_asserted_claims_have_no_speaker(claims):
    c = claim(claims, "Kim was greeted by Russian officials")
    assert c.speaker is None and c.cue is None


def test_headings_credits_and_questions_are_not_claims(claims, nlp):
    texts = {c.text for c in claims}
    assert "Kim and Putin begin talks, Russian media reports" not in texts
    assert not any(t.startswith("— ") for t in texts)
    sentences = (
        "Will Kim meet Putin on Tuesday?",
        "KCNA | AP",
        "Kim left Pyongyang on Sunday, the agency said.",
    )
    doc = AnalysedArticle(
        Article("q", " ".join(sentences)),
        tuple(Sentence("q", i, t, 0, len(t)) for i, t in enumerate(sentences)),
    )
    out = extract_claims([doc])
    assert [c.sentence for c in out] == [2]
    assert out[0].speaker == "the agency"  # no agency named before: kept as written


def test_claims_keep_their_sentence_index(claims, example_dir):
    assert all(c.text for c in claims)
    assert len({c.article for c in claims}) == 5
    assert extract_claims([]) == []


def test_two_reporting_frames_make_two_claims(claims):
    kremlin = claim(claims, "The Kremlin said that Kim will visit Russia in the coming days")
    kcna = claim(claims, "the North’s Korean Central News Agency said that the two leaders")
    assert kremlin.sentence == kcna.sentence
    assert (kremlin.speaker, kcna.speaker) == (
        "The Kremlin",
        "the North’s Korean Central News Agency",
    )
    deny = claim(claims, "Russia and North Korea continue to deny any arms deals")
    said = claim(claims, "the Kremlin said Tuesday morning")
    assert deny.sentence == said.sentence
    assert (deny.speaker, deny.cue, deny.hedge) == ("Russia and North Korea", "deny", "denied")
    assert (said.speaker, said.cue) == ("the Kremlin", "said")


def test_he_said_does_not_reach_into_another_post():
    texts = (
        "Dmitry Peskov said the talks had begun in the morning.",
        "He said they would last for several hours.",
        "He said the leaders would meet again next year.",
    )
    posts = (0, 0, 1)
    sentences = tuple(
        Sentence(
            "live",
            i,
            t,
            0,
            len(t),
            post=p,
            entities=(Mention("Dmitry Peskov", "PERSON", 0, 13),) if i == 0 else (),
        )
        for i, (t, p) in enumerate(zip(texts, posts, strict=True))
    )
    out = extract_claims([AnalysedArticle(Article("live", " ".join(texts)), sentences)])
    assert [c.speaker for c in out] == ["Dmitry Peskov", "Dmitry Peskov", "He"]
    assert [c.hedge for c in out] == ["reported", "expected", "expected"]
