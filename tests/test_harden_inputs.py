"""Hostile inputs, one test per trigger of issue 10: each is named with its reason and the flag
that raises its limit, the good input beside it is still briefed, and the exit code says so
(0 all used, 1 some skipped, 2 none usable, 3 internal error)."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from storyline.cli import cli
from storyline.ingest import read_inputs
from storyline.settings import Settings

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kim-putin-summit-2023"
GOOD = EXAMPLE / "004_8cae0baa380acb99.txt"
PROSE = (
    "The regional council approved a new budget on Tuesday after a long debate about road "
    "repairs, school buildings and the cost of running the bus network, officials said. "
)


def brief(*args: str | Path, stdin: bytes | str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["brief", *map(str, args), "--format", "json", "-q"], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error: ")]


def briefed_paths(result: Result) -> list[str]:
    return [a["path"] for a in json.loads(result.stdout)["articles"]]


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    shutil.copy(GOOD, path)
    return path


def assert_skipped(result: Result, name: str, *needles: str, good: Path) -> None:
    """Exit 1, one error naming ``name`` with every needle, the good input briefed."""
    assert result.exit_code == 1, result.stderr
    (line,) = [e for e in errors(result) if name in e]
    for needle in needles:
        assert needle in line, line
    assert briefed_paths(result) == [str(good)]


# --- one bad input must not crash the run ---------------------------------------------------


def test_a_5_mb_single_line_is_refused_by_line_length(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "oneline.txt"
    bad.write_text("Headline\n" + PROSE * 30_000 + "\n", encoding="utf-8")
    assert bad.stat().st_size > 5_000_000
    result = brief(bad, good)
    assert_skipped(result, "oneline.txt", "line 2 is", "--max-line-chars", good=good)


def test_json_nested_100k_deep_is_refused_by_depth(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "deep.json"
    bad.write_text("[" * 100_000 + "]" * 100_000)
    result = brief(bad, good)
    assert_skipped(result, "deep.json", "nested 100,000 levels deep", "--max-json-depth", good=good)


def test_a_number_of_5001_digits_is_refused(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "bignum.json"
    bad.write_text('{"text": "x", "n": ' + "7" * 5001 + "}")
    result = brief(bad, good)
    assert_skipped(result, "bignum.json", "5,001 digits", "--max-number-digits", good=good)
    # the same in a JSONL line: that line is refused, the next record still read
    lines = tmp_path / "mixed.jsonl"
    lines.write_text('{"n": ' + "7" * 5001 + '}\n' + json.dumps({"text": "Budget\n" + PROSE * 2}) + "\n")
    read = read_inputs([str(lines)], Settings(progress=False))
    assert len(read.articles) == 1
    assert [p.source for p in read.problems] == [f"{lines} line 1"]


def test_a_truncated_warc_header_is_reported(tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "x.warc"
    bad.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nW")
    result = brief(bad, good)
    assert_skipped(result, "x.warc", "not a readable WARC file", "cut short or malformed", good=good)


def test_a_corrupt_gzip_stream_is_reported(tmp_path: Path, good: Path) -> None:
    packed = gzip.compress(("Headline\n" + PROSE * 2000).encode())
    bad = tmp_path / "page.txt.gz"
    # a damaged deflate block (zlib's "invalid code lengths set"), not just a wrong checksum
    bad.write_bytes(packed[:12] + bytes([packed[12] ^ 0xFF]) + packed[13:])
    result = brief(bad, good)
    assert_skipped(result, "page.txt.gz", "corrupt gzip data", "invalid code lengths", "was not used", good=good)
    crc = tmp_path / "crc.txt.gz"  # and a wrong checksum at the end
    crc.write_bytes(packed[:-8] + bytes(b ^ 1 for b in packed[-8:-4]) + packed[-4:])
    result = brief(crc, good)
    assert_skipped(result, "crc.txt.gz", "corrupt gzip data", "incorrect data check", good=good)


def test_a_lone_surrogate_reference_in_an_rss_item(tmp_path: Path, good: Path) -> None:
    feed = tmp_path / "news.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title><item>'
        "<title>Budget &#xD800; approved</title><link>https://example.org/budget</link>"
        f"<description>{PROSE * 3} &#xD800;</description></item></channel></rss>"
    )
    result = brief(feed, good)
    assert result.exit_code == 0, result.stderr
    titles = [a["title"] for a in json.loads(result.stdout)["articles"]]
    assert "Budget \ufffd approved" in titles  # the broken character is marked, not fatal


# --- memory and size: limits hold while reading ---------------------------------------------


def test_a_gzip_bomb_stops_at_the_ratio_limit(tmp_path: Path, good: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        for _ in range(100):
            fh.write(b"A" * 1_000_000)  # 100 MB of one letter, about 100 KB packed
    result = brief(bomb, good)
    assert_skipped(result, "bomb.txt.gz", "decompression bomb", "--max-ratio", good=good)
    # a plain size limit holds while decompressing too: the file itself is small
    small = read_inputs([str(bomb)], Settings(progress=False, max_ratio=10**6, max_bytes=3_000_000))
    (p,) = small.problems
    assert "decompressed input is too large" in p.reason and "--max-bytes" in p.reason


def test_standard_input_is_capped(good: Path) -> None:
    flood = b"word " * 300_000  # 1.5 MB
    result = CliRunner().invoke(cli, ["brief", "-", "--max-bytes", "1000000", "-q"], input=flood)
    assert result.exit_code == 2
    assert errors(result)[0].startswith("Error: <stdin>: input is too large (more than 1,000,000 bytes)")
    assert "--max-bytes" in errors(result)[0]


def test_records_past_the_cap_are_reported_not_dropped_silently(tmp_path: Path) -> None:
    records = tmp_path / "many.json"
    records.write_text(json.dumps([
        {"id": f"r{i}", "title": f"Budget vote {i}", "text": f"Budget vote {i}\n{PROSE * 2}",
         "published": "2024-03-14"} for i in range(5)]))
    result = brief(records, "--max-records", "3")
    assert result.exit_code == 1
    (line,) = errors(result)
    assert "many.json" in line and "read the first 3, the other 2 not read" in line
    assert "--max-records" in line
    assert len(json.loads(result.stdout)["articles"]) == 3


def test_many_records_show_progress(tmp_path: Path) -> None:
    records = tmp_path / "many.json"
    records.write_text(json.dumps([{"text": f"Note {i}\n{PROSE}"} for i in range(2500)]))
    said: list[str] = []
    read = read_inputs([str(records)], Settings(progress=False), progress=said.append)
    assert len(read.articles) == 2500
    assert f"read 1,000 of 2,500 records of {records}" in said
    assert f"read 2,000 of 2,500 records of {records}" in said


# --- silent loss: what was read and what was lost is said ---------------------------------------


def _warc(path: Path, pages: int, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    towns = ["Leeds", "Bristol", "Norwich", "Exeter"]
    for i in range(pages):
        text = PROSE.replace("regional council", f"council of {towns[i]}")
        html = (f"<html><head><title>Budget in {towns[i]}</title></head><body><article>"
                f"<p>{text}</p><p>{text} The vote in {towns[i]} was close.</p></article></body></html>")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://example.org/page{i}", "response", payload=io.BytesIO(html.encode()), http_headers=headers))
    data = buf.getvalue()
    path.write_bytes(data)
    return data


def test_a_truncated_warc_gz_is_reported_with_what_was_read(tmp_path: Path) -> None:
    whole = _warc(tmp_path / "whole.warc.gz", 3, gz=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) * 3 // 4])
    result = brief(cut)
    assert result.exit_code == 1, result.stderr  # not 0: something was lost
    (line,) = errors(result)
    assert "cut.warc.gz" in line and "truncated gzip stream" in line
    assert "2 whole records read before it (2 articles kept)" in line and "is lost" in line
    assert len(json.loads(result.stdout)["articles"]) == 2


def test_a_warc_record_shorter_than_its_length_is_reported(tmp_path: Path) -> None:
    whole = _warc(tmp_path / "whole.warc", 2, gz=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: len(whole) - 500])  # the second record ends 500 bytes early
    result = brief(cut)
    assert result.exit_code == 1
    (line,) = errors(result)
    assert "truncated WARC: record 2 (https://example.org/page1)" in line
    assert "1 whole record read before it (1 article kept)" in line


def test_a_warc_record_with_a_wrong_length_is_reported_not_warned(tmp_path: Path) -> None:
    whole = _warc(tmp_path / "whole.warc", 2, gz=False)
    first_end = whole.index(b"WARC/1.0", 10)
    head, rest = whole[:first_end], whole[first_end:]
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    bad = tmp_path / "badlength.warc"
    bad.write_bytes(head.replace(f"Content-Length: {length}".encode(), f"Content-Length: {length - 50}".encode(), 1) + rest)
    result = brief(bad)
    assert "WARNING" not in result.stderr  # the library's own chatter does not leak out
    assert result.exit_code == 1
    assert any("badlength.warc" in e and "Content-Length" in e for e in errors(result))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path: Path, codec: str) -> None:
    text = GOOD.read_text(encoding="utf-8")
    path = tmp_path / "wide.txt"
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    path.write_bytes(bom + text.encode(codec))
    read = read_inputs([str(path)], Settings(progress=False))
    assert not read.problems, read.problems
    (article,) = read.articles
    assert article.text.replace("\r", "").strip()[:200] == text.replace("\r", "").strip()[:200]


def test_an_encoding_guess_is_named_honestly(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(("Council passes budget\nCaf\u00e9 owners say the r\u00e9gion\u2019s \u201cbudget\u201d "
                      + PROSE * 3).encode("cp1252"))
    result = brief(path, good)
    assert_skipped(result, "windows.txt", "not UTF-8 text", "chardet guesses Windows-1252", "% confident",
                   "iconv -f Windows-1252", good=good)


def test_a_bad_record_date_is_explained_not_lies_none(tmp_path: Path) -> None:
    records = tmp_path / "dated.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Budget vote\n" + PROSE * 2, "published": "2024-03-12"},
        {"id": "b", "text": "Budget vote again\nOn Tuesday " + PROSE * 2, "published": "2024-02-30"},
    ]) + "\n")
    result = brief(records)
    assert result.exit_code == 0, result.stderr
    articles = {a["id"]: a for a in json.loads(result.stdout)["articles"]}
    assert "None" not in articles["b"]["published_evidence"]
    assert articles["b"]["published"] != "2024-02-30"  # not a date: never shown as one
    # the same date in a plain-text page's header line
    page = tmp_path / "page.txt"
    page.write_text("Budget vote again\nPublished: 2024-02-30\nOn Tuesday " + PROSE * 2, encoding="utf-8")
    result = brief(records, page)
    (article,) = [a for a in json.loads(result.stdout)["articles"] if a["path"] == str(page)]
    assert article["published"] != "2024-02-30" and "None" not in article["published_evidence"]


# --- a bug on one input is that input's internal error, exit 3, the rest still used ----------


def test_an_unexpected_error_in_a_reader_is_an_internal_error_of_that_input(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.ingest import READERS

    def broken(src, settings):  # type: ignore[no-untyped-def]
        raise KeyError("a bug in the JSON reader")

    monkeypatch.setitem(READERS, "json", broken)
    bad = tmp_path / "record.json"
    bad.write_text(json.dumps({"text": PROSE}))
    result = brief(bad, good)
    assert result.exit_code == 3
    (line,) = errors(result)
    assert line.startswith(f"Error: internal error on {bad} (please report): KeyError")
    assert briefed_paths(result) == [str(good)]


def test_an_unexpected_error_on_one_article_later_in_the_pipeline(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.claims as claims

    poison = tmp_path / "poison.txt"
    poison.write_text("Budget approved\n" + PROSE * 3 + "Zyxwvut said so.\n", encoding="utf-8")
    real = claims.extract_claims

    def fragile(docs):  # type: ignore[no-untyped-def]
        if any("Zyxwvut" in d.article.text for d in docs):
            raise IndexError("claims stage bug")
        return real(docs)

    monkeypatch.setattr(claims, "extract_claims", fragile)
    result = brief(poison, good)
    assert result.exit_code == 3
    assert errors(result) == [f"Error: internal error on {poison} (please report): IndexError: claims stage bug"]
    assert briefed_paths(result) == [str(good)]


def test_an_unexpected_error_outside_any_input_is_exit_3_without_traceback(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.pipeline as pipeline

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("everything is broken")

    monkeypatch.setattr(pipeline, "read_inputs", broken)
    result = brief(good)
    assert result.exit_code == 3
    assert errors(result) == ["Error: internal error (please report): RuntimeError: everything is broken"]


def test_track_goes_on_after_an_internal_error_on_one_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.track as trackmod

    real = trackmod.clean_one

    def fragile(article, settings):  # type: ignore[no-untyped-def]
        if "Zyxwvut" in article.text:
            raise ZeroDivisionError("tracker bug")
        return real(article, settings)

    monkeypatch.setattr(trackmod, "clean_one", fragile)
    records = tmp_path / "stream.jsonl"
    records.write_text("\n".join(json.dumps({"id": f"r{i}", "text": f"Budget vote {i}\n{PROSE * 2} It was vote {i}."
                                              + (" Zyxwvut." if i == 1 else "")}) for i in range(3)) + "\n")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["track", str(records), "--db", str(db), "-q"])
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    (line,) = errors(result)
    assert "internal error on" in line and "(please report): ZeroDivisionError: tracker bug" in line
    assert result.stdout.startswith("2 articles added")  # the ones before and after it
