"""Errors as tool answers: a domain error in its own words, anything else in one sentence; never a
traceback, so the assistant (and the user reading along) can see what to change."""

from __future__ import annotations

import sys

import mcp_types as types

from tieline.errors import Ambiguous, TielineError


def failed(message: str) -> types.CallToolResult:
    """A tool answer that says the call failed, and why."""
    return types.CallToolResult(content=[types.TextContent(text=f"error: {message}")], is_error=True)


def tool_error(exc: TielineError) -> types.CallToolResult:
    """A domain error (a person not found, a date not understood...) as the CLI words it."""
    if isinstance(exc, Ambiguous):  # the candidates are in the message: ask for a #id to choose
        return failed(f"{exc.message} (give one of them by #id)")
    return failed(exc.message)


def unexpected(tool: str, exc: Exception) -> types.CallToolResult:
    """A failure that is not the user's: said in one line on stderr (the assistant's log of this
    server) and to the assistant without its internals."""
    print(f"tieline mcp: {tool} failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    return failed(f"{tool} failed inside tieline ({type(exc).__name__}); nothing was written")
