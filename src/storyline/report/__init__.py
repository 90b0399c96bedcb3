"""Renderers: the briefing as JSON (``storyline.brief/1``), Markdown or self-contained HTML."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..errors import UsageError
from ..models import Brief
from . import html, markdown
from .data import SCHEMA, to_dict


def _json(brief: Brief) -> str:
    return json.dumps(to_dict(brief), ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Brief], str]] = {
    "json": _json,
    "markdown": markdown.render,
    "html": html.render,
}


def render(brief: Brief, fmt: str = "markdown") -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(RENDERERS)}") from None
    return renderer(brief)


__all__ = ["RENDERERS", "SCHEMA", "render", "to_dict"]
