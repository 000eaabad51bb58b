"""A scratch PostgreSQL database holding the large network, created for the run and dropped after it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tieline.config import normalise_url


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the server `admin_url` points at; dropped afterwards."""
    admin = sa.create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"tieline_bench_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
