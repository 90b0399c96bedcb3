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

    # --- web (storyline serve) ---
    web_page_size: int = 20
    """Stories per page of the story list."""
    web_max_upload_bytes: int = 5_000_000
    """Largest file the add page takes; a bigger one is refused with HTTP 413."""
    web_max_upload_files: int = 20
    """Most files in one upload."""
    web_max_request_bytes: int = 30_000_000
    """Largest request body (all files and fields); checked while it arrives."""
    web_max_paste_chars: int = 1_000_000
    """Longest pasted article text."""
    web_max_urls: int = 20
    """Most URLs or feeds in one request."""
    web_cache_pages: int = 256
    """Rendered pages kept in memory (each is re-rendered only when its story's briefing changes)."""
