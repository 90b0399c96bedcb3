"""One self-contained HTML file: no external assets, every piece of article text escaped."""

from __future__ import annotations

import functools
import re
from collections import Counter

import jinja2

from ..models import Brief
from . import view


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storyline.report", "templates"),
        autoescape=True,  # article text is untrusted input
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["anchor"] = anchor
    return env.get_template("brief.html.j2")


def anchor(article: str, sentence: int | None = None) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", article)
    return f"a-{safe}" if sentence is None else f"a-{safe}-s{sentence}"


def render(brief: Brief) -> str:
    labels = view.labels(brief)
    rows = view.matrix(brief)
    return _template().render(
        brief=brief,
        header=view.header(brief),
        labels=labels,
        rows=[r for r in rows if r.claim.status != "single-source"],
        single=[r for r in rows if r.claim.status == "single-source"],
        removed_counts={
            d.article.id: Counter(r.reason for r in d.article.removed).most_common()
            for d in brief.articles
        },
        readable=view.readable,
        CARRIES=view.CARRIES,
        COPY=view.COPY,
    )
