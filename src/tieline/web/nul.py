"""Refuse text containing NUL characters: PostgreSQL cannot store them, so they would fail late (a 500)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from tieline.web.asgi_body import read_body, replay

MESSAGE = "text may not contain NUL characters"


class NoNul:
    """422 for a query string, JSON body or form body that carries a NUL (uploads are left alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bad = b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", "")
        content_type = Headers(scope=scope).get("content-type", "")
        if not bad and content_type.startswith(("application/json", "application/x-www-form-urlencoded")):
            body = await read_body(receive)
            bad = b"\\u0000" in body or b"%00" in body or b"\x00" in body
            receive = replay(body)
        if bad:
            if scope.get("path", "").startswith("/api/"):
                response = JSONResponse({"error": {"code": "invalid", "message": MESSAGE}}, status_code=422)
            else:
                response = PlainTextResponse(MESSAGE, status_code=422)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
