"""Links to conflicts: connected groups of strong links, each with a one-line summary."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..align import stable_id
from ..models import AnalysedArticle, Conflict, ConflictSide, Sentence
from .denial import DENIAL
from .links import Key, Link


def assemble(
    links: list[Link], sentences: dict[Key, Sentence], docs: Sequence[AnalysedArticle]
) -> list[Conflict]:
    """Connected groups of strong links of one kind (sharing a sentence joins them), plus the
    sides that weak links attach to such a group."""
    order = {d.article.id: k for k, d in enumerate(docs)}
    parent: dict[tuple[str, Key], tuple[str, Key]] = {}

    def find(x: tuple[str, Key]) -> tuple[str, Key]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    values: dict[tuple[str, Key], str] = {}
    for ln in links:
        if not ln.strong:
            continue
        a, b = (ln.kind, ln.a), (ln.kind, ln.b)
        values.setdefault(a, ln.value_a)
        values.setdefault(b, ln.value_b)
        parent[find(a)] = find(b)
    topics: dict[tuple[str, Key], str] = {}
    for ln in links:
        if ln.strong:
            topics.setdefault(find((ln.kind, ln.a)), ln.topic)
    # Weak links only add a side to a group that already has a plain disagreement.
    for ln in links:
        if ln.strong:
            continue
        a, b = (ln.kind, ln.a), (ln.kind, ln.b)
        if a in parent and b not in parent:
            values[b] = ln.value_b
            parent[b] = find(a)
        elif b in parent and a not in parent:
            values[a] = ln.value_a
            parent[a] = find(b)
    members: dict[tuple[str, Key], list[tuple[str, Key]]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    out = []
    for root, xs in members.items():
        keys = sorted({x[1] for x in xs}, key=lambda k: (order.get(k[0], 1 << 30), k[1]))
        sides = tuple(
            ConflictSide(k[0], k[1], sentences[k].text, values.get((root[0], k))) for k in keys
        )
        if len({s.value for s in sides}) < 2 and root[0] != "denial":
            continue
        kind = root[0]
        topic = topics.get(root, kind)
        out.append(
            Conflict(
                id=stable_id("x-", [kind] + [f"{s.article}:{s.sentence}" for s in sides]),
                kind=kind,  # type: ignore[arg-type]
                summary=_summary(topic, sides, kind),
                sides=sides,
            )
        )
    out.sort(key=lambda c: (order.get(c.sides[0].article, 1 << 30), c.sides[0].sentence, c.kind))
    return out


def _summary(topic: str, sides: Sequence[ConflictSide], kind: str = "") -> str:
    """One line: each distinct value once, with the articles that give it.

    'Distance from Vladivostok: "1,000 miles" (000) vs "1,000 kilometers" (001)'
    """
    shown: dict[str, str] = {}
    articles: dict[str, list[str]] = defaultdict(list)
    for side in sides:
        value = side.value or ""
        if kind == "denial":  # all denials on one side, all assertions on the other
            key = "denied" if DENIAL.search(value) else "asserted"
            shown.setdefault(key, value)
            if side.article not in articles[key]:
                articles[key].append(side.article)
            continue
        key = re.sub(r"^(on|in|at)\s+", "", value.lower()).strip(' “”"')
        shown.setdefault(key, value)
        if side.article not in articles[key]:
            articles[key].append(side.article)
    parts = [(f'"{shown[k]}" ' if shown[k] else "") + f"({', '.join(articles[k])})" for k in shown]
    return f"{topic}: " + " vs ".join(parts)
