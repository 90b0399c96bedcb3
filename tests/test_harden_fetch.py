"""Fetching against real HTTP servers on loopback: deadlines that hold against a server that
drips, concurrency with a per-host limit, the address guard at every redirect and after DNS, and
``brief`` staying offline unless given --fetch.

The servers listen on 127.0.0.1 and 127.0.0.2. The tests allow 127.0.0.1 by name
(``allow_networks``), so every other non-public address, 127.0.0.2 included, still meets the
real guard; nothing is mocked.
"""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.errors import InputError
from storyline.settings import Settings
from storyline.store import open_store
from storyline.track import track

PROSE = (
    "Heavy rain flooded large parts of southern Brazil on Saturday, forcing thousands of residents "
    "from their homes in Rio Grande do Sul. Rivers burst their banks in Porto Alegre and rescue "
    "teams used boats to reach families stranded on rooftops, officials said."
)
DRIP_SECONDS = 12.0  # how long /drip keeps a request open, one header line at a time


def page(title: str, extra: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        '<meta property="article:published_time" content="2024-05-04"></head><body>'
        f"<article><h1>{title}</h1><p>{PROSE} {extra}</p><p>{PROSE}</p></article></body></html>"
    ).encode()


@dataclass
class Log:
    paths: list[str] = field(default_factory=list)
    active: int = 0
    most_active: int = 0
    slow: int = 0  # /slow requests being answered, and the most at once
    most_slow: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def make_handler(log: Log, other: dict[str, str]) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send(self, status: int, body: bytes, ctype: str = "text/html", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            with log.lock:
                log.paths.append(self.path)
                log.active += 1
                log.most_active = max(log.most_active, log.active)
            try:
                self.route()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should
            finally:
                with log.lock:
                    log.active -= 1

        def route(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[index]
            path = self.path
            if path.startswith("/story"):
                self.send(200, page(f"Floods in Brazil {path}", path))
            elif path.startswith("/slow"):
                with log.lock:
                    log.slow += 1
                    log.most_slow = max(log.most_slow, log.slow)
                time.sleep(0.6)
                with log.lock:
                    log.slow -= 1
                self.send(200, page(f"Slow page {path}", path))
            elif path.startswith("/drip"):
                # A server that answers a little at a time never trips a per-read timeout.
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                self.wfile.flush()
                t0 = time.monotonic()
                n = 0
                while time.monotonic() - t0 < DRIP_SECONDS:
                    self.wfile.write(f"X-Drip-{n}: still here\r\n".encode())
                    self.wfile.flush()
                    n += 1
                    time.sleep(0.3)
                body = page("Dripped")
                self.wfile.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            elif path == "/to-private":
                self.send(302, b"", headers={"Location": f"{other['private']}/story-private"})
            elif path == "/to-metadata":
                self.send(302, b"", headers={"Location": "http://169.254.169.254/latest/meta-data/iam"})
            elif path == "/to-file":
                self.send(302, b"", headers={"Location": "file:///etc/passwd"})
            elif path == "/hop":
                self.send(302, b"", headers={"Location": "/story-after-hop"})
            elif path == "/feed-slow.xml":
                links = [f"{base}/story{i}" for i in range(4)] + [f"{base}/drip"]
                self.send(200, feed(links), "application/rss+xml")
            elif path == "/feed-private.xml":
                links = [f"{other['private']}/story-via-feed", f"{base}/story-ok"]
                self.send(200, feed(links), "application/rss+xml")
            elif path == "/trick.rss":  # a body that is a local file's path
                self.send(200, other["local_feed"].encode(), "application/rss+xml")
            elif path == "/bomb":
                body = gzip.compress(b"<p>" + b"a" * 50_000_000 + b"</p>", 9)
                self.send(200, body, headers={"Content-Encoding": "gzip"})
            else:
                self.send(404, b"")

    return Handler


def feed(links: list[str], summary: str = "Short.") -> bytes:
    items = "".join(
        f"<item><title>Entry {i}</title><link>{link}</link>"
        f"<pubDate>Sat, 04 May 2024 10:00:00 GMT</pubDate><description>{summary}</description></item>"
        for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


@dataclass
class Servers:
    public: str  # 127.0.0.1, allowed by name in the tests
    private: str  # 127.0.0.2, refused: it stands for the local network
    log: Log
    private_log: Log


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    local_feed = tmp_path_factory.mktemp("local") / "secret.rss"
    local_feed.write_bytes(feed(["https://example.org/secret"], "SECRET " + PROSE))
    other: dict[str, str] = {"local_feed": str(local_feed)}
    log, private_log = Log(), Log()
    running = []
    for host, lg in (("127.0.0.1", log), ("127.0.0.2", private_log)):
        httpd = http.server.ThreadingHTTPServer((host, 0), make_handler(lg, other))
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        running.append(httpd)
    other["private"] = f"http://127.0.0.2:{running[1].server_address[1]}"
    yield Servers(f"http://127.0.0.1:{running[0].server_address[1]}", other["private"], log, private_log)
    for httpd in running:
        httpd.shutdown()
        httpd.server_close()


S = Settings(progress=False, fetch=True, fetch_timeout=2.0, max_bytes=300_000,
             allow_networks=("127.0.0.1/32",))


def fetch_error(url: str, settings: Settings = S) -> InputError:
    from storyline.ingest.fetch import fetch_url

    with pytest.raises(InputError) as err:
        fetch_url(url, settings)
    return err.value


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_server_dripping_headers_is_cut_off_at_the_total_deadline(servers: Servers) -> None:
    t0 = time.monotonic()
    err = fetch_error(f"{servers.public}/drip")
    took = time.monotonic() - t0
    assert "timed out" in err.reason and "2 s" in err.reason and "--fetch-timeout" in err.reason
    assert took < 6, took  # the per-URL deadline (2 s), not the server's 12 s drip


@pytest.mark.timeout(60)
def test_track_is_not_hung_by_a_dripping_server(servers: Servers, tmp_path: Path) -> None:
    t0 = time.monotonic()
    with open_store(tmp_path / "s.db") as store:
        report = track([f"{servers.public}/drip", f"{servers.public}/story-a"], store, S)
    assert time.monotonic() - t0 < 8
    assert len(report.added) == 1
    (p,) = report.problems
    assert p.source == f"{servers.public}/drip" and "timed out" in p.reason


@pytest.mark.timeout(60)
def test_a_slow_link_inside_a_feed_does_not_lose_the_other_entries(servers: Servers, tmp_path: Path) -> None:
    t0 = time.monotonic()
    with open_store(tmp_path / "s.db") as store:
        report = track([f"{servers.public}/feed-slow.xml"], store, S)
        titles = sorted(store.get_article(k).article.title or "" for k, _ in report.added)  # type: ignore[union-attr]
    assert time.monotonic() - t0 < 8
    assert titles == [f"Floods in Brazil /story{i}" for i in range(4)]
    (p,) = report.problems
    assert p.source == f"{servers.public}/drip" and "timed out" in p.reason


@pytest.mark.timeout(60)
def test_the_run_deadline_bounds_all_fetching(servers: Servers, tmp_path: Path) -> None:
    settings = replace(S, fetch_timeout=30.0, fetch_deadline=2.0)
    urls = [f"{servers.public}/drip"] * 1 + [f"{servers.public}/story-{i}" for i in range(3)]
    urls += [f"{servers.public}/drip?{i}" for i in range(3)]
    t0 = time.monotonic()
    with open_store(tmp_path / "s.db") as store:
        report = track(urls, store, settings)
    assert time.monotonic() - t0 < 6
    assert len(report.added) == 3  # what was fetched in time is kept
    assert all("fetch deadline of 2 s passed" in p.reason and "--fetch-deadline" in p.reason
               for p in report.problems), [p.reason for p in report.problems]
    assert len(report.problems) == 4


def test_links_are_fetched_concurrently_within_the_per_host_limit(servers: Servers) -> None:
    from storyline.ingest.fetch import Fetcher

    servers.log.most_slow = 0
    urls = [f"{servers.public}/slow{i}" for i in range(6)]
    results = Fetcher(replace(S, fetch_per_host=3)).fetch_many(urls)
    assert all(not isinstance(r, InputError) for r in results)
    assert [r.url for r in results] == urls  # type: ignore[union-attr]  # in the order asked
    assert servers.log.most_slow == 3  # concurrent, never more than 3 from one host
    servers.log.most_slow = 0
    Fetcher(replace(S, fetch_per_host=1)).fetch_many(urls[:3])
    assert servers.log.most_slow == 1


# --- where a fetch may go ----------------------------------------------------------------------


def test_a_redirect_to_a_private_address_is_refused(servers: Servers) -> None:
    before = len(servers.private_log.paths)
    err = fetch_error(f"{servers.public}/to-private")
    assert f"redirected to {servers.private}/story-private" in err.reason
    assert "127.0.0.2, a loopback address" in err.reason and "--allow-private" in err.reason
    assert len(servers.private_log.paths) == before  # never reached


def test_a_redirect_to_a_metadata_address_is_refused(servers: Servers) -> None:
    t0 = time.monotonic()
    err = fetch_error(f"{servers.public}/to-metadata")
    assert "169.254.169.254, a link-local" in err.reason and "metadata" in err.reason
    assert time.monotonic() - t0 < 2  # refused, not tried


def test_a_redirect_to_another_scheme_is_refused(servers: Servers) -> None:
    err = fetch_error(f"{servers.public}/to-file")
    assert "redirected to file:///etc/passwd" in err.reason and "only http and https" in err.reason


def test_a_redirect_to_an_allowed_address_is_followed(servers: Servers) -> None:
    from storyline.ingest.fetch import fetch_url

    article = fetch_url(f"{servers.public}/hop", S)
    assert article.url == f"{servers.public}/story-after-hop"


def test_a_name_is_checked_after_dns_resolution(servers: Servers) -> None:
    port = servers.public.rsplit(":", 1)[1]
    before = len(servers.log.paths)
    err = fetch_error(f"http://localhost:{port}/story-by-name", replace(S, allow_networks=()))
    assert "localhost resolves to 127.0.0.1, a loopback address" in err.reason
    assert len(servers.log.paths) == before


def test_feed_links_to_private_addresses_are_refused(servers: Servers, tmp_path: Path) -> None:
    before = len(servers.private_log.paths)
    with open_store(tmp_path / "s.db") as store:
        report = track([f"{servers.public}/feed-private.xml"], store, S)
    assert len(report.added) == 1
    (p,) = report.problems
    assert p.source == f"{servers.private}/story-via-feed" and "loopback address" in p.reason
    assert len(servers.private_log.paths) == before


def test_allow_private_lets_the_user_fetch_from_the_local_network(servers: Servers) -> None:
    from storyline.ingest.fetch import fetch_url

    article = fetch_url(f"{servers.private}/story-allowed", replace(S, allow_private=True))
    assert article.title == "Floods in Brazil /story-allowed"


def test_a_feed_body_naming_a_local_file_is_not_read_as_that_file(servers: Servers) -> None:
    from storyline.ingest.fetch import read_url

    articles, problems = read_url(f"{servers.public}/trick.rss", S)
    assert not articles
    assert "SECRET" not in " ".join(str(p) for p in problems)
    assert "not an RSS/Atom feed" in problems[0].reason


def test_a_compressed_body_is_bounded_while_it_inflates(servers: Servers) -> None:
    err = fetch_error(f"{servers.public}/bomb", replace(S, max_bytes=100_000_000))
    assert "decompression bomb" in err.reason and "--max-ratio" in err.reason


# --- brief is offline unless asked ----------------------------------------------------------------


def test_brief_of_a_local_feed_never_goes_online_without_fetch(servers: Servers, tmp_path: Path) -> None:
    rss = tmp_path / "news.rss"
    rss.write_bytes(feed([f"{servers.public}/story-from-rss"], PROSE + " " + PROSE)
                    .replace(b"</channel>", f"<item><title>Stub</title><link>{servers.public}/stub</link>"
                             "<description>Too short.</description></item></channel>".encode()))
    before = len(servers.log.paths)
    offline = CliRunner().invoke(cli, ["brief", str(rss), "--format", "json", "-q"])
    assert len(servers.log.paths) == before  # nothing fetched
    assert offline.exit_code == 1, offline.stderr
    assert f"{servers.public}/stub" in offline.stderr and "pass --fetch" in offline.stderr
    online = CliRunner().invoke(cli, ["brief", str(rss), "--format", "json", "-q", "--fetch",
                                      "--allow-network", "127.0.0.1"])
    assert "/story-from-rss" in servers.log.paths[before:]
    assert online.exit_code == 1  # /stub is a 404: said, the rest briefed
    assert "HTTP 404" in online.stderr


def test_brief_of_a_url_needs_fetch(servers: Servers) -> None:
    before = len(servers.log.paths)
    result = CliRunner().invoke(cli, ["brief", f"{servers.public}/story-x", "-q"])
    assert result.exit_code == 2
    assert "not fetched" in result.stderr and "--fetch" in result.stderr
    assert len(servers.log.paths) == before
    refused = CliRunner().invoke(cli, ["brief", f"{servers.public}/story-x", "-q", "--fetch"])
    assert refused.exit_code == 2 and "127.0.0.1, a loopback address" in refused.stderr
    assert len(servers.log.paths) == before
    allowed = CliRunner().invoke(cli, ["brief", f"{servers.public}/story-x", "-q", "--fetch",
                                       "--allow-private", "--format", "json"])
    assert allowed.exit_code == 0, allowed.stderr


def test_https_goes_to_the_checked_address_and_verifies_the_host_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard connects to the address it checked; TLS must still verify the certificate
    against the host name (SNI), or every https fetch would fail or be unverified."""
    import shutil
    import ssl
    import subprocess

    import httpx

    from storyline.ingest.fetch import Fetcher

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(Log(), {}))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"https://localhost:{httpd.server_address[1]}/story-tls"
    try:
        settings = replace(S, allow_private=True)
        (untrusted,) = Fetcher(settings).fetch_many([url])
        assert isinstance(untrusted, InputError) and "CERTIFICATE_VERIFY_FAILED" in untrusted.reason
        monkeypatch.setattr(httpx, "create_ssl_context", lambda **kw: ssl.create_default_context(cafile=str(cert)))
        (trusted,) = Fetcher(settings).fetch_many([url])
        assert not isinstance(trusted, InputError), trusted
        assert trusted.final_url == url and b"Floods in Brazil /story-tls" in trusted.body
    finally:
        httpd.shutdown()
        httpd.server_close()
