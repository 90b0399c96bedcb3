"""``storyline eval stories``: the FORMAT.md scoring rules on hand-made briefs (no models)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storyline.cli import cli
from storyline.evaluate.stories import contains, normalise_form, run, score_story

GOLD = {
    "id": "s1",
    "conflicts": [
        {
            "kind": "number",
            "note": "death toll 3 vs 10",
            "quotes": [
                {"article": "a", "text": "killing at least three people", "side": "3"},
                {"article": "b", "text": "the quake killed 10 people", "side": "10", "value": "10"},
                {"article": "c", "text": "ten people died in the quake", "side": "10"},
            ],
        },
        {
            "kind": "place",
            "note": "where she lived",
            "quotes": [
                {"article": "a", "text": "she lived in South Ozone Park", "side": "SOP"},
                {"article": "b", "text": "a resident of College Point", "side": "CP"},
            ],
        },
    ],
    "not_conflicts": [
        {
            "note": "same distance rounded",
            "quotes": [
                {"article": "a", "text": "58km (36 miles) south-west of the city"},
                {"article": "b", "text": "35 miles southwest of the city"},
            ],
        }
    ],
    "syndication": [["a", "b"], ["b", "c"]],
    "merges": [["Omar al-Bashir", "Bashir"], ["U.S.", "United States"]],
    "must_not_merge": [["U.S.", "Unity State"]],
    "dates": [{"article": "a", "text": "the quake struck on Sunday", "date": "2005-11-27"}],
    "off_story": [{"article": "c", "text": "a 6.7-strength quake killed 26,000 people in Bam"}],
}


def article(aid: str, *sentences: str) -> dict:
    return {"id": aid, "sentences": list(sentences)}


BRIEF = {
    "articles": [
        article("a", "The quake struck on Sunday, killing at least three people.",
                "She lived in South Ozone Park.", "It was 58km (36 miles) south-west of the city."),
        article("b", "The quake killed 10 people.", "It was 35 miles southwest of the city.",
                "A resident of College Point."),
        article("c", "Ten people died in the quake.", "A 6.7-strength quake killed 26,000 people in Bam."),
    ],
    "conflicts": [
        {"summary": "toll", "sides": [
            {"article": "a", "sentence": 0, "text": "", "value": "three"},
            {"article": "b", "sentence": 0, "text": "", "value": "10"}]},
        {"summary": "distance", "sides": [
            {"article": "a", "sentence": 2, "text": "", "value": "36 miles"},
            {"article": "b", "sentence": 1, "text": "", "value": "35 miles"}]},
    ],
    "syndication": [{"articles": ["a", "b", "c"]}],
    "entities": [
        {"name": "Omar al-Bashir", "aliases": [], "mentions": [{"text": "Omar al-Bashir"}]},
        {"name": "Bashir", "aliases": [], "mentions": []},
        {"name": "United States", "aliases": ["U.S."], "mentions": [{"text": "Unity State"}]},
    ],
    "timeline": [
        {"date": "2005-11", "evidence": [{"article": "a", "sentence": 0}]},
        {"date": "2005-11-28", "evidence": [{"article": "b", "sentence": 0}]},
    ],
    "summary": [
        {"text": "The quake killed 10 people.", "citations": [{"article": "b", "sentence": 0}]},
        {"text": "Something nobody wrote.", "citations": [{"article": "b", "sentence": 0}]},
        {"text": "A 6.7-strength quake killed 26,000 people in Bam.",
         "citations": [{"article": "c", "sentence": 1}]},
        {"text": "Bad reference.", "citations": [{"article": "zz", "sentence": 9}]},
    ],
}


def test_contains_needs_every_number_and_most_content_words() -> None:
    assert contains("The 6.1-magnitude quake struck Qeshm island", "6.1-magnitude quake struck")
    assert not contains("The 6.2-magnitude quake struck Qeshm island", "6.1-magnitude quake struck")
    assert contains("it fell about 2,000ft", "fell about 2,000ft")
    assert not contains("police said nothing", "the army fired mortars from the school")
    assert contains("Rait’s body was found", "Rait's body")


def test_entity_forms_are_normalised_like_format_md() -> None:
    assert normalise_form("Kim Jong-un’s") == "kim jong un"
    assert normalise_form("U.S.") == "us"
    assert normalise_form("  Sea   Micro ") == "sea micro"


def test_a_story_is_scored_as_format_md_says() -> None:
    s = score_story(GOLD, BRIEF)
    assert (s.conflicts_reported, s.conflicts_true, s.gold_conflicts, s.gold_found) == (2, 1, 2, 1)
    assert s.traps == 1 and "rounded" in s.trap_hits[0]
    assert s.missed == ["where she lived"]
    assert (s.syndication_reported, s.syndication_true, s.gold_pairs, s.gold_pairs_found) == (3, 2, 2, 2)
    assert (s.wrong_merges, s.missed_merges) == (1, 1)  # U.S.+Unity State; Bashir split in two
    assert (s.timeline_entries, s.timeline_matched, s.timeline_right) == (2, 1, 1)
    assert (s.summary_sentences, s.summary_bad, s.summary_off) == (4, 2, 1)
    assert "conflicts P 0.50 (1/2) R 0.50 (1/2) traps 1" in s.line()


def test_a_side_value_must_carry_the_pinned_value() -> None:
    brief = json.loads(json.dumps(BRIEF))
    brief["conflicts"][0]["sides"][1]["value"] = "12"  # quote of b pins "10"
    assert score_story(GOLD, brief).gold_found == 0
    brief["conflicts"][0]["sides"][1]["value"] = None  # no value: the quote still counts
    assert score_story(GOLD, brief).gold_found == 1


def test_a_missing_brief_scores_nothing_found_but_counts_the_gold() -> None:
    s = score_story(GOLD, None)
    assert (s.gold_conflicts, s.gold_found, s.gold_pairs, s.conflicts_reported) == (2, 0, 2, 0)
    assert len(s.missed) == 2


def _folder(tmp_path: Path, gold: object) -> Path:
    (tmp_path / "articles").mkdir(parents=True)
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_scoring_saved_briefs_sums_the_counts(tmp_path: Path) -> None:
    other = dict(GOLD, id="s2")
    data = _folder(tmp_path / "data", [GOLD, other])
    briefs = tmp_path / "briefs"
    briefs.mkdir()
    (briefs / "s1.json").write_text(json.dumps(BRIEF), encoding="utf-8")
    result = run(data, briefs=briefs)
    stories = {s["story"]: s for s in result.extra["stories"]}
    assert stories["s2"]["error"] and "s2.json" in stories["s2"]["error"]
    assert result.extra["total"]["gold_conflicts"] == 4  # s2's gold still counts
    assert result.rows["TOTAL"]["conflict-R"] == 0.25
    assert result.report is not None and result.report.splitlines()[-1].startswith("TOTAL:")


def test_cli_names_a_missing_folder_and_a_broken_gold(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["eval", "stories", "--data", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "nope: no such folder" in missing.output
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "gold.json").write_text("[{", encoding="utf-8")
    broken = runner.invoke(cli, ["eval", "stories", "--data", str(tmp_path / "bad")])
    assert broken.exit_code == 2 and "gold.json: not valid JSON" in broken.output


def test_cli_reports_a_story_without_articles_and_scores_the_rest(tmp_path: Path) -> None:
    data = _folder(tmp_path / "data", [GOLD, dict(GOLD, id="s2")])
    briefs = tmp_path / "briefs"
    briefs.mkdir()
    (briefs / "s1.json").write_text(json.dumps(BRIEF), encoding="utf-8")
    scored = CliRunner().invoke(cli, ["eval", "stories", "--data", str(data), "--briefs", str(briefs)])
    assert scored.exit_code == 1
    assert "s1: conflicts P 0.50 (1/2)" in scored.output
    assert "s2.json: cannot read the brief" in scored.output
    # and when briefing for real, a story whose articles file is missing is named, not fatal
    data2 = _folder(tmp_path / "data2", [dict(GOLD, id="only")])
    out = CliRunner().invoke(cli, ["eval", "stories", "--data", str(data2), "--json", "-q"])
    assert out.exit_code == 1
    assert "only.jsonl: missing" in out.output
    payload = json.loads(out.output[: out.output.rindex("}") + 1])
    assert payload["extra"]["stories"][0]["gold_conflicts"] == 2
