"""What the introductions, opportunities and goals pages share: name autocomplete (the quick log's
too), small readers of form fields, and answering a form with the parts that changed (HTMX) or the
whole page (no script)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.services import people as people_service
from tieline.web.templating import templates

OPTIONS = 8  # names offered while typing


def person_options(
    request: Request, session: Session, owner_id: int, typed: str, *, prefix: str = ""
) -> HTMLResponse:
    """<option>s of the people whose names match what is being typed into one name field, each after
    `prefix` (the names a list field already holds)."""
    text = typed.strip()
    found = people_service.search(session, owner_id=owner_id, query=text, limit=OPTIONS) if text else []
    return templates.TemplateResponse(
        request, "ui/_options.html", {"options": [prefix + p.display_name for p, _ in found]}
    )


def optional(text: str) -> str | None:
    """A form field's text, or None when it was left blank."""
    value = text.strip()
    return value or None


def whole_number(text: str, *, field: str) -> int:
    """A positive whole number typed into a form field, or a message naming the field."""
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) < 7):
        raise InvalidInput(f"{field}: type a whole number, e.g. 5 (not {text!r})")
    return int(value)


def answer(
    request: Request, *, partial: str, page: str, context: dict[str, Any], event: str | None = None
) -> HTMLResponse:
    """After a change: the changed parts for HTMX (with `event` triggered in the page, so other parts
    can refresh), or the whole page again for a form posted without scripts."""
    if not request.headers.get("hx-request"):
        return templates.TemplateResponse(request, page, context)
    response = templates.TemplateResponse(request, partial, {**context, "oob": True})
    if event:
        response.headers["HX-Trigger"] = event
    return response
