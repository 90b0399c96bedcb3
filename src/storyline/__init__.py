"""storyline: news coverage of a story in, a briefing where every line carries its provenance out."""

__version__ = "0.1.0"
