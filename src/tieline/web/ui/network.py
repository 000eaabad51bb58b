"""Network: a map of your strongest ties in labelled groups (zoom, pan, search to focus a person)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from tieline.analytics.people_map import MapPerson, PeopleMap
from tieline.services import network as network_service
from tieline.validate import TIER_NAMES
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.templating import templates

router = APIRouter()
REST = "g-rest"  # the box of the people in no group
ROLE_WORDS = {
    "hub": "most connected in their group",
    "closest": "one of your closest ties",
    "bridge": "links groups that are otherwise apart",
    "searched": "the person you searched for",
}


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    """The map page; the graph itself comes from /network.json."""
    return templates.TemplateResponse(request, "ui/network.html", {"tiers": TIER_NAMES, "roles": ROLE_WORDS})


@router.get("/network.json")
def network_data(
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    limit: Annotated[int, Query(ge=1, le=2000)] = 300,
    tier: Annotated[int | None, Query(ge=1, le=5)] = None,
    focus: Annotated[str, Query(max_length=200)] = "",
) -> JSONResponse:
    """Cytoscape elements: groups (parent nodes with a label), you, your strongest ties (a label only
    on the people worth naming), and links between people who know each other; `focus` names one
    person (added when not among them) for the page to centre on."""
    found = network_service.network_map(
        session, owner_id=owner_id, now=now, limit=limit, tier=tier, focus=focus
    )
    return JSONResponse(
        {
            "elements": elements(found),
            "focus": f"p{found.focus}" if found.focus is not None else None,
            "people": len(found.people),
            "groups": len(found.groups),
        }
    )


def elements(found: PeopleMap) -> list[dict[str, Any]]:
    """The map as Cytoscape elements: groups first (a parent comes before its children)."""
    out: list[dict[str, Any]] = [
        {"data": {"id": f"g{g.id}", "kind": "group", "label": g.label, "why": g.why, "size": g.size}}
        for g in found.groups
    ]
    loose = sum(1 for p in found.people if p.group < 0)
    if loose:  # one box for the people in no group, so the picture says so
        why = f"{loose} of the people here are in no group of three or more who know each other"
        out.append({"data": {"id": REST, "kind": "group", "label": "In no group", "why": why, "size": loose}})
    out.append({"data": {"id": "me", "kind": "you", "label": "you", "name": "you", "tier": 0}})
    for p in found.people:
        out.append({"data": _person(p)})
        if p.tier <= 2:  # your inner circle: the lines from you that are worth drawing
            out.append({"data": {"id": f"me-{p.id}", "source": "me", "target": f"p{p.id}", "kind": "you",
                                 "weight": round(p.strength / 100, 3)}})  # fmt: skip
    for a, b, strength in found.links:
        out.append({"data": {"id": f"{a}-{b}", "source": f"p{a}", "target": f"p{b}", "kind": "knows",
                             "weight": round(strength, 3)}})  # fmt: skip
    return out


def _person(p: MapPerson) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"p{p.id}",
        "kind": "person",
        "name": p.name,
        "label": p.name if p.named else "",
        "roles": [ROLE_WORDS[r] for r in p.roles],
        "tier": p.tier,
        "company": p.company or "",
        "strength": round(p.strength),
        "links": p.links,
        "href": f"/people/{p.id}",
    }
    data["parent"] = f"g{p.group}" if p.group >= 0 else REST
    return data
