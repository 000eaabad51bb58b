"""Signing in and out (server mode). Public routes: the only pages a person who is not signed in
may open. In local mode (no accounts) /login goes straight to Today."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tieline.services import accounts
from tieline.web.auth import clear_session_cookie, safe_next, set_session_cookie
from tieline.web.deps import IdentityDep, NowDep, SessionDep, StateDep
from tieline.web.templating import templates

router = APIRouter()


def _form(
    request: Request, *, next_path: str, username: str = "", error: str | None = None, status: int = 200
):  # type: ignore[no-untyped-def]
    context = {"next": next_path, "username": username, "error": error}
    return templates.TemplateResponse(request, "ui/login.html", context, status_code=status)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, who: IdentityDep, next: str | None = None) -> Response:
    """The sign-in form; Today straight away when already signed in or when there are no accounts."""
    if who.owner_id is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, next_path=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    state: StateDep,
    now: NowDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the username and password; on success a new session cookie, and on to `next`. A wrong
    one is counted (and committed) so repeated guesses lock the name and the address for a while."""
    address = request.client.host if request.client else "unknown"
    result = accounts.sign_in(session, username=username, password=password, address=address, now=now)
    if result.token is None:
        return _form(
            request, next_path=safe_next(next), username=username, error=result.error, status=result.status
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, state.secret, result.token)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, who: IdentityDep) -> Response:
    """End this browser's session (the others stay signed in) and go to the sign-in page."""
    if who.session_token is not None:
        accounts.sign_out(session, token=who.session_token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    # Tells the browser to drop what this site cached (the offline copies of pages), as on a shared phone.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response
