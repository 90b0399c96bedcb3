"""What Markdown and HTML both show: labels, the claims x sources matrix, the header line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..models import Brief, Claim, SyndicationGroup

CARRIES = "carries"
COPY = "copy"
ABSENT = ""


def labels(brief: Brief) -> dict[str, str]:
    """A short label per article: its outlet, or its id when the outlet is unknown."""
    base = {d.article.id: (d.article.source or d.article.id) for d in brief.articles}
    counts = Counter(base.values())
    seen: Counter[str] = Counter()
    out: dict[str, str] = {}
    for d in brief.articles:
        name = base[d.article.id]
        if counts[name] > 1:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        out[d.article.id] = name
    return out


def header(brief: Brief) -> str:
    n = len(brief.articles)
    outlets = {d.article.source or d.article.id for d in brief.articles}
    parts = [f"{n} article{'s' if n != 1 else ''}", f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"]
    if brief.span_start:
        span = brief.span_start if brief.span_start == brief.span_end else f"{brief.span_start} to {brief.span_end}"
        parts.append(span)
    return " · ".join(parts)


@dataclass(frozen=True)
class MatrixRow:
    claim: Claim
    cells: dict[str, str]  # article id -> CARRIES / COPY / ABSENT


def _copy_of(article: str, carriers: set[str], groups: tuple[SyndicationGroup, ...], order: dict[str, int]) -> bool:
    """True when another carrier shares copy with ``article`` and comes first (origin or earlier)."""
    for g in groups:
        if article not in g.articles:
            continue
        partners = [a for a in g.articles if a != article and a in carriers]
        if not partners:
            continue
        if any(order[p] < order[article] for p in partners):
            return True
    return False


def matrix(brief: Brief) -> list[MatrixRow]:
    """Which article carries which claim; a copy of wire text another carrier has is a copy."""
    # Articles earlier in date (then input order) are taken as the originals of a shared copy.
    ranked = sorted(
        enumerate(brief.articles),
        key=lambda p: (p[1].article.published is None, p[1].article.published or "", p[0]),
    )
    order = {d.article.id: i for i, (_, d) in enumerate(ranked)}
    rows = []
    for claim in brief.claims:
        carriers = {m.article for m in claim.mentions}
        cells = {}
        for d in brief.articles:
            aid = d.article.id
            if aid not in carriers:
                cells[aid] = ABSENT
            elif _copy_of(aid, carriers, brief.syndication, order):
                cells[aid] = COPY
            else:
                cells[aid] = CARRIES
        rows.append(MatrixRow(claim, cells))
    return rows


def readable(text: str, labels: dict[str, str]) -> str:
    """Article ids in a generated line (a conflict summary) shown as their outlet labels."""
    for article, label in sorted(labels.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(article, label)
    return text
