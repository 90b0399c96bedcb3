"""check on real stories: the stories-dev subset in tests/fixtures/stories (see its SOURCE.md),
briefed end to end and scored by the FORMAT.md rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.evaluate.stories import run

STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"


@pytest.mark.slow
def test_conflicts_on_four_real_stories_are_mostly_right_and_mostly_found():
    result = run(STORIES)
    total = result.extra["total"]
    assert total["conflicts_reported"] > 0
    # measured when written: 18 of 18 reported conflicts right, 18 of 24 gold conflicts found
    assert total["conflicts_true"] / total["conflicts_reported"] >= 0.75, result.report
    assert total["gold_found"] / total["gold_conflicts"] >= 0.5, result.report
    assert total["traps"] <= 1, result.report
    missed = "\n".join(m for s in result.extra["stories"] for m in s["missed"])
    for found in ("magnitude:", "death toll:", "colour of the car:", "day of the operation:"):
        assert found not in missed, (found, result.report)
