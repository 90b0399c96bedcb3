"""link: entity mentions of the example story merged into people, organisations and places."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import analyse_with_spacy

from storyline.link import link_entities, name_key, names_compatible, strip_title, typo_variants
from storyline.models import AnalysedArticle, Article, Entity, Mention, Sentence


@pytest.fixture(scope="module")
def entities(example_dir: Path, nlp) -> list[Entity]:
    return link_entities(analyse_with_spacy(sorted(example_dir.glob("*.txt")), nlp))


def holding(entities: list[Entity], alias: str) -> list[Entity]:
    return [e for e in entities if alias in e.aliases]


def test_kim_jong_un_variants_merge_into_one_person(entities):
    (kim,) = holding(entities, "Kim Jong Un")
    assert kim.name == "Kim Jong Un" and kim.type == "PERSON"
    for alias in ("Kim Jong-un", "Mr Kim", "Mr. Kim", "Kim", "Kim Yong Un"):
        assert alias in kim.aliases, alias
    assert kim.id == "e-kim-jong-un"


def test_kim_jong_il_and_namesakes_stay_apart(entities):
    (kim,) = holding(entities, "Kim Jong Un")
    for other in ("Kim Jong-il", "Jack Kim", "Jo Chun Ryong", "Jo Min Park"):
        assert other not in kim.aliases
        (entity,) = holding(entities, other)
        assert entity.id != kim.id
    (jo,) = holding(entities, "Jo Chun Ryong")
    assert "Jo Min Park" not in jo.aliases


def test_putin_and_shoigu_merge_without_titles(entities):
    (putin,) = holding(entities, "Vladimir Putin")
    assert putin.name == "Vladimir Putin"
    for alias in ("Mr. Putin", "Mr Putin", "President Putin", "Putin"):
        assert alias in putin.aliases, alias
    (shoigu,) = holding(entities, "Sergei Shoigu")
    assert shoigu.name == "Sergei Shoigu"
    for alias in ("Sergey Shoigu", "Gen. Shoigu", "Shoigu"):
        assert alias in shoigu.aliases, alias


def test_descriptions_become_mentions_of_the_leader(entities):
    (kim,) = holding(entities, "Kim Jong Un")
    texts = {m.text for m in kim.mentions}
    assert "the North Korean leader" in texts
    assert "The leader of North Korea" in texts
    assert "the North Korean leader" not in kim.aliases  # a description, not a name
    (putin,) = holding(entities, "Vladimir Putin")
    assert not {m.text for m in putin.mentions} & {
        "the North Korean leader",
        "The leader of North Korea",
    }


def test_states_merge_cities_do_not(entities):
    (nk,) = holding(entities, "North Korea")
    assert "DPRK" in nk.aliases and nk.type == "GPE"
    (pyongyang,) = holding(entities, "Pyongyang")
    assert pyongyang.id != nk.id and pyongyang.name == "Pyongyang"


def test_names_are_clean_ids_unique_and_sorted(entities):
    assert all(any(c.isupper() for c in e.name) for e in entities)
    assert all(
        not e.name.startswith(("Mr", "President ", "Gen.", "Comrade", "the ")) for e in entities
    )
    ids = [e.id for e in entities]
    assert len(ids) == len(set(ids)) and all(i.startswith("e-") for i in ids)
    counts = [len(e.mentions) for e in entities]
    assert counts == sorted(counts, reverse=True)
    assert entities[0].name in ("Kim Jong Un", "Russia", "North Korea", "Vladimir Putin")


def _doc(article: str, *sentences: tuple[str, list[tuple[str, str]]]) -> AnalysedArticle:
    out = []
    for i, (text, names) in enumerate(sentences):
        mentions = tuple(
            Mention(n, label, text.index(n), text.index(n) + len(n)) for n, label in names
        )
        out.append(Sentence(article, i, text, 0, len(text), entities=mentions))
    return AnalysedArticle(Article(article, " ".join(t for t, _ in sentences)), tuple(out))


def test_a_surname_is_not_guessed_when_the_article_is_ambiguous():
    docs = [
        _doc(
            "a",
            ("Kim Jong Un met Jack Kim.", [("Kim Jong Un", "PERSON"), ("Jack Kim", "PERSON")]),
            ("Kim left early.", [("Kim", "PERSON")]),
        )
    ]
    entities = link_entities(docs)
    assert len(holding(entities, "Kim")) == 1
    (kim,) = holding(entities, "Kim")
    assert "Kim Jong Un" not in kim.aliases and "Jack Kim" not in kim.aliases


def test_a_surname_joins_the_one_full_name_of_its_article():
    docs = [
        _doc(
            "a",
            ("Kim Jong Un arrived.", [("Kim Jong Un", "PERSON")]),
            ("Mr Kim waved.", [("Kim", "PERSON")]),
        ),
        _doc(
            "b",
            ("Reporting by Jack Kim.", [("Jack Kim", "PERSON")]),
            ("Kim wrote it.", [("Kim", "PERSON")]),
        ),
    ]
    entities = link_entities(docs)
    (un,) = holding(entities, "Kim Jong Un")
    assert "Mr Kim" in un.aliases and {m.article for m in un.mentions} == {"a"}
    (jack,) = holding(entities, "Jack Kim")
    assert {m.article for m in jack.mentions} == {"b"} and len(jack.mentions) == 2


def test_name_rules():
    assert strip_title("Defense Minister Sergei Shoigu") == "Sergei Shoigu"
    assert strip_title("Russian President Vladimir Putin") == "Vladimir Putin"
    assert strip_title("Gen. Shoigu") == "Shoigu"
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un")
    assert typo_variants(name_key("Kim Yong Un"), name_key("Kim Jong Un"))
    assert typo_variants(name_key("Sergey Shoigu"), name_key("Sergei Shoigu"))
    assert not typo_variants(name_key("Kim Jong-il"), name_key("Kim Jong Un"))
    assert not typo_variants(name_key("Jo Chun Ryong"), name_key("Jo Min Park"))
    assert names_compatible("Mr. Putin", "Vladimir Putin")
    assert names_compatible("the DPRK", "North Korea")
    assert not names_compatible("Kim Jong-il", "Kim Jong Un")


def test_with_the_pipeline_stages_before_link(example_dir):
    """The same merges on the output of ingest, clean and analyse."""
    from storyline.analyse import analyse
    from storyline.ingest import read_inputs
    from storyline.pipeline import clean_articles
    from storyline.settings import Settings

    settings = Settings(progress=False)
    articles, _ = clean_articles(read_inputs([str(example_dir)], settings).articles, settings)
    entities = link_entities(analyse(articles, settings))
    (kim,) = holding(entities, "Kim Jong Un")
    assert {"Kim Jong-un", "Mr Kim", "Kim Yong Un"} <= set(kim.aliases)
    assert "Kim Jong-il" not in kim.aliases and holding(entities, "Kim Jong-il")
    (shoigu,) = holding(entities, "Sergei Shoigu")
    assert {"Sergey Shoigu", "Gen. Shoigu"} <= set(shoigu.aliases)
    (vladivostok,) = holding(entities, "Vladivostok")
    assert vladivostok.type == "GPE"  # spaCy calls it a PERSON more often than not
    people = [e for e in entities if e.type == "PERSON"]
    assert len({e.id for e in people}) == len(people)


def test_acronyms_join_their_organisation(entities):
    (kcna,) = holding(entities, "KCNA")
    assert kcna.name == "Korean Central News Agency"
    (house,) = holding(entities, "White House")
    assert "the White House" not in house.aliases  # "the" is not part of the name
