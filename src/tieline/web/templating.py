"""The Jinja2 environment of the web app: autoescaping on for every template."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from tieline.validate import TIER_NAMES

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "never"


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%d %b %Y") if value else "never"


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
# Jinja2Templates autoescapes .html; be explicit that every template escapes user text.
templates.env.autoescape = True
templates.env.filters["when"] = _when
templates.env.filters["day"] = _date
templates.env.globals["TIER_NAMES"] = TIER_NAMES
