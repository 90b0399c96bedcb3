"""One small hierarchy of errors. Messages say what went wrong and how to fix it.

The CLI turns a ``StorylineError`` into ``Error: <message>`` and its ``exit_code`` in one place
(``cli.py``); the web app into one JSON error shape. Anything else is a bug: caught at the
boundary of one input it becomes an ``InternalError`` for that input (the others go on); caught
by the CLI it is reported as an internal error with exit code 3, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


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


class LimitError(InputError):
    """An input went over one of the limits in ``Settings``; the message names the flag."""

    def __init__(self, source: str, reason: str, flag: str) -> None:
        super().__init__(source, f"{reason}; raise the limit with {flag} if this input is genuine")
        self.flag = flag


class InternalError(InputError):
    """An unexpected exception while handling one input: a bug, reported for that input only."""

    exit_code = 3

    def __init__(self, source: str, exc: BaseException) -> None:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        super().__init__(source, f"internal error (please report): {detail}")
        self.message = f"internal error on {source} (please report): {detail}"
        self.exc = exc


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
# 2 = none could be used (or bad usage, a store that cannot be used), 3 = an internal error (a bug;
# the other inputs were still processed).
EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_FAILED = 2
EXIT_INTERNAL = 3


def exit_code(problems: Sequence[InputError], used: bool) -> int:
    """The exit code of a run that used some inputs (``used``) and skipped ``problems``."""
    if any(isinstance(p, InternalError) for p in problems):
        return EXIT_INTERNAL
    if not used:
        return EXIT_FAILED
    return EXIT_PARTIAL if problems else EXIT_OK
