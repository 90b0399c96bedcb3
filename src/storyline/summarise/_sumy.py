"""Feeding our own sentence splits to sumy's graph summarisers.

sumy's default tokenizer needs NLTK data that cannot be downloaded here; sumy accepts any object
with ``to_sentences`` and ``to_words``, so we give it one that never splits (the sentences are
already ours) and tokenises words with a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .candidates import Key

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")


class OwnSentences:
    """A sumy tokenizer over sentences we already split."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def document(docs: Sequence[Sequence[str]]) -> tuple[Any, list[Key]]:
    """A sumy document of every non-empty sentence, one paragraph per input document."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = OwnSentences()
    paragraphs = []
    keys: list[Key] = []
    for d, doc in enumerate(docs):
        sents = []
        for i, text in enumerate(doc):
            if text.strip():
                sents.append(Sentence(text, tokenizer))
                keys.append((d, i))
        paragraphs.append(Paragraph(sents))
    return ObjectDocumentModel(paragraphs), keys


def summarizer(cls: Any) -> Any:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    s = cls(Stemmer("english"))
    s.stop_words = get_stop_words("english")
    return s
