"""CSRF protection for every state-changing request (double-submit token, SameSite=Strict cookie).

The token lives in a cookie and must come back in a form field or the X-CSRF-Token header (HTMX
sends it from a meta tag). A cross-site page can make the browser send the cookie but cannot read
it to copy it into the request.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tieline.web.asgi_body import read_body, replay

COOKIE = "tieline_csrf"
HEADER = "x-csrf-token"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CSRFMiddleware:
    """Reject unsafe requests whose token does not match the cookie; set the cookie when missing."""

    def __init__(self, app: ASGIApp, *, exempt_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie_token = _cookie(headers.get("cookie", ""))
        token = cookie_token or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        path = scope.get("path", "")
        content_type = headers.get("content-type", "")
        exempt = path.startswith(self.exempt_prefixes)
        # An upload (multipart) is a form any page can send: it needs the token, as the pages do.
        upload = content_type.startswith("multipart/form-data")
        if scope["method"] == "POST" and exempt and not upload:
            # The JSON API takes no token: a cross-site page cannot send a JSON POST without a CORS
            # preflight, which this app never grants; other methods are always preflighted.
            if not content_type.startswith("application/json"):
                response = JSONResponse(
                    {"error": {"code": "unsupported_media_type", "message": "send a JSON body"}},
                    status_code=415,
                )
                await response(scope, receive, send)
                return
        elif scope["method"] not in SAFE_METHODS and (not exempt or (upload and scope["method"] == "POST")):
            sent = headers.get(HEADER)
            body = b""
            if sent is None and content_type.startswith("application/x-www-form-urlencoded"):
                body = await read_body(receive)
                sent = (parse_qs(body.decode("latin-1")).get(FIELD) or [None])[0]
                receive = replay(body)
            if not cookie_token or not sent or not hmac.compare_digest(sent, cookie_token):
                if path.startswith("/api/"):
                    response = JSONResponse(
                        {"error": {"code": "csrf", "message": "missing or wrong CSRF token"}}, status_code=403
                    )
                else:
                    response = PlainTextResponse(
                        "CSRF token missing or wrong: reload the page.", status_code=403
                    )
                await response(scope, receive, send)
                return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and not cookie_token:
                cookie = f"{COOKIE}={token}; Path=/; SameSite=Strict; HttpOnly"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value:
            return value
    return None
