"""Request parameters every route shares: one rule for ids, in the path, a form or the query.

An id is a positive integer the databases can store (`MAX_ID`): anything else is refused with 422
before a query runs, on pages and in the API alike (a larger number overflowed the driver: a 500).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path
from pydantic import Field

from tieline.models.base import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdForm = Annotated[int, Form(ge=1, le=MAX_ID)]
# One id of a list sent as repeated form fields (`person=1&person=2`).
IdItem = Annotated[int, Field(ge=1, le=MAX_ID)]
