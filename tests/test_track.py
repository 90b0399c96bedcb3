"""track: articles in arrival order become stories with stable ids, kept in the store."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store
from storyline.track import CLEAR_MATCH_SCORE, Features, Tracker, assign_stream, track

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Settings(progress=False)

SUMMIT = (
    "North Korean leader Kim Jong Un met Russian President Vladimir Putin at the Vostochny "
    "cosmodrome in Russia's Far East. Kim arrived by armoured train and the two leaders discussed "
    "military cooperation, satellites and the war in Ukraine. Putin said Russia would help North "
    "Korea build satellites. Western officials fear Pyongyang will supply artillery shells to Moscow "
    "in exchange for missile technology, and Washington warned of sanctions."
)
SUMMIT_2 = (
    "Kim Jong Un and Vladimir Putin held talks at the Vostochny cosmodrome, where the North Korean "
    "leader toured launch facilities. Putin said Russia would help Pyongyang with satellites. "
    "Kim arrived by armoured train; Western officials fear shells for Moscow's war in Ukraine "
    "in exchange for military technology, and Washington warned of sanctions."
)
# A month later, the same two men and much the same words, but a different event.
VISIT = (
    "Russian President Vladimir Putin landed in Pyongyang for his first visit in 24 years and "
    "signed a mutual defence treaty with North Korean leader Kim Jong Un. Kim greeted Putin at the "
    "airport before a ceremony on Kim Il Sung Square. Putin gave Kim a limousine and the two leaders "
    "pledged to help each other if attacked. Washington and Seoul condemned the pact."
)
FLOOD = (
    "Heavy rain flooded large parts of southern Brazil, forcing thousands of residents from their "
    "homes in Rio Grande do Sul. Rivers burst their banks in Porto Alegre and rescue teams used boats "
    "to reach families stranded on rooftops. The state governor declared an emergency and asked for "
    "federal help as forecasters predicted more storms."
)


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_example_story_is_one_story_and_tracking_again_changes_nothing(tmp_path: Path, example_dir: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        report = track([str(example_dir)], store, SETTINGS)
        assert not report.problems
        assert len(report.added) == 5
        assert len(report.stories_created) == 1, report.added
        again = track([str(example_dir)], store, SETTINGS)
        assert again.added == [] and len(again.duplicates) == 5
        [row] = store.list_stories()
        assert row.articles == 5 and row.outlets >= 4
        assert row.first_published is not None and row.first_published <= row.last_published  # type: ignore[operator]


def test_quiet_story_does_not_swallow_a_new_event_with_the_same_people(tmp_path: Path) -> None:
    records: list[dict[str, object]] = [
        {"id": "a", "title": "Kim and Putin meet at cosmodrome", "text": SUMMIT, "published": "2023-09-13", "source": "A"},
        {"id": "b", "title": "Putin and Kim hold talks at Vostochny", "text": SUMMIT_2, "published": "2023-09-14", "source": "B"},
        {"id": "c", "title": "Brazil floods", "text": FLOOD, "published": "2023-09-15", "source": "C"},
        {"id": "d", "title": "Putin visits Kim in Pyongyang", "text": VISIT, "published": "2023-10-20", "source": "D"},
    ]
    feed = write_jsonl(tmp_path / "stream.jsonl", records)
    with open_store(tmp_path / "s.db") as store:
        report = track([str(feed)], store, SETTINGS)
        story = dict(report.added)
        ids = [aid for aid, _ in report.added]
        a, b, c, d = (story[i] for i in ids)
        assert a == b, "two reports of the same summit are one story"
        assert c != a
        assert d != a, "a month later, the same people at a new event start a new story"
    # Without the time rule the same texts would be merged: the rule is what splits them.
    labels = assign_stream([(r["title"], r["text"], r["published"]) for r in records], SETTINGS, use_time=False)  # type: ignore[misc]
    assert labels[3] == labels[0]


def test_story_ids_are_stable_across_runs(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "one.jsonl", [
        {"id": "a", "title": "Kim and Putin meet", "text": SUMMIT, "published": "2023-09-13"},
        {"id": "c", "title": "Brazil floods", "text": FLOOD, "published": "2023-09-13"},
    ])
    second = write_jsonl(tmp_path / "two.jsonl", [
        {"id": "b", "title": "Putin and Kim hold talks", "text": SUMMIT_2, "published": "2023-09-14"},
    ])
    db = tmp_path / "s.db"
    with open_store(db) as store:
        r1 = track([str(first)], store, SETTINGS)
    with open_store(db) as store:  # a new process would do the same: state comes from the store
        r2 = track([str(second)], store, SETTINGS)
        assert r2.stories_created == []
        assert r2.stories_updated == [r1.added[0][1]]
        rows = {r.id: r for r in store.list_stories()}
        assert rows[r1.added[0][1]].articles == 2


def test_undated_article_is_tracked_with_a_note(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "s.jsonl", [{"id": "u", "title": "Floods", "text": FLOOD}])
    with open_store(tmp_path / "s.db") as store:
        report = track([str(feed)], store, SETTINGS)
        assert len(report.added) == 1
        assert any("no publication date" in n for n in report.notes)
        [row] = store.list_stories()
        assert row.first_published is None


def test_bad_inputs_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "s.jsonl", [{"id": "u", "title": "Floods", "text": FLOOD, "published": "2024-05-04"}])
    with open_store(tmp_path / "s.db") as store:
        report = track([str(tmp_path / "missing.txt"), str(feed)], store, SETTINGS)
        assert len(report.added) == 1
        assert [p.source for p in report.problems] == [str(tmp_path / "missing.txt")]


def test_memory_is_bounded_by_active_stories(tmp_path: Path) -> None:
    settings = replace(SETTINGS, max_active_stories=4)
    tracker = Tracker(settings, use_time=False)
    words = ["river flood rain", "election vote ballot", "football league goal", "vaccine virus flu",
             "volcano ash lava", "bank rates inflation", "satellite rocket launch", "wildfire smoke forest"]
    for i, topic in enumerate(words * 3):
        f = tracker.features(None, f"{topic} " * 5 + f"unique{i} words here", None)
        a = tracker.assign(f)
        tracker.add(a.slot, f, f"s{i}")
        assert tracker.active <= 4
    assert tracker.capacity <= 4 and tracker.matrix.shape[1] <= 4
    assert tracker.retired > 0


def test_since_lists_what_is_new(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "Kim and Putin meet", "text": SUMMIT, "published": "2023-09-13"}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": "b", "title": "Putin and Kim talk", "text": SUMMIT_2, "published": "2023-09-14"}])
    with open_store(tmp_path / "s.db") as store:
        [(_, sid)] = track([str(a)], store, SETTINGS).added
        time.sleep(0.01)
        mark = store.conn.execute("SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now')").fetchone()[0]
        time.sleep(0.01)
        track([str(b)], store, SETTINGS)
        assert len(store.story_articles(sid)) == 2
        new = store.story_articles(sid, since=mark)
        assert [x.title for x in new] == ["Putin and Kim talk"]
        assert store.story_articles(sid, since="2999-01-01") == []


KILL_SCRIPT = """
import sys
from storyline.settings import Settings
from storyline.store import open_store
from storyline.track import track
store = open_store(sys.argv[1])
def done(article_id, story_id):
    print("stored", article_id, flush=True)
track(sys.argv[2:], store, Settings(progress=False), on_stored=done)
print("finished", flush=True)
"""


@pytest.mark.timeout(120)
def test_sigkill_mid_track_loses_nothing_reported(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    topics = ["flood", "election", "football", "vaccine", "volcano", "bank", "rocket", "wildfire"]
    for i in range(400):
        t = topics[i % len(topics)]
        body = f"{FLOOD if t == 'flood' else SUMMIT} Report {i} on the {t} story adds detail number {i * 7919}."
        (inputs / f"{i:04d}.jsonl").write_text(
            json.dumps({"id": f"k{i}", "title": f"{t} update {i}", "text": body, "published": "2024-01-01"}) + "\n")
    db = tmp_path / "kill.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(inputs)],
                            stdout=subprocess.PIPE, text=True, env=env)
    reported: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("stored "):
            reported.append(line.split()[1])
        if len(reported) >= 25 or line.startswith("finished"):
            break
    os.kill(proc.pid, signal.SIGKILL)
    for line in proc.stdout:  # whatever it printed before dying was also reported
        if line.startswith("stored "):
            reported.append(line.split()[1])
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "track finished before it could be killed; give it more inputs"
    assert len(reported) >= 25
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
    members = {r[0] for r in conn.execute("SELECT article_id FROM membership")}
    conn.close()
    assert set(reported) <= stored
    assert set(reported) <= members
    with open_store(db) as store:  # and it opens and goes on where it stopped
        report = track([str(inputs)], store, SETTINGS)
        assert len(report.duplicates) == len(stored)
        assert store.count_articles() == 400
        assert store.integrity_ok()


def test_assign_stream_matches_track(tmp_path: Path) -> None:
    docs = [("Kim and Putin meet", SUMMIT, "2023-09-13"), ("Floods", FLOOD, "2023-09-13"),
            ("Putin and Kim talk", SUMMIT_2, "2023-09-14")]
    labels = assign_stream(docs, SETTINGS)
    arts = [Article(id=f"x{i}", text=t, title=ti, published=p) for i, (ti, t, p) in enumerate(docs)]
    with open_store(tmp_path / "s.db") as store:
        report = track([], store, SETTINGS, articles=arts, clean=False)
    stories = [sid for _, sid in report.added]
    assert (labels[0] == labels[2]) and (stories[0] == stories[2])
    assert labels[0] != labels[1] and stories[0] != stories[1]


@pytest.mark.slow
def test_stored_story_is_briefed_and_the_brief_kept(tmp_path: Path, example_dir: Path) -> None:
    from storyline.track import brief_story, update_briefs

    db = tmp_path / "s.db"
    with open_store(db) as store:
        report = track([str(example_dir)], store, SETTINGS)
        [sid] = report.stories_created
        assert update_briefs(store, [sid], SETTINGS) == {sid: "ok"}
        stored = json.loads(store.get_brief(sid) or "{}")
        assert stored["schema"] == "storyline.brief/1"
        assert len(stored["articles"]) == 5
        assert store.list_stories()[0].has_brief
    brief, problems = brief_story(sid, db, SETTINGS)
    assert brief is not None and not problems and len(brief.articles) == 5
    nothing, problems = brief_story(sid, db, SETTINGS, since="2999-01-01")
    assert nothing is None and "no article tracked since 2999-01-01" in str(problems[0])


def _unit(pairs: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    idx = np.array(list(pairs), dtype=np.int32)
    w = np.array(list(pairs.values()), dtype=np.float32)
    return idx, w / np.linalg.norm(w)


def test_slightly_below_threshold_joins_only_a_clear_best_match() -> None:
    tracker = Tracker(SETTINGS, use_time=False)
    near = (CLEAR_MATCH_SCORE + SETTINGS.story_threshold) / 2  # below the threshold, above the floor
    rest = float(np.sqrt(1 - 2 * near * near))
    a = tracker.add(None, Features(*_unit({1: 1.0}), (), None), "A")
    tracker.add(None, Features(*_unit({2: 1.0}), (), None), "B")
    # Close to A only: A is the unambiguous best match, so the article joins it.
    one = tracker.assign(Features(*_unit({1: near, 3: float(np.sqrt(1 - near * near))}), (), None))
    assert one.slot == a and one.score == pytest.approx(near, abs=1e-4)
    # Equally close to A and B: ambiguous, so it starts its own story.
    two = tracker.assign(Features(*_unit({1: near, 2: near, 4: rest}), (), None))
    assert two.slot is None
    # Far below the threshold: a new story even with a single candidate.
    low = CLEAR_MATCH_SCORE / 2
    three = tracker.assign(Features(*_unit({1: low, 5: float(np.sqrt(1 - low * low))}), (), None))
    assert three.slot is None


def test_a_shared_rare_name_counts_more_than_a_common_one() -> None:
    tracker = Tracker(SETTINGS, use_time=False)
    for i in range(20):
        tracker.features(None, f"On Monday, Barack Obama spoke about topic number {i} in Washington.", None)
    f = tracker.features(None, "Barack Obama commented on rancher Cliven Bundy and the standoff in Nevada.", None)
    rarity = dict(zip(f.entities, f.rarity, strict=True))
    assert rarity["cliven bundy"] > 2 * rarity["barack obama"], rarity


def test_resumed_tracker_scores_like_the_one_that_never_stopped(tmp_path: Path) -> None:
    docs = [("Kim and Putin meet", SUMMIT, "2023-09-13"), ("Brazil floods", FLOOD, "2023-09-13"),
            ("Putin and Kim talk", SUMMIT_2, "2023-09-14")]
    arts = [Article(id=f"x{i}", text=t, title=ti, published=p) for i, (ti, t, p) in enumerate(docs)]
    live = Tracker(SETTINGS)
    for title, text, published in docs:
        f = live.features(title, text, published)
        live.add(live.assign(f).slot, f, f"s{live.clock}")
    with open_store(tmp_path / "s.db") as store:
        track([], store, SETTINGS, articles=arts, clean=False)
        resumed = Tracker.from_store(store, SETTINGS)
    scores = []
    for tracker in (live, resumed):
        f = tracker.features("Putin and Kim in Pyongyang", VISIT, "2023-09-15")
        tracker.reweight(force=True)  # both on the same idf, as after the next periodic refresh
        scores.append(tracker.assign(f).score)
    assert scores[0] == pytest.approx(scores[1], rel=1e-3)
    assert scores[0] >= SETTINGS.story_threshold  # the summit story takes the follow-up
