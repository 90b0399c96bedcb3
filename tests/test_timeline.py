"""timeline: the example's key events, merged across articles, with predictions kept apart."""

from __future__ import annotations

import pytest
from test_analyse import example_articles

from storyline.analyse import analyse
from storyline.models import AnalysedArticle, TimelineEvent
from storyline.settings import Settings
from storyline.timeline import build_timeline, clause_around


@pytest.fixture(scope="module")
def story() -> tuple[list[AnalysedArticle], list[TimelineEvent]]:
    docs = analyse(example_articles(), Settings())
    return docs, build_timeline(docs, Settings())


def _sentences(docs: list[AnalysedArticle], event: TimelineEvent) -> list[str]:
    by_id = {d.article.id: d for d in docs}
    return [by_id[e.article].sentences[e.sentence].text for e in event.evidence]


def _find(docs, events, date: str, status: str, word: str) -> TimelineEvent:  # type: ignore[no-untyped-def]
    hits = [
        e
        for e in events
        if e.date == date and e.status == status and any(word in s for s in _sentences(docs, e))
    ]
    assert hits, f"no {status} event on {date} citing a sentence with {word!r}"
    return hits[0]


def test_the_first_summit_in_vladivostok_is_dated_from_the_captions(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    summit = _find(docs, events, "2019-04-25", "occurred", "Vladivostok")
    assert len(summit.articles) >= 3  # merged across outlets
    assert all("2019" in e.expression for e in summit.evidence)


def test_kim_leaves_pyongyang_on_sunday_september_10(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    left = _find(docs, events, "2023-09-10", "occurred", "left")
    assert set(left.articles) == {
        "002",
        "004",
    }  # "late Sunday" (Reuters copy) and "Sunday afternoon"


def test_kim_arrives_at_khasan_on_september_12(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    arrival = _find(docs, events, "2023-09-12", "occurred", "Khasan")
    assert len(arrival.articles) >= 2
    assert (
        "004" in arrival.articles
    )  # "crossed into Russia on Tuesday" (an article with no page date)


def test_summit_at_the_cosmodrome_on_september_13(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    summit = _find(docs, events, "2023-09-13", "occurred", "Vostochny")
    assert len(summit.articles) >= 2


def test_predictions_are_kept_apart_from_what_happened(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    predicted = [e for e in events if e.status == "predicted"]
    assert predicted
    # "the summit will likely be held on Tuesday or Wednesday" (written on Monday 2023-09-11)
    summit = _find(docs, events, "2023-09-13", "predicted", "will")
    assert {"001", "002"} <= set(summit.articles)
    for e in predicted:
        assert not any(
            e2.date == e.date and e2.status != "predicted" and e2.evidence == e.evidence
            for e2 in events
        )
    # the Reuters copy dated 2023-09-29 puts nothing in late September
    assert not any(e.date.startswith("2023-09-2") for e in events)


def test_hedged_past_is_reported(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    statuses = {e.status for e in events}
    assert {"occurred", "predicted", "reported"} <= statuses
    reported = [e for e in events if e.status == "reported"]
    assert any(
        any("according to" in s or "reported" in s for s in _sentences(docs, e)) for e in reported
    )


def test_sorted_by_date_and_every_evidence_is_real(story) -> None:  # type: ignore[no-untyped-def]
    docs, events = story
    dates = [e.date for e in events]
    assert dates == sorted(dates)  # ISO strings: "2019" sorts before "2019-04-25"
    by_id = {d.article.id: d for d in docs}
    for e in events:
        assert e.articles == tuple(dict.fromkeys(x.article for x in e.evidence))
        for x in e.evidence:
            assert 0 <= x.sentence < len(by_id[x.article].sentences)
    assert len(events) < 60  # noise kept down


def test_clause_around_splits_a_sentence_with_two_dates() -> None:
    from storyline.analyse.temporal import find_times

    text = "Chosun Ilbo said Kim left Pyongyang late Sunday and will meet with Putin on Tuesday in Russia."
    times = find_times(text, "2023-09-11")
    assert clause_around(text, times, 0).endswith("late Sunday")
    assert clause_around(text, times, 1).startswith("will meet")


def test_empty_input_gives_an_empty_timeline() -> None:
    assert build_timeline([], Settings()) == []
