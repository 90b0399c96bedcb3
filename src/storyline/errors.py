"""One small hierarchy of errors. Messages say what went wrong and how to fix it.

The CLI turns a ``StorylineError`` into ``Error: <message>`` and its ``exit_code`` in one place
(``cli.py``); the web app into one JSON error shape. Anything else is a bug and may traceback.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: a problem the user can fix."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(StorylineError):
    """One input (file, URL, record) could not be used. Others may still be."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class NoUsableInput(StorylineError):
    """None of the inputs could be used."""

    exit_code = 2


class DataError(StorylineError):
    """An evaluation data folder is missing or not in the expected format."""

    exit_code = 2


class StoreError(StorylineError):
    """The store cannot be opened or written (not a database, locked, newer schema)."""

    exit_code = 2


class ModelError(StorylineError):
    """A packaged model is missing: the install is incomplete."""

    exit_code = 2


class UsageError(StorylineError):
    """Options that do not make sense together, an unknown story id, an unknown format."""

    exit_code = 2


class RequestRefused(StorylineError):
    """The web app refuses what a request sent (an upload too big, of a wrong type, a bad name).

    ``status`` is the HTTP status the web app answers with.
    """

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# Exit codes of commands that take many inputs: 0 = every input used, 1 = some skipped,
# 2 = none could be used (or a fatal error).
EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_FAILED = 2
