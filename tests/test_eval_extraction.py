"""storyline eval extraction: the benchmark's metric, and the run on a few real pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import DataError
from storyline.evaluate.extraction import page_counts, run, score

DATA = Path(__file__).parent / "fixtures" / "extraction"


def test_shingle_counts_match_the_benchmark_definition() -> None:
    # gold shingles: (a b c d), (b c d e); prediction: (a b c d) -> TP 1, FP 0, FN 1 (normalised)
    assert page_counts("a b c d e", "a b c d") == pytest.approx((0.5, 0.0, 0.5))
    assert page_counts("a b c d", "a, b: c d!") == (1.0, 0.0, 0.0)  # punctuation is not a token
    assert page_counts("a b c d", "A b c d") == (0.0, 0.5, 0.5)  # case matters, as upstream
    assert page_counts("", "") == (0.0, 0.0, 0.0)
    # a repeated shingle counts as often as it occurs
    assert page_counts("x y z w x y z w", "x y z w") == pytest.approx((0.2, 0.0, 0.8))


def test_score_averages_over_pages_and_skips_empty_predictions_for_precision() -> None:
    golds = ["one two three four five", "alpha beta gamma delta"]
    perfect = score(golds, golds)
    assert perfect == {"f1": 1.0, "precision": 1.0, "recall": 1.0, "exact": 1.0}
    half = score(golds, [golds[0], None])  # second page: nothing predicted
    assert half["precision"] == 1.0  # no prediction, no precision to average
    assert half["recall"] == pytest.approx(0.5)
    assert half["f1"] == pytest.approx(2 * 0.5 / 1.5)
    assert half["exact"] == 0.5


def test_run_on_fixture_pages() -> None:
    messages: list[str] = []
    result = run(DATA, progress=messages.append)
    assert result.task == "extraction" and result.extra["pages"] == 4
    assert messages and messages[-1] == "extracted 4/4 pages"
    rows = result.rows
    trafilatura_row = next(
        name for name in rows if name.startswith("trafilatura ") and "published" not in name
    )
    assert "trafilatura 2.0.0 (published)" in rows
    # the published output scored by our code: close to perfect on these clean pages
    assert rows["trafilatura 2.0.0 (published)"]["f1"] == pytest.approx(0.9932, abs=1e-3)
    assert rows["storyline"]["f1"] > 0.97 and rows[trafilatura_row]["f1"] > 0.97
    assert "| storyline |" in result.table()
    assert result.extra["storyline_empty_pages"] == 0


def test_limit(tmp_path: Path) -> None:
    result = run(DATA, limit=1)
    assert result.extra["pages"] == 1


def test_missing_or_malformed_data_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        run(tmp_path / "nope")
    with pytest.raises(DataError, match="ground-truth.json"):
        run(tmp_path)
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth.json").write_text(json.dumps({"x": {"text": "no articleBody"}}))
    with pytest.raises(DataError, match="articleBody"):
        run(tmp_path)
    (tmp_path / "ground-truth.json").write_text(json.dumps({"x": {"articleBody": "a b c d"}}))
    with pytest.raises(DataError, match="html/<id>.html.gz"):
        run(tmp_path)
