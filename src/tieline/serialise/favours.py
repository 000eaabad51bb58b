"""The shapes of the favour ledger: a favour, and the balance with one person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import Favour
    from tieline.services.favours import Balance


class FavourOut(TypedDict):
    """A favour, as listed under its person (`tieline favours PERSON --json`)."""

    id: int
    person_id: int
    direction: str
    kind: str
    text: str | None
    occurred_at: str
    thanked_at: str | None


class NamedFavourOut(FavourOut):
    """A favour with its person's name, where favours of several people are listed (the API)."""

    person: str


class BalanceOut(TypedDict):
    """Favours exchanged with one person; a positive balance (received - given) means you owe them."""

    person_id: int
    person: str
    given: int
    received: int
    balance: int
    owe_them: bool


def favour(item: Favour) -> FavourOut:
    """A favour, listed under its person."""
    return {
        "id": item.id,
        "person_id": item.person_id,
        "direction": item.direction,
        "kind": item.kind,
        "text": item.text,
        "occurred_at": item.occurred_at.isoformat(),
        "thanked_at": iso(item.thanked_at),
    }


def named_favour(item: Favour, person: str) -> NamedFavourOut:
    """A favour with its person's name (the API's lists and answers)."""
    return {**favour(item), "person": person}


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
