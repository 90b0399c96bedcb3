"""The JSON API and the pages over real HTTP on loopback: the contract, search and filters,
one error shape, security headers, refused uploads, the background worker."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import httpx
import jsonschema
import pytest
from conftest import Live

from storyline.settings import Settings

ERROR_KEYS = {"status", "code", "message"}


def get(live: Live, path: str, **kw: object) -> httpx.Response:
    return httpx.get(live.url + path, timeout=30, **kw)  # type: ignore[arg-type]


def error_of(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def stored_brief(live: Live) -> str:
    conn = sqlite3.connect(live.db)
    try:
        return conn.execute("SELECT json FROM briefs WHERE story_id = ?", (live.story,)).fetchone()[0]
    finally:
        conn.close()


def test_brief_api_is_exactly_the_stored_contract(live: Live) -> None:
    r = get(live, f"/api/stories/{live.story}/brief")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    schema = json.loads(resources.files("storyline.report").joinpath("schema.json").read_text())
    data = r.json()
    jsonschema.validate(data, schema)
    assert data["schema"] == "storyline.brief/1"
    assert r.text == stored_brief(live)  # the cached JSON, byte for byte, as `brief --story` prints
    assert get(live, "/api/schema/brief.json").json() == schema


def test_story_list_and_story_api(live: Live) -> None:
    brief = json.loads(stored_brief(live))
    stories = get(live, "/api/stories").json()
    story = next(s for s in stories["stories"] if s["id"] == live.story)
    assert story["articles"] >= 5 and story["briefing"] in ("fresh", "stale")
    assert story["conflicts"] == len(brief["conflicts"]) == 4
    assert story["contested"] == sum(c["status"] == "contested" for c in brief["claims"])
    detail = get(live, f"/api/stories/{live.story}").json()
    assert {a["source"] for a in detail["articles"]} >= {"Korea Bizwire", "NTD", "The National"}
    # the live blog has no outlet: it is labelled by its headline, never by its id
    unknown = [a for a in detail["articles"] if a["source"] is None]
    assert unknown and all(not a["label"].startswith("a") or " " in a["label"] for a in unknown)


def test_search_and_filters(live: Live) -> None:
    def ids(**params: str) -> list[str]:
        r = get(live, "/api/stories", params=params)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["stories"]]

    assert live.story in ids(q="cosmodrome")
    hit = get(live, "/api/stories", params={"q": "cosmodrome"}).json()["stories"][0]
    assert "cosmodrome" in (hit["snippet"] or "").lower()
    assert live.story in ids(q="Vostoc")  # the last word is a prefix
    assert ids(q="zzzqqxx") == []
    for hostile in ('"unbalanced', "AND OR NOT", "title:kim", "k*m (", "^near/3"):
        get(live, "/api/stories", params={"q": hostile}).raise_for_status()  # never an FTS syntax error
    assert live.story in ids(outlet="NTD")
    assert ids(outlet="No Such Outlet") == []
    assert live.story in ids(**{"from": "2023-09-01", "to": "2023-09-30"})
    assert ids(**{"from": "2030-01-01"}) == []
    assert ids(to="2020-01-01") == []
    html = get(live, "/", params={"q": "cosmodrome"}).text
    assert "<mark>" in html and "1 story matches" in html


def test_article_api_numbers_sentences_as_the_briefing(live: Live) -> None:
    brief = json.loads(stored_brief(live))
    for article in brief["articles"]:
        got = get(live, f"/api/articles/{article['id']}").json()
        assert got["sentences"] == article["sentences"]
        assert got["story"] == live.story and got["removed"] == article["removed"]
    blog = next(a for a in brief["articles"] if a["posts"])
    got = get(live, f"/api/articles/{blog['id']}").json()
    assert [p["first_sentence"] for p in got["posts"]] == [p["first_sentence"] for p in blog["posts"]]


def test_every_error_has_one_json_shape(live: Live) -> None:
    assert error_of(get(live, "/api/stories/s999999"), 404)["code"] == "not_found"
    error_of(get(live, "/api/stories/s999999/brief"), 404)
    error_of(get(live, "/api/articles/nope"), 404)
    error_of(get(live, "/api/jobs/nope"), 404)
    error_of(get(live, "/api/no-such-endpoint"), 404)
    assert "page" in str(error_of(get(live, "/api/stories?page=0"), 422)["message"])
    assert error_of(get(live, "/api/stories?from=yesterday"), 422)["code"] == "invalid_request"
    error_of(httpx.delete(live.url + "/api/stories", timeout=10), 405)


def test_a_missing_story_is_a_404_page(live: Live) -> None:
    r = get(live, "/stories/s999999")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "story &#39;s999999&#39; is not in this store" in r.text and "Traceback" not in r.text
    r = get(live, "/stories/s000001?since=not-a-date")
    assert r.status_code == 422 and "since" in r.text


def test_every_response_carries_the_security_headers(live: Live) -> None:
    paths = ["/", f"/stories/{live.story}", "/add", "/api", "/api/stories", "/nope", "/api/nope",
             "/static/app.js", f"/api/stories/{live.story}/brief", "/openapi.json"]
    for path in paths:
        r = get(live, path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_load_nothing_from_elsewhere(live: Live) -> None:
    for path in ("/", f"/stories/{live.story}", "/add", "/api"):
        html = get(live, path).text
        assert "<script>" not in html and not re.search(r'(src|href)="(https?:)?//', html)
        assert html.count("<script") == 1 and '<script src="/static/app.js" defer></script>' in html
    spec = get(live, "/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/brief",
            "/api/articles/{article_id}", "/api/jobs/{job_id}"} <= set(spec["paths"])
    assert get(live, "/docs").status_code == 404  # FastAPI's docs page would load a CDN
    assert "/api/stories/{story_id}/brief" in get(live, "/api").text


def test_story_page_has_every_part_without_javascript(live: Live) -> None:
    html = get(live, f"/stories/{live.story}").text
    for part in ('id="summary"', 'id="timeline"', "<svg", 'id="conflicts"', 'class="grid"', 'id="syndication"',
                 'id="entities"', 'id="sources"', 'class="toc"', 'name="since"'):
        assert part in html, part
    assert 'href="/articles/' in html and "?s=" in html
    assert "Expected (predictions in the sources)" in html  # predicted events apart
    new = get(live, f"/stories/{live.story}", params={"since": "2000-01-01"}).text
    assert "New since 2000-01-01" in new and "articles tracked since then" in new
    none = get(live, f"/stories/{live.story}", params={"since": "2999-01-01"}).text
    assert "No article of this story was tracked since 2999-01-01" in none


def _post(live: Live, path: str, files: list | None = None, data: dict | None = None) -> httpx.Response:
    return httpx.post(live.url + path, files=files, data=data or {}, timeout=60, follow_redirects=False)


def count_articles(live: Live) -> int:
    conn = sqlite3.connect(live.db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\boot.ini.txt", "/etc/cron.d/x.txt",
                                  "notes/today.txt", "..", "a/../../b.html"])
def test_path_traversal_names_are_refused(live: Live, name: str) -> None:
    before = count_articles(live)
    r = _post(live, "/api/articles", files=[("files", (name, b"Some article text " * 10, "text/plain"))])
    message = str(error_of(r, 400)["message"])
    assert "plain name" in message or "without a name" in message
    assert count_articles(live) == before


def test_wrong_type_and_oversize_uploads_are_refused(live: Live) -> None:
    before = count_articles(live)
    r = _post(live, "/api/articles", files=[("files", ("report.pdf", b"%PDF-1.4 ...", "application/pdf"))])
    assert "report.pdf" in str(error_of(r, 415)["message"])
    limit = Settings().web_max_upload_bytes
    big = io.BytesIO(b"word " * (limit // 5 + 10))
    r = _post(live, "/api/articles", files=[("files", ("huge.txt", big, "text/plain"))])
    message = str(error_of(r, 413)["message"])
    assert "huge.txt" in message and "limit" in message
    r = _post(live, "/api/articles", data={"text": "A pasted text.", "url": "javascript:alert(1)"})
    assert "http" in str(error_of(r, 400)["message"])
    r = _post(live, "/api/articles", data={"urls": "file:///etc/passwd"})
    error_of(r, 400)
    error_of(_post(live, "/api/articles", data={}), 400)
    # the page says it too, with the form filled in again
    r = _post(live, "/add", files=[("files", ("slides.pptx", b"PK\x03\x04", "application/octet-stream"))],
              data={"urls": "https://example.org/kept.rss"})
    assert r.status_code == 415 and "slides.pptx" in r.text and "refused" in r.text
    assert ">https://example.org/kept.rss</textarea>" in r.text  # the form comes back filled in
    assert count_articles(live) == before


def test_request_body_limit_holds_while_the_body_arrives(web_store: Path) -> None:
    from starlette.testclient import TestClient

    from storyline.web import create_app

    app = create_app(web_store, Settings(web_max_request_bytes=20_000), worker=False)
    with TestClient(app) as client:
        r = client.post("/api/articles", files=[("files", ("a.txt", b"x " * 30_000, "text/plain"))])
        assert r.status_code == 413 and "web_max_request_bytes" in r.json()["error"]["message"]

        def chunks():  # no Content-Length: counted as it comes
            for _ in range(50):
                yield b"y" * 1000

        r = client.post("/api/articles", content=chunks(),
                        headers={"content-type": "multipart/form-data; boundary=b0undary"})
        assert r.status_code == 413


def test_an_internal_error_is_a_json_500(web_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.testclient import TestClient

    from storyline.store import queries
    from storyline.web import create_app

    app = create_app(web_store, Settings(), worker=False)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "search_stories", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/stories")
        body = r.json()
        assert r.status_code == 500 and body["error"]["code"] == "internal_error"
        assert "boom" not in r.text and "please report" in body["error"]["message"]
        assert "script-src 'self'" in r.headers["content-security-policy"]
        page = client.get("/")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")


def test_add_records_via_the_api_says_where_each_went(live: Live) -> None:
    good = {"title": "Kim Jong Un and Putin hold talks at the Vostochny Cosmodrome",
            "source": "Record Wire", "published": "2023-09-13",
            "text": ("North Korean leader Kim Jong Un and Russian President Vladimir Putin held talks at the "
                     "Vostochny Cosmodrome in Russia's Far East on Wednesday, the Kremlin said. Putin showed Kim "
                     "the launch site and the two leaders discussed military cooperation, the war in Ukraine and "
                     "satellites, Russian state media reported. Western officials fear an arms deal.")}
    short = {"title": "Too short", "text": "Only a few words here."}
    body = "\n".join(json.dumps(r) for r in (good, short)).encode()
    r = _post(live, "/api/articles", files=[("files", ("records.jsonl", body, "application/x-ndjson"))])
    assert r.status_code == 202, r.text
    assert r.headers["location"].startswith("/api/jobs/")
    job = live.wait_job(r.json()["id"])
    assert job["state"] == "done", job
    [added] = job["result"]["added"]
    assert added["title"] == good["title"] and added["label"].startswith("upload records.jsonl")
    assert any("records.jsonl" in p and "no article text" in p for p in job["result"]["problems"])
    assert all("/tmp" not in p and "storyline-upload" not in p for p in job["result"]["problems"])
    assert job["result"]["briefs"][added["story"]] == "ok"
    brief = get(live, f"/api/stories/{added['story']}/brief").json()
    assert added["article"] in {a["id"] for a in brief["articles"]}
    page = get(live, job["page"]).text
    assert "Where each article went" in page and f'/stories/{added["story"]}' in page


def test_a_store_without_briefings_is_briefed_in_the_background(web_store: Path, tmp_path: Path) -> None:
    """`serve` on the store that plain `track` made: the first view queues the briefing."""
    import time

    from starlette.testclient import TestClient

    from storyline.web import create_app

    db = tmp_path / "unbriefed.db"
    src = sqlite3.connect(web_store)
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.execute("DELETE FROM briefs")
    dst.commit()
    dst.close()
    app = create_app(db, Settings(progress=False))
    with TestClient(app) as client:
        first = client.get("/stories/s000001")
        assert first.status_code == 200 and "This story is being briefed" in first.text
        assert '<noscript><meta http-equiv="refresh"' in first.text  # follows without JavaScript
        error = client.get("/api/stories/s000001/brief").json()["error"]
        assert error["code"] == "not_briefed"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            r = client.get("/api/stories/s000001/brief")
            if r.status_code == 200:
                break
            time.sleep(0.5)
        assert r.status_code == 200 and r.json()["schema"] == "storyline.brief/1"
        assert 'id="conflicts"' in client.get("/stories/s000001").text
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_writes_from_another_site_are_refused(live: Live) -> None:
    """A page elsewhere cannot post articles into the reader's store (CSRF)."""
    before = count_articles(live)
    text = {"text": "Officials said the talks would continue next week in the capital. " * 4}
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "http://evil.example"}, {"Origin": "null"}):
        r = httpx.post(live.url + "/add", data=text, headers=headers, timeout=30, follow_redirects=False)
        assert r.status_code == 403 and "another site" in r.text, headers
        r = httpx.post(live.url + "/api/articles", data=text, headers=headers, timeout=30)
        assert error_of(r, 403)["code"] == "refused"
        r = httpx.post(f"{live.url}/stories/{live.story}/brief", headers=headers, timeout=30, follow_redirects=False)
        assert r.status_code == 403
    assert count_articles(live) == before
