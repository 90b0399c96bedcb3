"""The output folder: Parquet tables, one briefing JSON per story, and the work files of a run.

```
OUT/articles/*.parquet     one row per article (duplicates are listed in duplicates/, not here)
OUT/sentences/*.parquet    one row per body sentence
OUT/stories/*.parquet      one row per story
OUT/membership/*.parquet   story -> article
OUT/claims/*.parquet       one row per claim of a story's briefing
OUT/conflicts/*.parquet    one row per conflict, its sides nested
OUT/duplicates/*.parquet   articles skipped as copies of an earlier one (same URL or same text)
OUT/errors/*.parquet       every input, record or story that could not be used, and why
OUT/briefs/<story>.json    the storyline.brief/1 briefing of each story
OUT/run.json               what the last run did
OUT/_work/                 per-partition results, so a rerun only does what is missing
```

Every file is written under a temporary name and renamed, so a file that exists is whole: a
worker killed mid-write leaves at most a stray ``.tmp``.
"""

from __future__ import annotations

import json
import pickle
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

_STR = pa.string()
_LIST = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", _STR), ("story", _STR), ("seq", pa.int64()), ("input_id", _STR), ("file", _STR),
        ("record", _STR), ("url", _STR), ("source", _STR), ("title", _STR), ("published", _STR),
        ("published_evidence", _STR), ("authors", _LIST), ("words", pa.int32()),
        ("sentences", pa.int32()), ("text", _STR),
    ]),
    "sentences": pa.schema([
        ("article", _STR), ("story", _STR), ("index", pa.int32()), ("text", _STR),
        ("start", pa.int32()), ("end", pa.int32()), ("post", pa.int32()), ("entities", _LIST),
        ("dates", _LIST),
    ]),
    "stories": pa.schema([
        ("id", _STR), ("title", _STR), ("articles", pa.int32()), ("outlets", pa.int32()),
        ("first_published", _STR), ("last_published", _STR), ("block", pa.int64()),
        ("claims", pa.int32()), ("conflicts", pa.int32()), ("brief", _STR),
        ("tracker_state", pa.binary()),
    ]),
    "membership": pa.schema([("story", _STR), ("article", _STR), ("seq", pa.int64())]),
    "claims": pa.schema([
        ("story", _STR), ("id", _STR), ("text", _STR), ("status", _STR),
        ("independent_sources", pa.int32()), ("articles", _LIST), ("speakers", _LIST),
    ]),
    "conflicts": pa.schema([
        ("story", _STR), ("id", _STR), ("kind", _STR), ("summary", _STR),
        ("sides", pa.list_(pa.struct([
            ("article", _STR), ("sentence", pa.int32()), ("text", _STR), ("value", _STR),
        ]))),
    ]),
    "duplicates": pa.schema([
        ("id", _STR), ("input_id", _STR), ("file", _STR), ("record", _STR), ("duplicate_of", _STR),
    ]),
    "errors": pa.schema([("file", _STR), ("record", _STR), ("reason", _STR), ("phase", _STR)]),
}
TABLES = tuple(SCHEMAS)


class Out:
    """The output folder, local or any fsspec URL (shared by every worker of a real cluster)."""

    def __init__(self, url: str) -> None:
        import fsspec.core

        self.url = url.rstrip("/")
        self.fs, self.root = fsspec.core.url_to_fs(self.url)
        self.root = self.root.rstrip("/")

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def exists(self, *parts: str) -> bool:
        return bool(self.fs.exists(self.path(*parts)))

    def _write(self, parts: tuple[str, ...], data: bytes) -> None:
        final = self.path(*parts)
        self.fs.makedirs(final.rsplit("/", 1)[0], exist_ok=True)
        folder, name = final.rsplit("/", 1)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex[:8]}.tmp"  # hidden: readers skip it
        with self.fs.open(tmp, "wb") as fh:
            fh.write(data)
        self.fs.mv(tmp, final)

    def write_bytes(self, data: bytes, *parts: str) -> None:
        self._write(parts, data)

    def read_bytes(self, *parts: str) -> bytes:
        with self.fs.open(self.path(*parts), "rb") as fh:
            return fh.read()  # type: ignore[no-any-return]

    def write_json(self, value: Any, *parts: str) -> None:
        self._write(parts, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))

    def read_json(self, *parts: str) -> Any:
        return json.loads(self.read_bytes(*parts))

    def write_pickle(self, value: Any, *parts: str) -> int:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._write(parts, data)
        return len(data)

    def read_pickle(self, *parts: str) -> Any:
        return pickle.loads(self.read_bytes(*parts))  # noqa: S301 - our own work files

    def write_table(self, table: str, part: str, rows: list[dict[str, Any]]) -> None:
        """One Parquet file of ``table`` (written even when empty, so the columns are known)."""
        import io

        schema = SCHEMAS[table]
        data = pa.Table.from_pylist(rows, schema=schema)
        buf = io.BytesIO()
        pq.write_table(data, buf, compression="zstd")
        self._write((table, f"{part}.parquet"), buf.getvalue())

    def parts(self, table: str) -> list[str]:
        """The part names a table has now."""
        folder = self.path(table)
        if not self.fs.exists(folder):
            return []
        return sorted(
            p.rsplit("/", 1)[-1][: -len(".parquet")]
            for p in self.fs.ls(folder, detail=False)
            if p.endswith(".parquet")
        )

    def remove(self, *parts: str) -> None:
        path = self.path(*parts)
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    def read_table(self, table: str) -> pa.Table:
        """A whole table (for loading a store and for tests; use pandas or DuckDB for analysis)."""
        tables = [pq.read_table(self.fs.open(self.path(table, f"{p}.parquet"), "rb")) for p in self.parts(table)]
        if not tables:
            return SCHEMAS[table].empty_table()
        return pa.concat_tables(tables)
