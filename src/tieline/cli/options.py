"""Option types shared across commands, so the same flag reads the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

Json = Annotated[bool, typer.Option("--json", help="Print JSON (shapes in docs/cli.md) instead of a table.")]
Emails = Annotated[list[str] | None, typer.Option("--email", "-e", help="Email address (repeatable).")]
Phones = Annotated[list[str] | None, typer.Option("--phone", "-p", help="Phone number (repeatable).")]
Links = Annotated[
    list[str] | None, typer.Option("--link", help="Web address, e.g. a LinkedIn profile (repeatable).")
]
Tags = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
Interests = Annotated[list[str] | None, typer.Option("--interest", help="Interest (repeatable).")]
Expertise = Annotated[
    list[str] | None, typer.Option("--expertise", help="What they know or offer (repeatable).")
]
Needs = Annotated[list[str] | None, typer.Option("--need", help="What they are looking for (repeatable).")]
Company = Annotated[str | None, typer.Option("--company", "-c", help="Current employer.")]
Title = Annotated[str | None, typer.Option("--title", help="Job title.")]
Department = Annotated[str | None, typer.Option("--department", help="Department.")]
Industry = Annotated[str | None, typer.Option("--industry", help="Industry.")]
Location = Annotated[str | None, typer.Option("--location", help="City or region.")]
Tier = Annotated[
    str | None,
    typer.Option("--tier", help="1 inner, 2 close, 3 active, 4 network, 5 acquaintance (number or name)."),
]
Cadence = Annotated[int | None, typer.Option("--cadence", help="Keep-in-touch cadence in days (override).")]
Closeness = Annotated[int | None, typer.Option("--closeness", help="Your closeness rating, 1 to 5.")]
Birthday = Annotated[str | None, typer.Option("--birthday", help="YYYY-MM-DD, or MM-DD without a year.")]
MetHow = Annotated[str | None, typer.Option("--met-how", help="How you met.")]
MetWhere = Annotated[str | None, typer.Option("--met-where", help="Where you met.")]
MetOn = Annotated[str | None, typer.Option("--met-on", help="When you met (date).")]
Note = Annotated[str | None, typer.Option("--note", "--notes", "-n", help="Free notes.")]
Limit = Annotated[int, typer.Option("--limit", "-l", min=1, help="At most this many rows.")]
