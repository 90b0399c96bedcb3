"""check: conflicts between sources, each side quoted verbatim, on the bundled example."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import EXAMPLE_IDS, SETTINGS, align_docs
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline import align, check
from storyline.analyse.embed import SentenceVectors, embed_sentences
from storyline.similarity import FLOAT32_MARGIN


@pytest.fixture(scope="module")
def checked(bundle):
    """(docs, conflicts, claims) of the example through align and check."""
    docs, vectors = bundle
    docs = docs[:5]
    syndication = align.find_syndication(docs, vectors, SETTINGS)
    mentions = align_docs.mentions(docs)
    claims = align.align_claims(
        docs, mentions, vectors, syndication, SETTINGS, groups=[EXAMPLE_IDS]
    )
    conflicts, out = check.find_conflicts(docs, claims, vectors, SETTINGS, groups=[EXAMPLE_IDS])
    return docs, conflicts, out


def _with_side(conflicts, kind, article, fragment):
    found = [
        c
        for c in conflicts
        if c.kind == kind and any(s.article == article and fragment in s.text for s in c.sides)
    ]
    assert len(found) == 1, (kind, article, fragment, [c.summary for c in conflicts])
    return found[0]


def _side(conflict, article, fragment):
    sides = [s for s in conflict.sides if s.article == article and fragment in s.text]
    assert sides, (article, fragment, conflict)
    return sides[0]


def _assert_verbatim(docs, conflict):
    by_key = {(s.article, s.index): s.text for d in docs for s in d.sentences}
    for side in conflict.sides:
        assert by_key[(side.article, side.sentence)] == side.text
        assert side.value and side.value.strip("“”") in side.text


def test_miles_against_kilometers_is_a_unit_conflict(checked):
    docs, conflicts, _ = checked
    c = _with_side(conflicts, "unit", "000", "around 1,000 miles from Vladivostok")
    # each value as written, with its qualifier: "around" and "some" decide compatibility
    assert _side(c, "000", "1,000 miles").value == "around 1,000 miles"
    assert _side(c, "001", "some 1,000 kilometers from Vladivostok").value == "some 1,000 kilometers"
    assert c.summary == (
        'Distance from Vladivostok: "around 1,000 miles" (000) vs "some 1,000 kilometers" (001)'
        " (the same figure in different units)"
    )
    _assert_verbatim(docs, c)


def test_a_conversion_is_not_a_conflict(checked):
    # "127 km (79 miles)" and "79 miles (127 kilometers)" say the same distance.
    _, conflicts, _ = checked
    for c in conflicts:
        if c.kind in ("number", "unit"):
            assert not any(v in (s.value or "") for s in c.sides for v in ("127", "79"))


def test_the_summit_predicted_for_tuesday_or_wednesday_is_a_date_conflict(checked):
    docs, conflicts, _ = checked
    c = _with_side(conflicts, "date", "002", "Chosun Ilbo said Kim left Pyongyang")
    assert "Tuesday" in _side(c, "002", "Chosun Ilbo").value
    assert "Tuesday or Wednesday" in _side(c, "002", "YTN reported").value
    assert "Wednesday" in _side(c, "001", "RBK said Kim will hold a summit").value
    assert c.summary.startswith("Date of the meeting: ")
    assert 'Tuesday" (002)' in c.summary and "Tuesday or Wednesday" in c.summary
    # The report date ("KCNA said Wednesday") is not the date of the meeting.
    assert not any("KCNA" in s.text for s in c.sides)
    _assert_verbatim(docs, c)


def test_vladivostok_against_khasan_is_a_place_conflict_also_inside_one_article(checked):
    docs, conflicts, _ = checked
    c = _with_side(conflicts, "place", "000", "arrived in Russia’s Pacific coast port Vladivostok")
    assert _side(c, "000", "Pacific coast port Vladivostok").value == "Vladivostok"
    assert _side(c, "001", "train arrived at the Russian border city of Khasan").value == "Khasan"
    # 000 contradicts itself: its AP post has the arrival in Khasan.
    assert _side(c, "000", "upon his arrival in Khasan").value == "Khasan"
    # Arriving at the cosmodrome on Wednesday is another event, not a side.
    assert not any("Vostochny Cosmodrome" in s.text for s in c.sides)
    _assert_verbatim(docs, c)


def test_denied_arms_talks_against_actively_advancing_is_a_denial_conflict(checked):
    docs, conflicts, _ = checked
    c = _with_side(
        conflicts, "denial", "000", "Both countries deny they are engaging in arms negotiations"
    )
    assert "deny" in _side(c, "000", "Both countries deny").value
    assert "actively advancing" in _side(c, "003", "actively advancing").value
    assert "actively progressing" in _side(c, "002", "actively progressing").value
    assert "actively advancing" in _side(c, "000", "The White House has warned").value
    # Hedged sentences are not assertions ("would discuss potential arms deals").
    assert not any("would discuss potential arms deals" in s.text for s in c.sides)
    _assert_verbatim(docs, c)


def test_claims_on_either_side_of_a_conflict_are_contested(checked):
    _, conflicts, claims = checked
    sides = {(s.article, s.sentence) for c in conflicts for s in c.sides}
    for claim in claims:
        on_a_side = any((m.article, m.sentence) in sides for m in claim.mentions)
        assert (claim.status == "contested") == on_a_side, claim
    assert any(c.status == "contested" for c in claims)
    for c in conflicts:
        assert c.id.startswith("x-") and len(c.sides) >= 2


def test_conflicts_are_stable_and_few(checked, bundle):
    docs, conflicts, claims = checked
    _, vectors = bundle
    again, _ = check.find_conflicts(docs, claims, vectors, SETTINGS, groups=[EXAMPLE_IDS])
    assert [c.id for c in again] == [c.id for c in conflicts]
    # Low false positives: the example holds a handful of real disagreements, not dozens.
    assert 4 <= len(conflicts) <= 8


def _story(nlp, texts: dict[str, str]):
    docs = align_docs.analysed(
        [align_docs.make_article(aid, text, "2024-03-05", nlp) for aid, text in texts.items()]
    )
    return docs, embed_sentences(docs)


def test_different_numbers_in_the_same_unit_are_a_number_conflict(nlp, embedder):
    docs, vectors = _story(
        nlp,
        {
            "a": "The earthquake killed 41 people in the coastal city of Izmir, officials said.",
            "b": "The earthquake killed 38 people in the coastal city of Izmir, the governor said.",
        },
    )
    conflicts, _ = check.find_conflicts(docs, [], vectors, SETTINGS, groups=[("a", "b")])
    assert [(c.kind, [s.value for s in c.sides]) for c in conflicts] == [
        ("number", ["41 people", "38 people"])
    ]


def test_a_different_actor_for_the_same_act_is_an_actor_conflict(nlp, embedder):
    docs, vectors = _story(
        nlp,
        {
            "a": "Sergei Shoigu proposed a second visit to Russia by Kim during the July meeting in Pyongyang.",
            "b": "Dmitry Peskov proposed a second visit to Russia by Kim during the July meeting in Pyongyang.",
        },
    )
    conflicts, _ = check.find_conflicts(docs, [], vectors, SETTINGS, groups=[("a", "b")])
    assert [c.kind for c in conflicts] == ["actor"]
    assert [s.value for s in conflicts[0].sides] == ["Sergei Shoigu", "Dmitry Peskov"]


def test_no_conflict_across_two_unrelated_stories(bundle):
    docs, vectors = bundle
    groups = align.story_groups(docs, vectors, SETTINGS)
    assert len(groups) == 2
    mentions = align_docs.one_claim_per_sentence(docs)
    claims = align.align_claims(docs, mentions, vectors, [], SETTINGS, groups=groups)
    conflicts, _ = check.find_conflicts(docs, claims, vectors, SETTINGS, groups=groups)
    for c in conflicts:
        stories = {next(k for k, g in enumerate(groups) if s.article in g) for s in c.sides}
        assert len(stories) == 1, c.summary
    assert not any(s.article.startswith("dw") for c in conflicts for s in c.sides)


def test_a_single_article_keeps_the_conflict_inside_it(bundle):
    docs, vectors = bundle
    one = [docs[0]]
    mentions = align_docs.one_claim_per_sentence(one)
    claims = align.align_claims(one, mentions, vectors, [], SETTINGS, groups=[("000",)])
    conflicts, out = check.find_conflicts(one, claims, vectors, SETTINGS, groups=[("000",)])
    assert all(s.article == "000" for c in conflicts for s in c.sides)
    assert any(c.kind == "place" for c in conflicts)  # Vladivostok vs Khasan, both in 000
    assert all(c.independent_sources == 1 for c in out)


def test_nothing_in_nothing_out(bundle):
    _, vectors = bundle
    assert check.find_conflicts([], [], vectors, SETTINGS, groups=[]) == ([], [])


def test_filtering_related_pairs_as_arrays_drops_no_pair_a_rule_takes(bundle, monkeypatch):
    """find_conflicts looks for the nearest sentences of only the sentences some rule could take
    and hands its rules only the related pairs some rule could take, filtered as arrays
    (hundreds of thousands of pairs in a big story); the rules decide the same."""
    docs, vectors = bundle
    docs = docs[:5]
    syndication = align.find_syndication(docs, vectors, SETTINGS)
    claims = align.align_claims(
        docs, align_docs.mentions(docs), vectors, syndication, SETTINGS, groups=[EXAMPLE_IDS]
    )
    seen: dict[str, int] = {}
    real = check._rule_pairs

    def counted(ordered, codes, *args):
        seen["related"] = len(codes)
        out = real(ordered, codes, *args)
        seen["taken"] = len(out)
        return out

    monkeypatch.setattr(check, "_rule_pairs", counted)
    filtered = check.find_conflicts(docs, claims, vectors, SETTINGS, groups=[EXAMPLE_IDS])

    def every(ordered, codes, *args):
        n = len(ordered)
        return [(ordered[c // n], ordered[c % n]) for c in codes.tolist()]

    monkeypatch.setattr(check, "_rule_pairs", every)
    monkeypatch.setattr(check, "_wanted", lambda *args: None)  # every sentence's neighbours
    monkeypatch.setattr(check, "_deniable", lambda asserting, *args: asserting)  # every assertion
    unfiltered = check.find_conflicts(docs, claims, vectors, SETTINGS, groups=[EXAMPLE_IDS])
    assert filtered == unfiltered
    # date, denial and place rules run on the example (the actor rule: the test above)
    assert {c.kind for c in filtered[0]} >= {"date", "denial", "place"}, filtered[0]
    assert seen["taken"] < seen["related"] / 2


_WORD_SETS = st.lists(st.frozensets(st.sampled_from("abcdefgh"), max_size=6), min_size=2, max_size=30)


@settings(max_examples=60, deadline=None)
@given(_WORD_SETS, st.integers(0, 2**32 - 1))
def test_actor_pairs_by_prefix_filtering_are_every_pair_same_act_words_could_pass(sets, seed):
    """find_conflicts finds the possible-actor pairs by prefix filtering, not over all pairs (a
    big story has thousands of possible actors): none that same_act_words passes is missed,
    and none is kept that it could not pass (with the cosine margin either side)."""
    keys = tuple((f"a{i:02d}", 0) for i in range(len(sets)))  # in key order
    # 3 dimensions: cosines spread over [-1, 1], across the rule's two similarity bars
    matrix = np.random.default_rng(seed).normal(size=(len(keys), 3)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = SentenceVectors(keys=keys, matrix=matrix)
    acting = dict(zip(keys, sets, strict=True))
    found = check._actor_pairs(vectors, acting)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            cosine = float(vectors[x] @ vectors[y])
            if check.same_act_words(acting[x], acting[y], cosine):
                assert (x, y) in found, (acting[x], acting[y], cosine)
            could = any(
                check.same_act_words(acting[x], acting[y], cosine + d)
                for d in (-FLOAT32_MARGIN, FLOAT32_MARGIN)
            )
            assert could or (x, y) not in found, (acting[x], acting[y], cosine)
