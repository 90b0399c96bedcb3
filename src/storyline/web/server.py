"""``storyline serve``: the web app on uvicorn."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from ..errors import UsageError
from ..settings import Settings
from .app import create_app


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
          log_level: str = "info") -> None:
    """Serve the store at ``db`` until interrupted. Binds to loopback unless told otherwise."""
    import uvicorn

    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is 0 to 65535")
    app = create_app(db, settings)
    try:
        public = not ipaddress.ip_address(host).is_loopback
    except ValueError:
        public = host not in ("localhost",)
    if public:
        print(f"storyline: serving {db} on {host}:{port}, reachable from other machines; "
              "there is no login: anyone who can reach it can read the store and add articles")
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False,
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C once it has shut down: the normal way to stop
        pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port") from exc
