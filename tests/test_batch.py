"""storyline batch on a real LocalCluster of worker processes: outputs, faults, reruns, agreement.

One cluster for the module (models load once per worker). The analysing run kills a worker in
the middle; the cheaper runs (--no-briefs: ingest, clean, assignment) check agreement with
``track`` and that ids do not depend on the number of workers.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from importlib import resources
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from click.testing import CliRunner

from storyline.batch import run_batch
from storyline.batch.load import fill_store
from storyline.cli import cli
from storyline.evaluate.clustering import bcubed
from storyline.settings import Settings
from storyline.store import open_store
from storyline.track import track

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "batch"
RECORDS = [FIXTURES / "timeline17.jsonl", FIXTURES / "multinews.jsonl"]
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> list[str]:
    """The example, 20 Multi-News records plus a malformed line and a record without text, and a
    PDF that claims to be HTML."""
    root = tmp_path_factory.mktemp("corpus")
    lines = (FIXTURES / "multinews.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    lines[7] = '{"id": "broken", "text": "no closing brace"'
    lines.append(json.dumps({"id": "empty", "title": "Nothing here"}))
    (root / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "scan.html").write_bytes(b"%PDF-1.4 not a page")
    return [str(example_dir), str(root / "records.jsonl"), str(root / "scan.html"), str(root / "missing.jsonl")]


SMALL = Settings(progress=False, batch_partition_bytes=12_000, batch_brief_articles=8)


@pytest.fixture(scope="module")
def killed_run(client, corpus: list[str], tmp_path_factory: pytest.TempPathFactory):
    """The analysing run, with one worker killed (SIGKILL) once the first partition is done."""
    out = tmp_path_factory.mktemp("out") / "run"
    pids = client.run(os.getpid)
    killed: dict[str, object] = {}

    def killer() -> None:
        parts = out / "_work" / "parts"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not killed:
            if parts.is_dir() and any(p.name.endswith(".done.json") for p in parts.iterdir()):
                busy = [w for w, tasks in client.processing().items() if tasks] or list(pids)
                killed["worker"], killed["busy"] = busy[0], bool(client.processing().get(busy[0]))
                os.kill(pids[busy[0]], signal.SIGKILL)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    report = run_batch(corpus, str(out), SMALL, client=client)
    thread.join(timeout=5)
    client.wait_for_workers(2, timeout=120)
    return report, out, killed


@pytest.fixture(scope="module")
def plain_run(client, corpus: list[str], tmp_path_factory: pytest.TempPathFactory):
    """The same inputs without briefs and without faults: which articles there are."""
    out = tmp_path_factory.mktemp("plain") / "run"
    return run_batch(corpus, str(out), SMALL, client=client, briefs=False), out


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / name)


def test_a_worker_killed_mid_run_leaves_the_run_complete_without_duplicates(killed_run, plain_run) -> None:
    report, out, killed = killed_run
    assert killed.get("worker"), "no worker was killed: the run ended before the first partition did"
    assert report.partitions >= 4
    articles = table(out, "articles")
    assert articles["id"].is_unique
    assert set(articles["id"]) == set(table(plain_run[1], "articles")["id"])  # nothing lost
    assert len(articles) == report.articles == plain_run[0].articles >= 5 + 15
    members = table(out, "membership")
    assert members["article"].is_unique and set(members["article"]) == set(articles["id"])
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def test_outputs_are_tables_and_one_valid_briefing_per_story(killed_run) -> None:
    report, out, _ = killed_run
    stories = table(out, "stories")
    assert len(stories) == report.stories == report.briefs
    assert stories["id"].is_unique
    for sid in stories["id"]:
        assert (out / "briefs" / f"{sid}.json").is_file()
    articles = table(out, "articles")
    example = articles[articles["file"].str.contains("kim-putin-summit-2023")]
    assert len(example) == 5 and example["story"].nunique() == 1  # the example is one story
    sid = example["story"].iloc[0]
    data = json.loads((out / "briefs" / f"{sid}.json").read_text(encoding="utf-8"))
    schema = json.loads(resources.files("storyline.report").joinpath("schema.json").read_text())
    jsonschema.validate(data, schema)
    assert {a["id"] for a in data["articles"]} == set(example["id"])
    assert data["conflicts"] and data["claims"] and data["timeline"]
    claims = table(out, "claims")
    assert len(claims[claims["story"] == sid]) == len(data["claims"])
    conflicts = table(out, "conflicts")
    assert len(conflicts[conflicts["story"] == sid]) == len(data["conflicts"])
    sentences = table(out, "sentences")
    assert len(sentences[sentences["story"] == sid]) == sum(len(a["sentences"]) for a in data["articles"])


def test_bad_inputs_are_listed_with_their_file_and_reason(killed_run, corpus: list[str]) -> None:
    _, out, _ = killed_run
    errors = table(out, "errors")
    rows = {(Path(f).name, r if isinstance(r, str) else None): reason
            for f, r, reason in zip(errors["file"], errors["record"], errors["reason"], strict=True)}
    assert "malformed JSON" in rows[("records.jsonl", "line 8")]
    # the file is split into partitions: a record of a later partition is named by its byte offset
    offset = sum(len(line) + 1 for line in Path(corpus[1]).read_bytes().split(b"\n")[:20])
    assert 'no "text"' in rows[("records.jsonl", f"line at byte {offset}")]
    assert "binary file" in rows[("scan.html", None)]
    assert "no such file" in rows[("missing.jsonl", None)]


def test_a_rerun_only_does_what_is_missing(client, killed_run, corpus: list[str]) -> None:
    report, out, _ = killed_run
    before = table(out, "membership").sort_values("article").reset_index(drop=True)
    again = run_batch(corpus, str(out), SMALL, client=client)
    assert again.partitions_done_before == again.partitions
    assert again.brief_tasks_done_before == len(list((out / "_work" / "briefs").glob("*.done.json")))
    # lose one partition's work and one briefing task's: only those are redone
    marker = sorted((out / "_work" / "parts").glob("*.done.json"))[0]
    marker.unlink()
    brief_marker = sorted((out / "_work" / "briefs").glob("*.done.json"))[0]
    brief_marker.unlink()
    third = run_batch(corpus, str(out), SMALL, client=client)
    assert third.partitions_done_before == third.partitions - 1
    assert third.brief_tasks_done_before == again.brief_tasks_done_before - 1
    after = table(out, "membership").sort_values("article").reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    assert third.stories == report.stories


def test_a_store_filled_from_the_output_lists_the_stories(killed_run, tmp_path: Path, example_dir: Path) -> None:
    report, out, _ = killed_run
    db = tmp_path / "s.db"
    with open_store(db) as store:
        loaded = fill_store(str(out), store)
        assert loaded.added == report.articles and len(loaded.stories_created) == report.stories
        rows = store.list_stories()
        assert len(rows) == report.stories and all(r.has_brief for r in rows)
        again = fill_store(str(out), store)  # loading twice changes nothing
        assert again.added == 0 and not again.stories_created
        # track sees the batch's articles: the example is all duplicates now, in its batch story
        tracked = track([str(example_dir)], store, Settings(progress=False))
        assert not tracked.added and len(tracked.duplicates) == 5
    result = CliRunner().invoke(cli, ["stories", "--db", str(db), "--json"])
    assert result.exit_code == 0
    listed = [json.loads(line) for line in result.output.splitlines()]
    assert max(s["articles"] for s in listed) >= 5 and len(listed) == report.stories


@pytest.fixture(scope="module")
def records_run(client, example_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("records") / "run"
    inputs = [str(example_dir), *map(str, RECORDS)]
    settings = Settings(progress=False, batch_partition_bytes=100_000, batch_assign_articles=100)
    return inputs, settings, run_batch(inputs, str(out), settings, client=client, briefs=False), out


def test_batch_and_track_reach_the_same_stories(records_run, tmp_path: Path) -> None:
    inputs, settings, report, out = records_run
    assert report.articles > 300 and report.partitions >= 4 and report.blocks > 1
    batch = dict(zip(*[table(out, "membership")[c] for c in ("article", "story")], strict=True))
    with open_store(tmp_path / "t.db") as store:
        track(inputs, store, settings)
        tracked = dict(store.conn.execute("SELECT article_id, story_id FROM membership").fetchall())
    assert set(batch) == set(tracked)
    keys = sorted(batch)
    p, r, f = bcubed([batch[k] for k in keys], [tracked[k] for k in keys])
    print(f"batch vs track on {len(keys)} articles: B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}")
    assert f >= 0.95


def test_ids_do_not_depend_on_the_number_of_workers(records_run, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    inputs, settings, _, out = records_run
    # one worker, in this process (no models are needed without briefs)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as one:
        run_batch(inputs, str(tmp_path / "one"), settings, client=one, briefs=False)
    for name, key in (("membership", "article"), ("articles", "id"), ("stories", "id")):
        a = table(out, name).sort_values(key).reset_index(drop=True)
        b = table(tmp_path / "one", name).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)


def test_since_keeps_later_and_undated_articles(client, tmp_path: Path) -> None:
    report = run_batch([str(RECORDS[0])], str(tmp_path / "o"), Settings(progress=False), client=client,
                       briefs=False, since="2011-01-01")
    published = table(tmp_path / "o", "articles")["published"].dropna()
    assert report.skipped_since > 0 and len(published) and (published >= "2011-01-01").all()


def test_cli_prints_the_dashboard_and_a_bar_per_phase(tmp_path: Path, example_dir: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "batch", str(example_dir), "--out", str(tmp_path / "o"),
         "--workers", "1", "--no-briefs", "--since", "2023-09-01"],
        capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Dask dashboard: http" in proc.stderr
    for phase in ("analyse partitions", "link blocking keys", "assign stories", "write stories"):
        assert phase in proc.stderr
    assert "5 articles in 1 stories" in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "storyline", "batch", "nowhere/", "--out", str(tmp_path / "x"),
                          "--since", "yesterday"], capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "Error: --since 'yesterday' is not a date" in bad.stderr


def test_inputs_and_output_through_an_fsspec_url() -> None:
    """memory:// is process-local, so this cluster's one worker runs in this process."""
    import fsspec
    from distributed import Client, LocalCluster

    from storyline.batch.tables import Out

    fs = fsspec.filesystem("memory")
    lines = (FIXTURES / "multinews.jsonl").read_bytes().splitlines(keepends=True)
    fs.pipe("/corpus/a.jsonl", b"".join(lines[:10]))
    fs.pipe("/corpus/b.jsonl", b"".join(lines[10:20]) + b"not json\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as one:
        report = run_batch(["memory://corpus/*.jsonl"], "memory://out", Settings(progress=False), client=one,
                           briefs=False)
    out = Out("memory://out")
    assert report.articles == len(out.read_table("articles")) >= 15
    errors = {(e["file"], e["record"]): e["reason"] for e in out.read_table("errors").to_pylist()}
    assert "malformed JSON" in errors[("memory:///corpus/b.jsonl", "line 11")]
    fs.rm("/corpus", recursive=True)
    fs.rm("/out", recursive=True)
