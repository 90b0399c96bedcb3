"""The one place where the stages are composed.

ingest -> clean -> analyse -> link -> claims -> align -> check -> timeline -> summarise -> report
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from . import align, check, claims, clean, link, summarise, timeline
from .analyse import analyse
from .analyse.embed import SentenceVectors, embed_sentences, use_precision
from .errors import InputError, InternalError, StorylineError
from .ingest import read_inputs
from .ingest.metadata import headline_problem
from .models import AnalysedArticle, Article, Brief, ClaimMention
from .settings import Settings

Progress = Callable[[str], None]
T = TypeVar("T")


@dataclass
class StageTimes:
    """Seconds spent in each stage of the last run (for bench/). ``clock`` is wall time by
    default; bench/scale.py passes ``time.process_time`` (CPU seconds, fair on a shared machine)."""

    seconds: dict[str, float] = field(default_factory=dict)
    clock: Callable[[], float] = time.perf_counter

    def run(self, name: str, fn: Callable[[], T]) -> T:
        t0 = self.clock()
        out = fn()
        self.seconds[name] = self.seconds.get(name, 0.0) + self.clock() - t0
        return out


_pause_lock = threading.Lock()
_pauses = 0  # briefs running now, in any thread
_collector_was_on = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a story is analysed and briefed.

    Our stages make no reference cycles (tests/test_pipeline.py checks it; spaCy's parser leaves
    a few objects per batch, freed by the first collection after), so a collection during a
    brief frees next to nothing, yet each full collection walks every object of the process,
    spaCy's ~210,000 and the story's parses included: about 1.4 CPU s of a 200-article brief's
    later stages and 0.3 s of its spaCy pass (timed by gc.callbacks), landing in whichever
    stage happens to allocate past the threshold. Nested and concurrent briefs (serve's threads)
    share one pause; the collector comes back as it was when the last of them ends.
    """
    global _pauses, _collector_was_on
    with _pause_lock:
        if _pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_on:
                gc.enable()


def clean_articles(
    articles: Sequence[Article], settings: Settings
) -> tuple[list[Article], list[InputError]]:
    """Clean every article; one with no body text left is reported, not briefed, and one that
    makes the cleaner fail is an internal error for that article only."""
    kept: list[Article] = []
    problems: list[InputError] = []
    for article in articles:
        try:
            cleaned = clean.clean(article)
        except Exception as exc:
            problems.append(InternalError(where_of(article), exc))
            continue
        short = clean.too_short(cleaned, settings)
        if short:
            problems.append(InputError(where_of(article), short))
            continue
        kept.append(cleaned)
    return kept, problems


def where_of(article: Article) -> str:
    """How messages name an article: its file, else its URL, else its id."""
    return article.path or article.url or article.id


@collector_paused()
def brief_articles(
    articles: Sequence[Article],
    settings: Settings | None = None,
    progress: Progress | None = None,
    times: StageTimes | None = None,
) -> Brief:
    """Brief articles that are already ingested and cleaned."""
    settings = settings or Settings()
    times = times or StageTimes()
    docs, vectors = analyse_and_embed(articles, settings, progress, times)
    return brief_analysed(docs, vectors, settings, progress, times)


@collector_paused()
def analyse_and_embed(
    articles: Sequence[Article],
    settings: Settings | None = None,
    progress: Progress | None = None,
    times: StageTimes | None = None,
) -> tuple[list[AnalysedArticle], SentenceVectors]:
    """Sentences, entities and dates of the articles of one story, and their sentence vectors."""
    settings = settings or Settings()
    times = times or StageTimes()
    say = progress or (lambda _msg: None)
    use_precision(settings.embed_precision)  # a bad value fails before any work
    say("analysing sentences, entities and dates")
    docs: list[AnalysedArticle] = times.run("analyse", lambda: analyse(articles, settings))
    say("embedding sentences")
    vectors = times.run("embed", lambda: embed_sentences(docs, settings.batch_size))
    return docs, vectors


@collector_paused()
def brief_analysed(
    docs: Sequence[AnalysedArticle],
    vectors: SentenceVectors,
    settings: Settings | None = None,
    progress: Progress | None = None,
    times: StageTimes | None = None,
    mentions: Sequence[ClaimMention] | None = None,
) -> Brief:
    """Brief one story from its analysed articles and their sentence vectors.

    ``mentions``: the claims of these articles when they were already extracted (``batch``
    extracts them per partition, next to the parse they need).
    """
    settings = settings or Settings()
    times = times or StageTimes()
    say = progress or (lambda _msg: None)
    docs = list(docs)
    say("linking entities")
    entities = times.run("link", lambda: link.link_entities(docs))
    if mentions is None:
        say("finding claims and their speakers")
        mentions = times.run("claims", lambda: claims.extract_claims(docs))
    found = list(mentions)
    say("aligning claims across sources")
    groups = times.run("align", lambda: align.story_groups(docs, vectors, settings))
    syndication = times.run("align", lambda: align.find_syndication(docs, vectors, settings))
    aligned = times.run(
        "align",
        lambda: align.align_claims(docs, found, vectors, syndication, settings, groups=groups),
    )
    say("checking for conflicts")
    conflicts, checked = times.run(
        "check", lambda: check.find_conflicts(docs, aligned, vectors, settings, groups=groups)
    )
    say("building the timeline")
    events = times.run("timeline", lambda: timeline.build_timeline(docs, settings))
    say("summarising")
    summary = times.run(
        "summarise", lambda: summarise.summarise(docs, vectors, settings, claims=checked)
    )

    warnings: list[str] = []
    if len(groups) > 1:
        listing = "; ".join(", ".join(g) for g in groups)
        warnings.append(
            f"the input looks like more than one story ({len(groups)} groups: {listing}); "
            "claims are only corroborated within a group. Brief each story on its own."
        )
    dates = sorted(d.article.published for d in docs if d.article.published)
    return Brief(
        title=story_title(docs),
        span_start=dates[0] if dates else None,
        span_end=dates[-1] if dates else None,
        articles=tuple(docs),
        entities=tuple(entities),
        claims=tuple(checked),
        conflicts=tuple(conflicts),
        timeline=tuple(events),
        syndication=tuple(syndication),
        summary=tuple(summary),
        warnings=tuple(warnings),
    )


def brief_paths(
    inputs: Sequence[str],
    settings: Settings | None = None,
    progress: Progress | None = None,
    times: StageTimes | None = None,
) -> tuple[Brief | None, list[InputError]]:
    """Read, clean and brief inputs (paths, directories, globs, ``-``).

    Returns the brief (None when no input could be used) and every input that was skipped.
    """
    settings = settings or Settings()
    times = times or StageTimes()
    say = progress or (lambda _msg: None)
    say("reading inputs")
    result = times.run("ingest", lambda: read_inputs(inputs, settings, progress=progress))
    problems = list(result.problems)
    articles, skipped = times.run("clean", lambda: clean_articles(result.articles, settings))
    problems.extend(skipped)
    if len(articles) > 1:
        words = sum(len(a.text.split()) for a in articles)
        say(f"briefing {len(articles):,} articles ({words:,} words)")
    while articles:
        try:
            return brief_articles(articles, settings, progress, times), problems
        except StorylineError:
            raise
        except Exception as exc:
            # A bug set off by one article must not lose the others: find the article that
            # fails on its own, report it, brief the rest. A failure no single article causes
            # is raised (the CLI reports it as an internal error).
            culprit = _failing_article(articles, settings)
            if culprit is None:
                raise
            problems.append(InternalError(where_of(culprit), exc))
            articles = [a for a in articles if a is not culprit]
    return None, problems


def _failing_article(articles: Sequence[Article], settings: Settings) -> Article | None:
    for article in articles:
        try:
            brief_articles([article], settings)
        except StorylineError:
            continue
        except Exception:
            return article
    return None


def story_title(docs: Sequence[AnalysedArticle]) -> str:
    """The headline of the latest dated article: a briefing leads with the newest development.

    A title that is a date line, a photo credit or a caption ("Image copyright Reuters Image
    caption ...") is no headline; one in capitals gives way to one in ordinary case.
    """
    titled = [
        d.article for d in docs if d.article.title and headline_problem(d.article.title) is None
    ]
    if not titled:
        return "Untitled story"
    titled.sort(
        key=lambda a: (
            not (a.title or "").isupper(),
            a.published is not None,
            a.published or "",
            a.id,
        ),
        reverse=True,
    )
    return titled[0].title or "Untitled story"

