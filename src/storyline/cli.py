"""The command line: thin wrappers over library functions. Errors become ``Error: ...`` here."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PARTIAL,
    InputError,
    StorylineError,
    UsageError,
    exit_code,
)
from .settings import Settings

FORMATS = ["markdown", "json", "html"]
EVAL_TASKS = ["summaries", "timelines", "extraction", "coref", "clustering", "stories"]


def build_settings(**overrides: Any) -> Settings:
    """The one place the CLI turns options into a Settings object (None means: default)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


class Progress:
    """Stage messages on stderr, shown only once a command has taken more than a moment."""

    def __init__(self, quiet: bool, delay: float = 1.0) -> None:
        self.quiet = quiet
        self.delay = delay
        self.t0 = time.monotonic()
        self.pending: str | None = None

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        elapsed = time.monotonic() - self.t0
        if elapsed < self.delay:
            self.pending = message
            return
        if self.pending:
            click.echo(f"storyline: {self.pending} …", err=True)
            self.pending = None
        click.echo(f"storyline: {message} … ({elapsed:.1f}s)", err=True)


def report_problems(problems: Sequence[InputError]) -> None:
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)


def fail(error: StorylineError) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    sys.exit(error.exit_code)


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def guarded(fn: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command; a StorylineError becomes ``Error: ...`` and its exit code, in one place.

    Any other exception is a bug: ``Error: internal error (please report): ...`` and exit code
    3, with the traceback only when ``STORYLINE_DEBUG`` is set. (Bugs on one input are caught
    earlier, at that input, and the other inputs still processed: see ``errors.InternalError``.)
    """

    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = fn(*args, **kwargs)
        except StorylineError as error:
            fail(error)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            internal_error(exc)
        sys.exit(code or EXIT_OK)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def internal_error(exc: BaseException) -> NoReturn:
    import os
    import traceback

    if os.environ.get("STORYLINE_DEBUG"):
        traceback.print_exception(exc)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    click.echo(f"Error: internal error (please report): {detail}", err=True)
    if not os.environ.get("STORYLINE_DEBUG"):
        click.echo("(set STORYLINE_DEBUG=1 to see the traceback)", err=True)
    sys.exit(EXIT_INTERNAL)


# --- limits and safety: options shared by the commands that read inputs ---------------------


def limit_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The input limits of ``Settings`` as options (the error a limit raises names its flag)."""
    d = Settings()
    options = [
        click.option("--max-bytes", type=click.IntRange(1), help=f"Most bytes read from one input, after decompression [default: {d.max_bytes:,}]."),
        click.option("--max-ratio", type=click.IntRange(1), help=f"Most a compressed input may expand per byte [default: {d.max_ratio}]."),
        click.option("--max-records", type=click.IntRange(1), help=f"Most records (JSON, JSONL, WARC, feed entries) read from one input [default: {d.max_records:,}]."),
        click.option("--max-line-chars", type=click.IntRange(1), help=f"Longest line of article text [default: {d.max_line_chars:,}]."),
        click.option("--max-json-depth", type=click.IntRange(1), help=f"Deepest JSON nesting [default: {d.max_json_depth}]."),
        click.option("--max-number-digits", type=click.IntRange(1), help=f"Most digits of a JSON number [default: {d.max_number_digits}]."),
        click.option("--fetch-timeout", type=click.FloatRange(0.1), help=f"Total seconds for one URL, redirects included [default: {d.fetch_timeout:g}]."),
        click.option("--fetch-deadline", type=click.FloatRange(0.1), help=f"Total seconds for all fetching in the run [default: {d.fetch_deadline:g}]."),
        click.option("--fetch-concurrency", type=click.IntRange(1, 64), help=f"URLs fetched at once [default: {d.fetch_concurrency}]."),
        click.option("--fetch-per-host", type=click.IntRange(1, 16), help=f"URLs fetched at once from one host [default: {d.fetch_per_host}]."),
        click.option("--allow-private", is_flag=True, default=None, help="Fetch from private, loopback and link-local addresses too (refused by default)."),
        click.option("--allow-network", "allow_networks", multiple=True, metavar="CIDR", help="Allow this non-public network only (e.g. 10.1.2.0/24); repeatable."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def limit_settings(limits: dict[str, Any]) -> dict[str, Any]:
    """``limit_options`` values as Settings overrides (None: the default)."""
    out = dict(limits)
    networks = out.pop("allow_networks", ()) or ()
    if networks:
        import ipaddress

        for n in networks:
            try:
                ipaddress.ip_network(n, strict=False)
            except ValueError:
                raise UsageError(f"--allow-network {n!r} is not an address or a CIDR block") from None
        out["allow_networks"] = tuple(networks)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="storyline")
def cli() -> None:
    """Turn the news coverage of one story into a briefing where every line carries its provenance.

    \b
    Example:
      storyline brief examples/kim-putin-summit-2023 --html briefing.html
    """


@cli.command("brief")
@click.argument("inputs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the briefing to FILE instead of standard output.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML briefing to FILE.")
@click.option("--words", type=click.IntRange(10, 5000), help="Summary length in words [default: 150].")
@click.option("--story", "story_id", help="Brief a story kept in the store (see `storyline stories`).")
@click.option("--since", help="With --story: say what is new since DATE (YYYY-MM-DD).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="STORYLINE_DB",
              help="The store, for --story [default: $STORYLINE_DB or ./storyline.db].")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@click.option("--fetch", is_flag=True, default=False,
              help="Fetch URLs given as INPUTS and the pages feed entries link to (off: offline).")
@limit_options
@guarded
def brief_cmd(inputs: tuple[str, ...], fmt: str, output: Path | None, html_out: Path | None,
              words: int | None, story_id: str | None, since: str | None, db: Path | None,
              quiet: bool, fetch: bool, **limits: Any) -> int:
    """Brief the articles in INPUTS: files, directories, globs, or - for standard input.

    Reads .txt pages, .html, .json/.jsonl records, .warc(.gz) and RSS/Atom feeds; never goes
    online unless given --fetch. Exit code: 0 when every input was used, 1 when some were
    skipped (each named on stderr), 2 when none could be used, 3 on an internal error.

    \b
    Example:
      storyline brief examples/kim-putin-summit-2023 --html briefing.html
      storyline brief 'news/*.html' --format json -o brief.json
      cat article.txt | storyline brief - --words 80
    """
    from .pipeline import brief_paths
    from .report import render

    settings = build_settings(words=words, progress=not quiet, fetch=fetch, **limit_settings(limits))
    progress = Progress(quiet)
    if story_id:
        from .track import brief_story

        if inputs:
            raise UsageError("give either INPUTS or --story, not both")
        result, problems = brief_story(story_id, db, settings, since=since, progress=progress)
    else:
        if since:
            raise UsageError("--since needs --story")
        if not inputs:
            raise UsageError("no inputs given. Example: storyline brief examples/kim-putin-summit-2023")
        result, problems = brief_paths(list(inputs), settings, progress=progress)
    report_problems(problems)
    if result is None:
        click.echo("Error: none of the inputs could be used", err=True)
        return exit_code(problems, used=False)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    write_output(render(result, fmt), output)
    if html_out is not None:
        write_output(render(result, "html"), html_out)
        if not quiet:
            click.echo(f"storyline: HTML briefing written to {html_out}", err=True)
    return exit_code(problems, used=True)


@cli.command("track")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="STORYLINE_DB",
              help="The store [default: $STORYLINE_DB or ./storyline.db].")
@click.option("--brief/--no-brief", "rebrief", default=False, show_default=True,
              help="Re-brief every story that changed and keep the briefing in the store.")
@click.option("-v", "--verbose", is_flag=True, help="Print one line per stored article.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@click.option("--fetch/--no-fetch", default=True, show_default=True,
              help="Fetch URLs and the pages feed entries link to (--no-fetch: feed text only).")
@click.option("--lock-wait", type=click.FloatRange(0), help="Seconds to wait for another writer of the store [default: 600].")
@limit_options
@guarded
def track_cmd(inputs: tuple[str, ...], db: Path | None, rebrief: bool, verbose: bool, quiet: bool,
              fetch: bool, lock_wait: float | None, **limits: Any) -> int:
    """Assign each article of INPUTS to an existing story or start a new one, in the store.

    INPUTS are files, directories, JSONL, URLs and RSS/Atom feeds, taken in arrival order.
    An article already stored (same URL or same text) changes nothing. Two runs on one store
    take turns. Exit code: 0 when every input was used, 1 when some were skipped, 2 when none
    could be used, 3 on an internal error (the other inputs are still stored).

    \b
    Example:
      storyline track examples/kim-putin-summit-2023 --db stories.db
      storyline track https://example.org/world/rss.xml --db stories.db --brief
    """
    from .store import open_store
    from .track import track, update_briefs

    settings = build_settings(progress=not quiet, fetch=fetch, lock_wait=lock_wait,
                              **limit_settings(limits))
    progress = Progress(quiet)

    def stored(article_id: str, story_id: str) -> None:
        if verbose:
            click.echo(f"stored {article_id} in {story_id}")

    with open_store(db) as store:
        report = track(list(inputs), store, settings, progress=progress, on_stored=stored)
        report_problems(report.problems)
        for note in report.notes:
            click.echo(f"Note: {note}", err=True)
        if rebrief and report.changed_stories:
            for sid, status in update_briefs(store, report.changed_stories, settings, progress).items():
                if status != "ok":
                    click.echo(f"Error: story {sid}: {status}", err=True)
    click.echo(report.summary())
    return exit_code(report.problems, used=bool(report.added or report.duplicates))


@cli.command("stories")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="STORYLINE_DB",
              help="The store [default: $STORYLINE_DB or ./storyline.db].")
@click.option("--limit", type=click.IntRange(1), help="Show only the N most recently updated stories.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story.")
@guarded
def stories_cmd(db: Path | None, limit: int | None, as_json: bool) -> int:
    """List the stories in the store, most recently updated first.

    \b
    Example:
      storyline stories --db stories.db
      storyline brief --story s-0001 --db stories.db
    """
    import dataclasses
    import json

    from .store import open_store

    with open_store(db, readonly=True) as store:
        rows = store.list_stories(limit=limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(dataclasses.asdict(row), ensure_ascii=False))
        return EXIT_OK
    if not rows:
        click.echo("no stories yet: add articles with `storyline track`")
        return EXIT_OK
    click.echo("| story | title | articles | outlets | dates | updated |")
    click.echo("|---|---|---:|---:|---|---|")
    for r in rows:
        span = r.first_published or "?"
        if r.last_published and r.last_published != r.first_published:
            span = f"{span} to {r.last_published}"
        title = (r.title or "(untitled)").replace("|", "\\|")
        click.echo(f"| {r.id} | {title} | {r.articles} | {r.outlets} | {span} | {r.updated} |")
    return EXIT_OK


@cli.command("serve")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="STORYLINE_DB",
              help="The store to serve [default: $STORYLINE_DB or ./storyline.db].")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback opens the store to other machines.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@guarded
def serve_cmd(db: Path | None, host: str, port: int) -> int:
    """Serve the store as a web app: stories, briefings, articles, adding articles, a JSON API.

    Pages show the briefings `track --brief` keeps in the store; a story without one is briefed
    in the background. Stop it with Ctrl-C.

    \b
    Example:
      storyline track examples/kim-putin-summit-2023 --db stories.db
      storyline serve --db stories.db          # then open http://127.0.0.1:8000/
    """
    from .errors import StoreError
    from .store import default_path
    from .web import serve

    path = db if db is not None else default_path()
    if not path.is_file():
        raise StoreError(f"{path}: no store there; create one with `storyline track FILES --db {path}` "
                         "or pass the right path with --db")
    click.echo(f"storyline: serving {path} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    serve(path, host, port, build_settings(progress=False))
    return EXIT_OK


@cli.command("eval")
@click.argument("task", type=click.Choice(EVAL_TASKS))
@click.option("--data", type=click.Path(path_type=Path), required=True,
              help="The evaluation data folder (e.g. ../shared/eval/multinews-val).")
@click.option("--limit", type=click.IntRange(1), help="Use only the first N items (clusters, topics, pages, stories).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results as JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of text.")
@click.option("--story", "stories", multiple=True, help="stories: score only this story id (repeatable).")
@click.option("--briefs", type=click.Path(file_okay=False, path_type=Path),
              help="stories: score the briefs in DIR/<story-id>.json instead of briefing the articles.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@guarded
def eval_cmd(task: str, data: Path, limit: int | None, out: Path | None, as_json: bool,
             stories: tuple[str, ...], briefs: Path | None, quiet: bool) -> int:
    """Measure one part of storyline on real data, with baselines in the same run.

    \b
    Example:
      storyline eval summaries --data ../shared/eval/multinews-val --out results/summaries.json
      storyline eval timelines --data ../shared/eval/timeline17-dev
      storyline eval extraction --data ../shared/eval/article-extraction-benchmark
      storyline eval coref --data ../shared/eval/ecbplus
      storyline eval clustering --data ../shared/eval
      storyline eval stories --data ../shared/eval/stories-dev
    """
    import importlib
    import json

    from .errors import DataError

    if not data.exists():
        raise DataError(f"{data}: no such folder. Pass the data folder with --data PATH.")
    if (stories or briefs) and task != "stories":
        raise UsageError("--story and --briefs go with `eval stories`")
    module = importlib.import_module(f".evaluate.{task}", __package__)
    progress = Progress(quiet, delay=0.0)
    extra: dict[str, Any] = {"only": stories, "briefs": briefs} if task == "stories" else {}
    result = module.run(data, limit=limit, progress=progress, **extra)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"## storyline eval {task} ({result.data})\n")
        click.echo(result.report if result.report is not None else result.table())
        for note in result.notes:
            click.echo(f"\n- {note}")
    if out is not None:
        result.write(out)
        click.echo(f"\nresults written to {out}", err=True)
    failed = [s for s in result.extra.get("stories", []) if s.get("error")]
    for s in failed:
        click.echo(f"Error: {s['error']}", err=True)
    return EXIT_PARTIAL if failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="storyline")


if __name__ == "__main__":  # pragma: no cover
    main()
