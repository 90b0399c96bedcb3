"""Reading the ECB+ corpus (Cybulska & Vossen, LREC 2014) straight from its archive.

The data folder holds ``ECB+.tar.gz`` (top folder ``ECB+/<topic>/<topic>_<n>ecb[plus].xml``) and
``ECBplus_coreference_sentences.csv``, the sentences whose annotation is complete. Only mentions
in those sentences are kept, as is standard. Gold clusters: a ``CROSS_DOC_COREF`` chain is one
cluster (its instance id), an ``INTRA_DOC_COREF`` chain is a cluster inside its document, every
other mention is a singleton.
"""

from __future__ import annotations

import csv
import re
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError

ARCHIVE = "ECB+.tar.gz"
SENTENCES = "ECBplus_coreference_sentences.csv"

# Annotation tags by kind. Events are actions (incl. negated ones); entities are the participants,
# locations and times, as in the usual ECB+ entity-coreference setup.
EVENT_PREFIXES = ("ACTION", "NEG_ACTION")
ENTITY_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART", "LOC", "TIME")

_DOC_NAME = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")


@dataclass(frozen=True)
class GoldMention:
    id: str  # globally unique: "<doc>#<m_id>"
    doc: str  # e.g. "1_10ecbplus"
    topic: int
    subtopic: str  # "1ecb" or "1ecbplus": the two seminal events of a topic
    kind: str  # "event" or "entity"
    tag: str  # e.g. ACTION_OCCURRENCE
    sentence: int
    tokens: tuple[int, ...]  # token positions inside the sentence
    text: str
    cluster: str  # gold cluster id


@dataclass(frozen=True)
class GoldDocument:
    name: str
    topic: int
    subtopic: str
    sentences: dict[int, list[str]]  # sentence number -> tokens (selected sentences only)
    mentions: tuple[GoldMention, ...]


def check_folder(data: Path) -> tuple[Path, Path]:
    archive, listing = data / ARCHIVE, data / SENTENCES
    missing = [p.name for p in (archive, listing) if not p.is_file()]
    if missing:
        raise DataError(
            f"{data}: not an ECB+ folder (missing {', '.join(missing)}). Expected the ECB+ release "
            f"with {ARCHIVE} and {SENTENCES}, e.g. ../shared/eval/ecbplus."
        )
    return archive, listing


def read_selected(listing: Path) -> dict[str, set[int]]:
    """Document name (e.g. '1_10ecbplus') -> the sentence numbers annotated in full."""
    selected: dict[str, set[int]] = {}
    try:
        with listing.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                doc = f"{int(row['Topic'])}_{row['File'].strip()}"
                selected.setdefault(doc, set()).add(int(row["Sentence Number"]))
    except (KeyError, ValueError) as exc:
        raise DataError(
            f"{listing}: expected the columns Topic, File, Sentence Number ({exc})"
        ) from exc
    return selected


def read_documents(data: Path, topics: set[int] | None = None) -> Iterator[GoldDocument]:
    """Every document of the archive (optionally only some topics), in topic and name order."""
    archive, listing = check_folder(data)
    selected = read_selected(listing)
    found: list[tuple[int, int, str, str, bytes]] = []
    try:
        # one sequential pass: seeking back and forth in a gzip stream is slow
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                match = _DOC_NAME.match(Path(member.name).name)
                if not (member.isfile() and match):
                    continue
                topic = int(match.group(1))
                if topics is not None and topic not in topics:
                    continue
                handle = tar.extractfile(member)
                if handle is not None:
                    name = Path(member.name).name[: -len(".xml")]
                    found.append((topic, int(match.group(2)), match.group(3), name, handle.read()))
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DataError(f"{archive}: cannot read the archive ({exc})") from exc
    if not found:
        raise DataError(f"{archive}: no ECB+ documents (<topic>_<n>ecb.xml) inside")
    for topic, _, kind, name, xml in sorted(found, key=lambda f: f[:3]):
        yield parse_document(xml, name, topic, f"{topic}{kind}", selected.get(name, set()))


def parse_document(
    xml: bytes, name: str, topic: int, subtopic: str, sentences: set[int]
) -> GoldDocument:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise DataError(f"{name}.xml: not valid XML ({exc})") from exc
    where: dict[str, tuple[int, int]] = {}  # t_id -> (sentence, position)
    words: dict[int, list[str]] = {}
    for tok in root.iter("token"):
        s, n = int(tok.get("sentence", "0")), int(tok.get("number", "0"))
        where[tok.get("t_id", "")] = (s, n)
        if s in sentences:
            words.setdefault(s, []).append(tok.text or "")

    anchored: dict[str, tuple[str, list[str]]] = {}  # m_id -> (tag, token ids)
    markables = root.find("Markables")
    for el in markables if markables is not None else []:
        anchors = [a.get("t_id", "") for a in el.findall("token_anchor")]
        if anchors:  # elements without anchors are instance descriptors, not mentions
            anchored[el.get("m_id", "")] = (el.tag, anchors)

    cluster_of: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        if rel.tag == "CROSS_DOC_COREF":
            cid = rel.get("note") or f"{name}:X{rel.get('r_id')}"
        elif rel.tag == "INTRA_DOC_COREF":
            cid = f"{name}:I{rel.get('r_id')}"
        else:
            continue
        for src in rel.findall("source"):
            cluster_of[src.get("m_id", "")] = cid

    mentions: list[GoldMention] = []
    for m_id, (tag, anchors) in anchored.items():
        kind = _kind(tag)
        if kind is None or any(a not in where for a in anchors):
            continue
        sent = where[anchors[0]][0]
        if sent not in sentences or any(where[a][0] != sent for a in anchors):
            continue
        positions = tuple(sorted(where[a][1] for a in anchors))
        tokens = words[sent]
        mentions.append(
            GoldMention(
                id=f"{name}#{m_id}",
                doc=name,
                topic=topic,
                subtopic=subtopic,
                kind=kind,
                tag=tag,
                sentence=sent,
                tokens=positions,
                text=" ".join(tokens[p] for p in positions if p < len(tokens)),
                cluster=cluster_of.get(m_id, f"{name}:S{m_id}"),
            )
        )
    mentions.sort(key=lambda m: (m.sentence, m.tokens))
    return GoldDocument(name, topic, subtopic, words, tuple(mentions))


def _kind(tag: str) -> str | None:
    if tag.startswith(EVENT_PREFIXES):
        return "event"
    if tag.startswith(ENTITY_PREFIXES):
        return "entity"
    return None
