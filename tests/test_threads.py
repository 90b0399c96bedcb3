"""OpenMP threads wait passively unless the user says otherwise (spinning threads doubled
MiniLM's CPU and wall time on a shared machine; see README "Scaling")."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = "import os, storyline; print(os.environ['OMP_WAIT_POLICY'])"


def _policy(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout.strip()


def test_openmp_threads_wait_passively_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _policy(env) == "PASSIVE"


def test_a_wait_policy_the_user_set_wins() -> None:
    assert _policy({**os.environ, "OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"
