"""`tieline demo`: fill the database with a generated, realistic network."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from tieline.cli.context import AppContext, app_context
from tieline.errors import InvalidInput
from tieline.services import demo as demo_service
from tieline.services.people import number_of_people


def demo(
    ctx: typer.Context,
    scale: Annotated[
        str,
        typer.Option("--scale", help="small (300 people) or large (30,000 people, 1,000,000 interactions)."),
    ] = "small",
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same day: the same network.")] = 42,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the database already has people.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete all your people, interactions and organisations first.")
    ] = False,
) -> None:
    """Fill the database with a generated professional network to try tieline on."""
    app = app_context(ctx)
    chosen = demo_service.scale_named(scale)
    if if_empty and replace:
        raise InvalidInput("--if-empty and --replace contradict each other: give one of them")
    if_exists: demo_service.IfExists = "replace" if replace else ("skip" if if_empty else "error")
    started = time.perf_counter()
    with _LoadProgress(app, show=chosen.name != "small") as report, app.transaction() as session:
        result = demo_service.load(
            session, owner_id=app.owner_id, scale=chosen, seed=seed, now=app.now(),
            if_exists=if_exists, on_progress=report,
        )  # fmt: skip
    seconds = time.perf_counter() - started  # the commit included
    if result.skipped_people:
        app.console.print(
            f"the database already has {number_of_people(result.skipped_people)}; nothing done",
            highlight=False,
        )
        return
    table = Table("table", "rows", box=None, pad_edge=False)
    for name, count in result.counts.items():
        table.add_row(name, f"{count:,}")
    app.console.print(table)
    if result.replaced_people:
        app.console.print(f"replaced {number_of_people(result.replaced_people)}", highlight=False)
    app.console.print(
        f"{chosen.name} demo network (seed {seed}): {result.rows:,} rows in {seconds:.1f} s, "
        f"{result.rows / seconds:,.0f} rows/s",
        highlight=False,
    )


class _LoadProgress:
    """A Rich progress bar fed by the loader's reports; a no-op for the small network."""

    def __init__(self, app: AppContext, *, show: bool) -> None:
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        if show:
            self.bar = Progress(
                TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=app.console, transient=True,
            )  # fmt: skip

    def __enter__(self) -> demo_service.Progress:
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task("starting", total=None)
        return self.report

    def report(self, stage: str, done: int, total: int | None) -> None:
        """Show what the loader is doing: a stage name, or a table and the rows written so far."""
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, description=stage, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def register(app: typer.Typer) -> None:
    """Attach `demo` to the root app."""
    app.command()(demo)
