"""Dates across a story: tense, yearless dates, page dates against the text, copies, forecasts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyline.analyse.consistency import harmonise
from storyline.analyse.dating import reconcile
from storyline.analyse.temporal import find_times, is_future
from storyline.models import AnalysedArticle, Article, Removed, Sentence
from storyline.settings import Settings
from storyline.timeline import build_timeline


def values(text: str, anchor: str) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in find_times(text, anchor)]


# --- yearless dates take the year their tense points to -------------------------------------


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # future: the first such day on or after the page date
        ("The trial is set for Nov. 8, officials said.", "2013-09-20", ("Nov. 8", "2013-11-08")),
        ("The hearing was scheduled for Jan. 4.", "2013-12-20", ("Jan. 4", "2014-01-04")),
        (
            "He was remanded in custody to appear before the Crown Court on 19 August.",
            "2013-07-23",
            ("on 19 August", "2013-08-19"),
        ),
        ("On Oct. 2, he will appear in court again.", "2013-09-19", ("On Oct. 2", "2013-10-02")),
        # past: the latest such day on or before it
        ("Police said the robbery happened on Nov. 8.", "2013-09-20", ("on Nov. 8", "2012-11-08")),
        ("In February, a quake hit the town.", "2005-11-28", ("In February", "2005-02")),
        # a cause is no schedule: "due to low light" is not "due to appear"
        (
            "Rescuers could not reach him due to low light levels on Saturday.",
            "2013-09-15",
            ("on Saturday", "2013-09-14"),
        ),
        # an attributive date of a past event is past even when the sentence goes on in the future
        (
            "Months after the April 20 explosion, experts will still study the damage.",
            "2010-06-24",
            ("April 20", "2010-04-20"),
        ),
    ],
)
def test_a_yearless_date_follows_its_tense(
    text: str, anchor: str, expected: tuple[str, str]
) -> None:
    assert expected in values(text, anchor)


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        (
            "He killed a woman in Queens last night, police said.",
            "2013-09-14",
            ("last night", "2013-09-13"),
        ),
        (
            "Police said yesterday the driver was drunk.",
            "2013-09-14",
            ("yesterday", "2013-09-13"),
        ),
        (
            "Shoppers were unaware of the fire at the weekend.",
            "2013-07-22",
            ("at the weekend", "2013-07"),
        ),
        (
            "The conviction stemmed from a 1999 incident in Houston.",
            "2009-12-01",
            ("a 1999", "1999"),
        ),
    ],
)
def test_day_words_weekends_and_adjectival_years(
    text: str, anchor: str, expected: tuple[str, str]
) -> None:
    assert expected in values(text, anchor)


def test_a_day_relative_to_an_event_is_not_relative_to_the_page() -> None:
    # "the day before Buckley's death" is not the day before the page was written
    assert values("The day before Buckley's death another climber died.", "2013-09-16") == []
    assert values("A model year is no date: a gray 2013 Toyota Camry.", "2013-09-14") == []


@pytest.mark.parametrize(
    "text",
    [
        "Snow is forecast for Friday night across the region.",
        "Forecasters expect the storm to arrive Friday night.",
        "A flood warning is in place for Friday night.",
    ],
)
def test_a_forecast_is_future(text: str) -> None:
    start = text.index("Friday")
    assert is_future(text, start, start + len("Friday night"))
    # a Wednesday page: the coming Friday, never the one before
    assert ("Friday night", "2013-09-20") in values(text, "2013-09-18")


# --- page dates across a story ----------------------------------------------------------------


def _page(aid: str, published: str | None, evidence: str | None, **kw: object) -> Article:
    return Article(id=aid, text="x", published=published, published_evidence=evidence, **kw)  # type: ignore[arg-type]


def test_a_yearless_dateline_takes_the_year_of_the_story() -> None:
    dated = _page("a", "2011-11-11", 'page header date "November 11, 2011"')
    wire = _page(
        "b",
        None,
        'dateline "Mumbai, Nov 11" has no year',
        removed=(Removed("Mumbai, Nov 11 -", "date line"),),
    )
    out = reconcile(
        [dated, wire],
        [[("The navy foiled an attack on Thursday.", None)], [("It happened yesterday.", None)]],
    )
    assert out[1].published == "2011-11-11"
    assert 'dateline "Mumbai, Nov 11" without a year; 2011' in (out[1].published_evidence or "")


def test_a_follow_up_keeps_its_own_date_line_far_from_the_others() -> None:
    first = _page("a", "2009-11-30", 'page header date "November 30, 2009"')
    later = _page(
        "b", "2010-01-12", 'page date line "12 January 2010 @ 09:29 pm" (given as the title)'
    )
    out = reconcile(
        [first, later],
        [[("He escaped Monday.", None)], [("Leadership changes were announced Tuesday.", None)]],
    )
    assert out[1].published == "2010-01-12"  # a page of its own, not a copy: its date stands


def test_a_republished_copy_far_from_the_others_is_dated_by_its_text() -> None:
    first = _page("a", "2023-09-11", 'page header date "September 11, 2023"')
    copy = _page(
        "b",
        "2023-09-29",
        'page header date "September 29, 2023"',
        removed=(Removed("SEOUL (Reuters)", "dateline"),),
    )
    out = reconcile(
        [first, copy],
        [[("Kim left late Sunday.", None)], [("The two countries confirmed on Monday.", None)]],
    )
    assert out[1].published == "2023-09-11"
    assert "2023-09-29" in (out[1].published_evidence or "")


def test_no_date_in_the_story_means_no_date_borrowed_from_the_text() -> None:
    undated = _page("a", None, "no date found in the text")
    out = reconcile(
        [undated], [[("In a charge sheet dated May 1, 2005, police said he fled on Monday.", None)]]
    )
    assert out[0].published is None
    assert out[0].published_evidence == "no date found in the text"


def test_a_page_dated_the_day_before_its_text_moves_on_a_day() -> None:
    page = _page("a", "2009-11-30", 'page header date "November 30, 2009"')  # a Monday
    out = reconcile(
        [page],
        [
            [
                ("The agency found itself on the defensive again Tuesday.", None),
                ("He escaped Monday morning.", None),
            ]
        ],
    )
    assert out[0].published == "2009-12-01"
    assert "day before" in (out[0].published_evidence or "")


def test_an_undated_page_goes_where_the_story_was_covered() -> None:
    pages = [_page(str(i), "2009-11-30", 'page header date "November 30, 2009"') for i in range(3)]
    pages.append(_page("late", "2009-12-07", 'page header date "December 7, 2009"'))
    pages.append(_page("undated", None, "no date found in the text"))
    texts = [[("He escaped Monday.", None)]] * 4 + [
        [("He escaped, a prison statement said Monday.", None)]
    ]
    out = reconcile(pages, texts)
    # two Mondays in the story's span; most of its coverage is on the first
    assert out[-1].published == "2009-11-30"


# --- one calendar per story --------------------------------------------------------------------


def _doc(aid: str, published: str, *sentences: str) -> AnalysedArticle:
    article = Article(id=aid, text="\n".join(sentences), published=published)
    out, pos = [], 0
    for i, text in enumerate(sentences):
        out.append(
            Sentence(aid, i, text, pos, pos + len(text), times=tuple(find_times(text, published)))
        )
        pos += len(text) + 1
    return AnalysedArticle(article, tuple(out))


def test_one_yearless_day_is_one_date_in_the_story() -> None:
    before = _doc("a", "2013-04-05", "The vote on April 9 was the first of its kind in the region.")
    after = _doc("b", "2013-04-10", "Lawmakers voted on April 9 to approve the plan.")
    assert before.sentences[0].times[0].value == "2012-04-09"  # alone, the tense rule errs
    out = harmonise([before, after])
    assert {d.sentences[0].times[0].value for d in out} == {"2013-04-09"}


def test_yesterday_in_copied_text_keeps_the_date_of_the_page_it_was_copied_from() -> None:
    shared = (
        "A rescue helicopter from Christchurch was called about 11am to the Tasman Saddle area.",
        "When it got there the man had been taken to Mt Cook Village by a ski plane operator.",
    )
    first = _doc(
        "a",
        "2013-09-14",
        "A 36-year-old Australian climber is dead after falling about 150 metres at Mount Cook.",
        *shared,
    )
    update = _doc(
        "b",
        "2013-09-15",
        "Yesterday, a 36-year-old Australian climber died after falling about 150 metres at Mount Cook.",
        *shared,
    )
    out = harmonise([first, update])
    (yesterday,) = out[1].sentences[0].times
    assert (yesterday.value, yesterday.anchor) == ("2013-09-13", "2013-09-14")
    # a page that shares no copied text keeps its own "yesterday"
    alone = harmonise([first, _doc("c", "2013-09-15", update.sentences[0].text)])
    assert alone[1].sentences[0].times[0].value == "2013-09-14"


# --- the timeline --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forecast_timeline(embedder) -> list:  # type: ignore[no-untyped-def]
    docs = [
        _doc(
            "w",
            "2013-09-18",
            "Heavy snow is forecast for Friday night across the northern hills, forecasters said.",
            "The storm killed two people in the valley on Monday, police said on Tuesday.",
        )
    ]
    return build_timeline(docs, Settings(progress=False))


def test_a_forecast_is_a_prediction_in_the_timeline(forecast_timeline) -> None:  # type: ignore[no-untyped-def]
    friday = [e for e in forecast_timeline if e.date == "2013-09-20"]
    assert friday and all(e.status == "predicted" for e in friday)
    assert not any(e.date == "2013-09-13" for e in forecast_timeline)  # not the Friday before


def test_a_sentence_with_two_dates_shows_each_its_own_clause(forecast_timeline) -> None:  # type: ignore[no-untyped-def]
    by_date = {e.date: e for e in forecast_timeline}
    monday, tuesday = by_date["2013-09-16"], by_date["2013-09-17"]
    assert monday.text != tuesday.text
    assert "Monday" in monday.text and "Tuesday" not in monday.text


def test_evidence_leads_with_the_sentence_that_dates_the_event(embedder) -> None:  # type: ignore[no-untyped-def]
    docs = [
        _doc(
            "a",
            "2011-11-11",
            "The navy foiled a pirate attack on Thursday and said it had patrolled since September.",
        ),
        _doc(
            "b",
            "2011-11-12",
            "An Indian warship foiled a pirate attack in the Gulf of Aden on Thursday.",
        ),
    ]
    events = build_timeline(docs, Settings(progress=False))
    thursday = next(e for e in events if e.date == "2011-11-10")
    assert thursday.evidence[0].article == "b"  # b's sentence dates nothing else
    assert thursday.articles == tuple(dict.fromkeys(x.article for x in thursday.evidence))


def test_dates_in_other_articles_do_not_change_a_lone_sentence() -> None:
    lone = _doc("a", "2013-07-22", "Staff are today turning away customers.")
    assert harmonise([lone])[0] == lone
    assert replace(lone) == lone
