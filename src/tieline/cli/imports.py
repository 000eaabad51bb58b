"""`tieline import PATH`, `tieline import runs` and `tieline import undo RUN`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.importers import FORMATS
from tieline.importers.report import ImportReport
from tieline.serialise import imports as serialise
from tieline.services import imports as imports_service

FILE_COMMAND = "file"


class ImportGroup(TyperGroup):
    """`tieline import PATH` runs the hidden `file` command; `runs` and `undo` stay subcommands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [FILE_COMMAND, *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(
    cls=ImportGroup,
    help="Import contacts, messages and meetings: `tieline import PATH [--format F] [--dry-run] "
    "[--create-people]` (LinkedIn export, vCard, Google/Outlook CSV, iCalendar, mbox).",
    no_args_is_help=True,
)


@import_app.command(FILE_COMMAND, hidden=True)
def import_file(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A file, a folder or a LinkedIn export zip.")],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)} (default: detected).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the report and write nothing.")] = False,
    create_people: Annotated[
        bool, typer.Option("--create-people", help="Add people for participants who match nobody.")
    ] = False,
    as_json: opt.Json = False,
) -> None:
    """Import a file, a folder or a LinkedIn export; ends with a report of what changed."""
    app = app_context(ctx)
    report = _run(app, path, fmt=fmt, dry_run=dry_run, create_people=create_people, quiet=as_json)
    if as_json:
        print_json(report.to_dict())
    else:
        show_report(app, report)


def _run(
    app: AppContext, path: Path, *, fmt: str | None, dry_run: bool, create_people: bool, quiet: bool
) -> ImportReport:
    if quiet or not app.console.is_terminal:
        return imports_service.import_path(
            app.db,
            path,
            owner_id=app.owner_id,
            now=app.now(),
            fmt=fmt,
            dry_run=dry_run,
            create_people=create_people,
        )
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=app.console, transient=True) as progress:
        task = progress.add_task(f"importing {path.name}", total=None)

        def advance(done: int) -> None:
            progress.update(task, description=f"importing {path.name}: {done:,} records")

        return imports_service.import_path(
            app.db,
            path,
            owner_id=app.owner_id,
            now=app.now(),
            fmt=fmt,
            dry_run=dry_run,
            create_people=create_people,
            progress=advance,
        )


def show_report(app: AppContext, report: ImportReport, *, limit: int = 20) -> None:
    """Print the report: totals, counts per kind, and skipped records with file, line and reason."""
    data = report.to_dict()
    head = "dry run, nothing written: " if report.dry_run else ""
    totals = ", ".join(f"{data[k]} {k}" for k in ("added", "updated", "merged", "unchanged", "skipped"))
    app.console.print(f"{head}{data['format']} {data['path']}: {totals}", markup=False, highlight=False)
    for kind, counts in data["counts"].items():
        parts = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        app.console.print(f"  {kind}: {parts}", markup=False, highlight=False)
    if report.run_id is not None:
        app.console.print(
            f"  run {report.run_id} (undo with: tieline import undo {report.run_id})", markup=False
        )
    elif not report.dry_run:
        app.console.print("  nothing changed; no run recorded", markup=False)
    if report.possible_duplicates:
        app.console.print(
            f"  {report.possible_duplicates} possible duplicates: see tieline duplicates", markup=False
        )
    for label, notes in (("skipped", report.skipped), ("left out", report.warnings)):
        for note in notes[:limit]:
            app.console.print(f"  {label} {note}", markup=False, highlight=False)
        if len(notes) > limit:
            app.console.print(f"  ... and {len(notes) - limit} more {label} (see --json)", markup=False)


@import_app.command("runs")
def runs(ctx: typer.Context, limit: opt.Limit = 50, as_json: opt.Json = False) -> None:
    """List import runs, newest first."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = imports_service.runs(session, owner_id=app.owner_id, limit=limit)
        docs = [serialise.import_run(r) for r in found]
    if as_json:
        print_json(docs)
        return
    table = Table("run", "when", "format", "path", "added", "updated", "merged", "skipped", "undone")
    for doc in docs:
        table.add_row(
            str(doc["id"]), doc["started_at"][:16], doc["format"], doc["path"],
            *(str(doc["counts"].get(k, 0)) for k in ("added", "updated", "merged", "skipped")),
            (doc["undone_at"] or "")[:16],
        )  # fmt: skip
    app.console.print(table)


@import_app.command("undo")
def undo(
    ctx: typer.Context, run: Annotated[int, typer.Argument(help="The run number (see tieline import runs).")]
) -> None:
    """Undo an import run: delete what it added, restore what it changed."""
    app = app_context(ctx)
    with app.transaction() as session:
        imports_service.undo_run(session, owner_id=app.owner_id, run_id=run, now=app.now())
    app.console.print(f"undid import run {run}", markup=False)


def register(app: typer.Typer) -> None:
    """Attach `import` to the root app."""
    app.add_typer(import_app, name="import")
