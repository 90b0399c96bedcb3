"""One settings object with documented defaults. The CLI builds it in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # --- ingest ---
    max_bytes: int = 20_000_000
    """Bytes read from one input (file, standard input, URL, archive), counted while reading and
    after decompression; more is refused (``--max-bytes``)."""
    min_words: int = 20
    """An article with fewer words of body text than this is reported as having no article."""
    fetch_timeout: float = 15.0
    """Total seconds one URL may take, redirects and body included (``--fetch-timeout``)."""
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

    # --- limits and safety (hardening) ---
    # Each limit holds before memory is spent; the error a limit raises names its flag.
    max_ratio: int = 100
    """Most bytes a compressed input may expand to per compressed byte, once past 1 MB
    (``--max-ratio``): a gzip bomb stops here, long before ``max_bytes``."""
    max_records: int = 10_000
    """Records read from one input: JSON/JSONL records, WARC records, feed entries
    (``--max-records``); the rest are reported as not read."""
    max_line_chars: int = 100_000
    """Longest line of article text in characters (``--max-line-chars``): a paragraph is far
    shorter, and the parser needs memory in proportion to a line's length."""
    max_json_depth: int = 64
    """Deepest nesting of arrays and objects in a JSON input (``--max-json-depth``)."""
    max_number_digits: int = 100
    """Most digits of one number in a JSON input (``--max-number-digits``)."""
    fetch: bool = False
    """Fetch URLs and the pages that feed entries link to. Off unless asked: ``brief`` works
    offline unless given ``--fetch``; ``track`` turns it on (``--no-fetch`` turns it off)."""
    fetch_deadline: float = 300.0
    """Total seconds all fetching in one run may take (``--fetch-deadline``); what was fetched by
    then is kept, the rest is reported as not fetched."""
    fetch_concurrency: int = 8
    """URLs fetched at the same time (``--fetch-concurrency``)."""
    fetch_per_host: int = 2
    """URLs fetched at the same time from one host (``--fetch-per-host``)."""
    allow_private: bool = False
    """Fetch from private, loopback, link-local and other non-public addresses
    (``--allow-private``). Off: such addresses are refused, checked at every redirect and after
    DNS resolution, so a link or a redirect cannot reach the local network or a metadata service."""
    allow_networks: tuple[str, ...] = ()
    """Non-public networks allowed anyway, as addresses or CIDR blocks ("127.0.0.1/32";
    ``--allow-network``); everything else non-public stays refused."""
    lock_wait: float = 600.0
    """Seconds a ``track`` run waits for another writer of the same store (``--lock-wait``)."""

    # --- speed (issue 12) ---
    embed_precision: str = "auto"
    """MiniLM's arithmetic: "fp32"; "bf16" (autocast, needs a CPU with native bfloat16); or
    "auto": $STORYLINE_EMBED_PRECISION when set, else the measured default of
    ``analyse.embed.AUTO_BF16`` on a CPU with native bf16, else fp32."""

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
