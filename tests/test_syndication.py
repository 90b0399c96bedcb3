"""Syndication on constructed articles: rewrites of one wire story are found, articles that only
quote the same spokesman or relay the same statement are not (issue 8, item 6)."""

from __future__ import annotations

import pytest
from helpers import SETTINGS, align_docs

from storyline import align
from storyline.analyse.embed import embed_sentences
from storyline.models import Sentence

WIRE = """Bridge collapse kills four in Eldham
A road bridge collapsed in the river town of Eldham on Tuesday evening, killing four people and injuring at least 17, local officials said.
The 40-metre span gave way at about 6.30pm as rush-hour traffic crossed it, sending three cars and a delivery van into the water below.
Rescue divers worked through the night in strong currents and recovered the last of the bodies shortly before dawn on Wednesday.
"We heard a noise like thunder and then the whole deck just folded," said Maria Keller, who runs a cafe beside the bridge.
The bridge, built in 1968, had been due for a full inspection next spring after engineers reported cracks in two of its supports last year.
Regional transport minister Tomas Brandt said an independent inquiry would examine whether the repairs had been delayed to save money.
"Every family that lost someone tonight deserves a full and honest answer, and they will get one," Brandt told reporters at the scene.
Traffic between the two halves of the town is being diverted over a temporary crossing downstream.
"""

# The same wire story retold: the facts and the quotes, hardly a narrative sentence verbatim.
REWRITE = """Four dead as Eldham bridge gives way
Four people died and at least 17 were hurt when a road bridge collapsed on Tuesday evening in the river town of Eldham, officials said.
The 40-metre span gave way at around 6.30pm during rush hour, plunging three cars and a delivery van into the water.
Divers searched through the night against strong currents, recovering the final bodies just before dawn on Wednesday.
"We heard a noise like thunder and then the whole deck just folded," said Maria Keller, who runs a cafe beside the bridge.
Built in 1968, the bridge was due for a full inspection next spring after engineers found cracks in two of its supports last year.
"Every family that lost someone tonight deserves a full and honest answer, and they will get one," Brandt told reporters at the scene.
"""

# Its own report of the same event that quotes the same minister word for word.
OWN_REPORT = """Eldham mourns after river disaster
Emergency crews in Eldham spent Wednesday searching the river after the bridge disaster, which left four people dead.
Witnesses described cars sliding off the broken road surface as the structure buckled during the evening rush.
"Every family that lost someone tonight deserves a full and honest answer, and they will get one," Brandt told reporters at the scene.
Local councillors had raised concerns about the condition of the crossing at a public meeting in March.
The town's mayor asked residents to stay away from the riverbank while the search goes on.
"""

# Its own report that prints one narrative sentence of the wire exactly, and a stock phrase.
ONE_SENTENCE = """Eldham bridge: what we know
The town of Eldham lies on both banks of a wide river and relies on two crossings for its traffic.
The 40-metre span gave way at about 6.30pm as rush-hour traffic crossed it, sending three cars and a delivery van into the water below.
Engineers from the national roads agency arrived on Wednesday to examine what is left of the structure.
Families of the victims gathered at the town hall in the afternoon.
"""

# Another agency's story: two facts told much as the wire tells them, the rest its own.
AGENCY = """Inquiry ordered into Eldham bridge
Four people died and at least 17 were hurt when a road bridge collapsed on Tuesday evening in the river town of Eldham, officials said.
Divers searched through the night against strong currents, recovering the final bodies just before dawn on Wednesday.
The government has ordered a review of every bridge of the same design built in the late 1960s.
Opposition members said maintenance budgets for rural roads had been cut three years in a row.
Insurers expect claims from shops near the river that were flooded with debris.
"""

STOCK = """Eldham bridge: families wait for news
The town of Eldham lies on both banks of a wide river and relies on two crossings for its traffic.
The victims were taken to hospital.
Engineers from the national roads agency arrived on Wednesday to examine what is left of the structure.
Families of the victims gathered at the town hall in the afternoon.
"""
STOCK_WIRE = WIRE + "The victims were taken to hospital.\n"


@pytest.fixture(scope="module")
def articles(nlp, embedder):
    made = [
        align_docs.make_article(name, text, "2024-05-01", nlp)
        for name, text in (
            ("wire", WIRE),
            ("rewrite", REWRITE),
            ("own", OWN_REPORT),
            ("one", ONE_SENTENCE),
            ("stock", STOCK),
            ("stockwire", STOCK_WIRE),
            ("wirecopy", WIRE),
            ("agency", AGENCY),
            ("agencycopy", AGENCY),
        )
    ]
    docs = {d.article.id: d for d in align_docs.analysed(made)}
    return docs, embed_sentences(list(docs.values()))


def _groups(articles, *ids):
    docs, _ = articles
    chosen = [docs[i] for i in ids]
    return align.find_syndication(chosen, embed_sentences(chosen), SETTINGS)


def test_a_rewrite_sharing_facts_and_quotes_in_changed_wording_is_syndication(articles):
    groups = _groups(articles, "wire", "rewrite", "own")
    assert [g.articles for g in groups] == [("wire", "rewrite")]
    assert groups[0].kind == "rewrite"
    assert groups[0].shared_sentences >= 5


def test_a_shared_quotation_of_a_spokesman_is_not_syndication(articles):
    assert _groups(articles, "wire", "own") == []
    assert _groups(articles, "rewrite", "own") == []


def test_one_exact_narrative_sentence_is_copy_but_a_stock_phrase_is_not(articles):
    assert [g.articles for g in _groups(articles, "wire", "one")] == [("wire", "one")]
    assert _groups(articles, "stockwire", "stock") == []


def test_copies_of_one_story_are_grouped_through_it(articles):
    # "rewrite" and "one" share nothing with each other, but both carry the wire's copy
    groups = _groups(articles, "wire", "rewrite", "one", "own")
    assert [g.articles for g in groups] == [("wire", "rewrite", "one")]


def test_two_stories_telling_the_same_facts_are_not_chained_into_one_group(articles):
    # two paraphrased facts are no copy: the wire's copies and the agency's stay two groups
    groups = _groups(articles, "wire", "wirecopy", "agency", "agencycopy")
    assert [(g.articles, g.kind) for g in groups] == [
        (("wire", "wirecopy"), "copy"),
        (("agency", "agencycopy"), "copy"),
    ]


def test_a_verbatim_copy_is_found_when_a_name_becomes_a_pronoun(nlp, embedder):
    a = align_docs.make_article(
        "a",
        "Comeaux was in prison after being convicted of aggravated sexual assault of a child "
        "and aggravated assault with a deadly weapon.\n",
        None,
        nlp,
    )
    b = align_docs.make_article(
        "b",
        "He was in prison after being convicted of aggravated sexual assault of a child and "
        "aggravated assault with a deadly weapon.\n",
        None,
        nlp,
    )
    docs = align_docs.analysed([a, b])
    vectors = embed_sentences(docs)
    (pair,) = align.shared_pairs(docs[0], docs[1], vectors, SETTINGS)
    assert pair.verbatim and pair.framing == "narrative"


def _sentences(*texts: str) -> list[Sentence]:
    return [Sentence("x", i, t, 0, len(t)) for i, t in enumerate(texts)]


def test_quotations_are_followed_across_sentences():
    masks = align._quotation_masks(
        _sentences(
            '"While two of the skiffs got away, the crew boarded the rest.',
            '"The three boats had a total of 26 crew on board.',
            'Six rifles were found and confiscated," the officer said.',
            "The navy said it was the fifth such operation.",
            'The U.S. Marshals added him to their " 15 Most Wanted " list.',
            "He was caught a week later.",
        )
    )
    assert all(masks[0]) and all(masks[1])
    assert all(masks[2][:6]) and not any(masks[2][-3:])  # "the officer said" is outside
    assert not any(masks[3])
    assert not any(masks[5])  # one odd pair of marks does not quote the rest of the article


def test_a_statement_relayed_by_one_outlet_and_printed_by_another_is_weak_evidence(nlp, embedder):
    statement = (
        "This is the fifth successful anti-piracy operation conducted by the frigate in the "
        "course of her patrol mission in the Gulf of Aden that began in September"
    )
    a = align_docs.make_article("a", f"{statement}, the Navy said.\n", None, nlp)
    b = align_docs.make_article("b", f"{statement}.\n", None, nlp)
    c = align_docs.make_article("c", f"{statement}.\n", None, nlp)
    docs = align_docs.analysed([a, b, c])
    vectors = embed_sentences(docs)
    (relayed,) = align.shared_pairs(docs[0], docs[1], vectors, SETTINGS)
    assert relayed.framing == "relayed" and relayed.weight < 1
    (own,) = align.shared_pairs(docs[1], docs[2], vectors, SETTINGS)
    assert own.framing == "narrative" and own.weight >= align.LINK_EVIDENCE


@pytest.mark.parametrize(
    "text, relayed",
    [
        ("This is the fifth such operation, the Navy said.", True),
        ("The skiffs fled, said Captain Manohar Nambiar, chief spokesman.", True),
        ("The area was not heavily developed, he told reporters.", True),
        ("Kim arrived on Tuesday, according to state media.", True),
        ("According to Texas authorities, the conviction stemmed from a 1999 attack.", True),
        ("The temple is in Queens, New York.", False),
        ("Prices rose, and traders sold, then bought again.", False),
    ],
)
def test_a_relayed_statement_is_told_by_its_attribution(text, relayed):
    assert align.attributed(text) is relayed
    # a long run of commas is no trap for the check (it once took seconds a sentence)
    assert align.attributed("a, " * 5000 + "b.") is False
