"""Fuzz every input reader with hypothesis; print how many cases raised anything but an input error.

    .venv/bin/python bench/fuzz.py --cases 10000          # the slow job (about 10 min on 2 cores)
    .venv/bin/python bench/fuzz.py --cases 500 --kind warc

Each case is a valid seed document of one kind (plain text, HTML, JSON, JSONL, WARC, RSS/Atom,
or content whose kind must be sniffed), damaged by a few random operations (cut, flipped and
inserted bytes, duplicated or deleted spans, hostile tokens: lone surrogates, deep nesting,
huge numbers, wrong WARC lengths, NUL bytes, byte-order marks, entity bombs), then gzip-compressed
(and sometimes cut or damaged again) in a quarter of the cases, and read from bytes or from a
file. A case passes when the reader returns articles and problems or raises the project's own
``InputError``, and every article it returns can be written out as UTF-8; anything else is an
uncaught exception: a bug. tests/test_fuzz_readers.py runs the same cases, a few hundred, in the
normal suite. Exit code 1 when any case failed.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from hypothesis import HealthCheck, Phase, given  # noqa: E402
from hypothesis import settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from storyline.errors import InputError  # noqa: E402
from storyline.ingest import check_lines, reader_for, sanitised  # noqa: E402
from storyline.ingest.language import not_english  # noqa: E402
from storyline.ingest.sources import Source, read_bytes, sniff  # noqa: E402
from storyline.settings import Settings  # noqa: E402

KINDS = ("text", "html", "json", "jsonl", "warc", "feed", "sniff")
# Small limits, so the limit paths are exercised too; fetching off (nothing leaves the machine).
SETTINGS = Settings(
    progress=False, min_words=3, max_bytes=300_000, max_records=20, max_line_chars=5_000,
    max_json_depth=32, max_number_digits=50, fetch=False,
)

PROSE = (
    "The regional council approved a new budget on Tuesday after a long debate about road "
    "repairs, school buildings and the cost of running the bus network, officials said. "
)


def _html(title: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        '<meta property="article:published_time" content="2024-03-14">'
        '<meta property="og:site_name" content="The Herald"></head><body><nav>Home | News</nav>'
        f"<article><h1>{title}</h1><p>{PROSE}</p><p>{PROSE}</p></article>"
        "<footer>Copyright</footer></body></html>"
    ).encode()


def _warc(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i, ctype in enumerate(("text/html", "image/png", "text/html; charset=utf-8")):
        body = _html(f"Page {i}") if "html" in ctype else b"\x89PNG...."
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://example.org/{i}", "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def _feed(atom: bool) -> bytes:
    if atom:
        entries = "".join(
            f"<entry><title>Entry {i}</title><link href='https://example.org/{i}'/>"
            f"<updated>2024-03-1{i}T10:00:00Z</updated><content type='html'>&lt;p&gt;{PROSE}&lt;/p&gt;</content></entry>"
            for i in range(3))
        return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{entries}</feed>'.encode()
    items = "".join(
        f"<item><title>Item {i}</title><link>https://example.org/{i}</link>"
        f"<pubDate>Sat, 0{i + 1} Mar 2024 10:00:00 GMT</pubDate><description>{PROSE}</description></item>"
        for i in range(3))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def _record(i: int) -> str:
    import json

    return json.dumps({"id": f"r{i}", "title": f"Budget {i}", "text": f"Budget {i}\n{PROSE}",
                       "url": f"https://example.org/{i}", "source": "Herald",
                       "published": "2024-03-14", "authors": ["Sam Reed"]})


SEEDS: dict[str, list[bytes]] = {
    "text": [f"Council passes budget\n{PROSE}\n{PROSE}".encode(), b"Headline\n" + PROSE.encode() * 3],
    "html": [_html("Budget approved"), (ROOT / "tests/fixtures/ingest/article.html").read_bytes()],
    "json": [("[" + ",".join(_record(i) for i in range(3)) + "]").encode(), _record(9).encode()],
    "jsonl": ["\n".join(_record(i) for i in range(4)).encode()],
    "warc": [_warc(False), _warc(True)],
    "feed": [_feed(False), _feed(True)],
}
SEEDS["sniff"] = [s for k in ("text", "html", "json", "jsonl", "feed") for s in SEEDS[k]] + [_warc(False)]

TOKENS = [
    b"&#xD800;", b"&#55296;", b"&#x110000;", b"&#0;", b"\\ud800", b"\\udfff\\ud800", b"\x00",
    b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"[" * 100, b"{\"a\":" * 60,
    b"1" * 120, b"-1e999999", b"1.5e-99999", b"NaN", b"Infinity", b"\r\n", b"\r", b"\n" * 50,
    b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<script>alert(1)</script>", b"</", b"<",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
    b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>", b"&c;",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>", b"&x;",
    b"Content-Length: 999999999\r\n", b"Content-Length: -5\r\n", b"Content-Length: abc\r\n",
    b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 999 Odd\r\n",
    b"Transfer-Encoding: chunked\r\n", b"Content-Encoding: gzip\r\n", b"Content-Type: text/html\r\n",
    b"\r\n\r\n", "\u202e\u2066".encode(), "é".encode("latin-1"), b"\xc3", b"\xed\xa0\x80",
    b"x" * 6000, b" " * 3000, b"2023-02-30", b"9999-99-99", b'"published": "2023-13-45"',
    b'"text": 5', b'"text": {"a": 1}', b'"id": [1, 2]', b'"authors": {"x": 1}', b"null", b"true",
    b"<rss version='2.0'>", b"<feed>", b"<item>", b"<link>javascript:alert(1)</link>",
    b"<link>/etc/hostname</link>", b"<pubDate>Sun, 99 Foo 99999 99:99:99</pubDate>",
    b"/etc/hostname", b"\x1f\x8b\x08\x00",
]


@st.composite
def cases(draw: st.DrawFn, kinds: tuple[str, ...] = KINDS) -> tuple[str, bytes, bool]:
    """(reader kind, input bytes, read from a file?)"""
    kind = draw(st.sampled_from(kinds))
    seed = st.sampled_from(SEEDS[kind])
    data = draw(st.one_of(  # mostly damaged seeds: random bytes rarely get past the first check
        seed, seed, seed,
        st.binary(max_size=600),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    ))
    for _ in range(draw(st.integers(0, 4))):
        data = _mutate(draw, data)
    if draw(st.integers(0, 3)) == 0:  # a quarter of the cases: gzip (sometimes damaged after)
        data = gzip.compress(data, compresslevel=draw(st.integers(1, 9)))
        if draw(st.booleans()):
            data = _mutate(draw, data)
    return kind, data, draw(st.integers(0, 3)) == 0


def _mutate(draw: st.DrawFn, data: bytes) -> bytes:
    op = draw(st.sampled_from(["cut", "flip", "insert", "token", "delete", "repeat"]))
    at = draw(st.integers(0, len(data)))
    if op == "cut":
        return data[:at]
    if op == "flip" and data:
        i = min(at, len(data) - 1)
        return data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
    if op == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    if op == "token":
        return data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
    if op == "delete":
        return data[:at] + data[at + draw(st.integers(1, 200)):]
    if op == "repeat":
        end = min(len(data), at + draw(st.integers(1, 300)))
        return data[:end] + data[at:end] * draw(st.integers(1, 50)) + data[end:]
    return data


def run_case(kind: str, data: bytes, from_file: bool, settings: Settings = SETTINGS) -> str | None:
    """None when the reader behaved; else a description of the uncaught exception."""
    label = f"fuzz.{kind}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if from_file:
                path = Path(tmp) / ("fuzz.warc.gz" if kind == "warc" and data[:2] == b"\x1f\x8b" else f"fuzz.{kind}")
                path.write_bytes(data)
                src = Source(label, kind, path=path)
            else:
                src = Source(label, kind, data=data)
            if kind == "sniff":
                raw = read_bytes(src, settings)
                src = replace(src, kind=sniff(raw), data=raw, path=None)
            reader = reader_for(src.kind)
            assert reader is not None, src.kind
            articles, problems = reader(src, settings)
            assert all(isinstance(p, InputError) for p in problems)
            for article in articles:
                article = sanitised(article)
                try:
                    check_lines(article, label, settings)
                except InputError:
                    continue
                not_english(article.text)
                for value in (article.text, article.title, article.source, article.url,
                              article.path, article.published_evidence, *article.authors):
                    (value or "").encode("utf-8")
    except InputError:
        return None
    except Exception as exc:  # what the fuzz is for
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{kind}: {type(exc).__name__}: {str(exc)[:160]} (at {Path(where.filename).name}:{where.lineno})"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000, help="How many cases (default 1000).")
    parser.add_argument("--kind", action="append", choices=KINDS, help="Only this reader (repeatable).")
    args = parser.parse_args()
    kinds = tuple(args.kind) if args.kind else KINDS
    seen: Counter[str] = Counter()
    failures: list[tuple[str, bytes]] = []
    t0 = time.monotonic()

    @hsettings(max_examples=args.cases, deadline=None, database=None, phases=[Phase.generate],
               suppress_health_check=list(HealthCheck))
    @given(cases(kinds))
    def one(case: tuple[str, bytes, bool]) -> None:
        kind, data, from_file = case
        seen[kind] += 1
        failure = run_case(kind, data, from_file)
        if failure is not None:
            failures.append((failure, data[:200]))
        if sum(seen.values()) % 1000 == 0:
            print(f"  {sum(seen.values()):,} cases, {len(failures)} uncaught, "
                  f"{time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)

    one()
    total = sum(seen.values())
    print(f"reader fuzz: {total:,} cases in {time.monotonic() - t0:.0f} s; "
          + ", ".join(f"{k} {seen[k]:,}" for k in kinds))
    kinds_failed = Counter(f.split(":")[0] for f, _ in failures)
    print(f"uncaught exceptions: {len(failures)} ({len(failures) / max(total, 1):.2%})"
          + (": " + ", ".join(f"{k} {n}" for k, n in kinds_failed.items()) if failures else ""))
    for failure, head in failures[:20]:
        print(f"  {failure}\n    input starts {head[:120]!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
