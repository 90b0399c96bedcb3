"""URLs and feeds against a real HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.settings import Settings
from storyline.store import open_store
from storyline.track import track

BODY = (
    "Heavy rain flooded large parts of southern Brazil on Saturday, forcing thousands of residents "
    "from their homes in Rio Grande do Sul. Rivers burst their banks in Porto Alegre and rescue teams "
    "used boats to reach families stranded on rooftops, officials said."
)
MORE = (
    "The state governor declared an emergency and asked for federal help as forecasters predicted "
    "more storms for the coming week. Schools were closed and the airport suspended flights."
)


def page(title: str, date: str | None, body: str = BODY) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (
        f"<!doctype html><html><head><title>{title}</title>{meta}"
        '<meta property="og:site_name" content="Local News"></head><body>'
        f"<nav>Home | World | Sport</nav><article><h1>{title}</h1><p>{body}</p><p>{MORE}</p></article>"
        "<footer>Copyright Local News</footer></body></html>"
    ).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[index]
        if self.path == "/story":
            self.send(200, page("Floods in Brazil", "2024-05-04"))
        elif self.path == "/undated":
            self.send(200, page("Brazil floods: rescue goes on", None, BODY.replace("Saturday", "the weekend") + " More rain fell."))
        elif self.path == "/missing":
            self.send(404, b"<html><body>Not found</body></html>")
        elif self.path == "/broken":
            self.send(500, b"<html><body>Internal error</body></html>")
        elif self.path == "/slow":
            time.sleep(2.0)
            try:
                self.send(200, page("Late", "2024-05-04"))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should
        elif self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                self.wfile.write(b"<html><body>")
                for _ in range(100_000):  # far more than any limit; stops when the client hangs up
                    self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
        elif self.path == "/feed.xml":
            items = "".join(
                f"<item><title>{t}</title><link>{base}{p}</link><pubDate>Sat, 04 May 2024 10:00:00 GMT</pubDate>"
                f"<description>{BODY}</description></item>"
                for t, p in [("Floods in Brazil", "/story"), ("Gone", "/missing")]
            )
            self.send(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>{items}</channel></rss>'.encode(),
                      "application/rss+xml")
        elif self.path == "/notxml.rss":
            self.send(200, b"this is not a feed at all, just words", "application/rss+xml")
        else:
            self.send(404, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# Fetching on, and the test server's address allowed by name: every other non-public address
# stays refused, so these tests run through the real address guard.
S = Settings(progress=False, fetch_timeout=1.0, max_bytes=200_000, fetch=True,
             allow_networks=("127.0.0.1/32",))


def test_fetch_page(server: str) -> None:
    from storyline.ingest.fetch import fetch_url

    article = fetch_url(f"{server}/story", S)
    assert article.title == "Floods in Brazil"
    assert article.published == "2024-05-04"
    assert "Porto Alegre" in article.text and "Home | World" not in article.text
    assert article.url == f"{server}/story"
    assert Handler.seen_agents[-1] == S.user_agent


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing", "HTTP 404"), ("/broken", "HTTP 500"), ("/slow", "timed out"),
     ("/endless", "too large"), ("/image", "not HTML")],
)
def test_fetch_errors_name_the_url_and_reason(server: str, path: str, reason: str) -> None:
    from storyline.ingest.fetch import fetch_url

    t0 = time.monotonic()
    with pytest.raises(InputError) as err:
        fetch_url(f"{server}{path}", S)
    assert err.value.source == f"{server}{path}"
    assert reason in err.value.reason
    assert time.monotonic() - t0 < 10


def test_nothing_listening_is_an_input_error() -> None:
    from storyline.ingest.fetch import fetch_url

    with pytest.raises(InputError, match="cannot fetch"):
        fetch_url("http://127.0.0.1:9/nothing", S)


def test_feed_entries(server: str) -> None:
    from storyline.ingest.feed import read_feed

    entries = read_feed(f"{server}/feed.xml", S)
    assert [e.title for e in entries] == ["Floods in Brazil", "Gone"]
    assert entries[0].published == "2024-05-04"
    assert entries[0].url == f"{server}/story"


def test_feed_that_is_not_xml(server: str, tmp_path: Path) -> None:
    from storyline.ingest.feed import read_feed

    with pytest.raises(InputError, match="not an RSS/Atom feed"):
        read_feed(f"{server}/notxml.rss", S)
    local = tmp_path / "news.rss"
    local.write_text("not xml either, sorry")
    with pytest.raises(InputError, match="news.rss: not an RSS/Atom feed"):
        read_feed(str(local), S)


def test_track_urls_and_feeds_with_problems_reported(server: str, tmp_path: Path) -> None:
    inputs = [f"{server}/feed.xml", f"{server}/undated", f"{server}/missing", f"{server}/notxml.rss",
              f"{server}/endless", f"{server}/story"]
    with open_store(tmp_path / "s.db") as store:
        report = track(inputs, store, S)
        sources = {p.source: p.reason for p in report.problems}
        # The feed's second entry 404s but its summary is long enough to use (said so);
        # given as a URL of its own it is simply a 404.
        said = [p.reason for p in report.problems if p.source == f"{server}/missing"]
        assert any("HTTP 404" in r and "used the feed's summary" in r for r in said)
        assert any(r.startswith("HTTP 404") and "summary" not in r for r in said)
        assert "not an RSS/Atom feed" in sources[f"{server}/notxml.rss"]
        assert "too large" in sources[f"{server}/endless"]
        # /story came through the feed first; given again as a URL it is a duplicate.
        assert f"{server}/story" in report.duplicates
        assert any(n.startswith(f"{server}/undated: no publication date") for n in report.notes)
        urls = {store.get_article(aid).article.url for aid, _ in report.added}  # type: ignore[union-attr]
        assert {f"{server}/story", f"{server}/undated"} <= urls
        assert store.integrity_ok()


def test_read_inputs_dispatches_urls(server: str) -> None:
    from storyline.ingest import read_inputs

    result = read_inputs([f"{server}/story", f"{server}/broken"], replace(S))
    assert [a.title for a in result.articles] == ["Floods in Brazil"]
    assert [p.source for p in result.problems] == [f"{server}/broken"]


def test_track_cli_names_each_bad_url_and_sets_the_exit_code(server: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    db = str(tmp_path / "cli.db")
    bad = [f"{server}/missing", f"{server}/broken", f"{server}/notxml.rss", f"{server}/endless"]
    allow = ["--allow-network", "127.0.0.1"]
    some = CliRunner().invoke(cli, ["track", *bad, f"{server}/story", "--db", db, "-q", *allow])
    assert some.exit_code == 1, some.output
    errors = [line for line in some.stderr.splitlines() if line.startswith("Error: ")]
    assert any(f"{server}/missing" in e and "HTTP 404" in e for e in errors)
    assert any(f"{server}/broken" in e and "HTTP 500" in e for e in errors)
    assert any(f"{server}/notxml.rss" in e and "not an RSS/Atom feed" in e for e in errors)
    assert any(f"{server}/endless" in e and "too large" in e for e in errors)
    assert "Traceback" not in some.stderr
    none = CliRunner().invoke(cli, ["track", *bad, "--db", str(tmp_path / "other.db"), "-q", *allow])
    assert none.exit_code == 2
