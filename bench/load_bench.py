"""Load benchmark of `storyline serve`: concurrent clients on the story page and the brief API.

    .venv/bin/python bench/load_bench.py [--clients 100] [--duration 30] [--db stories.db]

Starts `storyline serve` (one process, as a user runs it) on a free loopback port over a store
with a briefed story (without --db: the bundled example, tracked and briefed into a temporary
store first, as `storyline track examples/kim-putin-summit-2023 --brief` does), loads each page
once so its briefing is cached, then runs CLIENTS concurrent keep-alive HTTP/1.1 clients for
DURATION seconds, each alternating between the story page and the brief API. Prints requests/s,
p50/p99 latency per path and overall, and the error count (any status but 200, any broken
connection). The clients run in this process (asyncio, raw sockets) on the same machine, so
they take CPU from the server: the figures are a floor.
Target on 2 cores (issue 9): 0 errors, p99 under 300 ms for cached briefs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kim-putin-summit-2023"


def storyline_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("storyline")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "storyline"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 10.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
        return bytes(r.read())


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), to price a request in CPU."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def build_store(folder: Path) -> Path:
    db = folder / "bench.db"
    print(f"building a store from {EXAMPLE.name} (track --brief) …", flush=True)
    subprocess.run([*storyline_cmd(), "track", str(EXAMPLE), "--db", str(db), "--brief", "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    return db


class Stats:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.bytes = 0

    def ok(self, path: str, seconds: float, size: int) -> None:
        self.latencies.setdefault(path, []).append(seconds)
        self.bytes += size

    def error(self, path: str) -> None:
        self.errors[path] = self.errors.get(path, 0) + 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status, length
    size = 0
    while True:
        n = int((await reader.readline()).strip(), 16)
        await reader.readexactly(n + 2)
        size += n
        if n == 0:
            return status, size


async def client(host: str, port: int, paths: list[str], offset: int, stop_at: float, stats: Stats,
                 encoding: str) -> None:
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    i = offset
    while time.perf_counter() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            if conn is None:
                conn = await asyncio.open_connection(host, port)
            reader, writer = conn
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n"
                         f"Accept-Encoding: {encoding}\r\n\r\n".encode())
            await writer.drain()
            status, size = await asyncio.wait_for(read_response(reader), timeout=30)
        except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            stats.error(path)
            if conn is not None:
                conn[1].close()
            conn = None
            continue
        if status == 200:
            stats.ok(path, time.perf_counter() - t0, size)
        else:
            stats.error(path)
    if conn is not None:
        conn[1].close()


async def run_load(host: str, port: int, paths: list[str], clients: int, duration: float,
                   encoding: str) -> tuple[Stats, float]:
    stats = Stats()
    start = time.perf_counter()
    stop_at = start + duration
    await asyncio.gather(*(client(host, port, paths, k, stop_at, stats, encoding) for k in range(clients)))
    return stats, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a store with a briefed story [default: the bundled example]")
    parser.add_argument("--story", help="the story id [default: the first listed]")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--url", help="load an already running server instead of starting one")
    parser.add_argument("--no-gzip", action="store_true",
                        help="ask for uncompressed bodies (by default the clients accept gzip, as browsers do)")
    args = parser.parse_args()

    proc = None
    tmp = tempfile.TemporaryDirectory()
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            db = args.db or build_store(Path(tmp.name))
            port = free_port()
            proc = subprocess.Popen([*storyline_cmd(), "serve", "--db", str(db), "--port", str(port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    http_get(base + "/api/stories")
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        print(f"Error: storyline serve did not start: {proc.stderr.read() if proc.stderr else ''}")
                        return 2
                    time.sleep(0.3)
        story = args.story or json.loads(http_get(base + "/api/stories"))["stories"][0]["id"]
        paths = [f"/stories/{story}", f"/api/stories/{story}/brief"]
        for path in paths:  # the brief of a story must be cached, as for any reader after the first
            for _ in range(60):
                r = json.loads(http_get(base + f"/api/stories/{story}"))["story"]
                if r["briefing"] == "fresh":
                    break
                http_get(base + f"/stories/{story}")
                time.sleep(1)
            http_get(base + path)
        host, port_s = base.split("://", 1)[1].split(":")
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = float("nan")
        print(f"load benchmark: {args.clients} clients for {args.duration:g} s on {base} "
              f"(storyline serve, one process), cached briefing of story {story}")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"load average before the run {load:.2f} (other work on the machine slows both sides)")
        try:
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        encoding = "identity" if args.no_gzip else "gzip"
        print(f"clients send Accept-Encoding: {encoding}")
        cpu0 = cpu_seconds(proc.pid) if proc is not None else None
        stats, took = asyncio.run(run_load(host, int(port_s), paths, args.clients, args.duration, encoding))
        cpu1 = cpu_seconds(proc.pid) if proc is not None else None
        every: list[float] = []
        for path in paths:
            lat = stats.latencies.get(path, [])
            every += lat
            print(f"  GET {path:<34} {len(lat):7d} ok  {len(lat) / took:7.1f}/s  p50 {percentile(lat, .5) * 1000:6.1f} ms"
                  f"  p99 {percentile(lat, .99) * 1000:6.1f} ms  errors {stats.errors.get(path, 0)}")
        errors = sum(stats.errors.values())
        p99 = percentile(every, .99) * 1000
        print(f"all: {len(every)} requests in {took:.1f} s: {len(every) / took:.1f} requests/s, "
              f"p50 {percentile(every, .5) * 1000:.1f} ms, p99 {p99:.1f} ms, {errors} errors, "
              f"{stats.bytes / took / 1e6:.1f} MB/s  [target: 0 errors, p99 < 300 ms]")
        if cpu0 is not None and cpu1 is not None and every:
            per = (cpu1 - cpu0) / len(every) * 1000
            print(f"server CPU: {cpu1 - cpu0:.1f} s for {len(every)} requests = {per:.2f} ms per request, "
                  f"about {1000 / per:.0f} requests/s per idle core (a figure the machine's load does not move much)")
        return 0 if errors == 0 else 1
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
