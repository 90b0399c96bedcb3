"""The store refuses what is not a storyline store, reads read-only for read-only commands, does
not create a store it was only asked to read, survives two processes creating it at once, and
gives two concurrent writers the stories one writer gives."""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.errors import StoreError
from storyline.settings import Settings
from storyline.store import open_store
from storyline.store.sqlite import APPLICATION_ID
from storyline.track import track

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kim-putin-summit-2023"
MULTINEWS = ROOT / "tests" / "fixtures" / "gate" / "multinews" / "sample_validation.csv"
SETTINGS = Settings(progress=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_run(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture()
def foreign(tmp_path: Path) -> Path:
    """Another program's SQLite database, in rollback-journal mode."""
    path = tmp_path / "accounts.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", [["stories"], ["track", str(EXAMPLE)], ["brief", "--story", "s000001"]])
def test_another_sqlite_file_is_refused_and_left_unchanged(foreign: Path, command: list[str]) -> None:
    before = digest(foreign)
    result = cli_run(*command, "--db", str(foreign), "-q" if command[0] != "stories" else "--json")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "is an SQLite database but not a storyline store (invoices)" in result.stderr  # type: ignore[attr-defined]
    assert "left unchanged" in result.stderr  # type: ignore[attr-defined]
    assert digest(foreign) == before
    assert not foreign.with_name(foreign.name + "-wal").exists()
    conn = sqlite3.connect(foreign)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]


def test_a_database_of_another_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE articles (x)")  # even with a table of the same name
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="another application"):
        open_store(path)
    assert digest(path) == before


def test_a_new_store_carries_the_storyline_application_id(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    with open_store(path) as store:  # and opens again
        assert store.integrity_ok()


def test_read_commands_refuse_a_missing_store_and_do_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for args in (["stories", "--db", str(missing)], ["brief", "--story", "s000001", "--db", str(missing)]):
        result = cli_run(*args)
        assert result.exit_code == 2  # type: ignore[attr-defined]
        assert f"{missing}: no store here" in result.stderr  # type: ignore[attr-defined]
        assert not missing.exists()


def test_read_commands_open_the_store_read_only(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        track([str(EXAMPLE)], store, SETTINGS)
    before = digest(path)
    listing = cli_run("stories", "--db", str(path), "--json")
    assert listing.exit_code == 0  # type: ignore[attr-defined]
    assert json.loads(listing.stdout.splitlines()[0])["articles"] == 5  # type: ignore[attr-defined]
    assert digest(path) == before
    with open_store(path, readonly=True) as store:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("CREATE TABLE scratch (x)")
        with pytest.raises(StoreError, match="read-only"):
            with store.transaction():
                pass


CREATE = textwrap.dedent("""
    import sys, time
    from storyline.store import open_store
    start, paths = float(sys.argv[1]), sys.argv[2:]
    for i, path in enumerate(paths):
        while time.time() < start + 0.3 * i:  # both processes open store i at the same moment
            pass
        open_store(path).close()
    print("ok")
""")


def test_two_processes_creating_one_store_at_once_both_succeed_20_times(tmp_path: Path) -> None:
    paths = [str(tmp_path / f"new{i}.db") for i in range(20)]
    start = time.time() + 2.0
    procs = [subprocess.Popen([sys.executable, "-c", CREATE, str(start), *paths],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    for path in paths:
        with open_store(path) as store:
            assert store.integrity_ok() and store.count_articles() == 0


# --- two writers, one result ---------------------------------------------------------------------


def multinews_records(path: Path) -> Path:
    """The 54 documents of the quality-gate Multi-News fixture as JSONL, cluster by cluster."""
    csv.field_size_limit(10**8)
    with MULTINEWS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    records = []
    for r, row in enumerate(rows):
        for d, doc in enumerate(ast.literal_eval(row["documents"])):
            if len(doc.split()) >= 40:
                records.append({"id": f"c{r}d{d}", "title": doc.strip().splitlines()[0][:120], "text": doc})
    path.write_text("\n".join(json.dumps(x) for x in records) + "\n", encoding="utf-8")
    return path


WRITER = textwrap.dedent("""
    import sys, time
    from storyline.settings import Settings
    from storyline.store import open_store
    from storyline.track import track
    start, db, inputs = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    with open_store(db) as store:
        while time.time() < start:
            pass
        report = track(inputs, store, Settings(progress=False))
    print(len(report.added), len(report.duplicates))
""")


def stories_of(db: Path) -> list[list[str]]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT m.story_id, json_extract(a.metadata, '$.input_id') FROM membership m"
                        " JOIN articles a ON a.id = m.article_id").fetchall()
    conn.close()
    groups: dict[str, list[str]] = {}
    for story, article in rows:
        groups.setdefault(story, []).append(article)
    return sorted(sorted(g) for g in groups.values())


def test_two_writers_give_the_stories_one_writer_gives(tmp_path: Path) -> None:
    records = multinews_records(tmp_path / "stream.jsonl")
    one = tmp_path / "one.db"
    with open_store(one) as store:
        track([str(records)], store, SETTINGS)
    expected = stories_of(one)
    assert 10 <= len(expected) < 54

    two = tmp_path / "two.db"
    open_store(two).close()  # created beforehand: this test is about assignment, not creation
    start = time.time() + 3.0
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(start), str(two), str(records)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    counts = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        counts.append(tuple(int(x) for x in out.split()))
    assert stories_of(two) == expected
    # one writer stored everything, the other found it all stored
    n = sum(len(g) for g in expected)
    assert sorted(added for added, _ in counts) == [0, n]


def test_a_second_writer_waits_then_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as holder, holder.writer_lock():
        with open_store(path) as other:
            t0 = time.monotonic()
            with pytest.raises(StoreError, match="another storyline process is writing.*--lock-wait"):
                track([str(EXAMPLE)], other, Settings(progress=False, lock_wait=0.5))
            assert 0.4 < time.monotonic() - t0 < 5


def test_track_hashes_each_text_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.store.sqlite as sqlite_store
    import storyline.track as trackmod

    calls: list[int] = []
    real = sqlite_store.text_hash

    def counted(text: str) -> str:
        calls.append(1)
        return real(text)

    monkeypatch.setattr(sqlite_store, "text_hash", counted)
    monkeypatch.setattr(trackmod, "text_hash", counted, raising=False)
    with open_store(tmp_path / "s.db") as store:
        report = track([str(EXAMPLE)], store, SETTINGS)
    assert len(report.added) == 5
    assert len(calls) == 5
