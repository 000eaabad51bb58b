"""`/mcp` in server mode (issues 17 and 18): the MCP server over the SDK's Streamable HTTP transport,
behind a personal access token.

Every request carries `Authorization: Bearer tl_...`: the token's owner is whose data the tools read,
and only a token of scope "write" is offered the writing tools. No token, or one unknown, revoked or
of a disabled account, is answered 401 with a `WWW-Authenticate: Bearer` challenge before the SDK
sees the request. Cookies are never read here: an assistant is not a browser, and with no cookie
there is no cross-site request to forge.

The transport is stateless (`stateless=True`, answers as JSON): no `Mcp-Session-Id`, nothing kept in
the process between requests, so any of `tieline serve --workers N`'s processes (or machines behind
a proxy) answers any request. Every message is a POST answered in its own response; a GET (a stream
for the server's own messages, which would carry nothing) is 405.

The SDK's own Host/Origin check (DNS rebinding) is off in favour of the app's, which stand in front
of `/mcp`: TrustedHostMiddleware refuses any Host but the names `tieline serve` allows (one list, in
one place, rather than a second copy in the SDK's format), the CSRF middleware refuses a browser's
cross-origin request, and a rebinding page has no token anyway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from tieline.db import Database
from tieline.errors import TielineError
from tieline.mcp_server.server import ToolRunner, build_server
from tieline.services import tokens

PATH = "/mcp"
CALLER = "tieline.mcp_caller"  # the scope key the token's owner and scope travel under to the tools
READ_ONLY = "this token may only read; make one with --scope write for the tools that write"
CHALLENGE = 'Bearer realm="tieline"'


@dataclass(frozen=True)
class Caller:
    """Whose token a request carried, and whether it may write."""

    owner_id: int
    writes: bool


def bearer(headers: Headers) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def _refused(status: int, code: str, message: str, challenge: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": challenge} if challenge else None
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class McpOverHttp:
    """The ASGI app at `/mcp`: the token checked, then the SDK's stateless Streamable HTTP transport
    over `build_server`, each request answered by a `ToolRunner` of the token's owner and scope.
    `run()` must be entered in the web app's lifespan (the SDK's task group for the requests)."""

    def __init__(self, database: Database, *, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock
        self.server = build_server(
            self.runner_for,
            in_thread=True,
            description="Your professional network, from your tieline account.",
        )
        self.managers: list[StreamableHTTPSessionManager] = []  # the running one last

    @asynccontextmanager
    async def run(self) -> AsyncIterator[None]:
        """The SDK's session manager and its task group, for the app's lifespan. A manager runs only
        once, and an app's lifespan may start again (a test's second client): a new one each time."""
        manager = StreamableHTTPSessionManager(
            self.server,
            json_response=True,
            stateless=True,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        async with manager.run():
            self.managers.append(manager)
            try:
                yield
            finally:
                self.managers.remove(manager)

    def runner_for(self, ctx: Any) -> ToolRunner:
        """The runner for one MCP request: the owner and scope its token proved (set by `__call__`)."""
        request = getattr(ctx, "request", None)
        caller = request.scope.get(CALLER) if request is not None else None
        if not isinstance(caller, Caller):  # never: every request passes __call__ first
            raise RuntimeError("an MCP request reached the tools without a token checked")
        return ToolRunner(
            self.database,
            owner_id=caller.owner_id,
            clock=self.clock,
            allow_writes=caller.writes,
            withheld_because=READ_ONLY,
        )

    def caller_of(self, secret: str) -> Caller | None:
        """Whose token this is (None: unknown, revoked, its account disabled), read in a short
        transaction; its last-use time written at most every minute, never failing the request."""
        now = self.clock()
        with self.database.transaction() as session:
            use = tokens.owner_of(session, secret=secret, now=now)
        if use is None:
            return None
        if use.needs_touch:
            try:
                with self.database.transaction(writes=True) as session:
                    tokens.touch(session, token_id=use.token_id, now=now)
            except TielineError:  # the database busy: the time is written on a later request
                pass
        return Caller(owner_id=use.owner_id, writes=use.scope == "write")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await _refused(404, "not_found", "MCP is served over HTTP POST")(scope, receive, send)
            return
        secret = bearer(Headers(scope=scope))
        if secret is None:
            refusal = _refused(
                401,
                "unauthorized",
                "send 'Authorization: Bearer TOKEN' (tieline token create; --scope write for the "
                "tools that write)",
                CHALLENGE,
            )
            await refusal(scope, receive, send)
            return
        try:
            caller = await anyio.to_thread.run_sync(self.caller_of, secret)
        except TielineError as exc:
            await _refused(exc.http_status, type(exc).__name__.lower(), exc.message)(scope, receive, send)
            return
        if caller is None:
            refusal = _refused(
                401,
                "unauthorized",
                "this token is unknown or revoked (tieline token list shows yours)",
                f'{CHALLENGE}, error="invalid_token"',
            )
            await refusal(scope, receive, send)
            return
        if scope["method"] != "POST":
            # Stateless, every message is a POST answered in its response: a GET's stream for the
            # server's own messages would stay open with nothing ever sent on it (the 2026 protocol
            # answers so too), and there is no session for a DELETE to end.
            refusal = _refused(405, "method_not_allowed", "send MCP messages by POST")
            refusal.headers["Allow"] = "POST"
            await refusal(scope, receive, send)
            return
        if not self.managers:  # served without the app's lifespan
            await _refused(503, "unavailable", "the MCP server is not running")(scope, receive, send)
            return
        await self.managers[-1].handle_request({**scope, CALLER: caller}, receive, send)
