"""The unit every conflict rule produces: a link between two related sentences that disagree."""

from __future__ import annotations

from dataclasses import dataclass

Key = tuple[str, int]


@dataclass(frozen=True)
class Link:
    kind: str
    topic: str
    a: Key
    b: Key
    value_a: str
    value_b: str
    strong: bool
    day: str | None = None  # for place links: the date both sides share
