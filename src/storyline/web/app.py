"""The web app over a store: ``create_app(db)`` gives the ASGI application (FastAPI).

Pages and their JSON beside them, static files served from the package (nothing from a CDN:
it runs offline), one error shape for every JSON error and an error page for every HTML one,
security headers on every response, and a background worker for anything that runs the NLP
pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import RequestRefused, StoreError, StorylineError
from ..settings import Settings
from ..store import open_store
from .api import router as api_router
from .pages import hits
from .pages import router as pages_router
from .security import HEADERS, BodyLimit, SecurityHeaders
from .site import Site

log = logging.getLogger("storyline.web")

CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
         415: "unsupported_type", 422: "invalid_request", 500: "internal_error", 503: "store_unavailable"}
STATIC = {
    "storyline.css": ("storyline.report", "templates/storyline.css", "text/css; charset=utf-8"),
    "app.js": ("storyline.web", "static/app.js", "text/javascript; charset=utf-8"),
}


def _static() -> dict[str, tuple[bytes, str]]:
    return {name: (resources.files(pkg).joinpath(path).read_bytes(), media)
            for name, (pkg, path, media) in STATIC.items()}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        parts.append(f"{'.'.join(where) or 'request'}: {err.get('msg', 'not valid')}")
    return "; ".join(parts) or "the request is not valid"


def create_app(db: str | Path, settings: Settings | None = None, *, worker: bool = True) -> FastAPI:
    """The app over the store at ``db`` (which must exist: a typo must not create an empty one).

    ``worker=False`` starts no background worker (nothing can be added or briefed then).
    """
    path = Path(db)
    if not path.is_file():
        raise StoreError(f"{path}: no store there; create one with `storyline track FILES --db {path}` "
                         "or pass the right path with --db")
    with open_store(path):  # brings the schema up to date (search index, job table) once
        pass
    settings = settings or Settings(progress=False)
    site = Site(path, settings, start_worker=worker)
    site.templates.filters["hits"] = hits
    static = _static()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        site.worker.stop()

    app = FastAPI(
        title="storyline",
        version=__version__,
        description="Stories tracked in a storyline store, with their briefings: every line cites the "
                    "article sentence it comes from.",
        docs_url=None,  # FastAPI's docs pages load their assets from a CDN; /api lists the endpoints
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.site = site

    def error(request: Request, status: int, message: str, code: str | None = None) -> Response:
        code = code or CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
        # the headers again: a 500 is answered outside the middleware that adds them
        headers = {name.decode(): value.decode() for name, value in HEADERS}
        if request.url.path.startswith("/api") or "application/json" in request.headers.get("accept", ""):
            body = {"error": {"status": status, "code": code, "message": message}}
            return JSONResponse(body, status_code=status, headers=headers)
        heading = {404: "Not found", 413: "Too large", 415: "Not a file storyline reads"}.get(
            status, HTTPStatus(status).phrase)
        page = site.render("error.html.j2", version=__version__, status=status, heading=heading, message=message)
        return HTMLResponse(page, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        return error(request, exc.status_code, message, getattr(exc, "code", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error(request, 422, _validation_message(exc))

    @app.exception_handler(RequestRefused)
    async def refused(request: Request, exc: RequestRefused) -> Response:
        return error(request, exc.status, str(exc), "refused")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return error(request, 503, str(exc))

    @app.exception_handler(StorylineError)
    async def user_error(request: Request, exc: StorylineError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return error(request, 500, "internal error (please report it); nothing was changed by this request")

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str) -> Response:
        if name not in static:
            raise StarletteHTTPException(404, f"no static file {name!r}")
        body, media = static[name]
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})

    app.include_router(api_router)
    app.include_router(pages_router)
    app.add_middleware(BodyLimit, limit=settings.web_max_request_bytes)
    app.add_middleware(SecurityHeaders)
    return app
