"""`tieline mcp`: the MCP server over stdio. `ToolRunner` runs one tool call in one transaction of
its own; `build_server` offers the tools (the writing ones only when allowed) to the SDK's server,
from one runner (stdio: one owner) or from the runner each request picks (`mcp_server/http.py`:
the owner and scope of the request's token)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from sqlalchemy.orm import Session

from tieline import __version__
from tieline.db import Database
from tieline.errors import TielineError
from tieline.mcp_server.errors import failed, tool_error, unexpected
from tieline.mcp_server.tools import Call, Tool, check_arguments
from tieline.mcp_server.tools_read import READ_TOOLS
from tieline.mcp_server.tools_write import WRITE_TOOLS

INSTRUCTIONS = (
    "tieline is the user's personal relationship manager: the people they know, what was said when "
    "they met, who owes whom, and whom to reach out to. Name a person as the user does, or by #id "
    "(each result gives the ids). Dates may be words: today, yesterday, 'in 2 weeks', 2026-03-01."
)
WITHOUT_ALLOW_WRITES = "this server was started without --allow-writes"


class ToolRunner:
    """The tools on offer and how one call runs: reads in a transaction rolled back at the end (a
    reading tool cannot write, whatever it calls), writes in one committed whole or not at all."""

    def __init__(
        self,
        db: Database,
        *,
        owner_id: int,
        clock: Callable[[], datetime],
        allow_writes: bool,
        withheld_because: str = WITHOUT_ALLOW_WRITES,
    ) -> None:
        self.db = db
        self.owner_id = owner_id
        self.clock = clock
        self.tools = {t.name: t for t in [*READ_TOOLS, *(WRITE_TOOLS if allow_writes else [])]}
        self.withheld = {t.name for t in WRITE_TOOLS} - set(self.tools)
        self.withheld_because = withheld_because

    def call(self, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        """The answer to one call: the tool's JSON object, or an error in words."""
        tool = self.tools.get(name)
        if tool is None:
            if name in self.withheld:
                return failed(f"{name} writes, and {self.withheld_because}")
            return failed(f"no tool named {name!r}; the tools are {', '.join(self.tools)}")
        try:
            check_arguments(arguments, tool.input_schema)
            with self.transaction(writes=tool.writes) as session:
                doc = tool.answer(
                    Call(session=session, owner_id=self.owner_id, now=self.clock(), arguments=arguments)
                )
        except TielineError as exc:
            return tool_error(exc)
        except Exception as exc:  # an edge: whatever went wrong is answered, never raised at the client
            return unexpected(name, exc)
        text = json.dumps(doc, ensure_ascii=False)
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=doc)

    @contextmanager
    def transaction(self, *, writes: bool) -> Iterator[Session]:
        """A committed transaction for a writing tool; one rolled back for a reading one."""
        if writes:
            with self.db.transaction(writes=True) as session:
                yield session
            return
        with self.db.sessions() as session:
            try:
                yield session
            finally:
                session.rollback()


def describe(tool: Tool) -> types.Tool:
    """The tool as `tools/list` shows it."""
    hints = types.ToolAnnotations(
        read_only_hint=not tool.writes, destructive_hint=False, idempotent_hint=not tool.writes
    )
    return types.Tool(
        name=tool.name, description=tool.description, input_schema=tool.input_schema, annotations=hints
    )


# The runner answering one request, from the SDK's request context (over HTTP, its `request` is the
# HTTP request, whose scope says whose token it carried).
RunnerFor = Callable[[Any], ToolRunner]
DESCRIBED = {t.name: describe(t) for t in [*READ_TOOLS, *WRITE_TOOLS]}


def build_server(
    runner: ToolRunner | RunnerFor,
    *,
    in_thread: bool = False,
    description: str = "Your professional network, from tieline's local database.",
) -> Server[Any]:
    """The SDK's low-level server, answering `tools/list` and `tools/call` from the runner: one for
    every request (stdio), or the one `runner(ctx)` picks for each request (HTTP). `in_thread` runs
    each call in a worker thread, so a server answering many clients in one event loop (the web
    app's) never waits on the database there."""
    pick: RunnerFor = (lambda _ctx: runner) if isinstance(runner, ToolRunner) else runner

    async def list_tools(ctx: Any, _params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[DESCRIBED[name] for name in pick(ctx).tools])

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        chosen = pick(ctx)
        arguments = dict(params.arguments or {})
        if in_thread:
            return await anyio.to_thread.run_sync(chosen.call, params.name, arguments)
        # stdio: in the event loop, not a worker thread: one local client, calls of milliseconds,
        # and so one transaction at a time on the one connection pool.
        return chosen.call(params.name, arguments)

    return Server(
        "tieline",
        version=__version__,
        title="tieline",
        description=description,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def serve_stdio(runner: ToolRunner) -> None:
    """Answer one client on stdin/stdout until it closes them."""
    server = build_server(runner)

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
