"""A cheap is-this-English check: the share of common function words, plus the script.

The analysis models are English-only; a German or Korean page would give an empty or wrong
briefing, so it is reported instead. No language-identification dependency is needed for that.
"""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
STOPWORDS: dict[str, frozenset[str]] = {
    "English": frozenset(
        "the of and to a in is that for it on was with as by he at from his be are this have "
        "an not but had they which or were has its their been would who will said after also "
        "more than two about i we you she her our into over when there up out could".split()
    ),
    "German": frozenset(
        "der die und das ist nicht zu den von mit sich des auf für dem eine ein im auch es als wird".split()
    ),
    "French": frozenset(
        "le la les et des est une du dans que pour qui au sur par pas il ce avec sont aux".split()
    ),
    "Spanish": frozenset(
        "el la de que y los las en por con una para es del se al su como más pero".split()
    ),
    "Italian": frozenset(
        "il di che e la per un una del della sono non gli le nel alla con si anche".split()
    ),
    "Portuguese": frozenset(
        "o a de que e do da em um uma para com não os as dos das se ao pelo".split()
    ),
    "Dutch": frozenset(
        "de het een van en is dat op te in niet zijn voor met die ook als bij".split()
    ),
}
SCRIPTS = {
    "CYRILLIC": "Russian or another Cyrillic-script language",
    "HANGUL": "Korean",
    "CJK": "Chinese or Japanese",
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
    "ARABIC": "Arabic or Persian",
    "HEBREW": "Hebrew",
    "GREEK": "Greek",
    "DEVANAGARI": "Hindi",
    "THAI": "Thai",
}


def not_english(text: str, min_words: int = 30) -> str | None:
    """None when the text reads as English (or is too short to tell), else what it looks like."""
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 100:
        return None
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
    if non_latin / len(letters) > 0.5:
        counts: dict[str, int] = {}
        for ch in letters:
            if ord(ch) > 0x24F:
                name = unicodedata.name(ch, "")
                for script in SCRIPTS:
                    if name.startswith(script):
                        counts[script] = counts.get(script, 0) + 1
                        break
        if not counts:
            return "a non-Latin script"
        return SCRIPTS[max(counts, key=lambda k: counts[k])]
    words = [w.lower() for w in _WORD_RE.findall(sample)]
    if len(words) < min_words:
        return None
    share = {lang: sum(w in stops for w in words) / len(words) for lang, stops in STOPWORDS.items()}
    if share["English"] >= 0.12:
        return None
    best = max(share, key=lambda k: share[k])
    if best != "English" and share[best] >= 0.12:
        return best
    if share["English"] < 0.05:
        return f"an unknown language, with {share['English']:.0%} English function words"
    return None
