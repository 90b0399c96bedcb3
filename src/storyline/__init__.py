"""storyline: news coverage of a story in, a briefing where every line carries its provenance out."""

import os

# torch's OpenMP threads (MiniLM) spin while they wait for work by default. On a machine shared
# with other processes a spinning thread takes the core from the one that has work: MiniLM took
# 2-3x the CPU and wall time under load (see README "Scaling"). Passive waiting sleeps instead.
# Read when OpenMP loads, i.e. at the first ``import torch`` (spaCy imports it), so set here;
# a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
