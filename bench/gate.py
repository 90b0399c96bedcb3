"""Run the quality gate and print every check; exit 1 when a score is below its floor.

    .venv/bin/python bench/gate.py [--task summaries]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.evaluate.gate import load_floors, run_gate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", action="append", help="Only this task (repeatable).")
    args = parser.parse_args()
    floors = load_floors(ROOT / "bench" / "quality_floors.json")
    checks = run_gate(floors, ROOT, tasks=set(args.task) if args.task else None)
    for check in checks:
        print(check.line())
    failed = [c for c in checks if not c.ok]
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
