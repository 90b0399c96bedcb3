"""bench/scale.py --pool: the README's scaling table printed again from saved runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "scale.py"
SAVED = sorted((ROOT / "bench" / "results").glob("scale-*.json"))


def _pool(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--pool", *map(str, files)],
        capture_output=True, text=True, check=False,
    )


def test_pooled_table_keeps_the_least_time_over_every_saved_repeat() -> None:
    assert len(SAVED) >= 2
    done = _pool(*SAVED[:2])
    assert done.returncode == 0, done.stderr
    runs = [
        run
        for f in SAVED[:2]
        for r in json.loads(f.read_text(encoding="utf-8"))
        if r["n"] == 200
        for run in r["runs"]
    ]
    assert f"N=200 x{len(runs)}" in done.stdout
    least = min(run["seconds"]["align"] for run in runs)
    align = next(line for line in done.stdout.splitlines() if line.startswith("| align |"))
    assert align.split("|")[4].strip() == f"{least:.2f}"
    assert "ratio pipeline / bare pass" in done.stdout


def test_pool_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = _pool(tmp_path / "nothing.json")
    assert done.returncode == 2
    assert "Error: cannot pool" in done.stderr and "nothing.json" in done.stderr
    assert "Traceback" not in done.stderr


def test_pool_of_a_file_that_is_not_a_scale_run_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"not": "a list of sizes"', encoding="utf-8")
    done = _pool(SAVED[0], bad)
    assert done.returncode == 2
    assert "Error: cannot pool" in done.stderr and "notes.json" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
