"""check.values: when two reported values of one fact disagree (no models needed)."""

from __future__ import annotations

import pytest

from storyline.analyse.quantities import find_quantities
from storyline.check.values import (
    Rates,
    agree,
    is_conversion,
    make_value,
    same_number_other_unit,
)


def value(text: str, which: int = 0):
    qs = find_quantities(text)
    return make_value(text, qs[which], qs)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("killing at least 5 people", "killing 24 people", False),  # a bound is not any figure
        ("more than 220,000 people", "at least 230,000 people", True),  # two roundings of one count
        ("more than 26,000 people", "more than 31,000 people", False),  # two different counts
        ("about 60 people", "60 people", True),
        ("at least 10 people", "10 people", True),
        ("at least three people", "10 people", False),  # an early toll against a later one
        ("more than 100,000", "120,000", True),
        ("more than 100,000", "200,000", True),
        ("dozens of people", "50 people", True),
        ("three or four robbers", "four robbers", True),
        ("600 were killed", "612 people", True),  # a round figure rounds a precise one
        ("12 killed", "10 killed", False),
        ("a magnitude of 5.9", "a magnitude of 6.1", False),
        ("almost $2 million", "$1.9 million", True),
        ("almost $2 million", "$2.6 million", False),
    ],
)
def test_qualifiers_decide_agreement(a: str, b: str, same: bool) -> None:
    assert agree(value(a), value(b)) is same
    assert agree(value(b), value(a)) is same


def test_a_bracketed_conversion_is_one_value() -> None:
    text = "a town 85 miles (135 kilometers) from the capital"
    qs = find_quantities(text)
    assert is_conversion(text, qs[1], qs) and not is_conversion(text, qs[0], qs)
    v = make_value(text, qs[0], qs)
    assert v.alts and agree(v, value("135 km")) and agree(v, value("85 miles"))
    assert not agree(v, value("1,150 km"))


def test_units_convert_and_the_same_figure_in_two_units_is_a_unit_clash() -> None:
    assert agree(value("about 940 miles south"), value("1,500 kilometers south"))
    assert agree(value("about 60m from a ridge"), value("200ft from a ridge"))
    metres, feet = value("fell 200 metres"), value("fell 200 feet")
    assert not agree(metres, feet)
    assert same_number_other_unit(metres, feet)
    assert not same_number_other_unit(value("fell 150 metres"), feet)


def test_one_amount_in_three_currencies_is_one_amount_at_the_story_s_own_rates() -> None:
    text = "They made off with 2m euros (£1.7m; $2.6m) in gems and watches."
    haul = value(text)
    rates = Rates((haul.unit or "", haul.base, unit or "", base) for base, unit in haul.alts)
    assert agree(haul, value("jewellery worth £1.7m"), rates)
    assert agree(value("jewellery worth £1.7m"), value("valued at $2.6 million"), rates)
    # at the same rates, £910,000 is about $1.4 million: not "almost $2 million"
    assert not agree(value("£910,000 worth of jewellery"), value("almost $2 million"), rates)
    # without rates from the story, standing rates with a wide margin still tell these apart
    assert not agree(value("$137 million"), value("85 million euros"))
    assert agree(value("$102 million"), value("85 million euros"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fell about 600m while climbing", [("600m", 600.0, "meter")]),
        ("around 2000ft (609 metres)", [("2000ft", 2000.0, "foot"), ("609 metres", 609.0, "meter")]),
        ("a two-million-euro ($2.6-million) booty", [("two-million-euro", 2e6, "euro"), ("$2.6-million", 2.6e6, "dollar")]),
        ("2m euros (£1.7m; $2.6m)", [("2m euros", 2e6, "euro"), ("£1.7m", 1.7e6, "pound"), ("$2.6m", 2.6e6, "dollar")]),
        ("who lived half a mile away", [("half a mile", 0.5, "mile")]),
        ("about a mile and a half away", [("a mile and a half", 1.5, "mile")]),
        ("six AK-47 rifles and 12 magazines", [("six", 6.0, None), ("12", 12.0, None)]),
        ("four villages had been destroyed", [("four", 4.0, None)]),
        ("the quake struck at 1353 (1023 GMT)", []),
        ("a magnitude-5.9 earthquake", [("5.9", 5.9, None)]),
        ("no-one was hurt", []),
    ],
)
def test_quantities_with_glued_units_currencies_and_words(text: str, expected) -> None:
    assert [(q.text, q.value, q.unit) for q in find_quantities(text)] == expected
