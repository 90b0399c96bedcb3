"""Story-level consistency of resolved dates: one calendar for all the articles of a story.

Each sentence's dates are first resolved against its own page (``temporal``, ``dating``). Two
things only the story as a whole can settle:

- copied text: a paragraph carried over from an older page of the story (an update keeping its
  first version's paragraphs, a republication) keeps that page's "yesterday". Day words in a
  sentence resolve against the older page's date when the sentence is a near copy of one of its
  sentences (three quarters of its words, all its numbers) and the two pages share at least two
  such sentences, the older at most ``COPY_MAX_DAYS`` days older.
- yearless dates: one month-day ("April 9") is one date in the whole story, in the year that
  puts all its mentions nearest the dates they were resolved against.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ..models import AnalysedArticle, TimeExpression
from .dating import safe_date, to_day

_DAY_WORD = re.compile(
    r"\b(?:today|yesterday|tomorrow|tonight|last\s+night)\b",
    re.I,
)
_YEARLESS = re.compile(
    r"^(?:on\s+)?(?:[a-z]+day,?\s+)?(?:[a-z]{3,9}\.?\s*,?\s*[0-3]?\d|[0-3]?\d(?:st|nd|rd|th)?\s+"
    r"(?:of\s+)?[a-z]{3,9}\.?)(?:st|nd|rd|th)?$",
    re.I,
)
_STOP = frozenset(
    "a an the of in on at to and or but for with by from as is was were are be been has have had "
    "it its that this which who he she they his her their there said says say".split()
)
COPY_SHARE = 0.75  # share of a sentence's words found in another article's sentence: a copy
COPY_MIN_WORDS = 8
COPY_MAX_DAYS = 3  # a copy carried over from a page this many days older at most
YEARLESS_SPAN = 200  # days: the anchors of one story's "April 9"s lie this close at most


def _content(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))
    return frozenset(w for w in words if w not in _STOP and not _DAY_WORD.fullmatch(w))


def harmonise(docs: Sequence[AnalysedArticle]) -> list[AnalysedArticle]:
    """One story, one calendar: copied day words and yearless dates made consistent.

    - A sentence copied from an older page of the story (an update that keeps the earlier
      paragraphs, a republication) keeps that page's "yesterday": day words in it resolve
      against the older page's date, when the two pages share at least two such sentences.
    - One month-day without a year ("April 9") is one date in the whole story: the year that
      puts all its mentions nearest the dates they were resolved against.
    """
    times = [[list(s.times) for s in d.sentences] for d in docs]
    _copied_day_words(docs, times)
    _one_year_per_day(docs, times)
    out = []
    for d, per_sentence in zip(docs, times, strict=True):
        sentences = tuple(
            s if list(s.times) == t else replace(s, times=tuple(t))
            for s, t in zip(d.sentences, per_sentence, strict=True)
        )
        out.append(d if sentences == d.sentences else replace(d, sentences=sentences))
    return out


def _copied_day_words(
    docs: Sequence[AnalysedArticle], times: list[list[list[TimeExpression]]]
) -> None:
    words = [[_content(s.text) for s in d.sentences] for d in docs]
    shared: dict[tuple[int, int], int] = {}  # (copy, older page) -> sentences they share
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)  # word -> (article, sentence)
    for a, per_sentence in enumerate(words):
        for j, ws in enumerate(per_sentence):
            if len(ws) >= COPY_MIN_WORDS:
                for w in ws:
                    index[w].append((a, j))
    for b, doc in enumerate(docs):
        for k, s in enumerate(doc.sentences):
            relative = [t for t in times[b][k] if t.relative and _DAY_WORD.search(t.text)]
            anchor_b = to_day(doc.reference_date(s))
            if not relative or anchor_b is None or len(words[b][k]) < COPY_MIN_WORDS:
                continue
            source = _older_copy(docs, words, b, k, anchor_b, shared, index)
            if source is None:
                continue
            anchor_a = source
            shift = anchor_b - anchor_a
            times[b][k] = [
                replace(
                    t,
                    value=(date.fromisoformat(t.value) - shift).isoformat(),
                    anchor=anchor_a.isoformat(),
                )
                if t in relative and t.precision == "day"
                else t
                for t in times[b][k]
            ]


def _older_copy(
    docs: Sequence[AnalysedArticle],
    words: list[list[frozenset[str]]],
    b: int,
    k: int,
    anchor_b: date,
    shared: dict[tuple[int, int], int],
    index: dict[str, list[tuple[int, int]]],
) -> date | None:
    """The date of the oldest page that sentence k of article b was copied from, if any."""
    mine = words[b][k]
    numbers = {w for w in mine if w.isdigit()}
    best: date | None = None
    # A sentence sharing ``need`` of my words holds one of my len - need + 1 rarest words
    # (prefix filtering), so only the sentences holding those are compared, not the story's all.
    need = math.ceil(COPY_SHARE * len(mine))
    rarest = sorted(mine, key=lambda w: (len(index[w]), w))[: len(mine) - need + 1]
    candidates: dict[int, set[int]] = defaultdict(set)
    for w in rarest:
        for a, j in index[w]:
            candidates[a].add(j)
    for a in sorted(candidates):
        other = docs[a]
        if a == b:
            continue
        hits = [
            j
            for j in sorted(candidates[a])
            if len(words[a][j]) >= COPY_MIN_WORDS
            and len(mine & words[a][j]) >= COPY_SHARE * len(mine)
            and numbers <= words[a][j]
        ]
        if not hits:
            continue
        anchor_a = to_day(other.reference_date(other.sentences[hits[0]]))
        if anchor_a is None or not 0 < (anchor_b - anchor_a).days <= COPY_MAX_DAYS:
            continue
        if (b, a) not in shared:
            shared[b, a] = sum(
                1
                for w in words[b]
                if len(w) >= COPY_MIN_WORDS
                and any(
                    len(w & t) >= COPY_SHARE * len(w) for t in words[a] if len(t) >= COPY_MIN_WORDS
                )
            )
        if shared[b, a] >= 2 and (best is None or anchor_a < best):
            best = anchor_a
    return best


def _one_year_per_day(
    docs: Sequence[AnalysedArticle], times: list[list[list[TimeExpression]]]
) -> None:
    groups: dict[str, list[tuple[int, int, int, date]]] = {}
    for b, doc in enumerate(docs):
        for k in range(len(doc.sentences)):
            for n, t in enumerate(times[b][k]):
                anchor = to_day(t.anchor)
                if not (t.relative and t.precision == "day" and anchor and _YEARLESS.match(t.text)):
                    continue
                groups.setdefault(t.value[5:], []).append((b, k, n, anchor))
    for month_day, members in groups.items():
        anchors = [m[3] for m in members]
        years = {times[b][k][n].value[:4] for b, k, n, _ in members}
        if len(years) < 2 or (max(anchors) - min(anchors)).days > YEARLESS_SPAN:
            continue
        month, day = int(month_day[:2]), int(month_day[3:])
        mid = sorted(anchors)[len(anchors) // 2]
        choices = [
            c for y in (mid.year - 1, mid.year, mid.year + 1) if (c := safe_date(y, month, day))
        ]
        best = min(choices, key=lambda c: (sum(abs((c - a).days) for a in anchors), -c.toordinal()))
        for b, k, n, _ in members:
            times[b][k][n] = replace(times[b][k][n], value=best.isoformat())


__all__ = ["harmonise"]
