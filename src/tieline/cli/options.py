"""Option types shared across commands, so the same flag reads the same everywhere. A person's
fields take theirs from services/person_fields.py (see cli/people.py)."""

from __future__ import annotations

from typing import Annotated

import typer

Json = Annotated[bool, typer.Option("--json", help="Print JSON (shapes in docs/json.md) instead of a table.")]
Industry = Annotated[str | None, typer.Option("--industry", help="Industry.")]
Location = Annotated[str | None, typer.Option("--location", help="City or region.")]
Note = Annotated[str | None, typer.Option("--note", "--notes", "-n", help="Free notes.")]
Limit = Annotated[int, typer.Option("--limit", "-l", min=1, help="At most this many rows.")]
