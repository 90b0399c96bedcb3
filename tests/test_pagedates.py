"""The page's own date and headline: date lines, datelines, addresses, record titles."""

from __future__ import annotations

import json

import pytest

from storyline.clean import clean
from storyline.ingest.metadata import headline_problem, page_metadata
from storyline.ingest.pagedates import dated_dateline, page_date_line, split_title_date, url_date
from storyline.ingest.records import article_from_record
from storyline.models import AnalysedArticle, Article
from storyline.pipeline import clean_articles, story_title
from storyline.settings import Settings

# --- date lines: a full date and only what page furniture puts beside it ---------------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("WEDNESDAY 03 JULY 2013", "2013-07-03"),
        ("3 July 2013 Last updated at 13:38 GMT", "2013-07-03"),
        ("Updated: November 11, 2011 20:09 IST", "2011-11-11"),
        ("Last Updated: Monday, 28 November 2005, 02:24 GMT", "2005-11-28"),
        ("Posted 11 / 27 / 2005 7:21 AM", "2005-11-27"),
        ("11 / 28 / 05", "2005-11-28"),
        ("Last updated 13:26 14 / 09 / 2013", "2013-09-14"),  # day first: 14 is no month
        ("Published: 09 Sep 2013 11:25 GMT+02:00", "2013-09-09"),
        ("Published 12:17 am, Monday, September 16, 2013", "2013-09-16"),
        ("TNN Nov 12, 2011, 05.51AM IST MUMBAI:", "2011-11-12"),
        ("Sat Nov 12 2011, 01:19 hrs", "2011-11-12"),
        ("7:15 a.m. Dec. 7, 2009", "2009-12-07"),
        ("12 January 2010 @ 09:29 pm", "2010-01-12"),
        ("November 28th, 2005, 09:11 GMT", "2005-11-28"),
        ("Novemer 27, 2005", "2005-11-27"),  # the page's own typo
        ("Posted: Nov 27, 2005 8:20 AM ET Last Updated: Nov 28, 2005 8:10 PM ET", "2005-11-28"),
        ("September 6, 2023World News", "2023-09-06"),
        ("Published: 2023-09-06", "2023-09-06"),
    ],
)
def test_each_form_of_a_page_date_line(line: str, value: str) -> None:
    found = page_date_line(line)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    "line",
    [
        "March 1, 2014, Russia's Federation Council approved the use of force.",
        "The quake struck on November 28, 2005.",
        "Obama died on November 28, 2005",
        "He was charged on May 1, 2005 with two counts of fraud",
        "A 6.1 quake hit at 10:23 GMT.",
        "In 2009, police said they had recovered 80 percent of the haul.",
    ],
)
def test_a_sentence_with_a_date_is_not_a_date_line(line: str) -> None:
    assert page_date_line(line) is None


def test_an_ambiguous_numeric_date_says_how_it_was_read() -> None:
    found = page_date_line("05 / 09 / 2013")
    assert found is not None and found.value == "2013-05-09" and "ambiguous" in found.note


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("KIEV, April 7. /ITAR-TASS/ Russia's foreign ministry said ...", (4, 7, None)),
        ("Mumbai, Nov 11 -", (11, 11, None)),
        ("WASHINGTON, Dec. 5, 2008 (AP) — Police said", (12, 5, 2008)),
        ("SEOUL, Sept. 13 (Korea Bizwire)North Korean leader", (9, 13, None)),
    ],
)
def test_datelines_with_or_without_a_year(line: str, expected: tuple[int, int, int | None]) -> None:
    found = dated_dateline(line)
    assert found is not None and (found.month, found.day, found.year) == expected


@pytest.mark.parametrize(
    "line", ["On Monday, Dec. 7, 2009: a day to remember", "New Delhi / Mumbai: An Indian warship"]
)
def test_a_sentence_opening_is_not_a_dateline(line: str) -> None:
    assert dated_dateline(line) is None


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("http://gothamist.com/2013/09/14/driver_charged.php", "2013-09-14"),
        ("http://articles.latimes.com/2005/nov/28/world/fg-quake28", "2005-11-28"),
        ("http://usatoday30.usatoday.com/news/world/2005-11-27-iran-quake_x.htm", "2005-11-27"),
        ("http://www.thelocal.fr/20130909/ram-raiders", "2013-09-09"),
        ("http://example.com/stories/2013/38/story_web_2013_09_14_q.html", "2013-09-14"),
        ("http://www.example.com/news/05/nov/1266.html", None),
        ("http://query.example.com/fullpage.html?res=9A0DE2DE1431F93BA15752C1A9", None),
        ("http://worldnews.example.com/_news/20401724-thieves", None),
    ],
)
def test_dates_in_the_address(url: str, value: str | None) -> None:
    found = url_date(url)
    assert (found.value if found else None) == value


def test_a_date_glued_to_a_headline_is_cut_off() -> None:
    head, glued = split_title_date("GRANDMOTHER KILLED IN HIT-AND-RUN, DA SAYSSEPTEMBER 19, 2013")
    assert head == "GRANDMOTHER KILLED IN HIT-AND-RUN, DA SAYS"
    assert glued is not None and glued.value == "2013-09-19"
    # a headline may end with a date of its own
    assert split_title_date("Remembering the storm of January 5, 2014")[1] is None


# --- the page date: its own line beats the body; no date stays none, and says so --------------


def test_a_page_date_line_beats_a_background_date_in_the_body() -> None:
    text = (
        "Ukraine crisis deepens as troops move in\n"
        "WEDNESDAY 03 JULY 2013\n"
        "March 1, 2014, Russia's Federation Council voted to allow the use of force.\n"
        "Officials met again on Tuesday.\n"
    )
    meta = page_metadata(text)
    assert meta.title == "Ukraine crisis deepens as troops move in"
    assert meta.published == "2013-07-03"
    assert "WEDNESDAY 03 JULY 2013" in (meta.published_evidence or "")


def test_a_background_date_is_never_the_page_date() -> None:
    text = (
        "Banker charged with fraud\n"
        "The charge sheet says the first transfer was made on May 1, 2005 from a Zurich account.\n"
        "He appeared in court on Tuesday and was remanded in custody.\n"
    )
    meta = page_metadata(text)
    assert meta.published is None
    evidence = meta.published_evidence or ""
    assert "no page date" in evidence and "May 1, 2005" in evidence


def test_a_page_without_any_date_says_so() -> None:
    meta = page_metadata("Quiet day\nNothing happened in the town on Tuesday, officials said.\n")
    assert meta.published is None
    assert meta.published_evidence == "no date found in the text"


def test_a_yearless_dateline_is_left_for_the_story_and_says_so() -> None:
    text = (
        "Navy foils pirate attack in the Gulf\n"
        "Mumbai, Nov 11 -\n"
        "The navy thwarted an attack by pirates yesterday.\n"
    )
    meta = page_metadata(text)
    assert meta.published is None
    assert 'dateline "Mumbai, Nov 11" has no year' in (meta.published_evidence or "")


def test_the_address_dates_a_page_that_prints_no_date() -> None:
    meta = page_metadata(
        "Police arrested a man on Friday night.\n", url="http://x.com/2013/09/14/arrest"
    )
    assert meta.published == "2013-09-14"
    assert "date in the page address" in (meta.published_evidence or "")


# --- JSON records: the headline rule -------------------------------------------------------------


def _record(**fields: object) -> Article:
    return article_from_record(json.loads(json.dumps(fields)), "test.jsonl line 1", None)


def test_a_one_sentence_record_keeps_its_sentence() -> None:
    """ECB-style records hold one or two sentences and no title: none of it is a headline."""
    article = _record(
        id="a",
        text="Armed robbers stole diamonds valued at 85 million euros from a jeweller in Paris, "
        "the city prosecutors' office said on Friday.",
    )
    assert article.title is None
    cleaned, problems = clean_articles([article], Settings(progress=False))
    assert not problems
    assert "Armed robbers stole diamonds" in cleaned[0].text


def test_a_record_headline_is_a_short_line_without_final_punctuation() -> None:
    article = _record(
        id="b",
        text="Navy foils pirate attack off Gulf of Aden\nThe navy thwarted an attack on Thursday.",
    )
    assert article.title == "Navy foils pirate attack off Gulf of Aden"
    cleaned = clean(article)
    assert cleaned.text == "The navy thwarted an attack on Thursday."
    assert ("Navy foils pirate attack off Gulf of Aden", "repeated headline") in {
        (r.text, r.reason) for r in cleaned.removed
    }


def test_a_record_title_that_is_a_date_line_dates_the_page() -> None:
    article = _record(
        id="c",
        title="Updated: November 11, 2011 20:09 IST",
        text="Navy foils Somali pirate attack\nThe navy thwarted an attack on Thursday.",
    )
    assert article.title == "Navy foils Somali pirate attack"
    assert article.published == "2011-11-11"
    assert "given as the title" in (article.published_evidence or "")


def test_a_date_line_as_first_text_line_is_a_date_not_a_headline() -> None:
    article = _record(
        id="d",
        title="Driver charged",
        text="Posted 11 / 27 / 2005 7:21 AM\nA driver was charged on Saturday, police said.",
    )
    assert article.title == "Driver charged"
    assert article.published == "2005-11-27"
    cleaned = clean(article)
    assert cleaned.text == "A driver was charged on Saturday, police said."


def test_a_given_record_title_only_removes_the_same_line() -> None:
    article = _record(
        id="e", title="Climber dies", text="A climber died on Friday.\nHis body was recovered."
    )
    assert article.title == "Climber dies"
    assert clean(article).text.startswith("A climber died on Friday.")


@pytest.mark.parametrize(
    "title",
    [
        "Image copyright Reuters Image caption Rescuers search the rubble",
        "Gallery 12 photo Gallery © EPA/ABEDIN TAHERKENAREH",
        "Photo: Getty Images",
        "Updated: November 11, 2011 20:09 IST",
    ],
)
def test_a_credit_caption_or_date_line_is_not_a_headline(title: str) -> None:
    assert headline_problem(title) is not None
    article = _record(id="f", title=title, text="A strong quake hit the island on Sunday.")
    assert article.title is None


def test_the_story_title_is_never_a_credit_and_prefers_ordinary_case() -> None:
    def doc(title: str, published: str) -> AnalysedArticle:
        return AnalysedArticle(
            Article(id=title[:5], text="x", title=title, published=published), ()
        )

    docs = [
        doc("Quake kills ten on Iranian island", "2005-11-27"),
        doc("FALLOUT CONTINUES AFTER QUAKE", "2005-11-29"),
        doc("Image copyright Reuters Image caption Villagers in tents", "2005-11-30"),
    ]
    assert story_title(docs) == "Quake kills ten on Iranian island"
