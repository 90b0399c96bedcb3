"""``storyline eval``: quality measured on real third-party data, baselines in the same run.

Each task is a module with ``run(data: Path, *, limit: int | None = None,
progress: Callable[[str], None] | None = None) -> EvalResult``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass
class EvalResult:
    """Rows of a results table: one row per system, one column per metric."""

    task: str
    data: str
    metrics: list[str]
    rows: dict[str, dict[str, float]]  # system -> metric -> value
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    report: str | None = None  # a task's own text report, printed instead of the table

    def table(self) -> str:
        """A Markdown table, the way the README shows it."""
        head = "| system | " + " | ".join(self.metrics) + " |"
        rule = "|---|" + "---:|" * len(self.metrics)
        lines = [head, rule]
        for system, values in self.rows.items():
            cells = [_fmt(values.get(m)) for m in self.metrics]
            lines.append(f"| {system} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "data": self.data,
            "metrics": self.metrics,
            "rows": self.rows,
            "notes": self.notes,
            **({"extra": self.extra} if self.extra else {}),
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer() and abs(value) >= 2:  # counts (stories, dates)
        return str(int(value))
    return f"{value:.4f}" if abs(value) < 1.5 else f"{value:.2f}"
