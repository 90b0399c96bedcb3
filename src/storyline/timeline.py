"""timeline: dated events across articles, one entry per event, predictions kept apart.

Every resolved temporal expression of a body sentence proposes an event: the clause around the
expression, dated with the expression's value. Proposals with the same date and status group
(predicted vs. occurred/reported) whose clauses say the same thing (MiniLM cosine, or shared
content words and names) are merged into one entry that lists every article and sentence.

A year or month that the body gives only coarsely ("they met in 2019") is made precise when a
photo caption of the story names a full date in that period and shares the event's names
("... meeting in Vladivostok, Russia, on April 25, 2019"); the evidence says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .analyse.temporal import find_times, is_future
from .models import (
    AnalysedArticle,
    EventStatus,
    Sentence,
    TimeEvidence,
    TimeExpression,
    TimelineEvent,
)
from .settings import Settings

MERGE_COSINE = 0.5  # mean cosine of a clause to an event's clauses (same date) to join it
MERGE_COSINE_WITH_OVERLAP = 0.28  # ... or this, when they also share an event word ("left")
MAX_PER_DATE = 6  # entries kept per date and status group (most widely reported first)

_HEDGE = re.compile(
    r"\b(?:reportedly|according\s+to|reports?\s+(?:said|say|says)|media\s+reported|reported\s+that|"
    r"citing|sources?\s+(?:said|say|told)|appeared\s+to|is\s+said\s+to|allegedly|purported(?:ly)?|"
    r"unconfirmed|claimed)\b",
    re.I,
)
_HABIT = re.compile(
    r"\b(?:generally|usually|typically|normally|traditionally|each\s+year|every\s+year|annually)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"(?:[;,]\s+|\s+(?:and|but|while|whereas)\s+)")
_STOP = frozenset(
    "a an the of in on at to for from by with and or but as is was were be been are has have had "
    "that this these those it its he she they his her their them who which when where what said "
    "says will would could may also not no than then there after before about into over more "
    "some any mr ms gen".split()
)
_NOT_EVENT = frozenset(
    "said says told reported reports confirmed according citing added noted stated media "
    "leader president minister secretary spokesman spokesperson officials official source sources "
    "agency news state russian korean north south reporters government".split()
)
_ATTRIBUTION = re.compile(
    r"^.{0,80}?\b(?:said|says|told\s+\w+|reported|confirmed|announced)\s+(?:that\s+)?", re.I
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "sept monday tuesday wednesday thursday friday saturday sunday the in on".split()
)


@dataclass
class _Proposal:
    date: str
    precision: str
    status: EventStatus
    text: str
    article: str
    sentence: int
    expression: str
    sentence_text: str
    order: int = 0
    shared: bool = False  # the sentence dates more than one thing
    words: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)
    core: str = ""
    events: frozenset[str] = field(default_factory=frozenset)


def names(text: str) -> frozenset[str]:
    """Capitalised words (names, places) other than the first word and calendar words."""
    words = _WORD.findall(text)[1:]
    return frozenset(
        w.rstrip("'s’") for w in words if w[0].isupper() and w.lower() not in _CALENDAR
    )


def event_words(text: str) -> frozenset[str]:
    """Lower-case content words (verbs and nouns, not names or attribution), crudely stemmed."""
    return frozenset(
        w.lower()[:5]
        for w in _WORD.findall(text)
        if w[0].islower()
        and w.lower() not in _STOP
        and w.lower() not in _NOT_EVENT
        and w.lower() not in _CALENDAR
        and len(w) > 2
    )


def core_clause(text: str, t: TimeExpression) -> str:
    """The clause holding the expression, without its attribution ("X said that ...")."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, t.start)]
    ends = [m.start() for m in _CLAUSE_BREAK.finditer(text, t.end)]
    lo = starts[-1] if starts else 0
    hi = ends[0] if ends else len(text)
    while len(text[lo:hi].split()) < 6 and (lo > 0 or hi < len(text)):
        lo = max([b for b in starts if b < lo] or [0])
        hi = min([b for b in ends if b > hi] or [len(text)])
    clause = text[lo:hi].strip(' ,;“”"')
    stripped = _ATTRIBUTION.sub("", clause, count=1)
    return stripped if len(stripped.split()) >= 4 else clause


def content_words(text: str) -> frozenset[str]:
    return frozenset(
        w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2
    )


def clause_around(text: str, times: Sequence[TimeExpression], k: int) -> str:
    """The part of a sentence that belongs to its k-th time expression (all of it when alone)."""
    if len(times) == 1:
        return text
    lo = 0
    if k > 0:
        prev_end = times[k - 1].end
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, prev_end, times[k].start)]
        lo = breaks[-1] if breaks else prev_end
    hi = len(text)
    if k + 1 < len(times):
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text, times[k].end, times[k + 1].start)]
        hi = breaks[0] if breaks else times[k + 1].start
    clause = text[lo:hi].strip(" ,;")
    if len(clause.split()) < 5:  # "But on Sept. 4, ...": widen to the neighbouring expressions
        lo = times[k - 1].end if k > 0 else 0
        hi = times[k + 1].start if k + 1 < len(times) else len(text)
        clause = text[lo:hi].strip(" ,;")
    return clause if len(clause.split()) >= 5 else text


def event_status(
    sentence: str, clause: str, expr: TimeExpression, anchor: str | None
) -> EventStatus:
    if is_future(sentence, expr.start):
        return "predicted"
    if anchor and expr.precision == "day" and expr.value > anchor:
        return "predicted"
    if _HEDGE.search(sentence):
        return "reported"
    return "occurred"


def _proposals(docs: Sequence[AnalysedArticle]) -> list[_Proposal]:
    out: list[_Proposal] = []
    for doc in docs:
        for s in doc.sentences:
            anchor = doc.reference_date(s)
            values = {t.value for t in s.times if _dates_an_event(s, t)}
            for k, t in enumerate(s.times):
                if not _dates_an_event(s, t):
                    continue
                clause = clause_around(s.text, s.times, k)
                # one sentence never stands whole under two dates: each date shows its clause
                whole = len(s.text.split()) <= 45 and len(values) == 1
                if not whole and not s.text.startswith(clause):
                    clause = f"…{clause}"  # a part of the sentence, shown as one
                out.append(
                    _Proposal(
                        date=t.value,
                        precision=t.precision,
                        status=event_status(s.text, clause, t, anchor),
                        text=s.text if whole else clause,
                        shared=len(values) > 1,
                        article=s.article,
                        sentence=s.index,
                        expression=t.text,
                        sentence_text=s.text,
                        order=len(out),
                        words=content_words(clause),
                        names=names(s.text),
                        core=(core := core_clause(s.text, t)),
                        events=event_words(core),
                    )
                )
    return out


def _dates_an_event(s: Sentence, t: TimeExpression) -> bool:
    """Skip what dates no event: fragments, coarse dates inside quotations, and a month of a
    habit ("the season generally starts in late October" is every year's)."""
    if len(s.text.split()) < 5:
        return False
    if s.text.lstrip().startswith(("“", '"')) and t.precision != "day":
        return False
    if t.relative and t.precision == "month" and _HABIT.search(s.text) and "week" not in t.text:
        return False
    return True


def _caption_dates(docs: Sequence[AnalysedArticle]) -> list[tuple[str, frozenset[str], str]]:
    """(full date, names, expression) of every photo caption of the story."""
    out = []
    for doc in docs:
        for caption in doc.article.captions:
            for t in find_times(caption, doc.article.published):
                if t.precision == "day" and not t.relative:
                    out.append((t.value, names(caption), t.text))
    return out


def _refine(p: _Proposal, captions: Sequence[tuple[str, frozenset[str], str]]) -> None:
    """Give a coarse date the day that the story's captions name for the same event."""
    if p.precision != "year" or p.status == "predicted" or not p.expression[-4:].isdigit():
        return
    votes: Counter[str] = Counter()
    for value, words, _expr in captions:
        if value.startswith(p.date) and len(words & p.names) >= 2:
            votes[value] += 1
    if votes:
        value, _ = votes.most_common(1)[0]
        p.expression = f"{p.expression} (a photo caption of the story dates it {value})"
        p.date, p.precision = value, "day"


def build_timeline(
    docs: Sequence[AnalysedArticle], settings: Settings | None = None
) -> list[TimelineEvent]:
    """Dated events of a story, merged across articles, sorted by date (partial dates first)."""
    settings = settings or Settings()
    proposals = _proposals(docs)
    if not proposals:
        return []
    captions = _caption_dates(docs)
    for p in proposals:
        _refine(p, captions)
    vectors = _vectors([p.core for p in proposals], settings.batch_size)

    groups: dict[tuple[str, bool], list[list[int]]] = {}
    for i, p in enumerate(proposals):
        key = (p.date, p.status == "predicted")
        clusters = groups.setdefault(key, [])
        best, best_sim = None, -1.0
        for c, members in enumerate(clusters):
            sim = float(np.mean([vectors[i] @ vectors[j] for j in members]))
            overlap = max(len(p.events & proposals[j].events) for j in members)
            if (
                sim >= MERGE_COSINE or (sim >= MERGE_COSINE_WITH_OVERLAP and overlap >= 1)
            ) and sim > best_sim:
                best, best_sim = c, sim
        if best is None:
            clusters.append([i])
        else:
            clusters[best].append(i)

    events: list[tuple[TimelineEvent, int, int]] = []
    for (_date, _pred), clusters in groups.items():
        ranked = sorted(
            clusters, key=lambda m: (-len({proposals[j].article for j in m}), -len(m), m[0])
        )
        for members in ranked[:MAX_PER_DATE]:
            events.append((_event(members, proposals, vectors), len(members), members[0]))
    events.sort(key=lambda e: (e[0].date, e[0].status == "predicted", -len(e[0].articles), e[2]))
    return [e for e, _, _ in events]


def _event(members: list[int], proposals: list[_Proposal], vectors: np.ndarray) -> TimelineEvent:
    ps = [proposals[j] for j in members]
    statuses = {p.status for p in ps}
    status: EventStatus = (
        "predicted"
        if statuses == {"predicted"}
        else ("occurred" if "occurred" in statuses else "reported")
    )
    # the clearest wording: central among the members, of readable length, not a prediction
    centroid = vectors[members].mean(axis=0)

    def score(j: int) -> float:
        p = proposals[j]
        # what the other articles also say counts most; then a readable, specific sentence
        others = [k for k in members if proposals[k].article != p.article]
        agree = (
            float(np.mean([vectors[j] @ vectors[k] for k in others]))
            if others
            else float(vectors[j] @ centroid)
        )
        words = len(p.text.split())
        length = 1.0 if 8 <= words <= 40 else 0.85
        own = 1.0 if p.status == status else 0.9
        single = (
            1.0
            if p.sentence_text.count(p.expression) and len(p.text) == len(p.sentence_text)
            else 0.95
        )
        return agree * length * own * single * (1 + 0.03 * min(len(p.names), 8))

    best = max(members, key=score)
    # evidence leads with the sentences whose only date is this one: they are what dates it
    ordered = sorted(ps, key=lambda p: (p.shared, p.order))
    evidence = tuple(
        dict.fromkeys(
            TimeEvidence(article=p.article, sentence=p.sentence, expression=p.expression)
            for p in ordered
        )
    )
    articles = tuple(dict.fromkeys(e.article for e in evidence))
    return TimelineEvent(
        date=proposals[best].date,
        status=status,
        text=proposals[best].text,
        articles=articles,
        evidence=evidence,
    )


def _vectors(texts: list[str], batch_size: int) -> np.ndarray:
    from .analyse.embed import embed

    return embed(texts, batch_size=batch_size)
