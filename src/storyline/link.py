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
Chosun Ilbo", "Comeaux, 49," (``mention_cue``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
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
    marshal pope rev st first lady state of the former late commander insp inspector det
    detective supt superintendent constable sergeant officer police sheriff judge justice mayor
    councillor councilman councilwoman""".split()
)
# Words of a title that do not make a person of what follows ("the", "State Department").
_WEAK_TITLES = {"the", "of", "state", "first", "former", "late", "st", "foreign", "defense"}
# Outside person names only honorifics go ("the State Department" keeps "State").
HONORIFICS = {"mr", "mrs", "ms", "dr", "gen", "comrade", "president", "the"}
# A ship's type or prefix is not part of its name ("Warship INS Sukanya" is "Sukanya").
VESSEL_WORDS = {"warship", "ship", "vessel", "frigate", "destroyer", "corvette", "tanker"}
VESSEL_PREFIXES = {"ins", "hms", "uss", "usns", "hmas", "hmcs", "hmnzs", "rfs", "mv", "rms", "roks"}
# Adjectives that may come before a title ("Russian President", "North Korean leader").
_PRE_TITLE = re.compile(r"^[A-Z][a-z]+(?:n|ese|i|ish|ch)$|^(?:North|South|U\.?S\.?|UK|EU)$")
# Words news copy abbreviates inside names.
ABBREVIATED = {"mt": "mount", "ft": "fort", "mtn": "mountain"}
# Name particles, left out when names are compared ("Omar al-Bashir" is "Omar Bashir").
PARTICLES = {
    "al", "el", "ad", "bin", "ibn", "bint", "de", "del", "della", "der", "di", "da", "du", "dos",
    "das", "van", "von",
}  # fmt: skip
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Common English diminutives of given names (general vocabulary, not any story's names).
_DIMINUTIVES = {
    "james": "jim jimmy jamie", "robert": "bob bobby rob robbie", "william": "bill billy will",
    "richard": "rick ricky dick rich", "david": "dave davey", "michael": "mike mick mikey",
    "thomas": "tom tommy", "joseph": "joe joey", "charles": "charlie chuck", "edward": "ed eddie ted",
    "daniel": "dan danny", "matthew": "matt", "christopher": "chris", "anthony": "tony",
    "andrew": "andy drew", "stephen": "steve", "steven": "steve", "kenneth": "ken kenny",
    "ronald": "ron ronnie", "donald": "don donny", "timothy": "tim", "gregory": "greg",
    "jeffrey": "jeff", "geoffrey": "geoff", "lawrence": "larry", "gerald": "jerry",
    "patrick": "pat paddy", "peter": "pete", "samuel": "sam", "benjamin": "ben",
    "nicholas": "nick", "alexander": "alex", "jonathan": "jon", "john": "jack johnny",
    "frederick": "fred", "raymond": "ray", "douglas": "doug", "philip": "phil",
    "joshua": "josh", "vincent": "vince", "harold": "harry", "henry": "hank", "walter": "walt",
    "leonard": "len lenny", "stanley": "stan", "theodore": "ted teddy theo",
    "elizabeth": "liz beth betty lizzie", "margaret": "maggie peggy meg", "katherine": "kate katie",
    "catherine": "cathy kate", "jennifer": "jen jenny", "susan": "sue susie",
    "deborah": "debbie deb", "patricia": "patty trish", "rebecca": "becky", "jessica": "jess",
    "victoria": "vicky", "abigail": "abby", "pamela": "pam", "judith": "judy",
    "cynthia": "cindy", "sandra": "sandy", "christine": "chris tina",
}  # fmt: skip
NICKNAMES = {n: full for full, nicks in _DIMINUTIVES.items() for n in nicks.split()}
# Words that end an organisation's name without changing what it names ("Jamaica Hospital
# Medical Center", "U.S. Marshals Service", "Casty store").
DESIGNATORS = {
    "service", "services", "court", "center", "centre", "medical", "store", "shop", "department",
    "office", "agency", "company", "co", "corp", "corporation", "inc", "ltd", "llc", "plc",
    "group", "headquarters", "hq", "branch",
}  # fmt: skip
# Words that end a company's name.
CORPORATE = {"inc", "corp", "corporation", "ltd", "llc", "plc", "co", "company", "holdings"}
# Leading words that make another place ("South Ozone Park" is not "Ozone Park").
QUALIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "new", "old", "upper", "lower", "great", "greater", "little", "inner", "outer",
}  # fmt: skip
# Cues around a mention (``mention_cue``).
PLACE_WORDS = {
    "region", "regions", "province", "provinces", "krai", "kray", "oblast", "okrug", "county",
    "counties", "district", "districts", "prefecture", "territory", "governorate", "municipality",
    "city", "cities", "town", "towns", "village", "villages", "island", "islands", "isle",
    "peninsula", "river", "lake", "sea", "ocean", "gulf", "bay", "strait", "coast", "valley",
    "desert", "glacier", "mountains", "canyon", "suburb", "neighbourhood", "neighborhood",
}  # fmt: skip
# "<word> of X": "the port of", "south-west of", "the outskirts of"
_PLACE_OF = PLACE_WORDS | {
    "port", "capital", "outskirts", "suburbs", "heart", "centre", "center", "north", "south",
    "east", "west", "northeast", "northwest", "southeast", "southwest", "north-east",
    "north-west", "south-east", "south-west",
}  # fmt: skip
# words between a place noun and its names ("villages were identified as X", "a town called X")
_LINKING = {
    "of", "were", "are", "was", "is", "include", "included", "including", "identified", "as",
    "such", "like", "namely", "named", "called",
}  # fmt: skip
# Words that end the name of a building or a street ("Trump Tower" is no person).
FACILITIES = {
    "tower", "towers", "building", "airport", "station", "stadium", "arena", "square", "avenue",
    "boulevard", "highway", "plaza", "cathedral", "mosque", "church", "temple", "prison", "bridge",
}  # fmt: skip
_LOCATIVE = {"in", "near", "outside", "across", "into", "throughout", "toward", "towards", "around"}
ORG_NOUNS = {
    "newspaper", "daily", "agency", "broadcaster", "channel", "network", "company", "firm",
    "magazine", "website", "weekly", "station", "group", "carrier", "airline", "bank", "party",
}  # fmt: skip
ORG_WORDS = DESIGNATORS - {"medical"} | {
    "ministry", "police", "council", "committee", "commission", "university", "college",
    "school", "hospital", "bank", "party", "army", "navy", "command", "association",
    "foundation", "institute", "news", "times", "post", "press", "television", "tv", "radio",
    "forum", "conference", "parliament", "senate", "assembly", "board", "authority", "bureau",
    "herald", "tribune", "journal", "gazette", "telegraph", "chronicle",
}  # fmt: skip

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
    titled: bool  # a person's title was stripped ("Mr Kim", "Insp Gaskin")
    cue: str | None  # "place", "org" or "person" from the words around it (``mention_cue``)
    initials: frozenset[str]  # parts of the key written as initialisms ("U.S.", "INS")

    @property
    def core(self) -> tuple[str, ...]:
        """The key without particles: what names are compared on."""
        return name_core(self.key)

    @property
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


# --- names --------------------------------------------------------------------------------


def strip_title(text: str, person: bool = True) -> str:
    """'Defense Minister Sergei Shoigu' -> 'Sergei Shoigu'; 'the DPRK' -> 'DPRK';
    'Warship INS Sukanya' -> 'Sukanya'.

    ``person=False`` (organisations, places) strips only honorifics, "the" and ship prefixes."""
    titles = TITLES if person else HONORIFICS
    text = re.sub(r"['’]s$", "", text.strip()).strip(" ,.;:\"'“”‘’()")
    tokens = text.split()
    # the longest prefix made of titles (and adjectives in front of them) that leaves a name
    cut = 0
    for i, tok in enumerate(tokens[:-1]):
        low = tok.lower().rstrip(".")
        if low in titles or low in VESSEL_WORDS or low in VESSEL_PREFIXES:
            cut = i + 1
        elif not person or not _PRE_TITLE.match(tok.rstrip(".")):
            break
    # "Indian Naval Ship Sukanya": a ship prefix spelled out
    for k in range(cut + 2, len(tokens)):
        run = tokens[cut:k]
        words = all(re.fullmatch(r"[A-Z][a-z]+(?:['’]s)?", t) for t in run)
        if words and acronym(" ".join(run)).lower() in VESSEL_PREFIXES:
            cut = k
            break
    # spaCy sometimes takes a word after the name into the span ("Mt. Cook National Park on")
    end = len(tokens)
    while end - 1 > cut and tokens[end - 1].islower() and tokens[end - 1] in _TRAILING:
        end -= 1
    return " ".join(tokens[cut:end]) or text


_TRAILING = {"on", "in", "at", "of", "and", "the", "for", "to", "from", "by", "with"}


def name_key(text: str) -> tuple[str, ...]:
    """Normalised name parts: case, accents, hyphens, dots, apostrophes and common
    abbreviations ("Mt") set aside."""
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c)).lower()
    norm = norm.replace("’", "'")
    norm = re.sub(r"[-‐–]", " ", norm)
    norm = re.sub(r"(?<=\w)\.(?=\w)", "", norm)  # U.S. -> us, N. Korea keeps its space
    norm = re.sub(r"[^\w' ]", " ", norm)
    parts = (p.strip("'") for p in norm.split())
    return tuple(ABBREVIATED.get(p, p) for p in parts if p)


def name_core(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key without its particles, when something is left ("al bashir" -> "bashir")."""
    core = tuple(p for p in key if p not in PARTICLES)
    return core if core and len(key) > 1 else key


def _initials_of(name: str) -> frozenset[str]:
    """Key parts written as initialisms: "U.S.", "INS", "USGS"."""
    out: set[str] = set()
    for tok in re.split(r"[\s\-]+", name):
        tok = tok.strip(",;:()'’")
        if re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,6}", tok):
            out.update(name_key(tok))
    return frozenset(out)


def typo_variants(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same number of parts, all equal but one, and that one a single edit apart (>= 4 letters,
    no digits: "102nd" and "112th" precincts are two)."""
    if len(a) != len(b) or len(a) < 2 or a == b:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if any(c.isdigit() for c in x + y) or _derived(x, y, plural=False):
        return False
    return min(len(x), len(y)) >= 4 and Levenshtein.distance(x, y) <= 1


def _split_suffix(parts: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    if len(parts) > 2 and parts[-1] in SUFFIXES:
        return parts[:-1], parts[-1]
    return parts, None


def _same_given(x: str, y: str) -> bool:
    if x == y or NICKNAMES.get(x, x) == NICKNAMES.get(y, y):
        return True
    return min(len(x), len(y)) >= 4 and Levenshtein.distance(x, y) <= 1


def _same_part(x: str, y: str) -> bool:
    """One name part spelt two ways, or an initial for it ("V." for "Vladimir")."""
    if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
        return True
    return min(len(x), len(y)) >= 4 and Levenshtein.distance(x, y) <= 1


def people_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two people's full names (cores) may name one person: the family names (last
    parts) agree, the given names agree (or one is the other's diminutive or initial), middle
    names do not contradict and generational suffixes do not differ."""
    pa, sa = _split_suffix(a)
    pb, sb = _split_suffix(b)
    if sa and sb and sa != sb:
        return False
    if len(pa) < 2 or len(pb) < 2:
        return True
    if not (pa[-1] == pb[-1] or _same_part(pa[-1], pb[-1]) and min(len(pa[-1]), len(pb[-1])) > 1):
        return False
    if not (_same_given(pa[0], pb[0]) or _same_part(pa[0], pb[0])):
        return False
    ma, mb = pa[1:-1], pb[1:-1]
    if len(ma) == len(mb):
        return all(_same_part(x, y) for x, y in zip(ma, mb, strict=True))
    short, long = (ma, mb) if len(ma) < len(mb) else (mb, ma)
    rest = iter(long)
    return all(any(_same_part(x, y) for y in rest) for x in short)


def name_variant(
    ka: tuple[str, ...], kb: tuple[str, ...], initials: frozenset[str] = frozenset()
) -> str | None:
    """How the multi-part name ``ka`` is a variant of ``kb`` (cores), or None. ``initials``:
    the parts of ``ka`` written as initialisms.

    "typo" and "nickname" are symmetric; "middle", "suffix" and "initialism" say the longer
    name adds something to the shorter."""
    if len(ka) < 2 or len(kb) < 2 or ka == kb:
        return None
    if typo_variants(ka, kb):
        return "typo"
    if (
        len(ka) == len(kb)
        and ka[1:] == kb[1:]
        and ka[0] != kb[0]
        and NICKNAMES.get(ka[0], ka[0]) == NICKNAMES.get(kb[0], kb[0])
    ):
        return "nickname"
    (pa, sa), (pb, sb) = _split_suffix(ka), _split_suffix(kb)
    if pa == pb and sa != sb and not sa:
        return "suffix"
    if len(pa) == 2 and len(pb) > 2 and not (sa and sb and sa != sb):
        if pa[-1] == pb[-1] and (pa[0] == pb[0] or _same_given(pa[0], pb[0])):
            return "middle"  # "Duncan Rait" / "Duncan Robert Rait", "Raj K. Chohan"
    for i, part in enumerate(ka):
        if part not in initials or len(part) < 2:
            continue
        n = len(part)
        if (
            ka[:i] == kb[:i]
            and ka[i + 1 :] == kb[i + n :]
            and "".join(w[0] for w in kb[i : i + n]) == part
        ):
            return "initialism"  # "U.S. Geological Survey" / "United States Geological Survey"
    return None


def names_compatible(a: str, b: str) -> bool:
    """Whether two names (titles allowed) may denote one entity, ignoring context:
    the same name, a variant (``name_variant``), a state alias, or one a part of the other."""
    sa, sb = strip_title(a), strip_title(b)
    ka, kb = name_core(name_key(sa)), name_core(name_key(sb))
    if not ka or not kb:
        return False
    if (
        ka == kb
        or "".join(ka) == "".join(kb)
        or name_variant(ka, kb, _initials_of(sa))
        or name_variant(kb, ka, _initials_of(sb))
    ):
        return True
    state_a, state_b = STATE_ALIASES.get(" ".join(ka)), STATE_ALIASES.get(" ".join(kb))
    if state_a and state_a == state_b:
        return True
    short, long = (ka, kb) if len(ka) < len(kb) else (kb, ka)
    return len(short) == 1 and short[0] in long and len(short[0]) >= 3


def _merge_key(r: _Raw) -> object:
    state = STATE_ALIASES.get(" ".join(r.key))
    if state:
        return ("#state", state)
    return r.joined


def mention_cue(before: str, text: str, after: str) -> str | None:
    """What the words around a mention say it is, whatever spaCy's label: "place" ("the Amur
    region", "Primorsky Krai", "villages of Tonban", "south-west of Bandar Abbas", "Golden,
    Colo."), "located" ("in Vladivostok": a place, if only by the preposition), "org"
    ("newspaper Chosun Ilbo", "U.S. Marshals Service") or "person" ("Comeaux, 49,")."""
    possessive = bool(re.search(r"['’]s$", text.strip()) or re.match(r"['’]s\b", after))
    key = name_key(re.sub(r"['’]s$", "", text.strip()))
    if not key:
        return None
    if len(key) >= 2 and (
        key[-1] in PLACE_WORDS and key[-1] not in ("city", "district") or key[-1] in FACILITIES
    ):
        return "place"
    if len(key) >= 2 and key[-1] in ORG_WORDS:
        return "org"
    nxt = re.match(r"\s+([a-z]+)\b", after)
    if nxt and nxt.group(1) in PLACE_WORDS:
        return "place"
    if re.match(r"\s*(?:,\s*\d{1,3}\s*,|\(\d{1,3}\))", after):
        return "person"
    toks = re.findall(r"[\w’'.-]+|,", before[-200:])
    if toks and toks[-1].lower() in ORG_NOUNS:
        return "org"
    # past a list the mention ends ("the villages of Tonban, Gavarzin and Khaledi")
    k = len(toks)
    listed = re.match(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z]", after)
    if k and (toks[k - 1] in ("and", "or") or toks[k - 1] == "," and listed):
        while k and (toks[k - 1] in (",", "and", "or") or toks[k - 1][:1].isupper()):
            k -= 1
    if k and toks[k - 1].lower() == "the":
        k -= 1
    j = k
    while j and k - j < 3 and toks[j - 1].lower() in _LINKING:
        j -= 1
    if j < k and j and toks[j - 1].lower() in (_PLACE_OF if toks[k - 1] == "of" else PLACE_WORDS):
        return "place"
    if k and toks[k - 1].lower() in _LOCATIVE and not possessive:
        return "located"  # "in Vladivostok": a place, though not a place word
    # "Golden, Colo." / "Washington, D.C.": a state or region after a place
    if (
        len(toks) >= 2
        and toks[-1] == ","
        and toks[-2][:1].isupper()
        and re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{1,4}\.", text.strip())
    ):
        return "place"
    return None


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
                    titled=any(w in TITLES - _WEAK_TITLES for w in removed),
                    cue=mention_cue(sent.text[: m.start], m.text, sent.text[m.end :]),
                    initials=_initials_of(name),
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


def acronym(name: str) -> str:
    """'Korean Central News Agency' -> 'KCNA'; 'UN Security Council' -> 'UNSC'."""
    letters = []
    for word in re.split(r"[\s\-]+", name.replace(".", "")):
        if not word or word.lower() in ("of", "the", "and", "for", "on"):
            continue
        letters.append(word if word.isupper() else word[0])
    return "".join(letters).upper()


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
    surnames = {_split_suffix(core)[0][-1] for core in full}
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
            pool = local or sorted(root for root in parts_of if part in parts_of[root])
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
    by_length: dict[int, list[str]] = defaultdict(list)
    for w in pool:
        by_length[len(w)].append(w)
    for w in pool:
        for other in by_length[len(w)] + by_length[len(w) + 1]:
            if other <= w and len(other) == len(w):
                continue
            if Levenshtein.distance(w, other) != 1 or _derived(w, other):
                continue
            ga = {groups.find(i) for i in words[w]}
            gb = {groups.find(i) for i in words[other]}
            if len(ga) == 1 and len(gb) == 1:  # a word split between people is no one's typo
                groups.union(ga.pop(), gb.pop())


def _derived(a: str, b: str, plural: bool = True) -> bool:
    """One word the other plus a demonym ending ("Korea"/"Korean", "Iraq"/"Iraqi") or, with
    ``plural``, a plural one."""
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1 or not long.startswith(short):
        return False
    end = long[-1]
    return end == "i" or (end == "s" and plural) or (end == "n" and short[-1] in "ae")


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
        name = _STATE_CANONICAL.get(state, state.title())
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
        longest = max(len(_split_suffix(r.core)[0]) for r in rs)
        pool = [r for r in rs if len(_split_suffix(r.core)[0]) == longest]
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
