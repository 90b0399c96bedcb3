"""The briefing as Markdown, in the order a reader asks their questions.

Bounded like the story page (``view``: ranked lists capped with "N more", one grid column per
outlet). Data is escaped: HTML in a title or a sentence shows as text when the Markdown is
rendered, Markdown syntax in it does not make links or emphasis, bidi controls are dropped,
and only http(s) addresses become links.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..models import Brief, Citation
from . import view

MARK = {view.CARRIES: "●", view.COPY: "copy", view.ABSENT: "·"}
MAX_REMOVED_LINES = 5  # removed lines listed per article; all are in the JSON and HTML
DETAILED_SOURCES = 12  # more articles than this: one table row each

# What could make markup of data: emphasis, code, links and images ("[" "]"), table cells and
# strike-through get a backslash; "<" and ">" (HTML, autolinks) become entities, and so does an
# "&" that would start one (a plain "&" stays readable).
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def text(value: str | None) -> str:
    """Data as inert Markdown on one line: no HTML, no links, no emphasis, no bidi controls."""
    out = " ".join(view.plain(value or "").split())
    out = _SPECIAL.sub(r"\\\1", out)
    return _ENTITY.sub("&amp;", out).replace("<", "&lt;").replace(">", "&gt;")


def _cite(citations: tuple[Citation, ...] | list[Citation], labels: dict[str, str]) -> str:
    return " ".join(f"\\[{text(labels.get(c.article, c.article))} §{view.shown_number(c.sentence)}\\]"
                    for c in citations)


def _link(url: str | None) -> str:
    safe = view.web_url(url)
    if safe is not None:
        return f"<{safe.replace('<', '%3C').replace('>', '%3E')}>"
    return f"address (not a web link) {text(url)}" if url else ""


def _more(n: int, what: str) -> list[str]:
    return [f"_{n} more {what} in the JSON briefing (`--format json`)._", ""] if n else []


def _source_table(brief: Brief, labels: dict[str, str]) -> list[str]:
    out = ["| source | outlet | headline | published | sentences | removed |", "|---|---|---|---|---:|---:|"]
    for d in brief.articles:
        a = d.article
        out.append(f"| {text(labels[a.id])} | {text(a.source) if a.source else 'unknown'} | "
                   f"{text(a.title or '(untitled)')} | {text(a.published) or 'unknown'} | "
                   f"{len(d.sentences)} | {len(a.removed)} |")
    return [*out, ""]


def render(brief: Brief) -> str:
    v = view.story(brief)
    labels = v.labels
    out: list[str] = [f"# {text(brief.title)} — {v.header}", ""]
    for warning in brief.warnings:
        out += [f"> **Warning:** {text(warning)}", ""]

    out += ["## In brief", ""]
    if brief.summary:
        for s in brief.summary:
            out += [f"{text(s.text)} {_cite(s.citations, labels)}", ""]
    else:
        out += ["_No summary: too little text._", ""]

    out += ["## Timeline", ""]
    for _, ev in v.timeline:
        tag = "" if ev.status == "occurred" else f" _({ev.status})_"
        sources = ", ".join(text(labels.get(a, a)) for a in ev.articles)
        out.append(f"- **{text(ev.date)}**{tag} {text(ev.text)} \\[{sources}\\]")
    if not brief.timeline:
        out.append("_No dated events found._")
    out.append("")
    out += _more(v.timeline_more, "events")

    out += ["## Where the sources disagree", ""]
    if not brief.conflicts:
        out += ["_No conflicts found between the sources._", ""]
    for c in v.conflicts:
        out += [f"**{text(c.kind)}**: {text(view.readable(c.summary, labels))}", "",
                "| source | says | value |", "|---|---|---|"]
        for side in c.sides[: view.MAX_SIDES]:
            where = f"{text(labels.get(side.article, side.article))} §{view.shown_number(side.sentence)}"
            out.append(f"| {where} | “{text(side.text)}” | {text(side.value)} |")
        if len(c.sides) > view.MAX_SIDES:
            out.append(f"| … | {len(c.sides) - view.MAX_SIDES} more sides in the JSON briefing | |")
        out.append("")
    out += _more(v.conflicts_more, "conflicts")

    out += ["## Claims and their sources", ""]
    counts = v.counts
    out += [f"{counts['corroborated']} corroborated, {counts['contested']} contested and "
            f"{counts['single']} single-source claims.", ""]
    g = v.grid
    if g.rows:
        heads = []
        for col in g.columns:
            head = text(col.label)
            if col.copies:
                head += f" (+{len(col.copies)} cop{'ies' if len(col.copies) != 1 else 'y'})"
            heads.append(head)
        if g.hidden_columns:
            heads.append(f"{g.hidden_columns} other outlets")
        out.append("| claim | status | independent sources | " + " | ".join(heads) + " |")
        out.append("|---|---|---:|" + "---|" * len(heads))
        for r in g.rows:
            marks = [MARK[cell.mark] for cell in r.cells]
            if g.hidden_columns:
                marks.append(str(r.others))
            out.append(f"| {text(r.claim.text)} | {r.claim.status} | {r.claim.independent_sources} | "
                       + " | ".join(marks) + " |")
        out += ["", "● carries the claim · copy: carries it through text copied from another source · ·: not mentioned", ""]
        copied = [col for col in g.columns if col.copies]
        for col in copied:
            names = ", ".join(text(labels[a]) for a in col.copies)
            out.append(f"- {text(col.label)} includes copies: {names}")
        if copied:
            out.append("")
    elif not brief.claims:
        out += ["_No claims found._", ""]
    out += _more(g.more_rows, "corroborated or contested claims")
    if counts["single"]:
        out += [f"_{counts['single']} single-source claims are listed in the HTML and JSON briefings._", ""]

    out += ["## Who copied whom", ""]
    if not brief.syndication:
        out += ["_No shared wire copy or rewrites found._", ""]
    for grp in brief.syndication:
        names = ", ".join(text(labels.get(a, a)) for a in grp.articles[: view.MAX_GROUP_ARTICLES])
        if len(grp.articles) > view.MAX_GROUP_ARTICLES:
            names += f" and {len(grp.articles) - view.MAX_GROUP_ARTICLES} more"
        origin = f", origin {text(grp.origin)}" if grp.origin else ""
        out.append(f"- {view.KIND_NAMES.get(grp.kind, grp.kind)}: {names}{origin} ({grp.shared_sentences} shared sentences)")
    out.append("")

    out += ["## People, organisations, places", ""]
    if v.entities:
        out += ["| name | kind | also called | mentions |", "|---|---|---|---:|"]
        for e in v.entities:
            aliases = ", ".join(text(a) for a in e.aliases if a != e.name)
            out.append(f"| {text(e.name)} | {view.TYPE_NAMES.get(e.type, e.type.lower())} | {aliases} | {len(e.mentions)} |")
    else:
        out.append("_No entities found._")
    out.append("")
    out += _more(v.entities_more, "names")

    out += ["## Sources", ""]
    if len(brief.articles) > DETAILED_SOURCES:
        out += _source_table(brief, labels)
        brief = replace(brief, articles=())
    for d in brief.articles:
        a = d.article
        out += [f"### {text(labels[a.id])}: {text(a.title or '(untitled)')}", ""]
        found = [f"id `{text(a.id)}`"]
        if a.path:
            found.append(f"file {text(a.path)}")
        if a.url:
            found.append(_link(a.url))
        out.append("- " + ", ".join(found))
        outlet = text(a.source) if a.source else "unknown"
        out.append(f"- outlet: {outlet}" + (f" ({text(a.source_evidence)})" if a.source_evidence else ""))
        out.append(f"- published: {text(a.published) or 'unknown'}"
                   + (f" ({text(a.published_evidence)})" if a.published_evidence else ""))
        if a.authors:
            out.append(f"- authors: {', '.join(text(x) for x in a.authors)}")
        if a.posts:
            out.append(f"- live blog of {len(a.posts)} posts")
        out.append(f"- {len(d.sentences)} sentences")
        if a.removed:
            reasons = Counter(r.reason for r in a.removed)
            out.append("- removed: " + ", ".join(f"{n} {text(reason)}" for reason, n in reasons.most_common()))
            for removed in a.removed[:MAX_REMOVED_LINES]:
                line = " ".join(view.plain(removed.text).split())
                short = line[:100] + ("…" if len(line) > 100 else "")
                out.append(f"  - _{text(removed.reason)}_: {text(short)}")
            if len(a.removed) > MAX_REMOVED_LINES:
                out.append(f"  - … {len(a.removed) - MAX_REMOVED_LINES} more in the JSON and HTML briefings")
        out.append("")
    out.append("_§n numbers a sentence within its article, counting from 1 (the JSON counts from 0)._")
    return "\n".join(out).rstrip() + "\n"
