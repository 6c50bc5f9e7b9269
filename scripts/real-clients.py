"""The official MCP Python SDK's Client against Bastion in the 2026-07-28 era (scripts/real-clients.sh).

Usage: python real-clients.py stdio JAR | python real-clients.py URL
Lists the tools, calls a read tool and a write tool that asks for approval (the server runs with
read_only false and approval writes): the approval must arrive as an elicitation, be answered, and
the tool must then run. What it checked goes to standard output (standard error carries the stdio
server's log). Exit status 0 when all of that held, 1 otherwise.
"""

import asyncio
import sys

from mcp import Client, StdioServerParameters, types

WRITE_TOOL = "dynatrace_managed_ingest_event"
EVENT = {
    "event_type": "CUSTOM_DEPLOYMENT",
    "title": "Deploy checkout 4.2",
    "entity_type": "SERVICE",
    "entity_name": "checkout",
    "entity_name_match": "equals",
    "properties": {"version": "4.2"},
}
questions: list[str] = []


async def approve(context, params):
    questions.append(params.message)
    return types.ElicitResult(action="accept", content={"confirm": True})


def check(condition: bool, what: str) -> None:
    if not condition:
        print(f"real-clients: FAIL (python): {what}", flush=True)
        sys.exit(1)
    print(f"real-clients:   {what}", flush=True)


async def main(arguments: list[str]) -> None:
    if arguments[0] == "stdio":
        server = StdioServerParameters(
            command=arguments[2], args=["-jar", arguments[1], "serve", "--sandbox"],
            env={"BASTION_READ_ONLY": "false", "BASTION_APPROVAL": "writes"})
    else:
        server = arguments[0]
    async with Client(server, mode="2026-07-28", elicitation_callback=approve) as client:
        check(client.protocol_version == "2026-07-28", f"protocol {client.protocol_version}")
        tools = await client.list_tools()
        names = [tool.name for tool in tools.tools]
        check(WRITE_TOOL in names and len(names) >= 50, f"tools/list: {len(names)} tools")
        listed = await client.call_tool("dynatrace_managed_list_problems", {})
        check(not listed.is_error and "problems" in listed.content[0].text, "tools/call of a read tool")
        written = await client.call_tool(WRITE_TOOL, EVENT)
        check(len(questions) == 1 and WRITE_TOOL in questions[0], "the write tool asked for approval once")
        check(not written.is_error and '"report_count":1' in written.content[0].text,
              "answered, the write tool ran: " + written.content[0].text[:80])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
