"""eval coref: the metrics on worked examples, the ECB+ reader and the whole run on a small fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import DataError
from storyline.evaluate import coref
from storyline.evaluate.corefmetrics import b_cubed, ceaf_e, conll, muc
from storyline.evaluate.ecbplus import read_documents

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ecbplus"

# Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions", worked example
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_worked_examples():
    m = muc(KEY, RESPONSE)
    assert m.recall == pytest.approx(2 / 5) and m.precision == pytest.approx(2 / 5)
    # Vilain et al. (1995): one key chain split in two: recall 2/3, precision 1
    m = muc([{"A", "B", "C", "D"}], [{"A", "B"}, {"C", "D"}])
    assert m.recall == pytest.approx(2 / 3) and m.precision == pytest.approx(1.0)


def test_b_cubed_worked_example():
    b = b_cubed(KEY, RESPONSE)
    assert b.recall == pytest.approx(5 / 12) and b.precision == pytest.approx(1 / 2)


def test_ceaf_e_worked_example():
    c = ceaf_e(KEY, RESPONSE)
    # best alignment: {a,b,c}~{a,b} (4/5) and {d,e,f,g}~{f,g,h,i} (1/2)
    assert c.recall == pytest.approx(1.3 / 2) and c.precision == pytest.approx(1.3 / 3)


def test_perfect_and_singleton_responses():
    assert conll(KEY, KEY)["CoNLL F1"] == pytest.approx(1.0)
    singletons = [{m} for cluster in KEY for m in cluster]
    scores = conll(KEY, singletons)
    assert scores["MUC F1"] == 0.0  # no links, nothing right
    assert scores["B3 F1"] == pytest.approx(2 * (1 * 2 / 7) / (1 + 2 / 7))
    assert scores["CoNLL F1"] == pytest.approx(
        (scores["MUC F1"] + scores["B3 F1"] + scores["CEAF-e F1"]) / 3
    )


def test_reader_keeps_gold_chains_across_documents():
    docs = list(read_documents(FIXTURE))
    assert [d.name for d in docs] == ["1_1ecb", "1_3ecb", "1_10ecbplus", "1_11ecbplus"]
    assert {d.subtopic for d in docs} == {"1ecb", "1ecbplus"}
    mentions = [m for d in docs for m in d.mentions]
    checkin = {m.doc for m in mentions if m.cluster == "ACT15738091639707092"}
    assert checkin == {"1_10ecbplus", "1_11ecbplus"}  # "checks into" / "checked into"
    assert all(m.sentence in d.sentences for d in docs for m in d.mentions)
    assert {m.kind for m in mentions} == {"event", "entity"}


def test_run_on_fixture_reports_both_systems_and_baseline():
    result = coref.run(FIXTURE)
    systems = set(result.rows)
    assert {
        "events: storyline",
        "events: same-head-lemma",
        "entities: storyline (link)",
        "entities: same-head-lemma",
    } <= systems
    assert result.metrics == ["MUC F1", "B3 F1", "CEAF-e F1", "CoNLL F1"]
    for values in result.rows.values():
        assert all(0.0 <= v <= 1.0 for v in values.values())
    assert (
        result.rows["events: storyline"]["CoNLL F1"] > result.rows["events: singletons"]["CoNLL F1"]
    )
    assert "| events: same-head-lemma |" in result.table()


def test_missing_data_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="ECB\\+.tar.gz"):
        coref.run(tmp_path)
