"""The HTML pages: stories (search, filters, pages), a story's briefing, an article, adding
articles and following the job. Every page reads the store and cached briefings only; a
missing or stale briefing is queued for the background worker, never made in a request.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from .. import __version__
from ..errors import RequestRefused
from ..report import html as report_html
from ..report import view
from ..store import queries
from ..store.jobs import FAILED, Job, get_job, latest_brief_job
from .api import DATE, list_url, not_found, site_of, story_listing
from .security import same_origin
from .site import Body, Site
from .uploads import ACCEPTED, mb, read_form

router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"


def hits(snippet: str) -> Markup:
    """A search snippet, escaped, with its matched words marked."""
    tags = {queries.HIT_START: "<mark>", queries.HIT_END: "</mark>"}
    parts = re.split(f"([{queries.HIT_START}{queries.HIT_END}])", snippet)
    return Markup("".join(tags.get(p) or str(escape(view.plain(p))) for p in parts))


def send(request: Request, body: Body, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A cached body, gzipped when the client accepts it (browsers do): compressed once."""
    extra = {"Vary": "Accept-Encoding", **(headers or {})}
    if "gzip" in request.headers.get("accept-encoding", "") and len(body.raw) > 1024:
        return Response(body.gzipped(), media_type=media_type, headers={**extra, "Content-Encoding": "gzip"})
    return Response(body.raw, media_type=media_type, headers=extra)


def page(site: Site, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(site.render(template, version=__version__, **context), status_code=status)


class WebLinks:
    """Links of the story page: a citation opens the article page at the cited sentence."""

    standalone = False
    toolbar = "story_toolbar.html.j2"

    def __init__(self, story_id: str) -> None:
        self.story = quote(story_id, safe="")

    @staticmethod
    def cite(article: str, sentence: int) -> str:
        return f"/articles/{quote(article, safe='')}?s={sentence}#s{sentence}"

    @staticmethod
    def article(article: str) -> str:
        return f"/articles/{quote(article, safe='')}"

    def full(self, section: str) -> str:
        return f"/stories/{self.story}?full=1#{section}"


def ensure_brief(site: Site, story_id: str) -> Job | None:
    """The job making this story's briefing: a queued or running one, else a new one; None
    when the last try failed since the story last changed (a reader retries by hand)."""
    story = queries.story_summary(site.conn(), story_id)
    latest = latest_brief_job(site.conn(), story_id)
    if latest is not None and not latest.finished:
        return latest
    if latest is not None and latest.state == FAILED and story is not None and latest.updated >= story.updated:
        return None
    return site.worker.brief(story_id)


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=500)] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    date_from: Annotated[str | None, Query(alias="from", pattern=DATE)] = None,
    date_to: Annotated[str | None, Query(alias="to", pattern=DATE)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    site = site_of(request)
    stories, total, pages = story_listing(site, q, outlet, date_from, date_to, page_no)
    query = list_url("", q, outlet, date_from, date_to, 1)
    return page(
        site, "stories.html.j2", nav="stories", stories=stories, total=total, pages=pages, page=page_no,
        q=q, outlet=outlet, date_from=date_from, date_to=date_to, outlets=queries.outlets(site.conn()),
        total_stories=queries.count_stories(site.conn()), db_name=site.db.name, query_string=query,
        page_url=lambda n: list_url("/", q, outlet, date_from, date_to, n),
    )


def _since_iso(value: str) -> str:
    when = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return when.isoformat(timespec="microseconds")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(
    request: Request,
    story_id: str,
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    full: bool = False,
) -> Response:
    site = site_of(request)
    versions = queries.story_versions(site.conn(), story_id)
    if versions is None:
        raise not_found(f"story {story_id!r}")
    story_updated, brief_updated = versions
    job = failed = None
    if brief_updated is None or brief_updated < story_updated:
        job = ensure_brief(site, story_id)
        if job is None:
            failed = latest_brief_job(site.conn(), story_id)
    since = since or None
    key = ("story", story_id, brief_updated, story_updated, full, since)

    def make() -> bytes:
        story = queries.story_summary(site.conn(), story_id)
        cached = site.story_brief(story_id)
        context: dict[str, Any] = {"story": story, "since": since, "full": full, "job": job, "failed": failed,
                                   "links": WebLinks(story_id), "nav": "stories", "version": __version__}
        if cached is not None:
            context.update(v=view.story(cached.brief, full=full), b=cached.brief)
            if since:
                new = queries.added_since(site.conn(), story_id, _since_iso(since))
                context["new"] = view.new_since(cached.brief, since, new)
        else:
            context["articles"] = queries.story_articles(site.conn(), story_id)
        return site.render("story.html.j2", **context).encode("utf-8")

    if job is not None or failed is not None:
        return Response(make(), media_type=HTML)  # shows live progress: not cached
    body: Body | None = site.pages.get(key)
    if body is None:
        body = Body(await run_in_threadpool(make))
        site.pages.put(key, body)
    return send(request, body, HTML)


@router.get("/stories/{story_id}/report.html")
async def story_report(request: Request, story_id: str) -> Response:
    """The story page as one self-contained file: what ``brief --story ID --html`` writes."""
    site = site_of(request)
    cached = site.story_brief(story_id)
    if cached is None:
        if queries.story_summary(site.conn(), story_id) is None:
            raise not_found(f"story {story_id!r}")
        raise HTTPException(404, f"story {story_id!r} has no briefing yet; open its page to have one made")
    key = ("report", story_id, cached.updated)
    body: Body | None = site.pages.get(key)
    if body is None:
        body = Body((await run_in_threadpool(report_html.render, cached.brief)).encode("utf-8"))
        site.pages.put(key, body)
    return send(request, body, HTML, headers={
        "Content-Disposition": f'attachment; filename="storyline-{quote(story_id, safe="")}.html"',
        "Content-Security-Policy": report_html.policy(),
    })


@router.post("/stories/{story_id}/brief", dependencies=[Depends(same_origin)])
def story_rebrief(request: Request, story_id: str) -> RedirectResponse:
    site = site_of(request)
    if queries.story_summary(site.conn(), story_id) is None:
        raise not_found(f"story {story_id!r}")
    job = site.worker.brief(story_id)
    return RedirectResponse(f"/jobs/{quote(job.id, safe='')}", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: str, s: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> HTMLResponse:
    site = site_of(request)
    row = queries.article(site.conn(), article_id)
    if row is None:
        raise not_found(f"article {article_id!r}")
    cached = site.story_brief(row.story_id) if row.story_id else None
    doc = next((d for d in cached.brief.articles if d.article.id == row.id), None) if cached else None
    article = row.to_article()
    sentences = list(doc.sentences) if doc is not None else None
    firsts = [next((x.index for x in sentences if x.post == i), None) for i in range(len(article.posts))] \
        if sentences is not None else [None] * len(article.posts)
    story = queries.story_summary(site.conn(), row.story_id) if row.story_id else None
    cited = s if sentences is not None and s is not None and s < len(sentences) else None
    return page(
        site, "article.html.j2", nav="stories", a=article, row=row, sentences=sentences, cited=cited,
        first_sentence=firsts, story_title=story.title if story else None,
        label=view.base_label(article.source, article.url, article.title, article.path, article.id),
    )


def add_context(site: Site) -> dict[str, Any]:
    st = site.settings
    return {"nav": "add", "accepted": ACCEPTED,
            "limits": {"paste": st.web_max_paste_chars, "files": st.web_max_upload_files,
                       "size": mb(st.web_max_upload_bytes), "urls": st.web_max_urls}}


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> HTMLResponse:
    site = site_of(request)
    return page(site, "add.html.j2", form={}, error=None, **add_context(site))


@router.post("/add", dependencies=[Depends(same_origin)])
async def add_submit(request: Request) -> Response:
    site = site_of(request)
    try:
        add, _ = await read_form(request, site.settings)
    except RequestRefused as refused:
        form: dict[str, Any] = {}
        try:  # show what was typed again (the body may be gone after a size refusal)
            form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        except Exception:  # noqa: BLE001 - nothing to show back
            form = {}
        return page(site, "add.html.j2", status=refused.status, form=form, error=str(refused), **add_context(site))
    job = site.worker.add(add)
    return RedirectResponse(f"/jobs/{quote(job.id, safe='')}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    site = site_of(request)
    job = get_job(site.conn(), job_id)
    if job is None:
        raise not_found(f"job {job_id!r}")
    stories = {sid: queries.story_summary(site.conn(), sid)
               for sid in {x["story"] for x in job.result.get("added", [])}}
    return page(site, "job.html.j2", nav="add", job=job, stories=stories)


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    site = site_of(request)
    return page(site, "api.html.j2", nav="api", spec=request.app.openapi())
