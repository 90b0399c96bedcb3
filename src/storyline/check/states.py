"""State conflicts: one source says a thing was damaged, another that it was intact ("the main
building is intact with only smoke damage" vs "the fire has destroyed a large section of the
store"); one says a person was well equipped, another ill equipped.

A state is read once per sentence from its parse: (what, polarity, the words naming the thing).
Two states conflict when their polarities differ and they name the same thing (the same head
noun, or the same place name); for a person's state, when they concern the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..models import Sentence
from .facts import same_text
from .links import Key, Link

_DAMAGE = frozenset(
    "destroy devastate damage collapse topple flatten raze gut level wreck demolish".split()
)
_DAMAGE_PARTICLE = {"knock": ("down", "out"), "cut": ("off", "")}
_UTILITIES = frozenset("power electricity water gas phone telephone".split())
_OUTAGE = frozenset("blackout outage".split())
_INTACT = frozenset("intact undamaged unaffected unscathed untouched spared".split())
_NEGATABLE = frozenset("affect damage hit destroy harm".split())
_GOOD = frozenset("well properly adequately fully sufficiently suitably appropriately".split())
_BAD = frozenset("ill poorly badly insufficiently inadequately under".split())
_QUALITY = frozenset("equip prepare train protect maintain organise organize staff".split())
_GENERIC = frozenset(
    """area part section thing place way one it that this side lot number half rest corner
    island country region""".split()
)


@dataclass(frozen=True)
class State:
    key: Key
    what: str  # "damage" or the quality ("equip")
    good: bool  # intact / well done
    nouns: frozenset[str]  # head nouns of the thing (lemmas)
    names: frozenset[str]  # place or organisation names in the thing's phrase
    text: str  # the words that carry the state, as written


_CUES = re.compile(
    r"destr|devastat|damag|collaps|toppl|flatten|raz|gutt|level|wreck|demolish|knock|\bcut\b|"
    r"intact|undamaged|unaffected|unscathed|untouched|spared|affected|\bhit\b|harm|"
    r"equip|prepar|train|protect|maintain|organi[sz]|staff|blackout|outage|restored"
)  # both searched in lowercased text: with re.I, re cannot skip ahead to a first letter


_HYPOTHETICAL = re.compile(r"\b(?:if|would|could|should|might|may|will|unless|whether|must|can)\b")


def sentence_states(s: Sentence, doc: Any) -> list[State]:
    lowered = s.text.lower()
    if doc is None or not same_text(doc, s.text) or not _CUES.search(lowered):
        return []  # a cheap look at the words first: most sentences state nothing of the kind
    if _HYPOTHETICAL.search(lowered):
        return []  # "if it stays over 8,000 psi the well was intact", "they should destroy it"
    out: list[State] = []
    key = (s.article, s.index)
    for tok in doc:
        lemma = tok.lemma_.lower()
        low = tok.lower_
        negated = any(c.dep_ == "neg" for c in tok.children)
        if low in _INTACT or (lemma in _NEGATABLE and negated and tok.tag_ == "VBN"):
            thing = _subject(tok)
            if thing is not None:
                out.append(_state(key, s, "damage", True, thing, tok))
        elif (
            (lemma in _DAMAGE or (lemma in _DAMAGE_PARTICLE and _has_particle(tok)))
            and not negated
            and tok.tag_ in ("VBD", "VBN", "VBZ", "JJ")  # a state, not "destroying" or "to destroy"
        ):
            thing = _object(tok) if tok.tag_ != "VBN" or _active(tok) else _subject(tok)
            if thing is not None:
                out.append(_state(key, s, "damage", False, thing, tok))
        if lemma in _OUTAGE or (lemma == "restore" and tok.tag_ == "VBN" and _utility(_subject(tok))):
            # "a blackout", "power outages", "power was restored": the supply was cut
            out.append(State(key, "damage", False, frozenset({"power"} if lemma in _OUTAGE else {_utility(_subject(tok)) or "power"}), frozenset(), tok.text))
        quality = _quality(tok)
        if quality is not None:
            good, word = quality
            what = re.sub(r"p?ed$", "", tok.lower_) if lemma not in _QUALITY else lemma
            out.append(State(key, what if what in _QUALITY else lemma, good, frozenset(), frozenset(), word))
    return out


def _quality(tok: Any) -> tuple[bool, str] | None:
    """ "well equipped", "ill-equipped", "insufficiently equipped" -> (good?, words)."""
    lemma = tok.lemma_.lower()
    if not (lemma in _QUALITY or re.sub(r"p?ed$", "", tok.lower_) in _QUALITY or tok.lower_.rstrip("d") in _QUALITY):
        return None
    if tok.tag_ not in ("VBN", "JJ"):
        return None
    mods = [c for c in tok.children if c.dep_ in ("advmod", "npadvmod", "amod")]
    left = tok.doc[tok.i - 2 : tok.i] if tok.i >= 2 else tok.doc[: tok.i]
    words = {c.lower_ for c in mods} | {t.lower_ for t in left}
    if words & _GOOD and not words & _BAD:
        return True, tok.doc[min([tok.i] + [c.i for c in mods]) : tok.i + 1].text
    if words & _BAD:
        return False, tok.doc[min([tok.i] + [c.i for c in mods] + [t.i for t in left if t.lower_ in _BAD]) : tok.i + 1].text
    return None


def _utility(thing: Any) -> str | None:
    if thing is None:
        return None
    word = thing.lower_
    return "power" if word == "electricity" else word if word in _UTILITIES else None


def _has_particle(tok: Any) -> bool:
    parts = _DAMAGE_PARTICLE[tok.lemma_.lower()]
    return any(c.dep_ == "prt" and c.lower_ in parts for c in tok.children) or "" in parts


def _active(tok: Any) -> bool:
    return not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _subject(tok: Any) -> Any:
    h = tok
    for _ in range(3):
        subj = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
        if h.dep_ in ("acomp", "xcomp", "oprd", "conj", "advcl") and h.head.i != h.i:
            h = h.head
            continue
        if h.dep_ in ("amod", "acl") and h.head.i != h.i:
            return h.head
        break
    return None


def _object(tok: Any) -> Any:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if objs:
        return objs[0]
    if tok.dep_ in ("acl", "relcl") and tok.head.i != tok.i:
        return tok.head
    return None


def _state(key: Key, s: Sentence, what: str, good: bool, thing: Any, tok: Any) -> State:
    nouns = set()
    head = thing
    if head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() not in _GENERIC:
        nouns.add(head.lower_ if head.lower_ in _UTILITIES else head.lemma_.lower())
    for c in head.subtree:  # "the main area of the supermarket", "the village's power lines"
        # a common noun opening the sentence is often tagged a name ("Power and water supplies")
        noun = c.pos_ == "NOUN" or (c.pos_ == "PROPN" and c.i == 0 and c.lower_ in _UTILITIES)
        if noun and c.dep_ in ("pobj", "compound", "poss", "conj", "nmod") and c.lemma_.lower() not in _GENERIC:
            nouns.add(c.lemma_.lower())
    # names of the thing itself ("the main town, also called Qeshm"), and for a damage, of the
    # place it happened in ("buildings were toppled in the island's capital, Qeshm City")
    spans = [(head.left_edge.idx, head.idx + len(head.text))]
    spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)) for c in head.children if c.dep_ == "appos"]
    if not good:
        spans += [
            (c.idx, c.right_edge.idx + len(c.right_edge.text))
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in ("in", "at")
        ]
    names = {
        w
        for e in s.entities
        if e.label in ("GPE", "LOC", "FAC", "ORG") and any(lo <= e.start < hi for lo, hi in spans)
        for w in re.findall(r"[a-z]{4,}", e.text.lower())
        if w not in _GENERIC
    }
    return State(key, what, good, frozenset(nouns), frozenset(names), tok.text)


def state_links(a: list[State], b: list[State], persons: tuple[frozenset[str], frozenset[str]]) -> list[Link]:
    """Links between the states of two sentences of different polarity about one thing."""
    out = []
    for x in a:
        for y in b:
            if x.what != y.what or x.good == y.good:
                continue
            if x.what == "damage":
                if not (x.nouns & y.nouns or x.names & y.names):
                    continue
                topic = "Damage"
            else:
                pa, pb = persons
                if not (pa and pb and pa & pb):
                    continue  # a person's state: only for the same, named person
                topic = "How well " + (x.what + "d" if x.what.endswith("e") else x.what + ("ped" if x.what.endswith("ip") else "ed"))
            out.append(Link("other", topic, x.key, y.key, x.text, y.text, True))
    return out
