"""check: one rule per test, on small constructed stories (two or three articles of one event).

Each story goes through the real analyse stage (spaCy, quantities, dates) and the real check
stage; a test asserts what a reader would see: a conflict with its kind and sides, or none.
"""

from __future__ import annotations

from helpers import SETTINGS, align_docs

from storyline import check
from storyline.analyse.embed import embed_sentences


def conflicts_of(nlp, texts: dict[str, str], published: str = "2024-03-05"):
    docs = align_docs.analysed(
        [align_docs.make_article(aid, text, published, nlp) for aid, text in texts.items()]
    )
    vectors = embed_sentences(docs)
    found, _ = check.find_conflicts(docs, [], vectors, SETTINGS, groups=[tuple(texts)])
    return found


def values(conflict) -> list[tuple[str, str | None]]:
    return [(s.article, s.value) for s in conflict.sides]


def test_compatible_qualifiers_are_no_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "The earthquake on Sunday killed at least 10 people in the coastal province, officials said.",
            "b": "The earthquake on Sunday killed 10 people in the coastal province, the governor said.",
            "c": "The island, home to more than 100,000 people, was hit hardest by the earthquake.",
            "d": "The island, home to 120,000 people, was hit hardest by the earthquake.",
        },
    )
    assert found == []


def test_an_early_toll_against_a_later_one_is_a_number_conflict_shown_with_its_date(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "A powerful earthquake hit the region, killing at least three people, according to early reports.",
            "b": "A powerful earthquake hit the region on Sunday, killing 10 people and injuring 80.",
        },
    )
    assert [(c.kind, values(c)) for c in found] == [
        ("number", [("a", "at least three people"), ("b", "10 people")])
    ]
    assert found[0].summary.startswith("People killed: ")
    assert "as of 2024-03-05" in found[0].summary


def test_a_conversion_in_brackets_is_one_value(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "The epicentre was about 58km (36 miles) south-west of Bandar Abbas, the survey said.",
            "b": "The survey said the epicentre was 35 miles southwest of Bandar Abbas.",
        },
    )
    assert found == []


def test_the_same_figure_in_another_unit_is_a_unit_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "On Friday, 36-year-old Duncan Rait died after slipping and falling 200 metres from a ridge.",
            "b": "Duncan Rait, 36, died on Friday after slipping and falling 200 feet from a ridge.",
        },
    )
    assert [(c.kind, values(c)) for c in found] == [("unit", [("a", "200 metres"), ("b", "200 feet")])]


def test_one_amount_in_several_currencies_agrees_and_a_different_amount_does_not(nlp, embedder):
    texts = {
        "a": "Armed robbers stole diamonds valued at 85 million euros ($108 million) from the store.",
        "b": "Armed robbers stole gems worth 85 million euros (74 million pounds) from the store.",
        "c": "Armed robbers snatched $108 million worth of diamond rings and watches from the store.",
    }
    assert conflicts_of(nlp, texts) == []
    texts["d"] = "Four armed robbers made off with $137 million of diamonds and jewels from the store."
    found = conflicts_of(nlp, texts)
    assert len(found) == 1 and found[0].kind == "number"
    assert ("d", "$137 million") in values(found[0])


def test_a_denial_against_an_assertion_is_a_denial_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "A man has denied arson following a fire at a supermarket on Sunday.",
            "b": "A man has been charged with arson after a fire at the supermarket.",
        },
    )
    assert [c.kind for c in found] == ["denial"]
    assert [s.article for s in found[0].sides] == ["a", "b"]
    assert "denied arson" in found[0].sides[0].value


def test_a_refusal_is_not_a_denial(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "He has been denied bail and will appear in court on Tuesday.",
            "b": "He was ordered held on $200,000 bail and will appear in court on Tuesday.",
        },
    )
    assert found == []


def test_no_casualties_against_a_toll_is_a_denial_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "The army said no one was killed when the mortar rounds hit the school on Monday.",
            "b": "Twelve people were killed when the mortar rounds hit the school on Monday.",
        },
    )
    assert [c.kind for c in found] == ["denial"]
    assert {s.article for s in found[0].sides} == {"a", "b"}


def test_figures_of_different_events_are_not_compared(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "The earthquake killed 10 people on Sunday. "
            "In December 2003, a quake killed more than 26,000 people in the city of Bam.",
            "b": "The earthquake on Sunday killed 10 people. "
            "Paris also saw another robbery on Sunday night, when thieves escaped with 60,000 euros.",
            "c": "Thieves made off with jewellery worth 2 million euros on Monday.",
            "d": "Jewellery worth 2 million euros was stolen on Monday.",
        },
    )
    assert found == []


def test_two_people_s_falls_are_two_facts_and_one_person_s_two_ages_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "On Friday, 36-year-old Duncan Rait fell about 60m from a ridge. "
            "On Saturday, 32-year-old Robert Buckley fell about 600m while climbing.",
            "b": "A 36-year-old Australian climber died after falling about 60 metres. "
            "Robert Buckley, 32, fell about 2,000 feet while climbing to a hut.",
            "c": "The day after, 31-year-old Robert Buckley slipped and fell 600 meters to his death.",
        },
    )
    assert [(c.kind, c.summary.split(":")[0]) for c in found] == [("number", "Age (Buckley)")]
    assert ("c", "31-year") in values(found[0])


def test_two_weekdays_for_one_event_are_a_date_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "An Indian warship foiled a pirate attack on merchant vessels in the Gulf of Aden on Friday.",
            "b": "The Indian Navy on Thursday thwarted a pirate attack on merchant vessels in the Gulf of Aden.",
            "c": "The Indian Navy yesterday thwarted a pirate attack on merchant vessels in the Gulf of Aden.",
        },
        published="2011-11-11",
    )
    assert [(c.kind, values(c)) for c in found] == [("date", [("a", "on Friday"), ("b", "on Thursday")])]


def test_a_colour_a_charge_and_a_home_are_categorical_facts(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "Raj Chohan, 59, of College Point, was hit by a silver Toyota Camry on Friday. "
            "The driver has been charged in her murder, police said.",
            "b": "Raj Chohan, who lived in South Ozone Park, was struck by a gray Toyota Camry on Friday. "
            "The driver was charged with vehicular manslaughter.",
            "c": "Chohan was struck by a grey 2013 Toyota Camry heading north on 117th Street.",
        },
    )
    summaries = sorted(c.summary.split(":")[0].split(" (")[0] for c in found)
    assert summaries == ["Colour of the camry", "The charge", "Where they live"]
    colour = next(c for c in found if c.summary.startswith("Colour"))
    assert colour.kind == "other"
    assert {v for _, v in values(colour)} == {"silver", "gray", "grey"}
    assert next(c for c in found if c.summary.startswith("Where")).kind == "place"


def test_intact_against_destroyed_is_an_other_conflict(nlp, embedder):
    found = conflicts_of(
        nlp,
        {
            "a": "The main area of the supermarket was left largely intact with only smoke damage.",
            "b": "A man has been charged after a fire that devastated the supermarket on Sunday.",
        },
    )
    assert [(c.kind, values(c)) for c in found] == [("other", [("a", "intact"), ("b", "devastated")])]


def test_a_name_is_a_speaker_as_subject_of_a_reporting_verb_or_after_according_to(nlp) -> None:
    """Speakers are not who a sentence is about; the words before the name come from the text."""
    from storyline.check.events import _is_speaker

    def speaker(text: str, name: str) -> bool:
        start = text.index(name)
        return _is_speaker(nlp(text), text, start, start + len(name))

    assert speaker("Gaskin said the climbers had reached the summit.", "Gaskin")
    assert speaker("The climbers reached the summit, according to Gaskin.", "Gaskin")
    assert not speaker("Gaskin reached the summit on Monday.", "Gaskin")
    assert not speaker("Rescuers found Gaskin near the summit, police said.", "Gaskin")
