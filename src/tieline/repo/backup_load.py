"""Loading a backup's rows into their tables, fast on both dialects, and the ids after it.

`TableLoader` writes one table's decoded rows a batch at a time. When the backup has every column
of the table, rows go straight to the driver, converted by the same SQLAlchemy type processors an
ORM insert would use but without its per-row parameter handling (most of a large restore's time
otherwise): one executemany per batch, or on PostgreSQL a COPY, several times faster again. An
older backup missing columns goes through SQLAlchemy's insert, which fills in their defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.repo.tables import stored_type


class Unstorable(ValueError):
    """A value the column's type cannot take (the message says why)."""


class Refused(ValueError):
    """Rows the database would not take: a value too long, a broken key (the driver's first line)."""


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0]


class TableLoader:
    """Inserts a table's rows, a batch at a time, and fills in columns of rows already inserted."""

    def __init__(self, session: Session, table: sa.Table, columns: list[str]) -> None:
        self.session, self.table, self.columns = session, table, columns
        self.connection = session.connection()
        dialect = self.connection.dialect
        # Every column given: values go to the driver as `stored_type` takes them (see `direct`).
        self.direct = all(c.name in columns for c in table.columns)
        self._sql, self._order, self._copy = "", None, ""
        if self.direct and dialect.name == "postgresql":
            quote = dialect.identifier_preparer.quote
            self._copy = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        elif self.direct:
            compiled = table.insert().compile(dialect=dialect, column_keys=columns)
            self._sql = compiled.string
            if compiled.positional:
                position = {name: i for i, name in enumerate(columns)}
                self._order = [position[name] for name in compiled.positiontup or ()]
        self._processors = [
            (i, p)
            for i, c in enumerate(columns)
            if (p := stored_type(table.columns[c]).dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        self._fillers: dict[tuple[str, ...], Any] = {}

    def insert(self, rows: list[list[Any]]) -> None:
        """Insert rows, each a list of values in the order of `columns` (converted in place).

        Raises `Unstorable` for a value its column cannot take, `Refused` for rows the database refuses.
        """
        if not self.direct:
            self._execute(self.table.insert(), [dict(zip(self.columns, row, strict=True)) for row in rows])
            return
        try:
            for row in rows:
                for i, process in self._processors:
                    row[i] = process(row[i])
        except (ValueError, TypeError) as exc:
            raise Unstorable(str(exc)) from None
        if self._copy:
            self._copy_rows(rows)
            return
        if self._order is not None:
            params: list[Any] = [tuple(row[i] for i in self._order) for row in rows]
        else:
            params = [dict(zip(self.columns, row, strict=True)) for row in rows]
        try:
            self.connection.exec_driver_sql(self._sql, params)
        except sa.exc.DBAPIError as exc:
            raise Refused(_first_line(exc.orig) if exc.orig else str(exc)) from None

    def _copy_rows(self, rows: list[list[Any]]) -> None:
        import psycopg

        driver = self.connection.connection.driver_connection
        try:
            with driver.cursor() as cursor, cursor.copy(self._copy) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise Refused(_first_line(exc)) from None

    def fill_in(self, columns: list[str], rows: list[dict[str, Any]]) -> None:
        """Set `columns` of rows inserted before, each found by its primary key: every row maps
        the key's columns and `columns` to values (read as `stored_type` when `direct`)."""
        keys = [c.name for c in self.table.primary_key.columns]
        stmt = self._fillers.get(tuple(columns))
        if stmt is None:
            where = sa.and_(*(self.table.columns[k] == sa.bindparam(f"k_{k}") for k in keys))
            values = {
                c: sa.bindparam(
                    c, type_=stored_type(self.table.columns[c]) if self.direct else self.table.columns[c].type
                )
                for c in columns
            }
            stmt = self._fillers[tuple(columns)] = self.table.update().where(where).values(values)
        # A key's parameter is named apart from the column: the SET clause has the column's name.
        self._execute(stmt, [{f"k_{k}": row[k] for k in keys} | {c: row[c] for c in columns} for row in rows])

    def _execute(self, stmt: Any, params: list[dict[str, Any]]) -> None:
        try:
            self.session.execute(stmt, params)
        except sa.exc.StatementError as exc:
            raise Refused(_first_line(exc.orig) if exc.orig else str(exc)) from None


def reset_id_sequences(session: Session, tables: Iterable[sa.Table]) -> None:
    """After rows were written with their own ids, move each table's id sequence past the largest
    id so new rows do not collide (PostgreSQL; SQLite takes the next id from the table itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue
        sequence = session.scalar(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": keys[0].name}
        )
        if sequence:
            top = session.scalar(sa.select(sa.func.max(keys[0])))
            session.execute(sa.text("SELECT setval(:s, :n, false)"), {"s": sequence, "n": (top or 0) + 1})
