"""The briefing as Markdown, in the order a reader asks their questions."""

from __future__ import annotations

from collections import Counter

from ..models import Brief, Citation
from . import view

MARK = {view.CARRIES: "●", view.COPY: "copy", view.ABSENT: "·"}
TABLE_CLAIMS = 40  # the Markdown table stays readable; the JSON and HTML hold every claim


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _cite(citations: tuple[Citation, ...], labels: dict[str, str]) -> str:
    return " ".join(f"[{labels.get(c.article, c.article)} §{c.sentence}]" for c in citations)


def render(brief: Brief) -> str:
    labels = view.labels(brief)
    out: list[str] = [f"# {brief.title} — {view.header(brief)}", ""]
    for warning in brief.warnings:
        out += [f"> **Warning:** {warning}", ""]

    out += ["## In brief", ""]
    if brief.summary:
        for s in brief.summary:
            out.append(f"{s.text} {_cite(s.citations, labels)}")
            out.append("")
    else:
        out += ["_No summary: too little text._", ""]

    out += ["## Timeline", ""]
    for ev in brief.timeline:
        tag = "" if ev.status == "occurred" else f" _({ev.status})_"
        sources = ", ".join(labels.get(a, a) for a in ev.articles)
        out.append(f"- **{ev.date}**{tag} {_cell(ev.text)} [{sources}]")
    if not brief.timeline:
        out.append("_No dated events found._")
    out.append("")

    out += ["## Where the sources disagree", ""]
    if not brief.conflicts:
        out += ["_No conflicts found between the sources._", ""]
    for c in brief.conflicts:
        out += [f"**{c.kind}**: {_cell(view.readable(c.summary, labels))}", "", "| source | says | value |", "|---|---|---|"]
        for side in c.sides:
            where = f"{labels.get(side.article, side.article)} §{side.sentence}"
            out.append(f"| {where} | “{_cell(side.text)}” | {_cell(side.value or '')} |")
        out.append("")

    out += ["## Claims and their sources", ""]
    rows = view.matrix(brief)
    shown = [r for r in rows if r.claim.status != "single-source"][:TABLE_CLAIMS]
    if shown:
        ids = [d.article.id for d in brief.articles]
        out.append("| claim | status | independent sources | " + " | ".join(_cell(labels[i]) for i in ids) + " |")
        out.append("|---|---|---:|" + "---|" * len(ids))
        for r in shown:
            marks = " | ".join(MARK[r.cells[i]] for i in ids)
            out.append(
                f"| {_cell(r.claim.text)} | {r.claim.status} | {r.claim.independent_sources} | {marks} |"
            )
        out.append("")
        out.append("● carries the claim · copy: carries it through text copied from another source · ·: not mentioned")
        out.append("")
    single = sum(1 for r in rows if r.claim.status == "single-source")
    hidden = len([r for r in rows if r.claim.status != "single-source"]) - len(shown)
    if single or hidden:
        more = f"{single} single-source claim{'s' if single != 1 else ''}"
        if hidden:
            more += f" and {hidden} more corroborated or contested"
        out += [f"_{more} are listed in the HTML and JSON briefings._", ""]
    if not rows:
        out += ["_No claims found._", ""]

    out += ["## Who copied whom", ""]
    if not brief.syndication:
        out += ["_No shared wire copy or rewrites found._", ""]
    for g in brief.syndication:
        names = ", ".join(labels.get(a, a) for a in g.articles)
        origin = f", origin {g.origin}" if g.origin else ""
        out.append(f"- {g.kind}: {names}{origin} ({g.shared_sentences} shared sentences)")
    out.append("")

    out += ["## People, organisations, places", ""]
    if brief.entities:
        out += ["| name | type | also called | mentions |", "|---|---|---|---:|"]
        for e in brief.entities:
            aliases = ", ".join(a for a in e.aliases if a != e.name)
            out.append(f"| {_cell(e.name)} | {e.type} | {_cell(aliases)} | {len(e.mentions)} |")
    else:
        out.append("_No entities found._")
    out.append("")

    out += ["## Sources", ""]
    for d in brief.articles:
        a = d.article
        out.append(f"### {labels[a.id]}: {a.title or '(untitled)'}")
        out.append("")
        out.append(f"- id `{a.id}`" + (f", file `{a.path}`" if a.path else "") + (f", <{a.url}>" if a.url else ""))
        if a.source_evidence:
            out.append(f"- outlet: {a.source or 'unknown'} ({_cell(a.source_evidence)})")
        out.append(f"- published: {a.published or 'unknown'}" + (f" ({_cell(a.published_evidence)})" if a.published_evidence else ""))
        if a.authors:
            out.append(f"- authors: {', '.join(a.authors)}")
        if a.posts:
            out.append(f"- live blog of {len(a.posts)} posts")
        out.append(f"- {len(d.sentences)} sentences")
        if a.removed:
            reasons = Counter(r.reason for r in a.removed)
            out.append("- removed: " + ", ".join(f"{n} {reason}" for reason, n in reasons.most_common()))
            for removed in a.removed:
                text = _cell(removed.text)
                out.append(f"  - _{removed.reason}_: {text[:100]}{'…' if len(text) > 100 else ''}")
        out.append("")
    out.append("_§n is the 0-based index of a sentence in its article, as in the JSON briefing._")
    return "\n".join(out).rstrip() + "\n"
