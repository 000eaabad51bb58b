"""What a tool is: its name, description, JSON input schema and the function that answers it; and
the readers of its arguments, which say in words what is wrong with one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput

# The most results a tool returns: enough to choose from, few enough for an assistant to read.
MAX_LIMIT = 100


@dataclass(frozen=True)
class Call:
    """What a tool's function is given: the call's transaction, whose data it is, and the time."""

    session: Session
    owner_id: int
    now: datetime
    arguments: Mapping[str, Any]

    @property
    def today(self) -> date:
        """Today's date in the user's local time zone, as the CLI counts it."""
        return self.now.astimezone().date()


@dataclass(frozen=True)
class Tool:
    """One tool: `answer` returns a JSON object (the structured result the assistant reads)."""

    name: str
    description: str
    input_schema: dict[str, Any]
    answer: Callable[[Call], dict[str, Any]]
    writes: bool = False


def schema(properties: dict[str, dict[str, Any]], *, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A tool's input schema: an object of these properties, nothing else."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def string(description: str, **extra: Any) -> dict[str, Any]:
    """A text property."""
    return {"type": "string", "description": description, **extra}


def limit_property(default: int) -> dict[str, Any]:
    """How many results to return."""
    return {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_LIMIT,
        "default": default,
        "description": f"How many results at most (default {default}).",
    }


PERSON = string("A person: their name (as typed in tieline; a prefix or a near miss works) or #id, e.g. #12.")


def check_arguments(arguments: Mapping[str, Any], input_schema: dict[str, Any]) -> None:
    """Refuse an argument the tool does not take (an assistant's typo would otherwise be ignored)
    and say which required one is missing."""
    properties = input_schema["properties"]
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        known = ", ".join(properties) or "none"
        raise InvalidInput(f"unknown argument {unknown[0]!r}: this tool takes {known}")
    missing = [name for name in input_schema["required"] if arguments.get(name) is None]
    if missing:
        raise InvalidInput(f"missing argument {missing[0]!r}")


def text(call: Call, name: str, *, default: str | None = None) -> str | None:
    """A text argument (None, or the default, when absent); blank text counts as absent."""
    value = call.arguments.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text, not {type(value).__name__}")
    return value if value.strip() else default


def required_text(call: Call, name: str) -> str:
    """A text argument that must be given and not blank."""
    value = text(call, name)
    if value is None:
        raise InvalidInput(f"{name} must not be empty")
    return value


def texts(call: Call, name: str) -> list[str]:
    """A list of texts, at least one."""
    value = call.arguments.get(name)
    if isinstance(value, str):
        value = [value]  # one name where a list was asked for is still clear
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{name} must be a list of at least one text")
    return value


def integer(
    call: Call, name: str, *, default: int | None, low: int = 1, high: int | None = None
) -> int | None:
    """A whole-number argument within bounds."""
    value = call.arguments.get(name)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise InvalidInput(f"{name} must be {bounds}, not {value}")
    return value


def flag(call: Call, name: str) -> bool:
    """A true/false argument, false when absent."""
    value = call.arguments.get(name, False)
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} must be true or false, not {value!r}")
    return value


def choice(call: Call, name: str, options: tuple[str, ...], *, default: str | None = None) -> str | None:
    """One of a few words."""
    value = text(call, name, default=default)
    if value is not None and value not in options:
        raise InvalidInput(f"{name} must be one of {', '.join(options)}, not {value!r}")
    return value
