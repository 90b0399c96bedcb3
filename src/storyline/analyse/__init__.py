"""analyse: sentences, entities, quantities and temporal expressions of cleaned articles.

Sentences never cross a paragraph line; offsets point into ``Article.text``; relative dates are
resolved against the (reconciled) date of the post or article they stand in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

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


def analyse(articles: Sequence[Article], settings: Settings | None = None) -> list[AnalysedArticle]:
    """Sentences with entities, quantities and resolved dates, for each article."""
    settings = settings or Settings()
    nlp = load_spacy()
    lines = [
        (a, off, line)
        for a, article in enumerate(articles)
        for off, line in paragraphs(article.text)
    ]
    docs = nlp.pipe((line for _, _, line in lines), batch_size=settings.batch_size)

    # (start, end, text, post, mentions) per article; dates come after reconciliation
    raw: list[list[tuple[int, int, str, int | None, tuple[Mention, ...]]]] = [[] for _ in articles]
    for (a, off, _line), doc in zip(lines, docs, strict=True):
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


__all__ = ["analyse", "paragraphs", "find_times", "find_quantities"]
