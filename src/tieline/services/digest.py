"""The weekly digest: the week's agenda day by day, and a look back at the last seven days.

Rendered twice from Jinja2 templates, `templates/digest.txt.j2` (plain text) and
`templates/digest.html.j2` (autoescaped HTML), each overridable by a file of the same name in
`<data_dir>/templates/`. Sending is a separate, explicit step (`send_digest`) over SMTP.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tieline.errors import ConfigError
from tieline.repo import review as review_repo
from tieline.repo.review import Contacted, LoggedInteraction
from tieline.services import preferences
from tieline.services.agenda.items import AgendaItem
from tieline.services.preferences import Preferences
from tieline.services.upcoming import DueDay, upcoming
from tieline.templating import environment, render
from tieline.validate import email as check_email

PASSWORD_ENV = "TIELINE_SMTP_PASSWORD"
DAYS = 7
LOOK_BACK_DAYS = 7
NOTE_CHARS = 140
SMTP_TIMEOUT_SECONDS = 30
SUBMISSION_PORT = 587  # the default: STARTTLS before anything else
IMPLICIT_TLS_PORT = 465  # TLS from the first byte
# Plural labels of interaction kinds, for "3 coffees and 1 video call".
_KIND_PLURALS = {"social": "social engagements", "other": "other interactions", "coffee": "coffees"}


@dataclass(frozen=True)
class LookBack:
    """What happened in the days before the digest's first day."""

    start: date
    end: date  # the last day looked at (inclusive)
    kinds: dict[str, int]
    interactions: list[LoggedInteraction]
    contacted: list[Contacted]
    contacted_total: int
    added: int

    @property
    def total(self) -> int:
        """Interactions logged in the span."""
        return sum(self.kinds.values())


@dataclass(frozen=True)
class Digest:
    """A digest ready to print or send: subject, plain text and HTML, and what they were made from."""

    subject: str
    text: str
    html: str
    day: date
    days: list[DueDay]
    look_back: LookBack


def build_digest(
    session: Session,
    *,
    owner_id: int,
    day: date,
    now: datetime,
    data_dir: Path | None = None,
    days: int = DAYS,
) -> Digest:
    """The digest for the week starting `day`: each day's new items, then the last week in review."""
    prefs = preferences.load(session, owner_id=owner_id)
    week = upcoming(session, owner_id=owner_id, day=day, days=days, now=now)
    back = look_back(session, owner_id=owner_id, day=day)
    total = sum(len(d.items) for d in week)
    last_day = day + timedelta(days=days - 1)
    if total:
        subject = (
            f"tieline: {total} thing{'s' if total != 1 else ''} to do, {_short(day)} to {_short(last_day)}"
        )
    else:
        subject = f"tieline: nothing due, {_short(day)} to {_short(last_day)}"
    values = _template_values(
        subject=subject, day=day, last_day=last_day, week=week, back=back, prefs=prefs, now=now
    )
    text = render(environment(data_dir=data_dir, autoescape=False), "digest.txt.j2", values)
    html = render(environment(data_dir=data_dir, autoescape=True), "digest.html.j2", values)
    return Digest(subject=subject, text=text, html=html, day=day, days=week, look_back=back)


def look_back(session: Session, *, owner_id: int, day: date, days: int = LOOK_BACK_DAYS) -> LookBack:
    """The `days` whole days before `day` (local time): interactions, people contacted, people added."""
    first = day - timedelta(days=days)
    start = datetime.combine(first, time.min).astimezone()
    end = datetime.combine(day, time.min).astimezone()
    contacted, contacted_total = review_repo.people_contacted(
        session, owner_id=owner_id, start=start, end=end
    )
    return LookBack(
        start=first,
        end=day - timedelta(days=1),
        kinds=review_repo.count_interactions(session, owner_id=owner_id, start=start, end=end),
        interactions=review_repo.interactions(session, owner_id=owner_id, start=start, end=end),
        contacted=contacted,
        contacted_total=contacted_total,
        added=review_repo.people_added(session, owner_id=owner_id, start=start, end=end),
    )


def _template_values(
    *,
    subject: str,
    day: date,
    last_day: date,
    week: list[DueDay],
    back: LookBack,
    prefs: Preferences,
    now: datetime,
) -> dict[str, Any]:
    cap = int(prefs["agenda.daily_cap"])
    today = now.astimezone().date()
    return {
        "subject": subject,
        "my_name": prefs["me.name"] or "",
        "day": day,
        "last_day": last_day,
        "period": f"{_long(day)} to {_long(last_day)} {last_day.year}",
        "total": sum(len(d.items) for d in week),
        "days": [
            {
                "date": d.day,
                "label": _long(d.day) + (" (today)" if d.day == today else ""),
                "items": [_item(i) for i in d.items[:cap]],
                "more": max(0, len(d.items) - cap),
            }
            for d in week
        ],
        "back": {
            "period": f"{_long(back.start)} to {_long(back.end)}",
            "total": back.total,
            "kinds_text": kinds_text(back.kinds),
            "interactions": [
                {
                    "date": i.interaction.occurred_at.astimezone().date(),
                    "date_text": _short(i.interaction.occurred_at.astimezone().date()),
                    "kind": i.interaction.kind.replace("_", " "),
                    "people": i.people,
                    "notes": _one_line(i.interaction.notes or i.interaction.subject),
                }
                for i in back.interactions
            ],
            "more_interactions": max(0, back.total - len(back.interactions)),
            "contacted": [{"name": c.name, "interactions": c.interactions} for c in back.contacted],
            "contacted_total": back.contacted_total,
            "more_contacted": max(0, back.contacted_total - len(back.contacted)),
            "added": back.added,
        },
    }


def _item(item: AgendaItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "kind": item.kind,
        "title": item.title,
        "reasons": item.reasons,
        "also": item.also,
        "person_name": item.person_name,
    }


def kinds_text(kinds: dict[str, int]) -> str:
    """{"coffee": 2, "call": 1} -> "1 call and 2 coffees"."""
    parts = []
    for kind, n in sorted(kinds.items()):
        label = kind.replace("_", " ")
        parts.append(f"{n} {label if n == 1 else _KIND_PLURALS.get(kind, label + 's')}")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _one_line(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= NOTE_CHARS else flat[: NOTE_CHARS - 1].rstrip() + "…"


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def digest_message(digest: Digest, *, sender: str, to: str, now: datetime | None = None) -> EmailMessage:
    """The digest as a multipart/alternative email: the plain text first, then the HTML."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    message["To"] = to
    if now is not None:
        message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="tieline.local")
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def send_digest(
    digest: Digest,
    prefs: Preferences,
    *,
    to: str | None = None,
    password: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """Send the digest by SMTP with the smtp.* settings; `to` overrides smtp.to.

    The connection is encrypted unless the user turned smtp.starttls off: port 465 is TLS from the
    start, any other port is upgraded with STARTTLS, and a server that cannot do it gets nothing.
    Certificates are checked against the system's CAs (SSL_CERT_FILE names another bundle). The
    password comes from `password`, else TIELINE_SMTP_PASSWORD; it is only used when smtp.username
    is set, and never sent over a plain connection.
    """
    host = prefs["smtp.host"]
    if not host:
        raise ConfigError("smtp.host is not set: `tieline config smtp.host mail.example.org` first")
    recipient = to or prefs["smtp.to"]
    if not recipient:
        raise ConfigError("smtp.to is not set: `tieline config smtp.to you@example.org`, or pass --to")
    recipient = check_email(str(recipient))
    own = list(prefs["me.emails"] or [])
    sender = str(prefs["smtp.from"] or (own[0] if own else recipient))
    port = int(prefs["smtp.port"] or SUBMISSION_PORT)
    implicit_tls = port == IMPLICIT_TLS_PORT
    starttls = bool(prefs["smtp.starttls"]) and not implicit_tls
    username = prefs["smtp.username"]
    if username and not (implicit_tls or starttls):
        raise ConfigError(
            f"smtp.username is set but smtp.starttls is off and port {port} is not TLS, so the password"
            " would cross the network in the clear: nothing was sent; turn smtp.starttls on, or use"
            f" port {IMPLICIT_TLS_PORT}"
        )
    if username and password is None:
        password = os.environ.get(PASSWORD_ENV)
    if username and not password:
        raise ConfigError(f"smtp.username is set but {PASSWORD_ENV} is not: set it to the SMTP password")
    message = digest_message(digest, sender=sender, to=recipient, now=now)
    where = f"{host}:{port}"
    try:
        with _connect(str(host), port, implicit_tls=implicit_tls) as smtp:
            if starttls:
                _starttls(smtp, where)
            if username:
                smtp.login(str(username), str(password))
            smtp.send_message(message)
    except ssl.SSLCertVerificationError as exc:
        raise ConfigError(
            f"the certificate of {where} is not trusted ({exc.verify_message}): nothing was sent;"
            " if the server uses a private CA, set SSL_CERT_FILE to its certificate file"
        ) from None
    except ssl.SSLError as exc:
        raise ConfigError(
            f"could not set up TLS with {where} ({exc.reason or exc}): nothing was sent"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise ConfigError(
            f"{where} refused the login of {username}: {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise ConfigError(f"could not send the digest through {where}: {exc}") from None
    return message


def _connect(host: str, port: int, *, implicit_tls: bool) -> smtplib.SMTP:
    if implicit_tls:
        return smtplib.SMTP_SSL(
            host, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    return smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)


def _starttls(smtp: smtplib.SMTP, where: str) -> None:
    """Upgrade to TLS, or fail: falling back to plain text would send the digest (and login) readable."""
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("starttls"):
        raise ConfigError(
            f"{where} does not offer STARTTLS: nothing was sent; use its submission port"
            f" ({SUBMISSION_PORT}) or {IMPLICIT_TLS_PORT} (TLS), or for a relay with no login"
            " `tieline config smtp.starttls false`"
        )
    try:
        smtp.starttls(context=ssl.create_default_context())
    except smtplib.SMTPResponseException as exc:
        raise ConfigError(
            f"{where} refused STARTTLS ({exc.smtp_code} {_text(exc.smtp_error)}): nothing was sent"
        ) from None


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
