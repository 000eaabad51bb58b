"""Queries behind networking goals (tieline.repo.goals)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import goals as goals_repo

AddPerson = Callable[..., Person]


@pytest.mark.parametrize("wildcard", ["%", "_", "\\"])
def test_an_industry_scope_treats_sql_wildcards_as_plain_text(
    session: Session, add_person: AddPerson, today: date, now: datetime, wildcard: str
) -> None:
    add_person("Plain", industry="RxD Labs", met_on=today)
    add_person("Marked", industry=f"R{wildcard}D Labs", met_on=today)
    met = goals_repo.people_met(
        session,
        owner_id=LOCAL_OWNER_ID,
        first_day=today,
        last_day=today,
        since=now - timedelta(days=1),
        until=now + timedelta(days=1),
        industry=f"r{wildcard}d",
    )
    assert [name for _, name, _, _ in met] == ["Marked"]
