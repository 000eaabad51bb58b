"""Network: an interactive map of your strongest ties (pan, zoom, click a node to open the person)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from tieline.services import network as network_service
from tieline.validate import TIER_NAMES
from tieline.web.deps import OwnerDep, SessionDep
from tieline.web.templating import templates

router = APIRouter()


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    """The map page; the graph itself comes from /network.json."""
    return templates.TemplateResponse(request, "ui/network.html", {"tiers": TIER_NAMES})


@router.get("/network.json")
def network_data(
    session: SessionDep,
    owner_id: OwnerDep,
    limit: Annotated[int, Query(ge=1, le=2000)] = 300,
    tier: Annotated[int | None, Query(ge=1, le=5)] = None,
) -> JSONResponse:
    """Cytoscape elements: you, your strongest ties, and links between people seen together."""
    found = network_service.strongest_ties(session, owner_id=owner_id, limit=limit, tier=tier)
    elements: list[dict[str, Any]] = [{"data": {"id": "me", "label": "you", "tier": 0}}]
    for r in found.people:
        elements.append(
            {"data": {"id": f"p{r.id}", "label": r.display_name, "tier": r.tier, "company": r.company or "",
                      "strength": round(r.strength, 1), "href": f"/people/{r.id}"}}
        )  # fmt: skip
        elements.append(
            {"data": {"id": f"me-{r.id}", "source": "me", "target": f"p{r.id}", "weight": r.strength}}
        )
    for a, b, shared in found.links:
        elements.append(
            {"data": {"id": f"{a}-{b}", "source": f"p{a}", "target": f"p{b}", "weight": shared * 10}}
        )
    return JSONResponse({"elements": elements})
