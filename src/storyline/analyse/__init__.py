"""analyse: sentences, entities, quantities and temporal expressions of cleaned articles.

Sentences never cross a paragraph line; offsets point into ``Article.text``; relative dates are
resolved against the (reconciled) date of the post or article they stand in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..models import AnalysedArticle, Article, Mention, Sentence
from ..settings import Settings
from .consistency import harmonise
from .dating import reconcile
from .nlp import load_spacy, remember_parse
from .quantities import find_quantities
from .temporal import find_times

ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for every non-blank line of an article body."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, line
        pos += len(line) + 1


def _post_of(article: Article, offset: int) -> int | None:
    found = None
    for i, post in enumerate(article.posts):
        if post.start <= offset:
            found = i
    return found


def _parse_lines(lines: list[str], nlp: Any, settings: Settings) -> Iterator[Any]:
    """spaCy Docs of ``lines`` in order, each distinct line parsed once: syndicated copies
    repeat paragraphs word for word (4% of the words of 200 Timeline17 articles), and a parse
    depends on its text only. Only the Docs of lines that come again are kept."""
    counts = Counter(lines)
    fresh = nlp.pipe(list(counts), batch_size=settings.batch_size)  # first-seen order
    again: dict[str, Any] = {}
    for line in lines:
        doc = again.get(line)
        if doc is None:
            doc = next(fresh)
            if counts[line] > 1:
                again[line] = doc
        yield doc


RawSentence = tuple[int, int, str, int | None, tuple[Mention, ...]]
"""(start, end, text, post, entity mentions) of a sentence, before its dates are resolved."""


def analyse(articles: Sequence[Article], settings: Settings | None = None) -> list[AnalysedArticle]:
    """Sentences with entities, quantities and resolved dates, for each article."""
    return date_sentences(articles, split_sentences(articles, settings))


def split_sentences(articles: Sequence[Article], settings: Settings | None = None) -> list[list[RawSentence]]:
    """The spaCy pass: sentences and entity mentions of each article (no dates yet).

    Article by article, so it can run on any grouping of articles; ``date_sentences`` then
    needs the articles of one story together (dates are reconciled across a story).
    """
    settings = settings or Settings()
    nlp = load_spacy()
    lines = [
        (a, off, line)
        for a, article in enumerate(articles)
        for off, line in paragraphs(article.text)
    ]
    raw: list[list[RawSentence]] = [[] for _ in articles]
    for (a, off, _line), doc in zip(lines, _parse_lines([line for _, _, line in lines], nlp, settings), strict=True):
        for sent in doc.sents:
            text = sent.text
            stripped = text.strip()
            if not stripped:
                continue
            lead = len(text) - len(text.lstrip())
            start = off + sent.start_char + lead
            end = start + len(stripped)
            mentions = tuple(
                Mention(
                    text=ent.text,
                    label=ent.label_,
                    start=ent.start_char - sent.start_char - lead,
                    end=ent.end_char - sent.start_char - lead,
                )
                for ent in sent.ents
                if ent.label_ in ENTITY_LABELS
            )
            raw[a].append((start, end, stripped, _post_of(articles[a], start), mentions))
            if text == stripped:  # the parse is reused by claims and check
                remember_parse(stripped, sent.as_doc())
    return raw


def undated(articles: Sequence[Article], raw: Sequence[Sequence[RawSentence]]) -> list[AnalysedArticle]:
    """Articles with their sentences and entities only: enough for claims and embeddings."""
    return [
        AnalysedArticle(
            article=article,
            sentences=tuple(
                Sentence(article=article.id, index=i, text=t, start=s, end=e, post=p, entities=m)
                for i, (s, e, t, p, m) in enumerate(sents)
            ),
        )
        for article, sents in zip(articles, raw, strict=True)
    ]


def date_sentences(articles: Sequence[Article], raw: Sequence[Sequence[RawSentence]]) -> list[AnalysedArticle]:
    """Reconcile the dates of one story's articles, then resolve each sentence's dates against them."""
    dated = reconcile(articles, [[(t, p) for _, _, t, p, _ in sents] for sents in raw])

    out: list[AnalysedArticle] = []
    for article, sents in zip(dated, raw, strict=True):
        shell = AnalysedArticle(article=article, sentences=())
        sentences = []
        for index, (start, end, text, post, mentions) in enumerate(sents):
            s = Sentence(
                article=article.id,
                index=index,
                text=text,
                start=start,
                end=end,
                post=post,
                entities=mentions,
            )
            anchor = shell.reference_date(s)
            sentences.append(
                replace(
                    s,
                    times=tuple(find_times(text, anchor)),
                    quantities=tuple(find_quantities(text)),
                )
            )
        out.append(AnalysedArticle(article=article, sentences=tuple(sentences)))
    return harmonise(out)


__all__ = [
    "RawSentence", "analyse", "date_sentences", "find_quantities", "find_times", "paragraphs",
    "split_sentences", "undated",
]
