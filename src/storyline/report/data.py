"""The briefing as plain data: the ``storyline.brief/1`` contract, shared by every renderer."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..models import (
    AnalysedArticle,
    Article,
    Brief,
    Citation,
    Claim,
    ClaimMention,
    Conflict,
    ConflictSide,
    Entity,
    EntityMention,
    Post,
    Removed,
    Sentence,
    SummarySentence,
    SyndicationGroup,
    TimeEvidence,
    TimelineEvent,
)

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


def from_dict(data: dict[str, Any]) -> Brief:
    """A briefing back from its JSON (``to_dict``'s inverse, for a briefing cached in the store).

    Sentences keep their text, index and post; the analysis behind them (entities, offsets,
    resolved dates) is not in the JSON and is not needed to show the briefing.
    """
    docs = []
    for a in data.get("articles", []):
        posts = a.get("posts") or []
        article = Article(
            id=a["id"],
            text="\n".join(a.get("sentences", [])),
            path=a.get("path"),
            url=a.get("url"),
            source=a.get("source"),
            source_evidence=a.get("source_evidence"),
            title=a.get("title"),
            published=a.get("published"),
            published_evidence=a.get("published_evidence"),
            authors=tuple(a.get("authors", ())),
            posts=tuple(
                Post(start=0, title=p.get("title"), published=p.get("published"),
                     authors=tuple(p.get("authors", ())))
                for p in posts
            ),
            removed=tuple(Removed(r["text"], r["reason"]) for r in a.get("removed", ())),
            captions=tuple(a.get("captions", ())),
        )
        firsts = [int(p.get("first_sentence", 0)) for p in posts]
        sentences = []
        for i, text in enumerate(a.get("sentences", [])):
            post = max((k for k, first in enumerate(firsts) if first <= i), default=None)
            sentences.append(Sentence(article=a["id"], index=i, text=text, start=0, end=len(text), post=post))
        docs.append(AnalysedArticle(article=article, sentences=tuple(sentences)))
    story = data.get("story", {})
    span = story.get("span", {})
    return Brief(
        title=story.get("title") or "Untitled story",
        span_start=span.get("start"),
        span_end=span.get("end"),
        articles=tuple(docs),
        entities=tuple(
            Entity(e["id"], e["name"], e["type"], tuple(e.get("aliases", ())),
                   tuple(EntityMention(m["article"], m["sentence"], m["text"]) for m in e.get("mentions", ())))
            for e in data.get("entities", [])
        ),
        claims=tuple(
            Claim(c["id"], c["text"], c["status"], c["independent_sources"],
                  tuple(ClaimMention(m["article"], m["sentence"], m["text"], m.get("speaker"), m.get("cue"),
                                     m.get("hedge", "asserted"))
                        for m in c.get("mentions", ())))
            for c in data.get("claims", [])
        ),
        conflicts=tuple(
            Conflict(c["id"], c["kind"], c["summary"],
                     tuple(ConflictSide(s["article"], s["sentence"], s["text"], s.get("value"))
                           for s in c.get("sides", ())))
            for c in data.get("conflicts", [])
        ),
        timeline=tuple(
            TimelineEvent(t["date"], t["status"], t["text"], tuple(t.get("articles", ())),
                          tuple(TimeEvidence(e["article"], e["sentence"], e["expression"])
                                for e in t.get("evidence", ())))
            for t in data.get("timeline", [])
        ),
        syndication=tuple(
            SyndicationGroup(tuple(g["articles"]), g["kind"], g.get("origin"), g.get("shared_sentences", 0))
            for g in data.get("syndication", [])
        ),
        summary=tuple(
            SummarySentence(s["text"], tuple(Citation(c["article"], c["sentence"]) for c in s.get("citations", ())))
            for s in data.get("summary", [])
        ),
        warnings=tuple(data.get("warnings", ())),
    )
