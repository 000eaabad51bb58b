"""create_app(settings): the FastAPI app serving the HTML pages, the JSON API and static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from tieline import __version__, clock
from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.errors import Ambiguous, TielineError, Unauthorized
from tieline.web import agenda_warmer
from tieline.web.api.schemas import ErrorOut
from tieline.web.auth import clear_session_cookie, safe_next
from tieline.web.csrf import CSRFMiddleware, load_secret
from tieline.web.deps import WebState, owner_id
from tieline.web.headers import SecurityHeaders
from tieline.web.jobs import ImportJobs
from tieline.web.limits import BodyLimit
from tieline.web.nul import NoNul
from tieline.web.sync_scheduler import SyncRunner
from tieline.web.templating import templates
from tieline.web.uploads import MAX_UPLOAD

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_FILES = (
    "htmx.min.js",
    "cytoscape.min.js",
    "chart.umd.min.js",
    "swagger-ui-bundle.js",
    "swagger-ui.css",
)
OPENAPI_URL = "/api/v1/openapi.json"
log = logging.getLogger(__name__)


# The names by which a browser on this machine reaches the app; any other Host is refused, so a
# DNS-rebinding page (evil.example resolving to 127.0.0.1) cannot read or change anything.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    now: Callable[[], datetime] | None = None,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    sync_minute_seconds: float = 60.0,
    agenda_warm_seconds: float | None = agenda_warmer.EVERY_SECONDS,
    agenda_warm_first_delay: float = agenda_warmer.FIRST_DELAY_SECONDS,
) -> FastAPI:
    """Build the web app over one database; nothing happens at import time. `allowed_hosts` are
    the Host names it answers to (loopback unless `tieline serve` is told other names). While it is
    served, its connections sync by themselves every `sync.every_minutes` (a minute lasting
    `sync_minute_seconds`: tests shorten it), and today's agendas not ready are computed every
    `agenda_warm_seconds` (None: never) from `agenda_warm_first_delay` after it starts."""
    # The MCP server over Streamable HTTP at /mcp, behind a personal access token (docs/mcp.md).
    from tieline.mcp_server.http import PATH as MCP_PATH
    from tieline.mcp_server.http import McpOverHttp
    from tieline.web.api import router as api_router
    from tieline.web.ui import public_router
    from tieline.web.ui import router as ui_router

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner: SyncRunner = app.state.sync_runner
        runner.start()
        warmer: agenda_warmer.AgendaWarmer | None = app.state.agenda_warmer
        if warmer is not None:
            warmer.start()
        try:
            async with app.state.mcp.run():  # the MCP transport's task group, for /mcp's requests
                yield
        finally:
            if warmer is not None:
                await run_in_threadpool(warmer.stop)  # waits for an agenda being computed
            await run_in_threadpool(runner.stop)  # waits a while for a sync that is running

    app = FastAPI(
        title="tieline",
        version=__version__,
        description="Local-first relationship manager: people, interactions, the daily agenda.",
        openapi_url=OPENAPI_URL,
        # FastAPI's own docs page loads Swagger UI from a CDN: this app serves it from the package.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    secret = load_secret(settings.data_dir)
    app.state.tieline = WebState(
        settings=settings, database=database or open_database(settings), clock=now or clock.now, secret=secret
    )
    app.state.import_jobs = ImportJobs(database=app.state.tieline.database)
    app.state.sync_runner = SyncRunner(app.state.tieline, minute_seconds=sync_minute_seconds)
    app.state.agenda_warmer = (
        agenda_warmer.AgendaWarmer(
            app.state.tieline, every_seconds=agenda_warm_seconds, first_delay=agenda_warm_first_delay
        )
        if agenda_warm_seconds is not None
        else None
    )
    missing = [name for name in VENDOR_FILES if not (STATIC_DIR / "vendor" / name).exists()]
    if missing:
        log.warning("front-end files missing (%s): run scripts/build-assets", ", ".join(missing))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.mcp = McpOverHttp(app.state.tieline.database, clock=app.state.tieline.now)
    # A plain route (not an APIRoute): its own token check, for every method; exactly /mcp.
    app.add_route(MCP_PATH, app.state.mcp, include_in_schema=False)
    app.add_api_route("/api/v1/docs", _api_docs, include_in_schema=False, response_class=HTMLResponse)
    # Every route but the few public ones (sign-in, the calendar feed's secret address, the web app's
    # manifest) needs an owner: the local one, or in server mode a signed-in account or a token.
    signed_in = [Depends(owner_id)]
    # Every API call may also meet the JSON-only rule (415) from the CSRF middleware.
    app.include_router(
        api_router,
        prefix="/api/v1",
        dependencies=signed_in,
        responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 415: {"model": ErrorOut}},
    )
    app.include_router(public_router)
    app.include_router(ui_router, dependencies=signed_in)
    app.add_middleware(CSRFMiddleware, secret=secret, exempt_prefixes=("/api/",), exempt_paths=(MCP_PATH,))
    app.add_middleware(NoNul)
    app.add_middleware(BodyLimit, max_bytes=MAX_UPLOAD + 1024 * 1024)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    _error_handlers(app)
    return app


def _api_docs(request: Request) -> HTMLResponse:
    """The API's interactive documentation (Swagger UI, served from the package)."""
    return templates.TemplateResponse(request, "api/docs.html", {"openapi_url": OPENAPI_URL})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


def _page_to_return_to(request: Request) -> str:
    """Where signing in should lead back to: the page asked for, or, for a fragment HTMX fetched
    (a badge, a section), the page it was fetched from, so sign-in never lands on a bare fragment."""
    if request.headers.get("hx-request"):
        current = urlsplit(request.headers.get("hx-current-url", ""))
        path, query = current.path, current.query
    elif request.method == "GET":
        path, query = request.url.path, request.url.query
    else:
        return ""
    back = safe_next(path + (f"?{query}" if query else ""))
    return "" if back == "/" else back  # the home page needs no `next`


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> Response:
        # Nobody signed in (server mode): the API says so with a challenge; a page goes to sign in.
        if _wants_json(request):
            return JSONResponse(
                _error_body("unauthorized", exc.message),
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="tieline"'},
            )
        target = "/login"
        back = _page_to_return_to(request)
        if back:
            target += "?" + urlencode({"next": back})
        if request.headers.get("hx-request"):
            response: Response = HTMLResponse("", status_code=401, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        clear_session_cookie(response, request)
        return response

    @app.exception_handler(TielineError)
    async def domain_error(request: Request, exc: TielineError) -> Response:
        code = type(exc).__name__.lower()
        extra = {"candidates": exc.candidates} if isinstance(exc, Ambiguous) else {}
        if _wants_json(request):
            return JSONResponse(_error_body(code, exc.message, **extra), status_code=exc.http_status)
        return _html_error(request, exc.http_status, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "problem": e["msg"]}
            for e in exc.errors()
        ]
        message = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        if _wants_json(request):
            return JSONResponse(_error_body("invalid", message, details=details), status_code=422)
        return _html_error(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if _wants_json(request):
            return JSONResponse(
                _error_body(f"http_{exc.status_code}", message),
                status_code=exc.status_code,
                headers=exc.headers,
            )
        return _html_error(request, exc.status_code, message)


def _html_error(request: Request, status: int, message: str) -> HTMLResponse:
    if request.headers.get("hx-request"):
        return HTMLResponse(
            templates.get_template("ui/_error.html").render(message=message), status_code=status
        )
    return templates.TemplateResponse(
        request, "ui/error.html", {"status": status, "message": message}, status_code=status
    )
