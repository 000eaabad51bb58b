"""Write the transcript in docs/mcp.md: an assistant-style session with `tieline mcp --allow-writes`
on a fresh small demo network, the clock fixed, through the MCP SDK's own client over stdio. The
requests are this script's; the answers are the server's, abridged (long lists cut to their first
items, long texts shortened).

.venv/bin/python scripts/mcp_transcript.py            # print the transcript
.venv/bin/python scripts/mcp_transcript.py --write    # put it in docs/mcp.md between its markers
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "mcp.md"
START, END = "<!-- transcript:start -->", "<!-- transcript:end -->"
NOW = "2026-03-10T10:00:00+00:00"  # the tests' clock: a Tuesday morning
ITEMS, TEXT = 2, 160


def abridge(value: Any) -> Any:
    """The answer shortened for reading: lists to their first items, texts to a line or two."""
    if isinstance(value, dict):
        return {k: abridge(v) for k, v in value.items()}
    if isinstance(value, list):
        head = [abridge(v) for v in value[:ITEMS]]
        return head + ([f"... {len(value) - ITEMS} more"] if len(value) > ITEMS else [])
    if isinstance(value, str) and len(value) > TEXT:
        return value[: TEXT - 3] + "..."
    return value


class Transcript:
    """The session as Markdown: each request, the tool called with its arguments, the answer."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self.lines: list[str] = []

    def say(self, text: str) -> None:
        self.lines += [f"**User:** {text}", ""]

    async def call(self, name: str, arguments: dict[str, Any]) -> Any:
        """Call a tool, write the call and its (abridged) answer, return the full answer."""
        result = await self.session.call_tool(name, arguments)
        self.lines += [f"`{name}` `{json.dumps(arguments, ensure_ascii=False)}`", ""]
        if result.is_error:
            self.lines += ["```text", result.content[0].text, "```", ""]
            return None
        shown = json.dumps(abridge(result.structured_content), ensure_ascii=False, indent=2)
        self.lines += ["```json", shown, "```", ""]
        return result.structured_content


async def session_on(env: dict[str, str]) -> list[str]:
    """The scripted session: prepare for the day, a meeting and an introduction, then log it."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "tieline", "mcp", "--allow-writes"], env=env
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        t = Transcript(session)
        tools = (await session.list_tools()).tools
        t.lines += ["The tools listed: " + ", ".join(f"`{tool.name}`" for tool in tools) + ".", ""]

        t.say("Who should I get in touch with today?")
        agenda = await t.call("todays_agenda", {"limit": 3})
        lines = [i for i in agenda["items"] if i["person_id"] is not None]
        line = next((i for i in lines if i["kind"] == "keep_in_touch"), lines[0])
        person = f"#{line['person_id']}"

        t.say(f"I'm seeing {line['person']} this afternoon. Brief me.")
        brief = await t.call("person_brief", {"person": person})
        t.say(f"What do {line['person']} and I have in common, and whom do we both know?")
        await t.call("common_ground", {"person": person})

        topic = next((c["value"] for c in brief["cares"]), None) if brief else None
        if topic:
            t.say(f"Who else in my network has talked about {topic}?")
            found = await t.call("search_people", {"query": topic, "limit": 3})
        else:
            found = None
        t.say("Any introductions I should make?")
        await t.call("suggest_introductions", {"limit": 2})

        company = next((p["company"] for p in (found or {}).get("people", []) if p["company"]), None)
        if company:
            t.say(f"How could I get an introduction to someone at {company}?")
            await t.call("warm_path", {"target": company})

        t.say("Done: we had coffee. Mark it done, and remind me to send them the article next week.")
        await t.call(
            "mark_done", {"line": line["key"], "kind": "coffee", "note": "Coffee: caught up on the new role."}
        )
        await t.call(
            "add_follow_up",
            {"person": person, "text": "send the article we talked about", "due": "in 1 week"},
        )
        t.say("And brief me on Zed Nobody.")
        await t.call("person_brief", {"person": "Zed Nobody"})
        return t.lines


def transcript() -> str:
    """The transcript, produced on a fresh small demo network in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
        env.update(
            TIELINE_DATA_DIR=folder, TIELINE_DATABASE_URL=f"sqlite:///{folder}/demo.db", TIELINE_NOW=NOW,
            TZ="UTC", PYTHONIOENCODING="utf-8",
        )  # fmt: skip
        subprocess.run([sys.executable, "-m", "tieline", "demo"], env=env, check=True, capture_output=True)
        lines = anyio.run(session_on, env)
    head = [
        f"A session on `tieline demo` (small, seed 42) with the clock at {NOW}, made by",
        "`scripts/mcp_transcript.py`: the requests are the script's, the answers the server's (abridged:",
        f"lists cut to {ITEMS} items, long texts shortened).",
        "",
    ]
    return "\n".join(head + lines).rstrip() + "\n"


def main() -> None:
    """Print the transcript, or write it into docs/mcp.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Replace the transcript in docs/mcp.md.")
    args = parser.parse_args()
    text = transcript()
    if not args.write:
        sys.stdout.write(text)
        return
    doc = TARGET.read_text(encoding="utf-8")
    before, rest = doc.split(START, 1)
    _, after = rest.split(END, 1)
    TARGET.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
