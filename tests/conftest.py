"""Shared fixtures. Models load once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kim-putin-summit-2023"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def nlp():
    from storyline.analyse.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def embedder():
    from storyline.analyse.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def example_brief():
    """The bundled example briefed once through the Python API (default settings)."""
    from storyline.pipeline import brief_paths
    from storyline.settings import Settings

    brief, problems = brief_paths([str(EXAMPLE)], Settings(progress=False))
    assert not problems
    return brief


@pytest.fixture(scope="module")
def bundle(example_dir, nlp, embedder):
    """(docs, vectors): the example plus an unrelated story, through tests/fixtures/align."""
    from helpers import align_docs

    return align_docs.bundle(example_dir, nlp)
