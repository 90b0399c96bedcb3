"""The domain: frozen dataclasses that flow between the pipeline stages.

Every stage is a function that takes some of these and returns new ones; nothing is mutated.
Dates that may be partial are ISO strings: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Hedge = Literal["asserted", "reported", "expected", "alleged", "denied", "speculative"]
ClaimStatus = Literal["corroborated", "single-source", "contested"]
ConflictKind = Literal["number", "unit", "date", "place", "actor", "denial", "other"]
EventStatus = Literal["occurred", "predicted", "reported"]
SyndicationKind = Literal["copy", "rewrite", "shared-wire"]
Precision = Literal["day", "month", "year"]


# --- ingest and clean ---------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """A line taken out of an article's body, kept so nothing disappears silently."""

    text: str
    reason: str  # e.g. "comment form", "photo credit", "photo caption", "newsletter sign-up"


@dataclass(frozen=True)
class Post:
    """One dated post of a live blog. ``start`` is a character offset into ``Article.text``."""

    start: int
    title: str | None = None
    published: str | None = None  # ISO date
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One input article. ``ingest`` fills the metadata and raw text, ``clean`` the rest.

    ``text`` is the body: paragraphs separated by a newline. After ``clean`` it holds body text
    only; captions sit in ``captions`` and every removed line in ``removed``.
    """

    id: str
    text: str
    path: str | None = None
    url: str | None = None
    source: str | None = None  # the outlet, e.g. "Reuters"; None when unknown
    source_evidence: str | None = None  # why we think so, e.g. 'dateline "SEOUL, Sept. 13 (Korea Bizwire)"'
    title: str | None = None
    published: str | None = None  # ISO date used to resolve relative dates
    published_evidence: str | None = None  # which date was used and why
    authors: tuple[str, ...] = ()
    posts: tuple[Post, ...] = ()  # empty unless the article is a live blog
    removed: tuple[Removed, ...] = ()
    captions: tuple[str, ...] = ()
    fmt: str = "text"  # input format: text, html, json, warc, feed, url


# --- analyse ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A named-entity mention inside a sentence (offsets relative to the sentence text)."""

    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, ...
    start: int
    end: int


@dataclass(frozen=True)
class TimeExpression:
    """A temporal expression resolved against the date of the post it stands in."""

    text: str  # as written, e.g. "on Tuesday", "75 years ago"
    start: int  # offsets relative to the sentence text
    end: int
    value: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: Precision
    relative: bool  # True when resolution needed an anchor date ("Tuesday", "yesterday")
    anchor: str | None = None  # the ISO date it was resolved against, when relative


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence, with its unit when one follows ("1,000 miles")."""

    text: str
    value: float
    unit: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A body sentence. ``index`` is its 0-based position in the article's ``sentences``."""

    article: str
    index: int
    text: str
    start: int  # character offsets into Article.text
    end: int
    post: int | None = None  # index into Article.posts, when the article is a live blog
    entities: tuple[Mention, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class AnalysedArticle:
    article: Article
    sentences: tuple[Sentence, ...]

    def reference_date(self, sentence: Sentence) -> str | None:
        """The date a sentence's relative expressions are resolved against."""
        if sentence.post is not None and self.article.posts:
            post = self.article.posts[sentence.post]
            if post.published:
                return post.published
        return self.article.published


# --- link, claims, align, check -----------------------------------------------------------


@dataclass(frozen=True)
class EntityMention:
    article: str
    sentence: int
    text: str


@dataclass(frozen=True)
class Entity:
    id: str
    name: str  # canonical name, titles and honorifics stripped
    type: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    aliases: tuple[str, ...]
    mentions: tuple[EntityMention, ...]


@dataclass(frozen=True)
class ClaimMention:
    """One article's wording of a claim, with who said it and how surely."""

    article: str
    sentence: int
    text: str
    speaker: str | None = None  # "Dmitry Peskov", "RIA Novosti", "Western officials"
    cue: str | None = None  # "said", "according to", "believe"
    hedge: Hedge = "asserted"


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    status: ClaimStatus
    independent_sources: int
    mentions: tuple[ClaimMention, ...]


@dataclass(frozen=True)
class ConflictSide:
    article: str
    sentence: int
    text: str  # the sentence, verbatim
    value: str | None  # the disputed value as written, e.g. "1,000 miles"


@dataclass(frozen=True)
class Conflict:
    id: str
    kind: ConflictKind
    summary: str
    sides: tuple[ConflictSide, ...]


@dataclass(frozen=True)
class SyndicationGroup:
    articles: tuple[str, ...]
    kind: SyndicationKind
    origin: str | None  # "Reuters", "Yonhap", ... when the text says so
    shared_sentences: int


# --- timeline and summary -----------------------------------------------------------------


@dataclass(frozen=True)
class TimeEvidence:
    article: str
    sentence: int
    expression: str


@dataclass(frozen=True)
class TimelineEvent:
    date: str  # ISO, partial when only month or year is known
    status: EventStatus
    text: str
    articles: tuple[str, ...]
    evidence: tuple[TimeEvidence, ...]


@dataclass(frozen=True)
class Citation:
    article: str
    sentence: int


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citations: tuple[Citation, ...]


# --- the whole briefing -------------------------------------------------------------------


@dataclass(frozen=True)
class Brief:
    title: str
    span_start: str | None
    span_end: str | None
    articles: tuple[AnalysedArticle, ...]
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    syndication: tuple[SyndicationGroup, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    warnings: tuple[str, ...] = field(default=())
