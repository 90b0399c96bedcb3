"""One settings object with documented defaults. The CLI builds it in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # --- ingest ---
    max_bytes: int = 20_000_000
    """Inputs larger than this are refused (a huge file is almost always a mistake)."""
    min_words: int = 20
    """An article with fewer words of body text than this is reported as having no article."""
    fetch_timeout: float = 15.0
    """Seconds before a URL fetch gives up."""
    user_agent: str = "storyline/0.1 (+news briefing tool)"

    # --- summarise ---
    words: int = 150
    """Target summary length in words."""
    summariser: str = "corroboration"
    """Key in ``summarise.SUMMARISERS``."""

    # --- align / check ---
    align_threshold: float = 0.62
    """Cosine similarity two claims from different articles need before they are compared at
    all; being the same claim also takes shared content words and agreeing dates and numbers."""
    copy_threshold: float = 0.9
    """Similarity above which two sentences are taken as copies of one another."""

    # --- track ---
    story_threshold: float = 0.22
    """Similarity above which an article joins an existing story."""
    story_idle_days: float = 3.0
    """A story with no new article for this many days no longer takes articles about a new event."""
    max_active_stories: int = 2000
    """Stories kept in memory for assignment; older ones are retired (stay in the store)."""

    # --- runtime ---
    batch_size: int = 64
    progress: bool = True

    # --- batch (``storyline batch``: the same stages over a corpus, on a Dask cluster) ---
    batch_partition_bytes: int = 4_000_000
    """Input bytes per partition: small files are grouped and large JSONL files split to about this."""
    batch_name_postings: int = 50
    """A name links articles for story assignment only where at most this many articles within one
    time window (``story_idle_days``) carry it: rare names; "Obama" links nothing."""
    batch_block_terms: int = 20
    """An article's most frequent words link it like names do (where rare in the time window)."""
    batch_lsh_threshold: float = 0.3
    """Word-set Jaccard similarity that the MinHash-LSH blocking is tuned to catch."""
    batch_lsh_perms: int = 64
    """MinHash permutations per article."""
    batch_assign_articles: int = 2000
    """Articles per story-assignment task (whole blocks: a larger block is one task of its own)."""
    batch_brief_articles: int = 200
    """Articles per briefing task (whole stories)."""
