"""The story page as one self-contained HTML file (``brief --html``).

The page is the web app's story page (the same templates, ``templates/sections.html.j2``)
rendered with in-page links: every citation jumps to the sentence in the Sources section.
No external assets; every piece of data is escaped; its Content-Security-Policy allows only
its own inline style and script (by hash), so nothing from the data can run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from ..models import Brief
from . import view


def anchor(article: str, sentence: int | None = None) -> str:
    """An element id for an article (or one of its sentences) in the report."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", article)
    return f"a-{safe}" if sentence is None else f"a-{safe}-s{sentence}"


def _finalize(value: Any) -> Any:
    # Every {{ value }} of data loses bidi controls; markup made by the templates is kept.
    if isinstance(value, str) and not isinstance(value, Markup):
        return view.plain(value)
    return value


def environment(*loaders: jinja2.BaseLoader) -> jinja2.Environment:
    """The Jinja environment of every HTML view; ``loaders`` come before the report's own."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.PackageLoader("storyline.report", "templates")]),
        autoescape=True,  # article text is untrusted input
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["anchor"] = anchor
    env.filters["num"] = view.shown_number
    env.filters["weburl"] = view.web_url
    env.filters["typename"] = lambda t: view.TYPE_NAMES.get(t, t.lower())
    env.filters["kindname"] = lambda k: view.KIND_NAMES.get(k, k)
    env.globals.update(
        CARRIES=view.CARRIES, COPY=view.COPY, ABSENT=view.ABSENT, LANES=view.LANES,
        MAX_SIDES=view.MAX_SIDES, MAX_GROUP_ARTICLES=view.MAX_GROUP_ARTICLES, readable=view.readable,
    )  # fmt: skip
    return env


def asset(name: str) -> str:
    """A file shipped beside the templates (the shared stylesheet, the report's script)."""
    return resources.files("storyline.report").joinpath("templates", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


class ReportLinks:
    """Links of the self-contained file: everything is on the page."""

    standalone = True
    full: Callable[[str], str] | None = None
    toolbar: str | None = None

    @staticmethod
    def cite(article: str, sentence: int) -> str:
        return "#" + anchor(article, sentence)

    @staticmethod
    def article(article: str) -> str:
        return "#" + anchor(article)


@functools.cache
def _report() -> tuple[jinja2.Template, str, str, str]:
    css, js = asset("storyline.css"), asset("report.js")
    policy = (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return environment().get_template("brief.html.j2"), css, js, policy


def policy() -> str:
    """The report's Content-Security-Policy (a server sending the file sends it as a header)."""
    return _report()[3]


def render(brief: Brief) -> str:
    template, css, js, policy = _report()
    return template.render(
        v=view.story(brief),
        b=brief,
        links=ReportLinks(),
        css=Markup(css),
        js=Markup(js),
        csp=policy,
    )
