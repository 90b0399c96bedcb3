"""``storyline serve``: a web app over the store where a reader checks every line of a
briefing against its source. FastAPI + Jinja2, assets served from the package, no CDN."""

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
