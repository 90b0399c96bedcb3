"""check: conflicts between sources (and inside one source), each side quoted verbatim.

No contradiction model runs offline, and embeddings do not see contradictions ("on Tuesday" vs
"on Friday" scores 0.98), so conflicts are found by rules, in two ways:

- typed facts (``facts``, ``categories``): every sentence is read once into facts of a kind
  (people killed, magnitude, distance from X, age of a person, count of villages hit, an
  amount, the colour of a car, where a person lives, a murder or a manslaughter charge) with
  the value as written, qualifier included. Facts are compared only within one kind and one
  event (``events``: the story's own days or a dated background event; the person concerned;
  the day of the clause), their values grouped by agreement (``values``: "at least 5" and "24"
  disagree, "more than 220,000" and "at least 230,000" do not, "85 miles (135 km)" is one
  value, one amount in three currencies is one amount). One conflict per disputed fact, its
  sides grouped by value (``compare``);
- links between related sentences (``related``: mentions of one aligned claim, or nearby
  sentences of one story group): dates of the same event (weekdays compared as named, so a
  wrong page date does not invent a conflict), places of the same arrival, towns of one dated
  bombing, arrest or quake (``scene``), a denial against an unhedged assertion, different
  actors doing, claiming or blamed for the same thing, and opposite states of one thing
  (``states``: intact vs destroyed, power not affected vs a blackout, well vs ill equipped). Conflicts are the connected groups
  of strong links; a weak link only adds a side to such a group.

Everything read from a sentence is read once per sentence (facts, states, dated events,
arrivals, denials); pairs are only formed within a kind of fact or between related sentences.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..align import has_vector
from ..analyse.embed import SentenceVectors
from ..models import AnalysedArticle, Claim, Conflict, Sentence
from ..settings import Settings
from ..similarity import FLOAT32_MARGIN, incidence, pair_cosines, shared_items
from .actors import (
    ACTOR_SIMILARITY,
    COMMUNICATION,
    SAME_WORDS,
    SAME_WORDS_SIMILARITY,
    SHARED_WORDS,
    act_words,
    actor_links,
    could_act,
    parse_acts,
    same_act_words,
)
from .assemble import assemble
from .categories import sentence_categories
from .compare import fact_conflicts
from .dates import (
    DATELINE,
    EVENT_CLASSES,
    MAX_DAYS_APART,
    REPORTING,
    REPORTING_AHEAD,
    date_links,
    dated_events,
)
from .denial import CANON, DENIAL, HEDGES, NEGATION, denial_links, reading
from .events import StoryFrames
from .facts import Fact, sentence_facts
from .links import Key, Link
from .places import ARRIVAL, PLACE_NAMES, arrivals, broad_places, place_links, place_names
from .related import NEIGHBOURS, RELATED_SIMILARITY, related_codes
from .scene import PlacesTogether, event_place_links
from .states import State, sentence_states, state_links
from .values import Rates

# The names check.py exported before it became a package, still importable from here.
__all__ = [
    "ACTOR_SIMILARITY",
    "ARRIVAL",
    "CANON",
    "COMMUNICATION",
    "DATELINE",
    "DENIAL",
    "EVENT_CLASSES",
    "HEDGES",
    "MAX_DAYS_APART",
    "NEGATION",
    "NEIGHBOURS",
    "RELATED_SIMILARITY",
    "REPORTING",
    "REPORTING_AHEAD",
    "Key",
    "broad_places",
    "find_conflicts",
    "place_names",
]


def find_conflicts(
    docs: Sequence[AnalysedArticle],
    claims: Sequence[Claim],
    vectors: SentenceVectors,
    settings: Settings,
    groups: Sequence[tuple[str, ...]] = (),
) -> tuple[list[Conflict], list[Claim]]:
    """Conflicts (every side quoted verbatim) and the claims, contested where a side falls."""
    sentences: dict[Key, Sentence] = {(s.article, s.index): s for d in docs for s in d.sentences}
    if len(sentences) < 2:
        return [], list(claims)
    group_of = {a: k for k, g in enumerate(groups) for a in g}
    for d in docs:
        group_of.setdefault(d.article.id, len(group_of) + 1000)
    by_group: dict[int, list[AnalysedArticle]] = defaultdict(list)
    for d in docs:
        by_group[group_of[d.article.id]].append(d)
    stories = {g: StoryContext(ds) for g, ds in by_group.items()}
    links: list[Link] = []
    actor_pairs: list[tuple[Sentence, Sentence]] = []
    broad = {g: broad_places(ds) for g, ds in by_group.items()}
    together = {g: PlacesTogether(ds) for g, ds in by_group.items()}
    PLACE_NAMES.names = place_names(docs)
    post_days = {
        (s.article, s.index): d.reference_date(s)
        for d in docs
        for s in d.sentences
        if s.post is not None
    }
    # Per-sentence readings, made once per sentence; a pair is only looked at by the rules
    # both of its sentences could take part in.
    memo: dict[tuple[str, Key], object] = {}
    dated: set[Key] = set()
    arriving: set[Key] = set()
    denying: set[Key] = set()
    asserting: set[Key] = set()
    acting: dict[Key, frozenset[str]] = {}  # sentences that could name an actor: their act words
    for key, s in sentences.items():
        b = broad[group_of[s.article]]
        if dated_events(s, b, memo):
            dated.add(key)
        if arrivals(s, b, post_days, memo):
            arriving.add(key)
        r = reading(s, memo)
        if r.denial is not None:
            denying.add(key)
        if r.asserts:
            asserting.add(key)
        if could_act(s):
            acting[key] = act_words(s)
    asserting = _deniable(asserting, denying, sentences, memo)
    roles = _Roles(dated, arriving, denying, asserting, _actor_pairs(vectors, acting))
    ordered, codes = related_codes(docs, claims, vectors, group_of, _wanted(vectors, roles))
    pairs = _rule_pairs(ordered, codes, vectors, roles)
    for k1, k2 in pairs:  # in key order (related_codes sorts them)
        s1, s2 = sentences[k1], sentences[k2]
        story = stories[group_of[s1.article]]
        b = broad[group_of[s1.article]]
        if k1 in dated and k2 in dated:
            for ln in date_links(s1, s2, b, memo) + event_place_links(s1, s2, b, together[group_of[s1.article]], memo):
                if story.same_event(k1, k2):
                    links.append(ln)
        if k1 in arriving and k2 in arriving:
            links += place_links(s1, s2, b, post_days, memo)
        if (k1 in denying and k2 in asserting) or (k2 in denying and k1 in asserting):
            links += denial_links(s1, s2, memo)
        if (
            k1 in acting
            and k2 in acting
            and s1.text != s2.text
            and has_vector(vectors, k1)
            and has_vector(vectors, k2)
            and same_act_words(acting[k1], acting[k2], float(vectors[k1] @ vectors[k2]))
        ):
            actor_pairs.append((s1, s2))
    if actor_pairs:  # one parse per sentence, in a batch, only for the few candidate pairs
        acts = parse_acts({(s.article, s.index): s for pair in actor_pairs for s in pair})
        for s1, s2 in actor_pairs:
            links += actor_links(s1, s2, acts)
    for story in stories.values():
        links += story.state_links()

    conflicts = [
        c
        for c in assemble(links, sentences, docs)
        # a disagreement inside one article only is no conflict between sources (unless the
        # story has only that article)
        if len({side.article for side in c.sides}) > 1 or len(by_group[group_of[c.sides[0].article]]) == 1
    ]
    for story in stories.values():
        conflicts += story.fact_conflicts()
    contested = {(side.article, side.sentence) for c in conflicts for side in c.sides}
    checked = [
        replace(c, status="contested")
        if any((m.article, m.sentence) in contested for m in c.mentions)
        else c
        for c in claims
    ]
    return conflicts, checked


_DATED, _ARRIVING, _DENYING, _ASSERTING = 1, 2, 4, 8


@dataclass(frozen=True)
class _Roles:
    """Which sentences each rule of ``find_conflicts`` could take."""

    dated: set[Key]
    arriving: set[Key]
    denying: set[Key]
    asserting: set[Key]
    actor_pairs: set[tuple[Key, Key]]  # possible actors (first, second) in key order: see _actor_pairs


def _wanted(vectors: SentenceVectors, roles: _Roles) -> set[Key]:
    """The sentences some rule could take, whose nearest sentences check looks for. A sentence
    that only asserts matters only beside a denial, so it is wanted only when it is as close
    to a denying sentence as a related pair must be (with a margin: the pass over the story
    decides); a possible actor only when it is in one of ``_actor_pairs``."""
    wanted = roles.dated | roles.arriving | roles.denying
    wanted.update(k for pair in roles.actor_pairs for k in pair)
    denials = [vectors.row(*k) for k in sorted(roles.denying) if has_vector(vectors, k)]
    keys = sorted(k for k in roles.asserting - wanted if has_vector(vectors, k))
    if denials and keys:
        rows = [vectors.row(*k) for k in keys]
        closest = (vectors.matrix[rows] @ vectors.matrix[denials].T).max(axis=1)
        wanted.update(k for k, c in zip(keys, closest.tolist(), strict=True) if c >= RELATED_SIMILARITY - FLOAT32_MARGIN)
    return wanted


def _deniable(
    asserting: set[Key], denying: set[Key], sentences: dict[Key, Sentence], memo: dict[tuple[str, Key], object]
) -> set[Key]:
    """The assertions a denial link could take: a link needs all the denied words of one of
    the denials in the assertion (``denial_links``), and a story has few denials."""
    denied = {d[1] for k in denying if (d := reading(sentences[k], memo).denial) is not None}
    return {k for k in asserting if any(w <= reading(sentences[k], memo).words for w in denied)}


def _actor_pairs(vectors: SentenceVectors, acting: dict[Key, frozenset[str]]) -> set[tuple[Key, Key]]:
    """The pairs of possible actors that ``same_act_words`` could pass, whether related or not:
    their act words overlap (Jaccard) at least ``SHARED_WORDS``, and their cosine, read with a
    margin either side of its bars, is close enough for that overlap (the rule itself decides
    on the exact cosine).

    Most of a big story's sentences could name an actor, and most share some word, so the
    pairs are not looked for among all of them but by prefix filtering (as in set-similarity
    joins): with words ordered rarest first, two sets with ``|x & y| >= a`` share a word among
    the first ``|x| - a + 1`` of each, and a Jaccard of ``SHARED_WORDS`` needs
    ``|x & y| >= a(|x|)``, the least a with ``a / |x| >= SHARED_WORDS``. Only pairs sharing such
    a rare word are counted."""
    keys = sorted(k for k, words in acting.items() if words and has_vector(vectors, k))
    if len(keys) < 2:
        return set()
    sets = [acting[k] for k in keys]
    frequency = Counter(w for words in sets for w in words)
    column = {w: i for i, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    least = {n: min(a for a in range(1, n + 1) if a / n >= SHARED_WORDS) for n in {len(x) for x in sets}}
    prefixes = [sorted(column[w] for w in words)[: len(words) - least[len(words)] + 1] for words in sets]

    def matrix(lists: list[list[int]]) -> Any:
        owners = np.repeat(np.arange(len(lists)), [len(x) for x in lists])
        items = np.fromiter((c for x in lists for c in x), dtype=np.int64)
        return incidence(owners, items, len(lists), len(column))

    a, b, _ = shared_items(matrix(prefixes))
    # same_act_words' Jaccard (the same float division), on the candidates only
    words = matrix([[column[w] for w in x] for x in sets])
    shared = np.asarray(words[a].multiply(words[b]).sum(axis=1)).ravel()
    size = np.diff(words.indptr)
    overlap = shared / (size[a] + size[b] - shared)
    passing = overlap >= SHARED_WORDS
    a, b, overlap = a[passing], b[passing], overlap[passing]
    rows = np.array([vectors.row(*k) for k in keys], dtype=np.int64)
    close = pair_cosines(vectors.matrix, rows[a], rows[b])
    bar = np.where(close >= ACTOR_SIMILARITY - FLOAT32_MARGIN, SHARED_WORDS, SAME_WORDS)
    may = (close >= SAME_WORDS_SIMILARITY - FLOAT32_MARGIN) & (overlap >= bar)
    return {(keys[x], keys[y]) for x, y in zip(a[may].tolist(), b[may].tolist(), strict=True)}


def _rule_pairs(
    ordered: list[Key], codes: np.ndarray, vectors: SentenceVectors, roles: _Roles
) -> list[tuple[Key, Key]]:
    """The related pairs (``related_codes``) some rule of ``find_conflicts`` could take, in key
    order: both dated, both arriving, a denial and an assertion, or one of ``_actor_pairs``.

    Filtered as arrays: at hundreds of articles a story has hundreds of thousands of related
    pairs, and most fit no rule."""
    n = len(ordered)
    if not len(codes):
        return []
    rank = {key: i for i, key in enumerate(ordered)}
    role = np.zeros(n, dtype=np.int64)
    for i, key in enumerate(ordered):
        role[i] = (
            _DATED * (key in roles.dated)
            | _ARRIVING * (key in roles.arriving)
            | _DENYING * (key in roles.denying)
            | _ASSERTING * (key in roles.asserting)
        )
    a, b = codes // n, codes % n
    ra, rb = role[a], role[b]
    keep = (ra & rb & (_DATED | _ARRIVING)) != 0
    keep |= ((ra & _DENYING) != 0) & ((rb & _ASSERTING) != 0)
    keep |= ((rb & _DENYING) != 0) & ((ra & _ASSERTING) != 0)
    actor_codes = [rank[x] * n + rank[y] for x, y in roles.actor_pairs if x in rank and y in rank]
    keep |= np.isin(codes, np.asarray(actor_codes, dtype=np.int64))
    return [(ordered[x], ordered[y]) for x, y in zip(a[keep].tolist(), b[keep].tolist(), strict=True)]


class StoryContext:
    """What check reads once per sentence of one story: its parse, typed facts and states,
    and the story's event frames (who, when) that decide which mentions are of one event."""

    def __init__(self, docs: Sequence[AnalysedArticle]) -> None:
        from ..analyse.nlp import parse

        self.docs = list(docs)
        sentences = [s for d in docs for s in d.sentences]
        keys = [(s.article, s.index) for s in sentences]
        self.parses = dict(zip(keys, parse([s.text for s in sentences]), strict=True))
        self.facts: list[Fact] = []
        self.states: list[State] = []
        for s, key in zip(sentences, keys, strict=True):
            doc = self.parses[key]
            self.facts.extend(sentence_facts(s, doc))
            self.facts.extend(sentence_categories(s, doc))
            self.states.extend(sentence_states(s, doc))
        self.frames = StoryFrames(docs, self.facts, self.parses)
        self.rates = Rates(
            (f.value.unit or "", f.value.base, unit or "", base)
            for f in self.facts
            if f.value.dim == "money"
            for base, unit in f.value.alts
        )
        self._people: dict[Key, frozenset[str]] = {}

    def people(self, key: Key) -> frozenset[str]:
        if key not in self._people:
            self._people[key] = self.frames.sentence_persons(key)
        return self._people[key]

    def same_event(self, a: Key, b: Key) -> bool:
        """Two sentences may date one event: neither tells of another event ("another robbery
        on Sunday night"), and they concern the same people, or both no one in particular
        ("A 36-year-old man died on Friday" and "Robert Buckley, 32, died on Saturday" do not)."""
        if self.frames.cue.get(a) or self.frames.cue.get(b):
            return False
        pa, pb = self.people(a), self.people(b)
        return bool(pa & pb) or not (pa or pb)

    def fact_conflicts(self) -> list[Conflict]:
        if not self.facts:
            return []
        return fact_conflicts(self.facts, self.frames, self.docs, self.rates)

    def state_links(self) -> list[Link]:
        """Opposite states of one thing, compared only within states that share a word."""
        index: dict[tuple[str, str], list[State]] = defaultdict(list)
        for st in self.states:
            for w in st.nouns | st.names or {"*"}:
                index[(st.what, w)].append(st)
        seen: set[tuple[Key, Key]] = set()
        out: list[Link] = []
        for bucket in index.values():
            for i, x in enumerate(bucket):
                for y in bucket[i + 1 :]:
                    if x.key[0] == y.key[0] or x.good == y.good or (x.key, y.key) in seen:
                        continue
                    seen.add((x.key, y.key))
                    out += state_links([x], [y], (self.people(x.key), self.people(y.key)))
        return out
