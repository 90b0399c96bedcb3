"""The briefing as plain data: the ``storyline.brief/1`` contract, shared by every renderer."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..models import AnalysedArticle, Brief, Claim

SCHEMA = "storyline.brief/1"


def article_dict(doc: AnalysedArticle) -> dict[str, Any]:
    a = doc.article
    posts: list[dict[str, Any]] = []
    for i, post in enumerate(a.posts):
        found = next((s.index for s in doc.sentences if s.post == i), None)
        # a post whose body lost every sentence points where its predecessor does
        first: int = found if found is not None else (posts[-1]["first_sentence"] if posts else 0)
        posts.append(
            {
                "title": post.title,
                "published": post.published,
                "first_sentence": first,
                "authors": list(post.authors),
            }
        )
    return {
        "id": a.id,
        "path": a.path,
        "url": a.url,
        "source": a.source,
        "source_evidence": a.source_evidence,
        "title": a.title,
        "published": a.published,
        "published_evidence": a.published_evidence,
        "authors": list(a.authors),
        "sentences": [s.text for s in doc.sentences],
        "posts": posts,
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
        "captions": list(a.captions),
    }


def claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "status": claim.status,
        "independent_sources": claim.independent_sources,
        "mentions": [
            {
                "article": m.article,
                "sentence": m.sentence,
                "text": m.text,
                "speaker": m.speaker,
                "cue": m.cue,
                "hedge": m.hedge,
            }
            for m in claim.mentions
        ],
    }


def to_dict(brief: Brief) -> dict[str, Any]:
    """The briefing as the JSON contract ``storyline.brief/1`` (extra fields are allowed)."""
    return {
        "schema": SCHEMA,
        "generator": {"name": "storyline", "version": __version__},
        "story": {
            "title": brief.title,
            "span": {"start": brief.span_start, "end": brief.span_end},
        },
        "warnings": list(brief.warnings),
        "articles": [article_dict(d) for d in brief.articles],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "mentions": [
                    {"article": m.article, "sentence": m.sentence, "text": m.text}
                    for m in e.mentions
                ],
            }
            for e in brief.entities
        ],
        "claims": [claim_dict(c) for c in brief.claims],
        "conflicts": [
            {
                "id": c.id,
                "kind": c.kind,
                "summary": c.summary,
                "sides": [
                    {"article": s.article, "sentence": s.sentence, "text": s.text, "value": s.value}
                    for s in c.sides
                ],
            }
            for c in brief.conflicts
        ],
        "timeline": [
            {
                "date": t.date,
                "status": t.status,
                "text": t.text,
                "articles": list(t.articles),
                "evidence": [
                    {"article": e.article, "sentence": e.sentence, "expression": e.expression}
                    for e in t.evidence
                ],
            }
            for t in brief.timeline
        ],
        "syndication": [
            {
                "articles": list(g.articles),
                "kind": g.kind,
                "origin": g.origin,
                "shared_sentences": g.shared_sentences,
            }
            for g in brief.syndication
        ],
        "summary": [
            {
                "text": s.text,
                "citations": [{"article": c.article, "sentence": c.sentence} for c in s.citations],
            }
            for s in brief.summary
        ],
    }
