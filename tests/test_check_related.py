"""check.related: which sentence pairs the conflict rules look at, on vectors we control."""

from __future__ import annotations

import numpy as np

from storyline.analyse.embed import SentenceVectors
from storyline.check.related import NEIGHBOURS, RELATED_SIMILARITY, related_pairs
from storyline.models import AnalysedArticle, Article, Sentence


def story(vectors: list[np.ndarray]) -> tuple[list[AnalysedArticle], SentenceVectors]:
    """One sentence per article, with the given (normalised) vectors."""
    docs, keys = [], []
    for i in range(len(vectors)):
        aid = f"a{i:03d}"
        text = f"Sentence number {i} of the story."
        docs.append(
            AnalysedArticle(
                article=Article(id=aid, text=text),
                sentences=(Sentence(article=aid, index=0, text=text, start=0, end=len(text)),),
            )
        )
        keys.append((aid, 0))
    matrix = np.stack([v / np.linalg.norm(v) for v in vectors]).astype(np.float32)
    return docs, SentenceVectors(keys=tuple(keys), matrix=matrix)


DIM = 4 * NEIGHBOURS + 2
SHARED = DIM - 1  # an axis the "crowd" sentences share


def unit(parts: dict[int, float]) -> np.ndarray:
    v = np.zeros(DIM)
    for axis, x in parts.items():
        v[axis] = x
    rest = 1 - sum(x * x for x in parts.values())
    return v if rest <= 0 else v + _own_axis(np.sqrt(rest))


def _own_axis(x: float) -> np.ndarray:
    """``x`` on an axis no other sentence uses."""
    _own_axis.next += 1  # type: ignore[attr-defined]
    v = np.zeros(DIM)
    v[_own_axis.next] = x  # type: ignore[attr-defined]
    return v


_own_axis.next = 0  # type: ignore[attr-defined]
HUB = unit({0: 1.0})


def pairs_of(docs: list[AnalysedArticle], vectors: SentenceVectors) -> set[tuple[str, str]]:
    group_of = {d.article.id: 0 for d in docs}
    return {(a[0], b[0]) for a, b in related_pairs(docs, [], vectors, group_of)}


def test_a_sentence_is_compared_with_its_nearest_sentences_only() -> None:
    # The hub has 40 near sentences (0.9) and 80 related ones (0.5) that are far nearer one
    # another (0.89): the hub keeps its 40 nearest, and the crowd's nearest are the crowd.
    _own_axis.next = 0  # type: ignore[attr-defined]
    near = [unit({0: 0.9}) for _ in range(NEIGHBOURS)]
    crowd = [unit({0: 0.5, SHARED: 0.8}) for _ in range(2 * NEIGHBOURS)]
    docs, vectors = story([HUB, *near, *crowd])
    found = pairs_of(docs, vectors)
    ids = [d.article.id for d in docs]
    near_ids, crowd_ids = set(ids[1 : 1 + NEIGHBOURS]), set(ids[1 + NEIGHBOURS :])
    assert {b for a, b in found if a == "a000"} == near_ids
    # every crowd sentence still meets its own nearest
    assert all(
        sum(1 for a, b in found if x in (a, b) and {a, b} <= crowd_ids) >= NEIGHBOURS
        for x in crowd_ids
    )


def test_nothing_under_the_floor_is_compared() -> None:
    _own_axis.next = 0  # type: ignore[attr-defined]
    docs, vectors = story(
        [HUB, unit({0: RELATED_SIMILARITY - 0.05}), unit({0: RELATED_SIMILARITY + 0.05})]
    )
    assert pairs_of(docs, vectors) == {("a000", "a002")}


def test_copies_of_one_sentence_tie_and_are_all_kept() -> None:
    # More identical copies than NEIGHBOURS: each is exactly as near as the k-th, so all are
    # kept (which of the tied copies a partition keeps would be arbitrary).
    _own_axis.next = 0  # type: ignore[attr-defined]
    copy = unit({0: 0.8})
    docs, vectors = story([HUB, *[copy.copy() for _ in range(NEIGHBOURS + 10)]])
    found = pairs_of(docs, vectors)
    assert {b for a, b in found if a == "a000"} == {d.article.id for d in docs[1:]}
