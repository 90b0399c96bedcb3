"""Actor conflicts: different actors doing the same thing to the same object (needs a parse,
so only for the few close pairs that pass the cheap filters)."""

from __future__ import annotations

from typing import Any

from ..align import content_words
from ..models import Sentence
from .links import Key, Link

ACTOR_SIMILARITY = 0.6
"""Two sentences must be this close before their actors are compared (it needs a parse)."""


COMMUNICATION = frozenset(
    "say tell report add note quote cite claim believe suggest write warn announce confirm state "
    "deny insist repeat urge call ask reply describe accuse dismiss".split()
)


_Act = tuple[str, frozenset[str], frozenset[str], str]


def name_tokens(name: str) -> set[str]:
    """The words of a name without titles (also used by the date and place rules)."""
    return {w for w in content_words(name) if w not in {"president", "leader", "minister", "gen"}}


def could_act(s: Sentence) -> bool:
    return sum(e.label in ("PERSON", "ORG", "GPE", "NORP") for e in s.entities) >= 1


SAME_WORDS_SIMILARITY = 0.45
"""Two sentences whose words outside the names are (nearly) the same are compared from this
lower similarity: the names are all that differs, and names weigh heavily in the embedding."""
SAME_WORDS = 0.75
"""...when they share this much of those words (Jaccard)."""
SHARED_WORDS = 0.4
"""Two sentences at least ``ACTOR_SIMILARITY`` apart need share only this much of them."""


def act_words(s: Sentence) -> frozenset[str]:
    """The content words of a sentence outside its names."""
    names = {w for e in s.entities for w in content_words(e.text)}
    return content_words(s.text) - names


def same_act_words(r1: frozenset[str], r2: frozenset[str], similarity: float = 1.0) -> bool:
    """Cheap filter before parsing: two sentences with these ``act_words`` share most words
    outside the names (and they are close, or share nearly all such words)."""
    if similarity < SAME_WORDS_SIMILARITY:
        return False
    if not (r1 and r2):
        return False
    overlap = len(r1 & r2) / len(r1 | r2)
    return overlap >= (SHARED_WORDS if similarity >= ACTOR_SIMILARITY else SAME_WORDS)


def parse_acts(sentences: dict[Key, Sentence]) -> dict[Key, list[_Act]]:
    from ..analyse.nlp import parse

    keys = list(sentences)
    docs = parse([sentences[k].text for k in keys])
    return {k: _acts(sentences[k], doc) for k, doc in zip(keys, docs, strict=True)}


def actor_links(s1: Sentence, s2: Sentence, acts: dict[Key, list[_Act]]) -> list[Link]:
    out = []
    acts1, acts2 = acts[(s1.article, s1.index)], acts[(s2.article, s2.index)]
    for verb, subj1, rest1, who1 in acts1:
        for verb2, subj2, rest2, who2 in acts2:
            if verb != verb2 or not subj1 or not subj2 or subj1 & subj2:
                continue
            union = rest1 | rest2
            if not union or len(rest1 & rest2) / len(union) < 0.5:
                continue
            out.append(
                Link(
                    "actor",
                    _TOPICS.get(verb, f"Who {verb}"),
                    (s1.article, s1.index),
                    (s2.article, s2.index),
                    who1,
                    who2,
                    True,
                )
            )
    return out


def _acts(s: Sentence, doc: Any) -> list[_Act]:
    """(verb lemma, subject name words, other content words, subject as written) for action
    verbs whose subject is a named person, organisation or country."""
    names = [
        (e.start, e.end, e.text) for e in s.entities if e.label in ("PERSON", "ORG", "GPE", "NORP")
    ]
    out = []
    for tok in doc:
        blamed = tok.lemma_.lower() in _BLAME
        if tok.pos_ != "VERB" or (tok.lemma_.lower() in COMMUNICATION and not _claims_an_act(tok) and not blamed):
            continue
        # the doer: an active subject, or the agent of a passive ("was placed ... by the team");
        # a passive subject is the one acted on ("Thomas was placed on injured reserve"); the
        # one blamed ("police blamed the IRA for the bombing")
        if blamed:
            subj = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        else:
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            subj += [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not subj:
            continue
        # a hyphenated name the parser splits into several subjects ("Lashkar-e-Jhangvi")
        span = doc[min(c.left_edge.i for c in subj) : max(c.right_edge.i for c in subj) + 1]
        who = [n for n in names if n[0] >= span.start_char and n[1] <= span.end_char]
        if not who:
            continue
        # The whole subject phrase: "Prodigy, one-half of Mobb Deep" and "Prodigy, iconic rapper"
        # are one actor even when the tagger finds different names in them.
        subj_words = frozenset(name_tokens(span.text))
        after = max(tok.i, max(c.right_edge.i for c in subj)) if blamed else tok.i
        rest = frozenset(content_words(doc[after + 1 : tok.right_edge.i + 1].text))
        out.append((tok.lemma_.lower(), subj_words, rest, span.text))
    return out


_RESPONSIBILITY = frozenset("responsibility credit".split())
_TOPICS = {"blame": "Who was blamed", "claim": "Who claimed responsibility"}
_BLAME = frozenset({"blame"})  # not "accuse": co-defendants are accused of one crime


def _claims_an_act(tok: Any) -> bool:
    """ "claimed responsibility for the attack" is a deed (who did it), not a statement."""
    return tok.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _RESPONSIBILITY for c in tok.children
    )
