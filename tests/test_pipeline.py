"""The composed pipeline on inputs a user may give by mistake: two stories, one article."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.pipeline import brief_paths
from storyline.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kim-putin-summit-2023"


def test_two_unrelated_stories_warn_and_never_corroborate_across(nlp, embedder) -> None:
    kim = [EXAMPLE / "001_eda457ef90150f03.txt", EXAMPLE / "004_8cae0baa380acb99.txt"]
    other = sorted((FIXTURES / "align").glob("dingwall_*.txt"))
    brief, problems = brief_paths([str(p) for p in kim + other], Settings(progress=False))
    assert brief is not None and not problems
    assert any("more than one story" in w for w in brief.warnings)
    ids = {d.article.path: d.article.id for d in brief.articles}
    kim_ids = {ids[str(p)] for p in kim}
    for claim in brief.claims:
        sides = {m.article in kim_ids for m in claim.mentions}
        assert len(sides) == 1, claim
    for conflict in brief.conflicts:
        assert len({s.article in kim_ids for s in conflict.sides}) == 1, conflict
    for group in brief.syndication:
        assert len({a in kim_ids for a in group.articles}) == 1


def test_a_single_article_is_all_single_source(nlp, embedder) -> None:
    brief, problems = brief_paths([str(EXAMPLE / "003_14b47a80c8812627.txt")], Settings(progress=False))
    assert brief is not None and not problems
    assert brief.claims and {c.status for c in brief.claims} <= {"single-source", "contested"}
    assert all(c.independent_sources == 1 for c in brief.claims)
    assert brief.syndication == ()
    assert not brief.warnings
    assert brief.summary and brief.timeline


def test_a_one_sentence_record_is_an_article_but_a_one_line_page_is_not(tmp_path: Path) -> None:
    from storyline.ingest import read_inputs
    from storyline.pipeline import clean_articles

    brief = "Four armed robbers made off with diamonds and jewels worth millions from a famed Paris store."
    (tmp_path / "wire.jsonl").write_text(f'{{"id": "w1", "text": "{brief}"}}\n', encoding="utf-8")
    (tmp_path / "page.txt").write_text(f"Paris heist\n{brief}\n", encoding="utf-8")
    settings = Settings(progress=False)
    read = read_inputs([str(tmp_path / "wire.jsonl"), str(tmp_path / "page.txt")], settings)
    kept, problems = clean_articles(read.articles, settings)
    assert [a.id for a in kept] == ["w1"]
    assert len(problems) == 1 and "page.txt" in str(problems[0])
    assert "no article text found" in str(problems[0])


def test_the_collector_is_paused_while_briefing_and_comes_back_as_it_was(monkeypatch) -> None:
    import gc

    from storyline import pipeline

    seen: list[bool] = []
    monkeypatch.setattr(pipeline.link, "link_entities", lambda docs: seen.append(gc.isenabled()) or [])
    vectors = pipeline.SentenceVectors(keys=(), matrix=np.zeros((0, 384), dtype=np.float32))
    assert gc.isenabled()
    pipeline.brief_analysed([], vectors, Settings(progress=False))
    assert seen == [False] and gc.isenabled()

    def boom(docs: object) -> list[object]:
        raise RuntimeError("a stage failed")

    monkeypatch.setattr(pipeline.link, "link_entities", boom)
    with pytest.raises(RuntimeError):
        pipeline.brief_analysed([], vectors, Settings(progress=False))
    assert gc.isenabled()  # a failing stage does not leave the collector off

    gc.disable()  # a caller that keeps the collector off keeps it off
    try:
        with pipeline.collector_paused(), pipeline.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_briefing_makes_no_reference_cycles_of_its_own(nlp, embedder) -> None:
    """Why the pause is safe: with the collector off, our stages leave no garbage that only it
    could free. spaCy's parser leaves a few objects per batch of sentences it parses again;
    those are not ours and the next collection after the brief frees them."""
    import gc

    from storyline.analyse import embed
    from storyline.analyse import nlp as parses
    from storyline.ingest import read_inputs
    from storyline.pipeline import analyse_and_embed, brief_analysed, clean_articles

    settings = Settings(progress=False)
    articles, _ = clean_articles(read_inputs([str(EXAMPLE)], settings).articles, settings)
    docs, vectors = analyse_and_embed(articles, settings)
    brief_analysed(docs, vectors, settings)  # lazy imports make their cycles once, not per brief
    embed.clear_cache()  # every sentence and clause embedded again, as in a first brief
    parses.clear_cache()  # and every sentence parsed again
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what a collection finds, to look at it
    try:
        gc.disable()
        docs, vectors = analyse_and_embed(articles, settings)  # the pause covers analyse too
        brief = brief_analysed(docs, vectors, settings)
        gc.collect()
        found = {id(o): o for o in gc.garbage}
        # what spaCy's parser leaves: its step models and what hangs off them
        spacy_left = {i for i, o in found.items() if type(o).__name__ == "ParserStepModel"}
        todo = list(spacy_left)
        while todo:
            for ref in gc.get_referents(found[todo.pop()]):
                if id(ref) in found and id(ref) not in spacy_left:
                    spacy_left.add(id(ref))
                    todo.append(id(ref))
        ours = [type(o).__name__ for i, o in found.items() if i not in spacy_left]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert brief.claims and brief.timeline
    assert ours == []
