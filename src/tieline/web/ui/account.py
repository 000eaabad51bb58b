"""Your account (Settings -> Account): change your password, and personal access tokens for the REST
API (made, shown once, revoked). In local mode there is no password, but tokens work the same."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.errors import TielineError
from tieline.services import accounts, tokens
from tieline.web.deps import IdentityDep, NowDep, OwnerDep, SessionDep
from tieline.web.params import IdPath
from tieline.web.templating import templates

router = APIRouter()


def _page(
    request: Request,
    session: Session,
    owner_id: int,
    *,
    message: str | None = None,
    error: str | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "username": request.state.username,  # read with the request's identity (web/deps.py); None in local mode
        "tokens": tokens.listing(session, owner_id=owner_id),
        "message": message,
        "error": error,
        "new_token": new_token,
        "min_password": accounts.MIN_PASSWORD,
    }
    return templates.TemplateResponse(request, "ui/account.html", context, status_code=status)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Who you are signed in as, the password form and your tokens."""
    return _page(request, session, owner_id)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    who: IdentityDep,
    now: NowDep,
    current: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
    new: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> HTMLResponse:
    """Change your password; your other browsers are signed out, this one stays signed in."""
    try:
        accounts.change_password(
            session, owner_id=owner_id, current=current, new=new, now=now, keep_token=who.session_token
        )
    except TielineError as exc:  # raised before anything was changed: the page says why, in place
        return _page(request, session, owner_id, error=exc.message, status=exc.http_status)
    return _page(request, session, owner_id, message="Password changed; your other browsers are signed out.")


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    name: Annotated[str, Form(max_length=200)],
    scope: Annotated[str, Form(max_length=10)] = "read",
) -> HTMLResponse:
    """Make a token; its secret is shown on this page once and never again."""
    info, secret = tokens.create(session, owner_id=owner_id, name=name, scope=scope, now=now)
    return _page(request, session, owner_id, message=f"Token {info.name!r} made.", new_token=secret)


@router.post("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, token_id: IdPath
) -> HTMLResponse:
    """Revoke one of your tokens: it stops working at once."""
    info = tokens.revoke(session, owner_id=owner_id, which=str(token_id), now=now)
    return _page(request, session, owner_id, message=f"Token {info.name!r} revoked.")
