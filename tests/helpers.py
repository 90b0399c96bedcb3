"""Helpers shared by several test modules.

tests/ has no __init__.py, so pytest's default ("prepend") import mode puts this directory on
sys.path (it inserts the directory of conftest.py and of each test module): ``import helpers``
works from any test module here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from storyline.models import AnalysedArticle, Article, Mention, Sentence
from storyline.settings import Settings

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "align"))

import align_docs  # noqa: E402

__all__ = ["EXAMPLE_IDS", "SETTINGS", "align_docs", "analyse_with_spacy"]

SETTINGS = Settings(progress=False)
EXAMPLE_IDS = ("000", "001", "002", "003", "004")


def analyse_with_spacy(paths: list[Path], nlp) -> list[AnalysedArticle]:
    """Sentences and entity mentions straight from spaCy (one paragraph per line): the input the
    link and claims stages get."""
    docs = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines, offset = [], 0
        for line in text.split("\n"):
            if line.strip():
                lines.append((offset, line))
            offset += len(line) + 1
        sentences: list[Sentence] = []
        for (start, _), parsed in zip(lines, nlp.pipe(line for _, line in lines), strict=True):
            for s in parsed.sents:
                mentions = tuple(
                    Mention(
                        e.text, e.label_, e.start_char - s.start_char, e.end_char - s.start_char
                    )
                    for e in s.ents
                )
                sentences.append(
                    Sentence(
                        path.stem,
                        len(sentences),
                        s.text,
                        start + s.start_char,
                        start + s.end_char,
                        entities=mentions,
                    )
                )
        docs.append(AnalysedArticle(Article(path.stem, text), tuple(sentences)))
    return docs
