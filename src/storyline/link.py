"""link: entity mentions merged across articles into entities with canonical names and aliases.

Merges, in order of confidence:
1. the same name once titles, hyphens, possessives and case are set aside
   ("Kim Jong-un", "Mr Kim Jong Un", "President Vladimir Putin");
2. well-known state names and abbreviations of one another ("DPRK", "North Korea");
3. full names that differ by one edit in one part while the other parts match
   ("Sergei"/"Sergey Shoigu", the typo "Kim Yong Un"); a short part never counts, so
   Kim Jong Un and Kim Jong Il stay two people;
4. a partial name ("Putin", "Mr. Kim", "Gen. Shoigu") to the one full name of the article that
   holds it; when the article names several (Kim Jong Un and his father Kim Jong-il), to the one
   that dominates the story, else it stays unresolved rather than guessed;
5. descriptions ("the North Korean leader", "the leader of North Korea") to the one person whose
   role the story states in an apposition ("North Korean leader Kim Jong Un"); they become
   mentions, not aliases.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from .models import AnalysedArticle, Entity, EntityMention

# Labels that name things; dates, numbers and money are not entities here.
NAME_LABELS = {
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
}

# Titles and honorifics: never part of a canonical name. Compared lower-case, without the dot.
TITLES = set(
    """mr mrs ms miss dr prof sir dame madam comrade president vice prime minister premier
    chairman chairwoman chancellor king queen prince princess gen general col colonel lt maj
    major adm admiral capt captain sgt sen senator rep gov governor secretary leader supreme
    defense defence foreign deputy chief spokesman spokeswoman spokesperson ambassador director
    marshal pope rev st first lady state of the former late commander""".split()
)
# Outside person names only honorifics go ("the State Department" keeps "State").
HONORIFICS = {"mr", "mrs", "ms", "dr", "gen", "comrade", "president", "the"}
# Adjectives that may come before a title ("Russian President", "North Korean leader").
_PRE_TITLE = re.compile(r"^[A-Z][a-z]+(?:n|ese|i|ish|ch)$|^(?:North|South|U\.?S\.?|UK|EU)$")

# Roles that a description can stand for ("the North Korean leader").
ROLES = (
    "supreme leader",
    "leader",
    "president",
    "prime minister",
    "premier",
    "defense minister",
    "defence minister",
    "foreign minister",
    "chancellor",
    "king",
    "spokesman",
    "spokesperson",
)
_ROLE_RX = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))
_PLACE_RX = r"(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})"
# "North Korean leader", "North Korea's leader", "North Korea leader" (the place comes first)
_DESC_BEFORE = re.compile(
    rf"\b(?P<det>[Tt]he\s+)?(?P<place>{_PLACE_RX})(?:['’]s)?\s+(?P<role>{_ROLE_RX})\b"
)
# "the leader of North Korea"
_DESC_OF = re.compile(rf"\b[Tt]he\s+(?P<role>{_ROLE_RX})\s+of\s+(?P<place>{_PLACE_RX})")

# States known by several names. Small on purpose: only names news copy uses interchangeably.
STATE_ALIASES = {
    "north korea": "north korea",
    "n korea": "north korea",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "south korea": "south korea",
    "s korea": "south korea",
    "republic of korea": "south korea",
    "rok": "south korea",
    "united states": "united states",
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "united kingdom": "united kingdom",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "russia": "russia",
    "russian federation": "russia",
    "china": "china",
    "people's republic of china": "china",
    "prc": "china",
}
_STATE_CANONICAL = {
    "north korea": "North Korea",
    "south korea": "South Korea",
    "united states": "United States",
    "united kingdom": "United Kingdom",
    "russia": "Russia",
    "china": "China",
}


@dataclass(frozen=True)
class _Raw:
    article: str
    sentence: int
    text: str  # as written
    name: str  # titles stripped, as written otherwise
    key: tuple[str, ...]  # normalised name parts
    label: str
    titled: bool  # a title was stripped ("Mr Kim")


def link_entities(docs: Sequence[AnalysedArticle]) -> list[Entity]:
    """Entities of a story, most mentioned first."""
    raws = [r for r in _raw_mentions(docs)]
    if not raws:
        return []
    groups = _UnionFind(len(raws))

    # One-part names that could be part of a person's full name wait for _resolve_partials:
    # merging every "Kim" of the story by key first would bridge different people.
    person_parts = {p for r in raws if len(r.key) >= 2 and r.label == "PERSON" for p in r.key}
    person_words = _person_words(raws)
    partial = {
        i
        for i, r in enumerate(raws)
        if len(r.key) == 1
        and r.key[0] in person_parts
        and not STATE_ALIASES.get(r.key[0])
        and (r.key[0] in person_words or r.titled)
    }
    by_key: dict[tuple[str, ...], int] = {}
    for i, r in enumerate(raws):
        if i in partial:
            continue
        k = _merge_key(r)
        if k in by_key:
            groups.union(by_key[k], i)
        else:
            by_key[k] = i

    # one-edit variants of multi-part person names
    full = [i for i in by_key.values() if len(raws[i].key) >= 2 and _personish(raws[i])]
    for a_pos, a in enumerate(full):
        for b in full[a_pos + 1 :]:
            if typo_variants(raws[a].key, raws[b].key):
                groups.union(a, b)

    _merge_acronyms(raws, groups)
    leftover = _resolve_partials(raws, groups, sorted(partial))
    for i in leftover:  # unresolved partial names: one entity per name, not guessed
        k = _merge_key(raws[i])
        if k in by_key:
            groups.union(by_key[k], i)
        else:
            by_key[k] = i
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(raws)):
        clusters[groups.find(i)].append(i)

    entities = [_entity(raws, members) for members in clusters.values()]
    entities = _add_descriptions(entities, docs)
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return _unique_ids(entities)


# --- names --------------------------------------------------------------------------------


def strip_title(text: str, person: bool = True) -> str:
    """'Defense Minister Sergei Shoigu' -> 'Sergei Shoigu'; 'the DPRK' -> 'DPRK'.

    ``person=False`` (organisations, places) strips only honorifics and "the"."""
    titles = TITLES if person else HONORIFICS
    text = re.sub(r"['’]s$", "", text.strip()).strip(" ,.;:\"'“”‘’()")
    tokens = text.split()
    # the longest prefix made of titles (and adjectives in front of them) that leaves a name
    cut = 0
    for i, tok in enumerate(tokens[:-1]):
        low = tok.lower().rstrip(".")
        if low in titles:
            cut = i + 1
        elif not person or not _PRE_TITLE.match(tok.rstrip(".")):
            break
    return " ".join(tokens[cut:]) or text


def name_key(text: str) -> tuple[str, ...]:
    """Normalised name parts: case, accents, hyphens, dots and apostrophes set aside."""
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c)).lower()
    norm = norm.replace("’", "'")
    norm = re.sub(r"[-‐–]", " ", norm)
    norm = re.sub(r"(?<=\w)\.(?=\w)", "", norm)  # U.S. -> us, N. Korea keeps its space
    norm = re.sub(r"[^\w' ]", " ", norm)
    return tuple(p.strip("'") for p in norm.split() if p.strip("'"))


def typo_variants(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same number of parts, all equal but one, and that one a single edit apart (>= 4 letters)."""
    if len(a) != len(b) or len(a) < 2 or a == b:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return min(len(x), len(y)) >= 4 and Levenshtein.distance(x, y) <= 1


def names_compatible(a: str, b: str) -> bool:
    """Whether two names (titles allowed) may denote one entity, ignoring context:
    the same name, a one-edit variant, a state alias, or one a part of the other."""
    ka, kb = name_key(strip_title(a)), name_key(strip_title(b))
    if not ka or not kb:
        return False
    if ka == kb or typo_variants(ka, kb):
        return True
    sa, sb = STATE_ALIASES.get(" ".join(ka)), STATE_ALIASES.get(" ".join(kb))
    if sa and sa == sb:
        return True
    short, long = (ka, kb) if len(ka) < len(kb) else (kb, ka)
    return len(short) == 1 and short[0] in long and len(short[0]) >= 3


def _merge_key(r: _Raw) -> tuple[str, ...]:
    state = STATE_ALIASES.get(" ".join(r.key))
    if state:
        return ("#state", state)
    return r.key


def _personish(r: _Raw) -> bool:
    return r.label in ("PERSON", "ORG", "NORP", "GPE") and not STATE_ALIASES.get(" ".join(r.key))


def _raw_mentions(docs: Sequence[AnalysedArticle]) -> Iterable[_Raw]:
    for doc in docs:
        for sent in doc.sentences:
            for m in sent.entities:
                if m.label not in NAME_LABELS or _junk(m.text):
                    continue
                # the possessive is grammar, not part of the surface name
                text = _with_title(sent.text[: m.start], re.sub(r"['’]s$", "", m.text.strip()))
                name = strip_title(text, person=m.label in ("PERSON", "NORP"))
                key = name_key(name)
                if not key or _junk(name):
                    continue
                yield _Raw(
                    article=sent.article,
                    sentence=sent.index,
                    text=text,
                    name=name,
                    key=key,
                    label=m.label,
                    titled=name != re.sub(r"['’]s$", "", text),
                )


_TITLE_BEFORE = re.compile(
    r"(?:^|(?<=[\s(“\"]))((?:Mr|Mrs|Ms|Dr|Gen|Comrade|President|Premier|Sen|Gov)\.?)\s+$"
)


def _with_title(before: str, text: str) -> str:
    """spaCy leaves honorifics out of the span: put "Mr"/"Gen."/"President" back for the alias."""
    match = _TITLE_BEFORE.search(before)
    if match and not text.startswith(match.group(1)):
        return f"{match.group(1)} {text}"
    return text


def _junk(text: str) -> bool:
    """spaCy's obvious mistakes: no capital letter, no letters, or a stray fragment."""
    t = text.strip()
    return (
        len(t) < 2
        or not any(c.isupper() for c in t)
        or not any(c.isalpha() for c in t)
        or "\n" in t
        or t.lower() in {"the", "mr", "mrs", "ms", "dr"}
    )


# --- partial names ------------------------------------------------------------------------


def acronym(name: str) -> str:
    """'Korean Central News Agency' -> 'KCNA'; 'UN Security Council' -> 'UNSC'."""
    letters = []
    for word in re.split(r"[\s\-]+", name.replace(".", "")):
        if not word or word.lower() in ("of", "the", "and", "for", "on"):
            continue
        letters.append(word if word.isupper() else word[0])
    return "".join(letters).upper()


def _merge_acronyms(raws: list[_Raw], groups: _UnionFind) -> None:
    """An all-capitals name joins the one organisation whose initials it is ("KCNA", "AP")."""
    expansions: dict[str, set[int]] = defaultdict(set)
    for i, r in enumerate(raws):
        if len(r.key) >= 2 and r.label in ("ORG", "GPE", "LOC", "FAC", "NORP"):
            expansions[acronym(r.name)].add(i)
    for i, r in enumerate(raws):
        short = r.name.replace(".", "")
        if len(r.key) != 1 or not short.isupper() or len(short) < 2:
            continue
        roots = {groups.find(j) for j in expansions.get(short, set())}
        if len(roots) == 1:
            groups.union(roots.pop(), i)


def _person_words(raws: list[_Raw]) -> set[str]:
    """One-part names that spaCy labels PERSON at least as often as anything else."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in raws:
        if len(r.key) == 1:
            votes[r.key[0]][r.label] += 1
    return {w for w, c in votes.items() if c["PERSON"] and c["PERSON"] >= max(c.values())}


def _resolve_partials(raws: list[_Raw], groups: _UnionFind, partial: list[int]) -> list[int]:
    """Attach one-part names ("Kim", "Mr. Putin") to a person's full name that holds that part.

    Returns the mentions left unresolved."""
    story_count: Counter[int] = Counter()
    in_article: dict[str, set[int]] = defaultdict(set)
    parts_of: dict[int, set[str]] = defaultdict(set)
    for i, r in enumerate(raws):
        if len(r.key) >= 2 and r.label == "PERSON":
            root = groups.find(i)
            story_count[root] += 1
            in_article[r.article].add(root)
            parts_of[root].update(r.key)

    leftover = []
    for i in partial:
        r = raws[i]
        part = r.key[0]
        local = sorted(root for root in in_article.get(r.article, set()) if part in parts_of[root])
        target = None
        if len(local) == 1:
            target = local[0]
        else:
            # not exactly one full name in the article: take the story's name only when it
            # dominates (twice the mentions of any other person holding that part, and 2 more)
            pool = local or sorted(root for root in parts_of if part in parts_of[root])
            ranked = sorted(((story_count[root], root) for root in pool), reverse=True)
            if len(ranked) == 1 or (
                ranked and ranked[0][0] >= max(2 * ranked[1][0], ranked[1][0] + 2)
            ):
                target = ranked[0][1]
        if target is None:
            leftover.append(i)
        else:
            groups.union(target, i)
    return leftover


# --- descriptions -------------------------------------------------------------------------


def _place_key(place: str) -> str:
    """'North Korean' / "North Korea's" / 'N. Korea' -> 'north korea'."""
    words = name_key(place)
    words = tuple(w[:-1] if w.endswith("an") and len(w) > 4 else w for w in words)
    joined = " ".join(words)
    return STATE_ALIASES.get(joined, joined)


def _add_descriptions(entities: list[Entity], docs: Sequence[AnalysedArticle]) -> list[Entity]:
    """Record "the North Korean leader" as a mention of the one person the story gives that role."""
    people = {i: e for i, e in enumerate(entities) if e.type == "PERSON"}
    if not people:
        return entities
    alias_of: dict[str, int] = {}
    for i, e in people.items():
        for alias in e.aliases:
            alias_of.setdefault(alias, i)
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    for doc in docs:
        for sent in doc.sentences:
            for m in sent.entities:
                who = alias_of.get(m.text.strip())
                if who is None:
                    continue
                before = sent.text[: m.start]
                found = list(_DESC_BEFORE.finditer(before))
                match = found[-1] if found else None
                if (
                    match
                    and match.end() >= len(before.rstrip())
                    and not before[match.end() :].strip(" ,")
                ):
                    holders[(_place_key(match.group("place")), match.group("role").lower())].add(
                        who
                    )
    if not holders:
        return entities

    extra: dict[int, list[EntityMention]] = defaultdict(list)
    for doc in docs:
        for sent in doc.sentences:
            names = [(m.start, m.end) for m in sent.entities]
            for rx in (_DESC_BEFORE, _DESC_OF):
                for match in rx.finditer(sent.text):
                    after = sent.text[match.end() :]
                    if rx is _DESC_BEFORE and re.match(r"\s+[A-Z]", after):
                        continue  # an apposition: the name itself is the mention
                    if (
                        rx is _DESC_BEFORE
                        and not match.group("det")
                        and "’s" not in match.group(0)
                        and "'s" not in match.group(0)
                    ):
                        continue  # "North Korean leader" without "the" is not a description
                    if any(
                        s <= match.start() < e
                        for s, e in names
                        if sent.text[s:e].lower().startswith(("the ", "leader"))
                    ):
                        continue
                    key = (_place_key(match.group("place")), match.group("role").lower())
                    holders_of_role = holders.get(key, set())
                    if len(holders_of_role) == 1:
                        extra[next(iter(holders_of_role))].append(
                            EntityMention(sent.article, sent.index, match.group(0).strip())
                        )
    out = []
    for i, e in enumerate(entities):
        if i in extra:
            seen = set(e.mentions)
            add = tuple(m for m in extra[i] if m not in seen)
            e = Entity(e.id, e.name, e.type, e.aliases, tuple(sorted(e.mentions + add, key=_order)))
        out.append(e)
    return out


# --- building entities --------------------------------------------------------------------


def _entity(raws: list[_Raw], members: list[int]) -> Entity:
    rs = [raws[i] for i in members]
    labels = Counter(r.label for r in rs)
    label = labels.most_common(1)[0][0]
    if labels.get("PERSON") and any(len(r.key) >= 2 and r.label == "PERSON" for r in rs):
        label = "PERSON"
    elif (
        label == "PERSON"
        and (labels.get("GPE") or labels.get("LOC"))
        and not any(r.titled for r in rs)
    ):
        # a one-word name that spaCy also reads as a place, never with a title: a place
        # ("Vladivostok" is labelled PERSON in 9 of its 14 mentions in the example)
        label = "GPE" if labels.get("GPE", 0) >= labels.get("LOC", 0) else "LOC"
    state = (
        STATE_ALIASES.get(" ".join(rs[0].key))
        if all(_merge_key(r)[0] == "#state" for r in rs)
        else None
    )
    if state:
        name = _STATE_CANONICAL.get(state, state.title())
        if label not in ("GPE", "LOC", "ORG"):
            label = "GPE"
    else:
        name = _canonical(rs)
    # "the White House" and "The White House" are the same surface name as "White House"
    forms = {re.sub(r"^[Tt]he\s+", "", r.text) for r in rs} | {r.name for r in rs}
    aliases = tuple(sorted(forms, key=lambda a: (a != name, a)))
    mentions = tuple(sorted({EntityMention(r.article, r.sentence, r.text) for r in rs}, key=_order))
    return Entity(id="e-" + slug(name), name=name, type=label, aliases=aliases, mentions=mentions)


def _canonical(rs: list[_Raw]) -> str:
    """The most frequent longest stripped name; the typo loses to its correct spelling."""
    longest = max(len(r.key) for r in rs)
    counts = Counter(r.name for r in rs if len(r.key) == longest)
    best = max(counts.items(), key=lambda kv: (kv[1], "-" not in kv[0], kv[0]))
    return best[0]


def _order(m: EntityMention) -> tuple[str, int, str]:
    return (m.article, m.sentence, m.text)


def slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", norm).strip("-") or "x"


def _unique_ids(entities: list[Entity]) -> list[Entity]:
    seen: Counter[str] = Counter()
    out = []
    for e in entities:
        seen[e.id] += 1
        if seen[e.id] > 1:
            e = Entity(f"{e.id}-{seen[e.id]}", e.name, e.type, e.aliases, e.mentions)
        out.append(e)
    return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
