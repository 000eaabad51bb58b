"""The Jinja2 environment of the web app: autoescaping on for every template."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates

from tieline.validate import TIER_NAMES

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "never"


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%d %b %Y") if value else "never"


def _conflict_value(value: Any) -> str:
    """A synced field's value as a conflict shows it: lists joined, empty parts left out, a
    [value, label] pair as "value (label)"."""
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], str) and (value[1] is None or isinstance(value[1], str)):
            return value[0] + (f" ({value[1]})" if value[1] else "")
        return "; ".join(_conflict_value(v) for v in value if v not in (None, "", [])) or "—"
    return "—" if value in (None, "") else str(value)


# Every template escapes user text. The templates ship inside the package and change only with it, so
# Jinja need not stat each file (and the ones it extends and includes) again on every render.
templates = Jinja2Templates(
    env=jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, auto_reload=False)
)
templates.env.filters["when"] = _when
templates.env.filters["day"] = _date
templates.env.filters["conflict_value"] = _conflict_value
templates.env.globals["TIER_NAMES"] = TIER_NAMES
