"""The shapes of the favour ledger: a favour, and the balance with one person."""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import Favour
    from tieline.services.favours import Balance


class FavourOut(TypedDict):
    """A favour; `person` (the person's name) where favours of several people are listed."""

    id: int
    person_id: int
    direction: str
    kind: str
    text: str | None
    occurred_at: str
    thanked_at: str | None
    person: NotRequired[str]


class BalanceOut(TypedDict):
    """Favours exchanged with one person; a positive balance (received - given) means you owe them."""

    person_id: int
    person: str
    given: int
    received: int
    balance: int
    owe_them: bool


def favour(item: Favour, person: str | None = None) -> FavourOut:
    """A favour; the API adds the person's name (`person`), the CLI lists favours under the person."""
    doc: FavourOut = {
        "id": item.id,
        "person_id": item.person_id,
        "direction": item.direction,
        "kind": item.kind,
        "text": item.text,
        "occurred_at": item.occurred_at.isoformat(),
        "thanked_at": iso(item.thanked_at),
    }
    return doc if person is None else {**doc, "person": person}


def favour_balance(item: Balance) -> BalanceOut:
    """A person's favour balance (positive: you owe them)."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "given": item.given,
        "received": item.received,
        "balance": item.balance,
        "owe_them": item.owe_them,
    }
