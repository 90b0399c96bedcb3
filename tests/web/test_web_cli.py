"""`storyline serve` as a user runs it: a real process on a loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def storyline(*args: str, **kw: object) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("storyline")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "storyline"]
    return subprocess.Popen([*cmd, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)  # type: ignore[call-overload]


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    proc = storyline("serve", "--db", str(tmp_path / "typo.db"))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "typo.db: no store there" in err and "storyline track" in err and "Traceback" not in err
    assert not (tmp_path / "typo.db").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_loopback_and_stops_cleanly(web_store: Path, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "copy.db"
    src, dst = sqlite3.connect(web_store), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    port = free_port()
    proc = storyline("serve", "--db", str(db), "--port", str(port), env={**os.environ, "STORYLINE_DB": ""})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/stories/s000001", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "storyline serve did not answer"
                time.sleep(0.3)
        assert r.status_code == 200 and 'id="conflicts"' in r.text
        assert httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5).json()["total"] >= 1
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"serving {db} at http://127.0.0.1:{port}/" in err
