"""``storyline eval stories``: whole briefings scored against a hand-written gold per story.

The folder layout and the scoring rules are fixed by the data's FORMAT.md (stories-dev):
``gold.json`` (a list of stories) and ``articles/<story-id>.jsonl``. Each story is briefed
through the same pipeline as ``storyline brief`` and its ``storyline.brief/1`` JSON is scored:
conflicts (precision, recall, trap hits), syndication pairs, entity merges, timeline dates and
summary citations. Totals are micro-averages: counts summed over stories, then divided.

Scoring is plain counting over JSON (``score_story``), so it is tested without the models and
can score briefs made elsewhere (``run(..., briefs=DIR)`` reads ``DIR/<story-id>.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import DataError, StorylineError
from . import EvalResult

Progress = Callable[[str], None]
Json = dict[str, Any]

STOP_WORDS = frozenset(
    "a an the of in on at to and or but for with by from as is was were are be been has have had "
    "it its that this which who he she they his her their there said says say".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")


# --- the matching rule --------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def contains(text: str, quote: str, need: float = 0.6) -> bool:
    """FORMAT.md's rule: every all-digit token of the quote is in the text, and at least
    ``need`` of the quote's content tokens are."""
    have = set(tokens(text))
    quoted = tokens(quote)
    if any(t.isdigit() and t not in have for t in quoted):
        return False
    content = [t for t in quoted if t not in STOP_WORDS] or quoted
    if not content:
        return False
    return sum(t in have for t in content) >= need * len(content)


def normalise_form(text: str) -> str:
    """Entity forms compared case-, dot-, hyphen- and possessive-blind."""
    form = text.lower().replace("\u2019", "'").replace(".", "").replace("-", " ")
    form = re.sub(r"\s+", " ", form).strip()
    if form.endswith("'s"):
        form = form[:-2].rstrip()
    return form


def _digits(text: str | None) -> str:
    return "".join(c for c in (text or "") if c.isdigit())


# --- scores ----------------------------------------------------------------------------------


@dataclass
class StoryScore:
    """The counts of one story (sums of these give the totals)."""

    story: str
    conflicts_reported: int = 0
    conflicts_true: int = 0  # reported conflicts that match at least one gold conflict
    gold_conflicts: int = 0
    gold_found: int = 0  # gold conflicts matched by at least one reported conflict
    traps: int = 0
    syndication_reported: int = 0
    syndication_true: int = 0
    gold_pairs: int = 0
    gold_pairs_found: int = 0
    wrong_merges: int = 0
    must_not_merge: int = 0
    missed_merges: int = 0
    merge_groups: int = 0
    timeline_right: int = 0
    timeline_matched: int = 0
    timeline_entries: int = 0
    summary_bad: int = 0
    summary_off: int = 0
    summary_sentences: int = 0
    missed: list[str] = field(default_factory=list)  # notes of gold conflicts not found
    trap_hits: list[str] = field(default_factory=list)  # what each trap hit was
    wrong: list[str] = field(default_factory=list)  # wrong merges, as "a + b"
    problems: list[str] = field(default_factory=list)  # inputs of the story that were skipped
    error: str | None = None  # why the story has no brief

    def add(self, other: StoryScore) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(self, f.name, value + getattr(other, f.name))

    @property
    def conflict_precision(self) -> float:
        return _ratio(self.conflicts_true, self.conflicts_reported)

    @property
    def conflict_recall(self) -> float:
        return _ratio(self.gold_found, self.gold_conflicts)

    @property
    def syndication_precision(self) -> float:
        return _ratio(self.syndication_true, self.syndication_reported)

    @property
    def syndication_recall(self) -> float:
        return _ratio(self.gold_pairs_found, self.gold_pairs)

    @property
    def timeline_accuracy(self) -> float:
        return _ratio(self.timeline_right, self.timeline_matched)

    def line(self) -> str:
        """The per-story line of FORMAT.md."""
        return (
            f"{self.story}: conflicts P {self.conflict_precision:.2f} "
            f"({self.conflicts_true}/{self.conflicts_reported}) R {self.conflict_recall:.2f} "
            f"({self.gold_found}/{self.gold_conflicts}) traps {self.traps} | "
            f"syndication P {self.syndication_precision:.2f} R {self.syndication_recall:.2f} | "
            f"wrong merges {self.wrong_merges}/{self.must_not_merge} "
            f"missed merges {self.missed_merges}/{self.merge_groups} | "
            f"timeline {self.timeline_right}/{self.timeline_matched} of {self.timeline_entries} | "
            f"summary bad-cite {self.summary_bad} off-story {self.summary_off} "
            f"of {self.summary_sentences}"
        )

    def metrics(self) -> dict[str, float]:
        return {
            "conflict-P": self.conflict_precision,
            "conflict-R": self.conflict_recall,
            "traps": self.traps,
            "synd-P": self.syndication_precision,
            "synd-R": self.syndication_recall,
            "wrong-merges": self.wrong_merges,
            "missed-merges": self.missed_merges,
            "dates-right": self.timeline_accuracy,
            "bad-cites": self.summary_bad,
            "off-story": self.summary_off,
        }


def _ratio(num: int, den: int) -> float:
    # Nothing reported (or nothing to find) is neither right nor wrong: 1.0 keeps totals honest
    # because totals are computed from the summed counts, not from these per-story ratios.
    return num / den if den else 1.0


# --- scoring one brief ----------------------------------------------------------------------------


class _Sentences:
    """Sentence lookup into the brief's articles; invalid references give None."""

    def __init__(self, brief: Json) -> None:
        self.by_article: dict[str, list[str]] = {}
        for article in brief.get("articles") or []:
            if isinstance(article, dict) and isinstance(article.get("id"), str):
                sents = article.get("sentences") or []
                self.by_article[article["id"]] = [s if isinstance(s, str) else "" for s in sents]

    def get(self, article: Any, sentence: Any) -> str | None:
        sents = self.by_article.get(article) if isinstance(article, str) else None
        if sents is None or not isinstance(sentence, int) or isinstance(sentence, bool):
            return None
        return sents[sentence] if 0 <= sentence < len(sents) else None


def _side_text(side: Json, sents: _Sentences) -> str:
    text = side.get("text") if isinstance(side.get("text"), str) else ""
    sentence = sents.get(side.get("article"), side.get("sentence"))
    return f"{sentence} {text}" if sentence is not None else str(text)


def _holds(side: Json, side_text: str, quote: Json) -> bool:
    """Does a reported side stand on a gold quote (same article, contains, value rule)?"""
    if side.get("article") != quote.get("article"):
        return False
    if not contains(side_text, str(quote.get("text", ""))):
        return False
    if quote.get("value") is not None and side.get("value") is not None:
        if _digits(str(quote["value"])) not in _digits(str(side["value"])):
            return False
    return True


def _matches(sides: Sequence[tuple[Json, str]], quotes: Sequence[Json], labelled: bool) -> bool:
    """Two sides in different articles on two quotes (with different side labels if labelled)."""
    held = [[q for q in quotes if _holds(side, text, q)] for side, text in sides]
    for i in range(len(sides)):
        for j in range(i + 1, len(sides)):
            if sides[i][0].get("article") == sides[j][0].get("article"):
                continue
            for qa in held[i]:
                for qb in held[j]:
                    if not labelled and qa is not qb:
                        return True
                    if labelled and qa.get("side") != qb.get("side"):
                        return True
    return False


def _pairs(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    out: set[frozenset[str]] = set()
    for group in groups:
        members = sorted({m for m in group if isinstance(m, str)})
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                out.add(frozenset((a, b)))
    return out


def score_story(gold: Mapping[str, Any], brief: Json | None) -> StoryScore:
    """Score one brief (``storyline.brief/1`` as a dict) against one gold story."""
    score = StoryScore(str(gold.get("id")))
    gold_conflicts = [c for c in gold.get("conflicts") or [] if isinstance(c, dict)]
    traps = [t for t in gold.get("not_conflicts") or [] if isinstance(t, dict)]
    gold_pairs = _pairs(p for p in gold.get("syndication") or [] if isinstance(p, list))
    score.gold_conflicts = len(gold_conflicts)
    score.gold_pairs = len(gold_pairs)
    score.must_not_merge = len(gold.get("must_not_merge") or [])
    score.merge_groups = len(gold.get("merges") or [])
    if brief is None:
        score.missed = [str(c.get("note", "?")) for c in gold_conflicts]
        return score
    sents = _Sentences(brief)

    # conflicts
    found = [False] * len(gold_conflicts)
    for conflict in brief.get("conflicts") or []:
        sides = [(s, _side_text(s, sents)) for s in conflict.get("sides") or [] if isinstance(s, dict)]
        score.conflicts_reported += 1
        hit = False
        for k, gc in enumerate(gold_conflicts):
            if _matches(sides, [q for q in gc.get("quotes") or [] if isinstance(q, dict)], True):
                found[k] = hit = True
        if hit:
            score.conflicts_true += 1
            continue
        for trap in traps:
            if _matches(sides, [q for q in trap.get("quotes") or [] if isinstance(q, dict)], False):
                score.traps += 1
                score.trap_hits.append(f"{trap.get('note', '?')} <- {conflict.get('summary', '')}")
                break
    score.gold_found = sum(found)
    score.missed = [str(gc.get("note", "?")) for gc, f in zip(gold_conflicts, found, strict=True) if not f]

    # syndication
    reported_pairs = _pairs(g.get("articles") or [] for g in brief.get("syndication") or [])
    score.syndication_reported = len(reported_pairs)
    score.syndication_true = len(reported_pairs & gold_pairs)
    score.gold_pairs_found = len(gold_pairs & reported_pairs)

    # entities
    forms: list[set[str]] = []
    for entity in brief.get("entities") or []:
        names = [entity.get("name"), *(entity.get("aliases") or [])]
        names += [m.get("text") for m in entity.get("mentions") or [] if isinstance(m, dict)]
        forms.append({normalise_form(n) for n in names if isinstance(n, str) and n.strip()})
    for pair in gold.get("must_not_merge") or []:
        a, b = (normalise_form(str(x)) for x in pair[:2])
        if any(a in f and b in f for f in forms):
            score.wrong_merges += 1
            score.wrong.append(f"{pair[0]} + {pair[1]}")
    for group in gold.get("merges") or []:
        wanted = {normalise_form(str(x)) for x in group}
        holders = [i for i, f in enumerate(forms) if f & wanted]
        if len(holders) > 1:
            score.missed_merges += 1

    # timeline
    dates = [d for d in gold.get("dates") or [] if isinstance(d, dict)]
    for entry in brief.get("timeline") or []:
        score.timeline_entries += 1
        for ev in entry.get("evidence") or []:
            sentence = sents.get(ev.get("article"), ev.get("sentence"))
            if sentence is None:
                continue
            gd = next(
                (d for d in dates if d.get("article") == ev.get("article")
                 and contains(sentence, str(d.get("text", "")))),
                None,
            )
            if gd is None:
                continue
            score.timeline_matched += 1
            got, true = str(entry.get("date", "")), str(gd.get("date", ""))
            if got and true and (got.startswith(true) or true.startswith(got)):
                score.timeline_right += 1
            break

    # summary
    off_story = [o for o in gold.get("off_story") or [] if isinstance(o, dict)]
    for item in brief.get("summary") or []:
        score.summary_sentences += 1
        text = str(item.get("text", ""))
        cited = [
            (c.get("article"), sents.get(c.get("article"), c.get("sentence")))
            for c in item.get("citations") or [] if isinstance(c, dict)
        ]
        valid = [(a, s) for a, s in cited if s is not None]
        if not any(contains(s, text, need=0.9) for _a, s in valid):
            score.summary_bad += 1
        if any(o.get("article") == a and contains(s, str(o.get("text", ""))) for a, s in valid for o in off_story):
            score.summary_off += 1
    return score


# --- running over a folder ------------------------------------------------------------------------


def load_gold(data: Path) -> list[Json]:
    path = data / "gold.json"
    if not data.is_dir():
        raise DataError(f"{data}: no such folder. Pass a stories folder (gold.json + articles/) with --data.")
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: missing; a stories folder holds gold.json and articles/<story-id>.jsonl") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(gold, list):
        raise DataError(f"{path}: expected a JSON list of stories, got {type(gold).__name__}")
    return gold


def brief_story(path: Path, progress: Progress | None = None) -> tuple[Json | None, list[str]]:
    """Brief one story's articles file; returns the brief as a dict and the input problems."""
    from ..pipeline import brief_paths
    from ..report import to_dict
    from ..settings import Settings

    brief, problems = brief_paths([str(path)], Settings(progress=False))
    notes = [str(p) for p in problems]
    return (to_dict(brief) if brief is not None else None), notes


def run(
    data: Path,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    briefs: Path | None = None,
    only: Sequence[str] = (),
) -> EvalResult:
    """Brief and score every story of a stories folder (or score briefs found in ``briefs``)."""
    say = progress or (lambda _msg: None)
    gold = load_gold(data)
    stories = [s for s in gold if not only or (isinstance(s, dict) and s.get("id") in only)]
    if limit:
        stories = stories[:limit]
    total = StoryScore("TOTAL")
    scores: list[StoryScore] = []
    for n, story in enumerate(stories, 1):
        if not isinstance(story, dict) or not isinstance(story.get("id"), str):
            bad = StoryScore(f"story #{n}")
            bad.error = f"{data / 'gold.json'}: story #{n} has no string \"id\"; skipped"
            scores.append(bad)
            continue
        sid = story["id"]
        brief: Json | None = None
        error: str | None = None
        problems: list[str] = []
        try:
            if briefs is not None:
                brief_path = briefs / f"{sid}.json"
                try:
                    brief = json.loads(brief_path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    error = f"{brief_path}: cannot read the brief ({exc})"
            else:
                path = data / "articles" / f"{sid}.jsonl"
                if not path.is_file():
                    error = f"{path}: missing; the story's articles file is needed to brief it"
                else:
                    say(f"briefing {sid} ({n}/{len(stories)})")
                    brief, problems = brief_story(path)
                    if brief is None:
                        error = f"{path}: none of the articles could be used"
            score = score_story(story, brief)
        except StorylineError as exc:
            score, error = score_story(story, None), str(exc)
        score.error = error
        score.problems = problems
        scores.append(score)
        total.add(score)

    rows: dict[str, dict[str, float]] = {"TOTAL": total.metrics()}
    rows.update({s.story: s.metrics() for s in scores if s.error is None})
    result = EvalResult(
        task="stories",
        data=str(data),
        metrics=list(total.metrics()),
        rows=rows,
        notes=[
            "micro-averaged: counts summed over stories, then divided (FORMAT.md)",
            "conflict-P/R, synd-P/R, dates-right (right/matched timeline entries) are ratios; "
            "traps, wrong-merges, missed-merges, bad-cites, off-story are counts",
        ],
        extra={
            "stories": [_story_json(s) for s in scores],
            "total": _story_json(total),
        },
    )
    result.report = report_text(scores, total)
    return result


def _story_json(score: StoryScore) -> Json:
    out: Json = {f.name: getattr(score, f.name) for f in fields(score)}
    out.update(score.metrics())
    return out


def report_text(scores: Sequence[StoryScore], total: StoryScore) -> str:
    lines: list[str] = []
    for s in scores:
        lines.append(s.line() + (f"  [ERROR {s.error}]" if s.error else ""))
        lines.extend(f"    skipped input: {p}" for p in s.problems)
        lines.extend(f"    missed: {note}" for note in s.missed)
        lines.extend(f"    trap hit: {hit}" for hit in s.trap_hits)
        lines.extend(f"    wrong merge: {w}" for w in s.wrong)
    lines.append(total.line())
    return "\n".join(lines)
