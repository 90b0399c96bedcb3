"""storyline eval timelines: tilse metrics and the run on a trimmed Timeline17 topic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.errors import DataError
from storyline.evaluate.tilse import PRF, align_rouge, date_prf, mean_prf, read_timeline
from storyline.evaluate.timelines import run

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "timelines" / "t17-mini"
D1, D2, D3 = date(2010, 4, 20), date(2010, 4, 21), date(2010, 4, 25)


def test_identical_timelines_score_one() -> None:
    gold = {
        D1: ["An oil rig exploded in the Gulf of Mexico ."],
        D3: ["BP tried to cap the leaking well ."],
    }
    assert date_prf(gold, gold).f1 == 1.0
    scores = align_rouge(gold, gold)
    assert scores[1].f1 == pytest.approx(1.0) and scores[2].f1 == pytest.approx(1.0)


def test_a_summary_one_day_off_counts_half() -> None:
    gold = {D1: ["An oil rig exploded in the Gulf of Mexico ."]}
    pred = {D2: ["An oil rig exploded in the Gulf of Mexico ."]}
    assert date_prf(pred, gold).f1 == 0.0
    r1 = align_rouge(pred, gold)[1]
    assert r1.precision == pytest.approx(0.5) and r1.recall == pytest.approx(0.5)


def test_stemming_and_stop_words_as_rouge_1_5_5() -> None:
    gold = {D1: ["The rigs exploded"]}
    pred = {D1: ["a rig explodes"]}  # stems match; "the" and "a" are stop words
    r1 = align_rouge(pred, gold)[1]
    assert r1.precision == pytest.approx(1.0) and r1.recall == pytest.approx(1.0)


def test_many_to_one_alignment_prefers_the_summary_with_shared_words() -> None:
    gold = {D1: ["rig exploded gulf"], D3: ["well capped finally"]}
    pred = {D2: ["well capped finally"]}  # 1 day from D1 but says what D3 says (4 days away)
    r1 = align_rouge(pred, gold)[1]
    # aligned to D3 (content cost 0): all 3 unigrams match, weighted 1/(4+1)
    assert r1.precision == pytest.approx(3 / 5 / 3)


def test_empty_prediction_scores_zero_and_means_follow_news_tls() -> None:
    gold = {D1: ["rig exploded"]}
    assert align_rouge({}, gold)[1].f1 == 0.0
    m = mean_prf([PRF(1.0, 0.0), PRF(0.0, 1.0)])
    assert (m.precision, m.recall, m.f1) == (0.5, 0.5, 0.5)


def test_read_timeline_merges_a_date_given_twice() -> None:
    text = (
        "2009-05-01\nA first .\n"
        + "-" * 32
        + "\n2009-05-01\nA second .\n"
        + "-" * 32
        + "\n2009-04-29\nEarlier .\n"
    )
    tl = read_timeline(text)
    assert tl == {date(2009, 5, 1): ["A first .", "A second ."], date(2009, 4, 29): ["Earlier ."]}


def test_run_on_a_trimmed_topic() -> None:
    result = run(FIXTURE)
    rows = result.rows
    assert {
        "storyline datewise",
        "baseline: random dates",
        "baseline: publication-date count",
    } <= set(rows)
    ours = rows["storyline datewise"]
    assert result.notes[0].startswith("1 gold timelines")
    assert ours["Date-F1"] >= 0.8  # 7 gold dates, all inside a 10-day span of articles
    assert 0.05 < ours["AR-1 F"] < 1 and 0 < ours["AR-2 F"] < ours["AR-1 F"]
    # the published SDF-TLS timeline next to the data is scored with the same code
    sdf = rows["SDF-TLS bestds (published output)"]
    gold = read_timeline(
        next((FIXTURE / "topics" / "H1N1_bbc" / "timelines").glob("*.txt")).read_text()
    )
    published = read_timeline(
        next((FIXTURE.parent / "tls-system-outputs-sdf" / "TL17_bestds").glob("*.txt")).read_text()
    )
    assert sdf["Date-F1"] == pytest.approx(date_prf(published, gold).f1)
    assert "| storyline datewise |" in result.table()


def test_a_wrong_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="InputDocs.tar.gz"):
        run(tmp_path)
    (tmp_path / "topics").mkdir()
    (tmp_path / "InputDocs.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(DataError):
        run(tmp_path)
