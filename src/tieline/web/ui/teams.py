"""Teams (issue 19): your teams; a team's page with its members, what you share with it, an
invitation link (shown once), leaving and removing, and asking who on the team knows someone at an
organisation or one of your people. A teammate's answer shows their username, band and year and the
person as they share them: nothing else of theirs. The join page (`/teams/join/TOKEN`) is opened by
a signed-in account and confirmed with a POST.

Introductions through the team: asking for one from a teammate's answer, your requests and where
they stand (withdraw one not answered), the requests made of you (accept, which proposes the
introduction in your own double opt-in flow, or decline; also from the Today page), and the audit
of what teammates asked of your shares. The request routes name the request only
(`/teams/requests/ID/...`): the service finds it among the account's own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import SHARE_RULE_KINDS
from tieline.models.base import MAX_ID
from tieline.services import people as people_service
from tieline.services import team_requests, team_shares
from tieline.services import teams as teams_service
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.params import IdPath
from tieline.web.templating import templates
from tieline.web.ui.growth_forms import answer, optional

router = APIRouter()
Text = Annotated[str, Form(max_length=500)]
Token = Annotated[str, Path(min_length=1, max_length=200)]
Why = Annotated[str, Form(max_length=2 * team_requests.MAX_WHY)]  # the service says when it is too long
RequestPath = Annotated[int, Path(ge=1, le=MAX_ID)]


def _rule_label(session: Session, owner_id: int, rule: team_shares.Rule) -> str:
    if rule.kind != "person":
        return rule.words()
    try:
        person = people_service.get_person(
            session, owner_id=owner_id, person_id=int(rule.value), details=False
        )
    except NotFound:
        return f"person #{rule.value} (deleted)"
    return person.display_name


def _context(
    session: Session, owner_id: int, team_id: int, message: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Everything the team page shows; NotFound when the account is not in the team."""
    found = teams_service.resolve(session, owner_id=owner_id, text=f"#{team_id}")
    members = teams_service.members(session, owner_id=owner_id, team_id=found.id)
    mine = team_shares.sharing(session, team_id=found.id, owner_id=owner_id)
    return {
        "team": found,
        "members": members,
        "sharing": mine,
        "rules": [(r, _rule_label(session, owner_id, r)) for r in mine.rules],
        "kinds": SHARE_RULE_KINDS,
        "message": message,
        "requests": _requests(session, owner_id, found.id),
        "audit": team_requests.audit(session, team_id=found.id, owner_id=owner_id),
        **extra,
    }


def _requests(session: Session, owner_id: int, team_id: int, said: str | None = None) -> dict[str, Any]:
    """Your requests in the team and those made of you there (the requests section's context)."""
    return {
        "asked": team_requests.asked(session, team_id=team_id, asker=owner_id),
        "waiting": team_requests.waiting(session, holder=owner_id, team_id=team_id),
        "said": said,
    }


@router.get("/teams", response_class=HTMLResponse)
def teams_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Your teams, your role in each and how many are in it; a form to make one."""
    teams = teams_service.my_teams(session, owner_id=owner_id)
    return templates.TemplateResponse(request, "ui/teams.html", {"teams": teams})


@router.post("/teams")
def create(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, name: Text = ""
) -> Response:
    """Make a team (you are its owner) and open its page."""
    made = teams_service.create(session, owner_id=owner_id, name=name, now=now)
    return RedirectResponse(f"/teams/{made.id}", status_code=303)


@router.get("/teams/join/{token}", response_class=HTMLResponse)
def join_page(
    request: Request, token: Token, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """The page an invitation link opens: which team it is for, and a button to join."""
    name = teams_service.invitation(session, token=token, now=now)
    return templates.TemplateResponse(request, "ui/team_join.html", {"team_name": name, "token": token})


@router.post("/teams/join/{token}")
def join(request: Request, token: Token, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> Response:
    """Join the team the invitation is for (the invitation is then used up)."""
    joined = teams_service.join(session, owner_id=owner_id, token=token, now=now)
    return RedirectResponse(f"/teams/{joined.id}", status_code=303)


@router.get("/teams/{team_id}", response_class=HTMLResponse)
def team_page(request: Request, team_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """A team: its members, what you share with it, and asking who knows someone."""
    return templates.TemplateResponse(request, "ui/team.html", _context(session, owner_id, team_id))


@router.get("/teams/{team_id}/who", response_class=HTMLResponse)
def who(
    request: Request,
    team_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    organisation: Annotated[str, Query(max_length=500)] = "",
    person: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """Which teammates know someone at an organisation, or one of your people, and how well."""
    person_id = (
        people_service.resolve_person_id(session, owner_id=owner_id, text=person)
        if optional(person)
        else None
    )
    if optional(organisation) is None and person_id is None:
        raise InvalidInput("name an organisation or one of your people")
    knowers = team_shares.who(
        session, team_id=team_id, asker_owner_id=owner_id, now=now,
        organisation=None if person_id is not None else organisation, person_id=person_id,
    )  # fmt: skip
    asked = {"knowers": knowers, "organisation": organisation, "person": person, "team_id": team_id}
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "ui/_team_who.html", asked)
    return templates.TemplateResponse(
        request, "ui/team.html", _context(session, owner_id, team_id, asked=asked)
    )


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _sharing_answer(
    request: Request, session: Session, owner_id: int, team_id: int, message: str
) -> HTMLResponse:
    return answer(
        request, partial="ui/_team_sharing.html", page="ui/team.html",
        context=_context(session, owner_id, team_id, message),
    )  # fmt: skip


@router.post("/teams/{team_id}/share", response_class=HTMLResponse)
def share(
    request: Request,
    team_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    kind: Annotated[str, Form(max_length=10)] = "",
    value: Text = "",
) -> HTMLResponse:
    """Share more with the team: all your people, a tier, a tag, or one person by name."""
    teams_service.resolve(session, owner_id=owner_id, text=f"#{team_id}")
    rule = team_shares.rule_from(session, owner_id=owner_id, kind=kind, value=optional(value))
    result = team_shares.share(session, team_id=team_id, owner_id=owner_id, rule=rule, now=now)
    said = f"Now sharing {_rule_label(session, owner_id, rule)}: {_people(result.shared)} in all."
    return _sharing_answer(request, session, owner_id, team_id, said)


@router.post("/teams/{team_id}/unshare", response_class=HTMLResponse)
def unshare(
    request: Request,
    team_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    kind: Annotated[str, Form(max_length=10)] = "",
    value: Text = "",
) -> HTMLResponse:
    """Stop sharing one rule (kind and value as listed), or everything (no kind): deleted at once."""
    rule = team_shares.Rule(kind, value) if optional(kind) else None
    result = team_shares.unshare(session, team_id=team_id, owner_id=owner_id, rule=rule, now=now)
    said = f"Stopped sharing {'that' if rule else 'everything'}: {_people(result.shared)} shared now."
    return _sharing_answer(request, session, owner_id, team_id, said)


@router.post("/teams/{team_id}/invite", response_class=HTMLResponse)
def invite(
    request: Request, team_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """A single-use invitation link (owners only), shown this once."""
    made = teams_service.invite(session, owner_id=owner_id, team=f"#{team_id}", now=now)
    link = str(request.url_for("join_page", token=made.token))
    context = {"link": link, "expires_at": made.expires_at}
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "ui/_team_invite.html", context)
    return templates.TemplateResponse(
        request, "ui/team.html", _context(session, owner_id, team_id, invite=context)
    )


@router.post("/teams/{team_id}/leave")
def leave(request: Request, team_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> Response:
    """Leave the team: what you shared with it is deleted now."""
    teams_service.leave(session, owner_id=owner_id, team=f"#{team_id}")
    return RedirectResponse("/teams", status_code=303)


@router.post("/teams/{team_id}/remove")
def remove(
    request: Request, team_id: IdPath, session: SessionDep, owner_id: OwnerDep, username: Text = ""
) -> Response:
    """Take a member out of the team (owners only): what they shared with it is deleted now."""
    teams_service.remove(session, owner_id=owner_id, team=f"#{team_id}", username=username)
    return RedirectResponse(f"/teams/{team_id}", status_code=303)


def _requests_answer(
    request: Request, session: Session, owner_id: int, team_id: int, said: str
) -> HTMLResponse:
    """The requests section again (HTMX: it alone, not the page's members, sharing and audit), or the
    whole page for a form posted without scripts."""
    if request.headers.get("hx-request"):
        context = {"requests": _requests(session, owner_id, team_id, said)}
        return templates.TemplateResponse(request, "ui/_team_requests.html", context)
    context = _context(session, owner_id, team_id)
    context["requests"]["said"] = said
    return templates.TemplateResponse(request, "ui/team.html", context)


@router.post("/teams/{team_id}/ask", response_class=HTMLResponse)
def ask(
    request: Request,
    team_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    share_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    why: Why = "",
) -> HTMLResponse:
    """Ask the teammate sharing an entry (from the answer to who) for an introduction, saying why:
    it goes on their Today page."""
    made = team_requests.ask(session, team_id=team_id, asker=owner_id, share_id=share_id, why=why, now=now)
    said = f"Asked {made.holder} to introduce you to {made.person} (request #{made.id})."
    return _requests_answer(request, session, owner_id, team_id, said)


@router.post("/teams/requests/{request_id}/withdraw", response_class=HTMLResponse)
def withdraw(
    request: Request, request_id: RequestPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """Take back one of your requests not answered yet: it leaves the teammate's agenda."""
    taken = team_requests.withdraw(session, asker=owner_id, request_id=request_id, now=now)
    return _requests_answer(request, session, owner_id, taken.team_id, f"Request #{taken.id} withdrawn.")


@router.post("/teams/requests/{request_id}/accept", response_model=None)
def accept(
    request: Request, request_id: RequestPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> Response:
    """Accept a teammate's request: the introduction is proposed in your double opt-in flow. From a
    page without scripts (or the Today page) you land on Introductions, where it goes on."""
    intro = team_requests.accept(session, holder=owner_id, request_id=request_id, now=now)
    done = team_requests.held(session, holder=owner_id, request_id=request_id)
    if not request.headers.get("hx-request"):
        return RedirectResponse("/introductions", status_code=303)
    said = (
        f"Accepted: introduction #{intro.id} of {done.person} and {done.asker} is {done.introduction}; "
        "it goes on under Introductions."
    )
    return _requests_answer(request, session, owner_id, done.team_id, said)


@router.post("/teams/requests/{request_id}/decline", response_model=None)
def decline(
    request: Request,
    request_id: RequestPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    back: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Decline a teammate's request, no reason asked. Without scripts: back to the team's page, or to
    Today when asked from there (`back=today`)."""
    team_requests.decline(session, holder=owner_id, request_id=request_id, now=now)
    done = team_requests.held(session, holder=owner_id, request_id=request_id)
    if not request.headers.get("hx-request"):
        return RedirectResponse("/" if back == "today" else f"/teams/{done.team_id}", status_code=303)
    return _requests_answer(request, session, owner_id, done.team_id, f"Request #{done.id} declined.")
