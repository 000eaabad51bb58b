"""`tieline duplicates`, `tieline merge A B`, `tieline unmerge MERGE` and `tieline distinct A B`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.services import duplicates as duplicates_service
from tieline.services import merge as merge_service
from tieline.services import people as people_service

PersonArg = Annotated[str, typer.Argument(help="Name (exact, prefix or fuzzy) or #id.")]


def duplicates(
    ctx: typer.Context,
    min_confidence: Annotated[
        float, typer.Option("--min", min=0.0, max=1.0, help="Least confidence (0-1) of a pair to list.")
    ] = 0.6,
    limit: opt.Limit = 100,
    as_json: opt.Json = False,
) -> None:
    """List pairs of people who may be one person, with the evidence."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = duplicates_service.find(session, owner_id=app.owner_id, min_confidence=min_confidence)[:limit]
    docs = [
        {
            "a": {"id": c.match.a, "name": c.a_name},
            "b": {"id": c.match.b, "name": c.b_name},
            "confidence": c.match.confidence,
            "certain": c.match.certain,
            "reasons": list(c.match.reasons),
        }
        for c in found
    ]
    if as_json:
        print_json(docs)
        return
    if not docs:
        app.console.print("no likely duplicates", markup=False)
        return
    table = Table("a", "b", "confidence", "why")
    for doc in docs:
        table.add_row(
            f"{doc['a']['name']} (#{doc['a']['id']})",
            f"{doc['b']['name']} (#{doc['b']['id']})",
            f"{doc['confidence']:.2f}",
            "; ".join(doc["reasons"]),
        )
    app.console.print(table)
    app.console.print("merge with: tieline merge '#A' '#B'  (or tieline distinct '#A' '#B')", markup=False)


def merge(ctx: typer.Context, kept: PersonArg, merged: PersonArg, as_json: opt.Json = False) -> None:
    """Merge the second person into the first, keeping every email, phone, note and interaction."""
    app = app_context(ctx)
    with app.transaction() as session:
        a = people_service.resolve_person(session, owner_id=app.owner_id, text=kept)
        b = people_service.resolve_person(session, owner_id=app.owner_id, text=merged)
        b_name = people_service.describe(b)
        record = merge_service.merge(session, kept=a, merged=b, now=app.now())
        doc = {
            "merge_id": record.id,
            "kept_id": record.kept_id,
            "merged_id": record.merged_id,
            "reasons": record.evidence,
        }
        line = f"merged {b_name} into {people_service.describe(a)} (merge {record.id}; undo with: tieline unmerge {record.id})"
    if as_json:
        print_json(doc)
    else:
        app.console.print(line, markup=False, highlight=False)


def unmerge(
    ctx: typer.Context, merge_id: Annotated[int, typer.Argument(help="The merge number `merge` printed.")]
) -> None:
    """Undo a merge: the merged person comes back exactly as they were."""
    app = app_context(ctx)
    with app.transaction() as session:
        record = merge_service.unmerge(session, owner_id=app.owner_id, merge_id=merge_id, now=app.now())
        line = f"unmerged #{record.merged_id} from #{record.kept_id}"
    app.console.print(line, markup=False)


def distinct(ctx: typer.Context, a: PersonArg, b: PersonArg) -> None:
    """Say two people are not the same, so `duplicates` stops proposing them."""
    app = app_context(ctx)
    with app.transaction() as session:
        first = people_service.resolve_person(session, owner_id=app.owner_id, text=a)
        second = people_service.resolve_person(session, owner_id=app.owner_id, text=b)
        merge_service.mark_distinct(session, owner_id=app.owner_id, a=first, b=second)
    app.console.print("noted: not the same person", markup=False)


def register(app: typer.Typer) -> None:
    """Attach the identity commands to the root app."""
    app.command()(duplicates)
    app.command()(merge)
    app.command()(unmerge)
    app.command()(distinct)
