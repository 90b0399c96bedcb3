"""A hypothesis fuzz of every reader (text, HTML, JSON, JSONL, WARC, feed, sniffed; gzip-compressed
in a quarter of the cases): a few hundred cases here, the 10,000-case run is
``bench/fuzz.py --cases 10000`` (see the README). Every case must end in articles and problems or
in the project's own ``InputError``; any other exception is a bug."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import fuzz  # noqa: E402


@pytest.mark.parametrize("kind", fuzz.KINDS)
def test_reader_fuzz(kind: str) -> None:
    @settings(max_examples=45, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(fuzz.cases((kind,)))
    def one(case: tuple[str, bytes, bool]) -> None:
        failure = fuzz.run_case(*case)
        assert failure is None, failure

    one()


def test_the_fuzz_finds_an_uncaught_exception_when_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.ingest import READERS

    def fragile(src, settings):  # type: ignore[no-untyped-def]
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setitem(READERS, "text", fragile)
    assert "UnicodeEncodeError" in (fuzz.run_case("text", b"Headline\nbody", False) or "")
