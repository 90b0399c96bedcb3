"""ingest: metadata with evidence for the example pages, every input format, every bad input."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import InputError
from storyline.ingest import OPTIONAL, READERS, IngestResult, read_inputs
from storyline.ingest.language import not_english
from storyline.ingest.records import parse_jsonl
from storyline.ingest.sources import Source
from storyline.ingest.text import article_from_text
from storyline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings(progress=False)

ARTICLE_TEXT = (
    "The regional council approved a new budget on Tuesday after a long debate about road "
    "repairs, school buildings and the cost of running the bus network. Members said that the "
    "plan would be reviewed again in the autumn once the final figures for the year are known.\n"
)
GERMAN_TEXT = (
    "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt beschlossen. Die "
    "Mitglieder sagten, dass der Plan im Herbst noch einmal geprüft wird, wenn die Zahlen für das "
    "Jahr bekannt sind. Auch die Kosten für den Busverkehr und die Schulen wurden mit den Bürgern "
    "diskutiert, die sich über die Verzögerungen beschwert hatten.\n"
)


def read(*inputs: str | Path, **kw: object) -> IngestResult:
    return read_inputs([str(i) for i in inputs], Settings(progress=False, **kw))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def example(example_dir: Path) -> dict[str, object]:
    result = read(example_dir)
    assert not result.problems
    return {a.id[:3]: a for a in result.articles}


# --- the five example pages ---------------------------------------------------------------


def test_example_ids_are_file_stems_and_stable(example_dir: Path, example: dict) -> None:
    assert sorted(example) == ["000", "001", "002", "003", "004"]
    assert example["001"].id == "001_eda457ef90150f03"
    again = read(example_dir)
    assert [a.id for a in again.articles] == [a.id for a in example.values()]


def test_example_titles(example: dict) -> None:
    assert example["000"].title == "Kim and Putin begin talks, Russian media reports"
    # the " | Be Korea-savvy" tagline is not part of the headline
    assert (
        example["001"].title
        == "North Korea's Kim, Putin Set for Summit in Russia amid Concerns over Arms Deal"
    )
    # 002 opens with a date and the site's name; the headline comes after them
    assert example["002"].title == "North Korea’s leader visits Russia for talks with Putin"
    assert example["003"].title.startswith("Kremlin Mum on Western Reports")
    assert (
        example["004"].title
        == "Talks expected to cover weapons deals between Russia and North Korea"
    )


def test_example_dates_with_evidence(example: dict) -> None:
    a = example["001"]
    assert a.published == "2023-09-13"
    assert 'dateline "SEOUL, Sept. 13 (Korea Bizwire)"' in a.published_evidence
    assert "Sept. 13, 2023" in a.published_evidence  # where the year came from
    assert example["002"].published == "2023-09-29"
    assert "page header date" in example["002"].published_evidence
    assert example["003"].published == "2023-09-06"
    assert "September 6, 2023" in example["003"].published_evidence
    assert example["004"].published is None
    assert example["004"].published_evidence == "no date found in the text"
    # the live blog has no page date: say so rather than guess
    assert example["000"].published is None
    assert "no page date" in example["000"].published_evidence


def test_example_outlets_with_evidence(example: dict) -> None:
    a0 = example["000"]
    assert a0.source is None  # the text never names CNBC
    assert "does not name the outlet" in a0.source_evidence and "Reuters" in a0.source_evidence
    a1 = example["001"]
    assert a1.source == "Korea Bizwire"
    assert "dateline" in a1.source_evidence and "Yonhap" in a1.source_evidence
    a2 = example["002"]
    assert a2.source == "Brighton Journal"
    assert "SEOUL/MOSCOW (Reuters)" in a2.source_evidence
    a3 = example["003"]
    assert a3.source == "NTD"
    assert "The Epoch Times" in a3.source_evidence
    a4 = example["004"]
    assert a4.source == "The National"
    assert "Source: The National" in a4.source_evidence


def test_example_authors_and_raw_text(example: dict, example_dir: Path) -> None:
    assert example["003"].authors == ("Adam Morrow",)
    raw = (example_dir / "004_8cae0baa380acb99.txt").read_text(encoding="utf-8")
    assert example["004"].text == raw  # ingest keeps the page text; clean removes boilerplate
    assert all(a.fmt == "text" for a in example.values())


# --- inputs: directories, globs, stdin, formats -------------------------------------------


def test_directory_is_recursive_sorted_and_skips_hidden_and_readmes(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second page\n" + ARTICLE_TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_text("First page\n" + ARTICLE_TEXT, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden\n" + ARTICLE_TEXT, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden\n" + ARTICLE_TEXT, encoding="utf-8")
    (tmp_path / "README.md").write_text("# About these files\n", encoding="utf-8")
    result = read(tmp_path)
    assert not result.problems
    assert [a.id for a in result.articles] == ["a", "two"]


def test_same_stem_in_two_folders_gets_unique_ids(tmp_path: Path) -> None:
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "page.txt").write_text(f"Page {sub}\n" + ARTICLE_TEXT, encoding="utf-8")
    ids = [a.id for a in read(tmp_path).articles]
    assert ids == ["page", "page-2"]


def test_glob_and_duplicate_inputs(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"Page {name}\n" + ARTICLE_TEXT, encoding="utf-8")
    result = read(tmp_path / "*.txt", tmp_path / "one.txt")
    assert [a.id for a in result.articles] == ["one", "two"]  # one.txt read once
    nothing = read(tmp_path / "*.html")
    assert len(nothing.problems) == 1 and "no file matches" in nothing.problems[0].reason


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = ("Council passes budget\n" + ARTICLE_TEXT).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = read("-")
    assert not result.problems
    (a,) = result.articles
    assert a.path == "<stdin>" and a.title == "Council passes budget"
    assert len(a.id) == 12  # content hash: stable for the same text
    assert a.id == article_from_text("Council passes budget\n" + ARTICLE_TEXT).id


def test_html_page() -> None:
    result = read(FIXTURES / "article.html")
    assert not result.problems
    (a,) = result.articles
    assert a.fmt == "html"
    assert a.title == "Harbour bridge reopens after storm repairs"
    assert a.source == "The Coastal Herald" and "HTML metadata" in a.source_evidence
    assert a.published == "2024-03-14" and "HTML" in a.published_evidence
    assert a.authors == ("Maria Lopez",)
    assert "six weeks after a winter storm" in a.text
    assert "Sport" not in a.text and "Privacy" not in a.text  # navigation and footer gone


def test_gzipped_html_and_unknown_extension_are_sniffed(tmp_path: Path) -> None:
    html = (FIXTURES / "article.html").read_bytes()
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html))
    (tmp_path / "saved.download").write_bytes(html)  # no telling extension: sniffed as HTML
    (tmp_path / "notes.md").write_text("Council passes budget\n" + ARTICLE_TEXT, encoding="utf-8")
    result = read(tmp_path / "page.html.gz", tmp_path / "saved.download", tmp_path / "notes.md")
    assert not result.problems
    assert [a.fmt for a in result.articles] == ["html", "html", "text"]
    assert result.articles[1].title == "Harbour bridge reopens after storm repairs"


def test_jsonl_records_and_bad_lines() -> None:
    result = read(FIXTURES / "records.jsonl")
    ids = [a.id for a in result.articles]
    assert len(ids) == 2 and ids[0] == "r1"
    r1 = result.articles[0]
    assert (r1.title, r1.source, r1.published, r1.url) == (
        "Ferry service resumes",
        "Island Times",
        "2024-02-05",
        "https://example.org/ferry",
    )
    assert "record" in r1.published_evidence and "record" in r1.source_evidence
    assert result.articles[1].published == "2024-03-01"  # "March 1, 2024" read as a date
    reasons = {p.source: p.reason for p in result.problems}
    assert "malformed JSON" in reasons[f"{FIXTURES / 'records.jsonl'} line 2"]
    assert '"text"' in reasons[f"{FIXTURES / 'records.jsonl'} line 3"]


def test_json_list_of_records() -> None:
    result = read(FIXTURES / "records.json")
    assert not result.problems
    (a,) = result.articles
    assert a.authors == ("Sam Reed",) and a.published == "2024-04-02" and a.source == "Town Crier"


def test_warc_response_records(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, body, ctype in (
            (
                "https://coastal.example/bridge",
                (FIXTURES / "article.html").read_bytes(),
                "text/html",
            ),
            ("https://coastal.example/logo.png", b"\x89PNG....", "image/png"),
            (
                "https://coastal.example/login",
                (FIXTURES / "no-article.html").read_bytes(),
                "text/html",
            ),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
    result = read(path)
    (a,) = result.articles
    assert a.url == "https://coastal.example/bridge" and a.fmt == "html"
    assert a.path == str(path) and a.published == "2024-03-14"
    (p,) = result.problems  # the login page: no article, named by its URL
    assert "https://coastal.example/login" in p.source and "no article" in p.reason


# --- bad input: each is one problem naming the file; the rest are still read -------------


def test_bad_inputs_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Council passes budget\n" + ARTICLE_TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    nuls = tmp_path / "blob.txt"
    nuls.write_bytes(b"abc\x00\x00\x00def" * 50)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(("Caf\u00e9 owners say the r\u00e9gion's " + ARTICLE_TEXT).encode("cp1252"))
    german = tmp_path / "german.txt"
    german.write_text("Haushalt beschlossen\n" + GERMAN_TEXT, encoding="utf-8")
    bad_json = tmp_path / "broken.json"
    bad_json.write_text('{\n  "title": "x",\n  "text": oops\n}', encoding="utf-8")
    nothing = tmp_path / "nothing-here"
    nothing.mkdir()
    (nothing / "picture.png").write_bytes(b"\x89PNG")
    missing = tmp_path / "missing.txt"

    result = read(
        good,
        empty,
        binary,
        nuls,
        latin,
        german,
        bad_json,
        nothing,
        missing,
        FIXTURES / "no-article.html",
    )
    assert [a.id for a in result.articles] == ["good"]
    reasons = {Path(p.source).name: p.reason for p in result.problems}
    assert len(result.problems) == 9
    assert reasons["empty.txt"] == "file is empty"
    assert "binary" in reasons["scan.txt"] and "PDF" in reasons["scan.txt"]
    assert "binary" in reasons["blob.txt"]
    assert "not UTF-8" in reasons["latin.txt"] and "offset" in reasons["latin.txt"]
    assert reasons["german.txt"].startswith("not English (looks like German)")
    assert "malformed JSON at line 3" in reasons["broken.json"]
    assert "no readable articles" in reasons["nothing-here"]
    assert "no such file" in reasons["missing.txt"]
    assert "no article text" in reasons["no-article.html"]
    # every message names the input it is about
    assert all(str(p).startswith(p.source) for p in result.problems)


def test_huge_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Headline\n" + ARTICLE_TEXT * 10, encoding="utf-8")
    result = read(big, max_bytes=500)
    assert not result.articles
    (p,) = result.problems
    assert "too large" in p.reason and "--max-bytes" in p.reason


def test_url_inputs_go_to_the_registered_url_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []

    def fake(src: Source, settings: Settings) -> tuple[list, list]:
        calls.append(src.url)
        return [article_from_text("Council passes budget\n" + ARTICLE_TEXT)], []

    monkeypatch.setitem(READERS, "url", fake)
    result = read("https://example.org/story")
    assert calls == ["https://example.org/story"] and len(result.articles) == 1


def test_a_kind_without_a_reader_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(READERS, "url", raising=False)
    monkeypatch.setitem(OPTIONAL, "url", (".no_such_module", "parse_url"))
    result = read("https://example.org/story")
    assert not result.articles
    (p,) = result.problems
    assert p.source == "https://example.org/story" and "not supported" in p.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARTICLE_TEXT, None),
        (GERMAN_TEXT, "German"),
        (
            "Москва заявила во вторник, что переговоры продолжатся на следующей неделе в столице. "
            * 5,
            "Russian",
        ),
        (
            "북한 김정은 국무위원장이 러시아를 방문해 블라디미르 푸틴 대통령과 정상회담을 했다고 밝혔다. "
            * 5,
            "Korean",
        ),
        ("Short note.", None),  # too short to judge: not refused
    ],
)
def test_language_check(text: str, expected: str | None) -> None:
    found = not_english(text)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_text_parser_never_raises_and_ids_are_stable(text: str) -> None:
    a = article_from_text(text)
    b = article_from_text(text)
    assert a.id == b.id and len(a.id) == 12
    assert a.published is None or len(a.published) == 10
    assert a.published_evidence  # always says which date was used, or that none was found


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.builds(
                lambda t, s: json.dumps({"text": t, "source": s}),
                st.text(max_size=200),
                st.text(max_size=20),
            ),
        ),
        max_size=6,
    )
)
def test_jsonl_parser_only_reports_input_errors(lines: list[str]) -> None:
    data = "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8")
    if not data.strip():
        return
    try:
        articles, problems = parse_jsonl(Source("p.jsonl", "jsonl", data=data), SETTINGS)
    except InputError as err:  # the whole file refused (binary, not UTF-8): still a clean error
        assert err.source == "p.jsonl"
        return
    assert len({a.id for a in articles}) <= len(articles)
    assert all(p.source.startswith("p.jsonl line ") for p in problems)
