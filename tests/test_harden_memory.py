"""Memory stays bounded on hostile input: a gzip bomb, a WARC bomb and a flood on standard input
are stopped while they are read. Peak RSS is measured on the real command in a child process
(its own high-water mark, VmHWM, read as it exits; ``ru_maxrss`` of a child would include the
forked test process), against a ceiling far below what reading any of them whole would take."""

from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

CEILING_MB = 250  # the command itself (imports, trafilatura) peaks near 100 MB
ADDRESS_SPACE = 4 << 30  # a fence for the machine should the limits ever fail: 4 GB


# The command as ``python -m storyline`` runs it, fenced, reporting its own peak RSS at exit.
CHILD = textwrap.dedent("""
    import atexit, resource, runpy, sys
    resource.setrlimit(resource.RLIMIT_AS, ({fence}, {fence}))
    def peak():
        with open("/proc/self/status") as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
        with open({out!r}, "w") as fh:
            fh.write(str(kb))
    atexit.register(peak)
    sys.argv = ["storyline", *sys.argv[1:]]
    runpy.run_module("storyline", run_name="__main__")
""")


def run_measured(args: list[str], tmp_path: Path, feed: int = 0) -> tuple[int, float, str]:
    """(exit code, peak RSS in MB, stderr) of ``storyline ARGS``; ``feed`` bytes on stdin."""
    err_path, peak_path = tmp_path / "stderr.txt", tmp_path / "peak.txt"
    code = CHILD.format(fence=ADDRESS_SPACE, out=str(peak_path))
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args], stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=err,
        )
        writer = None
        if feed:
            def pour() -> None:
                chunk = b"flood of words " * 70_000  # about 1 MB
                sent = 0
                try:
                    while sent < feed:
                        proc.stdin.write(chunk)  # type: ignore[union-attr]
                        sent += len(chunk)
                    proc.stdin.close()  # type: ignore[union-attr]
                except (BrokenPipeError, OSError):
                    pass  # the reader stopped reading: what the test wants

            writer = threading.Thread(target=pour, daemon=True)
            writer.start()
        proc.wait(timeout=240)
        if writer is not None:
            writer.join(timeout=10)
    return proc.returncode, int(peak_path.read_text()) / 1024, err_path.read_text(errors="replace")


@pytest.mark.timeout(300)
def test_a_gzip_bomb_stays_under_the_memory_ceiling(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        for _ in range(300):
            fh.write(b"\0" * (1 << 20))  # 300 MB of zeros in about 300 KB
    assert bomb.stat().st_size < 1_000_000
    code, peak, err = run_measured(["brief", str(bomb), "-q"], tmp_path)
    print(f"gzip bomb: 300 MB in {bomb.stat().st_size:,} bytes, peak RSS {peak:.0f} MB")
    assert code == 2
    assert "decompression bomb" in err and "--max-ratio" in err
    assert peak < CEILING_MB, peak


def _warc_bomb(path: Path, body_mb: int) -> None:
    body_len = 3 + body_mb * (1 << 20)
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {body_len}\r\n\r\n".encode()
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/bomb\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        "WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + body_len}\r\n\r\n"
    ).encode()
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(head + http + b"<p>")
        for _ in range(body_mb):
            fh.write(b"a" * (1 << 20))
        fh.write(b"\r\n\r\n")


@pytest.mark.timeout(300)
def test_a_warc_gz_bomb_stays_under_the_memory_ceiling(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.warc.gz"
    _warc_bomb(bomb, 150)
    code, peak, err = run_measured(["brief", str(bomb), "-q"], tmp_path)
    print(f"WARC bomb: 150 MB page in {bomb.stat().st_size:,} bytes, peak RSS {peak:.0f} MB")
    assert code == 2
    assert "bomb.warc.gz" in err and "--max-ratio" in err
    assert peak < CEILING_MB, peak


@pytest.mark.timeout(300)
def test_a_flood_on_standard_input_stays_under_the_memory_ceiling(tmp_path: Path) -> None:
    code, peak, err = run_measured(["brief", "-", "-q"], tmp_path, feed=600 << 20)
    print(f"stdin flood: 600 MB offered, peak RSS {peak:.0f} MB")
    assert code == 2
    assert "<stdin>: input is too large (more than 20,000,000 bytes)" in err
    assert peak < CEILING_MB, peak
