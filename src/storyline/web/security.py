"""Headers every response carries, and the request-body limit, as plain ASGI middleware.

The Content-Security-Policy lets a page run only the app's own script file: no inline script,
no script from anywhere else, no plug-ins, no framing; so text from an article, whatever it
holds, can never run in a reader's browser.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import RequestRefused

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin: links out to articles send no referrer, while the app's own forms keep their
    # Origin header, which the cross-site check below relies on in browsers without Sec-Fetch-Site
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in HEADERS if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse a request body over ``limit`` bytes while it arrives (announced or not).

    The refusal is raised from ``receive``, that is inside the endpoint that reads the body,
    so the app's error handlers turn it into the usual error (HTTP 413).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = next((v for n, v in scope.get("headers", []) if n == b"content-length"), None)
        limit = self.limit
        seen = 0

        def refuse() -> RequestRefused:
            return RequestRefused(
                f"refused: the request is larger than the {limit / 1_000_000:g} MB limit "
                "(setting web_max_request_bytes); send fewer or smaller files", 413)

        async def limited() -> Message:
            nonlocal seen
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise refuse()
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise refuse()
            return message

        await self.app(scope, limited, send)


def same_origin(request: Request) -> None:
    """Refuse a write a browser sends from another site (cross-site request forgery: a page
    elsewhere posting into the reader's local store). Programs that send neither header pass."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        allowed = fetch_site in ("same-origin", "none")
    else:
        origin = request.headers.get("origin")
        allowed = origin is None or urlsplit(origin).netloc == request.headers.get("host", "")
    if not allowed:
        raise RequestRefused("refused: this request came from another site; "
                             "add articles from storyline's own pages or with a program", 403)
