"""link: entity mentions merged across articles into entities with canonical names and aliases.

Merges, in order of confidence:
1. the same name once titles, hyphens, spacing, possessives, case and abbreviated words are set
   aside ("Kim Jong-un", "Mr Kim Jong Un", "SeaMicro"/"Sea Micro", "Mt"/"Mount Cook");
2. well-known state names and abbreviations of one another ("DPRK", "North Korea");
3. variants of a multi-part name (``name_variant``): one edit in one part ("Sergei"/"Sergey
   Shoigu", the typo "Kim Yong Un"; a short part never counts, so Kim Jong Un and Kim Jong Il stay
   two people), a common diminutive of the given name ("Jim"/"James Oler"), a middle name or
   initial ("Vladimir V. Putin"), a particle ("Omar Bashir"/"Omar al-Bashir"), a generational
   suffix ("Comeaux Jr."), an initialism for some of the words ("U.S."/"United States
   Geological Survey"), an organisation's designator ("Jamaica Hospital Medical Center") or a
   leading word ("Aoraki Mount Cook National Park"). A shorter name joins a longer one only when
   the story offers exactly one;
4. an initialism to the one organisation whose initials it is ("USGS", "KCNA"); a two-letter one
   never to a place ("U.S." is not "Unity State", "D.C." not "Delaware County");
5. a partial name ("Putin", "Mr. Kim", a surname spaCy takes for an organisation) to the one full
   name of the article that holds it; when the article names several (Kim Jong Un and his father
   Kim Jong-il), to the one that dominates the story, else it stays unresolved rather than
   guessed. A mention a place cue marks ("in Jordan") is never a surname;
6. one-word names one edit apart ("Khaledi"/"Khaledin"), neither a demonym nor a plural;
7. descriptions ("the North Korean leader", "the leader of North Korea") to the one person whose
   role the story states in an apposition ("North Korean leader Kim Jong Un"); they become
   mentions, not aliases.

No merge puts two different people in one entity: when the full names of two groups disagree in
the given name, the family name or the suffix (Kim Jong Un / Kim Jong-il, Ravi / Manpreet Singh,
Comeaux Jr. / Sr.) the merge is refused. An entity's type is voted by its mentions, a cue around
a mention outvoting spaCy's label for it: "the Amur region", "in Primorsky Krai", "newspaper
Chosun Ilbo", "Comeaux, 49," (``mention_cue``). What a name is and how two names can be one
(keys, variants, compatibility of people, cues) is in ``names``; this module groups mentions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz.distance import Levenshtein

from .models import AnalysedArticle, Entity, EntityMention
from .names import (
    CORPORATE,
    DESIGNATORS,
    QUALIFIERS,
    STATE_ALIASES,
    STATE_CANONICAL,
    TITLES,
    WEAK_TITLES,
    acronym,
    derived,
    initials_of,
    mention_cue,
    name_core,
    name_key,
    name_variant,
    names_compatible,
    people_compatible,
    split_suffix,
    strip_title,
    typo_variants,
)

# The name rules live in ``names``; these are re-exported for the stage's callers.
__all__ = [
    "acronym",
    "link_entities",
    "name_key",
    "names_compatible",
    "slug",
    "strip_title",
    "typo_variants",
]

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
# Both patterns hold a role as a whole word: text without one holds no description.
_ROLE_WORD = re.compile(rf"\b(?:{_ROLE_RX})\b")


@dataclass(frozen=True)
class _Raw:
    article: str
    sentence: int
    text: str  # as written
    name: str  # titles stripped, as written otherwise
    key: tuple[str, ...]  # normalised name parts
    label: str
    titled: bool  # a person's title was stripped ("Mr Kim", "Insp Gaskin")
    cue: str | None  # "place", "org" or "person" from the words around it (``mention_cue``)
    initials: frozenset[str]  # parts of the key written as initialisms ("U.S.", "INS")

    @cached_property  # read ~15 times per mention by the merge passes
    def core(self) -> tuple[str, ...]:
        """The key without particles: what names are compared on."""
        return name_core(self.key)

    @cached_property
    def joined(self) -> str:
        """Spacing set aside: "SeaMicro" and "Sea Micro" are one name."""
        return "".join(self.key)


def link_entities(docs: Sequence[AnalysedArticle]) -> list[Entity]:
    """Entities of a story, most mentioned first."""
    raws = list(_raw_mentions(docs))
    if not raws:
        return []
    groups = _Groups(raws)

    # One-part names that could be part of a person's full name wait for _resolve_partials:
    # merging every "Kim" of the story by key first would bridge different people.
    partial = _partials(raws)
    by_key: dict[object, int] = {}
    for i, r in enumerate(raws):
        if i in partial:
            continue
        k = _merge_key(r)
        if k in by_key:
            groups.union(by_key[k], i)
        else:
            by_key[k] = i

    _merge_variants(raws, groups, list(by_key.values()))
    _merge_acronyms(raws, groups)
    leftover = _resolve_partials(raws, groups, sorted(partial))
    for i in leftover:  # unresolved partial names: one entity per name, not guessed
        k = _merge_key(raws[i])
        if k in by_key:
            groups.union(by_key[k], i)
        else:
            by_key[k] = i
    _merge_one_word_typos(raws, groups)

    surnames = set(partial) - set(leftover)
    entities = [_entity(raws, members, surnames) for members in groups.clusters()]
    entities = _add_descriptions(entities, docs)
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return _unique_ids(entities)


def _merge_key(r: _Raw) -> object:
    state = STATE_ALIASES.get(" ".join(r.key))
    if state:
        return ("#state", state)
    return r.joined


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
                removed = text[: max(0, text.find(name))].lower().replace(".", " ").split()
                yield _Raw(
                    article=sent.article,
                    sentence=sent.index,
                    text=text,
                    name=name,
                    key=key,
                    label=m.label,
                    titled=any(w in TITLES - WEAK_TITLES for w in removed),
                    cue=mention_cue(sent.text[: m.start], m.text, sent.text[m.end :]),
                    initials=initials_of(name),
                )


_TITLE_BEFORE = re.compile(
    r"(?:^|(?<=[\s(“\"]))((?:Mr|Mrs|Ms|Dr|Gen|Comrade|President|Premier|Sen|Gov|Insp|Det|Supt)\.?)\s+$"
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


# --- groups of mentions -------------------------------------------------------------------


class _Groups:
    """Union-find over mentions that refuses to put two different people in one group."""

    def __init__(self, raws: list[_Raw]) -> None:
        self.raws = raws
        self.parent = list(range(len(raws)))
        # the people's full names each group holds (cores), to veto merges
        self.people: dict[int, set[tuple[str, ...]]] = {
            i: {r.core} if _full_person(r) else set() for i, r in enumerate(raws)
        }

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def compatible(self, a: int, b: int) -> bool:
        pa, pb = self.people[self.find(a)], self.people[self.find(b)]
        return all(people_compatible(x, y) for x in pa for y in pb)

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.compatible(ra, rb):
            return False
        keep, drop = min(ra, rb), max(ra, rb)
        self.parent[drop] = keep
        self.people[keep] |= self.people.pop(drop)
        return True

    def clusters(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.raws)):
            out[self.find(i)].append(i)
        return list(out.values())


def _full_person(r: _Raw) -> bool:
    return r.label == "PERSON" and len(r.core) >= 2 and r.cue not in ("place", "located", "org")


def _merge_variants(raws: list[_Raw], groups: _Groups, heads: list[int]) -> None:
    """Merge groups whose multi-part names are variants of one another (``name_variant``), or
    one an organisation's name with a designator added, or a place's with a leading word added.
    A name that extends to several groups joins none of them."""
    multi = [i for i in heads if len(raws[i].core) >= 2]
    by_part: dict[str, list[int]] = defaultdict(list)
    for i in multi:
        for p in set(raws[i].core):
            by_part[p].append(i)
    targets: dict[int, set[int]] = defaultdict(set)  # shorter head -> longer heads
    for i in multi:
        near = {j for p in set(raws[i].core) for j in by_part[p] if j != i}
        for j in near:
            how = name_variant(raws[i].core, raws[j].core, raws[i].initials)
            if how in ("typo", "nickname"):
                groups.union(i, j)
            elif how:
                targets[i].add(j)
    kinds: dict[int, str] = {}
    personal: dict[int, bool] = {}
    for members in groups.clusters():
        root = groups.find(members[0])
        kinds[root] = _entity_type([raws[k] for k in members])
        personal[root] = any(raws[k].titled or raws[k].cue == "person" for k in members)
    by_prefix: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_tail: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in multi:
        core = raws[j].core
        for k in range(1, len(core)):
            by_prefix[core[:k]].append(j)
        by_tail[core[1:]].append(j)
    for i in heads:
        short = raws[i].core
        for j in by_prefix.get(short, []) + by_tail.get(short, []):
            if _extends(
                raws[i],
                raws[j],
                kinds[groups.find(i)],
                kinds[groups.find(j)],
                personal[groups.find(i)],
            ):
                targets[i].add(j)
    for i, js in targets.items():
        roots = {groups.find(j) for j in js} - {groups.find(i)}
        if len(roots) == 1:
            groups.union(i, roots.pop())


def _extends(short: _Raw, long: _Raw, kind_short: str, kind_long: str, personal: bool) -> bool:
    """Whether ``long`` is ``short`` with an organisation's designators added ("Casty" / "Casty
    store", "Harry Winston" / "Harry Winston Diamond Corp.") or a place's with one leading word
    that is not a qualifier ("Mount Cook National Park" / "Aoraki Mount Cook National Park").
    A place plus "Hospital" is a hospital, a titled person's name is never extended, and "South
    Ozone Park" is not "Ozone Park"."""
    s, ln = short.core, long.core
    if len(ln) <= len(s) or kind_long == "PERSON":
        return False
    if ln[: len(s)] == s:
        extra = ln[len(s) :]
        if all(w in DESIGNATORS for w in extra):
            return kind_short not in ("PERSON", "GPE", "LOC")
        # a company named after its founder: "Harry Winston" / "Harry Winston Diamond Corp."
        return (
            extra[-1] in CORPORATE
            and len(extra) <= 3
            and kind_short not in ("GPE", "LOC")
            and not personal
        )
    return len(s) >= 2 and ln[1:] == s and ln[0] not in QUALIFIERS and not personal


# --- partial names ------------------------------------------------------------------------


def _merge_acronyms(raws: list[_Raw], groups: _Groups) -> None:
    """An all-capitals name joins the one entity whose initials it is ("KCNA", "AP", "USGS").

    A state's abbreviation ("U.S.") is that state's, never another name's; a region after a
    place ("Golden, Colo.") is no acronym; and two letters abbreviate a place only in the
    story's own words, so "D.C." does not join "Delaware County"."""
    expansions: dict[str, set[int]] = defaultdict(set)
    for i, r in enumerate(raws):
        if len(r.key) >= 2 and r.label in ("ORG", "GPE", "LOC", "FAC", "NORP"):
            expansions[acronym(r.name)].add(i)
    for i, r in enumerate(raws):
        short = r.name.replace(".", "")
        if (
            len(r.key) != 1
            or not short.isupper()
            or len(short) < 2
            or STATE_ALIASES.get(r.key[0])
            or r.cue == "place"
        ):
            continue
        found = expansions.get(short, set())
        if len(short) == 2:
            found = {j for j in found if raws[j].label in ("ORG", "NORP")}
        roots = {groups.find(j) for j in found}
        if len(roots) == 1:
            groups.union(roots.pop(), i)


def _person_words(raws: list[_Raw]) -> set[str]:
    """One-part names that spaCy labels PERSON at least as often as anything else."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in raws:
        if len(r.core) == 1:
            votes[r.core[0]][r.label] += 1
    return {w for w, c in votes.items() if c["PERSON"] and c["PERSON"] >= max(c.values())}


def _partials(raws: list[_Raw]) -> set[int]:
    """One-part mentions that may be short for a person's full name: the word is part of a
    person's full name in the story, the mention is no place ("in Jordan") or organisation,
    and spaCy reads the word as a person, or a title says so, or it is a family name (spaCy
    often takes an unfamiliar surname for an organisation or a place)."""
    full = [r.core for r in raws if _full_person(r)]
    person_parts = {p for core in full for p in core}
    surnames = {split_suffix(core)[0][-1] for core in full}
    elsewhere = {p for r in raws if len(r.core) >= 2 and not _full_person(r) for p in r.core}
    person_words = _person_words(raws)
    return {
        i
        for i, r in enumerate(raws)
        if len(r.core) == 1
        and r.core[0] in person_parts
        and not STATE_ALIASES.get(" ".join(r.key))
        and r.cue not in ("place", "located", "org")
        and (
            r.core[0] in person_words
            or r.titled
            or (r.core[0] in surnames and r.core[0] not in elsewhere)
        )
    }


def _resolve_partials(raws: list[_Raw], groups: _Groups, partial: list[int]) -> list[int]:
    """Attach one-part names ("Kim", "Mr. Putin") to a person's full name that holds that part.

    Returns the mentions left unresolved."""
    story_count: Counter[int] = Counter()
    in_article: dict[str, set[int]] = defaultdict(set)
    parts_of: dict[int, set[str]] = defaultdict(set)
    for i, r in enumerate(raws):
        if _full_person(r):
            root = groups.find(i)
            story_count[root] += 1
            in_article[r.article].add(root)
            parts_of[root].update(r.core)

    # a full name that the story shows to be a place ("the port city of Bandar Abbas") takes
    # no surnames
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(raws)):
        members[groups.find(i)].append(i)
    places = {
        root for root in parts_of if _entity_type([raws[k] for k in members[root]]) != "PERSON"
    }
    for roots in in_article.values():
        roots -= places
    for root in places:
        del parts_of[root]
    holding: dict[str, list[int]] = defaultdict(list)  # name part -> people whose name holds it
    for root, parts in parts_of.items():
        for p in parts:
            holding[p].append(root)

    leftover = []
    for i in partial:
        r = raws[i]
        part = r.core[0]
        local = sorted(root for root in in_article.get(r.article, set()) if part in parts_of[root])
        target = None
        if len(local) == 1:
            target = local[0]
        else:
            # not exactly one full name in the article: take the story's name only when it
            # dominates (twice the mentions of any other person holding that part, and 2 more)
            pool = local or sorted(holding.get(part, ()))
            ranked = sorted(((story_count[root], root) for root in pool), reverse=True)
            if len(ranked) == 1 or (
                ranked and ranked[0][0] >= max(2 * ranked[1][0], ranked[1][0] + 2)
            ):
                target = ranked[0][1]
        if target is None or not groups.union(target, i):
            leftover.append(i)
    return leftover


def _merge_one_word_typos(raws: list[_Raw], groups: _Groups) -> None:
    """One-word names a single edit apart ("Khaledi"/"Khaledin", "Schenectady"/"Schnectady"),
    at least six letters long, neither a state nor a demonym, nor one the plural or the
    demonym of the other ("Russia"/"Russian", "Iraq"/"Iraqi", "Marshal"/"Marshals")."""
    words: dict[str, set[int]] = defaultdict(set)  # word -> groups using it as a one-part name
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for i, r in enumerate(raws):
        if len(r.core) == 1:
            words[r.core[0]].add(i)
            labels[r.core[0]][r.label] += 1
    pool = sorted(
        w
        for w in words
        if len(w) >= 6
        and not STATE_ALIASES.get(w)
        and not w.isdigit()
        and labels[w].most_common(1)[0][0] != "NORP"
    )
    # Blocking by deletion neighbourhoods (as in SymSpell): two words one edit apart share a key
    # among each word and its one-letter deletions, so only those pairs are compared.
    by_key: dict[str, list[str]] = defaultdict(list)
    for w in pool:
        for key in one_edit_keys(w):
            by_key[key].append(w)
    for w in pool:
        near = {other for key in one_edit_keys(w) for other in by_key[key]}
        # the order of the all-pairs scan this replaces: same length, then one longer, A-Z
        for other in sorted(near, key=lambda o: (len(o), o)):
            if len(other) not in (len(w), len(w) + 1) or (other <= w and len(other) == len(w)):
                continue
            if Levenshtein.distance(w, other) != 1 or derived(w, other):
                continue
            ga = {groups.find(i) for i in words[w]}
            gb = {groups.find(i) for i in words[other]}
            if len(ga) == 1 and len(gb) == 1:  # a word split between people is no one's typo
                groups.union(ga.pop(), gb.pop())


def one_edit_keys(word: str) -> set[str]:
    """The word and every word one letter shorter made from it: two words one edit apart
    (a letter changed, added or dropped) share one of these keys."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


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
                if not _ROLE_WORD.search(before):
                    continue
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
            if not _ROLE_WORD.search(sent.text):
                continue
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

_FAMILY = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}


def _entity_type(
    rs: Sequence[_Raw], surnames: Collection[int] = (), ids: Sequence[int] = ()
) -> str:
    """The entity's label, voted by its mentions: a cue around a mention ("the Amur region",
    "newspaper Chosun Ilbo", "Comeaux, 49,") or a title counts twice, spaCy's label once, and
    a lone word taken as a person's surname (``surnames``, by index in ``ids``) votes person:
    spaCy often reads "Chohan" alone as an organisation, a facility or a place."""
    votes: Counter[str] = Counter()
    for k, r in enumerate(rs):
        family = _FAMILY.get(r.label, r.label)
        if r.titled or r.cue == "person":
            votes["person"] += 2
        elif ids and ids[k] in surnames:
            votes["person"] += 1
        elif r.cue == "located":
            # "in Huntsville" read as an organisation is a place; "in the Eastern Economic
            # Forum" or "in the Korean War" is not
            one_word_org = r.label == "ORG" and len(r.key) == 1
            votes["place" if family in ("person", "place") or one_word_org else family] += 1
        elif r.cue:
            votes[r.cue] += 2  # the story's own words count more than spaCy's guess
        else:
            votes[family] += 1
    # a tie goes to a person only when spaCy read a full name as one
    full = any(_full_person(r) for r in rs)
    family = max(votes.items(), key=lambda kv: (kv[1], (kv[0] == "person") == full, kv[0]))[0]
    labels = Counter(r.label for r in rs)
    if any(len(r.key) >= 2 and r.key[-1] in CORPORATE for r in rs) and not any(
        r.titled or r.cue == "person" for r in rs
    ):
        return "ORG"  # "Harry Winston" the jeweller, named with "Harry Winston Diamond Corp."
    if family == "person":
        if not any(r.titled or r.cue == "person" or _full_person(r) for r in rs) and (
            labels.get("GPE") or labels.get("LOC")
        ):
            # a one-word name that spaCy also reads as a place, never with a title: a place
            # ("Vladivostok" is labelled PERSON in 9 of its 14 mentions in the example)
            return "GPE" if labels.get("GPE", 0) >= labels.get("LOC", 0) else "LOC"
        return "PERSON"
    if family == "place":
        best = max((labels.get(x, 0), x) for x in ("GPE", "LOC", "FAC"))
        return best[1] if best[0] else "GPE"
    if family == "org":
        return "ORG"
    return family


def _entity(raws: list[_Raw], members: list[int], surnames: Collection[int] = ()) -> Entity:
    rs = [raws[i] for i in members]
    label = _entity_type(rs, surnames, members)
    state = (
        STATE_ALIASES.get(" ".join(rs[0].key))
        if all(isinstance(_merge_key(r), tuple) for r in rs)
        else None
    )
    if state:
        name = STATE_CANONICAL.get(state, state.title())
        if label not in ("GPE", "LOC", "ORG"):
            label = "GPE"
    else:
        name = _canonical(rs, label)
    # "the White House" and "The White House" are the same surface name as "White House"
    forms = {re.sub(r"^[Tt]he\s+", "", r.text) for r in rs} | {r.name for r in rs}
    aliases = tuple(sorted(forms, key=lambda a: (a != name, a)))
    mentions = tuple(sorted({EntityMention(r.article, r.sentence, r.text) for r in rs}, key=_order))
    return Entity(id="e-" + slug(name), name=name, type=label, aliases=aliases, mentions=mentions)


def _canonical(rs: list[_Raw], label: str) -> str:
    """A person's most frequent longest name (the typo loses to its correct spelling); for
    anything else the most frequent name of several words, the shorter on a tie (a span spaCy
    stretched over a neighbouring word is rarer than the name)."""
    if label == "PERSON":
        longest = max(len(split_suffix(r.core)[0]) for r in rs)
        pool = [r for r in rs if len(split_suffix(r.core)[0]) == longest]
    else:
        pool = [r for r in rs if len(r.key) >= 2] or rs
    counts = Counter(r.name for r in pool)
    best = max(
        counts.items(),
        key=lambda kv: (
            not re.search(r"['’]s\s", kv[0]),  # "North’s Korean Central News Agency": a possessor
            kv[1],
            "-" not in kv[0],
            -len(kv[0]),
            kv[0],
        ),
    )
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
