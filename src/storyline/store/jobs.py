"""Background jobs of ``storyline serve`` (adding articles, briefing a story), kept in the store.

A job row says what was asked (``request``), how far it got (``state``, ``message``) and what
came of it (``result``), so its progress page works from any thread or process and after a
restart. States: queued -> running -> done | failed.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .sqlite import Store, now_iso

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FINISHED = (DONE, FAILED)


@dataclass(frozen=True)
class Job:
    id: str
    kind: str  # "add" (track new articles, then brief what changed) or "brief" (one story)
    state: str
    created: str
    updated: str
    message: str
    request: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


def _job(row: tuple[Any, ...]) -> Job:
    job_id, kind, state, created, updated, message, request, result = row
    return Job(job_id, kind, state, created, updated, message, json.loads(request or "{}"), json.loads(result or "{}"))


def create_job(store: Store, kind: str, request: dict[str, Any], message: str = "waiting for the worker") -> Job:
    job_id = "j" + secrets.token_hex(8)
    when = now_iso()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO jobs (id, kind, state, created, updated, message, request) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (job_id, kind, QUEUED, when, when, message, json.dumps(request, ensure_ascii=False)),
        )
    return Job(job_id, kind, QUEUED, when, when, message, request, {})


def update_job(
    store: Store, job_id: str, *, state: str | None = None, message: str | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    sets, args = ["updated = ?"], [now_iso()]
    if state is not None:
        sets.append("state = ?")
        args.append(state)
    if message is not None:
        sets.append("message = ?")
        args.append(message)
    if result is not None:
        sets.append("result = ?")
        args.append(json.dumps(result, ensure_ascii=False))
    with store.transaction() as conn:
        conn.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE id = ?", [*args, job_id])


def get_job(conn: sqlite3.Connection, job_id: str) -> Job | None:
    row = conn.execute(
        "SELECT id, kind, state, created, updated, message, request, result FROM jobs WHERE id = ?", (job_id,)
    ).fetchone()
    return _job(row) if row else None


def latest_brief_job(conn: sqlite3.Connection, story_id: str) -> Job | None:
    """The most recent briefing job of a story (so a page view does not queue a second one)."""
    row = conn.execute(
        "SELECT id, kind, state, created, updated, message, request, result FROM jobs"
        " WHERE kind = 'brief' AND json_extract(request, '$.story') = ? ORDER BY created DESC LIMIT 1",
        (story_id,),
    ).fetchone()
    return _job(row) if row else None


def fail_unfinished(store: Store, message: str) -> int:
    """Mark jobs a stopped server left queued or running as failed; returns how many."""
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE jobs SET state = ?, message = ?, updated = ? WHERE state IN ('queued', 'running')",
            (FAILED, message, now_iso()),
        )
        return int(cur.rowcount)
