"""storyline eval summaries on a four-cluster Multi-News fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import DataError
from storyline.evaluate import summaries

DATA = Path(__file__).resolve().parent / "fixtures" / "summaries"


@pytest.fixture(scope="module")
def result(embedder):
    return summaries.run(DATA)


def test_every_system_is_scored_on_every_metric(result):
    assert set(result.rows) == set(summaries.SYSTEMS)
    for values in result.rows.values():
        assert set(values) == {"ROUGE-1", "ROUGE-2", "ROUGE-L"}
        assert all(0 <= v <= 100 for v in values.values())
    assert result.extra["clusters"] == 4


def test_oracle_bounds_the_real_systems(result):
    oracle = result.rows["Oracle (greedy ROUGE)"]
    for name, values in result.rows.items():
        assert values["ROUGE-2"] <= oracle["ROUGE-2"] + 1e-9, name
    assert oracle["ROUGE-1"] > 40  # it sees the reference: far above any real system


def test_table_and_json_carry_the_numbers_and_the_published_caveat(result, tmp_path):
    table = result.table()
    assert "| storyline (corroboration) |" in table and "Lead-3" in table
    out = tmp_path / "summaries.json"
    result.write(out)
    data = json.loads(out.read_text())
    assert data["rows"]["Lead-3"]["ROUGE-1"] == result.rows["Lead-3"]["ROUGE-1"]
    assert any("only figures from the same run compare" in n for n in data["notes"])


def test_limit_takes_the_first_clusters(embedder):
    first = summaries.load_clusters(DATA, limit=2)
    every = summaries.load_clusters(DATA)
    assert first == every[:2]
    assert summaries.run(DATA, limit=1).extra["clusters"] == 1


def test_summaries_are_cut_to_the_reference_length():
    cluster = summaries.load_clusters(DATA, limit=1)[0]
    assert not cluster.reference.startswith("–")
    (p,) = summaries.prepare([cluster])
    for name in summaries.SYSTEMS.values():
        assert len(summaries.system_summary(name, p).split()) <= p.words


def test_missing_or_malformed_data_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="sample_validation.csv"):
        summaries.run(tmp_path / "nowhere")
    bad = tmp_path / "sample_validation.csv"
    bad.write_text("text,label\nhello,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="documents"):
        summaries.run(tmp_path)
