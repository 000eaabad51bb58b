"""CSRF protection for every state-changing request: where it comes from, and a signed token.

Two checks, each enough against a browser on its own, both kept:

- **Where the request comes from.** A browser says it in `Sec-Fetch-Site` (anything but
  `same-origin`, or `none` for what the user typed, is refused) and in `Origin` (it must name this
  very host and port). A page served by another program on another local port is the same *site*
  as 127.0.0.1 but not the same *origin*, so it is refused, the JSON API included.
- **A token only this server can make.** The cookie holds `nonce.signature`, signed with a secret
  kept in the data folder (`web-secret`, 0600), and must come back in a form field or the
  X-CSRF-Token header (HTMX sends it from a meta tag). A cookie that another page planted (cookies
  ignore ports) is not signed by the secret, so it is replaced rather than trusted.

The JSON API takes no token: an unsafe API request must carry a JSON body (a cross-site form cannot
send one without a CORS preflight, which this app never grants), and the origin check applies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tieline.private_files import make_private_dir, open_private
from tieline.web.asgi_body import read_body, replay

COOKIE = "tieline_csrf"
HEADER = "x-csrf-token"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SECRET_FILE = "web-secret"
# What a browser's Sec-Fetch-Site may say of a state-changing request: from this origin, or typed.
SAME_ORIGIN = frozenset({"same-origin", "none"})


def load_secret(data_dir: Path) -> bytes:
    """The server's signing secret, made on first use in a file only its owner can read."""
    path = data_dir / SECRET_FILE
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        make_private_dir(data_dir)
        secret = secrets.token_bytes(32)
        try:
            with open_private(path, "wb") as out:
                out.write(secret)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_bytes()
    if len(secret) < 32:
        raise ValueError(f"{path}: too short to sign with; delete it and a new one is made")
    return secret


class TokenSigner:
    """Makes tokens and tells the ones it made from any other string."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, nonce: str) -> str:
        digest = hmac.new(self._secret, nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def new(self) -> str:
        """A fresh signed token."""
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._signature(nonce)}"

    def valid(self, token: str | None) -> bool:
        """Whether this server signed the token."""
        if not token:
            return False
        nonce, _, signature = token.partition(".")
        return bool(nonce) and hmac.compare_digest(signature, self._signature(nonce))


def cross_origin(headers: Headers) -> str | None:
    """Why a browser's request comes from another origin than this one, or None when it does not."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in SAME_ORIGIN:
        return f"a {site} request"
    origin = headers.get("origin")
    if origin is not None and (
        origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower()
    ):
        return f"a request from {origin}"
    return None


class CSRFMiddleware:
    """Refuse unsafe requests from another origin or without this server's token; set the token
    cookie when the request has none signed by this server."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: bytes,
        exempt_prefixes: tuple[str, ...] = (),
        exempt_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.signer = TokenSigner(secret)
        self.exempt_prefixes = exempt_prefixes
        self.exempt_paths = frozenset(exempt_paths)  # these paths exactly, not what begins with them

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie_token = _cookie(headers.get("cookie", ""))
        if not self.signer.valid(cookie_token):
            cookie_token = None
        token = cookie_token or self.signer.new()
        scope.setdefault("state", {})["csrf_token"] = token
        path = scope.get("path", "")
        api = path.startswith("/api/")
        method = scope["method"]
        if method not in SAFE_METHODS:
            refusal, receive = await self._refusal(scope, receive, headers, cookie_token)
            if refusal is not None:
                await _refuse(refusal, api)(scope, receive, send)
                return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and not cookie_token:
                cookie = f"{COOKIE}={token}; Path=/; SameSite=Strict; HttpOnly"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _refusal(
        self, scope: Scope, receive: Receive, headers: Headers, cookie_token: str | None
    ) -> tuple[tuple[int, str, str] | None, Receive]:
        """(status, code, message) when the request must be refused, and the body to replay."""
        if (why := cross_origin(headers)) is not None:
            return (403, "csrf", f"refused {why}: only this app's own pages may change data"), receive
        content_type = headers.get("content-type", "")
        path = scope.get("path", "")
        exempt = path in self.exempt_paths or path.startswith(self.exempt_prefixes)
        # An upload (multipart) is a form any page can send: it needs the token, as the pages do;
        # unless it proves itself with an API token, which no other page's form can send (a
        # cross-origin Authorization header needs a CORS preflight, never granted) and which then
        # signs it in instead of the cookies (web/auth.py).
        upload = content_type.startswith("multipart/form-data")
        with_token = headers.get("authorization", "").lower().startswith("bearer ")
        if exempt and upload and with_token:
            return None, receive
        if exempt and not upload:
            if scope["method"] == "POST" and not content_type.startswith("application/json"):
                return (415, "unsupported_media_type", "send a JSON body"), receive
            return None, receive
        sent = headers.get(HEADER)
        if sent is None and content_type.startswith("application/x-www-form-urlencoded"):
            body = await read_body(receive)
            sent = (parse_qs(body.decode("latin-1")).get(FIELD) or [None])[0]
            receive = replay(body)
        if not cookie_token or not sent or not hmac.compare_digest(sent, cookie_token):
            return (403, "csrf", "missing or wrong CSRF token: reload the page"), receive
        return None, receive


def _refuse(refusal: tuple[int, str, str], api: bool) -> Response:
    status, code, message = refusal
    if api:
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    return PlainTextResponse(message[:1].upper() + message[1:] + ".", status_code=status)


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value:
            return value
    return None
