"""How one tool call runs (`ToolRunner`, in this process): a writing call that fails after writing
keeps nothing, and a reading call keeps nothing even when what it calls writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import FIXED_NOW
from tieline.db import Database
from tieline.errors import InvalidInput
from tieline.mcp_server.server import ToolRunner
from tieline.mcp_server.tools import Call, Tool, schema
from tieline.models import LOCAL_OWNER_ID
from tieline.services import people as people_service
from tieline.services.people import PersonChanges


def add_ana(call: Call) -> dict[str, Any]:
    person = people_service.add_person(
        call.session, owner_id=call.owner_id, name="Ana Lima", changes=PersonChanges(), today=call.today
    )
    call.session.flush()
    return {"id": person.id}


def then_fail(call: Call) -> dict[str, Any]:
    add_ana(call)
    raise InvalidInput("the second half of this call was refused")


def runner_with(db: Database, answer: Callable[[Call], dict[str, Any]], *, writes: bool) -> ToolRunner:
    runner = ToolRunner(db, owner_id=LOCAL_OWNER_ID, clock=lambda: FIXED_NOW, allow_writes=True)
    runner.tools["probe"] = Tool("probe", "A tool made for this test.", schema({}), answer, writes=writes)
    return runner


def people_named_ana(db: Database) -> int:
    with db.transaction() as session:
        return len(people_service.search(session, owner_id=LOCAL_OWNER_ID, query="Ana Lima"))


def test_a_writing_call_that_fails_after_writing_keeps_nothing(db: Database) -> None:
    result = runner_with(db, then_fail, writes=True).call("probe", {})
    assert result.is_error and result.content[0].text == "error: the second half of this call was refused"
    assert people_named_ana(db) == 0


def test_a_writing_call_that_succeeds_is_committed(db: Database) -> None:
    result = runner_with(db, add_ana, writes=True).call("probe", {})
    assert not result.is_error and people_named_ana(db) == 1


def test_a_reading_call_is_rolled_back_whatever_it_called(db: Database) -> None:
    result = runner_with(db, add_ana, writes=False).call("probe", {})
    assert not result.is_error and result.structured_content["id"] > 0
    assert people_named_ana(db) == 0


def test_an_unexpected_failure_is_one_sentence_without_internals(db: Database, capsys: Any) -> None:
    def broken(call: Call) -> dict[str, Any]:
        return {"ratio": 1 / 0}

    result = runner_with(db, broken, writes=False).call("probe", {})
    assert result.is_error
    assert (
        result.content[0].text
        == "error: probe failed inside tieline (ZeroDivisionError); nothing was written"
    )
    assert capsys.readouterr().err == "tieline mcp: probe failed: ZeroDivisionError: division by zero\n"
