"""Fixtures of the web tests: a store built once from the bundled example (track, then brief,
as `storyline track --brief` does), the app served by uvicorn on a loopback port in a thread
of this process (so its background worker shares the loaded models), and Debian's chromium
driven by Playwright.

The browser tests FAIL when chromium is missing (CI installs it with scripts/setup.sh); set
STORYLINE_SKIP_BROWSER=1 to skip them on purpose.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storyline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "kim-putin-summit-2023"
SCREENSHOTS = Path(os.environ.get("STORYLINE_SCREENSHOTS") or ROOT / "artifacts" / "screenshots")
CHROMIUM_FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                  "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    found = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).is_file() else None


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from storyline.store import open_store
    from storyline.track import track, update_briefs

    db = tmp_path_factory.mktemp("web") / "stories.db"
    settings = Settings(progress=False)
    with open_store(db) as store:
        report = track([str(EXAMPLE)], store, settings)
        assert len(report.added) == 5 and not report.problems
        status = update_briefs(store, report.changed_stories, settings)
        assert set(status.values()) == {"ok"}, status
    return db


@dataclass
class Live:
    url: str
    app: Any
    db: Path
    story: str  # the bundled story's id

    def wait_job(self, job_id: str, timeout: float = 90.0) -> dict[str, Any]:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = httpx.get(f"{self.url}/api/jobs/{job_id}", timeout=10).json()
            if job["state"] in ("done", "failed"):
                return job
            time.sleep(0.3)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture(scope="session")
def live(web_store: Path) -> Iterator[Live]:
    import uvicorn

    from storyline.store import queries
    from storyline.web import create_app

    app = create_app(web_store, Settings(progress=False))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    conn = queries.connect_readonly(web_store)
    [story], _ = queries.search_stories(conn)
    conn.close()
    yield Live(f"http://127.0.0.1:{port}", app, web_store, story.id)
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if os.environ.get("STORYLINE_SKIP_BROWSER") == "1":
        pytest.skip("STORYLINE_SKIP_BROWSER=1: browser tests skipped on purpose")
    path = chromium_path()
    if path is None:
        pytest.fail("Debian's chromium is not installed, so the browser tests cannot run: "
                    "`bash scripts/setup.sh` installs it (apt-get install chromium); "
                    "set STORYLINE_SKIP_BROWSER=1 to skip them on purpose")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A browser page that records dialogs (and dismisses them) and CSP complaints."""

    page: Any
    dialogs: list[str]
    console: list[str]

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]

    def shot(self, name: str, full_page: bool = False) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def open_tab(browser: Any, javascript: bool = True) -> Tab:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Tab(page, [], [])

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: tab.console.append(f"{m.type}: {m.text}"))
    return tab


@pytest.fixture()
def tab(browser: Any) -> Iterator[Tab]:
    t = open_tab(browser)
    yield t
    t.page.context.close()
