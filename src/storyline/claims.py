"""claims: each claim (a sentence, or a clause) with its speaker, cue and hedge.

Attribution comes from the dependency parse: a reporting verb that frames the sentence
("Peskov said", "RIA Novosti reported Wednesday", "Western officials believe", "told reporters"),
"according to X", a passive "It was reported by X", or "X was quoted as saying". A sentence is
split into clauses at ";" and where two reporting frames with their own speakers are joined
("Russia and North Korea deny ..., and the Kremlin said ...").

Speakers: "he"/"she" become the most recent person who spoke in the same post (or article); "the
newspaper"/"the agency" the most recently named newspaper/news agency; otherwise the speaker is
kept as written (a person's name without the title when the phrase holds one).

Hedge, first match wins: denied > alleged > speculative (believing cue) > expected (about the
future) > speculative (could/may/might) > reported (attributed) > asserted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .models import AnalysedArticle, ClaimMention, Hedge, Sentence

REPORTING = {
    "say",
    "tell",
    "report",
    "claim",
    "allege",
    "believe",
    "add",
    "state",
    "announce",
    "confirm",
    "deny",
    "insist",
    "warn",
    "note",
    "write",
    "reveal",
    "estimate",
    "argue",
    "explain",
    "predict",
    "think",
    "fear",
    "suspect",
    "assert",
    "quote",
    "cite",
    "suggest",
    "dismiss",
    "reject",
    "acknowledge",
    "admit",
    "stress",
    "emphasize",
    "emphasise",
    "indicate",
    "accuse",
    "speculate",
    "comment",
    "reply",
    "respond",
    "expect",
}
DENY = {"deny", "dismiss", "reject", "refute", "rebuff"}
ALLEGE = {"claim", "allege"}
BELIEVE = {"believe", "suspect", "fear", "think", "speculate", "suggest", "estimate"}
ALLEGE_WORDS = {"reportedly", "allegedly", "purported", "purportedly", "alleged", "supposedly"}
MODAL_SPECULATIVE = {"could", "may", "might"}
FUTURE_PHRASES = re.compile(
    r"\b(?:expected to|set to|plans? to|planned to|planning to|likely|due to (?=\w+\b(?! the))|"
    r"scheduled to|going to|is to|are to|poised to|will|won['’]t|'ll|would|shall)\b",
    re.IGNORECASE,
)
NEWSPAPER_WORDS = (
    "times",
    "post",
    "journal",
    "ilbo",
    "daily",
    "herald",
    "guardian",
    "telegraph",
    "tribune",
    "gazette",
    "izvestia",
    "kommersant",
    "newspaper",
    "news",
    "mail",
)
AGENCY_NAMES = (
    "reuters",
    "ap",
    "associated press",
    "afp",
    "yonhap",
    "tass",
    "ria novosti",
    "kcna",
    "korean central news agency",
    "interfax",
    "xinhua",
    "bloomberg",
    "sputnik",
)
PRONOUNS = {"he", "she"}
CONNECTIVES = {"and", "while", "but", "whereas"}
_MIN_WORDS = 5


@dataclass(frozen=True)
class _Attribution:
    speaker: str | None
    cue: str | None
    lemma: str | None  # lemma of the reporting verb ("according to" -> "accord")
    content: tuple[int, int]  # token range of the claim content (frame excluded), doc-relative


def extract_claims(docs: Sequence[AnalysedArticle]) -> list[ClaimMention]:
    """Claims of every article, in article and sentence order."""
    from .analyse.nlp import parse as parse_sentences

    sentences = [s for d in docs for s in d.sentences]
    parsed = parse_sentences([s.text for s in sentences])
    out: list[ClaimMention] = []
    i = 0
    for doc in docs:
        memory = _Memory()
        for sentence in doc.sentences:
            parse = parsed[i]
            i += 1
            memory.enter(sentence)
            if not is_claim(sentence.text, parse):
                memory.learn(sentence, parse, None)
                continue
            for start, end in clauses(parse):
                span = parse[start:end]
                if len([t for t in span if not t.is_punct]) < _MIN_WORDS - 1:
                    continue
                att = attribution(span)
                speaker = memory.resolve(att.speaker, sentence, parse) if att.speaker else None
                text = span.text.strip()
                out.append(
                    ClaimMention(
                        article=sentence.article,
                        sentence=sentence.index,
                        text=text,
                        speaker=speaker,
                        cue=att.cue,
                        hedge=hedge(span, att),
                    )
                )
                memory.learn(sentence, parse, (att, speaker))
    return out


# --- which sentences are claims ------------------------------------------------------------


def is_claim(text: str, parse: Any) -> bool:
    """Not a heading, a credit line, a question or a fragment."""
    t = text.strip()
    if len(t.split()) < _MIN_WORDS or t.endswith("?") or t.rstrip("”\"’'").endswith("?"):
        return False
    if not re.search(r"[.!…”\"’')\]]$", t):
        return False  # headings and credits carry no final punctuation
    if t.startswith(("—", "–", "(Reporting", "Reporting by", "Editing by")):
        return False
    return any(tok.pos_ in ("VERB", "AUX") for tok in parse)


def clauses(parse: Any) -> list[tuple[int, int]]:
    """Token ranges of the claims of a sentence: split at ';' and between two reporting frames."""
    cuts = [0]
    for tok in parse:
        if tok.text == ";" and 0 < tok.i < len(parse) - 1:
            cuts.append(tok.i + 1)
    # "A deny X, and B said Y" / "A said X, while B said Y": a second reporting frame with its
    # own subject, opened by a connective, starts a second claim
    frames = [
        tok
        for tok in parse
        if tok.lemma_ in REPORTING
        and tok.pos_ == "VERB"
        and (_subject(tok) is not None or (tok.dep_ == "xcomp" and _subject(tok.head) is not None))
        and not any(a.dep_ in ("relcl", "acl") for a in [tok, *tok.ancestors])
    ]
    for first, second in zip(frames, frames[1:], strict=False):
        subject = _subject(second)
        if subject is None:
            continue
        left = min(t.i for t in subject.subtree)
        if left <= first.i or left < 2:
            continue
        if parse[left - 1].lower_ in CONNECTIVES and all(abs(left - 1 - c) > 2 for c in cuts):
            cuts.append(left - 1)
    cuts = sorted(set(cuts))
    ranges = []
    for a, b in zip(cuts, cuts[1:] + [len(parse)], strict=True):
        while b > a and parse[b - 1].text in (";", ","):
            b -= 1
        while len(cuts) > 1 and a < b and parse[a].lower_ in CONNECTIVES:
            a += 1
        if b > a:
            ranges.append((a, b))
    return ranges


# --- attribution ----------------------------------------------------------------------------


def attribution(span: Any) -> _Attribution:
    """Who says the claim of a span (a sentence or clause), with the words that say so."""
    whole = (span.start, span.end)
    # "according to X" wins over a verb: the verb is usually the claim's own
    for tok in span:
        if tok.lower_ == "according" and tok.i + 1 < span.end and tok.nbor().lower_ == "to":
            objs = [c for c in tok.nbor().children if c.dep_ == "pobj"]
            if objs:
                return _Attribution(_phrase(objs[0]), "according to", "accord", whole)
    root = span.root
    frames = [root] + [
        c
        for c in root.children
        if c.dep_ in ("parataxis", "conj", "advcl", "xcomp") and span.start <= c.i < span.end
    ]
    # the parser sometimes hangs a trailing ", Tass reported Tuesday." anywhere: try the last
    # reporting verb after the last comma too
    commas = [t.i for t in span if t.text == "," or t.text in ("”", '"')]
    tail = [
        t
        for t in span
        if commas
        and t.i > commas[-1]
        and t.lemma_ in REPORTING
        and t.pos_ == "VERB"
        and not any(a.dep_ in ("relcl", "acl") for a in [t, *t.ancestors])
    ]
    frames += tail[-1:]
    for verb in frames:
        if verb.lemma_ not in REPORTING or verb.pos_ not in ("VERB", "AUX"):
            continue
        if verb.lemma_ == "expect" and any(c.dep_ == "xcomp" for c in verb.children):
            continue  # "is expected to" is a hedge, not a speaker
        subject = _subject(verb)
        if subject is None and verb.dep_ == "xcomp":  # "The diplomat went on to assert"
            subject = _subject(verb.head)
        cue = verb.text
        # "Tass reported Peskov as saying", "Peskov was quoted as saying by Russian media"
        quoted = _quoted_person(verb)
        if quoted is not None:
            return _Attribution(_phrase(quoted), f"{verb.text} as saying", verb.lemma_, whole)
        if subject is not None and subject.lower_ == "it" and subject.dep_ == "nsubjpass":
            agent = _agent(verb)  # "It was reported by the Associated Press that ..."
            if agent is None:
                continue
            subject = agent
        if subject is None:
            subject = _agent(verb)
        if subject is None and verb.dep_ == "ROOT" and commas and commas[-1] < verb.i:
            # ", the Russian president's press secretary Dmitry Peskov said Tuesday." misparsed
            words = span.doc[commas[-1] + 1 : verb.i]
            if 0 < len(words) <= 10 and any(t.pos_ in ("PROPN", "NOUN") for t in words):
                return _Attribution(words.text.strip(), cue, verb.lemma_, whole)
        if subject is None:
            continue
        if verb.lemma_ == "tell":
            dobj = [
                c
                for c in verb.children
                if c.dep_ in ("dobj", "dative")
                and (c.pos_ == "PROPN" or c.lemma_ in ("reporter", "journalist", "lawmaker"))
            ]
            if dobj:
                cue = f"{verb.text} {dobj[0].text}"
        return _Attribution(_phrase(subject), cue, verb.lemma_, whole)
    return _Attribution(None, None, None, whole)


def _subject(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and not (c.dep_ == "nsubjpass" and c.lower_ != "it"):
            return c
    return None


def _agent(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def _quoted_person(verb: Any) -> Any | None:
    if verb.lemma_ not in ("report", "quote", "cite"):
        return None
    says = [t for t in verb.subtree if t.lemma_ == "say" and t.tag_ == "VBG"]
    if not says or not any(t.lower_ == "as" for t in verb.subtree):
        return None
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.pos_ in ("PROPN", "NOUN"):
            return c
    return None


def _phrase(head: Any) -> str:
    """The noun phrase of a speaker without relative clauses, appositions or trailing commas."""
    drop = {"relcl", "acl", "appos", "punct", "prep", "advcl", "cc", "conj"}
    keep = [head]
    stack = [c for c in head.children if c.dep_ not in drop]
    if any(c.dep_ == "conj" for c in head.children):  # "US and South Korean officials and analysts"
        stack += [c for c in head.children if c.dep_ in ("cc", "conj")]
        stack += [g for c in head.children if c.dep_ == "conj" for g in c.subtree]
    while stack:
        tok = stack.pop()
        if tok not in keep:
            keep.append(tok)
            stack.extend(
                c for c in tok.children if c.dep_ not in ("relcl", "acl", "appos", "punct")
            )
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    text = head.doc[lo : hi + 1].text
    return re.sub(r"['’]s$", "", text).strip(" ,")


# --- hedge ----------------------------------------------------------------------------------


def hedge(span: Any, att: _Attribution) -> Hedge:
    from spacy.attrs import LEMMA, LOWER, TAG  # spaCy is loaded by now (the span is its parse)

    # the span's words, lemmas and tags read off one attribute array: three loops over its
    # tokens made a Python Token of each, three times per claim
    strings = span.doc.vocab.strings
    rows = span.doc.to_array([LOWER, LEMMA, TAG])[span.start : span.end].tolist()
    words = {strings[lower] for lower in {r[0] for r in rows}}
    lemmas = {strings[lemma] for lemma in {r[1] for r in rows}}
    text = span.text
    if (
        att.lemma in DENY
        or lemmas & DENY
        or re.search(r"\binsist\w* (?:that )?\w+ (?:have|has|had|did|do|does) not\b", text)
    ):
        return "denied"
    if att.lemma in ALLEGE or words & ALLEGE_WORDS:
        return "alleged"
    if att.lemma in BELIEVE:
        return "speculative"
    md = strings["MD"]  # "may" the verb, not "May" the month
    modals = {strings[r[0]] for r in rows if r[2] == md}
    future = [m.group(0).lower() for m in FUTURE_PHRASES.finditer(text)]
    # "would" is the future of reported speech ("Peskov said they would meet"); on its own it
    # is a conditional ("it would pose a challenge")
    if any(f != "would" for f in future) or (future and att.cue is not None):
        return "expected"
    if modals & MODAL_SPECULATIVE or future or lemmas & {"fear", "suspect", "believe"}:
        return "speculative"
    if att.speaker is not None or att.cue is not None:
        return "reported"
    return "asserted"


# --- speaker memory ---------------------------------------------------------------------------


class _Memory:
    """Who spoke last and which newspaper/agency was named last, within one post or article."""

    def __init__(self) -> None:
        self.post: int | None = None
        self.person: str | None = None
        self.newspaper: str | None = None
        self.agency: str | None = None
        self.body: str | None = None  # the last speaker that is not a person ("it")

    def enter(self, sentence: Sentence) -> None:
        if sentence.post != self.post:
            self.post = sentence.post
            self.person = self.newspaper = self.agency = self.body = None

    def resolve(self, speaker: str, sentence: Sentence, parse: Any) -> str:
        low = speaker.lower()
        if low in PRONOUNS:
            return self.person or speaker
        if low in ("the newspaper", "the paper", "the daily", "newspaper"):
            return self.newspaper or speaker
        if low in ("the agency", "the news agency"):
            return self.agency or speaker
        if low in ("it", "they"):
            return self.body or speaker
        person = _person_in(speaker, sentence, parse)
        return person or speaker

    def learn(
        self, sentence: Sentence, parse: Any, said: tuple[_Attribution, str | None] | None
    ) -> None:
        names = [(m.text, m.label) for m in sentence.entities] or [
            (e.text, e.label_) for e in parse.ents
        ]
        for text, label in names:
            low = re.sub(r"^the\s+", "", text.lower())
            if label in ("ORG", "WORK_OF_ART", "PERSON", "GPE") and any(
                w in low.split() for w in NEWSPAPER_WORDS
            ):
                self.newspaper = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE).strip()
        if said is not None:
            att, speaker = said
            if not speaker or not att.speaker or att.speaker.lower() in PRONOUNS | {"it", "they"}:
                return  # a resolved pronoun: the memory already holds that speaker
            low = speaker.lower()
            if _is_person(speaker, sentence, parse):
                self.person = speaker
            else:
                self.body = speaker
            # an agency is remembered when it speaks, not when it is told something
            if (
                any(re.search(rf"\b{re.escape(a)}\b", low) for a in AGENCY_NAMES)
                or "news agency" in low
            ):
                self.agency = speaker


def _person_in(speaker: str, sentence: Sentence, parse: Any) -> str | None:
    """The person's name inside a speaker phrase ("Kremlin spokesman Dmitry Peskov" -> "Dmitry Peskov")."""
    names = [m.text for m in sentence.entities if m.label == "PERSON"] or [
        e.text for e in parse.ents if e.label_ == "PERSON"
    ]
    inside = [n for n in names if n in speaker]
    if len(inside) == 1 and (len(inside[0].split()) >= 2 or speaker.split()[-1] == inside[0]):
        return re.sub(r"['’]s$", "", inside[0])
    return None


def _is_person(speaker: str, sentence: Sentence, parse: Any) -> bool:
    if _person_in(speaker, sentence, parse):
        return True
    names = [m.text for m in sentence.entities if m.label == "PERSON"] + [
        e.text for e in parse.ents if e.label_ == "PERSON"
    ]
    return any(speaker == n or speaker.endswith(" " + n) for n in names) or bool(
        re.match(r"^(?:Mr|Mrs|Ms|Dr|Gen)\.? [A-Z]", speaker)
    )
