"""``storyline eval coref``: cross-document event and entity coreference on ECB+.

Setup, stated so the numbers can be compared:
- gold mentions, only in the sentences of ``ECBplus_coreference_sentences.csv``;
- events = ACTION_* and NEG_ACTION_* mentions; entities = HUMAN_PART_*, NON_HUMAN_PART_*, LOC_*
  and TIME_* mentions;
- mentions are clustered within each sub-topic (the ``ecb`` and the ``ecbplus`` documents of a
  topic, i.e. gold document clustering); scores are computed over all mentions of all topics at
  once, singletons included (MUC, B3, CEAF-e and their mean, the CoNLL F1);
- the same-head-lemma baseline puts mentions whose syntactic head has the same spaCy lemma into
  one cluster (within the sub-topic);
- storyline links two mentions when their head lemmas are equal (for entities also: names that
  ``storyline.link`` would merge, e.g. "Lohan" / "Lindsay Lohan"), or when their head lemmas are
  related (MiniLM cosine of the lemmas) AND their sentences are similar (MiniLM cosine, the align
  stage's signal) or share arguments (entity/time/place heads and named entities of the
  sentence); the links are clustered agglomeratively (average or single linkage). The cut-offs
  and the linkage are chosen on topics 1-10, then applied to all topics 1-35 (which include the
  tuning topics: a development figure, not a held-out one).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..link import names_compatible
from . import EvalResult
from .corefmetrics import conll
from .ecbplus import GoldDocument, GoldMention, read_documents

METRICS = ["MUC F1", "B3 F1", "CEAF-e F1", "CoNLL F1"]
TUNE_TOPICS = set(range(1, 11))

Progress = Callable[[str], None]


@dataclass
class _Features:
    """What the scorer knows about one mention."""

    mention: GoldMention
    lemma: str
    pronoun: bool
    sentence_row: int  # row in the sentence-embedding matrix
    lemma_row: int  # row in the lemma-embedding matrix
    arguments: frozenset[str] = field(default_factory=frozenset)
    proper: bool = False


@dataclass(frozen=True)
class Params:
    """One setting of the pair rule and the clustering.

    Two mentions are linked when their heads have the same lemma (for entities: or compatible
    names), or when their head lemmas are related (embedding cosine >= ``lemma_sim``) AND their
    sentences are similar (cosine >= ``context``) or share arguments (Jaccard >= ``arguments``).
    Clusters then merge while the share of linked pairs between them is at least ``threshold``
    (average linkage) or while any pair is linked (single linkage).
    """

    lemma_sim: float
    context: float
    arguments: float  # above 1: arguments unused
    threshold: float
    linkage: str = "average"


def run(
    data: Path,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> EvalResult:
    """Score event and entity coreference on the ECB+ topics in ``data`` (``limit`` = first N topics)."""
    say = progress or (lambda _m: None)
    say("reading ECB+")
    docs = list(read_documents(Path(data)))
    topics = sorted({d.topic for d in docs})
    if limit is not None:
        keep = set(topics[:limit])
        docs = [d for d in docs if d.topic in keep]
        topics = sorted(keep)
    say(f"parsing {sum(len(d.sentences) for d in docs)} sentences of {len(docs)} documents")
    feats, sent_vecs, lemma_vecs = featurise(docs)

    tune_topics = TUNE_TOPICS & set(topics) or set(topics[: max(1, len(topics) // 3)])
    rows: dict[str, dict[str, float]] = {}
    notes: list[str] = []
    extra: dict[str, object] = {"topics": topics, "tuned_on": sorted(tune_topics)}
    for kind, grid in (("events", EVENT_GRID), ("entities", ENTITY_GRID)):
        mentions = [
            f for f in feats if f.mention.kind == ("event" if kind == "events" else "entity")
        ]
        key = _gold(mentions)
        say(
            f"{kind}: {len(mentions)} mentions, {len(key)} gold clusters; tuning on topics {min(tune_topics)}-{max(tune_topics)}"
        )
        pairs = pair_features(mentions, sent_vecs, lemma_vecs, kind)
        tune = [p for p in pairs if p.topic in tune_topics]
        tune_key = _gold([f for p in tune for f in p.mentions])
        best, best_score = grid[0], -1.0
        for params in grid:
            score = conll(tune_key, cluster(tune, params))["CoNLL F1"]
            if score > best_score:
                best, best_score = params, score
        system = "storyline" if kind == "events" else "storyline (link)"
        rows[f"{kind}: {system}"] = conll(key, cluster(pairs, best))
        rows[f"{kind}: same-head-lemma"] = conll(key, same_head_lemma(mentions))
        rows[f"{kind}: singletons"] = conll(key, [[f.mention.id] for f in mentions])
        extra[f"{kind}_params"] = best.__dict__
        extra[f"{kind}_mentions"] = len(mentions)
        notes.append(
            f"{kind}: {len(mentions)} gold mentions, {len(key)} gold clusters; "
            f"storyline parameters tuned on topics {min(tune_topics)}-{max(tune_topics)} "
            f"(CoNLL F1 there {best_score:.4f}): {best}"
        )
        # the same comparison on the topics not used for tuning only
        rest = [p for p in pairs if p.topic not in tune_topics]
        if rest:
            rest_mentions = [f for p in rest for f in p.mentions]
            rest_key = _gold(rest_mentions)
            ours = conll(rest_key, cluster(rest, best))["CoNLL F1"]
            lemma = conll(rest_key, same_head_lemma(rest_mentions))["CoNLL F1"]
            extra[f"{kind}_untuned_topics_conll"] = {"storyline": ours, "same-head-lemma": lemma}
            notes.append(
                f"{kind}, topics not used for tuning only ({len({p.topic for p in rest})} topics): "
                f"CoNLL F1 storyline {ours:.4f} vs same-head-lemma {lemma:.4f}"
            )
    notes.insert(
        0,
        f"ECB+ topics {topics[0]}-{topics[-1]} ({len(topics)} topics, {len(docs)} documents), gold mentions "
        "in the annotated sentences, clustered within each sub-topic (ecb / ecbplus documents), "
        "singletons included in the scores.",
    )
    return EvalResult(
        task="coref", data=str(data), metrics=METRICS, rows=rows, notes=notes, extra=extra
    )


# --- features -----------------------------------------------------------------------------


def featurise(docs: Sequence[GoldDocument]) -> tuple[list[_Features], np.ndarray, np.ndarray]:
    """Head lemmas from spaCy (on the corpus' own tokens), sentence and lemma embeddings."""
    from spacy.tokens import Doc

    from ..analyse.embed import embed
    from ..analyse.nlp import load_spacy

    nlp = load_spacy()
    keys = [(d.name, s) for d in docs for s in sorted(d.sentences)]
    by_name = {d.name: d for d in docs}
    words = [[w or "_" for w in by_name[n].sentences[s]] for n, s in keys]
    parsed = list(nlp.pipe(Doc(nlp.vocab, words=w) for w in words))
    row_of = {k: i for i, k in enumerate(keys)}

    feats: list[_Features] = []
    lemmas: dict[str, int] = {}
    for d in docs:
        by_sentence: dict[int, list[GoldMention]] = defaultdict(list)
        for m in d.mentions:
            by_sentence[m.sentence].append(m)
        for s, ms in by_sentence.items():
            sdoc = parsed[row_of[(d.name, s)]]
            heads = {m.id: _head(sdoc, m.tokens) for m in ms}
            # arguments of an event: the entity heads of its sentence (lemmas), plus named entities
            args = frozenset(
                sdoc[heads[m.id]].lemma_.lower()
                for m in ms
                if m.kind == "entity" and sdoc[heads[m.id]].pos_ != "PRON"
            ) | frozenset(e.text.lower() for e in sdoc.ents)
            for m in ms:
                tok = sdoc[heads[m.id]]
                lemma = tok.lemma_.lower() if tok.pos_ != "PROPN" else tok.text.lower()
                lemmas.setdefault(lemma, len(lemmas))
                feats.append(
                    _Features(
                        mention=m,
                        lemma=lemma,
                        pronoun=tok.pos_ == "PRON",
                        sentence_row=row_of[(d.name, s)],
                        lemma_row=lemmas[lemma],
                        arguments=args - {lemma},
                        proper=any(sdoc[p].pos_ == "PROPN" for p in m.tokens if p < len(sdoc)),
                    )
                )
    texts = [" ".join(w) for w in words]
    return feats, embed(texts), embed(list(lemmas))


def _head(doc: object, positions: tuple[int, ...]) -> int:
    """The syntactic head of a mention: its token whose head lies outside it (the last such)."""
    inside = [p for p in positions if p < len(doc)]  # type: ignore[arg-type]
    if not inside:
        return len(doc) - 1  # type: ignore[arg-type]
    span = set(inside)
    roots = [p for p in inside if doc[p].head.i not in span or doc[p].head.i == p]  # type: ignore[index]
    return roots[-1] if roots else inside[-1]


def _gold(feats: Sequence[_Features]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for f in feats:
        groups[f.mention.cluster].append(f.mention.id)
    return list(groups.values())


# --- systems ------------------------------------------------------------------------------


def same_head_lemma(feats: Sequence[_Features]) -> list[list[str]]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in feats:
        groups[(f.mention.subtopic, f.lemma)].append(f.mention.id)
    return list(groups.values())


@dataclass(frozen=True, eq=False)
class PairFeatures:
    """Pair signals of the mentions of one sub-topic, computed once and reused across the grid."""

    topic: int
    mentions: tuple[_Features, ...]
    same: np.ndarray  # head lemmas equal (never for two pronouns)
    lsim: np.ndarray  # cosine of the head lemmas' embeddings
    ctx: np.ndarray  # cosine of the sentences' embeddings
    arg: np.ndarray  # Jaccard overlap of the sentences' arguments
    names: np.ndarray  # both proper names and compatible by the link stage's rules


def pair_features(
    feats: Sequence[_Features], sent_vecs: np.ndarray, lemma_vecs: np.ndarray, kind: str
) -> list[PairFeatures]:
    by_sub: dict[str, list[_Features]] = defaultdict(list)
    for f in feats:
        by_sub[f.mention.subtopic].append(f)
    out = []
    for group in by_sub.values():
        n = len(group)
        s = sent_vecs[[f.sentence_row for f in group]]
        lv = lemma_vecs[[f.lemma_row for f in group]]
        lemma_ids = np.array([f.lemma_row for f in group])
        same = (lemma_ids[:, None] == lemma_ids[None, :]).astype(float)
        names = np.zeros((n, n))
        if kind == "entities":
            pron = np.array([f.pronoun for f in group])
            same[pron, :] = 0.0  # "he" and "he" in two documents say nothing
            same[:, pron] = 0.0
            for i, j in itertools.combinations(range(n), 2):
                a, b = group[i], group[j]
                if a.proper and b.proper and names_compatible(a.mention.text, b.mention.text):
                    names[i, j] = names[j, i] = 1.0
        arg = np.zeros((n, n))
        for i, j in itertools.combinations(range(n), 2):
            x, y = group[i].arguments, group[j].arguments
            if x and y:
                arg[i, j] = arg[j, i] = len(x & y) / len(x | y)
        out.append(
            PairFeatures(group[0].mention.topic, tuple(group), same, lv @ lv.T, s @ s.T, arg, names)
        )
    return out


def cluster(pairs: Sequence[PairFeatures], params: Params) -> list[list[str]]:
    """Average-linkage agglomerative clustering of the pair scores, within each sub-topic."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    out: list[list[str]] = []
    for p in pairs:
        if len(p.mentions) == 1:
            out.append([p.mentions[0].mention.id])
            continue
        same = np.maximum(p.same, p.names)  # a compatible name counts as the same head
        related = (p.lsim >= params.lemma_sim) & (
            (p.ctx >= params.context) | (p.arg >= params.arguments)
        )
        score = np.maximum(same, related.astype(float))
        dist = np.clip(params.threshold + 1.0 - score, 0.0, None)  # merge while score >= threshold
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(dist, checks=False), method=params.linkage)
        labels = fcluster(tree, t=1.0, criterion="distance")
        groups: dict[int, list[str]] = defaultdict(list)
        for f, label in zip(p.mentions, labels, strict=True):
            groups[int(label)].append(f.mention.id)
        out.extend(groups.values())
    return out


def _grid() -> list[Params]:
    out = [Params(1.01, 1.01, 1.01, 0.5, "single")]  # first: exactly the same-head-lemma baseline
    for lemma_sim, context, arguments in itertools.product(
        (0.5, 0.6, 0.7, 0.8), (0.0, 0.3, 0.4, 0.5, 0.6), (0.2, 0.3, 1.01)
    ):
        out.append(Params(lemma_sim, context, arguments, 0.5, "single"))
        for threshold in (0.3, 0.5, 0.7):
            out.append(Params(lemma_sim, context, arguments, threshold, "average"))
    return out


EVENT_GRID = _grid()
ENTITY_GRID = EVENT_GRID
