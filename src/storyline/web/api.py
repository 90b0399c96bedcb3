"""The JSON API beside every page (datasette's habit). Pydantic models describe the answers
for the OpenAPI document; the briefing itself is the stored ``storyline.brief/1`` JSON, sent
as it is. Every error has one shape: ``{"error": {"status", "code", "message"}}``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ..report import view
from ..store import queries
from ..store.jobs import Job, get_job
from .security import same_origin
from .site import Site
from .uploads import read_form

DATE = r"^(\d{4}-\d{2}-\d{2})?$"
router = APIRouter(prefix="/api", tags=["api"])


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such story, article or job"},
    422: {"model": ErrorOut, "description": "A parameter is not valid"},
}


class StoryOut(BaseModel):
    id: str
    title: str | None
    articles: int
    outlets: int
    first_published: str | None
    last_published: str | None
    created: str
    updated: str
    briefing: Literal["fresh", "stale", "missing"]
    brief_updated: str | None
    claims: int | None
    contested: int | None
    corroborated: int | None
    conflicts: int | None
    events: int | None
    snippet: str | None = None
    page: str
    api: str


class StoryListOut(BaseModel):
    stories: list[StoryOut]
    total: int
    page: int
    per_page: int
    pages: int
    next: str | None
    prev: str | None


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    source: str | None
    label: str
    url: str | None
    published: str | None
    added: str
    page: str


class StoryDetailOut(BaseModel):
    story: StoryOut
    articles: list[ArticleSummary]
    brief: str


class PostOut(BaseModel):
    title: str | None
    published: str | None
    first_sentence: int | None
    authors: list[str]


class RemovedOut(BaseModel):
    text: str
    reason: str


class ArticleOut(BaseModel):
    id: str
    story: str | None
    url: str | None
    title: str | None
    source: str | None
    label: str
    source_evidence: str | None
    published: str | None
    published_evidence: str | None
    authors: list[str]
    path: str | None
    added: str
    sentences: list[str] | None
    posts: list[PostOut]
    removed: list[RemovedOut]
    captions: list[str]
    text: str
    page: str


class JobOut(BaseModel):
    id: str
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    created: str
    updated: str
    message: str
    result: dict[str, Any]
    page: str


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def story_out(s: queries.StorySummary) -> StoryOut:
    state: Literal["fresh", "stale", "missing"] = (
        "missing" if s.brief_updated is None else "fresh" if s.brief_fresh else "stale")
    snippet = s.snippet.replace(queries.HIT_START, "").replace(queries.HIT_END, "") if s.snippet else None
    return StoryOut(
        id=s.id, title=s.title, articles=s.articles, outlets=s.outlets, first_published=s.first_published,
        last_published=s.last_published, created=s.created, updated=s.updated, briefing=state,
        brief_updated=s.brief_updated, claims=s.claims, contested=s.contested, corroborated=s.corroborated,
        conflicts=s.conflicts, events=s.events, snippet=snippet,
        page=f"/stories/{quote(s.id, safe='')}", api=f"/api/stories/{quote(s.id, safe='')}",
    )


def job_out(job: Job) -> JobOut:
    return JobOut(id=job.id, kind=job.kind, state=job.state, created=job.created,  # type: ignore[arg-type]
                  updated=job.updated, message=job.message, result=job.result,
                  page=f"/jobs/{quote(job.id, safe='')}")


class NotBriefed(HTTPException):
    code = "not_briefed"


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} is not in this store")


def story_listing(
    site: Site, q: str | None, outlet: str | None, date_from: str | None, date_to: str | None, page: int,
) -> tuple[list[queries.StorySummary], int, int]:
    per = site.settings.web_page_size
    stories, total = queries.search_stories(
        site.conn(), q, outlet or None, date_from or None, date_to or None, limit=per, offset=(page - 1) * per)
    return stories, total, max(1, -(-total // per))


def list_url(base: str, q: str | None, outlet: str | None, date_from: str | None, date_to: str | None,
             page: int) -> str:
    args = {k: v for k, v in (("q", q), ("outlet", outlet), ("from", date_from), ("to", date_to)) if v}
    if page > 1:
        args["page"] = str(page)
    return base + ("?" + urlencode(args) if args else "")


@router.get("/stories", response_model=StoryListOut, summary="Stories, searched and filtered",
            description="Most recently updated first, or best match first with q.", responses=ERRORS)
def api_stories(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="words in a title or article text")] = None,
    outlet: Annotated[str | None, Query(max_length=300, description="stories with an article from this outlet")] = None,
    date_from: Annotated[str | None, Query(alias="from", pattern=DATE, description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", pattern=DATE, description="YYYY-MM-DD")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> StoryListOut:
    site = site_of(request)
    stories, total, pages = story_listing(site, q, outlet, date_from, date_to, page)
    return StoryListOut(
        stories=[story_out(s) for s in stories], total=total, page=page, per_page=site.settings.web_page_size,
        pages=pages,
        next=list_url("/api/stories", q, outlet, date_from, date_to, page + 1) if page < pages else None,
        prev=list_url("/api/stories", q, outlet, date_from, date_to, page - 1) if page > 1 else None,
    )


@router.get("/stories/{story_id}", response_model=StoryDetailOut, summary="One story and its articles",
            responses=ERRORS)
def api_story(request: Request, story_id: str) -> StoryDetailOut:
    site = site_of(request)
    story = queries.story_summary(site.conn(), story_id)
    if story is None:
        raise not_found(f"story {story_id!r}")
    articles = [
        ArticleSummary(id=a.id, title=a.title, source=a.source,
                       label=view.base_label(a.source, a.url, a.title, a.metadata.get("path"), a.id),
                       url=a.url, published=a.published, added=a.added, page=f"/articles/{quote(a.id, safe='')}")
        for a in queries.story_articles(site.conn(), story_id)
    ]
    return StoryDetailOut(story=story_out(story), articles=articles,
                          brief=f"/api/stories/{quote(story_id, safe='')}/brief")


@router.get(
    "/stories/{story_id}/brief",
    summary="The story's briefing, exactly storyline.brief/1",
    description="The cached briefing as `storyline brief --story ID --format json` prints it; its JSON "
                "schema is at /api/schema/brief.json. A story not briefed yet answers 404 with code "
                "`not_briefed` and a briefing is queued.",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}},
                     "description": "A storyline.brief/1 object"}, **ERRORS},
)
async def api_brief(request: Request, story_id: str) -> Response:
    site = site_of(request)
    cached = site.story_brief(story_id)
    if cached is None:
        if queries.story_summary(site.conn(), story_id) is None:
            raise not_found(f"story {story_id!r}")
        from .pages import ensure_brief

        job = ensure_brief(site, story_id)
        doing = f"one is being made (job {job.id}); try again in a moment" if job else "see its page"
        raise NotBriefed(404, f"story {story_id!r} has no briefing yet; {doing}")
    from .pages import send

    return send(request, cached.body, "application/json")


@router.get("/schema/brief.json", summary="The JSON schema of storyline.brief/1")
def api_schema() -> Response:
    text = resources.files("storyline.report").joinpath("schema.json").read_text(encoding="utf-8")
    return Response(text, media_type="application/schema+json")


def article_out(site: Site, article_id: str) -> ArticleOut:
    row = queries.article(site.conn(), article_id)
    if row is None:
        raise not_found(f"article {article_id!r}")
    meta = row.metadata
    sentences: list[str] | None = None
    posts = [PostOut(title=p.get("title"), published=p.get("published"), first_sentence=None,
                     authors=list(p.get("authors", []))) for p in meta.get("posts", [])]
    cached = site.story_brief(row.story_id) if row.story_id else None
    if cached is not None:
        doc = next((d for d in cached.brief.articles if d.article.id == row.id), None)
        if doc is not None:
            sentences = [s.text for s in doc.sentences]
            firsts: dict[int, int] = {}
            for s in doc.sentences:
                if s.post is not None:
                    firsts.setdefault(s.post, s.index)
            posts = [p.model_copy(update={"first_sentence": firsts.get(i)}) for i, p in enumerate(posts)]
    return ArticleOut(
        id=row.id, story=row.story_id, url=row.url, title=row.title, source=row.source,
        label=view.base_label(row.source, row.url, row.title, meta.get("path"), row.id),
        source_evidence=meta.get("source_evidence"), published=row.published,
        published_evidence=meta.get("published_evidence"), authors=list(meta.get("authors", [])),
        path=meta.get("path"), added=row.added, sentences=sentences, posts=posts,
        removed=[RemovedOut(text=r["text"], reason=r["reason"]) for r in meta.get("removed", [])],
        captions=list(meta.get("captions", [])), text=row.text, page=f"/articles/{quote(row.id, safe='')}",
    )


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="One article",
            description="Its text, metadata with evidence, removed boilerplate, and its sentences as "
                        "numbered in its story's briefing (0-based, as in the JSON briefing).",
            responses=ERRORS)
def api_article(request: Request, article_id: str) -> ArticleOut:
    return article_out(site_of(request), article_id)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A background job's progress and result",
            responses=ERRORS)
def api_job(request: Request, job_id: str) -> JobOut:
    job = get_job(site_of(request).conn(), job_id)
    if job is None:
        raise not_found(f"job {job_id!r}")
    return job_out(job)


ADD_FORM = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {
                "text": {"type": "string", "description": "a pasted article (first line: headline)"},
                "title": {"type": "string"}, "outlet": {"type": "string"},
                "url": {"type": "string", "description": "the pasted article's http(s) address"},
                "published": {"type": "string", "format": "date"},
                "urls": {"type": "string", "description": "article or feed addresses, one per line"},
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            },
        }}},
    }
}


@router.post("/articles", status_code=202, response_model=JobOut, summary="Add articles (in the background)",
             description="Paste, upload or give addresses; they are tracked into stories and the changed "
                         "stories briefed again by a background job. Refused uploads answer 400, 413 or 415.",
             openapi_extra=ADD_FORM, dependencies=[Depends(same_origin)],
             responses={400: {"model": ErrorOut}, 403: {"model": ErrorOut}, 413: {"model": ErrorOut},
                        415: {"model": ErrorOut}})
async def api_add(request: Request) -> JSONResponse:
    site = site_of(request)
    add, _ = await read_form(request, site.settings)
    job = site.worker.add(add)
    body = job_out(job)
    return JSONResponse(json.loads(body.model_dump_json()), status_code=202,
                        headers={"Location": f"/api/jobs/{quote(job.id, safe='')}"})
