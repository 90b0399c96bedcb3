"""What every summariser shares: the common signature, sentence length, readability, budget.

An algorithm sees a cluster as plain data so the evaluation can run every algorithm on the same
sentence splits: ``docs`` (one list of sentence strings per document), ``vectors`` (one
L2-normalised matrix per document, row i = sentence i) and a word budget. It returns the chosen
``(doc_index, sentence_index)`` pairs, best first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np

Key = tuple[int, int]  # (document index, sentence index)


class Summariser(Protocol):
    def __call__(
        self,
        docs: Sequence[Sequence[str]],
        vectors: Sequence[np.ndarray],
        words: int,
        *,
        boost: Mapping[Key, float] | None = None,
        slack: float | None = None,
    ) -> list[Key]:
        """Chosen sentences, best first. ``boost`` is an optional per-sentence prior in [0, 1]
        (e.g. from claims with many independent sources); ``slack`` see ``fill``."""
        ...


def word_count(text: str) -> int:
    return len(text.split())


# Openings that need an antecedent the reader has not seen when the sentence stands alone.
_DEPENDENT = re.compile(
    r"^(he|she|it|they|this|that|these|those|his|her|its|their|him|them|but|and|or|so|also|"
    r"however|meanwhile|still|yet|then|there|here|such|both|the latter|the former|instead|"
    r"in addition|as a result|for example)\b",
    re.IGNORECASE,
)
_JUNK = re.compile(
    r"(https?://|www\.|@\w|click here|sign up|subscribe|newsletter|all rights reserved|"
    r"copyright|\(ap photo|\bphoto:|getty images|follow us|read more|related:|advertisement|"
    # page furniture that survives text extraction: archive notices, social widgets, forms
    r"internet archive|wayback machine|\bcrawl(s|ed|ing)?\b|no more 404|broken links|"
    r"mailing list|contact details|unsubscribe|your (browser|tweets?|email)|tweet with a location|"
    r"javascript|cookies|terms of (use|service)|privacy policy|story continued below)"
)  # searched in lowercased text: with re.IGNORECASE, re cannot skip ahead to a first letter (3x slower)
_ENDS = (".", "!", '"', "'", "\u201d", "\u2019", ")")
_QUOTES = re.compile(r"[\"\u201c\u201d]")


def depends_on_previous(text: str) -> bool:
    """True when the sentence points backwards: it opens with a pronoun or connective, or it
    closes a quotation that an earlier sentence opened ('We will miss him," she said.')."""
    s = text.strip()
    if _DEPENDENT.match(s.lstrip("\"'\u201c\u2018")):
        return True
    return len(_QUOTES.findall(s)) % 2 == 1 and not s.startswith(('"', "\u201c"))


def readable(text: str, min_words: int = 6, max_words: int = 55) -> bool:
    """Whether a sentence can stand in a summary on its own terms (antecedents apart).

    Rejects fragments, headlines (no final punctuation), questions, lowercase starts (a split
    in the middle of a sentence) and web furniture. Quotation fragments are handled by
    ``depends_on_previous``: rejecting every sentence with unbalanced quotes costs a point of
    ROUGE-1 on Multi-News, because a quotation of several sentences is split into several.
    """
    s = text.strip()
    n = word_count(s)
    if n < min_words or n > max_words:
        return False
    if not s.endswith(_ENDS) or s.endswith("?") or s.rstrip("\"'\u201d\u2019").endswith("?"):
        return False
    first = s.lstrip("\"'\u201c\u2018(")[:1]
    if not first or not (first.isupper() or first.isdigit()):
        return False
    return not _JUNK.search(s.lower())


def fill(
    ranked: Iterable[Key],
    lengths: Mapping[Key, int] | Sequence[Sequence[int]],
    words: int,
    slack: float | None = None,
) -> list[Key]:
    """Take sentences in rank order until the budget is reached.

    With ``slack=None`` (evaluation) the last sentence may overshoot: the summary is cut to the
    reference length afterwards. With a slack (e.g. 0.2) a sentence that would overshoot the
    budget by more than that fraction is passed over for a shorter one further down.
    """
    chosen: list[Key] = []
    total = 0
    for key in ranked:
        if total >= words:
            break
        n = lengths[key] if isinstance(lengths, Mapping) else lengths[key[0]][key[1]]
        if slack is not None and chosen and total + n > words * (1 + slack):
            continue
        chosen.append(key)
        total += n
    return chosen


def stack(vectors: Sequence[np.ndarray]) -> tuple[np.ndarray, list[Key]]:
    """All sentence vectors in one matrix, with the key of each row."""
    keys = [(d, i) for d, m in enumerate(vectors) for i in range(len(m))]
    mats = [m for m in vectors if len(m)]
    if not mats:
        return np.zeros((0, 1), dtype=np.float32), keys
    return np.vstack(mats).astype(np.float32, copy=False), keys
