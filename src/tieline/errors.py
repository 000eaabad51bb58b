"""Domain exceptions: each carries a message a user can act on.

They are translated once at each edge: the CLI (`cli/main.py`) turns them into a one-line message
and an exit code, the web app (`web/app.py`) into an HTTP status and a JSON or HTML answer.
"""

from __future__ import annotations


class TielineError(Exception):
    """Base of every error a user can cause and fix; never shown with a traceback."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(TielineError):
    """A person, organisation or record the user named does not exist."""

    http_status = 404


class Ambiguous(TielineError):
    """A name matches more than one record; the candidates are listed so the user can choose."""

    http_status = 409

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class InvalidInput(TielineError):
    """A value the user typed cannot be understood (a date, an email, a tier)."""

    exit_code = 2
    http_status = 422


class ConfigError(TielineError):
    """The configuration (database URL, data directory) cannot be used."""

    exit_code = 2
    http_status = 500


class Busy(TielineError):
    """Another writer held the database longer than a write may wait; nothing was saved."""

    exit_code = 1
    http_status = 503


class Unauthorized(TielineError):
    """Signing in is needed, or what was given to sign in (a password, a token) does not hold."""

    exit_code = 1
    http_status = 401


class Forbidden(TielineError):
    """Signed in, but not allowed this (a read-only token asked to write)."""

    exit_code = 1
    http_status = 403
