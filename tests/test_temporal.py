"""Temporal expressions resolved against a fixed anchor (the date of the post they stand in)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyse.quantities import find_quantities
from storyline.analyse.temporal import find_times, is_future

WED = "2023-09-13"  # a Wednesday
MON = "2023-09-11"


def values(text: str, anchor: str | None = WED) -> list[tuple[str, str, str]]:
    return [(t.text, t.value, t.precision) for t in find_times(text, anchor)]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # bare weekdays: past or no tense -> the latest such day on or before the post date
        (
            "Kim arrived in Vladivostok Tuesday before traveling on.",
            WED,
            ("Tuesday", "2023-09-12", "day"),
        ),
        ("RIA Novosti reported Wednesday.", WED, ("Wednesday", "2023-09-13", "day")),
        (
            "Kim left Pyongyang late Sunday, a paper said.",
            MON,
            ("late Sunday", "2023-09-10", "day"),
        ),
        (
            "He left by train on Sunday afternoon to visit Russia.",
            "2023-09-12",
            ("on Sunday afternoon", "2023-09-10", "day"),
        ),
        (
            "The leader arrived in Russia earlier Tuesday, reports said.",
            "2023-09-12",
            ("earlier Tuesday", "2023-09-12", "day"),
        ),
        (
            "The Kremlin said Tuesday morning it was not interested.",
            WED,
            ("Tuesday morning", "2023-09-12", "day"),
        ),
        (
            "Peskov said last Friday that talks went well.",
            WED,
            ("last Friday", "2023-09-08", "day"),
        ),
        # future tense -> the first such day on or after the post date
        ("Kim will meet with Putin on Tuesday.", MON, ("on Tuesday", "2023-09-12", "day")),
        ("The summit will likely be held on Thursday.", MON, ("on Thursday", "2023-09-14", "day")),
        # words relative to the post date
        ("Kim initially arrived yesterday.", WED, ("yesterday", "2023-09-12", "day")),
        ("Talks resume tomorrow in Moscow.", WED, ("tomorrow", "2023-09-14", "day")),
        # month and day without a year: the year of the anchor (past)
        (
            "When asked about the claims on Sept. 5, Peskov said nothing.",
            "2023-09-06",
            ("on Sept. 5", "2023-09-05", "day"),
        ),
        (
            "Talks began on December 30 last winter.",
            "2024-01-03",
            ("on December 30", "2023-12-30", "day"),
        ),
        # absolute dates
        (
            "on Tuesday, Sept. 12, 2023, Kim stepped down from his train.",
            WED,
            ("on Tuesday, Sept. 12, 2023", "2023-09-12", "day"),
        ),
        (
            "They met on April 25, 2019, in Vladivostok.",
            WED,
            ("on April 25, 2019", "2019-04-25", "day"),
        ),
        (
            "They met in Vladivostok, Russia, on April, 25, 2019.",
            WED,
            ("on April, 25, 2019", "2019-04-25", "day"),
        ),
        (
            "The flu was confirmed on May 4 , 2009 in Scotland .",
            None,
            ("on May 4 , 2009", "2009-05-04", "day"),
        ),
        (
            "It was the first visit since 25 December 1991 by a minister.",
            WED,
            ("25 December 1991", "1991-12-25", "day"),
        ),
        # months and years
        (
            "In late July, Shoigu visited Pyongyang.",
            "2023-09-06",
            ("In late July", "2023-07", "month"),
        ),
        (
            "In mid-August, Shoigu said cooperation posed no threat.",
            "2023-09-06",
            ("In mid-August", "2023-08", "month"),
        ),
        (
            "In May 2022, China and Russia vetoed a push.",
            "2023-09-06",
            ("In May 2022", "2022-05", "month"),
        ),
        ("They met in 2019 on his last trip abroad.", WED, ("in 2019", "2019", "year")),
        (
            "Their ties go back to the founding of North Korea 75 years ago.",
            WED,
            ("75 years ago", "1948", "year"),
        ),
        ("Russia invaded Ukraine last year, officials said.", MON, ("last year", "2022", "year")),
        # a week is kept at month precision: the month that holds the day a week earlier
        ("Putin last week pledged to expand ties.", MON, ("last week", "2023-09", "month")),
        (
            "Putin last week pledged to expand ties.",
            "2023-09-04",
            ("last week", "2023-08", "month"),
        ),
    ],
)
def test_expression_kinds(text: str, anchor: str | None, expected: tuple[str, str, str]) -> None:
    assert expected in values(text, anchor)


def test_a_bare_weekday_uses_the_post_date_not_a_week_earlier() -> None:
    # dateparser with PREFER_DATES_FROM="past" gives the Tuesday a week early; we must not
    (t,) = find_times("Tuesday", "2023-09-12")
    assert t.value == "2023-09-12"
    (t,) = find_times("Peskov said Tuesday.", WED)
    assert (t.value, t.relative, t.anchor) == ("2023-09-12", True, WED)


def test_the_previous_day_counts_from_the_date_named_before_it() -> None:
    found = values(
        "A photo carried by KCNA on Sept. 13, 2023, shows Kim arriving at Khasan the previous day."
    )
    assert ("the previous day", "2023-09-12", "day") in found


def test_clock_times_ordinals_and_same_day_phrases_are_not_dates() -> None:
    assert values("The train arrived at 6 a.m. local time.") == []
    assert values("the 75th anniversary of the founding of the Republic") == []
    assert values("The two met on the same day.") == []


def test_absolute_dates_resolve_without_an_anchor_and_relative_ones_are_skipped() -> None:
    assert values("They met on April 25, 2019, and again on Tuesday.", None) == [
        ("on April 25, 2019", "2019-04-25", "day")
    ]
    (t,) = find_times("They met on April 25, 2019.", None)
    assert not t.relative and t.anchor is None


def test_tense_of_the_clause() -> None:
    text = "Chosun Ilbo said Kim left Pyongyang late Sunday and will meet with Putin on Tuesday."
    assert not is_future(text, text.index("late Sunday"))
    assert is_future(text, text.index("on Tuesday"))
    text = "Kim will visit Russia soon, the two countries confirmed on Monday."
    assert not is_future(text, text.index("on Monday"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("around 1,000 miles from Vladivostok", [("1,000 miles", 1000.0, "mile")]),
        ("some 1,000 kilometers from Vladivostok", [("1,000 kilometers", 1000.0, "kilometer")]),
        (
            "about 127 km (79 miles) south",
            [("127 km", 127.0, "kilometer"), ("79 miles", 79.0, "mile")],
        ),
        ("growth of 3.5% this year", [("3.5%", 3.5, "percent")]),
        ("a $5 billion aid package", [("$5 billion", 5e9, "dollar")]),
        ("at 6 a.m. on Tuesday", []),
        ("the 75th anniversary", []),
        ("on Sept. 12, 2023", []),
    ],
)
def test_quantities(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(q.text, q.value, q.unit) for q in find_quantities(text)] == expected


_PIECES = list("abcdeMTWSFJNOD0123456789 ,.-'\"") + [
    "Tuesday",
    " on ",
    "Sept.",
    "May ",
    "2019",
    "ago",
    "last ",
    "week",
    "year",
    " the previous day",
    "yesterday",
    " in ",
    "late ",
    "mid-",
    "July",
    " will ",
    "April, 25, ",
    "75 years ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=80), st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)),
    st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
)
def test_resolver_never_raises_and_offsets_point_at_the_text(text: str, anchor: str | None) -> None:
    for t in find_times(text, anchor):
        assert text[t.start : t.end] == t.text
        assert t.precision in ("day", "month", "year")
        assert len(t.value) == {"day": 10, "month": 7, "year": 4}[t.precision]
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
