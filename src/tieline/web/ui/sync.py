"""Settings -> Sync: the accounts synced with how each last ran, forms to connect an IMAP mailbox, a
CalDAV account, a CardDAV address book or an ICS address, removing one, "Sync now" run in the
background (polled), and the address books' conflicts to resolve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound, TielineError
from tieline.services import preferences
from tieline.services.sync import carddav_setup as carddav_service
from tieline.services.sync import conflicts as conflicts_service
from tieline.services.sync import connections as connections_service
from tieline.services.sync import discovered as discovered_service
from tieline.services.sync.secrets import SecretUnavailable, run_password_command
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.params import IdPath
from tieline.web.sync_scheduler import SyncRunner
from tieline.web.templating import templates

router = APIRouter()

Text = Annotated[str, Form(max_length=1000)]
Secret = Annotated[str, Form(max_length=4000)]
# The fields a failed form is shown again with: never a password, nor an ICS address (one often is).
KEPT_FIELDS = ("name", "host", "port", "tls", "user", "months", "folders", "calendars", "ca_file",
               "password_command", "addressbook", "send", "notes")  # fmt: skip


def runner(request: Request) -> SyncRunner:
    """The app's sync runner (web/app.py makes it)."""
    return request.app.state.sync_runner  # type: ignore[no-any-return]


def _page(
    request: Request, session: Session, owner_id: int, *, status: int = 200, **extra: Any
) -> HTMLResponse:
    prefs = preferences.load(session, owner_id=owner_id)
    context = {
        "connections": connections_service.list_connections(session, owner_id=owner_id),
        "every_minutes": prefs["sync.every_minutes"],
        "discovered_count": discovered_service.count(session, owner_id=owner_id),
        "conflicts": conflicts_service.conflicts(session, owner_id=owner_id),
        "form": {},
        "kind": None,
        **extra,
    }
    return templates.TemplateResponse(request, "ui/sync.html", context, status_code=status)


@router.get("/sync", response_class=HTMLResponse)
def sync_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Each connection with its last run, counts, next run and last error; the forms to add one."""
    return _page(request, session, owner_id)


def _number(text: str, field: str, default: int) -> int:
    try:
        return int(text) if text.strip() else default
    except ValueError:
        raise InvalidInput(f"{field} {text!r}: give a whole number") from None


def _listed(text: str) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] or None


def _password(password: str, command: str) -> str | None:
    """The password to store: none when a command gives it (the command is kept, not a secret)."""
    if command.strip():
        if password:
            raise InvalidInput("give either a password or a password command, not both")
        return None
    if not password:
        raise InvalidInput("give the password (or a command that prints it)")
    return password


def _add(
    request: Request, session: Session, owner_id: int, now: datetime, kind: str, form: dict[str, str],
    build: Callable[[], tuple[dict[str, Any], str | None]],
) -> HTMLResponse:  # fmt: skip
    """Add a connection from a form; a refusal shows the form again with the reason, its secret empty."""
    state = request.app.state.tieline
    try:
        name = connections_service.check_name(form["name"].strip())
        settings, secret = build()
        connections_service.add_connection(
            session, owner_id=owner_id, kind=kind, name=name, settings=settings, secret=secret,
            data_dir=state.settings.data_dir, now=now,
        )  # fmt: skip
    except (InvalidInput, TielineError) as exc:  # a refusal, or the server's answer to discovery
        kept = {key: value for key, value in form.items() if key in KEPT_FIELDS}
        return _page(request, session, owner_id, status=422, error=exc.message, form=kept, kind=kind)
    where = connections_service.where(kind, settings)
    return _page(request, session, owner_id, message=f"connected {name} ({where}): sync it now or let it run")


@router.post("/sync/imap", response_class=HTMLResponse)
def add_imap(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, name: Text, host: Text,
    user: Text, port: Text = "993", tls: Text = "ssl", password: Secret = "", password_command: Text = "",
    months: Text = "12", folders: Text = "", ca_file: Text = "",
) -> HTMLResponse:  # fmt: skip
    """Connect a mailbox over IMAP (headers only; nothing is marked read)."""

    def build() -> tuple[dict[str, Any], str | None]:
        settings = connections_service.imap_settings(
            host=host, port=_number(port, "port", 993), tls=tls, user=user, folders=_listed(folders),
            months=_number(months, "months", 12), ca_file=ca_file.strip() or None,
            password_command=password_command.strip() or None,
        )  # fmt: skip
        return settings, _password(password, password_command)

    form = {"name": name, "host": host, "user": user, "port": port, "tls": tls, "months": months,
            "folders": folders, "ca_file": ca_file, "password_command": password_command}  # fmt: skip
    return _add(request, session, owner_id, now, "imap", form, build)


@router.post("/sync/caldav", response_class=HTMLResponse)
def add_caldav(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, name: Text, url: Text,
    user: Text = "", password: Secret = "", password_command: Text = "", months: Text = "12",
    calendars: Text = "", ca_file: Text = "",
) -> HTMLResponse:  # fmt: skip
    """Connect a calendar account over CalDAV (without a user, no password is asked for)."""

    def build() -> tuple[dict[str, Any], str | None]:
        settings = connections_service.caldav_settings(
            url=url, user=user.strip() or None, calendars=_listed(calendars),
            months=_number(months, "months", 12), ca_file=ca_file.strip() or None,
            password_command=password_command.strip() or None,
        )  # fmt: skip
        secret = _password(password, password_command) if user.strip() else None
        return settings, secret

    form = {"name": name, "url": url, "user": user, "months": months, "calendars": calendars,
            "ca_file": ca_file, "password_command": password_command}  # fmt: skip
    return _add(request, session, owner_id, now, "caldav", form, build)


@router.post("/sync/carddav", response_class=HTMLResponse)
def add_carddav(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, name: Text, url: Text,
    user: Text, password: Secret = "", password_command: Text = "", addressbook: Text = "",
    send: Text = "all", notes: Text = "", ca_file: Text = "",
) -> HTMLResponse:  # fmt: skip
    """Connect an address book over CardDAV, synced both ways; the book is found from the address."""

    def build() -> tuple[dict[str, Any], str | None]:
        connections_service.check_url(url)
        carddav_service.parse_send(send)
        secret = _password(password, password_command)
        try:
            found_with = secret if secret is not None else run_password_command(password_command.strip())
        except SecretUnavailable as exc:
            raise InvalidInput(str(exc)) from None
        book = carddav_service.find_address_book(
            url=url.strip(), user=user.strip(), secret=found_with, name=addressbook.strip() or None,
            ca_file=ca_file.strip() or None,
        )  # fmt: skip
        settings = carddav_service.carddav_settings(
            url=url, user=user.strip(), book=book, send=send.strip() or "all", notes=bool(notes),
            ca_file=ca_file.strip() or None, password_command=password_command.strip() or None,
        )  # fmt: skip
        return settings, secret

    form = {"name": name, "url": url, "user": user, "addressbook": addressbook, "send": send, "notes": notes,
            "ca_file": ca_file, "password_command": password_command}  # fmt: skip
    return _add(request, session, owner_id, now, "carddav", form, build)


@router.post("/sync/conflicts/{conflict_id}", response_class=HTMLResponse)
def resolve_conflict(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, conflict_id: IdPath, keep: Text
) -> HTMLResponse:
    """Resolve an address book's conflict: keep tieline's value, or take the server's."""
    done = conflicts_service.resolve(session, owner_id=owner_id, conflict_id=conflict_id, keep=keep, now=now)
    message = f"{done.person}'s {done.field}: kept the {keep}'s value"
    if keep == "server":
        message += "; the next sync sends it on"
    return _page(request, session, owner_id, message=message)


@router.post("/sync/ics", response_class=HTMLResponse)
def add_ics(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, name: Text, url: Secret,
    months: Text = "12", ca_file: Text = "",
) -> HTMLResponse:  # fmt: skip
    """Connect a calendar published at an ICS address (the address is kept as a secret)."""

    def build() -> tuple[dict[str, Any], str | None]:
        # The address is the secret: a refusal must not quote it, as the service's own message does.
        if urlsplit(url.strip()).scheme not in ("http", "https"):
            raise InvalidInput(
                "the ICS address must start with https:// (or http://); for webcal:// use https://"
            )
        try:
            settings = connections_service.ics_settings(
                url=url, months=_number(months, "months", 12), ca_file=ca_file.strip() or None
            )
        except InvalidInput as exc:
            raise InvalidInput(exc.message.replace(repr(url), "").replace(url.strip(), "")) from None
        return settings, url.strip()

    form = {"name": name, "months": months, "ca_file": ca_file}
    return _add(request, session, owner_id, now, "ics", form, build)


@router.post("/sync/remove", response_class=HTMLResponse)
def remove(request: Request, session: SessionDep, owner_id: OwnerDep, name: Text) -> HTMLResponse:
    """Remove a connection and its stored password (asked to confirm on the page first)."""
    state = request.app.state.tieline
    connections_service.remove_connection(
        session, owner_id=owner_id, name=name, data_dir=state.settings.data_dir
    )
    return _page(request, session, owner_id, message=f"removed {name}: what it synced stays")


@router.post("/sync/run", response_class=HTMLResponse)
def sync_now(request: Request, session: SessionDep, owner_id: OwnerDep, name: Text = "") -> HTMLResponse:
    """Sync one connection (or all) in the background; answers at once with its progress, polled."""
    names = [c.name for c in connections_service.list_connections(session, owner_id=owner_id)]
    if name:
        connections_service.get_connection(session, owner_id=owner_id, name=name)  # NotFound if gone
        names = [name]
    if not names:
        raise InvalidInput("no connections yet: add one below")
    job = runner(request).start_job(names, owner_id=owner_id)
    return templates.TemplateResponse(request, "ui/_sync_job.html", {"job": job})


@router.get("/sync/jobs/{job_id}", response_class=HTMLResponse)
def job_status(request: Request, session: SessionDep, owner_id: OwnerDep, job_id: str) -> HTMLResponse:
    """How far a "Sync now" got (polled by the page); once done, each outcome and the table again."""
    job = runner(request).job(job_id, owner_id=owner_id)
    if job is None:
        raise NotFound("no such sync (the app was restarted?)")
    context: dict[str, Any] = {"job": job}
    if job.done:
        context["connections"] = connections_service.list_connections(session, owner_id=owner_id)
        prefs = preferences.load(session, owner_id=owner_id)
        context["every_minutes"] = prefs["sync.every_minutes"]
    return templates.TemplateResponse(request, "ui/_sync_job.html", context)
