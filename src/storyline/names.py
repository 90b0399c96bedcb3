"""names: what a name is, apart from the text around it, and what that text says of it.

Normalised keys (titles, hyphens, dots, particles, "Mt" set aside), the ways two written names
can be one (``name_variant``: a typo, a diminutive, a middle name, a suffix, an initialism),
whether two people's full names may be one person (``people_compatible``), and the cue the
words around a mention give (``mention_cue``: "the Amur region" is a place). The ``link`` stage
uses these to merge mentions into entities; ``evaluate.coref`` uses ``names_compatible``.
Every word list here is general vocabulary (titles, particles, diminutives, place and
organisation words), not any story's names.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz.distance import Levenshtein

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
WEAK_TITLES = {"the", "of", "state", "first", "former", "late", "st", "foreign", "defense"}
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
STATE_CANONICAL = {
    "north korea": "North Korea",
    "south korea": "South Korea",
    "united states": "United States",
    "united kingdom": "United Kingdom",
    "russia": "Russia",
    "china": "China",
}


# A story repeats its names: the pure functions of a name's text below are cached (a 200-article
# story has ~8,000 mentions of ~2,000 distinct written names).
CACHE_SIZE = 1 << 16


# --- names --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=CACHE_SIZE)
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


@functools.lru_cache(maxsize=CACHE_SIZE)
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


@functools.lru_cache(maxsize=CACHE_SIZE)
def initials_of(name: str) -> frozenset[str]:
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
    if any(c.isdigit() for c in x + y) or derived(x, y, plural=False):
        return False
    return min(len(x), len(y)) >= 4 and Levenshtein.distance(x, y) <= 1


def split_suffix(parts: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
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
    pa, sa = split_suffix(a)
    pb, sb = split_suffix(b)
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
    (pa, sa), (pb, sb) = split_suffix(ka), split_suffix(kb)
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
        or name_variant(ka, kb, initials_of(sa))
        or name_variant(kb, ka, initials_of(sb))
    ):
        return True
    state_a, state_b = STATE_ALIASES.get(" ".join(ka)), STATE_ALIASES.get(" ".join(kb))
    if state_a and state_a == state_b:
        return True
    short, long = (ka, kb) if len(ka) < len(kb) else (kb, ka)
    return len(short) == 1 and short[0] in long and len(short[0]) >= 3


_POSSESSIVE_END = re.compile(r"['’]s$")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_AGE_AFTER = re.compile(r"\s*(?:,\s*\d{1,3}\s*,|\(\d{1,3}\))")  # "Comeaux, 49," / "(49)"
_TOKENS = re.compile(r"[\w’'.-]+|,")
_LISTED_AFTER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z]")


def mention_cue(before: str, text: str, after: str) -> str | None:
    """What the words around a mention say it is, whatever spaCy's label: "place" ("the Amur
    region", "Primorsky Krai", "villages of Tonban", "south-west of Bandar Abbas", "Golden,
    Colo."), "located" ("in Vladivostok": a place, if only by the preposition), "org"
    ("newspaper Chosun Ilbo", "U.S. Marshals Service") or "person" ("Comeaux, 49,")."""
    possessive = bool(_POSSESSIVE_END.search(text.strip()) or _POSSESSIVE_AFTER.match(after))
    key = name_key(_POSSESSIVE_END.sub("", text.strip()))
    if not key:
        return None
    if len(key) >= 2 and (
        key[-1] in PLACE_WORDS and key[-1] not in ("city", "district") or key[-1] in FACILITIES
    ):
        return "place"
    if len(key) >= 2 and key[-1] in ORG_WORDS:
        return "org"
    nxt = _NEXT_WORD.match(after)
    if nxt and nxt.group(1) in PLACE_WORDS:
        return "place"
    if _AGE_AFTER.match(after):
        return "person"
    toks = _TOKENS.findall(before[-200:])
    if toks and toks[-1].lower() in ORG_NOUNS:
        return "org"
    # past a list the mention ends ("the villages of Tonban, Gavarzin and Khaledi")
    k = len(toks)
    listed = _LISTED_AFTER.match(after)
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


def acronym(name: str) -> str:
    """'Korean Central News Agency' -> 'KCNA'; 'UN Security Council' -> 'UNSC'."""
    letters = []
    for word in re.split(r"[\s\-]+", name.replace(".", "")):
        if not word or word.lower() in ("of", "the", "and", "for", "on"):
            continue
        letters.append(word if word.isupper() else word[0])
    return "".join(letters).upper()


def derived(a: str, b: str, plural: bool = True) -> bool:
    """One word the other plus a demonym ending ("Korea"/"Korean", "Iraq"/"Iraqi") or, with
    ``plural``, a plural one."""
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1 or not long.startswith(short):
        return False
    end = long[-1]
    return end == "i" or (end == "s" and plural) or (end == "n" and short[-1] in "ae")
