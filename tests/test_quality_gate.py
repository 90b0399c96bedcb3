"""The quality gate: pinned floors on fixed subsets; CI fails when a score drops below one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.evaluate.gate import load_floors, run_gate

ROOT = Path(__file__).resolve().parent.parent
FLOORS = load_floors(ROOT / "bench" / "quality_floors.json")


@pytest.mark.parametrize("task", [t for t in FLOORS if not t.startswith("_")])
def test_scores_stay_above_their_floors(task: str, embedder) -> None:
    checks = run_gate(FLOORS, ROOT, tasks={task})
    assert checks, f"no floor pinned for {task}"
    failed = [c.line() for c in checks if not c.ok]
    assert not failed, "\n".join(failed)


def test_the_gate_fails_a_degraded_summariser(embedder, monkeypatch) -> None:
    from storyline import summarise

    def last_sentences(docs, vectors, words, **_kw):
        """Worst sensible choice: the closing sentences of every document."""
        picks = [(d, i) for d, sents in enumerate(docs) for i in range(len(sents) - 1, max(-1, len(sents) - 4), -1)]
        del vectors
        return picks

    monkeypatch.setitem(summarise.SUMMARISERS, "corroboration", last_sentences)
    checks = run_gate(FLOORS, ROOT, tasks={"summaries"})
    failed = [c for c in checks if not c.ok]
    assert failed, [c.line() for c in checks]
    assert {c.metric for c in failed} >= {"ROUGE-1"}
    assert np.isfinite([c.value for c in checks]).all()
