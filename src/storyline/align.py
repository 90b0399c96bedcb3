"""align: stories, syndication (who copied whom) and equivalent claims across articles.

Three questions, answered from sentence embeddings plus lexical evidence:

- ``story_groups``: which articles are about the same story (mean sentence vector, shared names);
- ``find_syndication``: which articles share wire copy or rewrite one another (aligned sentence
  pairs: very similar in meaning *and* in wording; several pairs make a shared passage);
- ``align_claims``: which claim mentions say the same thing, and how many independent sources
  carry each claim (copies of one wire story count once).
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz

from .analyse.embed import SentenceVectors, embed
from .analyse.nlp import parse as parse_sentences
from .models import AnalysedArticle, Claim, ClaimMention, Sentence, SyndicationGroup
from .settings import Settings
from .similarity import close_pairs, incidence, shared_items

# --- small text helpers ------------------------------------------------------------------

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into onto over under about as is are
    was were be been being has have had do does did will would shall should can could may might must
    it its this that these those he she they them his her their we our you your i me my mr mrs ms
    dr not no so than then there here also just very more most such which who whom whose what when
    where while after before said says say told according than up out off said""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")


# the only characters whose lower case is or holds an ASCII letter (checked over all of Unicode)
_LOWERS_TO_ASCII = ("\u0130", "\u212a")


def words(text: str) -> list[str]:
    if _LOWERS_TO_ASCII[0] in text or _LOWERS_TO_ASCII[1] in text:
        return [w.lower().strip("'’").replace("’", "'") for w in _WORD.findall(text)]
    # the same words with the text lowered and its apostrophes unified once, not word by word
    found = _WORD.findall(text.lower().replace("’", "'"))
    return [w.strip("'") for w in found] if "'" in text or "’" in text else found


@functools.lru_cache(maxsize=65_536)  # check compares each sentence with many neighbours
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words that carry meaning (no stopwords), with a crude plural strip."""
    out: set[str] = set()
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    toks = words(text)
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def containment(a: str, b: str) -> float:
    """Share of the shorter text's word 3-grams found in the other (1.0 = verbatim inclusion)."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def has_vector(vectors: SentenceVectors, key: tuple[str, int]) -> bool:
    """Whether a sentence was embedded (the pipeline embeds every body sentence)."""
    rows: dict[tuple[str, int], int] = getattr(vectors, "_rows", {})
    return key in rows


def stable_id(prefix: str, keys: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(keys)).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:10]}"


class _UnionFind:
    def __init__(self, items: Iterable[object]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: object) -> object:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> list[list[object]]:
        out: dict[object, list[object]] = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return list(out.values())


# --- stories --------------------------------------------------------------------------------

STORY_SIMILARITY = 0.6
"""Mean-vector cosine above which two articles are one story on that alone. Same story: 0.85-0.95
on the example, 0.41-0.95 over 20 Multi-News clusters; two unrelated stories there reached 0.598."""
STORY_SIMILARITY_WITH_NAMES = 0.4
"""A lower bar when the two articles also share named people, places or organisations."""
STORY_NAME_OVERLAP = 0.1
"""Jaccard overlap of name words that counts as sharing names."""
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})


def _doc_vector(doc: AnalysedArticle, vectors: SentenceVectors) -> np.ndarray | None:
    rows = [
        vectors.row(s.article, s.index)
        for s in doc.sentences
        if has_vector(vectors, (s.article, s.index))
    ]  # type: ignore[attr-defined]
    if not rows:
        return None
    mean = vectors.matrix[rows].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


def _names(doc: AnalysedArticle) -> set[str]:
    """Last word of each name (Kim Jong Un, Mr Kim -> "un"/"kim"; good enough for overlap)."""
    out: set[str] = set()
    for s in doc.sentences:
        for m in s.entities:
            if m.label in NAME_LABELS:
                toks = content_words(m.text)
                out.update(toks)
    return out


def story_groups(
    docs: Sequence[AnalysedArticle], vectors: SentenceVectors, settings: Settings
) -> list[tuple[str, ...]]:
    """Article ids grouped into stories, in input order; a lone article is its own group."""
    ids = [d.article.id for d in docs]
    uf = _UnionFind(ids)
    vecs = [_doc_vector(d, vectors) for d in docs]
    names = [_names(d) for d in docs]
    have = [k for k, v in enumerate(vecs) if v is not None]
    if len(have) >= 2:
        matrix = np.stack([vecs[k] for k in have])  # type: ignore[misc]
        floor = min(STORY_SIMILARITY, STORY_SIMILARITY_WITH_NAMES)
        for xs, ys, sims in close_pairs(matrix, floor):  # one product, not N^2 / 2 dot products
            for x, y, cos in zip(xs.tolist(), ys.tolist(), sims.tolist(), strict=True):
                i, j = have[x], have[y]
                if cos < STORY_SIMILARITY and uf.find(ids[i]) != uf.find(ids[j]):
                    union = names[i] | names[j]
                    overlap = len(names[i] & names[j]) / len(union) if union else 0.0
                    if overlap < STORY_NAME_OVERLAP:
                        continue
                uf.union(ids[i], ids[j])
    order = {a: k for k, a in enumerate(ids)}
    groups = [tuple(sorted((str(a) for a in g), key=order.__getitem__)) for g in uf.groups()]
    return sorted(groups, key=lambda g: order[g[0]])


# --- syndication ------------------------------------------------------------------------------
#
# Copying is judged from aligned sentence pairs, found in one pass over all sentences of the
# story (embedding neighbours in blocks, plus sentences sharing rare word 3-grams), and weighed by
# what a fact-checker takes as proof: a narrative sentence repeated verbatim is copy; the same
# quotation of a spokesman, or a statement one outlet quotes and another prints as its own, is a
# common source rather than copy; a paraphrase only supports other evidence, unless it runs
# through most of the article (a rewrite).

PARAPHRASE_SIMILARITY = 0.85
"""Cosine above which a sentence pair may be a rewrite of shared copy (with lexical support)."""
PARAPHRASE_LEXICAL = 0.25
"""...and at least this much word 3-gram containment or a rapidfuzz token ratio of 70."""
VERBATIM_LEXICAL = 0.6
"""Containment above which a pair is a (near-)verbatim copy."""
EXACT_LEXICAL = 0.95
"""Containment of an exact copy (a stray comma or a spelling aside)."""
MIN_WORDS = 6
"""Shorter sentences (datelines, bylines, headline fragments) are not aligned at all."""
EVIDENCE_WORDS = 10
"""Shorter sentences are aligned but weigh nothing: "X was pronounced dead at Y Hospital" is a
stock phrase two reporters write alike."""
EXACT_WORDS = 12
"""An exact copy of a narrative sentence at least this long is proof of copying on its own."""
LINK_EVIDENCE = 1.5
"""Weight of shared copy two articles need (see ``_weigh``): two verbatim narrative sentences, one
exact long one, or a verbatim one with paraphrases or shared quotations beside it."""
REWRITE_SHARE = 0.5
"""Share of the shorter article's sentences that, paraphrased pair by pair, make a rewrite..."""
REWRITE_MIN = 3
"""...with at least this many pairs."""
QUOTE_WORDS = 20
"""A shared quotation weighs in proportion to its length up to this many words."""
COMMON_SHINGLE = 50
"""A word 3-gram found in more sentences than this is a stock phrase, not a copy candidate."""

_QUOTE_MARK = re.compile(r"[\"“”«»„]")
_OPENING = "“«„"
_CLOSING = "”»"
_SAYS = frozenset({"said", "says", "added", "stated", "confirmed"})


def attributed(text: str) -> bool:
    """Whether a sentence relays a source's statement in its own words: "..., the Navy said.",
    "..., said Captain X.", "..., he told reporters.", "..., according to police.",
    "According to X, ..." (the clause after the last comma names who said it)."""
    if re.match(r"\s*According\s+to\b", text, re.I):
        return True
    clauses = text.strip().rstrip(".!\"”’' ").split(",")
    for k in (1, 2):  # ", said Captain X, chief spokesman." has its speaker one comma back
        if len(clauses) <= k:
            break
        tail = [w.lower().strip("\"“”") for w in clauses[-k].split()]
        tail = [w for w in tail if w]
        if 1 <= len(tail) <= 8 and (
            tail[-1] in _SAYS
            or tail[0] in _SAYS
            or tail[:2] == ["according", "to"]
            or (len(tail) >= 2 and tail[-2] == "told")
        ):
            return True
    return False


@dataclass(frozen=True)
class SharedPair:
    """Two sentences, one per article, that are the same copy (verbatim or rewritten).

    ``framing``: "narrative" when both articles print the text as their own, "relayed" when one
    quotes or attributes what the other prints as its own, "quote" when both quote it.
    ``weight``: the evidence of copying the pair gives (``_weigh``)."""

    a: int
    b: int
    similarity: float
    verbatim: bool
    framing: str = "narrative"
    weight: float = 1.0


@dataclass(frozen=True)
class _Line:
    """One alignable sentence: where it is, its word 3-grams and which of them are quoted."""

    sentence: Sentence
    row: int
    words: int
    grams: dict[tuple[str, ...], bool]  # word 3-gram -> inside quotation marks
    gram_ids: np.ndarray  # the grams' numbers in the story's vocabulary (_StoryMemo.grams)
    quoted: float  # share of the sentence's words inside quotation marks
    attributed: bool


def shared_pairs(
    a: AnalysedArticle, b: AnalysedArticle, vectors: SentenceVectors, settings: Settings
) -> list[SharedPair]:
    """One-to-one sentence alignment of two articles, keeping only copy-like pairs."""
    return _shared_by_pair([a, b], vectors, settings).get((0, 1), [])


def _shared_by_pair(
    docs: Sequence[AnalysedArticle], vectors: SentenceVectors, settings: Settings
) -> dict[tuple[int, int], list[SharedPair]]:
    """Copy-like sentence pairs of every two articles (doc indices i < j), one pass over all."""
    memo = _memo(vectors)
    lines: list[_Line] = []
    owner: list[int] = []  # the doc index of each line
    for k, d in enumerate(docs):
        mine = memo.lines_of(d, vectors)
        lines.extend(mine)
        owner.extend([k] * len(mine))
    found: dict[tuple[int, int], list[tuple[float, int, int, bool, float]]] = defaultdict(list)
    for x, y, sim in _candidates(lines, owner, vectors, settings):
        lx, ly = lines[x], lines[y]
        ta, tb = lx.sentence.text, ly.sentence.text
        cont = _containment(lx.grams, ly.grams)
        ratio = fuzz.token_sort_ratio(ta, tb) / 100.0
        verbatim = cont >= VERBATIM_LEXICAL or (ratio >= 0.9 and sim >= PARAPHRASE_SIMILARITY)
        if (
            verbatim
            or (sim >= settings.copy_threshold and ratio >= 0.6)
            or (sim >= PARAPHRASE_SIMILARITY and (cont >= PARAPHRASE_LEXICAL or ratio >= 0.7))
        ):
            found[(owner[x], owner[y])].append((sim + cont, x, y, verbatim, sim))
    out: dict[tuple[int, int], list[SharedPair]] = {}
    for key, candidates in found.items():
        # Greedy one-to-one: each sentence is the copy of at most one sentence of the other.
        used: set[int] = set()
        pairs = []
        for _score, x, y, verbatim, sim in sorted(candidates, reverse=True):
            if x in used or y in used:
                continue
            used.update((x, y))
            framing, weight = _weigh(lines[x], lines[y], verbatim)
            pairs.append(
                SharedPair(
                    lines[x].sentence.index, lines[y].sentence.index, sim, verbatim, framing, weight
                )
            )
        out[key] = sorted(pairs, key=lambda p: (p.a, p.b))
    return out


# --- one story's lines and embedding pairs, shared by align's passes over it ---------------


@dataclass
class _StoryMemo:
    """What align's passes over one story share. ``find_syndication`` reads every article's
    lines and the embedding pairs among them; ``align_claims`` reads the lines of each syndication
    group again (a wire story carried by 100 sites is one group), and a group's pairs are the
    story's pairs between its lines (``close_pairs``' cosines depend on the two vectors alone)."""

    # by the article's identity (the same objects reach both passes), the article kept alive
    # with its lines so that its id() is not reused for another
    lines: dict[int, tuple[AnalysedArticle, list[_Line]]] = field(default_factory=dict)
    grams: dict[tuple[str, ...], int] = field(default_factory=dict)  # word 3-gram -> number
    # floor -> (rows covered, row a, row b, cosine) of the widest pass made at that floor
    pairs: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict
    )

    def lines_of(self, doc: AnalysedArticle, vectors: SentenceVectors) -> list[_Line]:
        hit = self.lines.get(id(doc))
        if hit is None:
            hit = self.lines[id(doc)] = (doc, _lines(doc, vectors, self.grams))
        return hit[1]


# keyed by the story's vectors (compared by identity): gone with them when the brief is done
_MEMOS: weakref.WeakKeyDictionary[SentenceVectors, _StoryMemo] = weakref.WeakKeyDictionary()


def _memo(vectors: SentenceVectors) -> _StoryMemo:
    memo = _MEMOS.get(vectors)
    if memo is None:
        memo = _MEMOS[vectors] = _StoryMemo()
    return memo


def _lines(
    doc: AnalysedArticle, vectors: SentenceVectors, vocabulary: dict[tuple[str, ...], int]
) -> list[_Line]:
    out = []
    for sentence, mask in zip(doc.sentences, _quotation_masks(doc.sentences), strict=True):
        toks = words(sentence.text)
        if len(toks) < MIN_WORDS or not has_vector(vectors, (sentence.article, sentence.index)):
            continue
        trigrams = zip(toks, toks[1:], toks[2:], strict=False)  # shorter by two
        grams: dict[tuple[str, ...], bool]
        if not any(mask) or all(mask):  # most sentences: no word quoted, or every word
            grams = dict.fromkeys(trigrams, bool(mask) and mask[0])
        else:  # a gram is quoted when each time it occurs all three words are
            grams = {}
            for i, gram in enumerate(trigrams):
                grams[gram] = grams.get(gram, True) and all(mask[i : i + 3])
        ids = [vocabulary.setdefault(gram, len(vocabulary)) for gram in grams]
        out.append(
            _Line(
                sentence,
                vectors.row(sentence.article, sentence.index),
                len(toks),
                grams,
                np.asarray(ids, dtype=np.int64),
                sum(mask) / len(mask),
                attributed(sentence.text),
            )
        )
    return out


def _quotation_masks(sentences: Sequence[Sentence]) -> list[list[bool]]:
    """For each sentence, which of its ``words`` stand inside quotation marks.

    A quotation may run over several sentences: a sentence that opens one without closing it
    carries it into the next, and a quotation mark opening a sentence opens (or continues) one.
    A sentence without any mark is inside only when the next one closes the quotation, so one
    stray mark does not turn the rest of an article into a quotation."""
    masks = []
    inside = False
    for k, s in enumerate(sentences):
        marks = list(_QUOTE_MARK.finditer(s.text))
        if not marks:
            nxt = sentences[k + 1].text if k + 1 < len(sentences) else ""
            first = _QUOTE_MARK.search(nxt)
            inside = (
                inside
                and first is not None
                and bool(nxt[: first.start()].strip())
                and first.group() not in _OPENING
            )
            masks.append([inside] * len(_WORD.findall(s.text)))
            continue
        changes = []  # (position, state after the mark)
        state = inside
        for m in marks:
            ch = m.group()
            if not s.text[: m.start()].strip() or ch in _OPENING:
                state = True
            elif ch in _CLOSING:
                state = False
            else:
                state = not state
            changes.append((m.start(), state))
        mask = []
        for w in _WORD.finditer(s.text):
            at = inside
            for pos, st in changes:
                if pos < w.start():
                    at = st
            mask.append(at)
        masks.append(mask)
        inside = state
    return masks


def _candidates(
    lines: Sequence[_Line], owner: Sequence[int], vectors: SentenceVectors, settings: Settings
) -> list[tuple[int, int, float]]:
    """Line pairs (x < y, two articles) worth comparing: embedding neighbours found block by
    block over all lines at once, and lines sharing rare word 3-grams (verbatim copies whose
    cosine a swapped name or an added clause has lowered). ``owner``: each line's article."""
    if len(lines) < 2:
        return []
    rows = np.asarray([line.row for line in lines], dtype=np.int64)
    docs = np.asarray(owner, dtype=np.int64)
    floor = min(PARAPHRASE_SIMILARITY, settings.copy_threshold)
    xs, ys, sims = _embedding_pairs(rows, vectors, floor)
    keep = docs[xs] != docs[ys]  # two articles
    pairs = dict(
        zip(zip(xs[keep].tolist(), ys[keep].tolist(), strict=True), sims[keep].tolist(), strict=True)
    )
    xs, ys = _rare_gram_pairs(lines, docs)
    matrix = vectors.matrix
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        if (x, y) not in pairs:
            pairs[(x, y)] = float(matrix[rows[x]] @ matrix[rows[y]])
    # doc order inside each pair: the lower doc index first
    return [
        (x, y, s) if owner[x] < owner[y] else (y, x, s) for (x, y), s in sorted(pairs.items())
    ]


def _embedding_pairs(
    rows: np.ndarray, vectors: SentenceVectors, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, cosine) with x < y of the lines (vector ``rows``) at least ``floor`` apart: read
    from a pass the story made over a superset of these rows, else one pass (``close_pairs``)."""
    memo = _memo(vectors)
    hit = memo.pairs.get(floor)
    distinct = len(set(rows.tolist())) == len(rows)
    if hit is not None and distinct and hit[0][rows].all():
        _, ra, rb, cos = hit
        at = np.full(len(vectors.matrix), -1, dtype=np.int64)
        at[rows] = np.arange(len(rows))
        xa, xb = at[ra], at[rb]
        keep = (xa >= 0) & (xb >= 0)
        xa, xb = xa[keep], xb[keep]
        return np.minimum(xa, xb), np.maximum(xa, xb), cos[keep]
    found = list(close_pairs(vectors.matrix[rows], floor))
    xs = np.concatenate([f[0] for f in found])
    ys = np.concatenate([f[1] for f in found])
    sims = np.concatenate([f[2] for f in found])
    if distinct and (hit is None or hit[0].sum() < len(rows)):
        covered = np.zeros(len(vectors.matrix), dtype=bool)
        covered[rows] = True
        memo.pairs[floor] = (covered, rows[xs], rows[ys], sims)
    return xs, ys, sims


def _rare_gram_pairs(lines: Sequence[_Line], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line pairs (x < y, two articles) sharing at least 3 word 3-grams that no more than
    ``COMMON_SHINGLE`` of these lines hold: one sparse product of lines by rare grams."""
    ids = [line.gram_ids for line in lines]
    cols = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    at = np.repeat(np.arange(len(lines)), [len(i) for i in ids])
    rare = np.bincount(cols)[cols] <= COMMON_SHINGLE
    xs, ys, count = shared_items(incidence(at[rare], cols[rare], len(lines), int(cols.max(initial=0)) + 1))
    keep = (count >= 3) & (docs[xs] != docs[ys])
    return xs[keep], ys[keep]


def _containment(a: dict[tuple[str, ...], bool], b: dict[tuple[str, ...], bool]) -> float:
    if not a or not b:
        return 0.0
    return len(a.keys() & b.keys()) / min(len(a), len(b))


def _weigh(x: _Line, y: _Line, verbatim: bool) -> tuple[str, float]:
    """How the pair is framed in the two articles and what it proves about copying."""
    common = x.grams.keys() & y.grams.keys()
    if common:
        quoted_x = sum(x.grams[g] for g in common) >= 0.5 * len(common)
        quoted_y = sum(y.grams[g] for g in common) >= 0.5 * len(common)
    else:
        quoted_x, quoted_y = x.quoted >= 0.5, y.quoted >= 0.5
    # a statement one article attributes (", the Navy said") and the other prints as its own
    quoted_x = quoted_x or (x.attributed and not y.attributed)
    quoted_y = quoted_y or (y.attributed and not x.attributed)
    framing = (
        "quote" if quoted_x and quoted_y else "relayed" if quoted_x or quoted_y else "narrative"
    )
    shortest = min(x.words, y.words)
    if shortest < EVIDENCE_WORDS:
        return framing, 0.0
    if not verbatim:
        return framing, 0.25 if framing == "quote" else 0.5
    if framing == "quote":
        return framing, 0.5 * min(1.0, shortest / QUOTE_WORDS)
    if framing == "relayed":
        return framing, 0.5
    exact = _containment(x.grams, y.grams) >= EXACT_LEXICAL and shortest >= EXACT_WORDS
    return framing, 1.5 if exact else 1.0


# Where an article says whose copy it is. Photo credits ("(KCNA via Reuters)") are not text origin,
# and "a source told Reuters" is attribution, not origin, so only these shapes count.
AGENCIES = {
    "reuters": "Reuters",
    "yonhap": "Yonhap",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "the new york times": "The New York Times",
    "new york times": "The New York Times",
}
_AGENCY = r"(Reuters|Yonhap|AP|Associated Press|AFP|The New York Times|New York Times)"
ORIGIN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[A-Z][A-Za-z./, -]{1,60}\(" + _AGENCY + r"\)\s*[-–—:]?", re.M), "dateline"),
    (re.compile(r"^\(" + _AGENCY + r"\)\s*$", re.M), "credit line"),
    (re.compile(r"^\s*[—–-]\s*" + _AGENCY + r"\s*$", re.M), "sign-off"),
    (re.compile(_AGENCY + r" contributed to this report", re.I), "contribution note"),
    (re.compile(r"\(Reporting by [^)]*\b" + _AGENCY + r"\b", re.I), "reporting credit"),
    (re.compile(r"Thomson (Reuters) Trust Principles"), "standards note"),
)


@dataclass(frozen=True)
class Origin:
    agency: str  # "Reuters"
    evidence: str  # 'dateline "SEOUL/MOSCOW (Reuters) –"'
    whole: bool  # True when the whole article is that agency's copy, False for a post or a share


def article_origin(doc: AnalysedArticle) -> Origin | None:
    """The wire agency an article says it carries, from its dateline or credit lines.

    A sign-off ("— Reuters") on a live-blog post marks that post only (``whole`` False), as does
    "Reuters contributed to this report".
    """
    texts = (doc.article.text, *(r.text for r in doc.article.removed))
    return _origin(texts, bool(doc.article.posts))


@functools.lru_cache(maxsize=4096)  # syndication and claims ask for every article's origin
def _origin(texts: tuple[str, ...], posts: bool) -> Origin | None:
    found: list[Origin] = []
    for pattern, kind in ORIGIN_PATTERNS:
        for text in texts:
            m = pattern.search(text)
            if m:
                agency = AGENCIES[m.group(1).lower()]
                whole = kind in ("dateline", "credit line", "reporting credit", "standards note")
                if kind == "sign-off" and not posts:
                    whole = True
                found.append(Origin(agency, f'{kind} "{m.group(0).strip()}"', whole))
                break
    if not found:
        return None
    found.sort(key=lambda o: not o.whole)  # whole-article evidence first, in pattern order
    return found[0]


def find_syndication(
    docs: Sequence[AnalysedArticle], vectors: SentenceVectors, settings: Settings
) -> list[SyndicationGroup]:
    """Groups of two or more articles that share copy, with kind, origin and shared sentences.

    kind: "copy" when most of the shorter article is (near-)verbatim the other's, "rewrite" when
    most of it is paraphrased from the other, "shared-wire" when both carry passages of the same
    copy. Two independent reports of one event share facts, not sentences, so they are not linked;
    nor are two articles that only quote the same spokesman. Articles linked to one another
    through a third (two sites each carrying part of one wire story) form one group.
    """
    pairs = _linked_pairs(docs, vectors, settings)
    if not pairs:
        return []
    by_id = {d.article.id: d for d in docs}
    order = {d.article.id: k for k, d in enumerate(docs)}
    uf = _UnionFind([a for p in pairs for a in p])
    for a, b in pairs:
        uf.union(a, b)
    out = []
    for members in uf.groups():
        ids = tuple(sorted((str(m) for m in members), key=order.__getitem__))
        inner = {k: v for k, v in pairs.items() if k[0] in ids}
        kinds = {_pair_kind(by_id[a], by_id[b], shared) for (a, b), shared in inner.items()}
        kind = (
            "copy"
            if kinds == {"copy"}
            else "rewrite"
            if kinds <= {"copy", "rewrite"}
            else "shared-wire"
        )
        origins = [o for o in (article_origin(by_id[a]) for a in ids) if o]
        origins.sort(key=lambda o: not o.whole)
        out.append(
            SyndicationGroup(
                articles=ids,
                kind=kind,  # type: ignore[arg-type]
                origin=origins[0].agency if origins else None,
                shared_sentences=sum(len(s) for s in inner.values()),
            )
        )
    return sorted(out, key=lambda g: order[g.articles[0]])


def _linked_pairs(
    docs: Sequence[AnalysedArticle], vectors: SentenceVectors, settings: Settings
) -> dict[tuple[str, str], list[SharedPair]]:
    out = {}
    alignable: dict[int, int] = {}  # per article, not per pair: a story has N^2 / 2 pairs
    for (i, j), shared in sorted(_shared_by_pair(docs, vectors, settings).items()):
        for k in (i, j):
            if k not in alignable:
                alignable[k] = _alignable(docs[k])
        if _copied(shared, min(alignable[i], alignable[j])):
            out[(docs[i].article.id, docs[j].article.id)] = shared
    return out


def _copied(shared: list[SharedPair], shorter: int) -> bool:
    """Whether the shared pairs prove that one article copies the other or both one text.
    ``shorter``: the fewer alignable sentences of the two articles."""
    weighed = [p for p in shared if p.weight > 0]
    evidence = sum(p.weight for p in weighed)
    if (
        evidence >= LINK_EVIDENCE
        and any(p.verbatim for p in weighed)
        and any(p.framing != "quote" for p in weighed)
    ):
        return True
    # a rewrite shares many facts in changed wording; quotations both carry prove nothing about
    # copying (every outlet quotes the same spokesman), so they do not count towards it
    told = [p for p in weighed if p.framing != "quote"]
    return len(told) >= max(REWRITE_MIN, REWRITE_SHARE * shorter)


def _alignable(doc: AnalysedArticle) -> int:
    return sum(len(_WORD.findall(s.text)) >= MIN_WORDS for s in doc.sentences)  # len(words())


def _pair_kind(a: AnalysedArticle, b: AnalysedArticle, shared: list[SharedPair]) -> str:
    shorter = max(1, min(len(a.sentences), len(b.sentences)))
    coverage = len(shared) / shorter
    verbatim = sum(p.verbatim for p in shared) / len(shared)
    if coverage >= 0.7 and verbatim >= 0.7:
        return "copy"
    if coverage >= 0.5:
        return "rewrite"
    return "shared-wire"


# --- claims ---------------------------------------------------------------------------------

SAME_CLAIM = 0.82
"""Evidence-adjusted score two mentions need to be one claim. The score is the embedding cosine
plus lexical support, minus disagreements (see ``_pair_score``). Topic-level similarity (two
sentences about the arms talks, the trip, the sanctions) reaches cosine 0.6-0.8 on the example,
so the cosine alone is no proof; tuned on tests/fixtures/align/claim_pairs.json for precision."""
SUPPORT_WEIGHT = 0.06
"""Added per shared *content* stem, weighted by its IDF over the story's mentions (1.0 for a
rare word; names and reporting verbs excluded): the predicate and its objects ("arrive",
"warn", "pay price", "artillery shells") are what makes two sentences one proposition."""
SUPPORT_CAP = 3.0
"""Lexical support counts up to about three rare words (+0.18): long shared passages are near in
cosine already."""
NAME_WEIGHT = 0.5
"""Shared names (people, places, organisations) count half as much as shared content: they say
who and where, not what happened; IDF keeps the story's ever-present names (Kim, Putin) cheap."""
SAME_DAY_BONUS = 0.1
"""Added when both mentions resolve a date expression to the same day ("on Tuesday")."""
DATE_PENALTY = 0.1
"""Taken off when both are dated and no day or year agrees (the 2019 summit vs this week's)."""
MODALITY_PENALTY = 0.1
"""Taken off when one main predicate is a fact (crossed, said) and the other a prospect (will
meet, is set to, expected, may): the announcement of a trip does not corroborate the trip."""
UNCERTAIN_PENALTY = 0.06
"""Taken off when one mention is speculation or allegation ("appeared to", "it was speculated")
and the other is stated as fact: a guess does not corroborate a report."""
_CLAIM_NAME_LABELS = NAME_LABELS | {"NORP"}
_UNCERTAIN = frozenset({"speculative", "alleged"})
_FACTUAL = frozenset({"asserted", "reported"})
DENIAL_PENALTY = 0.12
"""Taken off when one mention denies what the other states: that is a conflict, not support."""
NUMBER_PENALTY = 0.1
"""Taken off when both mentions carry numbers and none agree."""
_REPORTING = frozenset(
    """say tell report add confirm claim quote cite note announce state warn""".split()
)
_MODAL = frozenset("will would could may might shall can should".split())
_PROSPECT = frozenset("expect set plan likely hope speculate predict intend aim prepare".split())
_REPORTING_WORDS = frozenset(
    """say said says tell told report reported reports according cite cited citing claim
    claimed quote quoted add added media agency newspaper""".split()
)
_ARRIVAL = re.compile(
    r"\b(?:cross(?:ed|es|ing)? into|enter(?:ed|s|ing)?|reach(?:ed|es|ing)?)\b", re.I
)
"""Ways of saying that someone arrived in a place ("crossed into Russia" = "arrived in Russia");
only "crossed *into*": crossing a bridge is not an arrival."""


def align_claims(
    docs: Sequence[AnalysedArticle],
    mentions: Sequence[ClaimMention],
    vectors: SentenceVectors,
    syndication: Sequence[SyndicationGroup],
    settings: Settings,
    groups: Sequence[tuple[str, ...]] = (),
) -> list[Claim]:
    """Equivalent claim mentions across articles grouped into claims, with independent sources.

    Two mentions are one claim when a fact-checker would count one as corroborating the other:
    close in meaning (cosine at least ``settings.align_threshold``) *and* sharing the core
    proposition (content words beyond the names, the same modality, agreeing dates and numbers;
    see ``_pair_score``), from different articles of the same story group. Clusters use complete
    linkage: every two mentions of a claim must pass, so a loose pair cannot chain two claims.
    """
    if not mentions:
        return []
    sentences = {(s.article, s.index): s for d in docs for s in d.sentences}
    group_of = {a: k for k, g in enumerate(groups) for a in g}
    next_group = len(groups)
    for d in docs:
        if d.article.id not in group_of:
            group_of[d.article.id] = next_group
            next_group += 1
    mvecs = _mention_vectors(mentions, sentences, vectors, settings)
    modalities = _modalities(mentions)
    features = [
        _features(m, sentences.get((m.article, m.sentence)), modalities[k])
        for k, m in enumerate(mentions)
    ]

    by_group: dict[int, list[int]] = defaultdict(list)
    for k, m in enumerate(mentions):
        by_group[group_of.get(m.article, -1 - k)].append(k)

    copies = _copy_sentences(docs, vectors, syndication, settings)
    originals = {d.article.id for d in docs if (o := article_origin(d)) and o.whole}
    doc_order = {d.article.id: k for k, d in enumerate(docs)}
    claims: list[tuple[tuple[int, int, int], Claim]] = []
    for members in by_group.values():
        for cluster in _cluster(members, mentions, mvecs, features, settings.align_threshold):
            ms = sorted(
                (mentions[k] for k in cluster),
                key=lambda m: (doc_order.get(m.article, 1 << 30), m.sentence),
            )
            sources = independent_sources(ms, copies)
            first = ms[0]
            claim = Claim(
                id=stable_id("c-", (f"{m.article}:{m.sentence}:{m.text}" for m in ms)),
                text=_clearest(ms, originals),
                status="corroborated" if sources >= 2 else "single-source",
                independent_sources=sources,
                mentions=tuple(ms),
            )
            claims.append(
                ((-sources, doc_order.get(first.article, 1 << 30), first.sentence), claim)
            )
    claims.sort(key=lambda x: x[0])
    return [c for _, c in claims]


def independent_sources(
    mentions: Sequence[ClaimMention], copies: dict[tuple[str, str], set[tuple[int, int]]]
) -> int:
    """Articles carrying a claim, where two articles count once when the claim's sentences are
    part of the copy they share (e.g. one Reuters passage republished by two sites).

    ``copies`` maps an article pair (in either order) to its shared sentence pairs.
    Attribution in the text ("a source told Reuters") is not used: only shared copy merges
    sources, so two outlets that each cite Reuters in their own words still count twice.
    """
    articles = sorted({m.article for m in mentions})
    uf = _UnionFind(articles)
    sents: dict[str, set[int]] = defaultdict(set)
    for m in mentions:
        sents[m.article].add(m.sentence)
    for i, a in enumerate(articles):
        for b in articles[i + 1 :]:
            shared = copies.get((a, b))
            if shared and any(x in sents[a] and y in sents[b] for x, y in shared):
                uf.union(a, b)
    return len(uf.groups())


def _copy_sentences(
    docs: Sequence[AnalysedArticle],
    vectors: SentenceVectors,
    syndication: Sequence[SyndicationGroup],
    settings: Settings,
) -> dict[tuple[str, str], set[tuple[int, int]]]:
    """Shared sentence pairs of every two articles in one syndication group, both orders.

    One similarity pass over each group's sentences (not one per article pair: a wire story
    carried by 100 sites is 4,950 pairs)."""
    by_id = {d.article.id: d for d in docs}
    out: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for group in syndication:
        members = [by_id[a] for a in group.articles if a in by_id]
        found = _shared_by_pair(members, vectors, settings)
        for i, a in enumerate(members):
            for j in range(i + 1, len(members)):
                b = members[j]
                pairs = found.get((i, j), [])
                out[(a.article.id, b.article.id)] = {(p.a, p.b) for p in pairs}
                out[(b.article.id, a.article.id)] = {(p.b, p.a) for p in pairs}
    return out


@dataclass(frozen=True)
class _Features:
    stems: frozenset[str]
    names: frozenset[str]
    people: frozenset[str]
    numbers: frozenset[float]
    years: frozenset[str]
    days: frozenset[str]
    hedge: str
    modality: str


# imports in ms (NLTK takes seconds); memoised: a story repeats the same few thousand words
_STEM = functools.lru_cache(maxsize=65_536)(snowballstemmer.stemmer("porter").stemWord)


def _features(m: ClaimMention, sentence: Sentence | None, modality: str) -> _Features:
    """What a mention asserts, beyond its embedding: content stems outside names, dates, numbers."""
    numbers: set[float] = set()
    years: set[str] = set()
    days: set[str] = set()
    names: set[str] = set()
    people: set[str] = set()
    text = m.text
    if sentence is not None and (m.text in sentence.text or sentence.text in m.text):
        lo = sentence.text.find(m.text) if m.text in sentence.text else 0
        hi = lo + len(m.text) if m.text in sentence.text else len(sentence.text)
        # Names say who and where, dates when: the embedding and the date checks weigh those;
        # the support must come from what is said, so entity and time spans are blanked out.
        chars = list(sentence.text)
        spans = [(e.start, e.end) for e in sentence.entities]
        spans += [(t.start, t.end) for t in sentence.times]
        for start, end in spans:
            if start >= lo and end <= hi:
                chars[start:end] = " " * (end - start)
        for e in sentence.entities:
            if e.label in _CLAIM_NAME_LABELS and e.start >= lo and e.end <= hi:
                names.update(content_words(e.text))
                if e.label == "PERSON":
                    people.update(content_words(e.text))
        text = "".join(chars)[lo:hi]
        for q in sentence.quantities:
            if q.start >= lo and q.end <= hi:
                numbers.add(round(q.value, 3))
        for t in sentence.times:
            if t.start >= lo and t.end <= hi:
                years.add(t.value[:4])
                if t.precision == "day":
                    days.add(t.value)
    stems = set()
    for w in content_words(_ARRIVAL.sub("arrived in", text)):
        if w in _REPORTING_WORDS or w[0].isdigit():
            continue
        stem = _STEM(w)
        stems.add(stem)
    return _Features(
        frozenset(stems),
        frozenset(names),
        frozenset(people),
        frozenset(numbers),
        frozenset(years),
        frozenset(days),
        m.hedge,
        modality,
    )


def _modalities(mentions: Sequence[ClaimMention]) -> list[str]:
    """Whether each mention states a "fact" or a "prospect", judged from its main predicate, past
    a reporting verb (in "X said Kim will visit" the predicate is "visit", a prospect). A parse,
    not the mention's hedge: "Kim crossed into Russia, with talks expected to ..." is a fact."""
    # a reprinted sentence is one parse and one answer: judged once per distinct text; whole
    # sentences reuse analyse's parse, and a part of one is parsed without entities (unused here)
    texts = list(dict.fromkeys(m.text for m in mentions))
    judged = {
        text: _modality(doc)
        for text, doc in zip(texts, parse_sentences(texts, entities=False), strict=True)
    }
    return [judged[m.text] for m in mentions]


def _modality(doc: Any) -> str:
    from spacy.attrs import DEP  # spaCy is imported on first use, as ``analyse.nlp`` does

    # the first ROOT read off the dependency array: a loop over the tokens made a Python Token
    # of each (about 3x the time of this whole judgement, 6,356 texts at N=200)
    roots = np.flatnonzero(doc.to_array(DEP) == doc.vocab.strings["ROOT"])
    if not len(roots):
        return "fact"
    root = doc[int(roots[0])]
    for _ in range(2):
        comps = [c for c in root.children if c.dep_ in ("ccomp", "xcomp")]
        if root.lemma_ in _REPORTING and comps:
            root = comps[0]
    prospect = (
        root.lemma_ in _PROSPECT
        or any(c.dep_ == "aux" and c.lemma_ in _MODAL for c in root.children)
        or any(c.dep_ in ("acomp", "xcomp") and c.lemma_ in _PROSPECT for c in root.children)
    )
    return "prospect" if prospect else "fact"


def _idf(feats: Sequence[_Features], members: Sequence[int]) -> dict[str, float]:
    """Inverse document frequency of stems and names over one story group's mentions, in [0, 1]."""
    df: dict[str, int] = defaultdict(int)
    for k in members:
        for w in feats[k].stems | feats[k].names:
            df[w] += 1
    # Scaled to 1.0 for a word only one mention has, so that the support weights mean the same
    # in a two-article story as in a twenty-article one.
    n = len(members)
    top = float(np.log((n + 1) / 1.5))
    return {w: max(0.0, float(np.log((n + 1) / (c + 0.5)))) / top for w, c in df.items()}


def _mention_vectors(
    mentions: Sequence[ClaimMention],
    sentences: dict[tuple[str, int], Sentence],
    vectors: SentenceVectors,
    settings: Settings,
) -> np.ndarray:
    """The sentence's vector when the mention is the whole sentence, else the mention embedded."""
    out = np.zeros(
        (len(mentions), vectors.matrix.shape[1] if vectors.matrix.size else 384), dtype=np.float32
    )
    todo = []
    for k, m in enumerate(mentions):
        s = sentences.get((m.article, m.sentence))
        if (
            s is not None
            and m.text.strip() == s.text.strip()
            and has_vector(vectors, (m.article, m.sentence))
        ):  # type: ignore[attr-defined]
            out[k] = vectors[(m.article, m.sentence)]
        else:
            todo.append(k)
    if todo:
        out[todo] = embed([mentions[k].text for k in todo], batch_size=settings.batch_size)
    return out


def _pair_score(
    i: int, j: int, mvecs: np.ndarray, feats: list[_Features], idf: dict[str, float]
) -> float:
    """Cosine, plus support from shared content and the same day, minus disagreements."""
    fi, fj = feats[i], feats[j]
    cos = float(mvecs[i] @ mvecs[j])
    denial = "denied" in (fi.hedge, fj.hedge) and fi.hedge != fj.hedge
    if cos >= PARAPHRASE_SIMILARITY and not denial:
        return cos  # a near-paraphrase needs no further evidence
    support = sum(idf.get(w, 0.0) for w in fi.stems & fj.stems)
    support += NAME_WEIGHT * sum(idf.get(w, 0.0) for w in fi.names & fj.names)
    score = cos + SUPPORT_WEIGHT * min(support, SUPPORT_CAP)
    if fi.days & fj.days:
        score += SAME_DAY_BONUS
    elif (fi.days and fj.days) or (fi.years and fj.years and not fi.years & fj.years):
        score -= DATE_PENALTY
    if fi.modality != fj.modality:
        score -= MODALITY_PENALTY
    if (fi.hedge in _UNCERTAIN and fj.hedge in _FACTUAL) or (
        fj.hedge in _UNCERTAIN and fi.hedge in _FACTUAL
    ):
        score -= UNCERTAIN_PENALTY
    if denial:
        score -= DENIAL_PENALTY
    if fi.numbers and fj.numbers and not (fi.numbers & fj.numbers):
        score -= NUMBER_PENALTY
    return score


def _cluster(
    members: list[int],
    mentions: Sequence[ClaimMention],
    mvecs: np.ndarray,
    feats: list[_Features],
    min_cosine: float,
) -> list[list[int]]:
    """Greedy complete-linkage clustering, best pairs first: two clusters merge only when every
    cross pair scores ``SAME_CLAIM`` (so A~B and B~C never put A with C unless A~C), and a claim
    holds at most one mention per article (one article repeating itself stays two claims)."""
    scores: dict[tuple[int, int], float] = {}
    candidates = []
    idf = _idf(feats, members)
    sub = mvecs[members]
    for xs, ys, _ in close_pairs(sub, min_cosine):  # in row blocks: memory stays small
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            i, j = members[x], members[y]
            if i >= j or mentions[i].article == mentions[j].article:
                continue
            s = _pair_score(i, j, mvecs, feats, idf)
            if s >= SAME_CLAIM:
                scores[(i, j)] = s
                candidates.append((s, i, j))
    cluster_of = {k: k for k in members}
    clusters: dict[int, list[int]] = {k: [k] for k in members}

    for _, i, j in sorted(candidates, reverse=True):
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        if {mentions[x].article for x in clusters[ci]} & {
            mentions[y].article for y in clusters[cj]
        }:
            continue
        if any((min(x, y), max(x, y)) not in scores for x in clusters[ci] for y in clusters[cj]):
            continue
        clusters[ci].extend(clusters[cj])
        for k in clusters.pop(cj):
            cluster_of[k] = ci
    return list(clusters.values())


def _clearest(ms: Sequence[ClaimMention], originals: set[str]) -> str:
    """The wording shown for a claim: from an article that names itself the origin if any,
    else the shortest mention that is still a full statement (8+ words), else the longest."""
    full = [m for m in ms if len(m.text.split()) >= 8]
    pool = [m for m in full if m.article in originals] or full
    if pool:
        return min(pool, key=lambda m: len(m.text)).text
    return max(ms, key=lambda m: len(m.text)).text
