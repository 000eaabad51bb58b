"""`tieline backup PATH` and `tieline restore PATH`: the whole database as one JSON document."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.text import Text

from tieline.cli.context import app_context
from tieline.errors import InvalidInput
from tieline.exporters.backup import BackupReader
from tieline.private_files import replaced_privately
from tieline.services import backup_restore as backup_service

WRITE_BUFFER = 1 << 20


@contextmanager
def replaced_file(path: str, *, encoding: str = "utf-8", newline: str = "\n") -> Iterator[TextIO]:
    """A text file, readable by its owner only, that replaces `path` only once written whole (stdout
    for "-"), so a failure half way leaves the previous file in place."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path).expanduser()
    try:
        with replaced_privately(
            target, "w", encoding=encoding, newline=newline, buffering=WRITE_BUFFER
        ) as out:
            yield out
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None


@contextmanager
def opened_backup(path: str) -> Iterator[TextIO]:
    """The backup file to read (stdin for "-"); a byte-order mark is tolerated."""
    if path == "-":
        yield sys.stdin
        return
    try:
        stream = Path(path).expanduser().open(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    with stream:
        try:
            yield stream
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path}: not a tieline backup (not UTF-8 text: {exc.reason})") from None


def _rows(count: int) -> str:
    return f"{count:,} row{'s' if count != 1 else ''}"


def backup(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="The JSON file to write (replaced whole), or - for stdout.")],
) -> None:
    """Write the whole database to one JSON file that `tieline restore` reads back exactly."""
    app = app_context(ctx)
    with replaced_file(path) as out, app.transaction() as session:
        summary = backup_service.write_backup(session, out)
    if path != "-":
        app.console.print(
            Text(f"backed up {_rows(summary.rows)} from {len(summary.tables)} tables to {path}"),
            highlight=False,
        )


def restore(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A file written by `tieline backup`, or - for stdin.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete everything in the database before restoring.")
    ] = False,
) -> None:
    """Load a backup into an empty database (or, with --replace, instead of what is there)."""
    app = app_context(ctx)
    with opened_backup(path) as stream, app.transaction() as session:
        reader = BackupReader(stream, path=path)
        summary = backup_service.restore(session, reader, replace=replace)
    app.console.print(
        Text(
            f"restored {_rows(summary.rows)} into {len(summary.tables)} tables from {path} "
            f"(schema {summary.schema_version})"
        ),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Attach `backup` and `restore` to the root app."""
    app.command()(backup)
    app.command()(restore)
