"""`tieline demo`: fill the database with a generated, realistic network."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach `demo` to the root app."""
