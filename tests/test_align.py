"""align: stories, syndication and claims across sources, on the bundled example."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import EXAMPLE_IDS, SETTINGS, align_docs
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline import align
from storyline.analyse.embed import embed_sentences
from storyline.models import ClaimMention


@pytest.fixture(scope="module")
def example(bundle):
    docs, vectors = bundle
    return docs[:5], vectors


@pytest.fixture(scope="module")
def syndication(example):
    docs, vectors = example
    return align.find_syndication(docs, vectors, SETTINGS)


# --- stories ---------------------------------------------------------------------------------


def test_the_example_is_one_story(example):
    docs, vectors = example
    assert align.story_groups(docs, vectors, SETTINGS) == [EXAMPLE_IDS]


def test_two_unrelated_stories_come_out_as_two_groups(bundle):
    docs, vectors = bundle
    assert align.story_groups(docs, vectors, SETTINGS) == [EXAMPLE_IDS, ("dw0", "dw1")]


# --- syndication ----------------------------------------------------------------------------


def test_reuters_copy_shared_by_002_and_004_is_syndication_with_its_origin(syndication):
    groups = [g for g in syndication if {"002", "004"} <= set(g.articles)]
    assert len(groups) == 1
    group = groups[0]
    assert group.origin == "Reuters"  # 002's dateline "SEOUL/MOSCOW (Reuters) –"
    assert group.kind == "shared-wire"  # passages, not the whole article
    assert group.shared_sentences >= 2


def test_independent_reports_of_the_same_event_are_not_syndication(syndication):
    # 000 (CNBC), 001 (Yonhap) and 003 (Epoch Times) report the same summit in their own words.
    assert [g.articles for g in syndication] == [("002", "004")]


def test_origins_come_from_datelines_and_credit_lines_not_attributions(example):
    docs, _ = example
    origins = {d.article.id: align.article_origin(d) for d in docs}
    assert (
        origins["002"] is not None and origins["002"].agency == "Reuters" and origins["002"].whole
    )
    assert origins["001"] is not None and origins["001"].agency == "Yonhap" and origins["001"].whole
    # A "— Reuters" sign-off marks one live-blog post, "Reuters contributed" a share of a story.
    assert origins["000"] is not None and origins["000"].agency == "Reuters"
    assert not origins["000"].whole
    assert origins["003"] is not None and not origins["003"].whole
    # 004 only says "a source told Reuters": attribution, not origin.
    assert origins["004"] is None


REWRITE = """Talks planned on arms deals as Kim heads to Russia
North Korean leader Kim Jong Un is to travel to Russia shortly for a possibly historic summit with President Vladimir Putin, both countries confirmed on Monday, as Moscow grows more isolated over the Ukraine war.
The Kremlin said Kim would visit Russia in the coming days at Putin's invitation, and North Korea's Korean Central News Agency said the two leaders "will meet and talk" but gave no details.
According to US officials, the two leaders will discuss possible arms deals that would help Russia's war in Ukraine and give North Korea a badly needed economic and political lifeline.
Washington and its allies voice concern about recent signs of closer military cooperation between Russia and nuclear-armed North Korea.
It will be Kim's second summit with Putin, after the two met in 2019.
Even though Pyongyang and Moscow deny it, the United States said talks were actively progressing for North Korea to provide weapons to Russia, which has used up large stockpiles of weapons in more than 18 months of war in Ukraine.
"""


def test_a_paraphrased_rewrite_is_syndication(example, nlp, embedder):
    docs, _ = example
    reuters = docs[2]
    rewrite = align_docs.analysed([align_docs.make_article("rw", REWRITE, "2023-09-11", nlp)])[0]
    pair = [reuters, rewrite]
    vectors = embed_sentences(pair)
    groups = align.find_syndication(pair, vectors, SETTINGS)
    assert len(groups) == 1
    assert groups[0].articles == ("002", "rw")
    assert groups[0].kind == "rewrite"
    assert groups[0].shared_sentences >= 5
    assert groups[0].origin == "Reuters"


def test_a_whole_article_republished_is_a_copy(example, embedder):
    docs, _ = example
    reuters = docs[2]
    clone = replace(reuters.article, id="cp", source="Content Farm")
    pair = [reuters, align_docs.analysed([align_docs.AnalysedArticle(clone, ())])[0]]
    vectors = embed_sentences(pair)
    groups = align.find_syndication(pair, vectors, SETTINGS)
    assert [(g.articles, g.kind, g.origin) for g in groups] == [(("002", "cp"), "copy", "Reuters")]
    assert groups[0].shared_sentences >= 10


# --- claims ---------------------------------------------------------------------------------


def _mention(docs, article: str, fragment: str) -> ClaimMention:
    s = align_docs.sentence(docs, article, fragment)
    return ClaimMention(s.article, s.index, s.text)


def test_a_claim_carried_only_by_002_and_004_through_reuters_copy_counts_once(example, syndication):
    docs, vectors = example
    mentions = [
        _mention(docs, "002", "This will be Kim’s second summit with Putin"),
        _mention(docs, "004", "It will be Mr Kim’s second summit with Putin"),
    ]
    claims = align.align_claims(
        docs, mentions, vectors, syndication, SETTINGS, groups=[EXAMPLE_IDS]
    )
    assert len(claims) == 1
    assert {m.article for m in claims[0].mentions} == {"002", "004"}
    assert claims[0].independent_sources == 1
    assert claims[0].status == "single-source"
    # The same two mentions without the syndication finding would be two sources.
    unlinked = align.align_claims(docs, mentions, vectors, [], SETTINGS, groups=[EXAMPLE_IDS])
    assert unlinked[0].independent_sources == 2


def test_a_rewritten_reuters_passage_also_counts_once(example, syndication):
    docs, vectors = example
    mentions = [
        _mention(docs, "002", "Washington and its allies express concern"),
        _mention(docs, "004", "Washington and its allies have expressed concern"),
    ]
    claims = align.align_claims(
        docs, mentions, vectors, syndication, SETTINGS, groups=[EXAMPLE_IDS]
    )
    assert [(len(c.mentions), c.independent_sources) for c in claims] == [(2, 1)]


def test_equivalent_claims_worded_differently_are_one_corroborated_claim(example):
    docs, vectors = example
    crossed = align_docs.sentence(docs, "004", "crossed into Russia on Tuesday")
    mentions = [
        ClaimMention(
            "004", crossed.index, "North Korean leader Kim Jong-un crossed into Russia on Tuesday"
        ),
        _mention(docs, "000", "The leader of North Korea arrived in Russia earlier Tuesday"),
        _mention(docs, "002", "Kim does not travel abroad often"),
    ]
    claims = align.align_claims(docs, mentions, vectors, [], SETTINGS, groups=[EXAMPLE_IDS])
    assert len(claims) == 2
    top = claims[0]
    assert {m.article for m in top.mentions} == {"000", "004"}
    assert top.independent_sources == 2 and top.status == "corroborated"
    assert claims[1].status == "single-source"


def test_claims_on_the_whole_example(example, syndication):
    docs, vectors = example
    mentions = align_docs.mentions(docs)
    claims = align.align_claims(
        docs, mentions, vectors, syndication, SETTINGS, groups=[EXAMPLE_IDS]
    )
    # Every mention lands in exactly one claim.
    assert sorted((m.article, m.sentence, m.text) for c in claims for m in c.mentions) == sorted(
        (m.article, m.sentence, m.text) for m in mentions
    )
    assert any(c.status == "corroborated" for c in claims)
    # Ordered by independent sources, then first appearance; a claim never holds two mentions
    # of one article; ids are stable.
    sources = [c.independent_sources for c in claims]
    assert sources == sorted(sources, reverse=True)
    for c in claims:
        assert len({m.article for m in c.mentions}) == len(c.mentions)
        assert c.independent_sources <= len(c.mentions)
        assert c.id.startswith("c-")
    again = align.align_claims(docs, mentions, vectors, syndication, SETTINGS, groups=[EXAMPLE_IDS])
    assert [c.id for c in again] == [c.id for c in claims]
    assert len({c.id for c in claims}) == len(claims)


def test_no_claim_spans_two_unrelated_stories(bundle):
    docs, vectors = bundle
    groups = align.story_groups(docs, vectors, SETTINGS)
    mentions = align_docs.one_claim_per_sentence(docs)
    claims = align.align_claims(docs, mentions, vectors, [], SETTINGS, groups=groups)
    for c in claims:
        stories = {next(k for k, g in enumerate(groups) if m.article in g) for m in c.mentions}
        assert len(stories) == 1, c
    # The Dingwall articles still corroborate each other.
    assert any({m.article for m in c.mentions} == {"dw0", "dw1"} for c in claims)


def test_a_single_article_gives_single_source_claims_and_no_syndication(example):
    docs, vectors = example
    one = [docs[1]]
    assert align.story_groups(one, vectors, SETTINGS) == [("001",)]
    assert align.find_syndication(one, vectors, SETTINGS) == []
    mentions = align_docs.one_claim_per_sentence(one)
    claims = align.align_claims(one, mentions, vectors, [], SETTINGS, groups=[("001",)])
    assert len(claims) == len(mentions)
    assert all(c.status == "single-source" and c.independent_sources == 1 for c in claims)


def test_no_mentions_and_no_articles_give_empty_lists(example):
    docs, vectors = example
    assert align.align_claims(docs, [], vectors, [], SETTINGS, groups=[EXAMPLE_IDS]) == []
    assert align.story_groups([], vectors, SETTINGS) == []
    assert align.find_syndication([], vectors, SETTINGS) == []


# --- one story's lines and pairs, shared by its passes ----------------------------------------


def test_a_groups_pass_reads_the_storys_pairs_and_finds_what_a_fresh_pass_finds(
    example, monkeypatch
):
    """align_claims re-reads each syndication group; its pairs come from find_syndication's
    story-wide pass over the same vectors, and must be exactly what a pass of its own finds."""
    docs, vectors = example
    group = [d for d in docs if d.article.id in ("002", "004")]
    align._MEMOS.pop(vectors, None)
    fresh = align._shared_by_pair(group, vectors, SETTINGS)  # nothing remembered: its own pass
    assert fresh[(0, 1)], "the example's Reuters copy"
    align._MEMOS.pop(vectors, None)
    align.find_syndication(docs, vectors, SETTINGS)  # the story-wide pass is remembered
    products = []
    real = align.close_pairs
    monkeypatch.setattr(align, "close_pairs", lambda *a, **k: products.append(1) or real(*a, **k))
    assert align._shared_by_pair(group, vectors, SETTINGS) == fresh
    assert products == [], "the group's pairs were read off the story's pass, not recomputed"


def test_the_storys_memo_goes_with_its_vectors(example):
    docs, _ = example
    vectors = embed_sentences(docs)
    before = len(align._MEMOS)
    align.find_syndication(docs, vectors, SETTINGS)
    assert len(align._MEMOS) == before + 1
    del vectors  # no reference cycle: freed at once, collector or not
    assert len(align._MEMOS) == before


def naive_rare_gram_pairs(grams: list[list[int]], docs: list[int]) -> set[tuple[int, int]]:
    """The rule as first written: count, for every two lines of two articles, the 3-grams they
    share that at most COMMON_SHINGLE lines hold; keep the pairs with 3 or more."""
    holders: dict[int, list[int]] = {}
    for x, ids in enumerate(grams):
        for g in ids:
            holders.setdefault(g, []).append(x)
    shared: dict[tuple[int, int], int] = {}
    for xs in holders.values():
        if len(xs) > align.COMMON_SHINGLE:
            continue
        for i, x in enumerate(xs):
            for y in xs[i + 1 :]:
                if docs[x] != docs[y]:
                    shared[(x, y)] = shared.get((x, y), 0) + 1
    return {p for p, n in shared.items() if n >= 3}


@pytest.mark.parametrize("seed", range(4))
def test_rare_gram_pairs_are_the_pairs_sharing_three_rare_grams(seed, monkeypatch):
    import random
    from types import SimpleNamespace

    import numpy as np

    monkeypatch.setattr(align, "COMMON_SHINGLE", 6)  # some grams common, most rare
    rng = random.Random(seed)
    lines, grams, docs = [], [], []
    for x in range(120):
        topic = range(20 + 12 * (x % 20), 32 + 12 * (x % 20))  # 6 lines share each topic
        ids = set(rng.sample(topic, rng.randint(0, 8))) | set(rng.sample(range(20), 3))
        ids = sorted(ids)  # the first 20 grams are in most lines: common
        grams.append(ids)
        docs.append(x // 7)  # 7 lines per article
        lines.append(SimpleNamespace(gram_ids=np.asarray(ids, dtype=np.int64)))
    xs, ys = align._rare_gram_pairs(lines, np.asarray(docs))
    got = set(zip(xs.tolist(), ys.tolist(), strict=True))
    assert got == naive_rare_gram_pairs(grams, docs)
    assert len(got) > 20


# --- words and modality ----------------------------------------------------------------------

_TRICKY = "aZq'’- 0,9.\u0130\u212a\u03a3\u03c3\u0307é"


def _words_word_by_word(text: str) -> list[str]:
    return [w.lower().strip("'’").replace("’", "'") for w in align._WORD.findall(text)]


@given(st.text(alphabet=_TRICKY, max_size=40))
@settings(max_examples=400, deadline=None)
def test_words_lowers_the_text_once_with_the_same_words_as_word_by_word(text):
    # İ and the Kelvin sign lower-case to ASCII letters: lowering the whole text first would
    # make words out of them
    assert align.words(text) == _words_word_by_word(text)


def test_words_keeps_inner_apostrophes_and_drops_outer_ones():
    # the Kelvin sign is no letter to the word pattern, though it lower-cases to "k"
    assert align.words("’Tis Putin’s 'deal', \u212aim") == ["tis", "putin's", "deal", "im"]
    assert align.words("\u0130stanbul talks") == _words_word_by_word("\u0130stanbul talks")


def test_modality_reads_the_predicate_past_reporting_verbs(nlp):
    mentions = [
        ClaimMention(article="a", sentence=k, text=t)
        for k, t in enumerate(
            [
                "Kim crossed into Russia on Tuesday.",
                "Kim will visit Moscow next week.",
                "Officials said Kim will visit Moscow next week.",
                "Kim crossed into Russia on Tuesday.",  # a reprint: the same answer
                "talks are expected to focus on weapons",  # a part of a sentence, parsed now
            ]
        )
    ]
    assert align._modalities(mentions) == ["fact", "prospect", "prospect", "fact", "prospect"]
