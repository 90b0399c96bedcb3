"""Timeline metrics as defined by tilse (Martschat & Markert 2017), reimplemented.

- Date-F1: precision/recall of the set of dates of a predicted timeline against the gold one.
- Alignment-based ROUGE-N ("align+ m:1", tilse's ``align_date_content_costs_many_to_one``):
  every predicted date is aligned to the gold date of least cost (and, for recall, every gold
  date to the predicted date of least cost), where cost = (1 - 1/(|days apart| + 1)) times
  (1 - an approximate ROUGE-1 F1 of the two daily summaries). The aligned daily summaries are
  compared with ROUGE-N counts, the matched n-grams weighted by 1/(|days apart| + 1), and
  counts are summed over dates (micro average) before dividing.

tilse runs ROUGE-1.5.5 with stemming (-m), stop-word removal (-s) and raw counts (-t 2). We
count n-grams ourselves the same way: lower-case alphanumeric tokens (rouge-score's
tokenizer), Porter stemming of tokens longer than 3 characters, and stop words removed before
n-grams are formed. The stop list is sumy's English list (580 words) rather than ROUGE's SMART
list (571 words), so scores can differ from tilse's in the third decimal.

Scores over several timelines are averaged the news-tls way: mean precision and mean recall,
then F1 of the means.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from . import PRF

Timeline = Mapping[date, Sequence[str]]  # date -> the sentences of its daily summary

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.cache
def _stopwords() -> frozenset[str]:
    try:
        from sumy.utils import get_stop_words

        return frozenset(get_stop_words("english"))
    except Exception:  # pragma: no cover - sumy missing: fall back to scikit-learn's list
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    from nltk.stem import porter

    return porter.PorterStemmer("ORIGINAL_ALGORITHM")


@functools.lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _stemmer().stem(token) if len(token) > 3 else token


@functools.lru_cache(maxsize=100_000)
def rouge_tokens(sentence: str) -> tuple[str, ...]:
    stop = _stopwords()
    return tuple(_stem(t) for t in _NON_ALNUM.split(sentence.lower()) if t and t not in stop)


def ngrams(sentences: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """N-grams of a summary; n-grams do not cross sentence boundaries (ROUGE-1.5.5 behaviour)."""
    out: Counter[tuple[str, ...]] = Counter()
    for s in sentences:
        toks = rouge_tokens(s)
        out.update(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return out


def date_prf(predicted: Timeline, gold: Timeline) -> PRF:
    pred, ref = set(predicted), set(gold)
    shared = len(pred & ref)
    return PRF(shared / len(pred) if pred else 0.0, shared / len(ref) if ref else 0.0)


def _approx_rouge1(pred: Sequence[str], ref: Sequence[str]) -> float:
    """tilse's quick ROUGE-1 F1 on whitespace tokens, used only to align dates."""
    p = Counter(t for s in pred for t in s.split())
    r = Counter(t for s in ref for t in s.split())
    match = sum(min(c, r[t]) for t, c in p.items())
    prec = match / sum(p.values()) if p else 0.0
    rec = match / sum(r.values()) if r else 0.0
    return 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)


def _cost(d1: date, d2: date, s1: Sequence[str], s2: Sequence[str]) -> float:
    date_factor = 1 - 1 / (abs(d1.toordinal() - d2.toordinal()) + 1)
    return date_factor * (1 - _approx_rouge1(s1, s2))


def _align(sources: Sequence[date], targets: Sequence[date], cost) -> list[date]:  # type: ignore[no-untyped-def]
    """Many-to-one: each source date to its cheapest target (first one on ties, as argmin)."""
    out = []
    for s in sources:
        costs = [cost(s, t) for t in targets]
        out.append(targets[min(range(len(costs)), key=costs.__getitem__)])
    return out


def align_rouge(predicted: Timeline, gold: Timeline, ns: Sequence[int] = (1, 2)) -> dict[int, PRF]:
    """tilse's align_date_content_costs_many_to_one for ROUGE-n, n in ``ns``."""
    pred_dates, ref_dates = sorted(predicted), sorted(gold)
    if not pred_dates or not ref_dates:
        return {n: PRF(0.0, 0.0) for n in ns}
    pred_for_ref = _align(ref_dates, pred_dates, lambda r, p: _cost(p, r, predicted[p], gold[r]))
    ref_for_pred = _align(pred_dates, ref_dates, lambda p, r: _cost(p, r, predicted[p], gold[r]))
    out: dict[int, PRF] = {}
    for n in ns:
        p_num = p_den = r_num = r_den = 0.0
        for p, r in zip(pred_dates, ref_for_pred, strict=True):
            pg, rg = ngrams(predicted[p], n), ngrams(gold[r], n)
            hit = sum(min(c, rg[g]) for g, c in pg.items())
            p_num += hit / (abs(p.toordinal() - r.toordinal()) + 1)
            p_den += sum(pg.values())
        for r, p in zip(ref_dates, pred_for_ref, strict=True):
            pg, rg = ngrams(predicted[p], n), ngrams(gold[r], n)
            hit = sum(min(c, rg[g]) for g, c in pg.items())
            r_num += hit / (abs(p.toordinal() - r.toordinal()) + 1)
            r_den += sum(rg.values())
        out[n] = PRF(p_num / p_den if p_den else 0.0, r_num / r_den if r_den else 0.0)
    return out


def mean_prf(scores: Sequence[PRF]) -> PRF:
    """news-tls averaging: mean precision, mean recall (F1 is then taken of the means)."""
    if not scores:
        return PRF(0.0, 0.0)
    return PRF(
        sum(s.precision for s in scores) / len(scores), sum(s.recall for s in scores) / len(scores)
    )


def read_timeline(text: str) -> dict[date, list[str]]:
    """A tilse timeline file: date line, one sentence per line, blocks split by dashes.

    A date that appears in two blocks gets the sentences of both (as tilse reads it).
    """
    out: dict[date, list[str]] = {}
    current: date | None = None
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if set(s) == {"-"} and len(s) >= 10:
            current = None
            continue
        if current is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            current = date.fromisoformat(s)
            out.setdefault(current, [])
            continue
        if current is not None:
            out[current].append(s)
    return out
