"""A synthetic big briefing (hundreds of articles) built directly as a ``Brief``, no NLP: for
testing and measuring that the renderers stay bounded. Its proportions follow what the
pipeline gave on 200 Timeline17 articles (issue 12): ~34 sentences per article, ~10 claims per
article of which a tenth corroborated, 286 timeline events, 1,636 entities.
"""

from __future__ import annotations

import random

from storyline.models import (
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
    Removed,
    Sentence,
    SummarySentence,
    SyndicationGroup,
    TimeEvidence,
    TimelineEvent,
)

WORDS = ("officials said the talks would continue next week amid concerns over weapons supplies and sanctions "
         "while analysts expected further meetings between the delegations in the capital on Tuesday").split()


def _sentence(rng: random.Random, n: int = 28) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def big_brief(n_articles: int = 200, seed: int = 7) -> Brief:
    rng = random.Random(seed)
    docs = []
    outlets = [f"Outlet {i}" for i in range(n_articles * 2 // 5)]
    for i in range(n_articles):
        aid = f"art{i:04d}"
        sents = [_sentence(rng) for _ in range(34)]
        source = None if i % 5 == 0 else outlets[i % len(outlets)]  # a fifth with no known outlet
        article = Article(
            id=aid, text="\n".join(sents), source=source, title=f"Headline number {i} about the summit talks",
            url=f"https://news{i % 50}.example.org/story/{i}" if i % 3 else None,
            published=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", published_evidence="header date",
            removed=tuple(Removed(f"Sign up for our newsletter {k}", "newsletter sign-up") for k in range(6)),
        )
        docs.append(AnalysedArticle(article, tuple(
            Sentence(aid, k, s, 0, len(s)) for k, s in enumerate(sents))))
    ids = [d.article.id for d in docs]
    claims = []
    for c in range(n_articles * 10):
        status = "corroborated" if c % 10 == 0 else ("contested" if c % 37 == 0 else "single-source")
        carriers = rng.sample(ids, min(len(ids), 2 + c % 6)) if status != "single-source" else [rng.choice(ids)]
        claims.append(Claim(f"c{c}", _sentence(rng, 20), status, len(carriers),  # type: ignore[arg-type]
                            tuple(ClaimMention(a, rng.randrange(34), "x", hedge="reported") for a in carriers)))
    entities = [Entity(f"e{k}", f"Name {k}", "PERSON" if k % 2 else "ORG", (f"Name {k}", f"N. {k}"),
                       tuple(EntityMention(rng.choice(ids), rng.randrange(34), f"Name {k}")
                             for _ in range(1 + k % 9)))
                for k in range(1636)]
    timeline = [TimelineEvent(f"2023-{1 + k % 12:02d}-{1 + k % 28:02d}", "predicted" if k % 9 == 0 else "occurred",
                              _sentence(rng, 18), tuple(rng.sample(ids, min(len(ids), 1 + k % 4))),
                              (TimeEvidence(rng.choice(ids), rng.randrange(34), "on Tuesday"),))
                for k in range(286)]
    timeline.sort(key=lambda e: e.date)
    conflicts = [Conflict(f"x{k}", "number", f"Number of delegates: {k} vs {k + 1}",
                          tuple(ConflictSide(a, rng.randrange(34), _sentence(rng, 20), str(k + j))
                                for j, a in enumerate(rng.sample(ids, min(len(ids), 2 + k % 7)))))
                 for k in range(60)]
    syndication = [SyndicationGroup(tuple(rng.sample(ids, min(len(ids), 2 + k % 20))), "copy" if k % 2 else "shared-wire",
                                    "Reuters", 3) for k in range(40)]
    summary = [SummarySentence(_sentence(rng), (Citation(rng.choice(ids), rng.randrange(34)),)) for _ in range(8)]
    return Brief("A big story", "2023-01-01", "2023-12-28", tuple(docs), tuple(entities), tuple(claims),
                 tuple(conflicts), tuple(timeline), tuple(syndication), tuple(summary))
