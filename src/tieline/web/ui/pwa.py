"""The installable web app: its manifest and its service worker, both served from the root.

The service worker (static/sw.js) is served at /sw.js so that its scope is the whole app ("/"); it
keeps the app's shell (CSS, JS, icons, an offline page) for an offline start, and the pages last seen
for reading offline, never an API answer (static/pwa.js clears the pages on sign-out). Neither the
manifest nor the worker holds anything of a user: a browser fetches the manifest without cookies,
so both must stay readable before signing in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

router = APIRouter()

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
THEME_COLOUR = "#1f5fa8"  # --accent in static/app.css
BACKGROUND_COLOUR = "#fbfbfa"  # --bg
# (file under static/icons, size, purpose)
ICONS = (
    ("icon-192.png", 192, "any"),
    ("icon-512.png", 512, "any"),
    ("icon-maskable-512.png", 512, "maskable"),
)
# Read again by the browser on every navigation, so a new worker is found at once.
NO_CACHE = {"Cache-Control": "no-cache"}


def manifest() -> dict[str, Any]:
    """The web app manifest (https://www.w3.org/TR/appmanifest/)."""
    return {
        "name": "tieline",
        "short_name": "tieline",
        "description": "Keep in touch with the people who matter: today's agenda, people, quick log.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": f"/static/icons/{name}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose in ICONS
        ],
        "shortcuts": [{"name": "Quick log", "url": "/?log=1"}],
    }


@router.get("/manifest.webmanifest")
def web_manifest() -> JSONResponse:
    """The manifest that makes the app installable on a phone's home screen."""
    return JSONResponse(manifest(), media_type="application/manifest+json", headers=NO_CACHE)


@router.get("/sw.js")
def service_worker() -> FileResponse:
    """The service worker, from the root so it may control every page of the app."""
    return FileResponse(
        STATIC_DIR / "sw.js",
        media_type="text/javascript; charset=utf-8",
        headers={**NO_CACHE, "Service-Worker-Allowed": "/"},
    )
