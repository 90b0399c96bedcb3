"""The quality gate: scores on small fixed subsets must not drop below pinned floors.

The floors live in ``bench/quality_floors.json``; CI runs the gate through the test suite
(``tests/test_quality_gate.py``) and ``bench/gate.py`` prints it. Lowering a floor needs a
``why`` beside it in that file, saying what was traded for it. A bound written ``{"max": n}``
is a ceiling instead, for counts that must not rise (trap hits, wrong merges).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError
from . import EvalResult


@dataclass(frozen=True)
class Check:
    task: str
    system: str
    metric: str
    value: float
    floor: float
    ceiling: bool = False  # True for counts that must not rise (trap hits, wrong merges)

    @property
    def ok(self) -> bool:
        return self.value <= self.floor if self.ceiling else self.value >= self.floor

    def line(self) -> str:
        verdict = "ok  " if self.ok else "FAIL"
        bound = "at most" if self.ceiling else "floor"
        return f"{verdict} {self.task:<11} {self.system:<24} {self.metric:<12} {self.value:.4f} ({bound} {self.floor:.4f})"


def load_floors(path: Path) -> dict[str, Any]:
    try:
        floors: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the quality floors ({exc})") from exc
    return floors


def run_gate(
    floors: dict[str, Any],
    root: Path,
    progress: Callable[[str], None] | None = None,
    tasks: set[str] | None = None,
) -> list[Check]:
    """Run every gated evaluation on its subset; one Check per pinned floor."""
    checks: list[Check] = []
    for task, spec in floors.items():
        if task.startswith("_") or (tasks is not None and task not in tasks):
            continue
        module = importlib.import_module(f"{__package__}.{task}")
        result: EvalResult = module.run(root / spec["data"], limit=spec.get("limit"), progress=progress)
        for system, metrics in spec["floors"].items():
            for metric, floor in metrics.items():
                if metric == "why":
                    continue
                value = result.rows.get(system, {}).get(metric)
                if value is None:
                    raise DataError(f"gate {task}: no {metric!r} for {system!r} in the results")
                # a floor is a minimum; {"max": n} pins a count that must not rise
                ceiling = isinstance(floor, dict)
                bound = floor["max"] if ceiling else floor
                checks.append(Check(task, system, metric, float(value), float(bound), ceiling))
    return checks
